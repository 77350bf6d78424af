import type { ConversationTarget } from '../store/conversationStore.js';

/** An activity the bot sends proactively: text and/or Adaptive Card attachments. */
export interface OutgoingActivity {
  type: 'message';
  text?: string;
  attachments?: { contentType: string; content: unknown }[];
}

/** Posting into conversations the bot was installed in. The Bot Connector implements it (src/bot). */
export interface Messenger {
  /** A new post (a new thread in a channel); returns its activity id. */
  post(target: ConversationTarget, activity: OutgoingActivity): Promise<string>;
  /** A reply in the thread started by `threadId`. */
  reply(target: ConversationTarget, threadId: string, activity: OutgoingActivity): Promise<string>;
  /** Replaces a posted message (the live "N answered" line). */
  update(target: ConversationTarget, activityId: string, activity: OutgoingActivity): Promise<void>;
}

/** A send the connector refused; `status` 0 means the request never got an answer. */
export class SendError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendError';
  }
}
