import type { Activity } from 'botbuilder';
import { z } from 'zod';

/**
 * The shape of an activity the bot accepts, checked before botbuilder or a handler reads it: every field the SDK or
 * the handlers read has the type they expect, so a malformed activity is refused with 400 instead of failing inside
 * a turn. Ids are bounded so that the keys built from them stay within Table Storage's 1 KiB key limit. Fields not
 * named here pass through untouched.
 */
const id = (max: number) => z.string().min(1).max(max);
const account = z.looseObject({ id: id(256), name: z.string().max(256).optional(), aadObjectId: id(64).optional() });
const named = z.looseObject({ id: id(256).optional(), name: z.string().max(256).optional() }).optional();
const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), 'must be an http(s) URL');
const isoTime = z.string().max(64).optional();

const activitySchema = z
  .looseObject({
    type: z.string().min(1).max(64),
    id: z.string().max(256).optional(),
    name: z.string().max(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: httpUrl,
    from: account,
    recipient: account,
    conversation: z.looseObject({
      id: id(256),
      conversationType: z.string().max(64).optional(),
      tenantId: z.string().max(64).optional(),
      isGroup: z.boolean().optional(),
      name: z.string().max(256).optional(),
    }),
    channelData: z
      .looseObject({
        tenant: z.looseObject({ id: z.string().max(64).optional() }).optional(),
        team: named,
        channel: named,
        eventType: z.string().max(64).optional(),
      })
      .optional(),
    text: z.string().optional(),
    textFormat: z.string().max(64).optional(),
    locale: z.string().max(64).optional(),
    replyToId: z.string().max(256).optional(),
    action: z.string().max(64).optional(),
    timestamp: isoTime,
    localTimestamp: isoTime,
    entities: z.array(z.looseObject({ type: z.string().max(256).optional() })).optional(),
    attachments: z.array(z.looseObject({ contentType: z.string().max(256).optional() })).optional(),
    membersAdded: z.array(account).optional(),
    membersRemoved: z.array(account).optional(),
  })
  .refine((activity) => activity.type !== 'invoke' || activity.name !== undefined, { message: 'an invoke needs a name', path: ['name'] });

export type InboundActivity = { activity: Activity } | { problem: string };

/** The activity if it has the shape above, or a short reason naming the first field that is wrong. */
export function parseInboundActivity(body: unknown): InboundActivity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'The body must be a JSON object (an activity).' };
  const parsed = activitySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'activity';
    return {
      problem: `The activity is malformed: "${field}" ${issue?.code === 'invalid_type' ? 'is missing or has the wrong type' : 'is not valid'}.`,
    };
  }
  const activity = parsed.data as unknown as Activity;
  // botbuilder expects Date objects here (as its own validateAndFixActivity makes them), keeping the raw text beside.
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = parsed.data[field];
    if (typeof value === 'string') Object.assign(activity, { [field]: new Date(value), [raw]: value });
  }
  return { activity };
}
