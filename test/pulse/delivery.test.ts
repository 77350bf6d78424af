import { describe, expect, it } from 'vitest';
import { Delivery, isGone, isRetryable, retryDelay, SendCancelled, type SendPermit } from '../../src/pulse/delivery.js';
import { SendError } from '../../src/pulse/messenger.js';
import { TokenBucket } from '../../src/pulse/tokenBucket.js';

const policy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };
/** A permit that holds until `end()`, or until `expire()` makes it invalid without a signal (a paused process). */
function permit() {
  const ended = new AbortController();
  let valid = true;
  const held: SendPermit = { signal: ended.signal, valid: () => valid && !ended.signal.aborted };
  return { held, end: () => ended.abort(), expire: () => void (valid = false) };
}
const always = permit().held;

describe('retryDelay', () => {
  it('waits as long as Retry-After says', () => {
    expect(retryDelay(new SendError(429, 'throttled', 3000), 1, policy, () => 0.5)).toBe(3000);
  });

  it('backs off exponentially with jitter between half and all of the ceiling, capped', () => {
    const error = new SendError(503, 'unavailable');
    expect(retryDelay(error, 1, policy, () => 0)).toBe(250);
    expect(retryDelay(error, 1, policy, () => 1)).toBe(500);
    expect(retryDelay(error, 3, policy, () => 1)).toBe(2000);
    expect(retryDelay(error, 20, policy, () => 1)).toBe(30_000);
  });

  it('retries throttling and outages, not refusals; 403 and 404 mean gone for good', () => {
    expect([0, 412, 429, 502, 503, 504].map((status) => isRetryable(new SendError(status, '')))).toEqual(Array(6).fill(true));
    expect([400, 401, 403, 404].map((status) => isRetryable(new SendError(status, '')))).toEqual(Array(4).fill(false));
    expect([403, 404, 429].map((status) => isGone(new SendError(status, '')))).toEqual([true, true, false]);
  });
});

describe('TokenBucket', () => {
  it('spaces requests to the rate, whatever the number asking at once', () => {
    const bucket = new TokenBucket(50);
    expect(Array.from({ length: 3 }, () => bucket.take(1000))).toEqual([0, 20, 20]);
    expect([bucket.take(1019), bucket.take(1020), bucket.take(1020)]).toEqual([1, 0, 20]);
  });

  it('lets waiters that wake late go one slot apart, not all at once', () => {
    const bucket = new TokenBucket(50);
    expect(bucket.take(0)).toBe(0);
    // Two waiters told to come back in 20 ms; the event loop was busy, and both wake at 400 ms.
    expect([bucket.take(1), bucket.take(1)]).toEqual([19, 19]);
    expect([bucket.take(400), bucket.take(400)]).toEqual([0, 20]);
  });

  it('never lets more than the rate through in any one second, however late the waiters wake', () => {
    const bucket = new TokenBucket(50);
    const sentAt: number[] = [];
    // 40 waiters asking in a loop; each wake-up is late by up to 300 ms (a loaded machine).
    let seed = 7;
    const lateness = () => (seed = (seed * 48_271) % 2_147_483_647) % 300;
    const wakes = Array.from({ length: 40 }, (_, index) => index * 3);
    while (sentAt.length < 400) {
      wakes.sort((a, b) => a - b);
      const now = wakes.shift()!;
      const delay = bucket.take(now);
      if (delay === 0) sentAt.push(now);
      wakes.push(now + delay + lateness());
    }
    for (const start of sentAt) expect(sentAt.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(50);
  });

  it('after a quiet spell lets a burst go at once, and is idle once nothing is taken ahead', () => {
    const bucket = new TokenBucket(10, 3);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0, 100]);
    expect(bucket.idle(50)).toBe(false);
    expect(bucket.idle(200)).toBe(true);
  });
});

describe('Delivery', () => {
  it('retries a throttled send and counts it; gives up after the last attempt', async () => {
    const waits: number[] = [];
    const delivery = new Delivery({ appRatePerSecond: 1000, retry: { maxAttempts: 3 }, sleep: async (ms) => void waits.push(ms) });
    let calls = 0;
    await expect(
      delivery.send('t', always, async () => {
        calls += 1;
        if (calls < 3) throw new SendError(429, 'throttled', 1000);
        return 'ok';
      }),
    ).resolves.toBe('ok');
    expect(waits).toEqual([1000, 1000]);
    await expect(delivery.send('t', always, () => Promise.reject(new SendError(503, 'down')))).rejects.toThrow('down');
    expect(delivery.stats).toEqual({ sent: 1, retries: 4, failed: 1 });
  });

  it('refuses sends once stopped', async () => {
    const delivery = new Delivery({ appRatePerSecond: 50 });
    delivery.stop();
    await expect(delivery.send('t', always, async () => 'ok')).rejects.toThrow(/shutting down/);
  });

  it('sends nothing once the permit ends: a send waiting for its slot stops at once', async () => {
    const delivery = new Delivery({ appRatePerSecond: 1 });
    const lease = permit();
    const sent: number[] = [];
    await delivery.send('t', lease.held, async () => void sent.push(1));
    const waiting = delivery.send('t', lease.held, async () => void sent.push(2)); // its slot is a second away
    const started = performance.now();
    lease.end();
    await expect(waiting).rejects.toBeInstanceOf(SendCancelled);
    await expect(waiting).rejects.toThrow(/no longer holds the pulse lease of tenant t/);
    expect(performance.now() - started).toBeLessThan(500);
    expect(sent).toEqual([1]);
  });

  it('checks the permit just before each attempt: an instance that stalled past its lease sends nothing more', async () => {
    const delivery = new Delivery({ appRatePerSecond: 1000, sleep: async () => undefined });
    const lease = permit();
    let calls = 0;
    const throttledThenLeaseLapses = delivery.send('t', lease.held, async () => {
      calls += 1;
      lease.expire(); // the lease ran out while this attempt was under way (no signal yet)
      throw new SendError(429, 'throttled');
    });
    await expect(throttledThenLeaseLapses).rejects.toBeInstanceOf(SendCancelled);
    expect(calls).toBe(1);
  });
});
