import { hasUrl, type Level, type Link, type MaturityModel, type WebLink } from '../model/content.js';
import { levelName } from '../model/levels.js';
import { stepLinks } from '../model/stepLinks.js';
import { roundLabel } from '../model/round.js';
import { scoreTeam, type CapabilityScore, type Choice, type MemberAnswers, type Targets, type TeamResult } from '../model/scoring.js';
import type { ScoredRound } from './csv.js';

/** The JSON the dashboard tab reads. Team aggregates only; the one set of individual answers is the viewer's own. */
export interface DashboardView {
  model: { id: string; title: string; shortTitle: string };
  round: { id: string; label: string };
  minimum: number;
  capabilities: { id: string; title: string }[];
  current: CurrentView;
  /** Oldest first; the last point is the current round. */
  trend: TrendPoint[];
  nextActions: NextActionView[];
  /** Every opportunity of the overall level (the tab folds all but the first few away), and the model's note where they are ours. */
  opportunities: { heading: string; note: string; items: { text: string; links: WebLink[] }[] };
  /** The viewer's own answers this round beside the team's level, in content order. */
  you: YourAnswerRow[];
}

export type CurrentView =
  | { status: 'withheld'; respondents: number; minimum: number; reason: string }
  | { status: 'ready'; respondents: number; minimum: number; overall: OverallView; capabilities: CapabilityView[] };

export interface OverallView {
  level: Level | null;
  name: string | null;
  mean: number | null;
  basedOn: number;
  /** Titles of the capabilities at the overall level: they set it. */
  setBy: string[];
}

export interface CapabilityView {
  id: string;
  title: string;
  level: Level | null;
  name: string | null;
  lowest: Level | null;
  highest: Level | null;
  respondents: number;
  withheld: boolean;
  /** Why there is no level, or what the spread says; empty when there is nothing to add. */
  note: string;
}

export interface TrendPoint {
  round: string;
  label: string;
  status: 'ready' | 'withheld' | 'empty';
  respondents: number;
  overall: Level | null;
  mean: number | null;
  /** Team level per capability id; null where none can be shown. */
  levels: Record<string, Level | null>;
}

export interface NextActionView {
  capabilityId: string;
  capabilityTitle: string;
  from: Level;
  to: Level;
  toName: string;
  text: string;
  links: WebLink[];
}

export interface YourAnswerRow {
  capabilityId: string;
  title: string;
  team: Level | null;
  teamLabel: string;
  yours: Level | null;
  yoursLabel: string;
}

const MAX_ACTIONS = 5;
const MAX_LINKS = 3;

/** Scores each round with the same rule as the bot's result card (minimum respondents included). */
export function scoreRounds(
  model: MaturityModel,
  rounds: readonly { round: string; members: readonly MemberAnswers[] }[],
  minimum: number,
  targets: Targets = new Map(),
): ScoredRound[] {
  return rounds.map(({ round, members }) => ({ round, result: scoreTeam(model, members, minimum, targets) }));
}

function webLinks(links: readonly Link[]): WebLink[] {
  const seen = new Set<string>();
  return links
    .filter(hasUrl)
    .filter((link) => !seen.has(link.url) && seen.add(link.url))
    .slice(0, MAX_LINKS)
    .map((link) => ({ title: link.title, url: link.url, ...(link.opens ? { opens: link.opens } : {}) }));
}

export function withheldReason(respondents: number, minimum: number): string {
  if (respondents === 0) return `Nobody has answered this round yet. Results appear once ${minimum} people have answered.`;
  return `Results appear once ${minimum} people have answered — ${respondents} so far. Levels stay hidden until then, so no one's answers can be read off them.`;
}

function capabilityNote(score: CapabilityScore, minimum: number): string {
  if (score.withheld)
    return `${score.respondents} ${score.respondents === 1 ? 'answer' : 'answers'} so far; ${minimum} needed to show a level`;
  if (score.level === null) return 'No answers yet';
  if (score.lowest !== null && score.highest !== null && score.lowest !== score.highest)
    return `Answers from ${score.lowest} to ${score.highest}: worth a conversation`;
  return '';
}

