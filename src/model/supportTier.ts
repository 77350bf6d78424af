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
}

export interface TierDecision {
  tier: Tier;
  /** Every answer with the tier it points to; `decisive` are the ones that set the result. */
  reasons: TierReason[];
  decisive: TierReason[];
  /** True when answers pointed to different tiers (the highest wins, and the card says so). */
  mixed: boolean;
}

export class TierFactsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'TierFactsError';
  }
}

const rank = (tier: TierId) => TIER_IDS.indexOf(tier);

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
 * Microsoft's tiers of applications, applied: each answer points to a tier and the highest wins
 * (a cautious default: the source does not say how to break ties). Escalators lift the result.
 */
export function decideTier(matrix: TierMatrix, facts: TierFacts): TierDecision {
  checkTierFacts(matrix, facts);
  const reasons: TierReason[] = [
    ...matrix.criteria.map((criterion) => {
      const choice = criterion.choices.find((candidate) => candidate.id === facts.choices[criterion.id])!;
      return { label: criterion.label, answer: choice.title, tier: choice.tier, reason: choice.reason };
    }),
    ...matrix.escalators
      .filter((escalator) => facts.escalators[escalator.id])
      .map((escalator) => ({ label: escalator.label, answer: 'Yes', tier: escalator.minimumTier, reason: escalator.reason })),
  ];
  const highest = reasons.reduce((top, reason) => (rank(reason.tier) > rank(top) ? reason.tier : top), TIER_IDS[0] as TierId);
  return {
    tier: matrix.tiers.find((tier) => tier.id === highest)!,
    reasons,
    decisive: reasons.filter((reason) => reason.tier === highest),
    mixed: new Set(reasons.map((reason) => reason.tier)).size > 1,
  };
}
