import { odata, type TableClient } from '@azure/data-tables';
import type { ConversationTarget } from './conversationStore.js';
import { groupBy } from '../model/collections.js';
import { keyPart, listAll, replaceMemberId, statusOf } from './tables.js';
import { Transactions } from './transaction.js';

/** A channel that receives the monthly pulse. */
export interface Subscription {
  target: ConversationTarget;
  modelId: string;
  status: 'active' | 'unreachable';
  /** Why the last post failed for good (the bot was removed, 403/404), for `pulse status`. */
  problem: string;
  subscribedBy: string;
  subscribedAt: string;
}

export type RoundStatus = 'open' | 'posted' | 'reminded' | 'closed' | 'failed';

/** One pulse round in one channel: the unit that is claimed, so it is posted, reminded and closed once. */
export interface PulseRound {
  round: string;
  target: ConversationTarget;
  modelId: string;
  status: RoundStatus;
  opensAt: string;
  remindAt: string;
  closesAt: string;
  activityId: string;
  answered: number;
  /** The count the pulse card shows; behind `answered` when an instance counted answers it could not send for. */
  shownAnswered: number;
  /** The instance working on the next step, and until when; an expired lease can be taken over. */
  leaseOwner: string;
  leaseUntil: string;
  attempts: number;
  lastError: string;
  etag: string;
}

export type NewRound = Omit<
  PulseRound,
  'status' | 'activityId' | 'answered' | 'shownAnswered' | 'leaseOwner' | 'leaseUntil' | 'attempts' | 'lastError' | 'etag'
>;

export interface PulseStore {
  subscribe(subscription: Subscription): Promise<void>;
  unsubscribe(tenantId: string, conversationId: string): Promise<boolean>;
  subscription(tenantId: string, conversationId: string): Promise<Subscription | undefined>;
  /** Every subscription, a page at a time (read once a month, when a round opens). */
  subscriptionPages(): AsyncIterable<Subscription[]>;
  markUnreachable(tenantId: string, conversationId: string, problem: string): Promise<void>;
  /** "Switched on by" the member becomes FORMER_MEMBER on the tenant's subscriptions (forget me); returns how many. */
  forgetSubscriber(tenantId: string, memberId: string): Promise<number>;
  /** Conditional insert: false when the round already exists (another instance, a restart, a double `pulse now`). */
  createRound(round: NewRound): Promise<boolean>;
  /** The same for many channels, a hundred per transaction; returns how many were created. */
  createRounds(rounds: readonly NewRound[]): Promise<number>;
  /** One tenant's rounds of one month in the given states, a page at a time (filtered by the service). */
  tenantRounds(round: string, tenantId: string, statuses: readonly RoundStatus[]): AsyncIterable<PulseRound[]>;
  getRound(round: string, tenantId: string, conversationId: string): Promise<PulseRound | undefined>;
  /** Writes the round if nobody changed it since it was read (ETag); undefined when someone did. */
  updateRound(round: PulseRound): Promise<PulseRound | undefined>;
  /**
   * The same for many rounds, one transaction per partition and hundred rows. Returns each round as written, in
   * order, or undefined for those that someone changed since they were read.
   */
  updateRounds(rounds: readonly PulseRound[]): Promise<(PulseRound | undefined)[]>;
  /**
   * Adds `change` to the "answered" count of a posted round of that model; undefined when there is none. `shown`:
   * the caller updates the card with the new count (it holds the tenant's lease); otherwise the card falls behind.
   */
  addAnswered(
    round: string,
    tenantId: string,
    conversationId: string,
    modelId: string,
    change: number,
    shown: boolean,
  ): Promise<PulseRound | undefined>;
  /**
   * Moves the month's rounds stored in the layout before rounds were spread over tenant partitions (one
   * `round|<month>` partition for everyone) into their tenant's partitions, keeping their state. Returns the
   * tenants with rounds still to be worked on. Idempotent, and safe with several instances at once.
   */
  adoptLegacyRounds(month: string): Promise<Set<string>>;
  /** Every round of one channel, newest first (for `pulse status`). */
  roundsOf(tenantId: string, conversationId: string): Promise<PulseRound[]>;
}

