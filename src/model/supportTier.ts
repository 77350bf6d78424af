import { TIER_IDS, type SupportContent, type Tier, type TierId } from './supportContent.js';

type TierMatrix = SupportContent['tiers'];

/** The facts a help-desk person gave: a choice id per criterion, yes/no per escalator. */
export interface TierFacts {
  choices: Readonly<Record<string, string>>;
  escalators: Readonly<Record<string, boolean>>;
}

export interface TierReason {
  label: string;
  answer: string;
  tier: TierId;
  reason: string;
  /** The words of a typed question that gave this fact ("8,000 of our staff"). */
  evidence?: string;
}

export interface TierDecision {
  tier: Tier;
  /** The answers that set the tier: the deciding criteria (or escalators) at the tier's level. */
  decisive: TierReason[];
  /** Escalators that lifted the tier above what the deciding criteria gave: this project's guidance. */
  lifted: TierReason[];
  /** Criteria that don't decide but point higher than the tier: shown for the organisation to weigh. */
  considerations: TierReason[];
  /** The deciding criteria pointed to different tiers (the higher one wins, and the card says so). */
  mixed: boolean;
  /** Labels of deciding criteria nobody answered (a decision from a typed question may lack some). */
  missing: string[];
}

export class TierFactsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'TierFactsError';
  }
}

const rank = (tier: TierId) => TIER_IDS.indexOf(tier);
const highest = (reasons: readonly TierReason[]) =>
  reasons.reduce<TierId | undefined>((top, reason) => (top === undefined || rank(reason.tier) > rank(top) ? reason.tier : top), undefined);

/** Checks that every question is answered with a choice the matrix knows; names each problem for the person. */
export function checkTierFacts(matrix: TierMatrix, facts: TierFacts): void {
  const problems = [
    ...matrix.criteria.flatMap((criterion) => {
      const choice = facts.choices[criterion.id];
      if (choice === undefined || choice === '') return [`"${criterion.label}" needs an answer.`];
      return criterion.choices.some((candidate) => candidate.id === choice)
        ? []
        : [`"${choice}" is not an answer to "${criterion.label}".`];
    }),
    ...matrix.escalators.flatMap((escalator) =>
      typeof facts.escalators[escalator.id] === 'boolean' ? [] : [`"${escalator.label}" needs a yes or no.`],
    ),
  ];
  if (problems.length > 0) throw new TierFactsError(problems);
}

/**
 * Microsoft's tiers of applications as the source applies them (§3.3): the deciding criteria (by default
 * business impact and user base) set the tier, the higher one winning when they disagree; the other criteria
 * are considerations, never automatic lifts; escalators (this project's guidance) lift to their minimum tier.
 * Criteria without an answer are left out. Undefined when no deciding criterion and no escalator is known.
 */
export function decide(matrix: TierMatrix, facts: TierFacts, evidence: Readonly<Record<string, string>> = {}): TierDecision | undefined {
  const { decidedBy } = matrix.rule;
  const answered = matrix.criteria.flatMap((criterion) => {
    const choice = criterion.choices.find((candidate) => candidate.id === facts.choices[criterion.id]);
    if (!choice) return [];
    const reason: TierReason = { label: criterion.label, answer: choice.title, tier: choice.tier, reason: choice.reason };
    const words = evidence[criterion.id];
    return [{ id: criterion.id, reason: words ? { ...reason, evidence: words } : reason }];
  });
  const deciding = answered.filter((entry) => decidedBy.includes(entry.id)).map((entry) => entry.reason);
  const escalated = matrix.escalators
    .filter((escalator) => facts.escalators[escalator.id] === true)
    .map((escalator) => {
      const reason: TierReason = { label: escalator.label, answer: 'Yes', tier: escalator.minimumTier, reason: escalator.reason };
      const words = evidence[escalator.id];
      return words ? { ...reason, evidence: words } : reason;
    });
  const base = highest(deciding);
  const top = highest([...deciding, ...escalated]);
  if (top === undefined) return undefined;
  const lifted = base === undefined || rank(top) > rank(base) ? escalated.filter((reason) => reason.tier === top) : [];
  return {
    tier: matrix.tiers.find((tier) => tier.id === top)!,
    decisive: lifted.length > 0 ? lifted : deciding.filter((reason) => reason.tier === top),
    lifted,
    considerations: answered
      .filter((entry) => !decidedBy.includes(entry.id) && rank(entry.reason.tier) > rank(top))
      .map((entry) => entry.reason),
    mixed: new Set(deciding.map((reason) => reason.tier)).size > 1,
    missing: matrix.criteria.filter((criterion) => decidedBy.includes(criterion.id) && !facts.choices[criterion.id]).map((c) => c.label),
  };
}

/** The tier form's answer: every question must be answered (see checkTierFacts). */
export function decideTier(matrix: TierMatrix, facts: TierFacts): TierDecision {
  checkTierFacts(matrix, facts);
  return decide(matrix, facts)!;
}
