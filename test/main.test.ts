import { afterEach, describe, expect, it } from 'vitest';
import { cleanUpBotProcesses, isAlive, isStore, startBotProcess, waitFor } from './support/botProcess.js';

// The bot as an unlucky operator runs it: `npm start`, a hostile request, a crash, a second start on the same data.
afterEach(cleanUpBotProcesses);

describe('the bot process', { timeout: 180_000 }, () => {
  it('survives a corrupt gzip body; after a kill -9 its store is gone and a new start on the same data just works', async () => {
    const first = await startBotProcess();
    const response = await fetch(`${first.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'this is not gzip',
    });
    expect(response.status).toBe(415);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);

    const store = first.storePid();
    first.signal('SIGKILL');
    await first.exited();
    // The store notices its bot is gone and stops (after saving), instead of holding the port for ever.
    await waitFor('the store to stop with its bot', () => !isStore(store) || undefined, 10_000);

    const again = await startBotProcess({ dataDir: first.dataDir, port: first.port, azuritePort: first.azuritePort });
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
  });

  it('refuses a second bot on the same data folder with a message that says so, and leaves the first one serving', async () => {
    const first = await startBotProcess();
    const second = await startBotProcess({ dataDir: first.dataDir, expectExit: true });
    expect(second.child.exitCode).toBe(1);
    expect(second.output()).toContain(`already using the embedded store in`);
    expect(second.output()).toContain('AZURITE_LOCATION');
    expect(isAlive(first.child.pid!)).toBe(true);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  });
});
