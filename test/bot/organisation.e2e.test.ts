import { afterEach, describe, expect, it } from 'vitest';
import { openDialogData } from '../../src/cards/pulseCards.js';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { answerInDialog } from '../support/dialog.js';
import { message, type Member, type Where } from '../support/teams.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const person = (name: string, index: number): Member => ({
  name,
  aadObjectId: `6f1c0000-0000-4000-8000-${String(index).padStart(12, '0')}`,
});
const admins = [person('Ada CoE', 901), person('Bo CoE', 902), person('Cy CoE', 903)];
const finance = [1, 2, 3, 4].map((index) => person(`Finance ${index}`, index));
const sales = [11, 12, 13].map((index) => person(`Sales ${index}`, index));
const legal = [21, 22].map((index) => person(`Legal ${index}`, index));
const coeChannel: Where = { kind: 'channel', channelId: '19:coe@thread.tacv2', teamName: 'CoE' };
const channels = {
  finance: { kind: 'channel', channelId: '19:finance@thread.tacv2', teamName: 'Finance' },
  sales: { kind: 'channel', channelId: '19:sales@thread.tacv2', teamName: 'Sales' },
  legal: { kind: 'channel', channelId: '19:legal@thread.tacv2', teamName: 'Legal' },
} satisfies Record<string, Where>;
const personal = (member: Member): Where => ({ kind: 'personal', member });

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start() {
  harness = await startHarness({
    now: () => NOW,
    env: { COE_ADMINS: admins.map((admin) => admin.aadObjectId).join(','), MIN_RESPONDENTS: '3' },
  });
  return harness;
}

/**
 * Someone types "assess" in the channel (so the bot hears its name, as Teams gives it on channel messages), then each
 * member answers the first questions in the dialog the card opens.
 */
async function answer(h: Harness, where: Where, members: readonly Member[], levels: readonly string[]) {
  expect((await h.post(message(h.connector.url, members[0]!, where, 'assess'))).status).toBe(200);
  for (const member of members) await answerInDialog(h, member, where, openDialogData('adoption'), levels);
  await h.app.org.settle();
}

/** What the member sees after typing `text` where they are: the last activity's card text, or its words. */
async function say(h: Harness, member: Member, where: Where, text: string): Promise<string> {
  const before = h.connector.activities().length;
  expect((await h.post(message(h.connector.url, member, where, text))).status).toBe(200);
  const reply = h.connector.activities().slice(before).at(-1);
  return reply?.attachments ? cardText(cardOf(reply)) : String(reply?.text ?? '');
}

const orgCardsIn = (h: Harness, conversationId: string) =>
  h.connector
    .activities(conversationId)
    .filter((activity) => Array.isArray(activity.attachments) && cardText(cardOf(activity)).includes('maturity of the organisation'));

