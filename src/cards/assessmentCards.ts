import { hasUrl, LEVEL_NAMES, type Link, type MaturityModel, type Opportunity, type Pillar } from '../model/content.js';
import { capabilityVersion, levelBar, levelName } from '../model/levels.js';
import { roundLabel } from '../model/round.js';
import type { CapabilityScore, Choice, NextAction, TeamResult } from '../model/scoring.js';
import { NOT_SURE_VALUE, type CardActionData } from './cardActions.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

/** Inline cards in chats use Universal Actions; cards inside a Teams dialog can only submit. */
export type CardMode = 'execute' | 'submit';

const MAX_STEPS = 3;
const MAX_TEAM_STEPS = 5;
const MAX_LINKS_PER_STEP = 3;
const MAX_OPPORTUNITIES = 5;

export function markdownLinks(links: readonly Link[], max = MAX_LINKS_PER_STEP): string {
  const seen = new Set<string>();
  return links
    .filter(hasUrl)
    .filter((link) => !seen.has(link.url) && seen.add(link.url))
    .slice(0, max)
    .map((link) => `[${link.title}](${link.url})`)
    .join(' · ');
}

export function choiceValue(choice: Choice | undefined): string {
  if (choice === undefined) return '';
  return choice === null ? NOT_SURE_VALUE : String(choice);
}

export interface QuestionView {
  model: MaturityModel;
  pillars: readonly Pillar[];
  index: number;
  selected: Choice | undefined;
  round: string;
  mode: CardMode;
  notice?: string;
}

export function questionCard(cards: CardRenderer, view: QuestionView): AdaptiveCard {
  const { model, index } = view;
  const capability = model.capabilities[index];
  if (!capability) throw new Error(`No question ${index + 1} in the ${model.id} model`);
  const base = { model: model.id as CardActionData['model'], capability: capability.id, round: view.round, v: capabilityVersion(capability) };
  return cards.render('question', {
    modelTitle: model.shortTitle,
    capabilityTitle: capability.title,
    progress: `${index + 1} of ${model.capabilities.length}`,
    pillarTitle: view.pillars.find((pillar) => pillar.id === capability.pillar)?.title ?? capability.pillar,
    notice: view.notice ?? '',
    question: model.question,
    choices: [
      ...capability.levels.map((level) => ({ title: `${LEVEL_NAMES[level.level]} (${level.level}) — ${level.choice}`, value: String(level.level) })),
      { title: 'Not sure', value: NOT_SURE_VALUE },
    ],
    selected: choiceValue(view.selected),
    learnMoreUrl: hasUrl(capability.learnMore) ? capability.learnMore.url : model.source.find(hasUrl)?.url ?? '',
    mode: view.mode,
    hasBack: index > 0,
    answerData: { verb: 'answer', ...base },
    backData: { verb: 'back', ...base },
    skipData: { verb: 'skip', ...base },
  });
}

function scoreRows(scores: readonly CapabilityScore[], describe: (score: CapabilityScore) => string) {
  return [...scores]
    .sort((a, b) => (a.level ?? 0) - (b.level ?? 0))
    .map((score) => ({ title: score.capability.title, bar: `${levelBar(score.level)}${describe(score)}` }));
}

function stepRows(actions: readonly NextAction[], max: number) {
  return actions.slice(0, max).map((action) => ({
    title: `${action.capability.title} → ${levelName(action.next.level)}`,
    text: action.next.state,
    links: markdownLinks([...action.next.indicators.flatMap((indicator) => indicator.links), ...action.next.resources]),
  }));
}

function opportunityRows(opportunities: readonly Opportunity[]) {
  return opportunities.slice(0, MAX_OPPORTUNITIES).map((opportunity) => {
    const links = markdownLinks(opportunity.links);
    return { text: links ? `${opportunity.text} (${links})` : opportunity.text };
  });
}

function opportunitiesHeading(model: MaturityModel, level: number | null): string {
  const entry = model.levels.find((candidate) => candidate.level === (level ?? 100));
  return entry ? `Opportunities at ${entry.name}` : 'Opportunities';
}

export interface SummaryView {
  model: MaturityModel;
  result: Extract<TeamResult, { status: 'ready' }>;
  answered: number;
  notSure: number;
  /** Actions are Universal Actions, which only work on cards in a chat, not inside a dialog. */
  mode: CardMode;
}

