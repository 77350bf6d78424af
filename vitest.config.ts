import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Generous: CI and development machines are often shared, and a test that waits on real processes
    // (Azurite, Chromium, a second bot) must not fail only because the machine is busy. Hangs still fail.
    testTimeout: 60_000,
    // restify 11 imports spdy, whose http-deceiver calls process.binding('http_parser') as it loads: Node's
    // DEP0111 warning, twice per test process, about code this bot never runs (no HTTP/2). Silenced by its code
    // only, as npm start does (package.json config.nodeFlags); every other warning still prints.
    execArgv: ['--disable-warning=DEP0111'],
    hookTimeout: 90_000,
  },
});
