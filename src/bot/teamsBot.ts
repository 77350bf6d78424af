import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import { cardActionSchema, type CardAction } from '../cards/cardActions.js';
import { helpCard } from '../cards/helpCard.js';
import { openDialogData } from '../cards/pulseCards.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import { isAdminCommand, modelFromArgs, parseCommand, SUPPORT_VERBS, type CommandName } from '../model/commands.js';
import type { ModelId } from '../model/content.js';
import type { PulseRunner } from '../pulse/pulseRunner.js';
import type { ConversationStore } from '../store/conversationStore.js';
import { targetOf, type PulseCommands } from './pulseCommands.js';
import type { AssessmentFlow, Participant } from './assessmentFlow.js';
import { DONT_KNOW, type SupportDesk } from './supportDesk.js';
import { dialogMessage, errorInvokeResponse, invokeText, messageResponse } from './invokeResponses.js';
import { conversationKind, participantOf, tenantAllowed, tenantOf, UserFacingError } from './participant.js';
import { correlationIdOf } from './adapter.js';
import type { PrivacyCommands } from './privacyCommands.js';

const INVALID_SUBMISSION = "That card sent something I can't use, so nothing was saved. Type **assess** to pick up where you left off.";
const NOT_AVAILABLE =
  "This bot isn't available for your organisation, so I haven't read or kept anything you sent. If you think it should be, ask your Teams admin to contact whoever runs Maturity Pulse.";
const SUPPORT_COMMANDS = new Set<CommandName>(['support', 'support maturity', 'support level']);
/** Commands and help-desk questions are short; anything longer is refused before it is matched. */
const MAX_TEXT_LENGTH = 1000;

const executeInvokeSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: z.record(z.string(), z.unknown()).optional() }),
});
const taskInvokeSchema = z.object({ data: z.record(z.string(), z.unknown()) });

export interface BotDeps {
  flow: AssessmentFlow;
  supportDesk: SupportDesk;
  conversations: ConversationStore;
  pulse: { runner: PulseRunner; commands: PulseCommands };
  privacy: PrivacyCommands;
  /** Lower-case tenant ids allowed to use the bot; empty allows every tenant. */
  allowedTenants: readonly string[];
  cards: CardRenderer;
  logger: Logger;
}

const asAttachment = (card: AdaptiveCard) => MessageFactory.attachment(CardFactory.adaptiveCard(card));
const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card,
});
const dialog = (card: AdaptiveCard, title: string): TaskModuleResponse => ({
  task: { type: 'continue', value: { title, height: 'large', width: 'medium', card: CardFactory.adaptiveCard(card) } },
});

