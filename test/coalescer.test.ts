import { describe, expect, it } from 'vitest';
import { Coalescer, type Timer } from '../src/coalescer.js';

/** A hand-moved clock with timers that fire when the clock passes them. */
function manualTime() {
  let now = 0;
  let waits: { at: number; run: () => void; cancelled: boolean }[] = [];
  const timer: Timer = (ms, run) => {
    const wait = { at: now + ms, run, cancelled: false };
    waits.push(wait);
    return () => void (wait.cancelled = true);
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    timer,
    now: () => new Date(now),
    pendingWaits: () => waits.filter((wait) => !wait.cancelled).length,
    async advance(ms: number) {
      now += ms;
      for (;;) {
        const due = waits.filter((wait) => !wait.cancelled && wait.at <= now);
        if (due.length === 0) break;
        waits = waits.filter((wait) => !due.includes(wait));
        for (const wait of due) wait.run();
        await settle();
      }
      await settle();
    },
  };
}

function counter(time: ReturnType<typeof manualTime>, flushImpl?: (key: string, change: number) => Promise<void>) {
  const flushed: [string, number][] = [];
  const errors: unknown[] = [];
  const coalescer = new Coalescer<string, number>({
    intervalMs: 5000,
    now: time.now,
    timer: time.timer,
    merge: (a, b) => a + b,
    flush: flushImpl ?? (async (key, change) => void flushed.push([key, change])),
    onError: (error) => errors.push(error),
  });
  return { coalescer, flushed, errors };
}

describe('Coalescer', () => {
  it('flushes the first change of a quiet key at once and merges a burst into one flush per interval', async () => {
    const time = manualTime();
    const { coalescer, flushed } = counter(time);
    coalescer.add('a', 1);
    await time.advance(0);
    expect(flushed).toEqual([['a', 1]]);
    for (let i = 0; i < 50; i += 1) coalescer.add('a', 1);
    await time.advance(4999);
    expect(flushed).toEqual([['a', 1]]);
    await time.advance(1);
    expect(flushed).toEqual([
      ['a', 1],
      ['a', 50],
    ]);
  });

  it('keeps keys apart and forgets a key once its interval passes with nothing pending', async () => {
    const time = manualTime();
    const { coalescer, flushed } = counter(time);
    coalescer.add('a', 1);
    coalescer.add('b', 2);
    await time.advance(0);
    expect(flushed).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    await time.advance(5000);
    expect(time.pendingWaits()).toBe(0);
    coalescer.add('a', 3);
    await time.advance(0);
    expect(flushed.at(-1)).toEqual(['a', 3]);
  });

  it('never runs two flushes of one key at once: changes during a slow flush wait for it', async () => {
    const time = manualTime();
    let release: () => void = () => undefined;
    const calls: number[] = [];
    let running = 0;
    let overlapped = false;
    const { coalescer } = counter(time, async (_key, change) => {
      running += 1;
      overlapped ||= running > 1;
      calls.push(change);
      await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
    });
    coalescer.add('a', 1);
    await time.advance(0);
    coalescer.add('a', 1);
    coalescer.add('a', 1);
    await time.advance(10_000);
    expect(calls).toEqual([1]);
    release();
    await time.advance(0);
    await time.advance(10_000);
    expect(calls).toEqual([1, 2]);
    release();
    await time.advance(0);
    expect(overlapped).toBe(false);
  });

  it('reports a failed flush and carries on with the next change', async () => {
    const time = manualTime();
    let fail = true;
    const done: number[] = [];
    const { coalescer, errors } = counter(time, async (_key, change) => {
      if (fail) throw new Error('connector down');
      done.push(change);
    });
    coalescer.add('a', 1);
    await time.advance(0);
    expect(errors).toHaveLength(1);
    fail = false;
    coalescer.add('a', 2);
    await time.advance(5000);
    expect(done).toEqual([2]);
  });

  it('flushes what is pending on stop, waits for flushes under way, and then refuses changes', async () => {
    const time = manualTime();
    const { coalescer, flushed } = counter(time);
    coalescer.add('a', 1);
    await time.advance(0);
    coalescer.add('a', 4);
    coalescer.add('b', 5);
    await coalescer.stop();
    expect(flushed).toEqual([
      ['a', 1],
      ['a', 4],
      ['b', 5],
    ]);
    expect(time.pendingWaits()).toBe(0);
    expect(() => coalescer.add('a', 1)).toThrow(/stopped/);
  });
});
