/**
 * What a newcomer meets in the first ten minutes, through /api/messages: the welcome and help as they work where the bot
 * was added, a partial summary that continues, "Change answers" that picks one question, and a personal chat's summary
 * that never offers a team result it cannot show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { activity, execute, message, mia, noah, taskFetch, taskSubmit, type Member, type Where } from '../support/teams.js';

const NOW = new Date('2026-11-24T10:00:00Z');
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ now: () => NOW });
});
afterAll(async () => {
  await harness?.close();
});

const personal = (member: Member): Where => ({ kind: 'personal', member });
const channel: Where = { kind: 'channel', channelId: '19:newcomers@thread.tacv2', teamName: 'Newcomers' };
const groupChat: Where = { kind: 'groupChat', chatId: '19:newcomers-chat@thread.v2' };

/** An action anywhere on a card (its action row or an ActionSet in the body), by title. */
function findAction(card: unknown, title: string): { type: string; verb?: string; data: Record<string, unknown> } {
  const found: any[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.type === 'string' && record.type.startsWith('Action.') && record.title === title) found.push(record);
      for (const [key, child] of Object.entries(record)) if (key !== 'data') walk(child);
    }
  };
  walk(card);
  if (found.length === 0) throw new Error(`No "${title}" action on card: ${cardText(card)}`);
  return found[0];
}
const hasAction = (card: unknown, title: string) => cardText(card).split('\n').includes(title);

/** Presses a Universal Action button (with inputs, if any) and returns the card that replaces it. */
async function press(member: Member, where: Where, card: unknown, title: string, inputs: Record<string, string> = {}) {
  const action = findAction(card, title);
  const response = await harness.post(execute(harness.connector.url, member, where, action.verb!, { ...action.data, ...inputs }));
  expect(response.status).toBe(200);
  return response.body.value;
}

async function lastCardAfter(member: Member, where: Where, text: string) {
  await harness.post(message(harness.connector.url, member, where, text));
  return cardOf(harness.connector.activities().at(-1));
}

