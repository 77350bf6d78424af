/** npm run demo:channel plays a team through a channel round against a running bot: here, the test harness's bot. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/botHarness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('npm run demo:channel', () => {
  it('plays three members through the channel dialog and prints the withheld, then the team result', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo-channel.ts', `${harness.app.url}/api/messages`, '--model', 'automation', '--no-screenshots'],
      { timeout: 120_000 },
    );
    expect(stdout).toContain('**@Maturity Pulse assess**');
    expect(stdout).toContain('a dialog only they see opens');
    expect(stdout).toContain('Results appear once 3 people have answered — 1 so far.');
    expect(stdout).toContain('3 people answered');
    expect(stdout.match(/Your automation maturity/g)).toHaveLength(3);
  }, 150_000);

  it('says to start the bot when none answers', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo-channel.ts', 'http://127.0.0.1:9/api/messages'], {
      timeout: 60_000,
    });
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('Start it first with npm start') });
  }, 90_000);
});
