/**
 * Spaces requests to at most `ratePerSecond`, allowing a burst of `burst` after a quiet spell (the generic cell
 * rate algorithm: one number per bucket, no timers). Teams counts its limits over sliding windows, so the default
 * burst of one keeps any second's worth of sends within the rate.
 *
 * A slot is taken when the request really goes, never booked ahead: a waiter whose timer fires late (a busy event
 * loop, a GC pause) would otherwise go together with the waiters booked after it, and a second could hold more
 * than the rate.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  /** When the next request may go, at the earliest (ms on the caller's clock). */
  private nextAt = -Infinity;

  constructor(
    ratePerSecond: number,
    private readonly burst = 1,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new Error(`A token bucket needs a positive rate and a burst of at least 1`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Takes a slot if one is free at `nowMs` (returns 0: go now); otherwise how long to wait before asking again. */
  take(nowMs: number): number {
    const earliest = Math.max(this.nextAt, nowMs - (this.burst - 1) * this.intervalMs);
    if (earliest > nowMs) return earliest - nowMs;
    this.nextAt = earliest + this.intervalMs;
    return 0;
  }

  /** No slot taken beyond `nowMs`: the bucket can be dropped and made again without changing any wait. */
  idle(nowMs: number): boolean {
    return this.nextAt <= nowMs;
  }
}
