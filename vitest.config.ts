import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Generous: CI and development machines are often shared, and a test that waits on real processes
    // (Azurite, Chromium, a second bot) must not fail only because the machine is busy. Hangs still fail.
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
