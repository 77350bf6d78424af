import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Timer } from '../../src/coalescer.js';
import { LEVELS, type Level } from '../../src/model/content.js';
import { TableAnswerStore, type RoundKey } from '../../src/store/answerStore.js';
import { TableConversationStore, type ConversationTarget } from '../../src/store/conversationStore.js';
import { OrgStore, sourceOf } from '../../src/store/orgStore.js';
import { OrgUpkeep, type OrgUpkeepDeps } from '../../src/store/orgUpkeep.js';
import { fixtureModel } from '../support/fixtures.js';
import { freshTable } from '../support/storage.js';

const model = fixtureModel(['alpha', 'beta', 'gamma']);
const TENANT = 'tenant-org';
const ROUND = '2026-11';
const NOW = new Date('2026-11-20T10:00:00Z');
/** The fixture model stands in for adoption (the upkeep knows models by their ids). */
const MODEL_ID = 'adoption';
const month = { tenantId: TENANT, modelId: MODEL_ID, round: ROUND };
const keyOf = (scopeId: string): RoundKey => ({ tenantId: TENANT, scopeId, modelId: MODEL_ID, round: ROUND });

async function setUp(options: { chunkChars?: number; coe?: string[] } = {}) {
  const [answersTable, conversationsTable, orgTable] = await Promise.all([freshTable('answers'), freshTable('conv'), freshTable('org')]);
  const answers = new TableAnswerStore(answersTable);
  const conversations = new TableConversationStore(conversationsTable);
  const store = new OrgStore(orgTable, options.chunkChars);
  const coe = new Set((options.coe ?? []).map((id) => id.toLowerCase()));
  const deps = (overrides: Partial<OrgUpkeepDeps> = {}): OrgUpkeepDeps => ({
    answers,
    conversations,
    store,
    models: { adoption: model, automation: model, support: model },
    coeOf: async () => coe,
    minRespondents: 3,
    now: () => NOW,
    logger: pino({ level: 'silent' }),
    teamIntervalMs: 20,
    orgIntervalMs: 20,
    ...overrides,
  });
  const channel = async (scopeId: string, name: string, kind: ConversationTarget['kind'] = 'channel') =>
    conversations.save({ tenantId: TENANT, conversationId: scopeId, kind, serviceUrl: 'http://localhost/', botId: 'bot', name }, NOW);
  /** Records every capability at `level` for each member (by index: level of member i is levels[i]). */
  const answer = async (scopeId: string, members: string[], levels: readonly Level[]) => {
    for (const [index, member] of members.entries()) {
      for (const capability of model.capabilities) await answers.record(keyOf(scopeId), member, capability.id, levels[index]!, NOW);
    }
  };
  return { answers, conversations, store, orgTable, deps, channel, answer };
}