export function summaryCard(cards: CardRenderer, view: SummaryView): AdaptiveCard {
  const { model, result } = view;
  const overall = result.overall;
  const total = model.capabilities.length;
  const data = (verb: CardActionData['verb']): CardActionData => ({ verb, model: model.id as CardActionData['model'] });
  return cards.render('summary', {
    heading: `Your ${model.shortTitle.toLowerCase()} maturity`,
    answeredLine: `You answered ${view.answered} of ${total} questions${view.notSure > 0 ? ` (${view.notSure} Not sure)` : ''}.`,
    overallLine:
      overall.level === null
        ? 'Choose a level for at least one question to see where you stand.'
        : `Overall: **${levelName(overall.level)}**, your weakest capability (mean ${overall.mean}).`,
    rows: scoreRows(result.capabilities, () => ''),
    steps: stepRows(result.nextActions, MAX_STEPS),
    opportunitiesHeading: opportunitiesHeading(model, overall.level),
    opportunities: opportunityRows(result.opportunities),
    actions:
      view.mode === 'execute'
        ? [
            { title: "See the team's results", verb: 'results', data: data('results') },
            { title: 'Change an answer', verb: 'change', data: data('change') },
          ]
        : [],
  });
}

export interface TeamResultView {
  model: MaturityModel;
  result: TeamResult;
  teamName: string;
  round: string;
  /** The data of the "Answer now" button: opens the dialog in a channel, starts inline in a chat. */
  answerData: Record<string, unknown>;
}

function spread(score: CapabilityScore): string {
  if (score.withheld) return ` · not enough answers yet (${score.respondents})`;
  if (score.level === null) return ' · no answers yet';
  if (score.lowest !== null && score.highest !== null && score.lowest !== score.highest) {
    return ` · answers from ${score.lowest} to ${score.highest}`;
  }
  return '';
}

export function teamResultCard(cards: CardRenderer, view: TeamResultView): AdaptiveCard {
  const { model, result } = view;
  const common = {
    heading: `${view.teamName} · ${roundLabel(view.round)}`,
    subheading: `${model.shortTitle} maturity`,
    actions: [{ title: 'Answer now', data: view.answerData }],
    detail: '',
  };
  if (result.status === 'withheld') {
    return cards.render('teamResult', {
      ...common,
      withheld: true,
      withheldLine: `Results appear once ${result.minimum} people have answered — ${result.respondents} so far.`,
      overallLine: '',
      respondentsLine: '',
      rows: [],
      steps: [],
      opportunitiesHeading: '',
      opportunities: [],
    });
  }
  const { overall } = result;
  return cards.render('teamResult', {
    ...common,
    withheld: false,
    withheldLine: '',
    overallLine:
      overall.level === null
        ? 'No capability has enough answers for a level yet.'
        : `Overall: **${levelName(overall.level)}** (the weakest capability) · mean ${overall.mean}` +
          (overall.basedOn < model.capabilities.length ? ` · based on ${overall.basedOn} of ${model.capabilities.length} capabilities` : ''),
    respondentsLine: `${result.respondents} ${result.respondents === 1 ? 'person' : 'people'} answered`,
    rows: scoreRows(result.capabilities, spread).map((row) => ({ ...row, detail: '' })),
    steps: stepRows(result.nextActions, MAX_TEAM_STEPS),
    opportunitiesHeading: opportunitiesHeading(model, overall.level),
    opportunities: opportunityRows(result.opportunities),
  });
}

export interface PromptView {
  model: MaturityModel;
  minRespondents: number;
  openData: Record<string, unknown>;
  resultsData: Record<string, unknown>;
}

/** Posted in a channel: members answer in a dialog, so the channel never fills with question cards. */
export function assessmentPromptCard(cards: CardRenderer, view: PromptView): AdaptiveCard {
  const questions = view.model.capabilities.length;
  return cards.render('assessmentPrompt', {
    heading: `${view.model.shortTitle} maturity assessment`,
    description: view.model.description,
    effortLine: `About ${Math.max(1, Math.round(questions / 3))} minutes, ${questions} ${questions === 1 ? 'question' : 'questions'}. You can stop and pick up later.`,
    privacyLine: `Your answers stay private: the channel sees only the team's levels, once ${view.minRespondents} people have answered.`,
    openData: view.openData,
    resultsData: view.resultsData,
  });
}
