import path from 'node:path';
import {
  assessmentPromptCard,
  changePickerCard,
  questionCard,
  summaryCard,
  teamResultCard,
  type CardMode,
} from '../../src/cards/assessmentCards.js';
import { helpCard } from '../../src/cards/helpCard.js';
import { loadCardTemplates, type AdaptiveCard, type CardRenderer, type TemplateName } from '../../src/cards/templates.js';
import { loadContent, type Content } from '../../src/content/loadContent.js';
import { MODEL_IDS, type Level, type MaturityModel, type ModelId } from '../../src/model/content.js';
import { scoreCapability, scoreTeam, type Choice, type MemberAnswers } from '../../src/model/scoring.js';
import {
  supportAnswerCard,
  supportLevelCard,
  supportStatsCard,
  supportSuggestCard,
  supportTierAnswerCard,
  supportTierFormCard,
} from '../../src/cards/supportCards.js';
import { SupportAnswerer } from '../../src/model/supportAnswerer.js';
import { decideTier, type TierFacts } from '../../src/model/supportTier.js';
import { pulseCard } from '../../src/cards/pulseCards.js';
import { forgetConfirmCard, forgetOutcomeCard } from '../../src/cards/privacyCards.js';
import { orgSamples } from './orgSamples.js';

/**
 * One rendered card per situation a person meets, built from the real content/ and cards/ folders.
 * Shared by test/cards/cards.test.ts (structural checks) and scripts/cards-preview.ts (screenshots),
 * so what is tested is exactly what is looked at.
 */
export interface CardSample {
  /** File-name safe: the preview writes out/cards/<name>.png. */
  name: string;
  template: TemplateName;
  /** Only for cards whose actions depend on where they are shown. */
  mode?: CardMode;
  /** Question cards: whether this is the model's first question (which has no Back). */
  first?: boolean;
  /** Question cards opened from "Change answers" (Save and Cancel, no Back). */
  changing?: boolean;
  card: AdaptiveCard;
}

export interface CardSampleSet {
  content: Content;
  cards: CardRenderer;
  samples: CardSample[];
}

export const SAMPLE_ROUND = '2026-11';
export const SAMPLE_TEAM = 'Contoso Makers';
export const SAMPLE_MIN_RESPONDENTS = 3;

export function sampleModel(content: Content, id: ModelId): MaturityModel {
  const model = content.models[id];
  if (!model) throw new Error(`content has no ${id} model`);
  return model;
}

function capabilityId(model: MaturityModel, index: number): string {
  const capability = model.capabilities[index];
  if (!capability) throw new Error(`the ${model.id} model has no capability ${index + 1}`);
  return capability.id;
}

/** A question the member skipped: no answer recorded. */
const SKIPPED = undefined;

/** Levels by capability position; null is "Not sure", a missing position is unanswered (skipped). */
function member(model: MaturityModel, memberId: string, byIndex: ReadonlyArray<Choice | undefined>): MemberAnswers {
  const choices = new Map<string, Choice>();
  byIndex.forEach((choice, index) => {
    if (choice !== undefined && index < model.capabilities.length) choices.set(capabilityId(model, index), choice);
  });
  return { memberId, choices };
}

/**
 * Five members of a team on the adoption model (nine capabilities): spread on several capabilities,
 * one capability answered by too few people (withheld), one nobody chose a level for.
 */
function teamMembers(model: MaturityModel): MemberAnswers[] {
  const u = SKIPPED;
  const rows: Array<ReadonlyArray<Choice | undefined>> = [
    [200, 300, 200, 100, 300, 200, 300, 200, null],
    [200, 300, 300, 200, 200, 200, 400, u, null],
    [300, 200, 200, 200, 300, 200, 300, 300, u],
    [200, 400, 100, 200, u, null, 300, u, null],
    [100, 300, 200, 200, 300, 200, 300, u, u],
  ];
  return rows.map((row, index) => member(model, `member-${index + 1}`, row));
}

const openInDialog = (model: ModelId) => ({ verb: 'open', model, msteams: { type: 'task/fetch' } });