const SUBSCRIPTIONS = 'sub';
/** Table Storage's limit of entities in one transaction. */
const MAX_TRANSACTION = 100;
/**
 * A tenant's rounds of a month are spread over this many partitions, so that no partition of a large tenant
 * grows past a few hundred rows (storage emulators scan a whole partition for each single-row read or write).
 */
const ROUND_BUCKETS = 16;
const MAX_CONFLICT_RETRIES = 8;

/** FNV-1a: a stable spread of conversations over a tenant's round partitions. */
function bucketOf(conversationId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < conversationId.length; index += 1) hash = Math.imul(hash ^ conversationId.charCodeAt(index), 0x01000193);
  return ((hash >>> 0) % ROUND_BUCKETS).toString(16).padStart(2, '0');
}
const tenantRoundPrefix = (round: string, tenantId: string) => `round|${round}|${keyPart(tenantId)}|`;
const roundPartition = (round: string, target: Pick<ConversationTarget, 'tenantId' | 'conversationId'>) =>
  `${tenantRoundPrefix(round, target.tenantId)}${bucketOf(target.conversationId)}`;
const channelKey = (tenantId: string, conversationId: string) => `${keyPart(tenantId)}|${keyPart(conversationId)}`;
/** Every key that starts with `prefix` ('|' is 0x7C, so '}' (0x7D) bounds the range). */
const upperBound = (prefix: string) => `${prefix.slice(0, -1)}}`;

type SubscriptionRow = Omit<Subscription, 'target'> & { target: string };
type RoundRow = Omit<PulseRound, 'target' | 'etag'> & { target: string };

export class TablePulseStore implements PulseStore {
  /** Batched claims and outcomes through the table client's own pipeline (not a new client per transaction). */
  private readonly transactions: Transactions;

  constructor(private readonly table: TableClient) {
    this.transactions = new Transactions(table);
  }

  async subscribe(subscription: Subscription): Promise<void> {
    const { target } = subscription;
    await this.table.upsertEntity(
      {
        partitionKey: SUBSCRIPTIONS,
        rowKey: channelKey(target.tenantId, target.conversationId),
        ...subscription,
        target: JSON.stringify(target),
      },
      'Replace',
    );
  }

