import Bottleneck from 'bottleneck';
import { SendError } from './messenger.js';

export interface DeliveryOptions {
  /** Teams: 50 requests per second per app per tenant. */
  appRatePerSecond: number;
  /** Teams: 7 messages per second per conversation (the tightest of its per-conversation limits). */
  conversationRatePerSecond: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Waiting between attempts; tests pass one that records the wait and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface DeliveryStats {
  sent: number;
  retries: number;
  failed: number;
}

/** Worth another try: throttled, a precondition race, or the service or network briefly unavailable. */
const RETRYABLE = new Set([0, 412, 429, 502, 503, 504]);

export function isRetryable(error: unknown): boolean {
  return error instanceof SendError && RETRYABLE.has(error.status);
}

/** Gone for good: the bot was removed from the conversation, or it no longer exists. */
export function isGone(error: unknown): boolean {
  return error instanceof SendError && (error.status === 403 || error.status === 404);
}

/**
 * Sends within Teams' rate limits (per tenant and per conversation) and retries what is worth retrying:
 * Retry-After when the connector gives one, otherwise exponential backoff with jitter, a bounded number of times.
 */
export class Delivery {
  readonly stats: DeliveryStats = { sent: 0, retries: 0, failed: 0 };
  private readonly perTenant: Bottleneck.Group;
  private readonly perConversation: Bottleneck.Group;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: DeliveryOptions) {
    this.perTenant = new Bottleneck.Group({ minTime: Math.ceil(1000 / options.appRatePerSecond), maxConcurrent: options.appRatePerSecond });
    this.perConversation = new Bottleneck.Group({ minTime: Math.ceil(1000 / options.conversationRatePerSecond), maxConcurrent: 1 });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async send<T>(tenantId: string, conversationId: string, operation: () => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.perConversation.key(conversationId).schedule(() => this.perTenant.key(tenantId).schedule(operation));
        this.stats.sent += 1;
        return result;
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) {
          this.stats.failed += 1;
          throw error;
        }
        this.stats.retries += 1;
        await this.sleep(this.delayFor(error as SendError, attempt));
      }
    }
  }

  private delayFor(error: SendError, attempt: number): number {
    if (error.retryAfterMs !== undefined) return error.retryAfterMs;
    const base = this.options.baseDelayMs ?? 500;
    const ceiling = Math.min(this.options.maxDelayMs ?? 30_000, base * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.perTenant.limiters(), ...this.perConversation.limiters()].map(({ limiter }) => limiter.disconnect()));
  }
}
