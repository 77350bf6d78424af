import type { Logger } from 'pino';
import type { PulseRound, PulseStore } from '../store/pulseStore.js';

/** Table Storage's limit of entities in one transaction. */
const BATCH = 100;
const MAX_CONFLICT_RETRIES = 8;

type Outcome = Partial<Omit<PulseRound, 'round' | 'target' | 'etag'>>;

/**
 * Records the outcome of each send on its round, a batch at a time: one transaction per partition for up to a
 * hundred rounds, written once a hundred are waiting or `flushAfterMs` after the first, rather than one write per
 * send. A crash loses at most the outcomes of that short while (those posts may then be repeated).
 * Each outcome is written over the round as claimed; if the round changed since (the live count), it is read
 * again and the outcome applied on top, as long as our claim still holds.
 */
export class OutcomeLog {
  private waiting: { claimed: PulseRound; outcome: Outcome }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly writes = new Set<Promise<void>>();
  private failure: Error | undefined;

  constructor(
    private readonly pulses: PulseStore,
    private readonly logger: Logger,
    private readonly flushAfterMs = 250,
  ) {}

  add(claimed: PulseRound, outcome: Outcome): void {
    this.waiting.push({ claimed, outcome });
    if (this.waiting.length >= BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushAfterMs);
  }

  /** Writes everything waiting and everything under way; throws the first failure. */
  async close(): Promise<void> {
    this.flush();
    while (this.writes.size > 0) await Promise.all(this.writes);
    if (this.failure) throw this.failure;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    const write: Promise<void> = this.write(batch)
      .catch((error: unknown) => {
        this.logger.error({ err: error, rounds: batch.length }, 'pulse outcomes not recorded');
        this.failure ??= error instanceof Error ? error : new Error(`Pulse outcomes not recorded: ${String(error)}`);
      })
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  private async write(batch: { claimed: PulseRound; outcome: Outcome }[]): Promise<void> {
    const written = await this.pulses.updateRounds(batch.map(({ claimed, outcome }) => ({ ...claimed, ...outcome })));
    for (const [index, round] of written.entries()) if (!round) await this.settle(batch[index]!.claimed, batch[index]!.outcome);
  }

  private async settle(claimed: PulseRound, outcome: Outcome): Promise<void> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt += 1) {
      const fresh = await this.pulses.getRound(claimed.round, claimed.target.tenantId, claimed.target.conversationId);
      if (!fresh || fresh.leaseOwner !== claimed.leaseOwner || fresh.leaseUntil !== claimed.leaseUntil) {
        this.logger.warn(
          { conversationId: claimed.target.conversationId, round: claimed.round },
          'pulse round taken over; outcome not recorded',
        );
        return;
      }
      if (await this.pulses.updateRound({ ...fresh, ...outcome })) return;
    }
    throw new Error(`The pulse round of ${claimed.target.conversationId} kept changing underneath; its outcome was not recorded.`);
  }
}
