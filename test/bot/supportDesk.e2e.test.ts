import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { execute, message, mia, noah, ola, type Member, type Where } from '../support/teams.js';

const NOW = new Date('2026-11-24T10:00:00Z');
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ now: () => NOW });
});
afterAll(async () => harness.close());

const personal = (member: Member): Where => ({ kind: 'personal', member });
const where = personal(ola);

type Facts = Record<string, string>;
const productivity: Facts = {
  'use-case': 'personal-or-small-team',
  complexity: 'simple',
  'user-base': 'me-or-small-team',
  'development-time': 'quick-iterations',
  'business-impact': 'low-impact',
  'external-users': 'no',
  'sensitive-data': 'no',
};

async function tier(facts: Facts) {
  const response = await harness.post(execute(harness.connector.url, ola, where, 'tier', { verb: 'tier', ...facts }));
  expect(response.status).toBe(200);
  return response.body;
}

async function ask(text: string, member: Member = ola) {
  await harness.post(message(harness.connector.url, member, personal(member), text));
  return harness.connector.activities().at(-1)!;
}

describe('help desk: which support tier applies to a solution', () => {
  it('offers the tier form on "support", with every fact the matrix asks', async () => {
    const form = cardOf(await ask('support'));
    const ids = form.body.filter((element: any) => element.type?.startsWith('Input.')).map((element: any) => element.id);
    expect(ids).toEqual([
      'solution',
      'use-case',
      'complexity',
      'user-base',
      'development-time',
      'business-impact',
      'external-users',
      'sensitive-data',
    ]);
    for (const input of form.body.filter((element: any) => element.type === 'Input.ChoiceSet'))
      expect(input).toMatchObject({ isRequired: true, errorMessage: expect.any(String) });
  });

  it('checks the choice ids used by these tests against the form', async () => {
    const form = cardOf(await ask('support'));
    for (const [id, value] of Object.entries(productivity)) {
      const input = form.body.find((element: any) => element.id === id);
      expect(
        input.choices.map((choice: any) => choice.value),
        id,
      ).toContain(value);
    }
  });

  const cases: Array<[string, Facts, string]> = [
    ['a personal productivity app', productivity, 'Maker supported (Productivity)'],
    ['a quick flow for a few colleagues with low impact', { ...productivity, complexity: 'simple' }, 'Maker supported (Productivity)'],
    [
      'a team app within one business unit',
      {
        ...productivity,
        'use-case': 'team-business-app',
        complexity: 'medium',
        'user-base': 'one-business-unit',
        'development-time': 'under-three-months',
        'business-impact': 'medium-impact',
      },
      'IT blessed (Important)',
    ],
    ['a small app with medium impact', { ...productivity, 'business-impact': 'medium-impact' }, 'IT blessed (Important)'],
    ['a small app used across one business unit', { ...productivity, 'user-base': 'one-business-unit' }, 'IT blessed (Important)'],
    [
      'an enterprise-wide mission-critical app',
      {
        'use-case': 'enterprise-or-mission-critical',
        complexity: 'high',
        'user-base': 'enterprise-wide',
        'development-time': 'longer-cycle',
        'business-impact': 'high-impact',
        'external-users': 'no',
        'sensitive-data': 'no',
      },
      'IT supported (Critical)',
    ],
    ['a simple app with high business impact', { ...productivity, 'business-impact': 'high-impact' }, 'IT supported (Critical)'],
    ['a small-team app used enterprise-wide', { ...productivity, 'user-base': 'enterprise-wide' }, 'IT supported (Critical)'],
    ['a personal app with external users', { ...productivity, 'external-users': 'yes' }, 'IT blessed (Important)'],
    ['a personal app with regulated data', { ...productivity, 'sensitive-data': 'yes' }, 'IT blessed (Important)'],
    [
      'an enterprise app with external users stays critical',
      { ...productivity, 'user-base': 'enterprise-wide', 'external-users': 'yes' },
      'IT supported (Critical)',
    ],
  ];
  it.each(cases)('%s → %s', async (_name, facts, expected) => {
    const body = await tier(facts);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const text = cardText(body.value);
    expect(text).toContain(expected);
    expect(text).toContain('What it needs');
    expect(text).toContain('Moving to the next tier');
    expect(text).toContain('not a Microsoft definition');
    expect(text).toMatch(/\]\(https:\/\/learn\.microsoft\.com\/power-platform\/guidance\/adoption\/support-strategy-solutions\)/);
  });

  it('says when answers pointed to different tiers and names the deciding answers', async () => {
    const mixed = cardText((await tier({ ...productivity, 'business-impact': 'high-impact', 'sensitive-data': 'yes' })).value);
    expect(mixed).toContain('the highest one wins');
    expect(mixed).toMatch(/impact/i);
    const uniform = cardText((await tier(productivity)).value);
    expect(uniform).not.toContain('the highest one wins');
  });

  it('names the solution when one is given', async () => {
    expect(cardText((await tier({ ...productivity, solution: 'Expense approvals' })).value)).toContain(
      'Support level for Expense approvals',
    );
  });

  it('returns the form naming what is missing for an incomplete submission', async () => {
    const { complexity: _omitted, ...incomplete } = productivity;
    const body = await tier(incomplete);
    const text = cardText(body.value);
    expect(text).toContain('Which support level applies?');
    expect(text).toContain('needs an answer');
    expect(body.value.body.find((element: any) => element.id === 'use-case').value).toBe('personal-or-small-team');
  });

  it('refuses a tampered submission', async () => {
    expect((await tier({ ...productivity, complexity: 'trivial' })).value).toBeDefined();
    expect(cardText((await tier({ ...productivity, complexity: 'trivial' })).value)).toContain('"trivial" is not an answer');
    const extra = await tier({ ...productivity, memberId: noah.aadObjectId });
    expect(extra.type).toBe('application/vnd.microsoft.activity.message');
    expect(extra.value).toContain('nothing was saved');
    const badYesNo = await tier({ ...productivity, 'external-users': 'maybe' });
    expect(badYesNo.type).toBe('application/vnd.microsoft.activity.message');
  });
});

