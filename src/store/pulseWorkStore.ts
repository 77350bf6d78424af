import { odata, type TableClient } from '@azure/data-tables';
import { keyPart, listAll, statusOf } from './tables.js';

/** "This tenant has pulse work due at `dueAt` in this month's round": the pulse's index of what is due when. */
export interface DueWork {
  tenantId: string;
  round: string;
  dueAt: string;
  etag: string;
}

/** Held by one instance until `until`; taken over by another once it has expired. */
export interface Lease {
  name: string;
  owner: string;
  until: string;
  etag: string;
}

/**
 * The pulse's bookkeeping, in a table of its own so that it stays small: what is due when (a range query by
 * time finds it, so a tick with nothing due reads next to nothing), which months' rounds were opened, and
 * leases (one instance at a time fans out a tenant).
 */
export interface PulseWorkStore {
  /** Work due at or before `now`, oldest first (at most `limit` entries). */
  due(now: Date, limit: number): Promise<DueWork[]>;
  /** Notes that a tenant's round has work due at `dueAt` (idempotent). */
  schedule(work: Omit<DueWork, 'etag'>): Promise<void>;
  /** Removes an entry, unless it was written again since it was read (then it stays due). */
  done(work: DueWork): Promise<void>;
  wasOpened(round: string): Promise<boolean>;
  markOpened(round: string, at: Date): Promise<void>;
  /** Takes the lease if it is free or expired; undefined while anyone holds it (the same instance twice too). */
  claimLease(name: string, owner: string, until: Date, now: Date): Promise<Lease | undefined>;
  /** Extends a lease we hold; undefined when it was taken over meanwhile. */
  renewLease(lease: Lease, until: Date): Promise<Lease | undefined>;
  releaseLease(lease: Lease): Promise<void>;
}

const DUE = 'due';
const OPENED = 'opened';
const LEASE = 'lease';
const dueKey = (work: Omit<DueWork, 'etag'>) => `${work.dueAt}|${keyPart(work.tenantId)}|${work.round}`;

type DueRow = Omit<DueWork, 'etag'>;
type LeaseRow = Omit<Lease, 'etag' | 'name'>;

export class TablePulseWorkStore implements PulseWorkStore {
  constructor(private readonly table: TableClient) {}

  async due(now: Date, limit: number): Promise<DueWork[]> {
    // ISO times sort as text, and '|' (0x7C) follows every key of a time, so '}' bounds "at or before now".
    const filter = odata`PartitionKey eq ${DUE} and RowKey lt ${`${now.toISOString()}}`}`;
    const pages = this.table
      .listEntities<DueRow>({ queryOptions: { filter, select: ['tenantId', 'round', 'dueAt'] } })
      .byPage({ maxPageSize: limit });
    for await (const page of pages)
      return page.map((row) => ({ tenantId: row.tenantId, round: row.round, dueAt: row.dueAt, etag: row.etag }));
    return [];
  }

  async schedule(work: Omit<DueWork, 'etag'>): Promise<void> {
    const { tenantId, round, dueAt } = work;
    await this.table.upsertEntity({ partitionKey: DUE, rowKey: dueKey(work), tenantId, round, dueAt }, 'Replace');
  }

  async done(work: DueWork): Promise<void> {
    try {
      await this.table.deleteEntity(DUE, dueKey(work), { etag: work.etag });
    } catch (error) {
      // 412: written again since (new work at the same time); 404: another instance finished it.
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
    }
  }

  async wasOpened(round: string): Promise<boolean> {
    return (await listAll(this.table, odata`PartitionKey eq ${OPENED} and RowKey eq ${round}`, ['RowKey'])).length > 0;
  }

  async markOpened(round: string, at: Date): Promise<void> {
    await this.table.upsertEntity({ partitionKey: OPENED, rowKey: round, openedAt: at.toISOString() }, 'Replace');
  }

  async claimLease(name: string, owner: string, until: Date, now: Date): Promise<Lease | undefined> {
    const rowKey = keyPart(name);
    let current: (LeaseRow & { etag: string }) | undefined;
    try {
      current = await this.table.getEntity<LeaseRow>(LEASE, rowKey);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    const row = { partitionKey: LEASE, rowKey, owner, until: until.toISOString() };
    try {
      if (!current) {
        const created = await this.table.createEntity(row);
        return { name, owner, until: row.until, etag: created.etag ?? '' };
      }
      if (new Date(current.until) > now) return undefined;
      const updated = await this.table.updateEntity(row, 'Replace', { etag: current.etag });
      return { name, owner, until: row.until, etag: updated.etag ?? '' };
    } catch (error) {
      // Another instance created or took it between the read and the write.
      if (statusOf(error) === 409 || statusOf(error) === 412) return undefined;
      throw error;
    }
  }

  async renewLease(lease: Lease, until: Date): Promise<Lease | undefined> {
    try {
      const row = { partitionKey: LEASE, rowKey: keyPart(lease.name), owner: lease.owner, until: until.toISOString() };
      const updated = await this.table.updateEntity(row, 'Replace', { etag: lease.etag });
      return { ...lease, until: row.until, etag: updated.etag ?? '' };
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async releaseLease(lease: Lease): Promise<void> {
    try {
      await this.table.deleteEntity(LEASE, keyPart(lease.name), { etag: lease.etag });
    } catch (error) {
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
    }
  }
}
