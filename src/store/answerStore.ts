import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
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

export interface RecordResult {
  outcome: 'recorded' | 'unchanged';
  /** The member's answers after the write, so callers need not read them again. */
  choices: Map<string, Choice>;
}

export interface AnswerStore {
  /** Records a member's choice; the earlier choice stays in the history. A repeat of the current choice changes nothing. */
  record(key: RoundKey, memberId: string, capabilityId: string, choice: Choice, at: Date): Promise<RecordResult>;
  member(key: RoundKey, memberId: string): Promise<Map<string, Choice>>;
  /** Every member's current answers for the round: a single partition query, one row per member. */
  team(key: RoundKey): Promise<MemberAnswers[]>;
  /** Each member's latest choice per capability across every team and round of a tenant (organisation-wide views). */
  latestInTenant(tenantId: string, modelId: string): Promise<MemberAnswers[]>;
  /** Every change a member made in the round, oldest first. */
  history(key: RoundKey, memberId: string): Promise<AnswerChange[]>;
  /** Deletes all of a member's rows in a tenant (current answers and history, every team, model and round). */
  forgetMember(tenantId: string, memberId: string): Promise<ForgetResult>;
}

/** What forgetMember deleted: every answer given (history rows) and the rounds they were in (one row per team, model and round). */
export interface ForgetResult {
  answers: number;
  assessments: number;
}

export interface AnswerChange {
  capabilityId: string;
  choice: Choice;
  at: string;
  version: number;
}

/** A member's current answers in one round: one row, so a team of 1,000 is 1,000 rows, not 1,000 × capabilities. */
interface MemberRow {
  tenantId: string;
  modelId: string;
  memberId: string;
  /** JSON: capability id → [level (0 = "Not sure"), answered at]. */
  choices: string;
  /** Bumped on every change, under the row's ETag, so history row keys never collide. */
  version: number;
}

interface HistoryRow {
  tenantId: string;
  modelId: string;
  memberId: string;
  capabilityId: string;
  level: number;
  answeredAt: string;
  version: number;
}

type StoredChoices = Record<string, [number, string]>;

const NOT_SURE = 0;
/** Member rows remembered per instance (about 300 bytes each). */
const KNOWN_ROWS_LIMIT = 20_000;

interface KnownRow {
  choices: string;
  version: number;
  etag: string;
}
/** Table Storage's limit of entities in one transaction. */
const MAX_TRANSACTION = 100;
/** Partitions deleted at the same time by forgetMember. */
const DELETE_CONCURRENCY = 4;
const MAX_CONFLICT_RETRIES = 12;

export function partitionKeyOf(key: RoundKey): string {
  return [key.tenantId, key.scopeId, key.modelId, key.round].map(keyPart).join('|');
}

const MEMBER_PREFIX = 'm|';
const memberRowKey = (memberId: string) => `${MEMBER_PREFIX}${keyPart(memberId)}`;
const historyPrefix = (memberId: string) => `h|${keyPart(memberId)}|`;
const historyRowKey = (memberId: string, version: number) => `${historyPrefix(memberId)}${String(version).padStart(6, '0')}`;

const toChoice = (level: number): Choice => (isLevel(level) ? level : null);
const parseChoices = (json: string): StoredChoices => JSON.parse(json) as StoredChoices;
const choicesOf = (stored: StoredChoices) =>
  new Map(Object.entries(stored).map(([capabilityId, [level]]) => [capabilityId, toChoice(level)]));

/** Answers in Table Storage. One partition per team, model and round; each member's current answers and their history side by side. */
export class TableAnswerStore implements AnswerStore {
  /**
   * The member rows this instance last read or wrote, with their ETags: a member answers question after
   * question, so the next write needs no read. Stale entries (another instance wrote since) fail the ETag
   * check and are read again, so the cache only saves work, never decides what is stored.
   */
  private readonly known = new Map<string, KnownRow>();

  constructor(private readonly table: TableClient) {}

