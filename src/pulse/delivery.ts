import { setTimeout as wait } from 'node:timers/promises';
import { SendError } from './messenger.js';
import { TokenBucket } from './tokenBucket.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface DeliveryOptions {
  /** Teams: 50 requests per second per app per tenant. */
  appRatePerSecond: number;
  retry?: Partial<RetryPolicy>;
  /** Waiting between attempts, cut short when `signal` aborts; tests pass one that records the wait and returns at once. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Milliseconds on a monotonic clock, for the rate limit (real time even when tests move the app's clock). */
  monotonicMs?: () => number;
}

/**
 * Leave to send for a tenant. While `valid()`, this instance is the tenant's only sender; `signal` aborts when
 * that ends, so that waits for a slot end with it. Checked just before every attempt, so an instance that was
 * paused (a long GC, a frozen VM) and has lost its lease meanwhile sends nothing more when it wakes.
 */
export interface SendPermit {
  readonly signal: AbortSignal;
  valid(): boolean;
}

/** A send not made: the bot is stopping, or this instance no longer holds the tenant's lease. Nothing went out. */
export class SendCancelled extends Error {}

export interface DeliveryStats {
  sent: number;
  retries: number;
  failed: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };
/** Tenants with an idle bucket are forgotten once this many are held. */
const BUCKETS_KEPT = 1000;

/** Worth another try: throttled, a precondition race, or the service or network briefly unavailable. */
const RETRYABLE = new Set([0, 412, 429, 502, 503, 504]);

export function isRetryable(error: unknown): boolean {
  return error instanceof SendError && RETRYABLE.has(error.status);
}

/** Gone for good: the bot was removed from the conversation, or it no longer exists. */
export function isGone(error: unknown): boolean {
  return error instanceof SendError && (error.status === 403 || error.status === 404);
}

/** How long to wait before attempt `attempt + 1`: Retry-After when given, else exponential backoff with jitter (half to full). */
export function retryDelay(error: SendError, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Sends within Teams' per-tenant rate limit and retries what is worth retrying. One token bucket per tenant,
 * nothing per conversation: the pulse sends each channel one message per step, and the live count's card
 * updates are coalesced to one per channel every few seconds, both far below Teams' 7 per second per conversation.
 * Sends for one tenant from several instances stay within the rate because only the instance holding the
 * tenant's lease sends for it (every send takes a SendPermit: see TenantLease).
 */
export class Delivery {
  readonly stats: DeliveryStats = { sent: 0, retries: 0, failed: 0 };
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly retry: RetryPolicy;
  private readonly stopping = new AbortController();
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly monotonicMs: () => number;

  constructor(private readonly options: DeliveryOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms, signal) => this.pause(ms, signal));
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
  }

  /** Sends within the tenant's rate, retrying what is worth retrying, while `permit` holds. */
  async send<T>(tenantId: string, permit: SendPermit, operation: () => Promise<T>): Promise<T> {
    const cancelled = () =>
      new SendCancelled(
        this.stopping.signal.aborted
          ? 'Delivery stopped: the bot is shutting down, so this send was not made.'
          : `This instance no longer holds the pulse lease of tenant ${tenantId}, so this send was not made; whoever holds it takes the step.`,
      );
    for (let attempt = 1; ; attempt += 1) {
      await this.slot(tenantId, permit, cancelled);
      try {
        const result = await operation();
        this.stats.sent += 1;
        return result;
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.retry.maxAttempts) {
          this.stats.failed += 1;
          throw error;
        }
        this.stats.retries += 1;
        await this.sleep(retryDelay(error as SendError, attempt, this.retry, this.options.random ?? Math.random), permit.signal);
      }
    }
  }

  /** Waits for a free slot in the tenant's bucket and takes it, as long as the permit holds. */
  private async slot(tenantId: string, permit: SendPermit, cancelled: () => SendCancelled): Promise<void> {
    for (;;) {
      if (this.stopping.signal.aborted || !permit.valid()) throw cancelled();
      const delay = this.bucketOf(tenantId).take(this.monotonicMs());
      if (delay === 0) return;
      await this.pause(delay, permit.signal);
    }
  }

  /** Waits for a slot; an abort ends the wait early (the caller then checks why). */
  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    await wait(ms, undefined, { signal }).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
  }

  private bucketOf(tenantId: string): TokenBucket {
    let bucket = this.buckets.get(tenantId);
    if (!bucket) {
      if (this.buckets.size >= BUCKETS_KEPT) {
        const now = this.monotonicMs();
        for (const [id, held] of this.buckets) if (held.idle(now)) this.buckets.delete(id);
      }
      bucket = new TokenBucket(this.options.appRatePerSecond);
      this.buckets.set(tenantId, bucket);
    }
    return bucket;
  }

  /**
   * Refuses every attempt from now on. Waits under way end with their permits: the pulse gives up its leases
   * before it stops delivery, so nothing waits on a signal of its own here (no AbortSignal.any per send).
   */
  stop(): void {
    this.stopping.abort();
  }
}
