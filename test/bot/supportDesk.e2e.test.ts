import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roundOf } from '../../src/model/round.js';
import { TableSupportStatsStore } from '../../src/store/supportStatsStore.js';
import { openTable } from '../../src/store/tables.js';
import { cardOf, cardText, startHarness, type Harness } from '../support/botHarness.js';
import { execute, message, mia, noah, ola, TENANT, type Member, type Where } from '../support/teams.js';

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
    // The top tier has no next tier: its card says what keeps it supported instead.
    expect(text).toContain(expected === 'IT supported (Critical)' ? 'At the top tier' : 'Moving to the next tier');
    if (expected === 'IT supported (Critical)') expect(text).not.toContain('Moving to the next tier');
    expect(text).toContain('not a Microsoft definition');
    expect(text).toMatch(/\]\(https:\/\/learn\.microsoft\.com\/power-platform\/guidance\/adoption\/support-strategy-solutions\)/);
  });

  it('says when answers pointed to different tiers and names the deciding answers', async () => {
    const mixed = cardText((await tier({ ...productivity, 'business-impact': 'high-impact', 'sensitive-data': 'yes' })).value);
    expect(mixed).toContain('the higher one wins');
    expect(mixed).toMatch(/impact/i);
    const uniform = cardText((await tier(productivity)).value);
    expect(uniform).not.toContain('the higher one wins');
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
    // A first answer is Next; changing the one answer of this model is Save (back to the summary).
    const data = card.actions.find((action: any) => action.title === 'Next' || action.title === 'Save').data;
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

describe('help desk: the questions it used to send to the wrong answer (issue 12), and paraphrases of each', () => {
  /** The heading a person sees first, and a phrase the answer must say. */
  const cases: Array<[string, string, RegExp]> = [
    ['raise a support ticket', 'Support maturity 300 · Defined', /Raise it with the help desk/],
    ['how do I open a support case?', 'Support maturity 300 · Defined', /Raise it with the help desk/],
    ['where do I submit a support request', 'Support maturity 300 · Defined', /Raise it with the help desk/],
    ["my flow's response time is slow", 'Support maturity 300 · Defined', /whoever supports that solution/],
    ['the leave request app keeps crashing', 'Support maturity 300 · Defined', /whoever supports that solution/],
    ['share my app with everyone', 'IT blessed (Important)', /more formal support/],
    ['I want to share my flow with the whole company', 'IT blessed (Important)', /more formal support/],
    ['is the help desk available 24/7?', 'Support maturity 400 · Capable', /on call/],
    ['can I reach the service desk at the weekend?', 'Support maturity 400 · Capable', /on call/],
    ['who is the owner of this app?', 'Support maturity 500 · Efficient', /Ownership follows the solution's tier/],
    ['who owns the travel booking flow?', 'Support maturity 500 · Efficient', /Ownership follows the solution's tier/],
    ['how do I contact the CoE team?', 'Support maturity 300 · Defined', /internal discussion channel/],
    ['how can I get in touch with the centre of excellence', 'Support maturity 300 · Defined', /internal discussion channel/],
    ['escalate to Microsoft support', 'Support maturity 300 · Defined', /Microsoft support: an admin raises the ticket/],
    ['we need to open a case with microsoft about a platform bug', 'Support maturity 300 · Defined', /Microsoft support/],
    ['a Teams channel for maker Q&A the CoE barely looks at', 'Support maturity 200 · Repeatable', /little oversight/],
    ['our makers chat in a yammer group nobody from the CoE reads', 'Support maturity 200 · Repeatable', /little oversight/],
    ['which tier for a Power App used by ~5000 people across every region', 'IT supported (Critical)', /5000 people/],
    ['what does IT blessed mean?', 'IT blessed (Important)', /IT blesses it/],
    ['what is the meaning of maker supported', 'Maker supported (Productivity)', /The maker supports it personally/],
    ['a canvas app all 8,000 of our staff use', 'IT supported (Critical)', /8,000 of our staff/],
    ['a flow 12,000 employees rely on', 'IT supported (Critical)', /12,000 employees/],
    ['if it goes down the factory stops', 'IT supported (Critical)', /goes down/],
    ['if this app breaks nobody gets paid', 'IT supported (Critical)', /breaks nobody/],
    ['who suports org-wide flows', 'IT supported (Critical)', /org-wide/],
    ['who supports an app used by my team of five?', 'Maker supported (Productivity)', /team of five/],
    ['support for an app used by one department', 'IT blessed (Important)', /department/],
  ];
  it.each(cases)('%s → %s', async (question, heading, says) => {
    const card = cardOf(await ask(question));
    expect(card.body[0].text).toBe(heading);
    const text = cardText(card);
    expect(text).toMatch(says);
    if (heading !== 'Which support level applies?') expect(text).toContain('I matched your question on:');
  });

  it('opens the tier form pre-filled when the question gives facts that do not decide the tier', async () => {
    const form = cardOf(await ask('what tier for a highly complex app that handles salary data?'));
    expect(form.body[0].text).toBe('Which support level applies?');
    expect(form.body.find((element: any) => element.id === 'complexity').value).toBe('high');
    expect(form.body.find((element: any) => element.id === 'sensitive-data').value).toBe('yes');
    expect(form.body.find((element: any) => element.id === 'business-impact').value).toBe('');
    expect(cardText(form)).toContain('“highly complex”');
  });

  it('offers "Did you mean" buttons when unsure, and answers the one picked', async () => {
    const card = cardOf(await ask('community questions'));
    expect(card.body[0].text).toBe('Did you mean…');
    const picks = card.body.filter((element: any) => element.selectAction?.verb === 'supportpick');
    expect(picks.length).toBeGreaterThanOrEqual(2);
    expect(picks.length).toBeLessThanOrEqual(3);
    const { data, verb } = picks[0].selectAction;
    const response = await harness.post(execute(harness.connector.url, ola, where, verb, data));
    expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(response.body.value)).toContain(picks[0].selectAction.title);
  });

  it('says plainly that it does not know, pointing to support and help', async () => {
    const reply = await ask('what is the capital of Peru');
    expect(reply.attachments).toBeUndefined();
    expect(reply.text).toContain("I don't know");
    expect(reply.text).toContain('**support**');
    expect(reply.text).toContain('**help**');
  });

  it('takes a 👍 or 👎 on an answer, shows the same answer with thanks, and counts it for the organisation', async () => {
    const card = cardOf(await ask('is there an SLA for power apps?'));
    const down = card.body.find((element: any) => element.type === 'ActionSet').actions.find((action: any) => action.data.vote === 'down');
    const response = await harness.post(execute(harness.connector.url, ola, where, down.verb, down.data));
    const rated = cardText(response.body.value);
    expect(rated).toContain('SLAs for help desk and extended support');
    expect(rated).toContain('noted as not helpful');
    expect(response.body.value.body.some((element: any) => element.type === 'ActionSet')).toBe(false);
    const store = new TableSupportStatsStore(await openTable(inject('azuriteConnectionString'), `${harness.tablePrefix}supportstats`));
    await expect
      .poll(async () => (await store.counts(TENANT, [roundOf(NOW)])).find((row) => row.key === 'sla'), { timeout: 10_000 })
      .toMatchObject({ asked: expect.any(Number), down: 1 });
  });

  it('refuses a tampered rating', async () => {
    const response = await harness.post(
      execute(harness.connector.url, ola, where, 'supportrate', {
        verb: 'supportrate',
        vote: 'up',
        answer: '{"kind":"entry","entry":"nope"',
      }),
    );
    expect(response.body.type).toBe('application/vnd.microsoft.activity.message');
  });
});

describe('help desk: questions that start with a command word', () => {
  it('reads "help desk …" as a question, while "help" alone is still the help card', async () => {
    const question = cardOf(await ask('help desk opening hours?'));
    expect(question.body[0].text).toBe('Support maturity 400 · Capable');
    expect(cardText(cardOf(await ask('help')))).toContain('support');
  });
});

describe('help desk: support stats for CoE admins', () => {
  let admin: Harness;
  beforeAll(async () => {
    admin = await startHarness({ now: () => NOW, env: { COE_ADMINS: ola.aadObjectId, SUPPORT_KEEP_UNANSWERED: 'true' } });
  });
  afterAll(async () => admin.close());
  const say = async (member: Member, text: string, at: Where = personal(member)) => {
    await admin.post(message(admin.connector.url, member, at, text));
    return admin.connector.activities().at(-1)!;
  };

  it('counts answers and unanswered questions per month; question texts only in the admin personal chat', async () => {
    await say(mia, 'is there an SLA?');
    await say(mia, 'what is the airspeed of a swallow');
    await expect
      .poll(async () => cardText(cardOf(await say(ola, 'support stats'))), { timeout: 10_000 })
      .toMatch(/1 answered · 1 unanswered/);
    const personalStats = cardText(cardOf(await say(ola, 'support stats')));
    expect(personalStats).toContain('what is the airspeed of a swallow');
    expect(personalStats).toContain('SLAs for help desk and extended support: asked 1');
    const channel: Where = { kind: 'channel', channelId: '19:stats@thread.tacv2', teamName: 'CoE' };
    const channelStats = cardText(cardOf(await say(ola, 'support stats', channel)));
    expect(channelStats).toContain('1 unanswered');
    expect(channelStats).not.toContain('airspeed');
  });

  it('refuses anyone who is not a CoE admin', async () => {
    const reply = await say(mia, 'support stats');
    expect(reply.text).toContain('Only CoE admins can run **support stats**');
  });
});

describe('help desk: support level for someone who just answered', () => {
  it('does not ask them to answer again', async () => {
    const fresh = await startHarness({ now: () => NOW });
    try {
      await fresh.post(message(fresh.connector.url, noah, personal(noah), 'support maturity'));
      const card = cardOf(fresh.connector.activities().at(-1));
      // A first answer is Next; changing the one answer of this model is Save (back to the summary).
      const data = card.actions.find((action: any) => action.title === 'Next' || action.title === 'Save').data;
      await fresh.post(execute(fresh.connector.url, noah, personal(noah), 'answer', { ...data, level: '300' }));
      await fresh.post(message(fresh.connector.url, noah, personal(noah), 'support level'));
      const text = cardText(cardOf(fresh.connector.activities().at(-1)));
      expect(text).not.toContain('Type **support maturity** to answer it');
      expect(text).toContain('Yours is counted');
    } finally {
      await fresh.close();
    }
  });
});

describe('help desk: the one-question support model reads naturally', () => {
  it('says "You answered the question", with no weakest capability to name', async () => {
    const fresh = await startHarness({ now: () => NOW });
    try {
      await fresh.post(message(fresh.connector.url, mia, personal(mia), 'support maturity'));
      const data = cardOf(fresh.connector.activities().at(-1)).actions.find((action: any) => action.title === 'Next').data;
      const summary = cardText(
        (await fresh.post(execute(fresh.connector.url, mia, personal(mia), 'answer', { ...data, level: '300' }))).body.value,
      );
      expect(summary).toContain('You answered the question.');
      expect(summary).not.toContain('1 of 1');
      expect(summary).not.toContain('weakest capability');
      expect(summary).toContain('300 Defined');
    } finally {
      await fresh.close();
    }
  });
});
