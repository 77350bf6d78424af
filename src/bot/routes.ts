/**
 * The route table: every command a member types and every verb a card sends back, each with its handler, read top
 * to bottom like microsoft/teams.ts's list of app.on(…). A handler gets the Turn (who, where, which surface, how to
 * post) and returns the reply for that surface: words or a card. Nothing here knows botbuilder (teamsBot.ts does).
 *
 * To add a command:
 *   1. Add its spec to COMMANDS in src/model/commands.ts: name, usage, description, scopes, and `admin: true` if only
 *      CoE admins may run it (they are checked here, before the handler runs). Help and the manifest list it from there.
 *   2. Add `'<name>': (turn, args, text) => …` to `commands` below. Until you do, the build fails ("Property '<name>'
 *      is missing"): `commands` must have a handler for every CommandName.
 * To add a card verb:
 *   1. Add it to CARD_VERBS in src/model/commands.ts (via ASSESSMENT_VERBS if its data is a CardAction naming a model).
 *   2. Add its route to `verbs` below: the surfaces it may arrive from and its handler; `assessment(…)` parses the data
 *      as a CardAction first. Until you do, the build fails the same way.
 * Whatever matches nothing (an unknown verb, a verb from a surface it does not belong to, data that does not parse)
 * gets a friendly reply, never silence; text that is no command is a help-desk question.
 */
import type { Logger } from 'pino';
import { helpCard, welcomeText } from '../cards/helpCard.js';
import { openDialogData } from '../cards/pulseCards.js';
import { forgetActionSchema } from '../cards/privacyCards.js';
import type { CardRenderer } from '../cards/templates.js';
import {
  cardActionSchema,
  CARD_VERBS,
  isAdminCommand,
  modelFromArgs,
  parseCommand,
  scopeOfKind,
  type CardAction,
  type CardVerb,
  type CommandName,
} from '../model/commands.js';
import type { ModelId } from '../model/content.js';
import type { AssessmentFlow } from './assessmentFlow.js';
import type { CoeAdmins } from './coeAdmins.js';
import type { OrganisationCommands } from './organisationCommands.js';
import type { PrivacyCommands } from './privacyCommands.js';
import type { PulseCommands } from './pulseCommands.js';
import type { SupportDesk } from './supportDesk.js';
import type { Reply, Surface, Turn } from './turn.js';

type Awaitable<T> = T | Promise<T>;

/** Handles a command: `args` are the lower-case words after its name, `text` the whole message as typed. */
export type CommandHandler = (turn: Turn, args: readonly string[], text: string) => Awaitable<Reply>;

/** Where a card verb may arrive from, and its handler; undefined from the handler means the data is not ours. */
export interface VerbRoute {
  readonly on: readonly Surface[];
  run(turn: Turn, data: Readonly<Record<string, unknown>>): Awaitable<Reply | undefined>;
}

/** What the handlers call: the use cases, each reduced to the methods the table uses. */
export interface RouteServices {
  flow: Pick<AssessmentFlow, 'start' | 'change' | 'answer' | 'back' | 'skip' | 'summary' | 'teamResult' | 'prompt'>;
  supportDesk: Pick<SupportDesk, 'tierForm' | 'level' | 'answer' | 'act' | 'stats'>;
  pulse: Pick<PulseCommands, 'pulse' | 'target'>;
  privacy: Pick<PrivacyCommands, 'forget' | 'answerForget' | 'export'>;
  admins: Pick<CoeAdmins, 'isAdmin' | 'refusal'>;
  organisation: Pick<OrganisationCommands, 'results' | 'target'>;
  cards: CardRenderer;
  logger: Logger;
}

export const INVALID_SUBMISSION =
  "That card sent something I can't use, so nothing was saved. Type **assess** to pick up where you left off.";
const NO_TEAM_HERE =
  "In this chat it's just you, so there is no team result here: your summary is the card above. To see a team's results, @mention me with **results** in its channel or group chat.";
