import { describe, expect, it } from 'vitest';
import { TableAnswerStore, partitionKeyOf, type RoundKey } from '../../src/store/answerStore.js';
import { countRequests, freshTable } from '../support/storage.js';

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

  it('says when an answer makes a member a respondent, or undoes it, so counts need no team query', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    const changes = [];
    for (const [capability, level] of [
      ['governance', null],
      ['governance', 200],
      ['security', 300],
      ['security', 300],
      ['governance', null],
      ['security', null],
    ] as const)
      changes.push((await store.record(key, 'mia', capability, level, at(changes.length))).respondentChange);
    expect(changes).toEqual([0, 1, 0, 0, 0, -1]);
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

  it('costs one storage request per answer once the member is known, and one read more for a member it has not seen', async () => {
    const table = await freshTable('answers');
    const store = new TableAnswerStore(table);
    const requests = countRequests(table);
    const capabilities = ['governance', 'security', 'support', 'strategy', 'nurture', 'fusion', 'alm', 'automation', 'adoption'];

    // A member who opens the assessment (one read: nothing yet), then answers every question, and changes one.
    expect(await store.member(key, 'mia')).toEqual(new Map());
    expect(requests.count).toBe(1);
    requests.reset();
    for (const [index, capabilityId] of capabilities.entries()) await store.record(key, 'mia', capabilityId, 300, at(index));
    await store.record(key, 'mia', 'governance', 400, at(20));
    expect(requests.count).toBe(capabilities.length + 1);

    // A member this instance has never seen (another instance served them, or it restarted): a read, then the write.
    await store.record(key, 'noah', 'governance', 200, at(1));
    const restarted = new TableAnswerStore(table);
    requests.reset();
    await restarted.record(key, 'noah', 'security', 300, at(2));
    await restarted.record(key, 'mia', 'security', 500, at(3));
    expect(requests.count).toBe(4);
    requests.reset();
    await restarted.record(key, 'mia', 'support', 500, at(4));
    expect(requests.count).toBe(1);
    expect(await store.member(key, 'mia')).toEqual(
      new Map([...capabilities.map((id) => [id, 300] as const), ['governance', 400], ['security', 500], ['support', 500]]),
    );
  });

  it('records answers after history rows were left behind by an earlier deletion (keys cannot collide)', async () => {
    const table = await freshTable('answers');
    const store = new TableAnswerStore(table);
    for (const [index, level] of ([100, 200, 300] as const).entries()) await store.record(key, 'mia', 'governance', level, at(index));
    // The member row goes, its history stays (what an interrupted deletion leaves): versions start again at 1.
    await table.deleteEntity(partitionKeyOf(key), 'm|mia');
    const fresh = new TableAnswerStore(table);
    for (const [index, level] of ([400, 500, 100, 200] as const).entries())
      expect((await fresh.record(key, 'mia', 'security', level, at(10 + index))).outcome).toBe('recorded');
    expect(await fresh.member(key, 'mia')).toEqual(new Map([['security', 200]]));
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

    expect(await store.memberFootprint('tenant-1', 'mia')).toEqual({ answers: 152, assessments: 3 });
    const forgotten = await store.forgetMember('tenant-1', 'mia');
    expect(forgotten).toMatchObject({ answers: 152, assessments: 3 });
    // The rounds it touched, so the organisation roll-up can redo their summaries.
    expect(forgotten.rounds.map((round) => [round.scopeId, round.modelId, round.round]).sort()).toEqual(
      [
        [key.scopeId, key.modelId, key.round],
        [key.scopeId, key.modelId, '2026-10'],
        ['other-team', 'automation', key.round],
      ].sort(),
    );
    expect(await store.memberFootprint('tenant-1', 'mia')).toEqual({ answers: 0, assessments: 0 });
    const left = [];
    for await (const row of table.listEntities<{ memberId: string; tenantId: string }>()) left.push([row.tenantId, row.memberId]);
    expect(left.filter(([tenantId, memberId]) => tenantId === 'tenant-1' && memberId === 'mia')).toEqual([]);
    expect(await store.member(key, 'noah')).toEqual(new Map([['governance', 400]]));
    expect(await store.member({ ...key, tenantId: 'tenant-10' }, 'mia')).toEqual(new Map([['governance', 500]]));
    expect(await store.forgetMember('tenant-1', 'mia')).toEqual({ answers: 0, assessments: 0, rounds: [] });
  });

  it('leaves each answer racing a forget wholly kept or wholly removed, nothing from before it, and the member able to answer again', async () => {
    const table = await freshTable('answers');
    const store = new TableAnswerStore(table);
    const capabilities = ['governance', 'security', 'support'];
    const october = (minute: number) => new Date(Date.UTC(2026, 9, 12, 10, minute));
    const teams = Array.from({ length: 40 }, (_, index) => ({ ...key, scopeId: `19:team${String(index).padStart(2, '0')}@thread.tacv2` }));
    // Before: three answers in each of 40 channels, in October.
    await Promise.all(
      teams.map(async (team) => {
        for (const [index, capabilityId] of capabilities.entries()) await store.record(team, 'mia', capabilityId, 200, october(index));
      }),
    );

    // She types "forget me" while answering dialogs in the channels deleted last (partitions are deleted in key order).
    const answering = Promise.all(
      teams.slice(-12).map(async (team, offset) => {
        for (let change = 0; change < 6; change += 1)
          await store.record(team, 'mia', capabilities[(change + offset) % 3]!, ([100, 300, 400, 500] as const)[change % 4]!, at(change));
      }),
    );
    await Promise.all([store.forgetMember('tenant-1', 'mia'), answering]);

    for (const team of teams) {
      const rows: { rowKey: string; version: number; answeredAt?: string; choices?: string }[] = [];
      for await (const row of table.listEntities<{ version: number; answeredAt?: string; choices?: string }>({
        queryOptions: { filter: `PartitionKey eq '${partitionKeyOf(team)}'` },
      }))
        rows.push({ ...row, rowKey: row.rowKey! });
      const member = rows.find((row) => row.rowKey.startsWith('m|'));
      const history = rows.filter((row) => row.rowKey.startsWith('h|'));
      // Wholly kept or wholly removed: history only beside its member row, one history row per version since it began.
      expect(
        history.map((row) => row.version).sort((a, b) => a - b),
        team.scopeId,
      ).toEqual(Array.from({ length: member?.version ?? 0 }, (_, index) => index + 1));
      // Nothing written before the forget began is left.
      expect(JSON.stringify(rows), team.scopeId).not.toContain('2026-10-');
    }
    // And she can answer again everywhere, as often as she likes.
    const again = await Promise.all(
      teams.map(async (team) => {
        const outcomes = [];
        for (let change = 0; change < (teams.indexOf(team) < 28 ? 1 : 8); change += 1)
          outcomes.push(
            (await store.record(team, 'mia', capabilities[change % 3]!, ([100, 200] as const)[change % 2]!, at(30 + change))).outcome,
          );
        return outcomes;
      }),
    );
    expect(new Set(again.flat())).toEqual(new Set(['recorded']));
  }, 60_000);

  it('counts every row once when two "forget me" run at the same time', async () => {
    const store = new TableAnswerStore(await freshTable('answers'));
    for (const round of ['2026-08', '2026-09', '2026-10', '2026-11'])
      await store.record({ ...key, round }, 'mia', 'governance', 200, at(1));
    const [first, second] = await Promise.all([store.forgetMember('tenant-1', 'mia'), store.forgetMember('tenant-1', 'mia')]);
    expect(first.answers + second.answers).toBe(4);
    expect(first.assessments + second.assessments).toBe(4);
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