function parseAction(data: unknown): CardAction | undefined {
  const parsed = cardActionSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

const ADDRESS_MEMORY = 10_000;

/** Thin Teams handlers: read the activity, call the assessment flow, reply with cards. */
export class MaturityPulseBot extends TeamsActivityHandler {
  /** The connector address last seen per conversation by this instance (see refreshAddress). */
  private readonly addresses = new Map<string, string>();

  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((member) => member.id === context.activity.recipient?.id);
      if (botAdded) {
        await this.remember(context);
        await context.sendActivity(
          MessageFactory.text(
            'Hello — I run the Power Platform maturity models with your team. Type **assess** to start, or **help** for everything I can do.',
          ),
        );
      }
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if ((context.activity.membersRemoved ?? []).some((member) => member.id === context.activity.recipient?.id))
        await this.forget(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context);
      await next();
    });
  }

  /** Tenants not on ALLOWED_TENANTS get a polite refusal before any handler runs, so nothing of theirs is stored. */
  override async run(context: TurnContext): Promise<void> {
    if (tenantAllowed(context.activity, this.deps.allowedTenants)) return super.run(context);
    const { activity } = context;
    this.deps.logger.info(
      { correlationId: correlationIdOf(context), tenantId: tenantOf(activity), activityType: activity.type },
      'activity from a tenant not in ALLOWED_TENANTS refused',
    );
    if (activity.type === ActivityTypes.Invoke) {
      // Words the member sees, never a card.
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: invokeText(activity.name, NOT_AVAILABLE, { status: 403, code: 'Forbidden' }),
      });
      return;
    }
    const installed =
      (activity.type === ActivityTypes.InstallationUpdate && (activity.action === 'add' || activity.action === 'add-upgrade')) ||
      (activity.type === ActivityTypes.ConversationUpdate &&
        (activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id));
    if (activity.type === ActivityTypes.Message || installed) await context.sendActivity(NOT_AVAILABLE);
  }

  /** A team answer may change the pulse card's "N answered" line; that must never fail the answer itself. */
  private async afterAnswer(context: TurnContext, participant: Participant, action: CardAction): Promise<void> {
    if (action.verb !== 'answer' || conversationKind(context.activity) === 'personal') return;
    await this.deps.pulse.runner
      .noteAnswer(participant.tenantId, participant.scopeId)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, conversationId: participant.scopeId }, 'pulse card count not updated'),
      );
  }

  /**
   * Proactive posts go to the address the conversation last wrote from: the first message this instance
   * sees from a conversation, or one from a new address, updates the stored reference and any pulse.
   */
  private async refreshAddress(context: TurnContext, participant: Participant): Promise<void> {
    const key = `${participant.tenantId}|${participant.scopeId}`;
    if (this.addresses.get(key) === context.activity.serviceUrl) return;
    const target = targetOf(context, participant);
    await this.deps.conversations.save(target, new Date());
    await this.deps.pulse.runner.refreshAddress(target);
    this.addresses.set(key, context.activity.serviceUrl);
    if (this.addresses.size > ADDRESS_MEMORY) this.addresses.delete(this.addresses.keys().next().value!);
  }

  /** Installed here: keep where to post, so the pulse can post proactively later. */
  private async remember(context: TurnContext): Promise<void> {
    const participant = identify(context.activity);
    if (participant instanceof UserFacingError) return;
    await this.deps.conversations.save(targetOf(context, participant), new Date());
  }

  /** Uninstalled: the bot may no longer post here, so the reference and any pulse go. */
  private async forget(context: TurnContext): Promise<void> {
    const participant = identify(context.activity);
    if (participant instanceof UserFacingError) return;
    const target = targetOf(context, participant);
    await this.deps.conversations.remove(target.tenantId, target.conversationId);
    await this.deps.pulse.runner.unsubscribe(target);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const participant = identify(activity);
    if (participant instanceof UserFacingError) return void (await context.sendActivity(participant.message));
    await this.refreshAddress(context, participant);
    if (activity.value !== undefined && activity.value !== null) {
      const action = parseAction(activity.value);
      if (!action) return void (await context.sendActivity(INVALID_SUBMISSION));
      return this.handleSubmit(context, participant, action);
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    if (text.length > MAX_TEXT_LENGTH) {
      return void (await context.sendActivity(
        `That message is longer than I can read (${MAX_TEXT_LENGTH} characters at most). Type a command such as **help**, or ask a shorter question.`,
      ));
    }
    const parsed = parseCommand(text);
    // "support" followed by more words is a help-desk question ("support for an app the whole company uses?").
    const command = parsed && SUPPORT_COMMANDS.has(parsed.command) && parsed.args.length > 0 ? undefined : parsed;
    if (!command) {
      // Not a command: perhaps a help-desk question in plain words.
      const answer = this.deps.supportDesk.answer(text);
      return void (await context.sendActivity(answer ? asAttachment(answer) : DONT_KNOW));
    }
    if (command.command === 'forget me')
      return void (await context.sendActivity(await this.deps.privacy.forget(context, participant, command.args)));
    if (command.command === 'export')
      return void (await context.sendActivity(await this.deps.privacy.export(context, participant, command.args)));
    if (isAdminCommand(command.command)) {
      const admin = await this.deps.pulse.commands.isAdmin(context, participant);
      const reply = admin
        ? await this.deps.pulse.commands.run(context, participant, command.command, command.args)
        : this.deps.pulse.commands.refusal([command.command, ...command.args.slice(0, 1)].join(' '));
      return void (await context.sendActivity(reply));
    }
    switch (command.command) {
      case 'help':
        await context.sendActivity(asAttachment(helpCard(this.deps.cards)));
        return;
      case 'support':
        await context.sendActivity(asAttachment(this.deps.supportDesk.tierForm()));
        return;
      case 'support maturity':
        return this.assess(context, participant, 'support');
      case 'support level':
        await context.sendActivity(asAttachment(await this.deps.supportDesk.level(participant.tenantId)));
        return;
      case 'assess':
      case 'results': {
        const modelId = modelFromArgs(command.args);
        if (!modelId) {
          await context.sendActivity(
            `I don't know the model "${command.args.join(' ')}". Try **${command.command} adoption**, **${command.command} automation** or **${command.command} support**.`,
          );
          return;
        }
        return command.command === 'assess' ? this.assess(context, participant, modelId) : this.results(context, participant, modelId);
      }
    }
  }

  /** Action.Submit from a card in a chat or channel (buttons outside a dialog). */
  private async handleSubmit(context: TurnContext, participant: Participant, action: CardAction): Promise<void> {
    if (action.verb === 'results') return this.results(context, participant, action.model);
    if (action.verb === 'assess') return this.assess(context, participant, action.model);
    await context.sendActivity(INVALID_SUBMISSION);
  }

  private async assess(context: TurnContext, participant: Participant, modelId: ModelId): Promise<void> {
    if (conversationKind(context.activity) === 'channel') {
      // In a channel each member answers in a dialog, so the channel never fills with question cards.
      const card = this.deps.flow.prompt(modelId, openDialogData(modelId), { verb: 'results', model: modelId });
      await context.sendActivity(asAttachment(card));
      return;
    }
    const card = await this.deps.flow.start(participant, modelId, 'execute');
    await context.sendActivity(asAttachment(card));
  }

  private async results(context: TurnContext, participant: Participant, modelId: ModelId): Promise<void> {
    const kind = conversationKind(context.activity);
    if (kind === 'personal') {
      await context.sendActivity(
        "In this chat it's just you, so here is your own summary. Team results appear in a channel or group chat.",
      );
      const card = await this.deps.flow.summary(participant, modelId, 'execute');
      await context.sendActivity(asAttachment(card));
      return;
    }
    const answerData = kind === 'channel' ? openDialogData(modelId) : { verb: 'assess', model: modelId };
    const card = await this.deps.flow.teamResult(participant, modelId, answerData);
    await context.sendActivity(asAttachment(card));
  }

  /** Universal Actions: the response replaces the card for the member who pressed the button. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const participant = identify(context.activity);
    if (participant instanceof UserFacingError) return messageResponse(participant.message);
    const data = { ...(invokeValue.action.data ?? {}), verb: invokeValue.action.verb };
    if ((SUPPORT_VERBS as readonly string[]).includes(invokeValue.action.verb)) {
      const card = this.deps.supportDesk.act(data);
      return card ? cardResponse(card) : messageResponse(INVALID_SUBMISSION);
    }
    const action = parseAction(data);
    if (!action) return messageResponse(INVALID_SUBMISSION);
    if (action.verb === 'results') {
      // The member keeps their own summary on the card; in a team chat the team result is posted beside it.
      if (conversationKind(context.activity) !== 'personal') await this.results(context, participant, action.model);
      return cardResponse(await this.deps.flow.summary(participant, action.model, 'execute'));
    }
    const card = await this.deps.flow.act(participant, action, 'execute');
    await this.afterAnswer(context, participant, action);
    return cardResponse(card);
  }

  protected override async handleTeamsTaskModuleFetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const participant = identify(context.activity);
    if (participant instanceof UserFacingError) return dialogMessage(participant.message);
    const action = parseAction(request.data);
    if (!action) return dialogMessage(INVALID_SUBMISSION);
    const card = await this.deps.flow.start(participant, action.model, 'submit');
    return dialog(card, `${this.deps.flow.model(action.model).shortTitle} maturity`);
  }

  protected override async handleTeamsTaskModuleSubmit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    const participant = identify(context.activity);
    if (participant instanceof UserFacingError) return dialogMessage(participant.message);
    const action = parseAction(request.data);
    if (!action) return dialogMessage(INVALID_SUBMISSION);
    const card = await this.deps.flow.act(participant, action, 'submit');
    await this.afterAnswer(context, participant, action);
    return dialog(card, `${this.deps.flow.model(action.model).shortTitle} maturity`);
  }

  /** Invokes whose value is malformed get a 400 with a reason, instead of failing inside the SDK. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { name, value } = context.activity;
    const schema =
      name === 'adaptiveCard/action' ? executeInvokeSchema : name === 'task/fetch' || name === 'task/submit' ? taskInvokeSchema : undefined;
    if (schema && !schema.safeParse(value).success) {
      this.deps.logger.warn({ correlationId: correlationIdOf(context), invoke: name }, 'malformed invoke refused');
      return errorInvokeResponse(400, 'BadRequest', INVALID_SUBMISSION);
    }
    return super.onInvokeActivity(context);
  }
}

function identify(activity: TurnContext['activity']): Participant | UserFacingError {
  try {
    return participantOf(activity);
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
}