describe('results org: the organisation for CoE admins, through /api/messages', () => {
  it('shows an admin, in their personal chat, every team with the small team withheld; refuses anyone else; never posts it in a channel', async () => {
    const h = await start();
    await answer(h, channels.finance, finance, ['200', '300']);
    await answer(h, channels.sales, sales, ['400', '400']);
    await answer(h, channels.legal, legal, ['100', '100']);

    const card = await say(h, admins[0]!, personal(admins[0]!), 'results org');
    expect(card).toContain('Adoption maturity of the organisation');
    expect(card).toContain('November 2026 · for CoE admins only');
    expect(card).toContain('7 people counted in 2 teams · 1 team without enough answers yet');
    expect(card).toContain('Teams furthest from the aim (2 of 2)');
    expect(card).toMatch(/\*\*Finance · General\*\*\nOverall \*\*200 Repeatable\*\*/);
    expect(card).toMatch(/\*\*Sales · General\*\*\nOverall \*\*400 Capable\*\*/);
    expect(card).toContain('Not enough answers yet: Legal · General.');
    // Legal's two answers of 100 count nowhere: Strategy and vision is 200 (Finance's four 200s, Sales' three 400s).
    expect(card).toMatch(/\*\*Strategy and vision\*\*\n▰▰▱▱▱ 200 Repeatable\nhalf answered 200–400 · 2 teams/);
    expect(card).not.toMatch(/\b100\b/);

    // Anyone else: a polite refusal that says who may.
    expect(await say(h, finance[0]!, personal(finance[0]!), 'results org')).toMatch(/^Only CoE admins can run \*\*results org\*\*/);
    // In a channel or a group chat, even an admin gets words that say where to type it, and the channel gets no organisation card.
    expect(await say(h, admins[0]!, channels.finance, 'results org')).toMatch(
      /^\*\*results org\*\* shows every team side by side, so I show it only in your personal chat/,
    );
    expect(await say(h, admins[0]!, { kind: 'groupChat', chatId: '19:chat@thread.v2' }, 'results org')).toMatch(
      /only in your personal chat/,
    );
    expect(await say(h, finance[1]!, channels.finance, 'results org')).toMatch(/^Only CoE admins can run/);
    for (const where of Object.values(channels)) expect(orgCardsIn(h, where.channelId)).toEqual([]);
    expect(orgCardsIn(h, '19:chat@thread.v2')).toEqual([]);
  });

  it('shows the perception gap only where both the CoE and everyone else reach the minimum', async () => {
    const h = await start();
    await answer(h, channels.finance, finance, ['200', '200']);
    await answer(h, channels.sales, sales, ['300', '200']);
    // Two admins answer in a team of three: the CoE group has two, below the minimum.
    await answer(h, coeChannel, [admins[0]!, admins[1]!, finance[0]!], ['400', '300']);
    let card = await say(h, admins[0]!, personal(admins[0]!), 'results org');
    expect(card).toContain('Shown for a capability once at least 3 CoE admins and 3 other people have answered it');
    expect(card).not.toContain('CoE **');

    // The third admin answers (only the first question): strategy and vision now has three CoE answers; business value does not.
    await answerInDialog(h, admins[2]!, coeChannel, openDialogData('adoption'), ['500']);
    await h.app.org.settle();
    card = await say(h, admins[0]!, personal(admins[0]!), 'results org');
    // Finance 1 answered in Finance and in the CoE channel: counted once, with the later answer (400).
    expect(card).toContain('**Strategy and vision**: CoE **400** · everyone else **300**');
    expect(card).toMatch(/The CoE sees it 1\.\d levels higher than everyone else \(means 433 and 2\d\d; 3 and 7 people\)\./);
    expect(card).not.toContain('**Business value**: CoE');
  });

  it("cannot be made to give away a withheld team's level: the organisation figures are the same whatever it answers", async () => {
    const h = await start();
    await answer(h, channels.finance, finance, ['200', '300']);
    await answer(h, channels.sales, sales, ['400', '200']);
    const admin = admins[0]!;
    const before = await say(h, admin, personal(admin), 'results org');

    // The attacker's plan: read the figures, let the two-person Legal team answer, read them again, and compare:
    // the count, the median, the spread, the distribution and the teams' sums should move by Legal's answers.
    await answer(h, channels.legal, legal, ['100', '100']);
    const afterLow = await say(h, admin, personal(admin), 'results org');
    await answer(h, channels.legal, legal, ['500', '500']);
    const afterHigh = await say(h, admin, personal(admin), 'results org');

    // Nothing moved but the line that names Legal without a figure; 100 and 500 give the very same card.
    expect(afterLow).toBe(afterHigh);
    const withoutLegal = afterLow
      .replace(' · 1 team without enough answers yet', '')
      .replace('\nNot enough answers yet: Legal · General.', '');
    expect(withoutLegal).toBe(before);
    // And the figures account for every answer they count: 7 people, all in teams that show a result.
    expect(afterLow).toContain('7 people counted in 2 teams');
  });
});

describe('team names', () => {
  it('follow Teams: a renamed team or channel is shown under its new name', async () => {
    const h = await start();
    await answer(h, channels.finance, finance, ['200', '300']);
    const admin = admins[0]!;
    expect(await say(h, admin, personal(admin), 'results org')).toContain('**Finance · General**');
    // The next channel message carries the new name (Teams puts the team's and channel's names on it).
    await h.post(message(h.connector.url, finance[0]!, { ...channels.finance, teamName: 'Finance & Procurement' }, 'help'));
    await h.app.org.settle();
    const card = await say(h, admin, personal(admin), 'results org');
    expect(card).toContain('**Finance & Procurement · General**');
    expect(card).not.toContain('**Finance · General**');
  });
});

describe('target org', () => {
  it('sets the organisation target in an admin’s personal chat, and results org then shows the gap', async () => {
    const h = await start();
    await answer(h, channels.finance, finance, ['200', '300']);
    const admin = admins[1]!;
    expect(await say(h, admin, channels.finance, 'target org strategy and vision 400')).toMatch(/only in your personal chat/);
    expect(await say(h, admin, personal(admin), 'target org strategy and vision 900')).toMatch(/^"900" is not a level/);
    expect(await say(h, admin, personal(admin), 'target org strategy and vision 400')).toBe(
      'Organisation target for Strategy and vision (Adoption) set to **400 Capable**. **results org** shows the gap, and where to act first measures every team against it.',
    );
    const card = await say(h, admin, personal(admin), 'results org');
    expect(card).toContain('target 400: 2 levels to go');
    expect(card).toMatch(/\*\*Strategy and vision\*\* — 1 of 1 team below the target 400/);
    expect(await say(h, finance[0]!, personal(finance[0]!), 'target org strategy and vision 100')).toMatch(/^Only CoE admins can run/);
  });
});
