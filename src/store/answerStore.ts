import { randomUUID } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { LRUCache } from 'lru-cache';
import { groupBy } from '../model/collections.js';
import { isLevel } from '../model/content.js';
import type { DatedMemberAnswers } from '../model/orgRollup.js';
import type { Choice, MemberAnswers } from '../model/scoring.js';
import { inTenant, keyPart, listAll, listKeys, rowKeyPrefixFilter, statusOf, type RowRef } from './tables.js';
import { Transactions, type BatchOperation } from './transaction.js';

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
  /** 1 when this answer made the member a respondent (their first level, not "Not sure"), -1 when it undid that, else 0. */
  respondentChange: -1 | 0 | 1;
}

export interface AnswerStore {
  /** Records a member's choice; the earlier choice stays in the history. A repeat of the current choice changes nothing. */
  record(key: RoundKey, memberId: string, capabilityId: string, choice: Choice, at: Date): Promise<RecordResult>;
  member(key: RoundKey, memberId: string): Promise<Map<string, Choice>>;
  /** Every member's current answers for the round: a single partition query, one row per member. */
  team(key: RoundKey): Promise<MemberAnswers[]>;
  /** The same partition query, with when each answer was given (the organisation roll-up, off the response path). */
  teamDated(key: RoundKey): Promise<DatedMemberAnswers[]>;
  /** Each member's latest choice per capability across every team and round of a tenant (organisation-wide views). */
  latestInTenant(tenantId: string, modelId: string): Promise<MemberAnswers[]>;
  /** Every change a member made in the round, oldest first. */
  history(key: RoundKey, memberId: string): Promise<AnswerChange[]>;
  /** What forgetMember would delete now: how many answers (history rows) in how many assessments. */
  memberFootprint(tenantId: string, memberId: string): Promise<ForgetResult>;
  /**
   * Deletes all of a member's rows in a tenant (current answers and history, every team, model and round), and says
   * which rounds they were in, so summaries built from them (the organisation roll-up) can be redone.
   */
  forgetMember(tenantId: string, memberId: string): Promise<ForgetResult & { rounds: RoundKey[] }>;
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
  /** Bumped on every change, under the row's ETag: the order of the member's history rows. */
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

/** What this instance last saw of a member row: its content and ETag, or (no ETag) that it does not exist. */
interface KnownRow {
  choices: string;
  version: number;
  etag?: string;
}
const NO_ROW: KnownRow = { choices: '{}', version: 0 };
/**
 * Memory for known rows, counted as the characters they hold plus a fixed overhead: 8 MB is about 11,000
 * members part-way through a nine-question assessment, well inside the 128 MB heap `npm start` allows.
 */
const KNOWN_ROWS_BYTES = 8 * 1024 * 1024;
const ENTRY_OVERHEAD_BYTES = 200;

/** Table Storage's limit of entities in one transaction. */
const MAX_TRANSACTION = 100;
/** Partitions deleted at the same time by forgetMember. */
const DELETE_CONCURRENCY = 4;
const MAX_CONFLICT_RETRIES = 12;

export function partitionKeyOf(key: RoundKey): string {
  return [key.tenantId, key.scopeId, key.modelId, key.round].map(keyPart).join('|');
}

/** The inverse of partitionKeyOf. */
function roundKeyOf(partitionKey: string): RoundKey {
  const [tenantId = '', scopeId = '', modelId = '', round = ''] = partitionKey.split('|').map(decodeURIComponent);
  return { tenantId, scopeId, modelId, round };
}

const MEMBER_PREFIX = 'm|';
const memberRowKey = (memberId: string) => `${MEMBER_PREFIX}${keyPart(memberId)}`;
const historyPrefix = (memberId: string) => `h|${keyPart(memberId)}|`;
/**
 * Unique by construction: the version orders a member's changes, and the random part means a key can never
 * collide with a row left from before the member row was deleted and its versions started again at 1.
 */
const historyRowKey = (memberId: string, version: number) =>
  `${historyPrefix(memberId)}${String(version).padStart(6, '0')}|${randomUUID()}`;

const answersSomething = (stored: StoredChoices) => Object.values(stored).some(([level]) => level !== NOT_SURE);
const respondentChange = (before: StoredChoices, after: StoredChoices) =>
  (Number(answersSomething(after)) - Number(answersSomething(before))) as -1 | 0 | 1;
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
  private readonly known = new LRUCache<string, KnownRow>({
    maxSize: KNOWN_ROWS_BYTES,
    sizeCalculation: (row, id) => id.length + row.choices.length + (row.etag?.length ?? 0) + ENTRY_OVERHEAD_BYTES,
  });
  private readonly transactions: Transactions;

