import { LEVELS, type Capability, type CapabilityLevel, type Level, type MaturityModel, type Opportunity } from './content.js';

/** A member's choice for one capability: a level, or null for "Not sure" (which counts as no answer). */
export type Choice = Level | null;

/** One member's current answers in one model, keyed by capability id. */
export interface MemberAnswers {
  memberId: string;
  choices: ReadonlyMap<string, Choice>;
}

export interface CapabilityScore {
  capability: Capability;
  /** Median of the members' levels rounded down to a whole level; null when no level can be shown. */
  level: Level | null;
  /** Members who chose a level for this capability ("Not sure" does not count). */
  respondents: number;
  /** The spread, kept because disagreement is itself a finding. */
  lowest: Level | null;
  highest: Level | null;
  /** True when some members answered but too few to show a level without exposing someone. */
  withheld: boolean;
}

export interface NextAction {
  capability: Capability;
  from: Level;
  next: CapabilityLevel;
  /** How far the capability is below its target, in levels; 0 without a target. */
  gap: number;
}

export interface Overall {
  /** The weakest capability level: a team is at level N only when every capability is. */
  level: Level | null;
  /** Mean of the capability levels, shown beside the overall level. */
  mean: number | null;
  /** How many capabilities have a level; the overall level only speaks for those. */
  basedOn: number;
}

export type TeamResult =
  | { status: 'withheld'; respondents: number; minimum: number }
  | {
      status: 'ready';
      respondents: number;
      minimum: number;
      capabilities: CapabilityScore[];
      overall: Overall;
      nextActions: NextAction[];
      /** The model-wide opportunities for the overall level (seed 000 for adoption). */
      opportunities: Opportunity[];
    };

/** Rounds down to a whole level, so a median between two levels never claims the higher one. */
export function floorToLevel(value: number): Level {
  return LEVELS.findLast((level) => level <= value) ?? 100;
}

export const lowestLevel = (levels: readonly Level[]): Level | null =>
  levels.reduce<Level | null>((low, level) => (low === null || level < low ? level : low), null);
const lowest = (levels: readonly [Level, ...Level[]]): Level => levels.reduce((low, level) => (level < low ? level : low));
const highest = (levels: readonly [Level, ...Level[]]): Level => levels.reduce((high, level) => (level > high ? level : high));
export const isNonEmpty = <T>(items: readonly T[]): items is readonly [T, ...T[]] => items.length > 0;

/** The median, lowest and highest of at least one level. */
export function spreadOf(levels: readonly [Level, ...Level[]]): { level: Level; lowest: Level; highest: Level } {
  return { level: medianLevel(levels) ?? levels[0], lowest: lowest(levels), highest: highest(levels) };
}

export function medianLevel(levels: readonly Level[]): Level | null {
  const sorted = [...levels].sort((a, b) => a - b);
  // The middle one, or the two middle ones (the same one twice when the count is odd).
  const [lower, upper] = [sorted[Math.ceil(sorted.length / 2) - 1], sorted[Math.floor(sorted.length / 2)]];
  return lower === undefined || upper === undefined ? null : floorToLevel((lower + upper) / 2);
}

function levelsFor(capabilityId: string, members: readonly MemberAnswers[]): Level[] {
  return members.flatMap((member) => {
    const choice = member.choices.get(capabilityId);
    return choice === undefined || choice === null ? [] : [choice];
  });
}

export function scoreCapability(capability: Capability, members: readonly MemberAnswers[], minimum: number): CapabilityScore {
  const levels = levelsFor(capability.id, members);
  const shown = levels.length >= minimum;
  return {
    capability,
    level: shown ? medianLevel(levels) : null,
    respondents: levels.length,
    lowest: shown && isNonEmpty(levels) ? lowest(levels) : null,
    highest: shown && isNonEmpty(levels) ? highest(levels) : null,
    withheld: levels.length > 0 && !shown,
  };
}

export function overallOf(scores: readonly CapabilityScore[]): Overall {
  const levels = scores.flatMap((score) => (score.level === null ? [] : [score.level]));
  if (!isNonEmpty(levels)) return { level: null, mean: null, basedOn: 0 };
  return {
    level: lowest(levels),
    mean: Math.round(levels.reduce((sum, level) => sum + level, 0) / levels.length),
    basedOn: levels.length,
  };
}

/** Targets per capability id (a CoE sets them); capabilities without a target rank by level alone. */
export type Targets = ReadonlyMap<string, Level>;

/**
 * What each capability's next level asks for, ranked: the largest gap to target first, then the weakest
 * capability, then content order. Capabilities at 500, or already at their target, have no next action.
 */
export function nextActions(scores: readonly CapabilityScore[], targets: Targets = new Map()): NextAction[] {
  const actions = scores.flatMap((score, order) => {
    // Without a level there is no next step to name: "Not sure" is not the bottom of the ladder.
    const { level } = score;
    if (level === null || level === 500) return [];
    const target = targets.get(score.capability.id);
    if (target !== undefined && level >= target) return [];
    const next = score.capability.levels.find((entry) => entry.level === level + 100);
    if (!next) return [];
    const gap = target === undefined ? 0 : (target - level) / 100;
    return [{ action: { capability: score.capability, from: level, next, gap }, order }];
  });
  return actions
    .sort((a, b) => b.action.gap - a.action.gap || a.action.from - b.action.from || a.order - b.order)
    .map(({ action }) => action);
}

/** Members who chose at least one level in the model; "Not sure" everywhere is not a response. */
export function countRespondents(model: MaturityModel, members: readonly MemberAnswers[]): number {
  const ids = new Set(model.capabilities.map((capability) => capability.id));
  return members.filter((member) => [...member.choices].some(([id, choice]) => ids.has(id) && choice !== null)).length;
}

/**
 * The team's result for one model. Below `minimum` respondents nothing is shown, so no single
 * person's answers can be read off a team result; the same rule applies to each capability.
 */
export function scoreTeam(
  model: MaturityModel,
  members: readonly MemberAnswers[],
  minimum: number,
  targets: Targets = new Map(),
): TeamResult {
  const respondents = countRespondents(model, members);
  if (respondents < minimum) return { status: 'withheld', respondents, minimum };
  const capabilities = model.capabilities.map((capability) => scoreCapability(capability, members, minimum));
  const overall = overallOf(capabilities);
  return {
    status: 'ready',
    respondents,
    minimum,
    capabilities,
    overall,
    nextActions: nextActions(capabilities, targets),
    opportunities: opportunitiesFor(model, overall.level),
  };
}

/** A member's own view: their levels with no respondent minimum (they are looking at their own answers). */
export function scoreMember(model: MaturityModel, member: MemberAnswers): Extract<TeamResult, { status: 'ready' }> {
  const result = scoreTeam(model, [member], 0);
  if (result.status !== 'ready') throw new Error('unreachable: a minimum of 0 never withholds');
  return result;
}

export function opportunitiesFor(model: MaturityModel, level: Level | null): Opportunity[] {
  return model.levels.find((entry) => entry.level === (level ?? LEVELS[0]))?.opportunities ?? [];
}