export function loadCardSamples(root: string = process.cwd()): CardSampleSet {
  const content = loadContent(path.resolve(root, 'content'));
  const cards = loadCardTemplates(path.resolve(root, 'cards'));
  const adoption = sampleModel(content, 'adoption');
  const middle = Math.floor(adoption.capabilities.length / 2);
  const notice = 'That answer is no longer valid — the question changed. Nothing was saved. Here it is again.';

  const question = (
    name: string,
    mode: CardMode,
    index: number,
    selected: Choice | undefined,
    withNotice: boolean,
    model: MaturityModel = adoption,
    changing = false,
  ): CardSample => ({
    name,
    template: 'question',
    mode,
    first: index === 0,
    changing,
    card: questionCard(cards, {
      model,
      pillars: content.pillars,
      index,
      selected,
      round: SAMPLE_ROUND,
      mode,
      changing,
      ...(withNotice ? { notice } : {}),
    }),
  });

  const own = member(adoption, 'me', [200, 300, null, 100, SKIPPED, 300, 200, 400, null]);
  /** A summary as a group chat or a channel's dialog shows it; `inTeam: false` is a personal chat's. */
  const summary = (name: string, mode: CardMode, answers: MemberAnswers, model: MaturityModel = adoption, inTeam = true): CardSample => ({
    name,
    template: 'summary',
    mode,
    card: summaryCard(cards, { model, choices: answers.choices, mode, inTeam }),
  });
  const picker = (name: string, mode: CardMode, withNotice: boolean): CardSample => ({
    name,
    template: 'changeAnswer',
    mode,
    card: changePickerCard(cards, {
      model: adoption,
      choices: own.choices,
      mode,
      ...(withNotice ? { notice: 'I don\'t have that question ("made-up"). Nothing was changed. Choose one of these.' } : {}),
    }),
  });
  const automation = sampleModel(content, 'automation');
  const support = sampleModel(content, 'support');

  const team = teamMembers(adoption);
  const ready = scoreTeam(adoption, team, SAMPLE_MIN_RESPONDENTS);
  if (ready.status !== 'ready') throw new Error('sample team should have enough respondents');
  const withheld = scoreTeam(adoption, team.slice(0, 1), SAMPLE_MIN_RESPONDENTS);
  if (withheld.status !== 'withheld') throw new Error('a single member should be withheld');

  const forget = { chat: 'a:1personal-chat', issued: new Date('2026-11-24T10:00:00Z'), validMinutes: 15 };
  const samples: CardSample[] = [
    { name: 'forgetMe-confirm', template: 'forgetMe', card: forgetConfirmCard(cards, { ...forget, answers: 23, assessments: 4 }) },
    { name: 'forgetMe-confirm-nothing', template: 'forgetMe', card: forgetConfirmCard(cards, { ...forget, answers: 0, assessments: 0 }) },
    {
      name: 'forgetMe-deleted',
      template: 'forgetMe',
      card: forgetOutcomeCard(cards, {
        heading: 'Deleted',
        text: 'Done. Team results no longer count you; if you answer again, only the new answers are kept.',
        items: ['I deleted 23 answers you gave, from 4 assessments.', 'I deleted my record of this chat.'],
      }),
    },
    {
      name: 'forgetMe-kept',
      template: 'forgetMe',
      card: forgetOutcomeCard(cards, { heading: 'Nothing was deleted', text: 'You kept everything.' }),
    },
    question('question-first-execute', 'execute', 0, undefined, false),
    question('question-middle-execute', 'execute', middle, 300 satisfies Level, true),
    question('question-first-submit', 'submit', 0, undefined, false),
    question('question-middle-submit', 'submit', middle, null, true),
    summary('summary-answered-execute', 'execute', own),
    summary('summary-answered-submit', 'submit', own),
    summary('summary-nothing-answered', 'execute', { memberId: 'me', choices: new Map() }),
    summary('summary-personal-execute', 'execute', own, adoption, false),
    // "Change answers": pick the question, then that question alone (Save and Cancel lead back to the summary).
    picker('changeAnswer-execute', 'execute', false),
    picker('changeAnswer-submit', 'submit', true),
    question('question-changing-execute', 'execute', 3, 100 satisfies Level, false, adoption, true),
    question('question-changing-submit', 'submit', 3, 100 satisfies Level, false, adoption, true),
    // Automation: HEAT pillars, a partial round (Continue), and steps whose links are the source's own (Discover & Plan 200).
    question('question-automation-execute', 'execute', 2, undefined, false, automation),
    summary('summary-automation-partial-execute', 'execute', member(automation, 'me', [300, 100, 200]), automation),
    question('question-support-execute', 'execute', 0, undefined, false, support),
    summary('summary-all-answered-execute', 'execute', member(adoption, 'me', [200, 300, 300, 200, 300, 300, 200, 400, 300])),
    {
      name: 'teamResult-ready',
      template: 'teamResult',
      card: teamResultCard(cards, {
        model: adoption,
        result: ready,
        teamName: SAMPLE_TEAM,
        round: SAMPLE_ROUND,
        answerData: openInDialog('adoption'),
      }),
    },
    {
      name: 'teamResult-withheld',
      template: 'teamResult',
      card: teamResultCard(cards, {
        model: adoption,
        result: withheld,
        teamName: SAMPLE_TEAM,
        round: SAMPLE_ROUND,
        answerData: { verb: 'assess', model: 'adoption' },
      }),
    },
    {
      name: 'assessmentPrompt',
      template: 'assessmentPrompt',
      card: assessmentPromptCard(cards, {
        model: adoption,
        minRespondents: SAMPLE_MIN_RESPONDENTS,
        openData: openInDialog('adoption'),
        resultsData: { verb: 'results', model: 'adoption' },
      }),
    },
    { name: 'help-personal', template: 'help', card: helpCard(cards, 'personal') },
    { name: 'help-channel', template: 'help', card: helpCard(cards, 'team') },
    { name: 'help-groupChat', template: 'help', card: helpCard(cards, 'groupChat') },
    {
      name: 'teamResult-trend-targets',
      template: 'teamResult',
      card: teamResultCard(cards, {
        model: adoption,
        result: scoreTeam(adoption, team, SAMPLE_MIN_RESPONDENTS, new Map([[capabilityId(adoption, 3), 300]])),
        teamName: SAMPLE_TEAM,
        round: SAMPLE_ROUND,
        answerData: openInDialog('adoption'),
        trends: new Map([
          [capabilityId(adoption, 0), { direction: 'up' as const, previous: 100 as Level }],
          [capabilityId(adoption, 1), { direction: 'down' as const, previous: 400 as Level }],
          [capabilityId(adoption, 2), { direction: 'same' as const, previous: 200 as Level }],
        ]),
        targets: new Map([
          [capabilityId(adoption, 3), 300],
          [capabilityId(adoption, 1), 300],
        ]),
      }),
    },
    {
      name: 'pulse-open',
      template: 'pulse',
      card: pulseCard(cards, {
        model: adoption,
        round: SAMPLE_ROUND,
        closesOn: 'Monday 14 December',
        answered: 4,
        open: true,
        minRespondents: SAMPLE_MIN_RESPONDENTS,
      }),
    },
    {
      name: 'pulse-closed',
      template: 'pulse',
      card: pulseCard(cards, {
        model: adoption,
        round: SAMPLE_ROUND,
        closesOn: 'Monday 14 December',
        answered: 7,
        open: false,
        minRespondents: SAMPLE_MIN_RESPONDENTS,
      }),
    },
    ...supportSamples(content, cards),
    ...orgSamples(content, cards, SAMPLE_ROUND, SAMPLE_MIN_RESPONDENTS),
  ];
  return { content, cards, samples };
}