  constructor(private readonly table: TableClient) {
    this.transactions = new Transactions(table);
  }

  /**
   * One storage call on the steady path (the member's next answer on this instance): a transaction writing
   * the member row (ETag-checked) and a history row. A member this instance has not seen costs one read more.
   */
  async record(key: RoundKey, memberId: string, capabilityId: string, choice: Choice, at: Date): Promise<RecordResult> {
    const partitionKey = partitionKeyOf(key);
    const rowKey = memberRowKey(memberId);
    const id = `${partitionKey}\n${rowKey}`;
    const level = choice ?? NOT_SURE;
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
      // First try: what this instance knows; otherwise (and after a conflict) a fresh read.
      const cached = attempt === 0 ? this.known.get(id) : undefined;
      let existing = cached ?? (await this.readMember(partitionKey, rowKey));
      let stored = parseChoices(existing.choices);
      // "Unchanged" writes nothing, so it is only ever decided on a fresh read: another instance may have changed the row.
      if (cached && stored[capabilityId]?.[0] === level) {
        existing = await this.readMember(partitionKey, rowKey);
        stored = parseChoices(existing.choices);
      }
      if (stored[capabilityId]?.[0] === level) return { outcome: 'unchanged', choices: choicesOf(stored), respondentChange: 0 };
      const answeredAt = at.toISOString();
      const updated: StoredChoices = { ...stored, [capabilityId]: [level, answeredAt] };
      const version = existing.version + 1;
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
        const [etag] = await this.transactions.submit([
          existing.etag ? { kind: 'replace', entity: row, etag: existing.etag } : { kind: 'create', entity: row },
          { kind: 'create', entity: history },
        ]);
        if (etag) this.known.set(id, { choices: row.choices, version, etag });
        else this.known.delete(id);
        return { outcome: 'recorded', choices: choicesOf(updated), respondentChange: respondentChange(stored, updated) };
      } catch (error) {
        // 409: the row exists (someone created it first); 412: it changed since it was read; 404: it was deleted
        // (forget me). Read again and retry, after a short random pause so that several windows of one member
        // do not collide again in lockstep.
        const status = statusOf(error);
        if (status !== 409 && status !== 412 && status !== 404) throw error;
        this.known.delete(id);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
    throw new Error(`Could not record the answer for ${capabilityId}: it kept changing underneath (${MAX_CONFLICT_RETRIES} attempts)`);
  }

  async member(key: RoundKey, memberId: string): Promise<Map<string, Choice>> {
    return choicesOf(parseChoices((await this.readMember(partitionKeyOf(key), memberRowKey(memberId))).choices));
  }

  async team(key: RoundKey): Promise<MemberAnswers[]> {
    return (await this.memberRows(key)).map((row) => ({ memberId: row.memberId, choices: choicesOf(parseChoices(row.choices)) }));
  }

  async teamDated(key: RoundKey): Promise<DatedMemberAnswers[]> {
    return (await this.memberRows(key)).map((row) => {
      const stored = parseChoices(row.choices);
      return {
        memberId: row.memberId,
        choices: choicesOf(stored),
        answeredAt: new Map(Object.entries(stored).map(([capabilityId, [, at]]) => [capabilityId, at])),
      };
    });
  }

  private memberRows(key: RoundKey): Promise<MemberRow[]> {
    return listAll<MemberRow>(this.table, rowKeyPrefixFilter(partitionKeyOf(key), MEMBER_PREFIX), ['memberId', 'choices']);
  }

