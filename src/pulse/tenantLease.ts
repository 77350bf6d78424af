import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { Lease, PulseWorkStore } from '../store/pulseWorkStore.js';
import type { SendPermit } from './delivery.js';

export interface LeaseDeps {
  work: PulseWorkStore;
  /** How long a lease holds without renewal; another instance takes over once it has run out. */
  leaseMs: number;
  now: () => Date;
  logger: Logger;
}

/** Stop sending this long before the lease runs out, for the clocks of two instances that differ a little. */
const safetyMarginMs = (leaseMs: number) => Math.min(5000, leaseMs / 4);

/**
 * One instance at a time sends for a tenant: the pulse's fan-out, `pulse now`, and the live count's card
 * updates alike, under a lease in Table Storage renewed while it works. Teams limits each app to 50 requests a
 * second per tenant, whatever the number of instances: with one sender per tenant, that sender's own token bucket
 * is the whole tenant's rate, with no shared counter to consult per send. Different tenants still spread over the
 * instances, and one tenant never needs more than one (50 sends a second are a small load). An instance that
 * dies stops renewing; another takes over once the lease has run out, and the round state in storage says what
 * is left to do.
 *
 * As a SendPermit, the lease is valid until shortly before it would run out, measured on this process's
 * monotonic clock from before the request that took or renewed it: an instance that stalls past that point sends
 * nothing more, even before it learns that someone else has taken over.
 */
export class TenantLease implements SendPermit {
  private readonly ended = new AbortController();
  private readonly renewal: ReturnType<typeof setInterval>;
  private expiry: ReturnType<typeof setTimeout> | undefined;
  private validUntilMs = 0;
  private renewing: Promise<void> | undefined;

  private constructor(
    private lease: Lease,
    askedAtMs: number,
    private readonly deps: LeaseDeps,
  ) {
    // Every send of the tenant waiting for a slot listens for the end of the lease: as many as are under way.
    setMaxListeners(0, this.ended.signal);
    this.heldFrom(askedAtMs);
    // One renewal at a time: two at once would carry the same ETag, and the loser would look taken over.
    this.renewal = setInterval(
      () => {
        this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
      },
      Math.max(100, deps.leaseMs / 3),
    );
  }

  /** Takes the tenant's lease if it is free or has run out; undefined while another instance holds it. */
  static async claim(tenantId: string, owner: string, deps: LeaseDeps): Promise<TenantLease | undefined> {
    const askedAtMs = performance.now();
    const now = deps.now();
    const lease = await deps.work.claimLease(`tenant|${tenantId}`, owner, new Date(now.getTime() + deps.leaseMs), now);
    return lease ? new TenantLease(lease, askedAtMs, deps) : undefined;
  }

  get signal(): AbortSignal {
    return this.ended.signal;
  }

  /** The lease was lost, given up or released: stop sending for this tenant. */
  get lost(): boolean {
    return this.ended.signal.aborted;
  }

  valid(): boolean {
    return !this.lost && performance.now() < this.validUntilMs;
  }

  private heldFrom(askedAtMs: number): void {
    this.validUntilMs = askedAtMs + this.deps.leaseMs - safetyMarginMs(this.deps.leaseMs);
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.end('not renewed in time'), Math.max(0, this.validUntilMs - performance.now()));
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    const askedAtMs = performance.now();
    try {
      const renewed = await this.deps.work.renewLease(this.lease, new Date(this.deps.now().getTime() + this.deps.leaseMs));
      if (this.lost) return;
      if (!renewed) return this.end('taken over by another instance');
      this.lease = renewed;
      this.heldFrom(askedAtMs);
    } catch (error) {
      // Storage unreachable: the lease we hold stays valid until it runs out (the expiry timer ends it then).
      this.deps.logger.warn({ err: error, lease: this.lease.name }, 'pulse lease not renewed');
    }
  }

  private end(reason: string): void {
    if (this.lost) return;
    this.deps.logger.warn({ lease: this.lease.name, reason }, 'pulse lease lost; this instance stops sending for the tenant');
    this.abandon();
  }

  /** Stops renewing and sending (waits for a slot end at once); the lease then runs out unless released. */
  abandon(): void {
    this.ended.abort();
    clearInterval(this.renewal);
    clearTimeout(this.expiry);
  }

  /**
   * Gives the lease back, so another instance need not wait for it to run out. A renewal under way is not waited
   * for (storage may hang): if it lands first, the release finds the lease changed and it simply runs out.
   */
  async release(): Promise<void> {
    this.abandon();
    await this.deps.work.releaseLease(this.lease).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, lease: this.lease.name }, 'pulse lease not released; it runs out by itself');
    });
  }
}

/**
 * The tenant leases this instance holds, shared by everything that sends for a tenant here: a fan-out, a
 * `pulse now` and a card update for the same tenant use one lease (and so one token bucket), and the lease is
 * released when the last of them is done.
 */
export class TenantLeases {
  private readonly held = new Map<string, { lease: Promise<TenantLease | undefined>; users: number }>();
  /** Releases under way, so that taking the same tenant again here waits for them instead of finding it held. */
  private readonly releasing = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: LeaseDeps & { instanceId: string }) {}

  /**
   * Runs `work` while this instance holds the tenant's lease (held already, or taken now). Undefined, without
   * running it, while another instance holds the lease, and once this one is stopping.
   */
  async with<T>(tenantId: string, work: (lease: TenantLease) => Promise<T>): Promise<T | undefined> {
    if (this.stopped) return undefined;
    let entry = this.held.get(tenantId);
    if (!entry) {
      const lease = (this.releasing.get(tenantId) ?? Promise.resolve()).then(() =>
        TenantLease.claim(tenantId, this.deps.instanceId, this.deps),
      );
      entry = { lease, users: 0 };
      this.held.set(tenantId, entry);
    }
    entry.users += 1;
    try {
      const lease = await entry.lease;
      return lease && !lease.lost ? await work(lease) : undefined;
    } finally {
      entry.users -= 1;
      if (entry.users === 0) await this.release(tenantId, entry.lease);
    }
  }

  private async release(tenantId: string, claimed: Promise<TenantLease | undefined>): Promise<void> {
    this.held.delete(tenantId);
    const released = claimed.then(
      (lease) => lease?.release(),
      () => undefined, // the claim failed: its caller has the error, and there is nothing to release
    );
    this.releasing.set(tenantId, released);
    try {
      await released;
    } finally {
      if (this.releasing.get(tenantId) === released) this.releasing.delete(tenantId);
    }
  }

  /** Gives up every lease held (sends under them stop at once) and takes no more; they run out unless released. */
  async stop(): Promise<void> {
    this.stopped = true;
    const claims = [...this.held.values()].map((entry) => entry.lease);
    await Promise.all(
      claims.map((claim) =>
        claim.then(
          (lease) => lease?.abandon(),
          () => undefined,
        ),
      ),
    );
  }
}
