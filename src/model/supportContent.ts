import { z } from 'zod';
import { linkSchema, maturityModelSchema } from './content.js';

const text = z.string().trim().min(1, 'must not be empty');
const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case id such as "user-base"');

/** Microsoft's tiers of applications, ranked: the highest rank wins when answers disagree. */
export const TIER_IDS = ['productivity', 'important', 'critical'] as const;
export type TierId = (typeof TIER_IDS)[number];
const tierId = z.enum(TIER_IDS);

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

/** A yes/no fact that, when true, lifts the solution to at least the given tier. */
export const tierEscalatorSchema = z.strictObject({ id, label: text, minimumTier: tierId, reason: text });
export type TierEscalator = z.infer<typeof tierEscalatorSchema>;

/** What a support maturity level means for the help desk (seed 004). */
export const helpDeskLevelSchema = z.strictObject({
  level: z.union([z.literal(100), z.literal(200), z.literal(300), z.literal(400), z.literal(500)]),
  prepared: text,
  extendedSupport: text,
  sla: text,
});

const phrase = z.string().trim().toLowerCase().min(1);

/** A plain help-desk question's answer, with the words that select it (see supportMatcher.ts). */
export const questionEntrySchema = z.strictObject({
  id,
  /** Every group must be met by one of its words; more groups means a more specific entry. */
  match: z.array(z.array(phrase).min(1)).min(1),
  answer: text,
  about: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('level'), level: helpDeskLevelSchema.shape.level }),
    z.strictObject({ kind: z.literal('tier'), tier: tierId }),
    z.strictObject({ kind: z.literal('tier-check') }),
  ]),
  links: z.array(linkSchema).min(1),
});
export type QuestionEntry = z.infer<typeof questionEntrySchema>;

export const questionsSchema = z.strictObject({
  note: text,
  /** Words and phrases people use, folded into one canonical word before matching. */
  synonyms: z.array(z.strictObject({ canonical: phrase, variants: z.array(phrase).min(1) })),
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
    criteria: z.array(tierCriterionSchema).min(1),
    escalators: z.array(tierEscalatorSchema),
  }),
  helpDesk: z.array(helpDeskLevelSchema).length(5),
  questions: questionsSchema,
});
export type SupportContent = z.infer<typeof supportContentSchema>;
