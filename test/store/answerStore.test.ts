import { describe, expect, it } from 'vitest';
import { TableAnswerStore, partitionKeyOf, type RoundKey } from '../../src/store/answerStore.js';
import { freshTable } from '../support/storage.js';

const key: RoundKey = { tenantId: 'tenant-1', scopeId: '19:abc@thread.tacv2', modelId: 'adoption', round: '2026-11' };
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 10, minute));

describe('TableAnswerStore (against Azurite)', () => {
  it('keeps the current answer per member and capability, and the earlier ones as history', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    expect((await store.record(key, 'mia', 'governance', 200, at(1))).outcome).toBe('recorded');
    expect((await store.record(key, 'mia', 'governance', 300, at(2))).outcome).toBe('recorded');
    expect((await store.record(key, 'mia', 'security', null, at(3))).outcome).toBe('recorded');

    expect(await store.member(key, 'mia')).toEqual(
      new Map([
        ['governance', 300],
        ['security', null],
      ]),
    );
    expect((await store.history(key, 'mia')).map((change) => [change.capabilityId, change.choice])).toEqual([
      ['governance', 200],
      ['governance', 300],
      ['security', null],
    ]);
  });

  it('counts a repeated submission once', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    await store.record(key, 'mia', 'governance', 300, at(1));
    expect((await store.record(key, 'mia', 'governance', 300, at(2))).outcome).toBe('unchanged');
    expect(await store.history(key, 'mia')).toHaveLength(1);
  });

  it('returns a team round as one partition, separate from other rounds and teams', async () => {
    const table = await freshTable('answers');
    const store = new TableAnswerStore(table);
    await store.record(key, 'mia', 'governance', 300, at(1));
    await store.record(key, 'noah', 'governance', 400, at(1));
    await store.record({ ...key, round: '2026-10' }, 'mia', 'governance', 100, at(1));
    await store.record({ ...key, scopeId: 'other' }, 'ola', 'governance', 500, at(1));

    const team = await store.team(key);
    expect(team.map((member) => [member.memberId, member.choices.get('governance')]).sort()).toEqual([
      ['mia', 300],
      ['noah', 400],
    ]);
    const partitions = new Set<string>();
    for await (const row of table.listEntities()) if (row.partitionKey === partitionKeyOf(key)) partitions.add(row.partitionKey);
    expect(partitions.size).toBe(1);
  });

  it('never loses an answer when the same member answers in two windows at once', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    const levels = [100, 200, 300, 400, 500] as const;
    const outcomes = await Promise.all(levels.map((level, index) => store.record(key, 'mia', 'governance', level, at(index))));
    expect(outcomes.every((result) => result.outcome === 'recorded')).toBe(true);
    const history = await store.history(key, 'mia');
    expect(history.map((change) => change.version)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(history.map((change) => change.choice))).toEqual(new Set(levels));
  });

  it('stores ids that Table Storage would refuse as keys', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    const awkward: RoundKey = { tenantId: 't/1', scopeId: 'a:1#x?y\\z', modelId: 'adoption', round: '2026-11' };
    await store.record(awkward, '29:1/abc', 'governance', 200, at(1));
    expect(await store.member(awkward, '29:1/abc')).toEqual(new Map([['governance', 200]]));
  });
});

describe('TableAnswerStore.forgetMember (against Azurite)', () => {
  it("deletes a member's current answers and history in every partition of the tenant, more than one transaction's worth", async () => {
    const table = await freshTable('answers');
    const store = new TableAnswerStore(table);
    // 150 changes in one round: 150 history rows and the member row, so more than one 100-row transaction.
    for (let change = 0; change < 150; change += 1)
      await store.record(key, 'mia', 'governance', change % 2 === 0 ? 200 : 300, at(change % 60));
    await store.record({ ...key, round: '2026-10' }, 'mia', 'security', 100, at(1));
    await store.record({ ...key, scopeId: 'other-team', modelId: 'automation' }, 'mia', 'strategy', null, at(1));
    // Not hers, or not this tenant's: a tenant whose id starts with the same characters must not be caught by the range.
    await store.record(key, 'noah', 'governance', 400, at(1));
    await store.record({ ...key, tenantId: 'tenant-10' }, 'mia', 'governance', 500, at(1));

    expect(await store.forgetMember('tenant-1', 'mia')).toEqual({ answers: 152, assessments: 3 });
    const left = [];
    for await (const row of table.listEntities<{ memberId: string; tenantId: string }>()) left.push([row.tenantId, row.memberId]);
    expect(left.filter(([tenantId, memberId]) => tenantId === 'tenant-1' && memberId === 'mia')).toEqual([]);
    expect(await store.member(key, 'noah')).toEqual(new Map([['governance', 400]]));
    expect(await store.member({ ...key, tenantId: 'tenant-10' }, 'mia')).toEqual(new Map([['governance', 500]]));
    expect(await store.forgetMember('tenant-1', 'mia')).toEqual({ answers: 0, assessments: 0 });
  });

  it('counts every row once when two "forget me" run at the same time', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    for (const round of ['2026-08', '2026-09', '2026-10', '2026-11'])
      await store.record({ ...key, round }, 'mia', 'governance', 200, at(1));
    const [first, second] = await Promise.all([store.forgetMember('tenant-1', 'mia'), store.forgetMember('tenant-1', 'mia')]);
    expect(first!.answers + second!.answers).toBe(4);
    expect(first!.assessments + second!.assessments).toBe(4);
  });

  it('keeps every answer when two bot instances write the same member (each remembers rows it wrote)', async () => {
    const table = await freshTable('answers');
    const [first, second] = [new TableAnswerStore(table), new TableAnswerStore(table)];
    await first.record(key, 'mia', 'governance', 300, at(1));
    await second.record(key, 'mia', 'governance', 400, at(2));
    // The first instance still remembers 300: its "same answer again" must not be taken as unchanged.
    expect((await first.record(key, 'mia', 'governance', 300, at(3))).outcome).toBe('recorded');
    // And a write from its stale memory of the row must not drop what the second instance wrote.
    await second.record(key, 'mia', 'security', 200, at(4));
    await first.record(key, 'mia', 'support', 100, at(5));
    expect(await new TableAnswerStore(table).member(key, 'mia')).toEqual(
      new Map([
        ['governance', 300],
        ['security', 200],
        ['support', 100],
      ]),
    );
    expect((await first.history(key, 'mia')).map((change) => change.choice)).toEqual([300, 400, 300, 200, 100]);
  });
});
