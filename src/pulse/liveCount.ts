import type { Logger } from 'pino';
import { Coalescer } from '../coalescer.js';
import type { RecordResult, RoundKey } from '../store/answerStore.js';
import type { PulseStore } from '../store/pulseStore.js';
import type { PulseWorkStore } from '../store/pulseWorkStore.js';
import type { Delivery } from './delivery.js';
import type { Messenger } from './messenger.js';
import type { PulseMessages } from './pulseMessages.js';
import type { TenantLeases } from './tenantLease.js';

export interface LiveCountDeps {
  pulses: PulseStore;
  work: PulseWorkStore;
  leases: TenantLeases;
  messenger: Messenger;
  delivery: Delivery;
  messages: PulseMessages;
  now: () => Date;
  logger: Logger;
  /** At most one card update per channel in this time, however many answer. */
  intervalMs: number;
}

interface CountChange {
  key: RoundKey;
  change: number;
}

/**
 * The pulse card's "N people have answered" line, kept current off the member's response path: an answer
 * only notes whether it made a new respondent (no storage call, no connector call); the counts are
 * added to the round and the card updated later, at most once per channel every `intervalMs`.
 * The update is sent under the tenant's lease, like the pulse's own posts, so it counts against the same
 * per-tenant rate. While another instance holds the lease, the count is stored and the card left to that
 * instance: the round shows the card behind, and a due entry brings it to the round on its next pass.
 */
export class LiveAnswerCount {
  private readonly pending: Coalescer<string, CountChange>;

  constructor(private readonly deps: LiveCountDeps) {
    this.pending = new Coalescer<string, CountChange>({
      intervalMs: deps.intervalMs,
      now: deps.now,
      merge: (earlier, later) => ({ key: earlier.key, change: earlier.change + later.change }),
      flush: (_channel, { key, change }) => this.apply(key, change),
      onError: (error, channel) => deps.logger.warn({ err: error, channel }, 'pulse card count not updated'),
    });
  }

  /** Called for every recorded answer; returns at once. */
  readonly noteAnswer = (key: RoundKey, result: RecordResult): void => {
    if (result.respondentChange === 0) return;
    this.pending.add([key.tenantId, key.scopeId, key.modelId, key.round].join('\n'), { key, change: result.respondentChange });
  };

  private async apply(key: RoundKey, change: number): Promise<void> {
    if (change === 0) return;
    const { pulses, delivery, messenger, messages } = this.deps;
    const count = (shown: boolean) => pulses.addAnswered(key.round, key.tenantId, key.scopeId, key.modelId, change, shown);
    const sent = await this.deps.leases.with(key.tenantId, async (lease) => {
      const round = await count(true);
      // No round: no pulse open in this channel for this model and round.
      if (round)
        await delivery.send(key.tenantId, lease, () => messenger.update(round.target, round.activityId, messages.card(round, true)));
      return true;
    });
    if (sent) return;
    if (await count(false))
      await this.deps.work.schedule({ tenantId: key.tenantId, round: key.round, dueAt: this.deps.now().toISOString() });
  }

  /** Applies the counts still pending, and waits for updates under way. */
  stop(): Promise<void> {
    return this.pending.stop();
  }
}
