import { LRUCache } from 'lru-cache';
import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type InvokeResponse,
  type TaskModuleResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import { replyForScope } from '../cards/scopeWording.js';
import type { AdaptiveCard } from '../cards/templates.js';
import { scopeOfKind } from '../model/commands.js';
import { modelIdOf } from '../model/content.js';
import { isTenantAllowed } from '../model/tenants.js';
import type { PulseRunner } from '../pulse/pulseRunner.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { OrgUpkeep } from '../store/orgUpkeep.js';
import { statusOf } from '../store/tables.js';
import { correlationIdOf } from './adapter.js';
import type { AssessmentFlow } from './assessmentFlow.js';
import { dialogMessage, errorInvokeResponse, invokeText, messageResponse } from './invokeResponses.js';
import { INVALID_SUBMISSION, type Routes } from './routes.js';
import type { ConversationKind, Participant, Surface, Turn } from './turn.js';

const NOT_AVAILABLE =
  "This bot isn't available for your organisation, so I haven't read or kept anything you sent. If you think it should be, ask your Teams admin to contact whoever runs Maturity Pulse.";

const executeInvokeSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: z.record(z.string(), z.unknown()).optional() }),
});
const taskInvokeSchema = z.object({ data: z.record(z.string(), z.unknown()) });
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface BotDeps {
  routes: Routes;
  /** Names dialogs after the model they assess. */
  flow: Pick<AssessmentFlow, 'model'>;
  conversations: ConversationStore;
  pulse: Pick<PulseRunner, 'refreshAddress' | 'unsubscribe'>;
  /** A renamed channel or chat: the organisation view's rows follow (off the response path). */
  org: Pick<OrgUpkeep, 'renamed'>;
  /** Lower-case tenant ids allowed to use the bot; empty allows every tenant. */
  allowedTenants: readonly string[];
  logger: Logger;
}

const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.card.adaptive',
  value: card,
});
const dialog = (card: AdaptiveCard, title: string): TaskModuleResponse => ({
  task: { type: 'continue', value: { title, height: 'large', width: 'medium', card: CardFactory.adaptiveCard(card) } },
});

const ADDRESS_MEMORY = 10_000;
/** The app's name (manifest/manifest.template.json), for an @mention hint when an activity does not name the bot. */
const BOT_NAME = 'Maturity Pulse';

/**
 * The Teams edge: turns each activity into a Turn, hands it to the route table (routes.ts), and gives the reply
 * the shape its surface needs. Entry points: a message, a card's action, a dialog opening or stepping on.
 */
export class MaturityPulseBot extends TeamsActivityHandler {
  /** The connector address and name last seen per conversation by this instance (see refreshAddress). */
  private readonly addresses = new LRUCache<string, { serviceUrl: string; name: string }>({ max: ADDRESS_MEMORY });

  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some((member) => member.id === context.activity.recipient?.id);
      if (botAdded) {
        await this.remember(context);
        const turn = turnOf(context, 'chat');
        if (typeof turn !== 'string') await turn.post(this.deps.routes.welcome(turn, context.activity.recipient?.name || BOT_NAME));
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

  /**
   * Proactive posts go to the address the conversation last wrote from: the first message this instance
   * sees from a conversation, or one from a new address, updates the stored reference and any pulse. So does a
   * new name (Teams puts the team's and channel's names on channel messages), so views name teams as Teams does.
   */
  private async refreshAddress(turn: Turn): Promise<void> {
    const key = `${turn.tenantId}|${turn.scopeId}`;
    const seen = this.addresses.get(key);
    const { serviceUrl, name } = turn.address;
    if (seen?.serviceUrl === serviceUrl && seen.name === name) return;
    await this.deps.conversations.save(turn.address, new Date());
    await this.deps.pulse.refreshAddress(turn.address);
    if (seen && seen.name !== name && turn.kind !== 'personal') this.deps.org.renamed(turn.tenantId, turn.scopeId, name);
    this.addresses.set(key, { serviceUrl, name });
  }

  /** Installed here: keep where to post, so the pulse can post proactively later. */
  private async remember(context: TurnContext): Promise<void> {
    const turn = turnOf(context, 'chat');
    if (typeof turn === 'string') return;
    await this.deps.conversations.save(turn.address, new Date());
  }

  /** Uninstalled: the bot may no longer post here, so the reference and any pulse go. */
  private async forget(context: TurnContext): Promise<void> {
    const turn = turnOf(context, 'chat');
    if (typeof turn === 'string') return;
    await this.deps.conversations.remove(turn.address.tenantId, turn.address.conversationId);
    await this.deps.pulse.unsubscribe(turn.address);
  }

  /** A message: typed text (a command or a question), or an Action.Submit from a card in the chat. */
  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const turn = turnOf(context, 'chat');
    if (typeof turn === 'string') return void (await context.sendActivity(turn));
    await this.refreshAddress(turn);
    if (activity.value !== undefined && activity.value !== null) {
      const reply = isRecord(activity.value) ? await this.deps.routes.cardAction(turn, activity.value) : INVALID_SUBMISSION;
      return turn.post(reply);
    }
    const text = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
    await turn.post(await this.deps.routes.message(turn, text));
  }

