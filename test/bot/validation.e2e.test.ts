import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerRows } from '../support/answers.js';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { activity, message, mia, submit, type Where } from '../support/teams.js';

// Command arguments and submissions that the other e2e tests do not cover: each is refused with words that say
// what to do, and nothing is stored.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => harness.close());

const where: Where = { kind: 'personal', member: mia };
async function say(text: string) {
  expect((await harness.post(message(harness.connector.url, mia, where, text))).status).toBe(200);
  return harness.connector.activities().at(-1)!;
}

describe('input validation through /api/messages', () => {
  it('refuses extra words after a model name instead of ignoring them', async () => {
    expect((await say('assess adoption please')).text).toContain('I don\'t know the model "adoption please"');
    expect((await say('results automation now')).text).toContain('I don\'t know the model "automation now"');
  });

  it('refuses a message too long to be a command or a question, before matching it', async () => {
    expect((await say(`support ${'why '.repeat(400)}`)).text).toContain('longer than I can read (1000 characters at most)');
  });

  it('reads "support" followed by a question as a help-desk question', async () => {
    const answer = await say('support who supports a Power App used by the whole company?');
    expect(cardText(cardOf(answer))).toContain('IT supported (Critical)');
  });

  it('refuses card submissions that are not objects, or not what cards send', async () => {
    for (const value of ['answer', 42, ['answer'], { verb: 'answer', model: 'adoption', level: 'x'.repeat(50) }]) {
      harness.connector.clear();
      const response = await harness.post({ ...submit(harness.connector.url, mia, where, {}), value });
      expect(response.status, JSON.stringify(value)).toBe(200);
      expect(String(harness.connector.activities().at(-1)?.text), JSON.stringify(value)).toContain('nothing was saved');
    }
    for (const name of ['task/fetch', 'task/submit']) {
      const response = await harness.post(
        activity(harness.connector.url, mia, where, { type: 'invoke', name, value: { data: 'not an object' } }),
      );
      expect(response.status, name).toBe(400);
      expect(response.body.value.message).toContain('nothing was saved');
    }
    expect(await answerRows(harness.tablePrefix)).toEqual([]);
  });
});
