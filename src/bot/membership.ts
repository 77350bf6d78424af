import { LRUCache } from 'lru-cache';
import type { ConversationStore } from '../store/conversationStore.js';
import type { BotConnectorMessenger } from './connectorClient.js';

const CONFIRMED_FOR_MS = 5 * 60 * 1000;
const CONFIRMED_LIMIT = 10_000;

/**
 * Whether a signed-in person belongs to a channel or chat, asked of the Bot Connector. The connector's address
 * comes from where the bot is installed in that organisation; a person outside the conversation gets no data.
 * Confirmed memberships are remembered for a few minutes, so the dashboard does not ask on every request.
 */
export class ConversationMembership {
  private readonly confirmed: LRUCache<string, true>;

  constructor(
    private readonly conversations: ConversationStore,
    private readonly connector: Pick<BotConnectorMessenger, 'isMember'>,
    clock: () => number = Date.now,
  ) {
    this.confirmed = new LRUCache({ max: CONFIRMED_LIMIT, ttl: CONFIRMED_FOR_MS, ttlResolution: 0, perf: { now: clock } });
  }

  async isMember(tenantId: string, conversationId: string, objectId: string): Promise<boolean> {
    const key = `${tenantId}|${conversationId}|${objectId}`;
    if (this.confirmed.get(key)) return true;
    const known = (await this.conversations.get(tenantId, conversationId)) ?? (await this.conversations.list(tenantId))[0];
    if (!known) return false; // the bot is installed nowhere in this organisation, so it cannot ask
    const member = await this.connector.isMember({ ...known, conversationId }, objectId);
    if (member) this.confirmed.set(key, true);
    return member;
  }
}