  async unsubscribe(tenantId: string, conversationId: string): Promise<boolean> {
    try {
      await this.table.deleteEntity(SUBSCRIPTIONS, channelKey(tenantId, conversationId));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async subscription(tenantId: string, conversationId: string): Promise<Subscription | undefined> {
    try {
      return toSubscription(await this.table.getEntity<SubscriptionRow>(SUBSCRIPTIONS, channelKey(tenantId, conversationId)));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async *subscriptionPages(): AsyncIterable<Subscription[]> {
    const pages = this.table.listEntities<SubscriptionRow>({ queryOptions: { filter: odata`PartitionKey eq ${SUBSCRIPTIONS}` } }).byPage();
    for await (const page of pages) yield page.map(toSubscription);
  }

  async markUnreachable(tenantId: string, conversationId: string, problem: string): Promise<void> {
    await this.table.updateEntity(
      { partitionKey: SUBSCRIPTIONS, rowKey: channelKey(tenantId, conversationId), status: 'unreachable', problem },
      'Merge',
    );
  }

  forgetSubscriber(tenantId: string, memberId: string): Promise<number> {
    const filter = odata`PartitionKey eq ${SUBSCRIPTIONS} and RowKey ge ${`${keyPart(tenantId)}|`} and RowKey lt ${`${keyPart(tenantId)}}`} and subscribedBy eq ${memberId}`;
    return replaceMemberId(this.table, filter, 'subscribedBy');
  }

  async createRound(round: NewRound): Promise<boolean> {
    try {
      await this.table.createEntity(newRoundEntity(round));
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  async createRounds(rounds: readonly NewRound[]): Promise<number> {
    let created = 0;
    for (const chunk of transactionChunks(rounds, (round) => roundPartition(round.round, round.target))) {
      try {
        await this.transactions.submit(chunk.map((round) => ({ kind: 'create', entity: newRoundEntity(round) })));
        created += chunk.length;
      } catch (error) {
        // A transaction is all or nothing: when another instance created some of these rounds, go one by one.
        if (statusOf(error) !== 409) throw error;
        for (const round of chunk) if (await this.createRound(round)) created += 1;
      }
    }
    return created;
  }

  async *tenantRounds(round: string, tenantId: string, statuses: readonly RoundStatus[]): AsyncIterable<PulseRound[]> {
    const prefix = tenantRoundPrefix(round, tenantId);
    const filter = `${odata`PartitionKey ge ${prefix} and PartitionKey lt ${upperBound(prefix)}`} and (${statuses.map((status) => odata`status eq ${status}`).join(' or ')})`;
    for await (const page of this.table.listEntities<RoundRow>({ queryOptions: { filter } }).byPage()) yield page.map(toRound);
  }

  async getRound(round: string, tenantId: string, conversationId: string): Promise<PulseRound | undefined> {
    try {
      const target = { tenantId, conversationId };
      return toRound(await this.table.getEntity<RoundRow>(roundPartition(round, target), channelKey(tenantId, conversationId)));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async updateRound(round: PulseRound): Promise<PulseRound | undefined> {
    try {
      const response = await this.table.updateEntity(roundEntity(round), 'Replace', { etag: round.etag });
      return { ...round, etag: response.etag ?? '' };
    } catch (error) {
      if (statusOf(error) === 412) return undefined;
      throw error;
    }
  }

  async updateRounds(rounds: readonly PulseRound[]): Promise<(PulseRound | undefined)[]> {
    const written = new Map<PulseRound, PulseRound | undefined>();
    for (const chunk of transactionChunks(rounds, (round) => roundPartition(round.round, round.target))) {
      try {
        const etags = await this.transactions.submit(
          chunk.map((round) => ({ kind: 'replace', entity: roundEntity(round), etag: round.etag })),
        );
        chunk.forEach((round, index) => written.set(round, { ...round, etag: etags[index] ?? '' }));
      } catch (error) {
        // All or nothing: when one row changed since it was read, write the others one by one.
        if (statusOf(error) !== 412) throw error;
        for (const round of chunk) written.set(round, await this.updateRound(round));
      }
    }
    return rounds.map((round) => written.get(round));
  }

  async addAnswered(
    round: string,
    tenantId: string,
    conversationId: string,
    modelId: string,
    change: number,
    shown: boolean,
  ): Promise<PulseRound | undefined> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
      const stored = await this.getRound(round, tenantId, conversationId);
      if (!stored || stored.modelId !== modelId || (stored.status !== 'posted' && stored.status !== 'reminded')) return undefined;
      const answered = Math.max(0, stored.answered + change);
      const updated = await this.updateRound({ ...stored, answered, shownAnswered: shown ? answered : stored.shownAnswered });
      if (updated) return updated;
    }
    throw new Error(`The pulse round of ${conversationId} kept changing underneath; its answered count was not updated.`);
  }

  async adoptLegacyRounds(month: string): Promise<Set<string>> {
    const legacy = `round|${month}`;
    const unfinished = new Set<string>();
    const pages = this.table.listEntities<RoundRow>({ queryOptions: { filter: odata`PartitionKey eq ${legacy}` } }).byPage();
    for await (const page of pages) {
      const rounds = page.map(toRound);
      for (const chunk of transactionChunks(rounds, (round) => roundPartition(round.round, round.target))) {
        try {
          await this.transactions.submit(chunk.map((round) => ({ kind: 'create', entity: roundEntity(round) })));
        } catch (error) {
          // Another instance moved some of them first: go one by one, keeping the copies already made.
          if (statusOf(error) !== 409) throw error;
          for (const round of chunk) await this.table.createEntity(roundEntity(round)).catch(ignoreStatus(409));
        }
      }
      // The old rows share one partition: deleted a hundred at a time (the row key is the same in both layouts).
      const rowKeys = rounds.map((round) => channelKey(round.target.tenantId, round.target.conversationId));
      for (let start = 0; start < rowKeys.length; start += MAX_TRANSACTION) {
        const keys = rowKeys.slice(start, start + MAX_TRANSACTION);
        await this.transactions
          .submit(keys.map((rowKey) => ({ kind: 'delete', partitionKey: legacy, rowKey })))
          .catch(async (error: unknown) => {
            if (statusOf(error) !== 404) throw error;
            for (const rowKey of keys) await this.table.deleteEntity(legacy, rowKey).catch(ignoreStatus(404));
          });
      }
      for (const round of rounds) if (round.status !== 'closed' && round.status !== 'failed') unfinished.add(round.target.tenantId);
    }
    return unfinished;
  }

  async roundsOf(tenantId: string, conversationId: string): Promise<PulseRound[]> {
    const rows = await listAll<RoundRow>(
      this.table,
      odata`RowKey eq ${channelKey(tenantId, conversationId)} and PartitionKey ge 'round|' and PartitionKey lt 'round}'`,
    );
    return rows.map(toRound).sort((a, b) => b.round.localeCompare(a.round));
  }
}

/** For `.catch`: swallows an expected status (the work was done already), rethrows anything else. */
const ignoreStatus =
  (status: number) =>
  (error: unknown): void => {
    if (statusOf(error) !== status) throw error;
  };

/** Items grouped by partition and cut into transactions of at most a hundred. */
function transactionChunks<T>(items: readonly T[], partitionOf: (item: T) => string): T[][] {
  return [...groupBy(items, partitionOf).values()].flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / MAX_TRANSACTION) }, (_, index) =>
      group.slice(index * MAX_TRANSACTION, (index + 1) * MAX_TRANSACTION),
    ),
  );
}

function roundEntity(round: PulseRound) {
  const { etag: _etag, target, ...rest } = round;
  return {
    partitionKey: roundPartition(round.round, target),
    rowKey: channelKey(target.tenantId, target.conversationId),
    ...rest,
    target: JSON.stringify(target),
  };
}

function newRoundEntity(round: NewRound) {
  const row: RoundRow = {
    ...round,
    target: JSON.stringify(round.target),
    status: 'open',
    activityId: '',
    answered: 0,
    shownAnswered: 0,
    leaseOwner: '',
    leaseUntil: '',
    attempts: 0,
    lastError: '',
  };
  return {
    partitionKey: roundPartition(round.round, round.target),
    rowKey: channelKey(round.target.tenantId, round.target.conversationId),
    ...row,
  };
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    target: JSON.parse(row.target) as ConversationTarget,
    modelId: row.modelId,
    status: row.status,
    problem: row.problem ?? '',
    subscribedBy: row.subscribedBy,
    subscribedAt: row.subscribedAt,
  };
}

function toRound(row: RoundRow & { etag: string }): PulseRound {
  return {
    round: row.round,
    target: JSON.parse(row.target) as ConversationTarget,
    modelId: row.modelId,
    status: row.status,
    opensAt: row.opensAt,
    remindAt: row.remindAt,
    closesAt: row.closesAt,
    activityId: row.activityId ?? '',
    answered: row.answered ?? 0,
    // Rounds written before the card's count was tracked: take the card as current.
    shownAnswered: row.shownAnswered ?? row.answered ?? 0,
    leaseOwner: row.leaseOwner ?? '',
    leaseUntil: row.leaseUntil ?? '',
    attempts: row.attempts ?? 0,
    lastError: row.lastError ?? '',
    etag: row.etag,
  };
}