/** Commands and help-desk questions are short; anything longer is refused before it is matched. */
const MAX_TEXT_LENGTH = 1000;
const TOO_LONG = `That message is longer than I can read (${MAX_TEXT_LENGTH} characters at most). Ask a shorter question, or type **help** for what I can do.`;

export type Routes = ReturnType<typeof createRoutes>;

export function createRoutes(s: RouteServices) {
  const { flow } = s;

  const commands = {
    assess: withModel('assess', (turn, modelId) => assess(turn, modelId)),
    results: withModel('results', (turn, modelId) => results(turn, modelId)),
    support: orQuestion(() => s.supportDesk.tierForm()),
    'support maturity': orQuestion((turn) => assess(turn, 'support')),
    'support level': orQuestion((turn) => s.supportDesk.level(turn.tenantId, turn.memberId)),
    // Counts only in a team chat; what people typed (if kept at all) only in the admin's personal chat.
    'support stats': orQuestion((turn) => s.supportDesk.stats(turn.tenantId, turn.kind === 'personal')),
    pulse: (turn, args) => s.pulse.pulse(turn, args),
    target: (turn, args) => s.pulse.target(turn, args),
    export: (turn, args) => s.privacy.export(turn, args),
    'results org': (turn, args) => s.organisation.results(turn, args),
    'target org': (turn, args) => s.organisation.target(turn, args),
    'forget me': (turn, args) => s.privacy.forget(turn, args),
    help: orQuestion((turn) => helpCard(s.cards, scopeOfKind(turn.kind))),
  } satisfies Record<CommandName, CommandHandler>;

  const verbs = {
    answer: assessment(['card', 'dialog'], (turn, action) => answer(turn, action)),
    back: assessment(['card', 'dialog'], (turn, action) => flow.back(turn, action)),
    skip: assessment(['card', 'dialog'], (turn, action) => flow.skip(turn, action)),
    change: assessment(['card', 'dialog'], (turn, action) => flow.change(turn, action)),
    summary: assessment(['card', 'dialog'], (turn, action) => flow.summary(turn, action.model)),
    open: assessment(['card', 'dialog'], (turn, action) => flow.start(turn, action.model)),
    assess: assessment(['chat', 'card', 'dialog'], (turn, action) => assess(turn, action.model)),
    results: assessment(['chat', 'card'], (turn, action) =>
      turn.surface === 'card' ? summaryBesideResults(turn, action.model) : results(turn, action.model),
    ),
    support: helpDesk(['card']),
    tier: helpDesk(['card']),
    supportpick: helpDesk(['card']),
    supportrate: helpDesk(['card']),
    forget: forgetMe(['card']),
    keep: forgetMe(['card']),
  } satisfies Record<CardVerb, VerbRoute>;

  /** The answer step: records the member's choice (the answer store tells the pulse card's count, off this path). */
  function answer(turn: Turn, action: CardAction): Promise<Reply> {
    return flow.answer(turn, action);
  }

  /**
   * Start or resume; posted in a channel or group chat, a prompt instead: each member answers in a dialog only they
   * see, so nobody's own answers or summary are posted where the others read them.
   */
  async function assess(turn: Turn, modelId: ModelId): Promise<Reply> {
    if (turn.surface === 'chat' && turn.kind !== 'personal') {
      return flow.prompt(modelId, openDialogData(modelId), { verb: 'results', model: modelId });
    }
    return flow.start(turn, modelId);
  }

  /** The team's results; in a personal chat, the member's own summary. */
  async function results(turn: Turn, modelId: ModelId): Promise<Reply> {
    if (turn.kind === 'personal') {
      await turn.post("In this chat it's just you, so here is your own summary. Team results appear in a channel or group chat.");
      return flow.summary(turn, modelId);
    }
    return flow.teamResult(turn, modelId, openDialogData(modelId));
  }

  /**
   * The member keeps their own summary on the card; in a team the team result is posted beside it. A personal chat
   * has no team result (its summary offers no such button; an older card might): it says so rather than nothing.
   */
  async function summaryBesideResults(turn: Turn, modelId: ModelId): Promise<Reply> {
    await turn.post(turn.kind === 'personal' ? NO_TEAM_HERE : await results(turn, modelId));
    return flow.summary(turn, modelId);
  }

  /** A message that is no command: perhaps a help-desk question in the member's own words. */
  async function question(turn: Turn, text: string): Promise<Reply> {
    const reply = await s.supportDesk.answer(turn.tenantId, text);
    return 'card' in reply ? reply.card : reply.text;
  }

  /** Words after a command that takes none ("help desk hours?", "support for an app…") make the message a question. */
  function orQuestion(handler: (turn: Turn) => Awaitable<Reply>): CommandHandler {
    return (turn, args, text) => (args.length > 0 ? question(turn, text) : handler(turn));
  }

  function withModel(command: CommandName, handler: (turn: Turn, modelId: ModelId) => Awaitable<Reply>): CommandHandler {
    return (turn, args) => {
      const modelId = modelFromArgs(args);
      if (modelId) return handler(turn, modelId);
      return `I don't know the model "${args.join(' ')}". Try **${command} adoption**, **${command} automation** or **${command} support**.`;
    };
  }

  /** A verb of the assessment cards, whose data must be a CardAction (cardActionSchema in src/model/commands.ts). */
  function assessment(on: readonly Surface[], handler: (turn: Turn, action: CardAction) => Awaitable<Reply>): VerbRoute {
    return {
      on,
      run(turn, data) {
        const parsed = cardActionSchema.safeParse(data);
        return parsed.success ? handler(turn, parsed.data) : undefined;
      },
    };
  }

  /** Delete or Cancel on the forget-me card, whose data must be a ForgetAction. */
  function forgetMe(on: readonly Surface[]): VerbRoute {
    return {
      on,
      run(turn, data) {
        const parsed = forgetActionSchema.safeParse(data);
        return parsed.success ? s.privacy.answerForget(turn, parsed.data) : undefined;
      },
    };
  }

  /** A verb of the help-desk cards, which the support desk parses itself. */
  function helpDesk(on: readonly Surface[]): VerbRoute {
    return { on, run: (turn, data) => s.supportDesk.act(turn.tenantId, data) };
  }

  return {
    commands,
    verbs,

    /** A typed message: a command (admin commands only for CoE admins), or else a help-desk question. */
    async message(turn: Turn, text: string): Promise<Reply> {
      if (text.length > MAX_TEXT_LENGTH) return TOO_LONG;
      const parsed = parseCommand(text);
      if (!parsed) return question(turn, text);
      const { command, args } = parsed;
      if (isAdminCommand(command) && !(await s.admins.isAdmin(turn))) return s.admins.refusal([command, ...args.slice(0, 1)].join(' '));
      const handler: CommandHandler = commands[command];
      return handler(turn, args, text);
    },

    /** What a card sent back: an Action.Submit in a chat, an Action.Execute on a card, a submit in a dialog. */
    async cardAction(turn: Turn, data: Readonly<Record<string, unknown>>): Promise<Reply> {
      const verb = CARD_VERBS.find((candidate) => candidate === data.verb);
      const route: VerbRoute | undefined = verb && verbs[verb];
      if (!route?.on.includes(turn.surface)) return INVALID_SUBMISSION;
      return (await route.run(turn, data)) ?? INVALID_SUBMISSION;
    },

    /** The bot was added to a conversation: how to start there (typed in a personal chat, with an @mention elsewhere). */
    welcome(turn: Turn, botName: string): Reply {
      return welcomeText(scopeOfKind(turn.kind), botName);
    },

    /** A dialog opens on the first question the member has not answered this round, whichever button opened it. */
    async dialogOpened(turn: Turn, data: Readonly<Record<string, unknown>>): Promise<Reply> {
      const parsed = cardActionSchema.safeParse(data);
      return parsed.success ? flow.start(turn, parsed.data.model) : INVALID_SUBMISSION;
    },
  };
}