  private remember(partitionKey: string, rowKey: string, row: KnownRow | undefined): void {
    const id = `${partitionKey}\n${rowKey}`;
    this.known.delete(id);
    if (!row) return;
    this.known.set(id, row);
    if (this.known.size > KNOWN_ROWS_LIMIT) this.known.delete(this.known.keys().next().value!);
  }

  async record(key: RoundKey, memberId: string, capabilityId: string, choice: Choice, at: Date): Promise<RecordResult> {
    const partitionKey = partitionKeyOf(key);
    const rowKey = memberRowKey(memberId);
    const level = choice ?? NOT_SURE;
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
      // First try: what this instance knows (or, for a member it has not seen, that the row is new); after a conflict: a fresh read.
      const cached = attempt === 0 ? this.known.get(`${partitionKey}\n${rowKey}`) : undefined;
      let existing: KnownRow | undefined = cached ?? (attempt === 0 ? undefined : await this.readMember(partitionKey, rowKey));
      let stored = existing ? parseChoices(existing.choices) : {};
      // "Unchanged" writes nothing, so it is only ever decided on a fresh read: another instance may have changed the row.
      if (cached && stored[capabilityId]?.[0] === level) {
        existing = await this.readMember(partitionKey, rowKey);
        stored = existing ? parseChoices(existing.choices) : {};
      }
      if (stored[capabilityId]?.[0] === level) return { outcome: 'unchanged', choices: choicesOf(stored) };
      const answeredAt = at.toISOString();
      const updated: StoredChoices = { ...stored, [capabilityId]: [level, answeredAt] };
      const version = (existing?.version ?? 0) + 1;
      const row = {
        partitionKey,
        rowKey,
        tenantId: key.tenantId,
        modelId: key.modelId,
        memberId,
        choices: JSON.stringify(updated),
        version,
      };
      const history = {
        partitionKey,
        rowKey: historyRowKey(memberId, version),
        tenantId: key.tenantId,
        modelId: key.modelId,
        memberId,
        capabilityId,
        level,
        answeredAt,
        version,
      };
      try {
        const response = await this.table.submitTransaction([
          existing ? ['update', row, 'Replace', { etag: existing.etag }] : ['create', row],
          ['create', history],
        ]);
        const etag = response.getResponseForEntity(rowKey)?.etag;
        this.remember(partitionKey, rowKey, etag ? { choices: row.choices, version, etag } : undefined);
        return { outcome: 'recorded', choices: choicesOf(updated) };
      } catch (error) {
        // 409: the row exists (someone created it first); 412: it changed since it was read; 404: it was deleted
        // (forget me). Read again and retry, after a short random pause so that several windows of one member
        // do not collide again in lockstep.
        const status = statusOf(error);
        if (status !== 409 && status !== 412 && status !== 404) throw error;
        this.remember(partitionKey, rowKey, undefined);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
    throw new Error(`Could not record the answer for ${capabilityId}: it kept changing underneath (${MAX_CONFLICT_RETRIES} attempts)`);
  }

  async member(key: RoundKey, memberId: string): Promise<Map<string, Choice>> {
    const row = await this.readMember(partitionKeyOf(key), memberRowKey(memberId));
    return row ? choicesOf(parseChoices(row.choices)) : new Map();
  }

  async team(key: RoundKey): Promise<MemberAnswers[]> {
    const rows = await listAll<MemberRow>(this.table, rowKeyPrefixFilter(partitionKeyOf(key), MEMBER_PREFIX), ['memberId', 'choices']);
    return rows.map((row) => ({ memberId: row.memberId, choices: choicesOf(parseChoices(row.choices)) }));
  }

  async latestInTenant(tenantId: string, modelId: string): Promise<MemberAnswers[]> {
    // Partition keys start with the tenant, so this is a range scan over one tenant's partitions only.
    const filter = odata`PartitionKey ge ${`${keyPart(tenantId)}|`} and PartitionKey lt ${`${keyPart(tenantId)}}`} and modelId eq ${modelId} and RowKey ge 'm|' and RowKey lt 'm}'`;
    const latest = new Map<string, Map<string, [number, string]>>();
    for (const row of await listAll<MemberRow>(this.table, filter, ['memberId', 'choices'])) {
      const member = latest.get(row.memberId) ?? new Map<string, [number, string]>();
      for (const [capabilityId, answer] of Object.entries(parseChoices(row.choices))) {
        const seen = member.get(capabilityId);
        if (!seen || seen[1] < answer[1]) member.set(capabilityId, answer);
      }
      latest.set(row.memberId, member);
    }
    return [...latest].map(([memberId, answers]) => ({
      memberId,
      choices: new Map([...answers].map(([capabilityId, [level]]) => [capabilityId, toChoice(level)])),
    }));
  }

