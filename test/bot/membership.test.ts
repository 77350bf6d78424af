import { describe, expect, it } from 'vitest';
import { ConversationMembership } from '../../src/bot/membership.js';
import { TableConversationStore, type ConversationTarget } from '../../src/store/conversationStore.js';
import { freshTable } from '../support/storage.js';

const general: ConversationTarget = {
  tenantId: 't1',
  conversationId: '19:general@thread.tacv2',
  kind: 'channel',
  serviceUrl: 'https://smba.example/emea/',
  botId: '28:bot',
  name: 'Makers',
};

/** Records what the connector was asked; answers from a fixed member list. */
function connector(members: Record<string, string[]>) {
  const asked: string[] = [];
  return {
    asked,
    isMember: async (target: ConversationTarget, objectId: string) => {
      asked.push(`${target.serviceUrl} ${target.conversationId} ${objectId}`);
      return (members[target.conversationId] ?? []).includes(objectId);
    },
  };
}

describe('ConversationMembership', () => {
  it("asks the tenant's Bot Connector about any channel, using where the bot is installed for the address", async () => {
    const conversations = new TableConversationStore(await freshTable('conversations'));
    await conversations.save(general, new Date());
    const bot = connector({ '19:design@thread.tacv2': ['mia'] });
    const membership = new ConversationMembership(conversations, bot);
    expect(await membership.isMember('t1', '19:design@thread.tacv2', 'mia')).toBe(true);
    expect(await membership.isMember('t1', '19:design@thread.tacv2', 'noah')).toBe(false);
    expect(bot.asked).toEqual([
      'https://smba.example/emea/ 19:design@thread.tacv2 mia',
      'https://smba.example/emea/ 19:design@thread.tacv2 noah',
    ]);
  });

  it('remembers a confirmed membership for a few minutes, never a refusal', async () => {
    const conversations = new TableConversationStore(await freshTable('conversations'));
    await conversations.save(general, new Date());
    const bot = connector({ [general.conversationId]: ['mia'] });
    let now = Date.parse('2026-11-30T09:00:00Z');
    const membership = new ConversationMembership(conversations, bot, () => now);
    await membership.isMember('t1', general.conversationId, 'mia');
    await membership.isMember('t1', general.conversationId, 'mia');
    await membership.isMember('t1', general.conversationId, 'noah');
    await membership.isMember('t1', general.conversationId, 'noah');
    expect(bot.asked).toHaveLength(3);
    now += 6 * 60 * 1000;
    await membership.isMember('t1', general.conversationId, 'mia');
    expect(bot.asked).toHaveLength(4);
  });

  it('refuses when the bot is installed nowhere in the tenant, without asking anyone', async () => {
    const bot = connector({});
    const membership = new ConversationMembership(new TableConversationStore(await freshTable('conversations')), bot);
    expect(await membership.isMember('t2', general.conversationId, 'mia')).toBe(false);
    expect(bot.asked).toEqual([]);
  });
});