  async latestInTenant(tenantId: string, modelId: string): Promise<MemberAnswers[]> {
    // Partition keys start with the tenant, so this is a range scan over one tenant's partitions only.
    const filter = inTenant(tenantId, odata`modelId eq ${modelId} and RowKey ge 'm|' and RowKey lt 'm}'`);
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

  async memberFootprint(tenantId: string, memberId: string): Promise<ForgetResult> {
    const rows = await this.rowsOfMember(tenantId, memberId);
    const assessments = rows.filter((row) => row.rowKey.startsWith(MEMBER_PREFIX)).length;
    return { answers: rows.length - assessments, assessments };
  }

  /** The keys of every row of the member in the tenant: a range scan over that tenant's partitions only. */
  private rowsOfMember(tenantId: string, memberId: string): Promise<RowRef[]> {
    return listKeys(this.table, inTenant(tenantId, odata`memberId eq ${memberId}`));
  }

  async forgetMember(tenantId: string, memberId: string): Promise<ForgetResult & { rounds: RoundKey[] }> {
    const rowKey = memberRowKey(memberId);
    for (const id of [...this.known.keys()]) if (id.endsWith(`\n${rowKey}`)) this.known.delete(id);
    const partitions = groupBy(await this.rowsOfMember(tenantId, memberId), (row) => row.partitionKey);
    const deleted: ForgetResult = { answers: 0, assessments: 0 };
    const queue = [...partitions];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.forgetInPartition(next[0], memberId, next[1], deleted);
    };
    // A failure stops nothing else: every partition is tried, then the first failure is reported.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(DELETE_CONCURRENCY, queue.length) }, worker));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return { ...deleted, rounds: [...partitions.keys()].map(roundKeyOf) };
  }

  /**
   * Deletes the member's rows in one partition so that an answer racing with it is either wholly deleted or
   * wholly kept: history rows go first, the member row last and only if unchanged since it was listed (its
   * ETag). An answer written in between changes that ETag, so the partition is listed again and its rows go
   * too; an answer written after finds no member row and starts a new one, with history keys that cannot
   * collide with anything deleted here.
   */
  private async forgetInPartition(partitionKey: string, memberId: string, listed: RowRef[], deleted: ForgetResult): Promise<void> {
    let rows = listed;
    for (let attempt = 1; rows.length > 0; attempt += 1) {
      const member = rows.find((row) => row.rowKey.startsWith(MEMBER_PREFIX));
      const history = rows.filter((row) => row !== member).map((row) => row.rowKey);
      // The member row rides in the last transaction, so history is never left without it.
      const lastSize = member ? MAX_TRANSACTION - 1 : MAX_TRANSACTION;
      const chunks = chunk(history, MAX_TRANSACTION, lastSize);
      try {
        for (const [index, rowKeys] of chunks.entries()) {
          const operations: BatchOperation[] = rowKeys.map((rowKey) => ({ kind: 'delete', partitionKey, rowKey }));
          const last = index === chunks.length - 1;
          if (last && member) operations.push({ kind: 'delete', partitionKey, rowKey: member.rowKey, etag: member.etag });
          await this.transactions.submit(operations);
          deleted.answers += rowKeys.length;
          if (last && member) deleted.assessments += 1;
        }
        return;
      } catch (error) {
        // 412: an answer landed since the listing; 404: a row went (another "forget me" at once). List again.
        const status = statusOf(error);
        if ((status !== 412 && status !== 404) || attempt === MAX_CONFLICT_RETRIES) throw error;
        rows = await listKeys(this.table, odata`PartitionKey eq ${partitionKey} and memberId eq ${memberId}`);
      }
    }
  }

  /** The member row as stored now (remembered for the next write), or NO_ROW when there is none. */
  private async readMember(partitionKey: string, rowKey: string): Promise<KnownRow> {
    const id = `${partitionKey}\n${rowKey}`;
    try {
      const row = await this.table.getEntity<MemberRow>(partitionKey, rowKey);
      const known = { choices: row.choices, version: row.version, etag: row.etag };
      this.known.set(id, known);
      return known;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      this.known.set(id, NO_ROW);
      return NO_ROW;
    }
  }
}

/** Splits `items` into runs of `size`, the last at most `lastSize` (so it has room for one more). */
function chunk<T>(items: readonly T[], size: number, lastSize: number): T[][] {
  const chunks: T[][] = [];
  let rest = [...items];
  while (rest.length > lastSize) {
    const take = Math.min(size, rest.length - 1);
    chunks.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  chunks.push(rest);
  return chunks;
}
