import { odata, type TableClient } from '@azure/data-tables';
import type { ConversationTarget } from './conversationStore.js';
import { groupBy } from '../model/collections.js';
import { keyPart, listAll, replaceMemberId, statusOf } from './tables.js';

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
  /** The instance working on the next step, and until when; an expired lease can be taken over. */
  leaseOwner: string;
  leaseUntil: string;
  attempts: number;
  lastError: string;
  etag: string;
}

export type NewRound = Omit<
  PulseRound,
  'status' | 'activityId' | 'answered' | 'leaseOwner' | 'leaseUntil' | 'attempts' | 'lastError' | 'etag'
>;

export interface PulseStore {
  subscribe(subscription: Subscription): Promise<void>;
  unsubscribe(tenantId: string, conversationId: string): Promise<boolean>;
  subscription(tenantId: string, conversationId: string): Promise<Subscription | undefined>;
  /** Every subscription: one partition, read once per tick. */
  subscriptions(): Promise<Subscription[]>;
  markUnreachable(tenantId: string, conversationId: string, problem: string): Promise<void>;
  /** "Switched on by" the member becomes FORMER_MEMBER on the tenant's subscriptions (forget me); returns how many. */
  forgetSubscriber(tenantId: string, memberId: string): Promise<number>;
  /** Conditional insert: false when the round already exists (another instance, a restart, a double `pulse now`). */
  createRound(round: NewRound): Promise<boolean>;
  /** The same for many channels of one round, a hundred per transaction; returns how many were created. */
  createRounds(rounds: readonly NewRound[]): Promise<number>;
  /** The rounds of one month; with `statuses`, only those (filtered by the service, not after reading them all). */
  rounds(round: string, statuses?: readonly RoundStatus[]): Promise<PulseRound[]>;
  getRound(round: string, tenantId: string, conversationId: string): Promise<PulseRound | undefined>;
  /** Writes the round if nobody changed it since it was read (ETag); false when someone did. */
  updateRound(round: PulseRound): Promise<PulseRound | undefined>;
  /** Every round of one channel, newest first (for `pulse status`). */
  roundsOf(tenantId: string, conversationId: string): Promise<PulseRound[]>;
}

const SUBSCRIPTIONS = 'sub';
const roundPartition = (round: string) => `round|${round}`;
const channelKey = (tenantId: string, conversationId: string) => `${keyPart(tenantId)}|${keyPart(conversationId)}`;

type SubscriptionRow = Omit<Subscription, 'target'> & { target: string };
type RoundRow = Omit<PulseRound, 'target' | 'etag'> & { target: string };

export class TablePulseStore implements PulseStore {
  constructor(private readonly table: TableClient) {}

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

  async subscriptions(): Promise<Subscription[]> {
    return (await listAll<SubscriptionRow>(this.table, odata`PartitionKey eq ${SUBSCRIPTIONS}`)).map(toSubscription);
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
    for (const partition of groupBy(rounds, (round) => round.round).values()) {
      for (let start = 0; start < partition.length; start += 100) {
        const chunk = partition.slice(start, start + 100);
        try {
          await this.table.submitTransaction(chunk.map((round) => ['create', newRoundEntity(round)] as const));
          created += chunk.length;
        } catch (error) {
          // A transaction is all or nothing: when another instance created some of these rounds, go one by one.
          if (statusOf(error) !== 409) throw error;
          for (const round of chunk) if (await this.createRound(round)) created += 1;
        }
      }
    }
    return created;
  }

  async rounds(round: string, statuses?: readonly RoundStatus[]): Promise<PulseRound[]> {
    const partition = odata`PartitionKey eq ${roundPartition(round)}`;
    const filter = statuses ? `${partition} and (${statuses.map((status) => odata`status eq ${status}`).join(' or ')})` : partition;
    return (await listAll<RoundRow>(this.table, filter)).map(toRound);
  }

  async getRound(round: string, tenantId: string, conversationId: string): Promise<PulseRound | undefined> {
    try {
      return toRound(await this.table.getEntity<RoundRow>(roundPartition(round), channelKey(tenantId, conversationId)));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async updateRound(round: PulseRound): Promise<PulseRound | undefined> {
    const { etag, target, ...rest } = round;
    try {
      const response = await this.table.updateEntity(
        {
          partitionKey: roundPartition(round.round),
          rowKey: channelKey(target.tenantId, target.conversationId),
          ...rest,
          target: JSON.stringify(target),
        },
        'Replace',
        { etag },
      );
      return { ...round, etag: response.etag ?? '' };
    } catch (error) {
      if (statusOf(error) === 412) return undefined;
      throw error;
    }
  }

  async roundsOf(tenantId: string, conversationId: string): Promise<PulseRound[]> {
    const rows = await listAll<RoundRow>(
      this.table,
      odata`RowKey eq ${channelKey(tenantId, conversationId)} and PartitionKey ge 'round|' and PartitionKey lt 'round}'`,
    );
    return rows.map(toRound).sort((a, b) => b.round.localeCompare(a.round));
  }
}

function newRoundEntity(round: NewRound) {
  const row: RoundRow = {
    ...round,
    target: JSON.stringify(round.target),
    status: 'open',
    activityId: '',
    answered: 0,
    leaseOwner: '',
    leaseUntil: '',
    attempts: 0,
    lastError: '',
  };
  return { partitionKey: roundPartition(round.round), rowKey: channelKey(round.target.tenantId, round.target.conversationId), ...row };
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
    leaseOwner: row.leaseOwner ?? '',
    leaseUntil: row.leaseUntil ?? '',
    attempts: row.attempts ?? 0,
    lastError: row.lastError ?? '',
    etag: row.etag,
  };
}