describe('the welcome and help, as they work where the bot was added', () => {
  const added = (where: Where) => ({
    ...activity(harness.connector.url, mia, where, { type: 'conversationUpdate' }),
    membersAdded: [{ id: '28:maturity-pulse' }],
  });

  it('says "type assess" in a personal chat, and to @mention the bot in a channel and a group chat', async () => {
    harness.connector.clear();
    for (const where of [personal(mia), channel, groupChat]) expect((await harness.post(added(where))).status).toBe(200);
    const [inPersonal, inChannel, inGroupChat] = harness.connector.activities().map((sent) => String(sent.text));
    expect(inPersonal).toMatch(/Type \*\*assess\*\* to start/);
    for (const text of [inChannel, inGroupChat]) {
      expect(text).toContain('@mention me');
      expect(text).toContain('**@Maturity Pulse assess**');
      expect(text).not.toMatch(/Type \*\*assess/);
    }
  });

  it('lists in a personal chat only the commands that work there, described as they work there', async () => {
    const help = cardText(await lastCardAfter(mia, personal(mia), 'help'));
    expect(help).not.toMatch(/this channel|pulse on|target capability|export \[/);
    expect(help).toContain('forget me');
    expect(help).toMatch(/your own summary/i);
  });

  it('lists the team commands in a channel, with the @mention it takes there', async () => {
    const help = cardText(await lastCardAfter(mia, channel, 'help'));
    expect(help).toContain('@mention me');
    expect(help).toContain('pulse on [model] | off | status | now');
    expect(help).not.toContain('forget me');
  });
});

describe('replies in a channel or group chat, where a plain message never reaches the bot', () => {
  /** "Type **x**" outside a personal chat, unless it sends the member to their personal chat to type it. */
  const typeToBot = /\b[Tt](?:ype|ry) \*\*(?![^*]+\*\* in your personal chat)/;

  it('say to @mention the bot with each command to type, on words and on cards', async () => {
    for (const where of [channel, groupChat]) {
      const said: string[] = [];
      for (const text of ['what colour is the sky on a tuesday?', 'x'.repeat(1001), 'pulse on', 'support level']) {
        harness.connector.clear();
        await harness.post(message(harness.connector.url, mia, where, text));
        const sent = harness.connector.activities().at(-1);
        said.push(sent?.text ? String(sent.text) : cardText(cardOf(sent)));
      }
      for (const text of said) expect(text, `${where.kind}: ${text}`).not.toMatch(typeToBot);
      expect(said[0], where.kind).toContain('@mention me with **support**');
      expect(said[1], where.kind).toContain('@mention me with **help**');
      expect(said[3], where.kind).toContain('@mention me with **support maturity**');
    }
  });

  it('keep "type" in a personal chat', async () => {
    await harness.post(message(harness.connector.url, mia, personal(mia), 'x'.repeat(1001)));
    expect(String(harness.connector.activities().at(-1)?.text)).toContain('type **help**');
  });
});

describe('a summary that goes somewhere', () => {
  it('continues a partial assessment at the first unanswered question, in chat and in the dialog', async () => {
    const where = personal(noah);
    let card = await lastCardAfter(noah, where, 'assess');
    for (const level of ['200', '300']) card = await press(noah, where, card, 'Next', { level });
    await press(noah, where, card, 'Skip for now');
    card = await lastCardAfter(noah, where, 'results');
    expect(cardText(card)).toContain('You answered 2 of 9 questions');
    const next = await press(noah, where, card, 'Continue');
    expect(cardText(next)).toContain('3 of 9');

    // The same in a channel's dialog: Continue is a submit that opens the next open question.
    const opened = await harness.post(taskFetch(harness.connector.url, noah, channel, { verb: 'open', model: 'automation' }));
    const dialogCard = opened.body.task.value.card.content;
    await harness.post(taskSubmit(harness.connector.url, noah, channel, { ...findAction(dialogCard, 'Next').data, level: '300' }));
    const summary = await harness.post(taskSubmit(harness.connector.url, noah, channel, { verb: 'summary', model: 'automation' }));
    const summaryCard = summary.body.task.value.card.content;
    expect(cardText(summaryCard)).toContain('You answered 1 of 7 questions');
    const continued = await harness.post(taskSubmit(harness.connector.url, noah, channel, findAction(summaryCard, 'Continue').data));
    expect(cardText(continued.body.task.value.card.content)).toContain('HEAT pillar 2 of 7');
  });

  it('lets the member pick the answer to change, saves it, and comes back to the summary', async () => {
    const where = personal(mia);
    let card = await lastCardAfter(mia, where, 'assess');
    const levels = ['200', '300', '100', '200', '300', '200', '200', '400', '300'];
    for (const level of levels) card = await press(mia, where, card, 'Next', { level });
    expect(cardText(card)).toContain('Your adoption maturity');

    const picker = await press(mia, where, card, 'Change answers');
    expect(cardText(picker)).toContain('Which answer do you want to change?');
    expect(cardText(picker)).toContain('Security: 100 Initial');
    const security = await press(mia, where, picker, 'Change', { capability: 'security' });
    expect(cardText(security)).toContain('Adoption · Security');
    expect(hasAction(security, 'Back')).toBe(false);
    const saved = await press(mia, where, security, 'Save', { level: '400' });
    expect(cardText(saved)).toContain('Your adoption maturity');
    expect(cardText(saved)).toMatch(/\*\*Security\*\*\n▰▰▰▰▱ 400 Capable/);

    // Cancel changes nothing; an unknown question is refused with the list again.
    const again = await press(mia, where, await press(mia, where, saved, 'Change answers'), 'Change', {
      capability: 'governance',
    });
    const cancelled = await press(mia, where, again, 'Cancel');
    expect(cardText(cancelled)).toMatch(/\*\*Governance\*\*\n▰▰▱▱▱ 200 Repeatable/);
    const unknown = await press(mia, where, await press(mia, where, cancelled, 'Change answers'), 'Change', {
      capability: 'made-up',
    });
    expect(cardText(unknown)).toContain("I don't have that question");
  });

  it('offers no Team results in a personal chat, and an older card that asks gets words, not a silent refresh', async () => {
    const where = personal(mia);
    const summary = await lastCardAfter(mia, where, 'results');
    expect(hasAction(summary, 'Team results')).toBe(false);
    const before = harness.connector.activities().length;
    const response = await harness.post(execute(harness.connector.url, mia, where, 'results', { verb: 'results', model: 'adoption' }));
    expect(cardText(response.body.value)).toContain('Your adoption maturity');
    const said = harness.connector.activities().slice(before);
    expect(said.map((sent) => String(sent.text))).toEqual([expect.stringContaining('no team result here')]);
  });

  it('offers Team results in a group chat, where one exists: on the prompt its members answer from', async () => {
    const prompt = await lastCardAfter(noah, groupChat, 'assess support');
    expect(hasAction(prompt, 'Team results')).toBe(true);
    expect(hasAction(prompt, 'Answer')).toBe(true);
  });
});
