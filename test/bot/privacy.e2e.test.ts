import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CSV_HEADER } from '../../src/tab/csv.js';
import { loadContent } from '../../src/content/loadContent.js';
import { scoreTeam } from '../../src/model/scoring.js';
import { TableAnswerStore } from '../../src/store/answerStore.js';
import { openTable } from '../../src/store/tables.js';
import { answerData, answerRows, tableRows } from '../support/answers.js';
import { actionData, cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
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

/** Everything the tables hold of a member (answers, history, chat references, "set by"), read straight from storage. */
async function traces(h: Harness, memberId: string) {
  const tables = ['answers', 'conversations', 'targets', 'pulse'];
  const rows = await Promise.all(tables.map((name) => tableRows(`${h.tablePrefix}${name}`)));
  return rows.flat().filter((row) => JSON.stringify(row).includes(memberId));
}

/** Presses a button of a card in the given conversation (Universal Actions); returns the card that replaces it. */
async function press(h: Harness, member: Member, where: Where, data: Record<string, unknown>) {
  const response = await h.post(execute(h.connector.url, member, where, String(data.verb), data));
  expect(response.status).toBe(200);
  return response.body;
}

async function confirmation(h: Harness, member: Member) {
  expect((await h.post(message(h.connector.url, member, personal(member), 'forget me'))).status).toBe(200);
  return cardOf(h.connector.activities().at(-1));
}

describe('forget me', () => {
  const ADMIN = { COE_ADMINS: mia.aadObjectId };

  it('asks on a card what will go, deletes nothing on Cancel, and everything of the member on Delete', async () => {
    const { h, clock } = await start(ADMIN);
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
    // As a CoE admin she set a target and switched the pulse on; her personal chat is known to the bot.
    await say(h, mia, channel, 'target governance 300');
    await say(h, mia, channel, 'pulse on');
    await say(h, mia, personal(mia), 'help');
    await say(h, noah, personal(noah), 'help');
    // The same person in another organisation: not this tenant's to delete.
    await answer(h, mia, personal(mia), 'adoption', 0, '500', NOVEMBER, OTHER_TENANT);

    const before = await traces(h, mia.aadObjectId);
    expect(before.filter((row) => row.tenantId !== OTHER_TENANT).map((row) => String(row.rowKey).slice(0, 2))).toEqual(
      expect.arrayContaining(['h|', 'm|', 'a%', 'go', '72']),
    );
    const noahBefore = await traces(h, noah.aadObjectId);
    const elsewhereBefore = await rowsOf(h, mia.aadObjectId, OTHER_TENANT);

    // Only in the personal chat, and only when typed exactly: nothing is deleted otherwise, and no card is shown.
    expect(await say(h, mia, channel, 'forget me')).toContain('type **forget me** in your personal chat with me');
    expect(await say(h, mia, personal(mia), 'forget me please')).toContain('type exactly **forget me**. Nothing was deleted.');

    // The card says what will go; Cancel deletes nothing.
    const card = await confirmation(h, mia);
    const text = cardText(card);
    expect(text).toContain('Delete what I keep about you?');
    expect(text).toContain('5 answers in 3 assessments');
    expect(text).toContain('My record of this chat');
    expect(text).toContain('targets and monthly pulses you set up');
    expect((card.actions as { title: string }[]).map((action) => action.title)).toEqual(['Delete', 'Cancel']);
    const cancelled = await press(h, mia, personal(mia), actionData(card, 'Cancel'));
    expect(cardText(cancelled.value)).toContain('Nothing was deleted');
    expect(cancelled.value.actions ?? []).toEqual([]);
    expect(await traces(h, mia.aadObjectId)).toEqual(before);

    // Delete deletes everything listed, and nothing of anyone else's.
    const deleted = await press(h, mia, personal(mia), actionData(await confirmation(h, mia), 'Delete'));
    expect(cardText(deleted.value)).toContain('I deleted 5 answers you gave (earlier answers you changed included), from 3 assessments');
    expect(cardText(deleted.value)).toContain('1 target and 1 monthly pulse you set up now say "set by a former member"');
    expect(deleted.value.actions ?? []).toEqual([]);
    expect((await traces(h, mia.aadObjectId)).filter((row) => row.tenantId !== OTHER_TENANT)).toEqual([]);
    expect(await traces(h, noah.aadObjectId)).toEqual(noahBefore);
    expect(await rowsOf(h, mia.aadObjectId, OTHER_TENANT)).toEqual(elsewhereBefore);
    const [subscription] = (await tableRows(`${h.tablePrefix}pulse`)).filter((row) => row.partitionKey === 'sub');
    expect(subscription).toMatchObject({ subscribedBy: 'a former member' });
    expect((await tableRows(`${h.tablePrefix}targets`))[0]).toMatchObject({ setBy: 'a former member', level: 300 });

    // She can answer again, from the first question, and her chat is known again once she writes.
    await say(h, mia, personal(mia), 'assess');
    expect(cardText(cardOf(h.connector.activities().at(-1)))).toContain('1 of 9');
    await answer(h, mia, personal(mia), 'adoption', 0, '300', NOVEMBER);
    expect((await rowsOf(h, mia.aadObjectId)).map((row) => String(row.rowKey).slice(0, 2)).sort()).toEqual(['h|', 'm|']);
    expect((await tableRows(`${h.tablePrefix}conversations`)).filter((row) => row.memberId === mia.aadObjectId)).toHaveLength(1);
    expect(cardText((await press(h, mia, personal(mia), actionData(await confirmation(h, mia), 'Delete'))).value)).toContain(
      'I deleted 1 answer you gave',
    );
  });

  it('deletes nothing of anyone for a Delete copied to another chat or member, replayed late, or tampered with', async () => {
    const { h, clock } = await start();
    for (const member of [mia, noah]) {
      await answer(h, member, personal(member), 'adoption', 0, '300', NOVEMBER);
      await answer(h, member, channel, 'adoption', 0, '300', NOVEMBER);
    }
    const everything = async () => [...(await traces(h, mia.aadObjectId)), ...(await traces(h, noah.aadObjectId))];
    const miasDelete = actionData(await confirmation(h, mia), 'Delete');
    await say(h, noah, personal(noah), 'help');
    const before = await everything();

    // Noah sends Mia's Delete from his own chat; Mia presses it from a channel or a group chat.
    for (const [member, where] of [
      [noah, personal(noah)],
      [mia, channel],
      [mia, groupChat],
    ] as const) {
      const refused = await press(h, member, where, miasDelete);
      expect(cardText(refused.value)).toContain('Nothing was deleted');
    }
    // Tampered: another member's id, an unknown field, a made-up verb, no date.
    for (const data of [
      { ...miasDelete, memberId: noah.aadObjectId },
      { ...miasDelete, verb: 'forgetall' },
      { verb: 'forget', chat: miasDelete.chat },
    ]) {
      const response = await h.post(execute(h.connector.url, mia, personal(mia), String(data.verb), data));
      expect(response.status).toBeLessThan(500);
      expect(JSON.stringify(response.body)).not.toContain('Deleted');
    }
    // Replayed after the confirmation's quarter of an hour.
    clock.now = new Date(NOVEMBER.getTime() + 16 * 60_000);
    expect(cardText((await press(h, mia, personal(mia), miasDelete)).value)).toContain('more than 15 minutes old');
    expect(await everything()).toEqual(before);

    // A fresh confirmation in her own chat still works, and takes only her rows.
    const deleted = await press(h, mia, personal(mia), actionData(await confirmation(h, mia), 'Delete'));
    expect(cardText(deleted.value)).toContain('I deleted 2 answers');
    expect(await traces(h, mia.aadObjectId)).toEqual([]);
    expect(await traces(h, noah.aadObjectId)).toEqual(before.filter((row) => JSON.stringify(row).includes(noah.aadObjectId)));
  });

  it('leaves every answer racing a Delete wholly kept or wholly removed, and the member able to answer again', async () => {
    const { h } = await start();
    const channels: Where[] = Array.from({ length: 12 }, (_, index) => ({
      kind: 'channel',
      channelId: `19:race${String(index).padStart(2, '0')}@thread.tacv2`,
      teamName: 'Race',
    }));
    await Promise.all(
      channels.map(async (where) => {
        for (const index of [0, 1, 2]) await answer(h, mia, where, 'adoption', index, '200', NOVEMBER);
      }),
    );
    const card = await confirmation(h, mia);

    // She presses Delete while still answering dialogs in the channels deleted last.
    const racing = Promise.all(
      channels.slice(-6).map(async (where, offset) => {
        for (let change = 0; change < 5; change += 1)
          await answer(h, mia, where, 'adoption', (change + offset) % 3, ['100', '300', '400', '500'][change % 4]!, NOVEMBER);
      }),
    );
    await Promise.all([press(h, mia, personal(mia), actionData(card, 'Delete')), racing]);

    const rows = await rowsOf(h, mia.aadObjectId);
    for (const where of channels) {
      const mine = rows.filter((row) => String(row.partitionKey).includes(encodeURIComponent((where as { channelId: string }).channelId)));
      const member = mine.find((row) => String(row.rowKey).startsWith('m|'));
      const versions = mine.filter((row) => String(row.rowKey).startsWith('h|')).map((row) => Number(row.version));
      expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: Number(member?.version ?? 0) }, (_, index) => index + 1));
    }
    // And she answers again everywhere: no "kept changing underneath".
    await Promise.all(
      channels.map(async (where) => {
        for (const index of [0, 1, 2, 0, 1, 2]) await answer(h, mia, where, 'adoption', index, index % 2 === 0 ? '100' : '500', NOVEMBER);
      }),
    );
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
