/**
 * Spaces requests to at most `ratePerSecond`, allowing a burst of `burst` after a quiet spell (the generic cell
 * rate algorithm: one number per bucket, no timers). Teams counts its limits over sliding windows, so the default
 * burst of one keeps any second's worth of sends within the rate.
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

  /** Reserves the next slot; returns how long to wait before using it (0: go now). */
  reserve(nowMs: number): number {
    const earliest = Math.max(this.nextAt, nowMs - (this.burst - 1) * this.intervalMs);
    this.nextAt = earliest + this.intervalMs;
    return Math.max(0, earliest - nowMs);
  }

  /** Nothing reserved beyond `nowMs`: the bucket can be dropped and made again without changing any wait. */
  idle(nowMs: number): boolean {
    return this.nextAt <= nowMs;
  }
}