describe('OrgUpkeep (against Azurite)', () => {
  it('keeps each team summary and the month figures current, off the answer path, with names as Teams gives them', async () => {
    const { store, orgTable, deps, channel, answer } = await setUp({ coe: ['CoE-1'] });
    const upkeep = new OrgUpkeep(deps());
    await channel('19:fin', 'Contoso · Finance');
    await channel('19:legal', 'Contoso · Legal');
    await channel('a:personal', 'You', 'personal');
    await answer('19:fin', ['coe-1', 'fin-2', 'fin-3'], [400, 200, 300]);
    await answer('19:legal', ['legal-1'], [100]);
    await answer('a:personal', ['solo'], [500]);
    for (const scope of ['19:fin', '19:legal', 'a:personal']) upkeep.noteAnswer(keyOf(scope));
    await upkeep.settle();

    const teams = await store.teams(month);
    expect(teams.map((team) => [team.name, team.summary.status])).toEqual([
      ['Contoso · Finance', 'shown'],
      ['Contoso · Legal', 'withheld'],
    ]);
    const snapshot = (await store.snapshots(TENANT, MODEL_ID, ROUND, ROUND)).get(ROUND)!;
    expect(snapshot.source).toBe(sourceOf(teams));
    expect(snapshot.figures.respondents).toBe(3);
    expect(snapshot.figures.teams).toEqual({ shown: 1, withheld: 1 });
    expect(snapshot.figures.capabilities[0]!.figure).toMatchObject({ level: 300, lowest: 200, highest: 400 });
    // No member id is stored anywhere in the roll-up's table, and every marker is gone.
    const raw: string[] = [];
    for await (const row of orgTable.listEntities()) raw.push(JSON.stringify(row));
    expect(raw.join('\n')).not.toMatch(/coe-1|fin-2|fin-3|legal-1|solo/i);
    expect(await store.dirty()).toEqual([]);
    await upkeep.stop();
  });

  it('stores the answers of a large team over several rows, and removes rows it no longer needs', async () => {
    const { store, deps, channel, answer, answers } = await setUp({ chunkChars: 60 });
    const upkeep = new OrgUpkeep(deps());
    await channel('19:big', 'Big team');
    const members = Array.from({ length: 12 }, (_, index) => `member-${index}`);
    await answer(
      '19:big',
      members,
      members.map((_, index) => LEVELS[index % 5]!),
    );
    upkeep.noteAnswer(keyOf('19:big'));
    await upkeep.settle();
    const [big] = await store.teamsWithAnswers(month);
    expect(big!.summary.status === 'shown' && big!.summary.contributions).toHaveLength(12);
    expect((await store.snapshots(TENANT, MODEL_ID, ROUND, ROUND)).get(ROUND)!.figures.respondents).toBe(12);

    // Everyone but two forget their answers: the team is withheld and its overflow rows go.
    for (const member of members.slice(2)) upkeep.noteForgotten((await answers.forgetMember(TENANT, member)).rounds);
    await upkeep.settle();
    const after = await store.teamsWithAnswers(month);
    expect(after.map((team) => team.summary)).toEqual([{ status: 'withheld' }]);
    expect((await store.snapshots(TENANT, MODEL_ID, ROUND, ROUND)).get(ROUND)!.figures.respondents).toBe(0);
    await upkeep.stop();
  });

  it('repairs after a restart: a team whose recompute never ran is redone by the repair tick', async () => {
    const { store, deps, channel, answer } = await setUp();
    // A process whose timers never fire: it writes the marker, then "dies" before recomputing.
    const frozen: Timer = () => () => undefined;
    const dying = new OrgUpkeep(deps({ timer: frozen }));
    await channel('19:ops', 'Ops');
    await answer('19:ops', ['a', 'b', 'c'], [200, 200, 300]);
    dying.noteAnswer(keyOf('19:ops'));
    await expect.poll(() => store.dirty()).toHaveLength(1);
    expect(await store.teams(month)).toEqual([]);

    // The next process: a fresh marker is left alone (its owner may be busy); a stale one is redone.
    let clock = NOW;
    const next = new OrgUpkeep(deps({ now: () => clock, staleAfterMs: 60_000 }));
    await next.repair();
    await next.settle();
    expect(await store.teams(month)).toEqual([]);
    clock = new Date(NOW.getTime() + 61_000);
    await next.repair();
    await next.settle();
    expect((await store.teams(month)).map((team) => [team.name, team.summary.status])).toEqual([['Ops', 'shown']]);
    expect(await store.dirty()).toEqual([]);
    await next.stop();
  });

  it('two instances recomputing the same team at once end with a summary that has every answer', async () => {
    const { store, deps, channel, answers } = await setUp();
    await channel('19:race', 'Race');
    const one = new OrgUpkeep(deps());
    const two = new OrgUpkeep(deps());
    const members = Array.from({ length: 8 }, (_, index) => `m${index}`);
    await Promise.all(
      members.map(async (member, index) => {
        for (const capability of model.capabilities) await answers.record(keyOf('19:race'), member, capability.id, 300, NOW);
        (index % 2 === 0 ? one : two).noteAnswer(keyOf('19:race'));
      }),
    );
    await Promise.all([one.settle(), two.settle()]);
    const [race] = await store.teams(month);
    expect(race!.summary).toMatchObject({ status: 'shown', respondents: 8 });
    await Promise.all([one.stop(), two.stop()]);
  });
});
