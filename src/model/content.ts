import { z } from 'zod';

/** The five maturity levels shared by every Power Platform maturity model. */
export const LEVELS = [100, 200, 300, 400, 500] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_NAMES: Record<Level, string> = {
  100: 'Initial',
  200: 'Repeatable',
  300: 'Defined',
  400: 'Capable',
  500: 'Efficient',
};

/** The maturity models the bot runs; content/ has one file per model. */
export const MODEL_IDS = ['adoption', 'automation', 'support'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

/** The model a word names ("automation"), or undefined. */
export const modelIdOf = (word: string | undefined): ModelId | undefined => MODEL_IDS.find((id) => id === word);

export function isLevel(value: unknown): value is Level {
  return LEVELS.some((level) => level === value);
}

const text = z.string().trim().min(1, 'must not be empty');
const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case id such as "business-value"');

/** Content stores absolute URLs only: the seeds' relative names are resolved through reference/links.json. */
const absoluteUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute https URL (content never stores relative names such as "vision.md")');

/**
 * A resource link. Where the source names a resource but no page exists (an empty link in the seed),
 * the entry keeps the title and says why there is no URL, so the gap is visible in the data. Where the
 * source's link opens another page than its title names, and the reference has no better one, `opens`
 * says what it opens, and cards say that the link is the source's own.
 */
export const linkSchema = z.union([
  z.strictObject({ title: text, url: absoluteUrl, opens: text.optional() }),
  z.strictObject({ title: text, unavailable: text }),
]);
export type Link = z.infer<typeof linkSchema>;
export type WebLink = Extract<Link, { url: string }>;
export const hasUrl = (link: Link): link is WebLink => 'url' in link;

const levelSchema = z.union(LEVELS.map((level) => z.literal(level)) as [z.ZodLiteral<Level>, ...z.ZodLiteral<Level>[]]);

export const indicatorSchema = z.strictObject({ text, links: z.array(linkSchema) });
export type Indicator = z.infer<typeof indicatorSchema>;

/** One level of one capability: what a team at this level looks like. */
export const capabilityLevelSchema = z.strictObject({
  level: levelSchema,
  /** The choice shown on the question card: a sentence or two in our own words. */
  choice: text.max(220, 'choices must stay short enough to read on a phone (220 characters)'),
  state: text,
  goal: text.optional(),
  indicators: z.array(indicatorSchema).min(1),
  resources: z.array(linkSchema),
});
export type CapabilityLevel = z.infer<typeof capabilityLevelSchema>;

export const capabilitySchema = z.strictObject({
  id,
  title: text,
  /**
   * Id of an adoption pillar (content/pillars.json), shown as a reading aid. The pairing is this project's
   * own, and cards say so. Automation capabilities are HEAT pillars themselves, so they name none.
   */
  pillar: id.optional(),
  learnMore: linkSchema,
  levels: z.array(capabilityLevelSchema).length(5),
});
export type Capability = z.infer<typeof capabilitySchema>;

export const opportunitySchema = z.strictObject({ text, links: z.array(linkSchema) });
export type Opportunity = z.infer<typeof opportunitySchema>;

export const resourceGroupSchema = z.strictObject({ heading: text, links: z.array(linkSchema).min(1) });
export type ResourceGroup = z.infer<typeof resourceGroupSchema>;

/** A model-wide level (seed 000 for adoption, seed 001 for automation, seed 004 for support). */
export const modelLevelSchema = z.strictObject({
  level: levelSchema,
  name: text,
  tagline: text.optional(),
  /** What the level means, in one line of our own words from the source's stage description. */
  headline: text.max(160, 'a headline is one line (160 characters)'),
  summary: text,
  characteristics: z.array(text),
  opportunities: z.array(opportunitySchema),
});
export type ModelLevel = z.infer<typeof modelLevelSchema>;

export const maturityModelSchema = z.strictObject({
  id: z.enum(MODEL_IDS),
  title: text,
  /** Short name used in card headers and commands ("Adoption"). */
  shortTitle: text,
  /** What one capability is called where it is not "capability" ("HEAT pillar" in the automation model). */
  capabilityKind: text.optional(),
  description: text,
  /**
   * What the questions ask people to judge: the organisation as a whole (the adoption and support models describe an
   * organisation: an executive sponsor, tenant-wide policies, a help desk) or the team answering. The question says
   * so (checked by the content rules), and the organisation view reads team levels accordingly.
   */
  about: z.enum(['organisation', 'team']),
  question: text,
  source: z.array(linkSchema).min(1),
  /** Set where the level opportunities are this project's suggestions rather than the source's: says so, and why. */
  opportunitiesNote: text.optional(),
  levels: z.array(modelLevelSchema).length(5),
  capabilities: z.array(capabilitySchema).min(1),
  /** The source's further reading (rollout guides, customer stories, learning), in its own groups. */
  resources: z.array(resourceGroupSchema).default([]),
});
export type MaturityModel = z.infer<typeof maturityModelSchema>;

export const pillarSchema = z.strictObject({ id, title: text, description: text, link: linkSchema });
export type Pillar = z.infer<typeof pillarSchema>;
export const pillarsFileSchema = z.strictObject({ source: linkSchema, pillars: z.array(pillarSchema).min(1) });
export type PillarsFile = z.infer<typeof pillarsFileSchema>;
