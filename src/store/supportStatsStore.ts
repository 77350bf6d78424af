import { randomUUID } from 'node:crypto';
import { odata, type TableClient } from '@azure/data-tables';
import { keyPart, listAll, rowKeyPrefixFilter, statusOf } from './tables.js';

/** What the help desk counts per answer (an entry id, or a kind of answer such as "unanswered"). */
export interface SupportCounts {
  /** Times it was given as an answer (or, for "unanswered", questions it couldn't answer). */
  asked: number;
  up: number;
  down: number;
}

export interface SupportCountRow extends SupportCounts {
  month: string;
  key: string;
}

export interface UnansweredQuestion {
  month: string;
  text: string;
  at: string;
}

/**
 * The help desk's own learning, per organisation and month: counts per answer, never who asked, and the text
 * of unanswered questions only when an admin has turned that on (the caller decides; this store just keeps it).
 */
export interface SupportStatsStore {
  add(tenantId: string, month: string, key: string, change: SupportCounts): Promise<void>;
  keepQuestion(tenantId: string, month: string, text: string, at: Date): Promise<void>;
  counts(tenantId: string, months: readonly string[]): Promise<SupportCountRow[]>;
  questions(tenantId: string, month: string, limit: number): Promise<UnansweredQuestion[]>;
}

interface CountRow {
  key: string;
  asked: number;
  up: number;
  down: number;
}

const partitionOf = (tenantId: string, month: string) => `${keyPart(tenantId)}|${month}`;
const COUNT_PREFIX = 'c|';
const QUESTION_PREFIX = 'q|';
/** Concurrent increments of one row retry on an ETag conflict; this many tries is plenty for a help desk. */
const MAX_TRIES = 8;

export class TableSupportStatsStore implements SupportStatsStore {
  constructor(private readonly table: TableClient) {}

  /** Adds to a row's counts, ETag-checked, so increments from several instances at once all count. */
  async add(tenantId: string, month: string, key: string, change: SupportCounts): Promise<void> {
    const partitionKey = partitionOf(tenantId, month);
    const rowKey = `${COUNT_PREFIX}${keyPart(key)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await this.read(partitionKey, rowKey);
        if (!current) {
          await this.table.createEntity({ partitionKey, rowKey, key, ...change });
          return;
        }
        await this.table.updateEntity(
          {
            partitionKey,
            rowKey,
            key,
            asked: current.asked + change.asked,
            up: current.up + change.up,
            down: current.down + change.down,
          },
          'Replace',
          { etag: current.etag },
        );
        return;
      } catch (error) {
        const status = statusOf(error);
        if ((status === 412 || status === 409) && attempt < MAX_TRIES) continue;
        throw error;
      }
    }
  }

  private async read(partitionKey: string, rowKey: string) {
    try {
      const row = await this.table.getEntity<CountRow>(partitionKey, rowKey);
      return { asked: row.asked ?? 0, up: row.up ?? 0, down: row.down ?? 0, etag: row.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async keepQuestion(tenantId: string, month: string, text: string, at: Date): Promise<void> {
    // Newest first in key order: the row key starts with the time left until year 10000.
    const inverted = String(253402300800000 - at.getTime()).padStart(15, '0');
    await this.table.createEntity({
      partitionKey: partitionOf(tenantId, month),
      rowKey: `${QUESTION_PREFIX}${inverted}|${randomUUID()}`,
      text,
      at: at.toISOString(),
    });
  }

  async counts(tenantId: string, months: readonly string[]): Promise<SupportCountRow[]> {
    const perMonth = await Promise.all(
      months.map(async (month) => {
        const rows = await listAll<CountRow>(this.table, rowKeyPrefixFilter(partitionOf(tenantId, month), COUNT_PREFIX), [
          'key',
          'asked',
          'up',
          'down',
        ]);
        return rows.map((row) => ({ month, key: row.key, asked: row.asked ?? 0, up: row.up ?? 0, down: row.down ?? 0 }));
      }),
    );
    return perMonth.flat();
  }

  async questions(tenantId: string, month: string, limit: number): Promise<UnansweredQuestion[]> {
    const filter = odata`PartitionKey eq ${partitionOf(tenantId, month)} and RowKey ge ${QUESTION_PREFIX} and RowKey lt ${'q}'}`;
    const found: UnansweredQuestion[] = [];
    const pages = this.table.listEntities<{ text: string; at: string }>({ queryOptions: { filter, select: ['text', 'at'] } });
    for await (const row of pages) {
      found.push({ month, text: row.text, at: row.at });
      if (found.length >= limit) break;
    }
    return found;
  }
}