  async history(key: RoundKey, memberId: string): Promise<AnswerChange[]> {
    const rows = await listAll<HistoryRow>(this.table, rowKeyPrefixFilter(partitionKeyOf(key), historyPrefix(memberId)));
    return rows
      .map((row) => ({ capabilityId: row.capabilityId, choice: toChoice(row.level), at: row.answeredAt, version: row.version }))
      .sort((a, b) => a.version - b.version);
  }

  async forgetMember(tenantId: string, memberId: string): Promise<ForgetResult> {
    const deleted: ForgetResult = { answers: 0, assessments: 0 };
    for (const id of [...this.known.keys()]) if (id.endsWith(`\n${memberRowKey(memberId)}`)) this.known.delete(id);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deleteMemberRows(tenantId, memberId, deleted);
        return deleted;
      } catch (error) {
        // 404: a row went between the scan and the delete (a second "forget me" at once); scan again for what is left.
        if (statusOf(error) !== 404 || attempt === MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** One scan of the tenant's partitions, keys only, then one transaction per partition and 100 rows, a few partitions at a time. */
  private async deleteMemberRows(tenantId: string, memberId: string, deleted: ForgetResult): Promise<void> {
    // Partition keys start with the tenant, so this is a range scan over one tenant's partitions only.
    const filter = odata`PartitionKey ge ${`${keyPart(tenantId)}|`} and PartitionKey lt ${`${keyPart(tenantId)}}`} and memberId eq ${memberId}`;
    const byPartition = new Map<string, string[]>();
    for (const { partitionKey, rowKey } of await listAll<object>(this.table, filter, ['PartitionKey', 'RowKey'])) {
      if (partitionKey === undefined || rowKey === undefined)
        throw new Error('Table Storage returned a row without its keys; nothing more was deleted.');
      byPartition.set(partitionKey, [...(byPartition.get(partitionKey) ?? []), rowKey]);
    }
    const batches = [...byPartition].flatMap(([partitionKey, rowKeys]) =>
      Array.from({ length: Math.ceil(rowKeys.length / MAX_TRANSACTION) }, (_, index) => ({
        partitionKey,
        rowKeys: rowKeys.slice(index * MAX_TRANSACTION, (index + 1) * MAX_TRANSACTION),
      })),
    );
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      // Each worker stops at the first failure (its own or another's); the counts keep only transactions that went through.
      for (let batch = batches.shift(); batch && !failure; batch = batches.shift()) {
        const { partitionKey, rowKeys } = batch;
        try {
          await this.table.submitTransaction(rowKeys.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]));
          for (const rowKey of rowKeys) {
            if (rowKey.startsWith(MEMBER_PREFIX)) deleted.assessments += 1;
            else deleted.answers += 1;
          }
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, batches.length) }, worker));
    if (failure) throw failure.error;
  }

  private async readMember(partitionKey: string, rowKey: string): Promise<(MemberRow & { etag: string }) | undefined> {
    try {
      const row = await this.table.getEntity<MemberRow>(partitionKey, rowKey);
      this.remember(partitionKey, rowKey, { choices: row.choices, version: row.version, etag: row.etag });
      return row;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      this.remember(partitionKey, rowKey, undefined);
      return undefined;
    }
  }
}
