import { hasUrl, LEVEL_NAMES, type Level, type Link, type MaturityModel, type Opportunity, type Pillar } from '../model/content.js';
import { stepLinks } from '../model/stepLinks.js';
import { capabilityVersion, levelBar, levelName } from '../model/levels.js';
import { previousRound, roundLabel } from '../model/round.js';
import type { CapabilityTrend } from '../model/trend.js';
import { scoreMember, type CapabilityScore, type Choice, type NextAction, type TeamResult } from '../model/scoring.js';
import { NOT_SURE_VALUE, type CardActionData } from '../model/commands.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

/** Inline cards in chats use Universal Actions; cards inside a Teams dialog can only submit. */
export type CardMode = 'execute' | 'submit';

const MAX_STEPS = 3;
const MAX_TEAM_STEPS = 3;
const MAX_LINKS_PER_STEP = 3;
/** Opportunities shown before "Show all": the rest are one tap away, never cut. */
const OPPORTUNITIES_SHOWN = 3;

/** "[Title](url)", saying so where the link is the source's own and opens another page than its title names. */
export function markdownLinks(links: readonly Link[], max = MAX_LINKS_PER_STEP): string {
  const seen = new Set<string>();
  return links
    .filter(hasUrl)
    .filter((link) => !seen.has(link.url) && seen.add(link.url))
    .slice(0, max)
    .map((link) => `[${link.title}](${link.url})${link.opens ? ` (the source's link: it opens ${link.opens})` : ''}`)
    .join(' · ');
}

/** "4 of 9 · Adoption pillar: Governance (our mapping)", "HEAT pillar 3 of 7"; a one-question model has no count. */
function questionContext(model: MaturityModel, pillars: readonly Pillar[], index: number): string {
  const count = model.capabilities.length;
  const progress = count === 1 ? '' : `${model.capabilityKind ? `${model.capabilityKind} ` : ''}${index + 1} of ${count}`;
  const pillarId = model.capabilities[index]?.pillar;
  const pillar = pillarId === undefined ? '' : `Adoption pillar: ${pillars.find((entry) => entry.id === pillarId)?.title ?? pillarId} (our mapping)`;
  return [progress, pillar].filter(Boolean).join(' · ');
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
  /** Opened from "Change answers": Save goes back to the summary, Cancel too, and there is no Back. */
  changing?: boolean;
}

export function questionCard(cards: CardRenderer, view: QuestionView): AdaptiveCard {
  const { model, index } = view;
  const capability = model.capabilities[index];
  if (!capability) throw new Error(`No question ${index + 1} in the ${model.id} model`);
  const base = {
    model: model.id,
    capability: capability.id,
    round: view.round,
    v: capabilityVersion(capability),
    ...(view.changing ? { then: 'summary' as const } : {}),
  };
  return cards.render('question', {
    modelTitle: model.shortTitle,
    capabilityTitle: capability.title,
    context: questionContext(model, view.pillars, index),
    notice: view.notice ?? '',
    question: model.question,
    choices: [
      ...capability.levels.map((level) => ({
        title: `${LEVEL_NAMES[level.level]} (${level.level}) — ${level.choice}`,
        value: String(level.level),
      })),
      { title: 'Not sure', value: NOT_SURE_VALUE },
    ],
    selected: choiceValue(view.selected),
    learnMoreUrl: hasUrl(capability.learnMore) ? capability.learnMore.url : (model.source.find(hasUrl)?.url ?? ''),
    mode: view.mode,
    hasBack: index > 0 && !view.changing,
    nextTitle: view.changing ? 'Save' : 'Next',
    skipTitle: view.changing ? 'Cancel' : 'Skip for now',
    answerData: { verb: 'answer', ...base },
    backData: { verb: 'back', ...base },
    skipData: { verb: 'skip', ...base },
  });
}

const NONE: never[] = [];

/** Rows lowest level first; capabilities without a level go last, saying why they have none. */
function scoreRows(
  scores: readonly CapabilityScore[],
  whyNoLevel: (score: CapabilityScore) => string,
  detail: (score: CapabilityScore) => string,
) {
  return [...scores]
    .sort((a, b) => (a.level ?? 1000) - (b.level ?? 1000))
    .map((score) => ({
      title: score.capability.title,
      bar: score.level === null ? `${levelBar(null)} ${whyNoLevel(score)}` : levelBar(score.level),
      detail: detail(score),
    }));
}

function stepRows(actions: readonly NextAction[], max: number) {
  return actions.slice(0, max).map((action) => ({
    title: `${action.capability.title} → ${levelName(action.next.level)}`,
    text: action.next.state,
    links: markdownLinks(stepLinks(action.capability, action.next)),
  }));
}

const opportunityRow = (opportunity: Opportunity) => {
  const links = markdownLinks(opportunity.links);
  return { text: links ? `${opportunity.text} (${links})` : opportunity.text };
};

/**
 * The overall level's opportunities: the first few shown, the rest behind "Show all" (a toggle, so the
 * card stays short but every opportunity is reachable), with the model's note where they are our own.
 */
function opportunityFields(model: MaturityModel, level: Level | null, opportunities: readonly Opportunity[]) {
  const entry = model.levels.find((candidate) => candidate.level === (level ?? 100));
  return {
    opportunitiesHeading: entry ? `Opportunities at ${entry.name}` : 'Opportunities',
    opportunitiesNote: opportunities.length > 0 ? (model.opportunitiesNote ?? '') : '',
    opportunities: opportunities.slice(0, OPPORTUNITIES_SHOWN).map(opportunityRow),
    moreOpportunities: opportunities.slice(OPPORTUNITIES_SHOWN).map(opportunityRow),
    showAllOpportunities: `Show all ${opportunities.length} opportunities`,
  };
}

/** "**100 Initial** — what that means, in a line", from the model level's headline. */
function meaningLine(model: MaturityModel, level: Level | null): string {
  const entry = level === null ? undefined : model.levels.find((candidate) => candidate.level === level);
  return entry ? `**${levelName(entry.level)}**: ${entry.headline}` : '';
}

/** The model's further reading, one line per group ("Customer stories: [Coca-Cola](…) · …"). */
function resourceRows(model: MaturityModel) {
  return model.resources.map((group) => ({ text: `**${group.heading}**: ${markdownLinks(group.links, group.links.length)}` }));
}

/** "Overall: **200 Repeatable**, set by Governance, the weakest capability · average 290". */
function overallLine(result: ReadyResult, weakestLabel: string): string {
  const { overall } = result;
  if (overall.level === null) return '';
  const weakest = result.capabilities.filter((score) => score.level === overall.level).map((score) => score.capability.title);
  // A one-question model (support) has no weakest capability to name, and its average is its level.
  const setBy =
    result.capabilities.length === 1
      ? ''
      : weakest.length === 1
        ? `, set by ${weakest[0]}, ${weakestLabel}`
        : `, set by ${weakest.length} capabilities at that level`;
  const average = overall.mean === overall.level ? '' : ` · average ${overall.mean}`;
  return `Overall: **${levelName(overall.level)}**${setBy}${average}`;
}

type ReadyResult = Extract<TeamResult, { status: 'ready' }>;

export interface SummaryView {
  model: MaturityModel;
  /** The member's own answers this round, by capability id. */
  choices: ReadonlyMap<string, Choice>;
  /** Inline cards use Universal Actions; inside a dialog the buttons submit. */
  mode: CardMode;
  /** Answered in a channel or group chat, where a team result exists; not in a personal chat. */
  inTeam: boolean;
}

export function summaryCard(cards: CardRenderer, view: SummaryView): AdaptiveCard {
  const { model, choices } = view;
  const result = scoreMember(model, { memberId: 'me', choices });
  const answered = model.capabilities.filter((capability) => choices.has(capability.id));
  const notSure = answered.filter((capability) => choices.get(capability.id) === null).length;
  const hasLevel = result.overall.level !== null;
  const unanswered = model.capabilities.length - answered.length;
  const data = (verb: CardActionData['verb']): CardActionData => ({ verb, model: model.id });
  return cards.render('summary', {
    heading: `Your ${model.shortTitle.toLowerCase()} maturity`,
    answeredLine:
      model.capabilities.length === 1
        ? answered.length === 1
          ? `You answered the question${notSure > 0 ? ' (Not sure)' : ''}.`
          : "You haven't answered the question yet."
        : `You answered ${answered.length} of ${model.capabilities.length} questions${notSure > 0 ? ` (${notSure} Not sure)` : ''}.`,
    overallLine: hasLevel
      ? overallLine(result, 'your weakest capability')
      : "You haven't chosen a level for any question yet, so there is nothing to show. Answer the questions to see where you stand.",
    rows: hasLevel
      ? scoreRows(
          result.capabilities,
          (score) => (choices.get(score.capability.id) === null ? 'Not sure' : 'not answered yet'),
          () => '',
        )
      : NONE,
    meaningLine: meaningLine(model, result.overall.level),
    steps: hasLevel ? stepRows(result.nextActions, MAX_STEPS) : NONE,
    ...opportunityFields(model, result.overall.level, hasLevel ? result.opportunities : NONE),
    resources: hasLevel ? resourceRows(model) : NONE,
    mode: view.mode,
    hasLevel,
    inTeam: view.inTeam,
    canContinue: unanswered > 0 && hasLevel,
    resultsData: data('results'),
    changeData: data('change'),
    assessData: data('assess'),
  });
}

export interface ChangePickerView {
  model: MaturityModel;
  choices: ReadonlyMap<string, Choice>;
  mode: CardMode;
  notice?: string;
}

/** "Change answers": every question with the member's answer, to pick the one to change. */
export function changePickerCard(cards: CardRenderer, view: ChangePickerView): AdaptiveCard {
  const { model, choices } = view;
  const answerOf = (id: string) => {
    const choice = choices.get(id);
    return choice === undefined ? 'not answered yet' : choice === null ? 'Not sure' : levelName(choice);
  };
  const data = (verb: CardActionData['verb']): CardActionData => ({ verb, model: model.id });
  return cards.render('changeAnswer', {
    heading: `Change an answer · ${model.shortTitle}`,
    notice: view.notice ?? '',
    choices: model.capabilities.map((capability) => ({ title: `${capability.title}: ${answerOf(capability.id)}`, value: capability.id })),
    selected: model.capabilities[0]?.id ?? '',
    mode: view.mode,
    changeData: data('change'),
    summaryData: data('summary'),
  });
}

export interface TeamResultView {
  model: MaturityModel;
  result: TeamResult;
  teamName: string;
  round: string;
  /** Change since the previous round, per capability id. */
  trends?: ReadonlyMap<string, CapabilityTrend>;
  targets?: ReadonlyMap<string, Level>;
  /** The data of the "Answer" button: opens the dialog in a channel, starts inline in a chat. */
  answerData: Record<string, unknown>;
}

const ARROWS = { up: '▲ up', down: '▼ down', same: '= same' } as const;

function teamDetail(view: TeamResultView, minimum: number) {
  const previous = roundLabel(previousRound(view.round)).split(' ')[0];
  return (score: CapabilityScore): string => {
    const lines: string[] = [];
    const trend = view.trends?.get(score.capability.id);
    if (trend)
      lines.push(trend.direction === 'same' ? `= same as ${previous}` : `${ARROWS[trend.direction]} from ${trend.previous} in ${previous}`);
    const target = view.targets?.get(score.capability.id);
    if (target !== undefined) {
      const gap = score.level === null ? undefined : (target - score.level) / 100;
      lines.push(
        gap === undefined
          ? `Target ${target}`
          : gap > 0
            ? `Target ${target}: ${gap} ${gap === 1 ? 'level' : 'levels'} to go`
            : `Target ${target}: reached`,
      );
    }
    if (score.withheld)
      lines.push(`${score.respondents} ${score.respondents === 1 ? 'answer' : 'answers'} so far; ${minimum} needed to show a level`);
    else if (score.lowest !== null && score.highest !== null && score.lowest !== score.highest)
      lines.push(`Answers from ${score.lowest} to ${score.highest}: worth a conversation`);
    return lines.join('\n');
  };
}

export function teamResultCard(cards: CardRenderer, view: TeamResultView): AdaptiveCard {
  const { model, result } = view;
  const common = {
    heading: `${view.teamName} · ${roundLabel(view.round)}`,
    subheading: `${model.shortTitle} maturity`,
    actions: [{ title: 'Answer', data: view.answerData }],
  };
  if (result.status === 'withheld') {
    return cards.render('teamResult', {
      ...common,
      withheld: true,
      withheldLine: `Results appear once ${result.minimum} people have answered — ${result.respondents} so far.`,
      overallLine: '',
      respondentsLine: '',
      meaningLine: '',
      rows: NONE,
      steps: NONE,
      ...opportunityFields(model, null, NONE),
    });
  }
  return cards.render('teamResult', {
    ...common,
    withheld: false,
    withheldLine: '',
    overallLine:
      result.overall.level === null ? 'No capability has enough answers for a level yet.' : overallLine(result, 'the weakest capability'),
    respondentsLine: `${result.respondents} ${result.respondents === 1 ? 'person' : 'people'} answered`,
    rows: scoreRows(
      result.capabilities,
      (score) => (score.withheld ? 'too few answers' : 'no answers yet'),
      teamDetail(view, result.minimum),
    ),
    meaningLine: meaningLine(model, result.overall.level),
    steps: stepRows(result.nextActions, MAX_TEAM_STEPS),
    ...opportunityFields(model, result.overall.level, result.overall.level === null ? NONE : result.opportunities),
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
