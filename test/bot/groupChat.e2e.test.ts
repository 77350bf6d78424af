import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerData } from '../support/answers.js';
import { actionData, cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { answerInDialog } from '../support/dialog.js';
import { message, mia, noah, submit, type Where } from '../support/teams.js';

// A group chat is read by everyone in it: a member answers in a dialog only they see, and nothing of their own
// (summary, levels, a question with their earlier answer chosen) is ever posted there. The team result stays
// withheld below the minimum number of respondents.
const chat: Where = { kind: 'groupChat', chatId: '19:privacy-group@thread.v2' };
const LEVELS = ['400', '400', '400', '400', '400', '400', '400', '400', '400'];
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ env: { MIN_RESPONDENTS: '3' } });
});
afterAll(async () => harness?.close());

/** Everything the bot posted to the group chat since `from`, as the other members see it. */
function postedToChat(from: number): string[] {
  return harness.connector
    .activities()
    .slice(from)
    .map((sent) => {
      try {
        return cardText(cardOf(sent));
      } catch {
        return String(sent.text ?? '');
      }
    });
}

describe('in a group chat', () => {
  it('never posts a member’s own answers, summary or levels where the others read them, and withholds the team result', async () => {
    const start = harness.connector.activities().length;
    await harness.post(message(harness.connector.url, mia, chat, 'assess'));
    const prompt = cardOf(harness.connector.activities().at(-1));
    // Answering happens in a dialog (the invoke's own response), not in the chat.
    const last = await answerInDialog(harness, mia, chat, actionData(prompt, 'Answer'), LEVELS);
    expect(cardText(last)).toContain('400');

    // After finishing: typing assess again, and pressing Answer on an older card (an Action.Submit with verb assess).
    await harness.post(message(harness.connector.url, mia, chat, 'assess'));
    await harness.post(submit(harness.connector.url, mia, chat, { verb: 'assess', model: 'adoption' }));
    await harness.post(message(harness.connector.url, mia, chat, 'results'));
    // And a stale question card pressed in the chat (Action.Submit): refused or answered privately, never posted.
    await harness.post(submit(harness.connector.url, mia, chat, answerData('adoption', 0, '500')));

    const posted = postedToChat(start);
    expect(posted.length).toBeGreaterThan(0);
    for (const text of posted) {
      expect(text).not.toMatch(/\byour\b.*maturity|You answered|400 Capable|Capable/i);
      expect(text).not.toMatch(/\d of 9/);
    }
    // Nothing posted carries a question (an input a member's earlier answer could be pre-selected in).
    for (const sent of harness.connector.activities().slice(start)) expect(JSON.stringify(sent)).not.toContain('Input.ChoiceSet');
    // The team result: 1 of 3 answered, so no level.
    expect(posted.some((text) => /Results appear once 3 people have answered — 1 so far/.test(text))).toBe(true);

    // Another member sees only the prompt and the withheld result, whatever they press.
    const before = harness.connector.activities().length;
    await harness.post(message(harness.connector.url, noah, chat, 'results'));
    expect(postedToChat(before).join('\n')).not.toMatch(/400|Capable/);
  });
});
