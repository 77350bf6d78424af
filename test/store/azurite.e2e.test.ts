import { appendFile, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerData, answerRows } from '../support/answers.js';
import { cleanUpBotProcesses, isStore, startBotProcess, waitFor, type BotProcess } from '../support/botProcess.js';
import { LocalConnector } from '../support/connector.js';
import { execute, mia, type Where } from '../support/teams.js';

// The embedded store under an unlucky operator: Ctrl-C, SIGTERM, kill -9 of the bot or of the store itself.
// Every answer the bot acknowledged must still be there afterwards, and a dead store is noticed and restarted.
const where: Where = { kind: 'personal', member: mia };
let connector: LocalConnector;
beforeAll(async () => {
  connector = await new LocalConnector().start();
});
afterAll(async () => connector?.stop());
afterEach(cleanUpBotProcesses);

/** Answers question `index` and returns once the bot acknowledged it (the next question came back). */
async function answer(bot: BotProcess, index: number, level = '300'): Promise<void> {
  const response = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(execute(connector.url, mia, where, 'answer', answerData('adoption', index, level))),
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain(`${index + 2} of 9`);
}

async function storedAnswers(bot: BotProcess): Promise<number> {
  const rows = await answerRows('pulse', bot.connectionString);
  return rows.filter((row) => String(row.rowKey).startsWith('h|')).length;
}

const health = async (bot: BotProcess) => {
  const response = await fetch(`${bot.url}/healthz`);
  return { status: response.status, body: (await response.json()) as { problem?: string } };
};

describe('the embedded store keeps every acknowledged answer', { timeout: 300_000 }, () => {
  it('through Ctrl-C right after answering, a SIGTERM of the bot, and a kill -9 of the whole process group', async () => {
    let bot = await startBotProcess();
    const again = () => startBotProcess({ dataDir: bot.dataDir, port: bot.port, azuritePort: bot.azuritePort });

    // Three answers, then at once a terminal's Ctrl-C: SIGINT to every process of the group, store included.
    for (const index of [0, 1, 2]) await answer(bot, index);
    bot.signal('SIGINT', true);
    expect((await bot.exited()).code).toBe(0);
    bot = await again();
    expect(await storedAnswers(bot)).toBe(3);

    await answer(bot, 3);
    bot.signal('SIGTERM');
    expect((await bot.exited()).code).toBe(0);
    bot = await again();
    expect(await storedAnswers(bot)).toBe(4);

    // A hard kill of everything, bot and store, the moment the answer was acknowledged.
    await answer(bot, 4);
    bot.signal('SIGKILL', true);
    await bot.exited();
    bot = await again();
    expect(await storedAnswers(bot)).toBe(5);
  });
});

describe('a store that dies is noticed and restarted', { timeout: 300_000 }, () => {
  it('answers 503 on /healthz naming the problem, restarts the store on the same data, and serves again by itself', async () => {
    const bot = await startBotProcess();
    expect(await health(bot)).toEqual({ status: 200, body: { status: 'ok', storage: 'ok' } });
    await answer(bot, 0);
    await answer(bot, 1);

    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      const store = bot.storePid();
      process.kill(store, signal);
      const down = await waitFor(`/healthz to report the ${signal}ed store`, async () => {
        const state = await health(bot);
        return state.status === 503 ? state : undefined;
      });
      expect(down.body.problem).toMatch(/Azurite|Table Storage/);
      await waitFor('/healthz to recover by itself', async () => ((await health(bot)).status === 200 ? true : undefined), 60_000);
      expect(isStore(store)).toBe(false);
      expect(bot.storePid()).not.toBe(store);
    }
    // Both answers acknowledged before the kills are there, and answering goes on.
    expect(await storedAnswers(bot)).toBe(2);
    await answer(bot, 2);
    expect(await storedAnswers(bot)).toBe(3);
  });
});

/** The store's newest journal file (src/store/lokiJournal.ts). */
async function newestJournal(dataDir: string): Promise<string> {
  const folder = await realpath(dataDir);
  const names = (await readdir(folder)).filter((name) => /\.journal\.\d+$/.test(name));
  const newest = names.sort((a, b) => Number(a.split('.').at(-1)) - Number(b.split('.').at(-1))).at(-1);
  if (!newest) throw new Error(`No journal in ${folder}: ${names.join(', ')}`);
  return path.join(folder, newest);
}
/** A line before the last that is not whole: damage, not an append cut short by a kill. */
const DAMAGE = '[["I","devstoreaccount1$x",{"PartitionKey"\n[]\n';

describe("a damaged journal is named, and the store doesn't start on it", { timeout: 300_000 }, () => {
  it('on /healthz while the store cannot restart (and it comes back once mended), and at start-up, which refuses', async () => {
    const bot = await startBotProcess();
    await answer(bot, 0);
    // The store frozen, its journal damaged, then killed: the bot's restarts of it fail.
    const store = bot.storePid();
    process.kill(store, 'SIGSTOP');
    let journal = await newestJournal(bot.dataDir);
    const original = await readFile(journal, 'utf8');
    await appendFile(journal, DAMAGE);
    process.kill(store, 'SIGKILL');
    const down = await waitFor(
      '/healthz to name the damaged journal',
      async () => {
        const state = await health(bot);
        return state.status === 503 && state.body.problem?.includes('damaged') ? state : undefined;
      },
      60_000,
    );
    expect(down.body.problem).toContain(`${journal} is damaged at line`);
    expect(down.body.problem).toContain('To start from the last snapshot instead, move');

    await writeFile(journal, original);
    await waitFor(
      '/healthz to recover once the journal is mended',
      async () => ((await health(bot)).status === 200 ? true : undefined),
      60_000,
    );
    await answer(bot, 1);
    expect(await storedAnswers(bot)).toBe(2);

    bot.signal('SIGKILL', true);
    await bot.exited();
    journal = await newestJournal(bot.dataDir);
    await appendFile(journal, DAMAGE);
    const refused = await startBotProcess({ dataDir: bot.dataDir, port: bot.port, azuritePort: bot.azuritePort, expectExit: true });
    expect((await refused.exited()).code).toBe(1);
    expect(refused.output()).toContain(`${journal} is damaged at line`);
    expect(refused.output()).toContain(
      'so the store cannot rebuild its data with certainty and does not start. Nothing was changed on disk.',
    );
    expect(refused.output()).not.toMatch(/^\s+at /m); // a message for a person, not a stack trace
  });
});
