import { z } from 'zod';
import { linkSchema, maturityModelSchema, type CapabilityLevel, type Indicator } from './content.js';

const text = z.string().trim().min(1, 'must not be empty');
const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case id such as "user-base"');

/** Microsoft's tiers of applications, ranked: the highest rank wins when answers disagree. */
export const TIER_IDS = ['productivity', 'important', 'critical'] as const;
export type TierId = (typeof TIER_IDS)[number];
const tierId = z.enum(TIER_IDS);
const phrase = z.string().trim().toLowerCase().min(1);

export const tierSchema = z.strictObject({
  id: tierId,
  /** Microsoft's name (Productivity, Important, Critical). */
  name: text,
  /** The support label of the maturity model (Maker supported, IT blessed, IT supported). */
  supportLabel: text,
  meaning: text,
  requirements: z.strictObject({
    alm: text,
    environments: text,
    makerPermissions: text,
    itInvolvement: text,
    supportModel: text,
    graduation: text,
  }),
  links: z.array(linkSchema).min(1),
});
export type Tier = z.infer<typeof tierSchema>;

/** One fact the tiers-of-applications matrix asks about; each choice points at the tier it indicates. */
export const tierCriterionSchema = z.strictObject({
  id,
  label: text,
  choices: z.array(z.strictObject({ id, title: text, tier: tierId, reason: text })).min(2),
});
export type TierCriterion = z.infer<typeof tierCriterionSchema>;

/**
 * A yes/no fact that, when true, lifts the solution to at least the given tier. These are this project's
 * guidance, not Microsoft's (its tiers table has no such rows), and the card says so.
 */
export const tierEscalatorSchema = z.strictObject({ id, label: text, minimumTier: tierId, reason: text });
export type TierEscalator = z.infer<typeof tierEscalatorSchema>;

/**
 * How the tier is decided. By default (the source's §3.3) business impact and user base decide, the higher
 * of the two winning; the other criteria are shown as considerations. An organisation with its own decision
 * matrix edits the criteria, `decidedBy` and `matrix` here, and the card then names its matrix.
 */
export const tierRuleSchema = z.strictObject({
  decidedBy: z.array(id).min(1),
  /** How the card names the deciding criteria together ("business impact and user base"). */
  decidedByName: text,
  matrix: z.discriminatedUnion('owner', [
    z.strictObject({ owner: z.literal('guidance'), note: text }),
    z.strictObject({ owner: z.literal('organisation'), name: text, note: text }),
  ]),
  /** Says that lifts for external users and sensitive data are this project's guidance. */
  escalatorNote: text,
});
export type TierRule = z.infer<typeof tierRuleSchema>;

/** A rule in the small rule language of supportText.ts: "a|b + c|d". */
const ruleText = z.string().trim().min(1);

/** What a typed question says about a solution: reach, head-counts, impact in words, external users, sensitive data. */
export const tierFactsReadingSchema = z.strictObject({
  note: text,
  /** Words for people that a head-count counts ("8,000 staff", "a team of five"). */
  people: z.array(phrase).min(1),
  /** Head-count bands for one criterion, smallest first; the last has no upper bound. This project's reading. */
  headCount: z.strictObject({
    criterion: id,
    bands: z.array(z.strictObject({ upTo: z.number().int().positive().optional(), choice: id })).min(2),
  }),
  /** Words that tie a fact to a solution, so "the office" alone is not read as a user base. */
  context: ruleText,
  /** Per criterion (or escalator), rules in priority order: the first signal of a criterion that matches decides it. */
  signals: z.array(
    z.union([
      z.strictObject({ criterion: id, choice: id, rules: z.array(ruleText).min(1) }),
      z.strictObject({ escalator: id, rules: z.array(ruleText).min(1) }),
    ]),
  ),
});
export type TierFactsReading = z.infer<typeof tierFactsReadingSchema>;

/** What a support maturity level means for the help desk (seed 004). */
export const helpDeskLevelSchema = z.strictObject({
  level: z.union([z.literal(100), z.literal(200), z.literal(300), z.literal(400), z.literal(500)]),
  prepared: text,
  extendedSupport: text,
  sla: text,
});

/**
 * One answer the help desk can give. Retrieval indexes its title, curated phrasings and source statement;
 * its intent rules, when one matches, make it a confident answer.
 */
export const questionEntrySchema = z.strictObject({
  id,
  /** Short: the "Did you mean" button and the answer's sub-heading. */
  title: text.max(60, 'titles are button labels: 60 characters at most'),
  about: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('level'), level: helpDeskLevelSchema.shape.level }),
    z.strictObject({ kind: z.literal('tier'), tier: tierId }),
    z.strictObject({ kind: z.literal('tier-check') }),
    z.strictObject({ kind: z.literal('guide') }),
  ]),
  /** The seed 004 statement it answers: an indicator of the support-strategy capability. */
  statement: z.strictObject({ level: helpDeskLevelSchema.shape.level, indicator: z.number().int().min(0) }).optional(),
  answer: text,
  /** Ways people ask for this answer, in their words; indexed for retrieval. */
  phrasings: z.array(text).min(2),
  rules: z.array(ruleText).default([]),
  links: z.array(linkSchema).min(1),
});
export type QuestionEntry = z.infer<typeof questionEntrySchema>;

export const questionsSchema = z.strictObject({
  note: text,
  /** True synonyms, folded into one word before matching ("service desk" → "helpdesk"). */
  synonyms: z.array(z.strictObject({ canonical: phrase, variants: z.array(phrase).min(1), notAfter: z.array(phrase).optional() })),
  entries: z.array(questionEntrySchema).min(1),
});
export type SupportQuestions = z.infer<typeof questionsSchema>;

export const supportContentSchema = z.strictObject({
  model: maturityModelSchema,
  tiers: z.strictObject({
    source: z.array(linkSchema).min(1),
    /** Says that the Productivity/Important/Critical → maker/IT blessed/IT supported mapping is ours. */
    mappingNote: text,
    tiers: z.array(tierSchema).length(3),
    rule: tierRuleSchema,
    criteria: z.array(tierCriterionSchema).min(1),
    escalators: z.array(tierEscalatorSchema),
    facts: tierFactsReadingSchema,
  }),
  helpDesk: z.array(helpDeskLevelSchema).length(5),
  questions: questionsSchema,
});
export type SupportContent = z.infer<typeof supportContentSchema>;

/** The five levels of seed 004's one capability, the support strategy (the content rules check it is there). */
export function supportLevels(support: SupportContent): readonly CapabilityLevel[] {
  return support.model.capabilities[0]?.levels ?? [];
}

/** The seed 004 statement an entry names, with its level, if the content has it. */
export function statementIn(
  levels: readonly CapabilityLevel[],
  statement: NonNullable<QuestionEntry['statement']>,
): { level: CapabilityLevel; indicator: Indicator } | undefined {
  const level = levels.find((candidate) => candidate.level === statement.level);
  const indicator = level?.indicators[statement.indicator];
  return level && indicator ? { level, indicator } : undefined;
}
