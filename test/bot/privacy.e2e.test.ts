import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CSV_HEADER } from '../../src/tab/csv.js';
import { loadContent } from '../../src/content/loadContent.js';
import { scoreTeam } from '../../src/model/scoring.js';
import { TableAnswerStore } from '../../src/store/answerStore.js';
import { openTable } from '../../src/store/tables.js';
import { answerData, answerRows } from '../support/answers.js';
import { startHarness, type Harness } from '../support/botHarness.js';
import { parseCsv } from '../tab/csvParser.js';
import { execute, message, mia, noah, ola, TENANT, type Member, type Where } from '../support/teams.js';

const OCTOBER = new Date('2026-10-12T10:00:00Z');
const NOVEMBER = new Date('2026-11-24T10:00:00Z');
const OTHER_TENANT = '0ddba11a-0000-4000-8000-000000000777';

const personal = (member: Member): Where => ({ kind: 'personal', member });
const channel: Where = { kind: 'channel', channelId: '19:privacy@thread.tacv2', teamName: 'Privacy' };
const groupChat: Where = { kind: 'groupChat', chatId: '19:privacychat@thread.v2' };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A harness whose clock the test moves, so answers land in different monthly rounds. */
async function start(env: Record<string, string> = {}) {
  const clock = { now: NOVEMBER };
  const h = await startHarness({ now: () => clock.now, env });
  harness = h;
  return { h, clock };
}

async function answer(
  h: Harness,
  member: Member,
  where: Where,
  modelId: 'adoption' | 'automation',
  index: number,
  level: string,
  now: Date,
  tenantId = TENANT,
) {
  const sent = execute(h.connector.url, member, where, 'answer', answerData(modelId, index, level, now));
  const conversation = { ...(sent.conversation as object), tenantId };
  const response = await h.post({ ...sent, conversation, channelData: { ...(sent.channelData as object), tenant: { id: tenantId } } });
  expect(response.status).toBe(200);
  expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
}

async function say(h: Harness, member: Member, where: Where, text: string): Promise<string> {
  expect((await h.post(message(h.connector.url, member, where, text))).status).toBe(200);
  return String(h.connector.activities().at(-1)?.text ?? '');
}

const rowsOf = async (h: Harness, memberId: string, tenantId = TENANT) =>
  (await answerRows(h.tablePrefix)).filter((row) => row.memberId === memberId && row.tenantId === tenantId);

describe('forget me', () => {
  it("deletes all of the member's answers in the tenant, history included, and nobody else's", async () => {
    const { h, clock } = await start();
    // Mia answers in October in her personal chat (and changes one answer), then in November in a channel and a group chat.
    clock.now = OCTOBER;
    await answer(h, mia, personal(mia), 'adoption', 0, '200', OCTOBER);
    await answer(h, mia, personal(mia), 'adoption', 1, '300', OCTOBER);
    await answer(h, mia, personal(mia), 'adoption', 0, '400', OCTOBER);
    clock.now = NOVEMBER;
    await answer(h, mia, channel, 'adoption', 0, '300', NOVEMBER);
    await answer(h, mia, groupChat, 'automation', 0, '200', NOVEMBER);
    await answer(h, noah, channel, 'adoption', 0, '400', NOVEMBER);
    await answer(h, noah, personal(noah), 'adoption', 0, 'notsure', NOVEMBER);
    // The same person in another organisation: not this tenant's to delete.
    await answer(h, mia, personal(mia), 'adoption', 0, '500', NOVEMBER, OTHER_TENANT);

    const miaRows = await rowsOf(h, mia.aadObjectId);
    const history = miaRows.filter((row) => String(row.rowKey).startsWith('h|')).length;
    const assessments = miaRows.filter((row) => String(row.rowKey).startsWith('m|')).length;
    expect([history, assessments]).toEqual([5, 3]);
    const noahBefore = await rowsOf(h, noah.aadObjectId);
    const elsewhereBefore = await rowsOf(h, mia.aadObjectId, OTHER_TENANT);

    // Only in the personal chat, and only when typed exactly: nothing is deleted otherwise.
    expect(await say(h, mia, channel, 'forget me')).toContain('type **forget me** in your personal chat with me');
    expect(await say(h, mia, personal(mia), 'forget me please')).toContain('type exactly **forget me**. Nothing was deleted.');
    expect(await rowsOf(h, mia.aadObjectId)).toHaveLength(miaRows.length);

    expect(await say(h, mia, personal(mia), 'Forget  me')).toContain(
      'I deleted 5 answers you gave (earlier answers you changed included), from 3 assessments',
    );
    expect(await rowsOf(h, mia.aadObjectId)).toEqual([]);
    expect(await rowsOf(h, noah.aadObjectId)).toEqual(noahBefore);
    expect(await rowsOf(h, mia.aadObjectId, OTHER_TENANT)).toEqual(elsewhereBefore);

    expect(await say(h, mia, personal(mia), 'forget me')).toContain('nothing to delete');
  });
});

