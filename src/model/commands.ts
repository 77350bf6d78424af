/**
 * The one table of what people can type and what cards can send. The route table (src/bot/routes.ts) has a
 * handler for each, the help card lists the commands, and the Teams manifest's command list is generated from them.
 */
import { z } from 'zod';
import { MODEL_IDS, modelIdOf, type ModelId } from './content.js';

export type Scope = 'personal' | 'team' | 'groupChat';

export interface CommandSpec {
  /** The words that select the command, lower case ("support level"). Longest match wins. */
  name: string;
  /** How it is written in help, with its optional arguments. */
  usage: string;
  /** Shown in help and in the Teams command menu (the manifest allows 128 characters). */
  description: string;
  /** Where the command does something else in one scope, what it does there (help and the manifest use it). */
  descriptionIn?: Partial<Record<Scope, string>>;
  scopes: readonly Scope[];
  /** Only CoE admins may run it. */
  admin?: boolean;
}

const everywhere: readonly Scope[] = ['personal', 'team', 'groupChat'];
/** Team commands: they act on the channel or group chat they are typed in. */
const shared: readonly Scope[] = ['team', 'groupChat'];

export const COMMANDS = [
  {
    name: 'assess',
    usage: 'assess [adoption | automation | support]',
    description: 'Start or resume your maturity assessment, one question per capability.',
    descriptionIn: {
      team: 'Post the assessment in this channel: each member answers privately in a dialog, one question per capability.',
      groupChat: "Start or resume your part of this group chat's assessment, one question per capability.",
    },
    scopes: everywhere,
  },
  {
    name: 'results',
    usage: 'results [adoption | automation | support]',
    description: "Post the team's level per capability, the spread and the next best actions.",
    descriptionIn: {
      personal: 'Show your own summary: your level per capability and your next steps. Team results are in channels and group chats.',
      team: "Post this channel's level per capability, the spread and the next best actions.",
      groupChat: "Post this group chat's level per capability, the spread and the next best actions.",
    },
    scopes: everywhere,
  },
  {
    name: 'support',
    usage: 'support',
    description: 'Work out which support level a solution needs: maker supported, IT blessed or IT supported.',
    scopes: everywhere,
  },
  {
    name: 'support maturity',
    usage: 'support maturity',
    description: "Answer the support-strategy question for your organisation's support maturity.",
    scopes: everywhere,
  },
  {
    name: 'support level',
    usage: 'support level',
    description: "Show the organisation's support maturity and what it means for the help desk.",
    scopes: everywhere,
  },
  {
    name: 'support stats',
    usage: 'support stats',
    description: "CoE admins: what the help desk was asked each month, what it couldn't answer, and how answers were rated.",
    scopes: everywhere,
    admin: true,
  },
  {
    name: 'pulse',
    usage: 'pulse on [model] | off | status | now',
    description: 'CoE admins: switch the monthly maturity pulse on or off for this channel, check on it, or run it now.',
    descriptionIn: {
      groupChat: 'CoE admins: switch the monthly maturity pulse on or off for this group chat, check on it, or run it now.',
    },
    scopes: shared,
    admin: true,
  },
  {
    name: 'target',
    usage: 'target capability level [model]',
    description: "CoE admins: set the team's target level for a capability, e.g. target governance 300.",
    scopes: shared,
    admin: true,
  },
  {
    name: 'export',
    usage: 'export [adoption | automation | support]',
    description: "CoE admins: the team's results per month as CSV, without anyone's own answers.",
    scopes: shared,
    admin: true,
  },
  // Personal only: every team side by side is for the CoE alone, never a channel where one team would read another's.
  {
    name: 'results org',
    usage: 'results org [adoption | automation | support]',
    description: "CoE admins: the organisation's maturity, every team at a glance, and where to act first (in your chat with me).",
    scopes: ['personal'],
    admin: true,
  },
  {
    name: 'target org',
    usage: 'target org capability level [model]',
    description: "CoE admins: set the organisation's target for a capability, e.g. target org governance 300.",
    scopes: ['personal'],
    admin: true,
  },
  // Personal only: the reply says how many answers there were, which is nobody else's business.
  {
    name: 'forget me',
    usage: 'forget me',
    description: 'Delete what I keep about you: every answer, in every team, model and month, history included. I ask first.',
    scopes: ['personal'],
  },
  {
    name: 'help',
    usage: 'help',
    description: 'List what I can do. You can also ask a support question in your own words.',
    scopes: everywhere,
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]['name'];

/** The Teams scope of a conversation: a channel is the "team" scope. */
export function scopeOfKind(kind: 'personal' | 'channel' | 'groupChat'): Scope {
  return kind === 'channel' ? 'team' : kind;
}

/** The commands that work in a scope, each with what it does there, in table order (help and the manifest). */
export function commandsIn(scope: Scope, commands: readonly CommandSpec[] = COMMANDS): { spec: CommandSpec; description: string }[] {
  return commands
    .filter((spec) => spec.scopes.includes(scope))
    .map((spec) => ({ spec, description: spec.descriptionIn?.[scope] ?? spec.description }));
}

/**
 * How to send a command in a scope: typed as it is in a personal chat; in a channel or group chat Teams gives the bot
 * only messages that @mention it. "type **assess**" / "@mention me with **assess**".
 */
export function howToSend(scope: Scope, command: string): string {
  return scope === 'personal' ? `type **${command}**` : `@mention me with **${command}**`;
}

/** "Type **pulse on**", "try **assess adoption**", "type **support level**, **help** or **assess**": a run of commands to type. */
const TYPE_INSTRUCTION = /\b[Tt](?:ype|ry) \*\*([^*\n]+)\*\*((?:(?:, | or | and )\*\*[^*\n]+\*\*)*)/g;
/** An instruction that sends the member to their personal chat means typing there: it stays as it is. */
const TO_PERSONAL_CHAT = /^ in (?:your|this) personal chat/;

/**
 * Replies are written as a member types in a personal chat ("Type **pulse on** to start it"). In a channel or group
 * chat Teams gives the bot only messages that @mention it, so there each such instruction becomes "@mention me with
 * **pulse on**" (howToSend). Bold words that are no command, and instructions to type in the personal chat, stay.
 */
export function wordedForScope(text: string, scope: Scope): string {
  if (scope === 'personal') return text;
  return text.replace(TYPE_INSTRUCTION, (instruction: string, first: string, more: string, offset: number) => {
    const commands = [first, ...[...more.matchAll(/\*\*([^*]+)\*\*/g)].map(([, command]) => command ?? '')];
    const after = text.slice(offset + instruction.length);
    if (TO_PERSONAL_CHAT.test(after) || !commands.every((command) => parseCommand(command))) return instruction;
    return `${howToSend(scope, first)}${more}`;
  });
}

export function isAdminCommand(name: CommandName): boolean {
  return COMMANDS.some((spec) => spec.name === name && 'admin' in spec && spec.admin);
}

/** Verbs of the assessment cards, whose data names a model (cardActionSchema). */
export const ASSESSMENT_VERBS = ['answer', 'back', 'skip', 'change', 'summary', 'results', 'assess', 'open'] as const;
/** Verbs of the help-desk cards, which carry no model. */
export const SUPPORT_VERBS = ['support', 'tier', 'supportpick', 'supportrate'] as const;
/**
 * Every verb a card sends back (Action.Execute verbs, Action.Submit data.verb, dialog submits). The route table
 * in src/bot/routes.ts has a handler for each.
 */
/** Delete and Cancel on the forget-me card (data: forgetActionSchema in src/cards/privacyCards.ts). */
export const PRIVACY_VERBS = ['forget', 'keep'] as const;
export const CARD_VERBS = [...ASSESSMENT_VERBS, ...SUPPORT_VERBS, ...PRIVACY_VERBS] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

const teamsEnvelope = z.object({ type: z.string() }).passthrough().optional();

/**
 * What an assessment card may send back. Strict: a submission carrying anything else (another member's id, say)
 * is refused. Identity never comes from here: it comes from the activity.
 */
export const cardActionSchema = z.strictObject({
  verb: z.enum(ASSESSMENT_VERBS),
  model: z.enum(MODEL_IDS),
  capability: z.string().max(100).optional(),
  round: z.string().max(20).optional(),
  /** Fingerprint of the question as shown (see capabilityVersion). */
  v: z.string().max(20).optional(),
  /** The Input.ChoiceSet value: a level or "notsure". */
  level: z.string().max(20).optional(),
  /** Set on a question opened from "Change answers": after it, back to the summary rather than on to the next question. */
  then: z.literal('summary').optional(),
  /** Added by Teams to Action.Submit data that opens a dialog. */
  msteams: teamsEnvelope,
});
export type CardAction = z.infer<typeof cardActionSchema>;
export type CardActionData = Omit<CardAction, 'level' | 'msteams' | 'verb'> & { verb: CardAction['verb'] };

/** The Input.ChoiceSet value of "Not sure". */
export const NOT_SURE_VALUE = 'notsure';

export interface ParsedCommand {
  command: CommandName;
  args: string[];
}

/** "assess", "assess automation": no argument means adoption; anything but one known model id is undefined. */
export function modelFromArgs(args: readonly string[]): ModelId | undefined {
  if (args.length === 0) return 'adoption';
  return args.length === 1 ? modelIdOf(args[0]) : undefined;
}

/** Reads a typed message: case and extra spaces do not matter; the longest command name wins. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const byLength = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const spec of byLength) {
    const nameWords = spec.name.split(' ');
    if (nameWords.every((word, index) => words[index] === word)) {
      return { command: spec.name, args: words.slice(nameWords.length) };
    }
  }
  return undefined;
}