  /** A card's Universal Action: the reply replaces the card for the member who pressed the button. */
  private async cardAction(context: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCardInvokeResponse> {
    const turn = turnOf(context, 'card');
    if (typeof turn === 'string') return messageResponse(turn);
    const reply = replyForScope(await this.deps.routes.cardAction(turn, data), scopeOfKind(turn.kind));
    // After forget me's Delete the chat's stored reference may be gone: the member's next message stores it again.
    if (data.verb === 'forget') this.addresses.delete(`${turn.tenantId}|${turn.scopeId}`);
    return typeof reply === 'string' ? messageResponse(reply) : cardResponse(reply);
  }

  /** A dialog opening (Teams' task/fetch) or a step in it (task/submit: Next, Back, Skip, Change answers). */
  private async dialog(context: TurnContext, data: Record<string, unknown>, opening: boolean): Promise<TaskModuleResponse> {
    const turn = turnOf(context, 'dialog');
    if (typeof turn === 'string') return dialogMessage(turn);
    const reply = replyForScope(
      opening ? await this.deps.routes.dialogOpened(turn, data) : await this.deps.routes.cardAction(turn, data),
      scopeOfKind(turn.kind),
    );
    return typeof reply === 'string' ? dialogMessage(reply) : dialog(reply, this.dialogTitle(data));
  }

  /** A dialog is named after the model it assesses. */
  private dialogTitle(data: Record<string, unknown>): string {
    const modelId = modelIdOf(typeof data.model === 'string' ? data.model : undefined);
    return modelId ? `${this.deps.flow.model(modelId).shortTitle} maturity` : BOT_NAME;
  }

  /** Card actions and dialogs reach their entry points here; a malformed one gets a 400 with a reason. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { name } = context.activity;
    const value: unknown = context.activity.value;
    switch (name) {
      case 'adaptiveCard/action': {
        const parsed = executeInvokeSchema.safeParse(value);
        if (!parsed.success) return this.malformed(context);
        const { verb, data } = parsed.data.action;
        return { status: 200, body: await this.cardAction(context, { ...data, verb }) };
      }
      case 'task/fetch':
      case 'task/submit': {
        const parsed = taskInvokeSchema.safeParse(value);
        if (!parsed.success) return this.malformed(context);
        return { status: 200, body: await this.dialog(context, parsed.data.data, name === 'task/fetch') };
      }
      default:
        return super.onInvokeActivity(context);
    }
  }

  private malformed(context: TurnContext): InvokeResponse {
    this.deps.logger.warn({ correlationId: correlationIdOf(context), invoke: context.activity.name }, 'malformed invoke refused');
    return errorInvokeResponse(400, 'BadRequest', INVALID_SUBMISSION);
  }
}

// Reading the activity: who, where, and the Turn handlers get.

const idAndName = z
  .object({ id: z.string().optional().catch(undefined), name: z.string().optional().catch(undefined) })
  .optional()
  .catch(undefined);
/** The parts of Teams' channelData this bot reads (botbuilder types it `any`); a field of the wrong type reads as absent. */
const teamsChannelData = z.object({ tenant: idAndName, team: idAndName, channel: idAndName }).catch({});
type TeamsChannelData = z.infer<typeof teamsChannelData>;

function conversationKind(activity: Activity, teams: TeamsChannelData): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel' || teams.channel?.id) return 'channel';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

/** The tenant ids the activity carries: Teams puts the tenant both on the conversation and in channelData. */
function tenantIds(activity: Activity, teams: TeamsChannelData): string[] {
  return [activity.conversation?.tenantId, teams.tenant?.id].filter((id): id is string => typeof id === 'string' && id !== '');
}

/** The tenant the activity comes from; undefined when it names none (an emulator). */
function tenantOf(activity: Activity): string | undefined {
  return tenantIds(activity, teamsChannelData.parse(activity.channelData))[0];
}

/**
 * Allowed when the list is empty, or when every tenant id the activity carries is on it (they must agree).
 * An activity with no tenant is not allowed.
 */
function tenantAllowed(activity: Activity, allowedTenants: readonly string[]): boolean {
  if (allowedTenants.length === 0) return true;
  const ids = tenantIds(activity, teamsChannelData.parse(activity.channelData));
  return ids.length > 0 && ids.every((id) => isTenantAllowed(id, allowedTenants));
}

/**
 * Who is speaking and for which team, from the activity alone. Card data never names a member.
 * Emulators send no aadObjectId; their stable `from.id` stands in.
 */
function participantOf(activity: Activity, teams: TeamsChannelData, kind: ConversationKind): Participant | string {
  const memberId = activity.from?.aadObjectId ?? activity.from?.id;
  const tenantId = tenantIds(activity, teams)[0] ?? 'local';
  const conversationId = activity.conversation?.id;
  if (!memberId || !conversationId) return "I couldn't tell who sent that or where, so I saved nothing. Please try again from Teams.";
  // A channel message names its thread after ";messageid="; the team's answers belong to the channel.
  const scopeId = kind === 'channel' ? (teams.channel?.id ?? conversationId.split(';')[0] ?? conversationId) : conversationId;
  const teamName =
    kind === 'channel'
      ? [teams.team?.name, teams.channel?.name].filter(Boolean).join(' · ') || 'This channel'
      : kind === 'groupChat'
        ? activity.conversation?.name || 'This chat'
        : 'You';
  return { tenantId, memberId, scopeId, teamName };
}

/** The turn for an activity, or what to tell the member when it names no sender or conversation. */
function turnOf(context: TurnContext, surface: Surface): Turn | string {
  const { activity } = context;
  const teams = teamsChannelData.parse(activity.channelData);
  const kind = conversationKind(activity, teams);
  const participant = participantOf(activity, teams, kind);
  if (typeof participant === 'string') return participant;
  return {
    ...participant,
    kind,
    surface,
    address: {
      tenantId: participant.tenantId,
      conversationId: participant.scopeId,
      kind,
      serviceUrl: activity.serviceUrl,
      botId: activity.recipient?.id ?? '',
      name: participant.teamName,
      ...(kind === 'personal' ? { memberId: participant.memberId } : {}),
    },
    async post(reply) {
      // Every reply reads as it must here: in a channel or group chat, commands to type come with an @mention.
      const worded = replyForScope(reply, scopeOfKind(kind));
      await context.sendActivity(typeof worded === 'string' ? worded : MessageFactory.attachment(CardFactory.adaptiveCard(worded)));
    },
    async inTeam(teamId) {
      if (teams.team?.id === teamId) return true;
      try {
        await TeamsInfo.getTeamMember(context, teamId, activity.from.id);
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 404) return false;
        throw error;
      }
    },
  };
}
