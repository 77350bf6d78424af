import { z } from 'zod';
import { LEVEL_NAMES, type Level } from '../model/content.js';
import { levelBar, levelName } from '../model/levels.js';
import type { CapabilityScore } from '../model/scoring.js';
import type { QuestionEntry, SupportContent } from '../model/supportContent.js';
import type { QuestionMatch } from '../model/supportMatcher.js';
import type { TierDecision, TierFacts } from '../model/supportTier.js';
import { markdownLinks } from './assessmentCards.js';
import type { AdaptiveCard, CardRenderer } from './templates.js';

const YES = 'yes';

/**
 * What the tier form may send: its own input ids, built from the matrix in content/. Strict, so a
 * submission with anything else is refused; missing answers are named by checkTierFacts instead.
 */
export function tierSubmissionSchema(support: SupportContent) {
  const { criteria, escalators } = support.tiers;
  return z.strictObject({
    verb: z.literal('tier'),
    solution: z.string().trim().max(80).optional(),
    ...Object.fromEntries(criteria.map((criterion) => [criterion.id, z.string().max(80).optional()])),
    ...Object.fromEntries(escalators.map((escalator) => [escalator.id, z.enum([YES, 'no']).optional()])),
  });
}

/** Everything a help-desk card may send: "Ask another" / "Check a solution's tier", or the tier form. */
export function supportActionSchema(support: SupportContent) {
  return z.union([z.strictObject({ verb: z.literal('support') }), tierSubmissionSchema(support)]);
}

export interface TierSubmission {
  solution: string;
  facts: TierFacts;
}

export function tierSubmissionOf(support: SupportContent, data: Record<string, unknown>): TierSubmission {
  const { criteria, escalators } = support.tiers;
  const field = (id: string) => (typeof data[id] === 'string' ? (data[id] as string) : undefined);
  return {
    solution: field('solution') ?? '',
    facts: {
      choices: Object.fromEntries(criteria.flatMap((criterion) => (field(criterion.id) ? [[criterion.id, field(criterion.id)!]] : []))),
      escalators: Object.fromEntries(
        escalators.flatMap((escalator) => (field(escalator.id) ? [[escalator.id, field(escalator.id) === YES]] : [])),
      ),
    },
  };
}

export function supportTierFormCard(
  cards: CardRenderer,
  support: SupportContent,
  previous?: { submission: TierSubmission; notice: string },
): AdaptiveCard {
  const { criteria, escalators } = support.tiers;
  const facts = previous?.submission.facts;
  return cards.render('supportTierForm', {
    intro: `Answer ${criteria.length} questions about the solution and ${escalators.length} about its users and data, and I'll name its tier from Microsoft's tiers of applications.`,
    notice: previous?.notice ?? '',
    solution: previous?.submission.solution ?? '',
    criteria: criteria.map((criterion) => ({
      id: criterion.id,
      label: criterion.label,
      value: facts?.choices[criterion.id] ?? '',
      choices: criterion.choices,
    })),
    escalators: escalators.map((escalator) => {
      const answer = facts?.escalators[escalator.id];
      return { id: escalator.id, label: escalator.label, value: answer === undefined ? '' : answer ? YES : 'no' };
    }),
  });
}

const tierHeading = (tier: TierDecision['tier']) => `${tier.supportLabel} (${tier.name})`;
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function supportTierAnswerCard(
  cards: CardRenderer,
  support: SupportContent,
  solution: string,
  decision: TierDecision,
): AdaptiveCard {
  const { tier } = decision;
  const { requirements } = tier;
  return cards.render('supportTierAnswer', {
    solutionLine: solution ? `Support level for ${solution}` : 'Support level for this solution',
    tierHeading: tierHeading(tier),
    meaning: tier.meaning,
    decisive: decision.decisive.map((reason) => ({ text: `${capitalise(reason.reason)}.` })),
    mixedLine: decision.mixed
      ? `Your answers pointed to different tiers; the highest one wins, so the solution gets the support it may need.`
      : '',
    requirements: [
      { label: 'Application lifecycle management', text: requirements.alm },
      { label: 'Environments', text: requirements.environments },
      { label: 'Maker permissions', text: requirements.makerPermissions },
      { label: 'IT involvement', text: requirements.itInvolvement },
      { label: 'Who supports it', text: requirements.supportModel },
      { label: 'Moving to the next tier', text: requirements.graduation },
    ],
    links: markdownLinks([...tier.links, ...support.tiers.source], 4),
    mappingNote: support.tiers.mappingNote,
  });
}

export interface SupportLevelView {
  support: SupportContent;
  score: CapabilityScore | undefined;
  respondents: number;
  minimum: number;
}

/** The organisation's support maturity, read for the help desk: what it handles, who backs it up, SLAs. */
export function supportLevelCard(cards: CardRenderer, view: SupportLevelView): AdaptiveCard {
  const { support, score } = view;
  const level = score?.level ?? null;
  const links = markdownLinks(support.model.source, 2);
  const basisLine = `From the latest answers of ${view.respondents} ${view.respondents === 1 ? 'person' : 'people'} in your organisation`;
  if (level === null) {
    return cards.render('supportLevel', {
      basisLine,
      withheld: true,
      withheldLine: `The level appears once ${view.minimum} people have answered the support question — ${score?.respondents ?? view.respondents} so far. Type **support maturity** to answer it.`,
      levelLine: '',
      bar: '',
      spreadLine: '',
      helpDesk: [],
      nextHeading: '',
      next: [],
      links,
    });
  }
  const helpDesk = support.helpDesk.find((entry) => entry.level === level)!;
  const next = support.model.capabilities[0]!.levels.find((entry) => entry.level === level + 100);
  return cards.render('supportLevel', {
    basisLine,
    withheld: false,
    withheldLine: '',
    levelLine: levelName(level),
    bar: levelBar(level),
    spreadLine:
      score!.lowest !== score!.highest
        ? `Answers from ${score!.lowest} to ${score!.highest}: people see support differently, which is worth a conversation.`
        : '',
    helpDesk: [
      { label: 'What the help desk is prepared to handle', text: helpDesk.prepared },
      { label: 'Where extended support comes from', text: helpDesk.extendedSupport },
      { label: 'SLAs', text: helpDesk.sla },
    ],
    nextHeading: next ? `What ${levelName(next.level)} asks for` : '',
    next: (next?.indicators ?? []).map((indicator) => ({ text: indicator.text })),
    links,
  });
}

function aboutHeading(support: SupportContent, about: QuestionEntry['about']): string {
  if (about.kind === 'level') return `Support maturity ${about.level} · ${LEVEL_NAMES[about.level as Level]}`;
  if (about.kind === 'tier') return tierHeading(support.tiers.tiers.find((tier) => tier.id === about.tier)!);
  return 'Which support level applies?';
}

export function supportAnswerCard(cards: CardRenderer, support: SupportContent, match: QuestionMatch): AdaptiveCard {
  return cards.render('supportAnswer', {
    heading: aboutHeading(support, match.entry.about),
    answer: match.entry.answer,
    links: markdownLinks(match.entry.links),
    matchedLine: `I matched your question on: ${match.matchedOn.map((word) => word.replaceAll('-', ' ')).join(', ')}.`,
  });
}