function currentView(result: TeamResult): CurrentView {
  if (result.status === 'withheld') {
    return {
      status: 'withheld',
      respondents: result.respondents,
      minimum: result.minimum,
      reason: withheldReason(result.respondents, result.minimum),
    };
  }
  const { overall } = result;
  return {
    status: 'ready',
    respondents: result.respondents,
    minimum: result.minimum,
    overall: {
      level: overall.level,
      name: overall.level === null ? null : levelName(overall.level),
      mean: overall.mean,
      basedOn: overall.basedOn,
      setBy:
        overall.level === null
          ? []
          : result.capabilities.filter((score) => score.level === overall.level).map((score) => score.capability.title),
    },
    capabilities: result.capabilities.map((score) => ({
      id: score.capability.id,
      title: score.capability.title,
      level: score.level,
      name: score.level === null ? null : levelName(score.level),
      lowest: score.lowest,
      highest: score.highest,
      respondents: score.respondents,
      withheld: score.withheld,
      note: capabilityNote(score, result.minimum),
    })),
  };
}

function trendPoint(model: MaturityModel, { round, result }: ScoredRound): TrendPoint {
  const levels: Record<string, Level | null> = {};
  for (const capability of model.capabilities) {
    levels[capability.id] =
      result.status === 'ready' ? (result.capabilities.find((score) => score.capability.id === capability.id)?.level ?? null) : null;
  }
  return {
    round,
    label: roundLabel(round),
    status: result.status === 'ready' ? 'ready' : result.respondents === 0 ? 'empty' : 'withheld',
    respondents: result.respondents,
    overall: result.status === 'ready' ? result.overall.level : null,
    mean: result.status === 'ready' ? result.overall.mean : null,
    levels,
  };
}

function yourLabel(choice: Choice | undefined): string {
  if (choice === undefined) return 'Not answered yet';
  return choice === null ? 'Not sure' : levelName(choice);
}

function teamLabel(result: TeamResult, capabilityId: string): { level: Level | null; label: string } {
  if (result.status === 'withheld') return { level: null, label: 'Withheld' };
  const score = result.capabilities.find((entry) => entry.capability.id === capabilityId);
  if (!score || score.level === null) return { level: null, label: score?.withheld ? 'Withheld' : 'No answers yet' };
  return { level: score.level, label: levelName(score.level) };
}

/**
 * Everything the dashboard shows, from the scored rounds (oldest first, the last is the current
 * round) and the viewer's own current answers.
 */
export function buildDashboard(model: MaturityModel, rounds: readonly ScoredRound[], yours: ReadonlyMap<string, Choice>): DashboardView {
  const current = rounds.at(-1);
  if (!current) throw new Error('The dashboard needs at least the current round');
  const result = current.result;
  const ready = result.status === 'ready' ? result : undefined;
  const opportunityLevel = ready?.overall.level ?? null;
  const modelLevel = model.levels.find((entry) => entry.level === (opportunityLevel ?? 100));
  return {
    model: { id: model.id, title: model.title, shortTitle: model.shortTitle },
    round: { id: current.round, label: roundLabel(current.round) },
    minimum: result.minimum,
    capabilities: model.capabilities.map((capability) => ({ id: capability.id, title: capability.title })),
    current: currentView(result),
    trend: rounds.map((round) => trendPoint(model, round)),
    nextActions: (ready?.nextActions ?? []).slice(0, MAX_ACTIONS).map((action) => ({
      capabilityId: action.capability.id,
      capabilityTitle: action.capability.title,
      from: action.from,
      to: action.next.level,
      toName: levelName(action.next.level),
      text: action.next.state,
      links: webLinks(stepLinks(action.capability, action.next)),
    })),
    opportunities: {
      heading: ready && opportunityLevel !== null && modelLevel ? `Opportunities at ${modelLevel.name}` : '',
      note: ready && opportunityLevel !== null ? (model.opportunitiesNote ?? '') : '',
      items:
        ready && opportunityLevel !== null ? ready.opportunities.map((item) => ({ text: item.text, links: webLinks(item.links) })) : [],
    },
    you: model.capabilities.map((capability) => {
      const team = teamLabel(result, capability.id);
      const choice = yours.get(capability.id);
      return {
        capabilityId: capability.id,
        title: capability.title,
        team: team.level,
        teamLabel: team.label,
        yours: choice ?? null,
        yoursLabel: yourLabel(choice),
      };
    }),
  };
}
