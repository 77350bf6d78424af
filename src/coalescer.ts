/** Wall-clock waiting, replaceable in tests; returns a function that cancels the wait. */
export type Timer = (ms: number, run: () => void) => () => void;

const realTimer: Timer = (ms, run) => {
  const handle = setTimeout(run, ms);
  return () => clearTimeout(handle);
};

export interface CoalescerOptions<K, V> {
  /** At most one flush per key in this time; changes arriving meanwhile are merged into the next one. */
  intervalMs: number;
  /** The injected clock: the interval is measured on it. */
  now: () => Date;
  /** Combines a pending change with a newer one (for example, adds two counts). */
  merge: (pending: V, next: V) => V;
  /** Applies the merged change for one key. Never runs twice at once for the same key. */
  flush: (key: K, change: V) => Promise<void>;
  /** A failed flush is reported here; the change it carried is not retried. */
  onError: (error: unknown, key: K) => void;
  timer?: Timer;
}

interface KeyState<V> {
  pending?: { change: V };
  flushing?: Promise<void>;
  cancelWait?: () => void;
  lastFlushAt?: number;
}

/**
 * Keeps something up to date as events arrive without putting the work on the event's path: `add` returns at
 * once, and the changes for one key are merged and flushed at most once every `intervalMs` (the first change
 * of a quiet key is flushed straight away, the rest of a burst once the interval has passed).
 * For example, the pulse card's "N answered" line: a whole team answering within a few seconds is one
 * card update, not one per answer, and no member waits for it.
 * Only keys with a change pending or just flushed are held, so memory follows activity, not the number of keys.
 * `stop()` flushes what is pending once more and waits for every flush under way.
 */
export class Coalescer<K, V> {
  private readonly keys = new Map<K, KeyState<V>>();
  private readonly timer: Timer;
  private stopped = false;

  constructor(private readonly options: CoalescerOptions<K, V>) {
    this.timer = options.timer ?? realTimer;
  }

  add(key: K, change: V): void {
    if (this.stopped) throw new Error('The coalescer was stopped; no more changes are accepted.');
    const state = this.keys.get(key) ?? {};
    this.keys.set(key, state);
    state.pending = { change: state.pending ? this.options.merge(state.pending.change, change) : change };
    if (!state.flushing && !state.cancelWait) this.wait(key, state);
  }

  /** Waits until the key may flush again, then flushes what is pending, or forgets the key if nothing is. */
  private wait(key: K, state: KeyState<V>): void {
    const elapsed = state.lastFlushAt === undefined ? Infinity : this.options.now().getTime() - state.lastFlushAt;
    state.cancelWait = this.timer(Math.max(0, this.options.intervalMs - elapsed), () => {
      state.cancelWait = undefined;
      if (state.pending) this.flush(key, state, state.pending.change);
      else this.keys.delete(key);
    });
  }

  private flush(key: K, state: KeyState<V>, change: V): void {
    state.pending = undefined;
    state.lastFlushAt = this.options.now().getTime();
    state.flushing = this.options
      .flush(key, change)
      .catch((error: unknown) => this.options.onError(error, key))
      .finally(() => {
        state.flushing = undefined;
        if (!this.stopped) this.wait(key, state);
      });
  }

  /** Stops accepting changes, flushes every pending one now and waits for all flushes to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [key, state] of this.keys) {
      state.cancelWait?.();
      state.cancelWait = undefined;
      if (state.pending && !state.flushing) this.flush(key, state, state.pending.change);
    }
    // A flush under way when stop began may leave a change pending behind it: flush those too.
    const inFlight = () => [...this.keys.values()].flatMap((state) => (state.flushing ? [state.flushing] : []));
    for (let flushing = inFlight(); flushing.length > 0; flushing = inFlight()) {
      await Promise.all(flushing);
      for (const [key, state] of this.keys) if (state.pending && !state.flushing) this.flush(key, state, state.pending.change);
    }
    this.keys.clear();
  }
}
