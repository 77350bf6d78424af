import { afterEach, describe, expect, inject, it } from 'vitest';
import { answerData } from '../support/answers.js';
import { actionData, cardOf, startHarness, type Harness } from '../support/botHarness.js';
import { storageProxy, type StorageProxy } from '../support/storageProxy.js';
import { execute, message, mia, type Where } from '../support/teams.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const BATCH = expect.stringMatching(/^POST \/devstoreaccount1\/\$batch$/);
const READ = expect.stringMatching(/^GET \/devstoreaccount1\/.*answers\(PartitionKey=/);
const LEVELS = ['200', '300', '100', '200', 'notsure', '300', '200', '400', '500'];

let harnesses: Harness[] = [];
let proxy: StorageProxy | undefined;
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  harnesses = [];
  await proxy?.close();
  proxy = undefined;
});

/** A bot whose storage requests all pass through a counting proxy. */
async function start(tablePrefix?: string) {
  proxy ??= await storageProxy(inject('azuriteConnectionString'));
  const h = await startHarness({
    now: () => NOW,
    env: { STORAGE_CONNECTION_STRING: proxy.connectionString },
    ...(tablePrefix ? { tablePrefix } : {}),
  });
  harnesses.push(h);
  return h;
}

/** The storage requests one call to the bot made. */
async function requestsOf(call: () => Promise<unknown>): Promise<string[]> {
  const before = proxy!.state.requests.length;
  await call();
  return proxy!.state.requests.slice(before);
}

describe('what an answer costs in storage, through /api/messages', () => {
  it('is one request per answer in personal chat, and one read more on an instance that has not seen the member', async () => {
    const h = await start();
    const where: Where = { kind: 'personal', member: mia };
    await h.post(message(h.connector.url, mia, where, 'assess'));
    let card = cardOf(h.connector.activities().at(-1));
    for (const level of LEVELS) {
      const requests = await requestsOf(async () => {
        const response = await h.post(execute(h.connector.url, mia, where, 'answer', { ...actionData(card, 'Next'), level }));
        card = response.body.value;
      });
      expect(requests, `answer ${level}`).toEqual([BATCH]);
    }

    // An instance that has not seen her (another one, or this one after a restart): one read more, then one again.
    const other = await start(h.tablePrefix);
    for (const [level, cost] of [
      ['500', [READ, BATCH]],
      ['400', [BATCH]],
    ] as const) {
      const requests = await requestsOf(() =>
        other.post(execute(other.connector.url, mia, where, 'answer', answerData('adoption', 0, level, NOW))),
      );
      expect(requests, `change to ${level}`).toEqual(cost);
    }
  });
});
