import { describe, expect, it } from 'vitest';
import { TableConversationStore, type ConversationTarget } from '../../src/store/conversationStore.js';
import { TablePulseStore } from '../../src/store/pulseStore.js';
import { FORMER_MEMBER } from '../../src/store/tables.js';
import { TableTargetStore } from '../../src/store/targetStore.js';
import { freshTable } from '../support/storage.js';

const AT = new Date('2026-11-24T10:00:00Z');
const target = (tenantId: string, conversationId: string, kind: ConversationTarget['kind'], memberId?: string): ConversationTarget => ({
  tenantId,
  conversationId,
  kind,
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  botId: '28:bot',
  name: kind === 'personal' ? 'You' : 'Makers · General',
  ...(memberId ? { memberId } : {}),
});

describe('what "forget me" clears besides answers (against Azurite)', () => {
  it("removes the reference to the member's personal chat, and nobody else's, nor any channel's", async () => {
    const store = new TableConversationStore(await freshTable('conversations'));
    await store.save(target('tenant-1', 'a:mia', 'personal', 'mia'), AT);
    await store.save(target('tenant-1', 'a:noah', 'personal', 'noah'), AT);
    await store.save(target('tenant-1', '19:makers@thread.tacv2', 'channel'), AT);
    await store.save(target('tenant-2', 'a:mia-elsewhere', 'personal', 'mia'), AT);

    expect(await store.forgetMember('tenant-1', 'mia')).toBe(1);
    expect(await store.personalOf('tenant-1', 'mia')).toBeUndefined();
    expect((await store.list('tenant-1')).map((row) => row.conversationId).sort()).toEqual(['19:makers@thread.tacv2', 'a:noah']);
    expect(await store.personalOf('tenant-2', 'mia')).toBeDefined();
    expect(await store.forgetMember('tenant-1', 'mia')).toBe(0);
  });

  it('keeps the targets the member set, set by a former member, in every team of the tenant only', async () => {
    const table = await freshTable('targets');
    const store = new TableTargetStore(table);
    const team = { tenantId: 'tenant-1', scopeId: '19:makers@thread.tacv2', modelId: 'adoption' };
    await store.set(team, 'governance', 300, 'mia');
    await store.set({ ...team, scopeId: '19:ops@thread.tacv2' }, 'security', 400, 'mia');
    await store.set(team, 'security', 200, 'noah');
    await store.set({ ...team, tenantId: 'tenant-10' }, 'governance', 500, 'mia');

    expect(await store.forgetSetter('tenant-1', 'mia')).toBe(2);
    const setBy = [];
    for await (const row of table.listEntities<{ capabilityId: string; setBy: string; level: number }>())
      setBy.push([row.partitionKey, row.capabilityId, row.level, row.setBy]);
    expect(setBy.sort()).toEqual(
      [
        ['tenant-1|19%3Amakers%40thread.tacv2|adoption', 'governance', 300, FORMER_MEMBER],
        ['tenant-1|19%3Amakers%40thread.tacv2|adoption', 'security', 200, 'noah'],
        ['tenant-1|19%3Aops%40thread.tacv2|adoption', 'security', 400, FORMER_MEMBER],
        ['tenant-10|19%3Amakers%40thread.tacv2|adoption', 'governance', 500, 'mia'],
      ].sort(),
    );
    expect(await store.get(team)).toEqual(
      new Map([
        ['governance', 300],
        ['security', 200],
      ]),
    );
  });

  it('keeps the pulses the member switched on, switched on by a former member', async () => {
    const store = new TablePulseStore(await freshTable('pulse'));
    const subscription = (tenantId: string, conversationId: string, subscribedBy: string) => ({
      target: target(tenantId, conversationId, 'channel'),
      modelId: 'adoption',
      status: 'active' as const,
      problem: '',
      subscribedBy,
      subscribedAt: AT.toISOString(),
    });
    await store.subscribe(subscription('tenant-1', '19:makers@thread.tacv2', 'mia'));
    await store.subscribe(subscription('tenant-1', '19:ops@thread.tacv2', 'noah'));
    await store.subscribe(subscription('tenant-10', '19:makers@thread.tacv2', 'mia'));

    expect(await store.forgetSubscriber('tenant-1', 'mia')).toBe(1);
    const subscriptions = [];
    for await (const page of store.subscriptionPages()) subscriptions.push(...page);
    const by = subscriptions.map((entry) => [entry.target.tenantId, entry.target.conversationId, entry.subscribedBy]);
    expect(by.sort()).toEqual(
      [
        ['tenant-1', '19:makers@thread.tacv2', FORMER_MEMBER],
        ['tenant-1', '19:ops@thread.tacv2', 'noah'],
        ['tenant-10', '19:makers@thread.tacv2', 'mia'],
      ].sort(),
    );
    expect((await store.subscription('tenant-1', '19:makers@thread.tacv2'))?.status).toBe('active');
  });
});
