import { odata, type TableClient } from '@azure/data-tables';
import { isLevel } from '../model/content.js';
import type { Choice, MemberAnswers } from '../model/scoring.js';
import { keyPart, listAll, rowKeyPrefixFilter, statusOf } from './tables.js';

/** Where a set of answers belongs: one team (a channel, group chat or personal chat), one model, one round. */
export interface RoundKey {
  tenantId: string;
  scopeId: string;
  modelId: string;
  /** The round, e.g. "2026-11" for a monthly round. */
  round: string;
}

export type RecordOutcome = 'recorded' | 'unchanged';

export interface AnswerStore {
  /** Records a member's choice; the earlier choice stays in the history. A repeat of the current choice changes nothing. */
  record(key: RoundKey, memberId: string, capabilityId: string, choice: Choice, at: Date): Promise<RecordOutcome>;
  member(key: RoundKey, memberId: string): Promise<Map<string, Choice>>;
  /** Every member's current answers for the round: a single partition query. */
  team(key: RoundKey): Promise<MemberAnswers[]>;
  /** Each member's latest choice per capability across every team and round of a tenant (organisation-wide views). */
  latestInTenant(tenantId: string, modelId: string): Promise<MemberAnswers[]>;
  /** Every change a member made in the round, oldest first. */
  history(key: RoundKey, memberId: string): Promise<AnswerChange[]>;
}

export interface AnswerChange {
  capabilityId: string;
  choice: Choice;
  at: string;
  version: number;
}

interface CurrentRow {
  tenantId: string;
  modelId: string;
  memberId: string;
  capabilityId: string;
  /** 0 stores "Not sure". */
  level: number;
  answeredAt: string;
  version: number;
}

const NOT_SURE = 0;
const MAX_CONFLICT_RETRIES = 8;

export function partitionKeyOf(key: RoundKey): string {
  return [key.tenantId, key.scopeId, key.modelId, key.round].map(keyPart).join('|');
}

const currentPrefix = (memberId?: string) => (memberId === undefined ? 'c|' : `c|${keyPart(memberId)}|`);
const currentRowKey = (memberId: string, capabilityId: string) => `${currentPrefix(memberId)}${keyPart(capabilityId)}`;
const historyPrefix = (memberId: string) => `h|${keyPart(memberId)}|`;
const historyRowKey = (memberId: string, capabilityId: string, version: number) =>
  `${historyPrefix(memberId)}${keyPart(capabilityId)}|${String(version).padStart(6, '0')}`;

const toChoice = (level: number): Choice => (isLevel(level) ? level : null);

function groupByMember(rows: Iterable<CurrentRow>): MemberAnswers[] {
  const byMember = new Map<string, Map<string, Choice>>();
  for (const row of rows) {
    const choices = byMember.get(row.memberId) ?? new Map<string, Choice>();
    choices.set(row.capabilityId, toChoice(row.level));
    byMember.set(row.memberId, choices);
  }
  return [...byMember].map(([memberId, choices]) => ({ memberId, choices }));
}

/** Answers in Table Storage. One partition per team, model and round; current answers and their history side by side. */
export class TableAnswerStore implements AnswerStore {
  constructor(private readonly table: TableClient) {}

  async record(key: RoundKey, memberId: string, capabilityId: string, choice: Choice, at: Date): Promise<RecordOutcome> {
    const partitionKey = partitionKeyOf(key);
    const rowKey = currentRowKey(memberId, capabilityId);
    const level = choice ?? NOT_SURE;
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
      const existing = await this.readCurrent(partitionKey, rowKey);
      if (existing && existing.level === level) return 'unchanged';
      const version = (existing?.version ?? 0) + 1;
      const answeredAt = at.toISOString();
      const current = { partitionKey, rowKey, tenantId: key.tenantId, modelId: key.modelId, memberId, capabilityId, level, answeredAt, version };
      // The version moves under the ETag, so a history row key is never written twice, even from two windows.
      const history = { ...current, rowKey: historyRowKey(memberId, capabilityId, version) };
      try {
        await this.table.submitTransaction([
          existing ? ['update', current, 'Replace', { etag: existing.etag }] : ['create', current],
          ['create', history],
        ]);
        return 'recorded';
      } catch (error) {
        // 409: someone created the row first; 412: someone changed it since we read it. Read again and retry.
        const status = statusOf(error);
        if (status !== 409 && status !== 412) throw error;
      }
    }
    throw new Error(`Could not record the answer for ${capabilityId}: it kept changing underneath (${MAX_CONFLICT_RETRIES} attempts)`);
  }

  async member(key: RoundKey, memberId: string): Promise<Map<string, Choice>> {
    const rows = await listAll<CurrentRow>(this.table, rowKeyPrefixFilter(partitionKeyOf(key), currentPrefix(memberId)));
    return new Map(rows.map((row) => [row.capabilityId, toChoice(row.level)]));
  }

  async team(key: RoundKey): Promise<MemberAnswers[]> {
    return groupByMember(await listAll<CurrentRow>(this.table, rowKeyPrefixFilter(partitionKeyOf(key), currentPrefix())));
  }

  async latestInTenant(tenantId: string, modelId: string): Promise<MemberAnswers[]> {
    // Partition keys start with the tenant, so this is a range scan over one tenant's partitions only.
    const tenantPrefix = `${keyPart(tenantId)}|`;
    const filter = odata`PartitionKey ge ${tenantPrefix} and PartitionKey lt ${`${keyPart(tenantId)}}`} and modelId eq ${modelId} and RowKey ge 'c|' and RowKey lt 'c}'`;
    const latest = new Map<string, CurrentRow>();
    for (const row of await listAll<CurrentRow>(this.table, filter)) {
      const id = `${row.memberId}|${row.capabilityId}`;
      const seen = latest.get(id);
      if (!seen || seen.answeredAt < row.answeredAt) latest.set(id, row);
    }
    return groupByMember(latest.values());
  }

  async history(key: RoundKey, memberId: string): Promise<AnswerChange[]> {
    const rows = await listAll<CurrentRow>(this.table, rowKeyPrefixFilter(partitionKeyOf(key), historyPrefix(memberId)));
    return rows
      .map((row) => ({ capabilityId: row.capabilityId, choice: toChoice(row.level), at: row.answeredAt, version: row.version }))
      .sort((a, b) => a.at.localeCompare(b.at) || a.version - b.version);
  }

  private async readCurrent(partitionKey: string, rowKey: string): Promise<(CurrentRow & { etag: string }) | undefined> {
    try {
      return await this.table.getEntity<CurrentRow>(partitionKey, rowKey);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
