/**
 * What every handler is given: one Turn per activity. No botbuilder here: teamsBot.ts builds the Turn from the
 * activity, so handlers never see the SDK.
 */
import type { AdaptiveCard } from '../cards/templates.js';
import type { ConversationTarget } from '../store/conversationStore.js';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/**
 * Where the reply goes: a message in the conversation (a typed command, an Action.Submit); the card the member
 * pressed, replaced by the answer to its Action.Execute invoke; or the dialog the member is in.
 */
export type Surface = 'chat' | 'card' | 'dialog';

/** What a handler answers on its surface: words, or a card. */
export type Reply = string | AdaptiveCard;

/** Who is speaking and for which team, taken from the activity, never from card data. */
export interface Participant {
  tenantId: string;
  memberId: string;
  /** The team: a channel, a group chat, or the member's personal chat with the bot. */
  scopeId: string;
  teamName: string;
}

/** One activity as every handler sees it: who, where, which surface the reply goes to, and how to post. */
export interface Turn extends Participant {
  readonly kind: ConversationKind;
  readonly surface: Surface;
  /** Where proactive posts to this conversation go (conversation references, the pulse). */
  readonly address: ConversationTarget;
  /** Posts a message in the conversation, besides the reply on the turn's surface. */
  post(reply: Reply): Promise<void>;
  /** Whether the member belongs to a team, asked of Teams (the CoE team's members are admins). */
  inTeam(teamId: string): Promise<boolean>;
}
