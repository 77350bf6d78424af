import { z } from 'zod';
import { ASSESSMENT_VERBS } from '../model/commands.js';
import { MODEL_IDS } from '../model/content.js';

/**
 * What a card may send back. Strict: a submission carrying anything else (another member's id, say)
 * is refused. Identity never comes from here: it comes from the activity.
 */
const teamsEnvelope = z.object({ type: z.string() }).passthrough().optional();

export const cardActionSchema = z.strictObject({
  verb: z.enum(ASSESSMENT_VERBS),
  model: z.enum(MODEL_IDS),
  capability: z.string().max(100).optional(),
  round: z.string().max(20).optional(),
  /** Fingerprint of the question as shown (see capabilityVersion). */
  v: z.string().max(20).optional(),
  /** The Input.ChoiceSet value: a level or "notsure". */
  level: z.string().max(20).optional(),
  /** Added by Teams to Action.Submit data that opens a dialog. */
  msteams: teamsEnvelope,
});
export type CardAction = z.infer<typeof cardActionSchema>;
export type CardActionData = Omit<CardAction, 'level' | 'msteams' | 'verb'> & { verb: CardAction['verb'] };

export const NOT_SURE_VALUE = 'notsure';
