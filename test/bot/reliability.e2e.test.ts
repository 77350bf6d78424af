import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { startAzurite, type RunningAzurite } from '../../src/store/azurite.js';
import { answerData, answerRows, capabilityIds } from '../support/answers.js';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { freePort } from '../support/ports.js';
import { execute, message, mia, noah, ola, taskSubmit, type Member, type Where } from '../support/teams.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const personal = (member: Member): Where => ({ kind: 'personal', member });

let harness: Harness | undefined;
let azurite: RunningAzurite | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await harness?.close();
  await azurite?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  harness = azurite = dataDir = undefined;
});

describe('when storage goes away mid-conversation', () => {
  it('tells the member to try again, keeps every acknowledged answer, and carries on once storage is back', async () => {
    // A dedicated Azurite with its data on disk, so it can be stopped and started again on the same port and data.
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pulse-azurite-'));
    const port = await freePort();
    azurite = await startAzurite({ port, location: dataDir });
    const logLines: string[] = [];
    harness = await startHarness({
      now: () => NOW,
      env: { STORAGE_CONNECTION_STRING: azurite.connectionString },
      logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
    });
    const h = harness;
    const where = personal(mia);
    const answer = (index: number, level: string) =>
      h.post(execute(h.connector.url, mia, where, 'answer', answerData('adoption', index, level, NOW)));

    expect(cardText((await answer(0, '200')).body.value)).toContain('2 of 9');
    expect(cardText((await answer(1, '300')).body.value)).toContain('3 of 9');

    await azurite.stop();
    // An answer on a card (an invoke): the reply is a message in the HTTP body, not silence and not a bare 500.
    const failed = execute(h.connector.url, mia, where, 'answer', answerData('adoption', 2, '400', NOW));
    const duringOutage = await h.post(failed);
    expect(duringOutage.status).toBe(200);
    expect(duringOutage.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining('please try again'),
    });
    // A typed message: the reply goes to the chat.
    await h.post(message(h.connector.url, mia, where, 'assess'));
    expect(h.connector.activities().at(-1)?.text).toContain('please try again');
    // The failure is logged with the same correlation id as the request's own log line.
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const turnFailed = lines.find((line) => line.msg === 'turn failed');
    expect(turnFailed?.correlationId).toBe(failed.id);
    expect(lines.find((line) => line.msg === 'activity' && line.correlationId === failed.id)?.status).toBe(200);
    // The storage error is logged, but nothing of the account's key or a request's signature.
    expect(turnFailed?.err).toMatchObject({ code: 'ECONNREFUSED' });
    expect(logLines.join('')).not.toMatch(/SharedKey|AccountKey|Eby8vdM02x/);

    azurite = await startAzurite({ port, location: dataDir });
    expect(cardText((await answer(2, '400')).body.value)).toContain('4 of 9');
    await h.post(message(h.connector.url, mia, where, 'results'));
    const summary = cardText(cardOf(h.connector.activities().at(-1)));
    expect(summary).toContain('You answered 3 of 9 questions');
    // Nothing half-written: exactly the three acknowledged answers, each with its one history row.
    const rows = await answerRows(h.tablePrefix, azurite.connectionString);
    const [first, second, third] = capabilityIds('adoption');
    const current = JSON.parse(String(rows.find((row) => String(row.rowKey).startsWith('m|'))?.choices)) as Record<
      string,
      [number, string]
    >;
    expect(Object.fromEntries(Object.entries(current).map(([id, [level]]) => [id, level]))).toEqual({
      [first!]: 200,
      [second!]: 300,
      [third!]: 400,
    });
    expect(rows.filter((row) => String(row.rowKey).startsWith('h|'))).toHaveLength(3);
  });
});

describe('answers at the same time', () => {
  it('never loses an answer: many members at once in a channel dialog, and one member in two windows', async () => {
    harness = await startHarness({ now: () => NOW, env: { MIN_RESPONDENTS: '1' } });
    const h = harness;
    const channel: Where = { kind: 'channel', channelId: '19:busy@thread.tacv2', teamName: 'Busy' };
    const ids = capabilityIds('adoption');
    const levels = ['100', '200', '300', '400', '500'];
    const members: Member[] = Array.from({ length: 6 }, (_, index) => ({
      name: `Member ${index}`,
      aadObjectId: `6f1c0000-0000-4000-8000-0000000b${String(index).padStart(4, '0')}`,
    }));

    // Every member submits every question at once, as fast as the server takes them.
    const submissions = members.flatMap((member, m) =>
      ids.map((_, index) =>
        h.post(taskSubmit(h.connector.url, member, channel, { ...answerData('adoption', index, levels[(m + index) % 5]!, NOW) })),
      ),
    );
    // And one member answers every question in two windows (a card in the chat and the channel dialog) at the same moment, differently.
    const twoWindows = [
      ...ids.map((_, index) => h.post(execute(h.connector.url, ola, channel, 'answer', answerData('adoption', index, '300', NOW)))),
      ...ids.map((_, index) => h.post(taskSubmit(h.connector.url, ola, channel, answerData('adoption', index, '400', NOW)))),
    ];
    const responses = await Promise.all([...submissions, ...twoWindows]);
    expect(responses.map((response) => response.status).every((status) => status === 200)).toBe(true);
    // Every submission got its next question back, none the "try again" message.
    expect(responses.filter((response) => JSON.stringify(response.body).includes('try again'))).toEqual([]);

    const rows = await answerRows(h.tablePrefix);
    const current = new Map(
      rows
        .filter((row) => String(row.rowKey).startsWith('m|'))
        .map((row) => [row.memberId, JSON.parse(String(row.choices)) as Record<string, [number, string]>]),
    );
    for (const [m, member] of members.entries()) {
      const stored = Object.fromEntries(Object.entries(current.get(member.aadObjectId) ?? {}).map(([id, [level]]) => [id, String(level)]));
      expect(stored, member.name).toEqual(Object.fromEntries(ids.map((id, index) => [id, levels[(m + index) % 5]!])));
    }
    // Ola's answer to every question is one of the two she gave, and both are in her history: neither window's answer was lost.
    const olas = current.get(ola.aadObjectId) ?? {};
    expect(Object.keys(olas).sort()).toEqual([...ids].sort());
    expect(Object.values(olas).every(([level]) => level === 300 || level === 400)).toBe(true);
    const history = rows.filter((row) => row.memberId === ola.aadObjectId && String(row.rowKey).startsWith('h|'));
    for (const id of ids)
      expect(
        history
          .filter((row) => row.capabilityId === id)
          .map((row) => row.level)
          .sort(),
        id,
      ).toEqual([300, 400]);

    // And the team result counts all of them.
    await h.post(message(h.connector.url, noah, channel, 'results'));
    expect(cardText(cardOf(h.connector.activities().at(-1)))).toContain(`${members.length + 1} people answered`);
  });
});
