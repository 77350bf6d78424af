import type { Logger } from 'pino';
import type { Lease, PulseWorkStore } from '../store/pulseWorkStore.js';

/**
 * One instance at a time fans out a tenant's pulse, under a lease in Table Storage renewed while it works.
 * Teams limits each app to 50 requests a second per tenant, whatever the number of instances: with one sender
 * per tenant, that sender's own token bucket is the whole tenant's rate, with no shared counter to consult per
 * send. Different tenants still spread over the instances, and one tenant never needs more than one instance
 * (50 sends a second are a small load). An instance that dies stops renewing; another takes over once the
 * lease expires, and the round state in storage says what is left to do.
 */
export class TenantLease {
  /** Set when the lease could not be renewed (or the instance is stopping): stop sending for this tenant. */
  lost = false;
  private readonly renewal: ReturnType<typeof setInterval>;
  private renewing: Promise<void> = Promise.resolve();

  private constructor(
    private lease: Lease,
    private readonly deps: { work: PulseWorkStore; leaseMs: number; now: () => Date; logger: Logger },
  ) {
    this.renewal = setInterval(() => (this.renewing = this.renew()), Math.max(100, deps.leaseMs / 3));
  }

  static async claim(
    tenantId: string,
    owner: string,
    deps: { work: PulseWorkStore; leaseMs: number; now: () => Date; logger: Logger },
  ): Promise<TenantLease | undefined> {
    const now = deps.now();
    const lease = await deps.work.claimLease(`tenant|${tenantId}`, owner, new Date(now.getTime() + deps.leaseMs), now);
    return lease ? new TenantLease(lease, deps) : undefined;
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    try {
      const renewed = await this.deps.work.renewLease(this.lease, new Date(this.deps.now().getTime() + this.deps.leaseMs));
      if (renewed) this.lease = renewed;
      else this.lost = true;
    } catch (error) {
      // Storage unreachable: keep sending only while the lease we hold is still valid.
      this.deps.logger.warn({ err: error, lease: this.lease.name }, 'pulse lease not renewed');
      if (new Date(this.lease.until) <= this.deps.now()) this.lost = true;
    }
  }

  /** Stops renewing (the pass stops at its next send); the lease then runs out unless released. */
  abandon(): void {
    this.lost = true;
    clearInterval(this.renewal);
  }

  async release(): Promise<void> {
    this.abandon();
    await this.renewing;
    await this.deps.work.releaseLease(this.lease);
  }
}