describe('help desk: the organisation support maturity', () => {
  async function answerSupport(member: Member, level: string) {
    const asked = await ask('support maturity', member);
    let card = cardOf(asked);
    const change = card.actions?.find((action: any) => action.title === 'Change answers');
    if (change) {
      // Already answered: the summary offers "Change answers", as a person would use it.
      card = (await harness.post(execute(harness.connector.url, member, personal(member), 'change', change.data))).body.value;
    }
    const data = card.actions.find((action: any) => action.title === 'Next').data;
    const response = await harness.post(execute(harness.connector.url, member, personal(member), 'answer', { ...data, level }));
    expect(cardText(response.body.value)).toContain('Your support maturity');
  }

  it('is withheld below the minimum respondents, then reflects stored answers', async () => {
    const tenantHarness = harness;
    const before = cardText(cardOf(await ask('support level')));
    expect(before).toContain('The level appears once 3 people have answered');
    expect(before).not.toContain('For the help desk');

    await answerSupport(mia, '300');
    await answerSupport(noah, '200');
    const withTwo = cardText(cardOf(await ask('support level')));
    expect(withTwo).toContain('2 so far');

    await answerSupport(ola, '400');
    const level = cardText(cardOf(await ask('support level')));
    expect(level).toContain('300 Defined');
    expect(level).toContain('What the help desk is prepared to handle');
    expect(level).toContain('No SLAs yet');
    expect(level).toContain('What 400 Capable asks for');
    expect(level).toContain('SLAs are in place');
    expect(level).toContain('Answers from 200 to 400');
    expect(tenantHarness).toBe(harness);

    // A changed answer counts with its latest value.
    await answerSupport(noah, '400');
    await answerSupport(mia, '400');
    expect(cardText(cardOf(await ask('support level')))).toContain('400 Capable');
  });
});

describe('help desk: questions in plain words', () => {
  const questions: Array<[string, string | undefined]> = [
    ['Who supports a Power App used by the whole company?', 'IT supported (Critical)'],
    ['who looks after a flow that only my own team uses? just me really', 'Maker supported (Productivity)'],
    ['Which team supports an app for one department?', 'IT blessed (Important)'],
    ['Is there an SLA?', 'Support maturity 400 · Capable'],
    ['what response times do we promise?', 'Support maturity 400 · Capable'],
    ['Where do makers ask questions?', 'Support maturity 300 · Capable'.replace('Capable', 'Defined')],
    ['What does the help desk handle for Power Platform?', 'Support maturity 300 · Defined'],
    ['How do I escalate an issue with a critical app?', 'Support maturity 300 · Defined'],
    ['how do we raise a case with Microsoft support?', 'Support maturity 300 · Defined'],
    ['a maker left the company, how do we change owner of their flows?', 'Support maturity 500 · Efficient'],
    ['can a partner give 24/7 support?', 'IT supported (Critical)'],
    ['What support level applies to our expense app?', 'Which support level applies?'],
    ['how do I reset my laptop password', undefined],
    ['what is the weather like in Oslo', undefined],
  ];
  it.each(questions)('%s', async (question, expectedHeading) => {
    const reply = await ask(question);
    if (expectedHeading === undefined) {
      expect(reply.attachments).toBeUndefined();
      expect(reply.text).toContain("I don't know the answer to that one");
      expect(reply.text).toContain('**support**');
      return;
    }
    const card = cardOf(reply);
    expect(card.body[0].text).toBe(expectedHeading);
    if (expectedHeading !== 'Which support level applies?') {
      expect(cardText(card)).toContain('I matched your question on:');
      expect(cardText(card)).toMatch(/\]\(https:\/\/learn\.microsoft\.com\//);
    }
  });
});