/**
 * The help desk's cards: the tier form (fresh, with a notice, pre-filled from a question), tier answers (from the
 * form with a consideration and a lift, from a question's facts, the top tier after a rating), an entry answer,
 * "Did you mean", the support level (shown and withheld) and the CoE's stats.
 */
function supportSamples(content: Content, cards: CardRenderer): CardSample[] {
  const { support } = content;
  const answerer = new SupportAnswerer(support);
  const ask = <K extends ReturnType<SupportAnswerer['answer']>['kind']>(question: string, kind: K) => {
    const answer = answerer.answer(question);
    if (answer.kind !== kind) throw new Error(`The sample question "${question}" should give a ${kind}, got ${answer.kind}`);
    return answer as Extract<ReturnType<SupportAnswerer['answer']>, { kind: K }>;
  };
  const choose = (tierIndex: number) =>
    Object.fromEntries(support.tiers.criteria.map((criterion) => [criterion.id, criterion.choices[tierIndex]!.id]));
  const byId = (id: string, index: number) => support.tiers.criteria.find((criterion) => criterion.id === id)!.choices[index]!.id;
  const mixed = {
    choices: { ...choose(0), 'user-base': byId('user-base', 1), complexity: byId('complexity', 2) },
    escalators: { 'external-users': true, 'sensitive-data': false },
  };
  const critical = { choices: choose(2), escalators: { 'external-users': false, 'sensitive-data': false } };
  const members = ([300, 300, 200, 400] as const).map((level, index) => ({
    memberId: `m${index}`,
    choices: new Map([['support-strategy', level as Choice]]),
  }));
  const score = scoreCapability(support.model.capabilities[0]!, members, SAMPLE_MIN_RESPONDENTS);
  const entry = ask('Is there an SLA for Power Platform?', 'entry');
  const facts = ask('which tier for a Power App used by ~5000 people across every region', 'tier');
  const prefilled = ask('what tier is an app with sensitive data', 'form');
  const suggest = ask('community questions', 'suggest');
  const formKey = (tierFacts: TierFacts) => ({
    kind: 'tier' as const,
    from: 'form' as const,
    solution: 'Expense approvals',
    evidence: {},
    ...tierFacts,
  });
  const keys = {
    unanswered: 'unanswered',
    suggested: 'did-you-mean',
    tierFromQuestion: 'tier-from-question',
    tierFromForm: 'tier-from-form',
  };
  const counts = [
    { month: '2026-10', key: 'sla', asked: 4, up: 3, down: 0 },
    { month: '2026-11', key: 'sla', asked: 6, up: 2, down: 1 },
    { month: '2026-11', key: 'contact-coe', asked: 3, up: 0, down: 2 },
    { month: '2026-11', key: 'tier-from-question', asked: 5, up: 4, down: 0 },
    { month: '2026-11', key: 'unanswered', asked: 7, up: 0, down: 0 },
    { month: '2026-11', key: 'did-you-mean', asked: 2, up: 0, down: 0 },
  ];
  return [
    { name: 'supportTierForm', template: 'supportTierForm', card: supportTierFormCard(cards, support) },
    {
      name: 'supportTierForm-notice',
      template: 'supportTierForm',
      card: supportTierFormCard(cards, support, {
        submission: { solution: 'Expense approvals', facts: { choices: choose(1), escalators: {} } },
        notice: '"Do people outside your organisation use it?" needs a yes or no.',
      }),
    },
    {
      name: 'supportTierForm-prefilled',
      template: 'supportTierForm',
      card: supportTierFormCard(cards, support, { submission: { solution: '', facts: prefilled.facts }, understood: prefilled.understood }),
    },
    {
      name: 'supportTierAnswer-mixed',
      template: 'supportTierAnswer',
      card: supportTierAnswerCard(cards, support, {
        solution: 'Expense approvals',
        decision: decideTier(support.tiers, mixed),
        feedback: { key: formKey(mixed) },
      }),
    },
    {
      name: 'supportTierAnswer-question',
      template: 'supportTierAnswer',
      card: supportTierAnswerCard(cards, support, {
        solution: '',
        decision: facts.decision,
        fromQuestion: { matchedOn: facts.matchedOn, facts: facts.facts },
        feedback: { key: { kind: 'tier', from: 'question', solution: '', ...facts.facts, evidence: facts.evidence } },
      }),
    },
    {
      name: 'supportTierAnswer-critical-rated',
      template: 'supportTierAnswer',
      card: supportTierAnswerCard(cards, support, {
        solution: 'Order management',
        decision: decideTier(support.tiers, critical),
        feedback: { key: formKey(critical), given: 'up' },
      }),
    },
    {
      name: 'supportLevel',
      template: 'supportLevel',
      card: supportLevelCard(cards, { support, score, respondents: members.length, minimum: SAMPLE_MIN_RESPONDENTS, answered: true }),
    },
    {
      name: 'supportLevel-withheld',
      template: 'supportLevel',
      card: supportLevelCard(cards, { support, score: undefined, respondents: 2, minimum: SAMPLE_MIN_RESPONDENTS, answered: false }),
    },
    {
      name: 'supportAnswer',
      template: 'supportAnswer',
      card: supportAnswerCard(cards, support, {
        entry: entry.entry,
        matchedOn: entry.matchedOn,
        feedback: { key: { kind: 'entry', entry: entry.entry.id, matchedOn: entry.matchedOn } },
      }),
    },
    {
      name: 'supportAnswer-rated',
      template: 'supportAnswer',
      card: supportAnswerCard(cards, support, {
        entry: support.questions.entries.find((candidate) => candidate.id === 'tier-important')!,
        matchedOn: [],
        feedback: { key: { kind: 'entry', entry: 'tier-important', matchedOn: [] }, given: 'down' },
      }),
    },
    { name: 'supportSuggest', template: 'supportSuggest', card: supportSuggestCard(cards, suggest.entries, suggest.matchedOn) },
    {
      name: 'supportStats',
      template: 'supportStats',
      card: supportStatsCard(cards, {
        support,
        months: ['2026-09', '2026-10', '2026-11'],
        counts,
        questions: [
          { month: '2026-11', text: 'how do I get a licence for Power BI', at: '2026-11-20T10:00:00Z' },
          { month: '2026-11', text: 'who maintains the gateway', at: '2026-11-19T10:00:00Z' },
        ],
        keepsQuestions: true,
        personal: true,
        keys,
      }),
    },
    {
      name: 'supportStats-channel',
      template: 'supportStats',
      card: supportStatsCard(cards, {
        support,
        months: ['2026-09', '2026-10', '2026-11'],
        counts,
        questions: undefined,
        keepsQuestions: false,
        personal: false,
        keys,
      }),
    },
  ];
}

/** A question card for every capability of every model, so every content entry goes through a template. */
export function everyQuestion(set: CardSampleSet, mode: CardMode): CardSample[] {
  return MODEL_IDS.flatMap((modelId) => {
    const model = sampleModel(set.content, modelId);
    return model.capabilities.map((capability, index) => ({
      name: `question-${modelId}-${capability.id}-${mode}`,
      template: 'question' as const,
      mode,
      first: index === 0,
      card: questionCard(set.cards, { model, pillars: set.content.pillars, index, selected: undefined, round: SAMPLE_ROUND, mode }),
    }));
  });
}