describe('export', () => {
  const ADMIN_ENV = { COE_ADMINS: ola.aadObjectId, MIN_RESPONDENTS: '3' };

  it('is refused to anyone who is not a CoE admin', async () => {
    const { h } = await start(ADMIN_ENV);
    await answer(h, mia, channel, 'adoption', 0, '300', NOVEMBER);
    const refusal = await say(h, mia, channel, 'export');
    expect(refusal).toContain('Only CoE admins can run **export**');
    expect(refusal).not.toContain('round,capability');
  });

  it("posts the team's aggregate as CSV: no member ids, withheld below the minimum, and the same numbers as scoreTeam", async () => {
    const { h, clock } = await start(ADMIN_ENV);
    // October: one respondent, so the round is withheld. November: three, with one capability answered by only two.
    clock.now = OCTOBER;
    await answer(h, mia, channel, 'adoption', 0, '200', OCTOBER);
    clock.now = NOVEMBER;
    const november: [Member, number, string][] = [
      [mia, 0, '200'],
      [noah, 0, '300'],
      [ola, 0, '500'],
      [mia, 1, '300'],
      [noah, 1, '300'],
      [ola, 1, 'notsure'],
      [mia, 2, '100'],
      [noah, 2, '400'],
      [ola, 2, '400'],
    ];
    for (const [member, index, level] of november) await answer(h, member, channel, 'adoption', index, level, NOVEMBER);

    expect(await say(h, ola, personal(ola), 'export')).toContain('Type **export** in the channel or group chat');
    expect(await say(h, ola, channel, 'export cooking')).toContain('I don\'t know the model "cooking"');

    const reply = await say(h, ola, channel, 'export adoption');
    for (const member of [mia, noah, ola]) {
      expect(reply).not.toContain(member.aadObjectId);
      expect(reply).not.toContain(`29:1${member.aadObjectId}`);
    }
    const block = /```\n([\s\S]*?)\n```/.exec(reply)?.[1];
    expect(block, reply).toBeDefined();
    const [header, ...rows] = parseCsv(`${block!.split('\n').join('\r\n')}\r\n`);
    expect(header).toEqual([...CSV_HEADER]);

    // October is withheld: a row per capability, none with a level.
    const october = rows.filter((row) => row[0] === '2026-10');
    expect(october.length).toBeGreaterThan(0);
    expect(october.every((row) => row[2] === '' && row[3] === '' && row[4] === '' && row[6]!.startsWith('withheld'))).toBe(true);

    // November matches scoreTeam on the stored answers, capability by capability.
    const model = loadContent('content').models.adoption;
    const store = new TableAnswerStore(await openTable(inject('azuriteConnectionString'), `${h.tablePrefix}answers`));
    const result = scoreTeam(
      model,
      await store.team({ tenantId: TENANT, scopeId: channel.channelId, modelId: 'adoption', round: '2026-11' }),
      3,
    );
    if (result.status !== 'ready') throw new Error('November should be scored');
    const cell = (value: number | null) => (value === null ? '' : String(value));
    const expected = result.capabilities.map((score) => [
      score.capability.title,
      cell(score.level),
      cell(score.lowest),
      cell(score.highest),
    ]);
    expect(rows.filter((row) => row[0] === '2026-11').map((row) => row.slice(1, 5))).toEqual(expected);
    // The capability only two people answered has no level (the minimum applies per capability too).
    expect(rows.find((row) => row[0] === '2026-11' && row[1] === model.capabilities[1]!.title)?.slice(2, 5)).toEqual(['', '', '']);
  });
});
