import { afterEach, describe, expect, it } from 'vitest';
import { actionData, cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { answerInDialog } from '../support/dialog.js';
import { execute, message, mia, noah, ola, submit, taskFetch, taskSubmit, type Member, type Where } from '../support/teams.js';

const NOW = new Date('2026-11-24T10:00:00Z');
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const personal = (member: Member): Where => ({ kind: 'personal', member });
const channel: Where = { kind: 'channel', channelId: '19:makers@thread.tacv2', teamName: 'Makers' };

/** Answers the card's question with `level` through Universal Actions; returns the card that replaces it. */
async function answerInline(h: Harness, member: Member, where: Where, card: any, level: string) {
  const response = await h.post(execute(h.connector.url, member, where, 'answer', { ...actionData(card, 'Next'), level }));
  expect(response.status).toBe(200);
  expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
  return response.body.value;
}

/** Answers through the dialog that the channel's latest prompt card opens. */
function answerFromPrompt(h: Harness, member: Member, levels: readonly string[]) {
  const prompt = cardOf(h.connector.activities().at(-1));
  return answerInDialog(h, member, channel, actionData(prompt, 'Answer'), levels);
}

describe('the assessment conversation through /api/messages', () => {
  it('walks a member through every capability in personal chat and ends with their summary', async () => {
    harness = await startHarness({ now: () => NOW });
    const where = personal(mia);
    await harness.post(message(harness.connector.url, mia, where, 'assess'));
    let card = cardOf(harness.connector.activities().at(-1));
    expect(cardText(card)).toContain('1 of 9');
    expect(cardText(card)).toContain('Adoption · Strategy and vision');

    const levels = ['200', '300', '100', '200', 'notsure', '300', '200', '400', '500'];
    for (const [index, level] of levels.entries()) {
      expect(cardText(card)).toContain(`${index + 1} of 9`);
      card = await answerInline(harness, mia, where, card, level);
    }
    const summary = cardText(card);
    expect(summary).toContain('Your adoption maturity');
    expect(summary).toContain('You answered 9 of 9 questions (1 Not sure)');
    expect(summary).toContain('Overall: **100 Initial**');
    expect(summary).toContain('Your next steps');
    expect(summary).toMatch(/\]\(https:\/\/learn\.microsoft\.com\//);
    // Answering replaced the card in place: the chat got one card, not ten.
    expect(harness.connector.activities()).toHaveLength(1);
  });

  it('lets two members answer in a channel through the dialog, and results shows the aggregate', async () => {
    harness = await startHarness({ now: () => NOW, env: { MIN_RESPONDENTS: '2' } });
    await harness.post(message(harness.connector.url, mia, channel, 'assess automation'));
    expect(cardText(cardOf(harness.connector.activities().at(-1)))).toContain('Automation maturity assessment');

    const last = await answerFromPrompt(harness, mia, ['200', '300', '200', '300', '200', '300', '200']);
    expect(cardText(last)).toContain('Your automation maturity');

    await harness.post(message(harness.connector.url, noah, channel, 'results automation'));
    const withheld = cardText(cardOf(harness.connector.activities().at(-1)));
    expect(withheld).toContain('Results appear once 2 people have answered — 1 so far.');
    expect(withheld).not.toMatch(/▰/);

    await harness.post(message(harness.connector.url, noah, channel, 'assess automation'));
    await answerFromPrompt(harness, noah, ['400', '300', '300', '300', '400', '500', '200']);
    await harness.post(message(harness.connector.url, ola, channel, 'results automation'));
    const result = cardText(cardOf(harness.connector.activities().at(-1)));
    expect(result).toContain('Makers · General · November 2026');
    expect(result).toContain('2 people answered');
    expect(result).toContain('Overall: **200 Repeatable**');
    expect(result).toContain('Answers from 200 to 400');
    expect(result).toContain('Next best actions');
    // Replies went to the channel thread, never to a member's personal chat.
    expect(harness.connector.calls.every((call) => call.path.includes(encodeURIComponent('19:makers@thread.tacv2')))).toBe(true);
  });

  it('resumes after a restart of the bot: answers come back from storage', async () => {
    harness = await startHarness({ now: () => NOW });
    const where = personal(noah);
    await harness.post(message(harness.connector.url, noah, where, 'assess'));
    let card = cardOf(harness.connector.activities().at(-1));
    for (const level of ['200', '200', '300']) card = await answerInline(harness, noah, where, card, level);
    expect(cardText(card)).toContain('4 of 9');

    await harness.restart();
    await harness.post(message(harness.connector.url, noah, where, 'ASSESS  '));
    card = cardOf(harness.connector.activities().at(-1));
    expect(cardText(card)).toContain('4 of 9');
    const back = await harness.post(execute(harness.connector.url, noah, where, 'back', actionData(card, 'Back')));
    expect(cardText(back.body.value)).toContain('3 of 9');
    expect(back.body.value.body.find((element: any) => element.id === 'level').value).toBe('300');
  });

  it('refuses tampered submissions and changes nothing', async () => {
    harness = await startHarness({ now: () => NOW, env: { MIN_RESPONDENTS: '1' } });
    const where = personal(mia);
    await harness.post(message(harness.connector.url, mia, where, 'assess'));
    const card = cardOf(harness.connector.activities().at(-1));
    const data = actionData(card, 'Next');

    const asSomeoneElse = await harness.post(
      execute(harness.connector.url, mia, where, 'answer', { ...data, level: '300', memberId: noah.aadObjectId }),
    );
    expect(asSomeoneElse.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(asSomeoneElse.body.value).toContain('nothing was saved');

    const unknownCapability = await harness.post(
      execute(harness.connector.url, mia, where, 'answer', { ...data, capability: 'teleportation', level: '300' }),
    );
    expect(cardText(unknownCapability.body.value)).toContain('a question I don\'t have ("teleportation"). Nothing was saved.');

    const level700 = await harness.post(execute(harness.connector.url, mia, where, 'answer', { ...data, level: '700' }));
    expect(cardText(level700.body.value)).toContain('Choose the statement that fits best, or Not sure. Nothing was saved.');
    expect(cardText(level700.body.value)).toContain('1 of 9');

    const staleRound = await harness.post(
      execute(harness.connector.url, mia, where, 'answer', { ...data, round: '2026-10', level: '300' }),
    );
    expect(cardText(staleRound.body.value)).toContain('October 2026 round, which has closed');

    const changedQuestion = await harness.post(execute(harness.connector.url, mia, where, 'answer', { ...data, v: 'old', level: '300' }));
    expect(cardText(changedQuestion.body.value)).toContain('the question changed');

    const malformed = await harness.post({ ...execute(harness.connector.url, mia, where, 'answer', data), value: { nonsense: true } });
    expect(malformed.status).toBe(400);

    // Nothing above was stored: the member's summary still has no answers.
    await harness.post(message(harness.connector.url, mia, where, 'results'));
    expect(cardText(cardOf(harness.connector.activities().at(-1)))).toContain('You answered 0 of 9 questions');
  });

  it('counts a double submit once', async () => {
    const h = (harness = await startHarness({ now: () => NOW, env: { MIN_RESPONDENTS: '1' } }));
    const where: Where = { kind: 'groupChat', chatId: '19:chat@thread.v2' };
    await harness.post(message(harness.connector.url, ola, where, 'assess'));
    // In a group chat the question comes in a dialog; the same Next pressed twice.
    const prompt = cardOf(harness.connector.activities().at(-1));
    const opened = await harness.post(taskFetch(harness.connector.url, ola, where, actionData(prompt, 'Answer')));
    const card = opened.body.task.value.card.content;
    const submitTwice = () => h.post(taskSubmit(h.connector.url, ola, where, { ...actionData(card, 'Next'), level: '400' }));
    const first = (await submitTwice()).body.task.value.card.content;
    const second = (await submitTwice()).body.task.value.card.content;
    expect(cardText(first)).toContain('2 of 9');
    expect(cardText(second)).toContain('2 of 9');

    await harness.post(message(harness.connector.url, ola, where, 'results'));
    const result = cardText(cardOf(harness.connector.activities().at(-1)));
    expect(result).toContain('1 person answered');
  });

  it('answers help, unknown commands and unknown models with a pointer', async () => {
    harness = await startHarness({ now: () => NOW });
    const where = personal(mia);
    await harness.post(message(harness.connector.url, mia, where, 'help'));
    expect(cardText(cardOf(harness.connector.activities().at(-1)))).toContain('assess [adoption | automation | support]');
    await harness.post(message(harness.connector.url, mia, where, 'make me a sandwich'));
    expect(harness.connector.activities().at(-1)!.text).toContain('**help** for everything I can do');
    await harness.post(message(harness.connector.url, mia, where, 'assess cooking'));
    expect(harness.connector.activities().at(-1)!.text).toContain('I don\'t know the model "cooking"');
    const unusable = await harness.post(submit(harness.connector.url, mia, where, { verb: 'answer', model: 'adoption', extra: 1 }));
    expect(unusable.status).toBe(200);
    expect(harness.connector.activities().at(-1)!.text).toContain('nothing was saved');
  });

  it('refuses a malformed body before the bot runs', async () => {
    harness = await startHarness({ now: () => NOW });
    const response = await fetch(`${harness.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message",',
    });
    expect(response.status).toBe(400);
    const huge = await fetch(`${harness.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(300_000) }),
    });
    expect(huge.status).toBe(413);
  });
});
