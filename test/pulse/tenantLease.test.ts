import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { TenantLeases } from '../../src/pulse/tenantLease.js';
import { TablePulseWorkStore, type PulseWorkStore } from '../../src/store/pulseWorkStore.js';
import { freshTable } from '../support/storage.js';

const logger = pino({ level: 'silent' });
const now = () => new Date();
/** A promise and the function that settles it, for "this has happened" inside a callback. */
function signal() {
  let done!: () => void;
  const happened = new Promise<void>((resolve) => (done = resolve));
  return { happened, done };
}
const instance = (work: PulseWorkStore, instanceId: string, leaseMs = 60_000) =>
  new TenantLeases({ work, instanceId, leaseMs, now, logger });

describe('TenantLeases', () => {
  it('lets one instance at a time send for a tenant, and the next one in once the first is done', async () => {
    const work = new TablePulseWorkStore(await freshTable('lease'));
    const [a, b] = [instance(work, 'a'), instance(work, 'b')];
    const [held, done] = [signal(), signal()];
    const first = a.with('tenant-1', async (lease) => {
      expect(lease.valid()).toBe(true);
      held.done();
      await done.happened;
      return 'a sent';
    });
    await held.happened;
    expect(await b.with('tenant-1', async () => 'b sent')).toBeUndefined();
    // Another tenant is free meanwhile.
    expect(await b.with('tenant-2', async () => 'b sent')).toBe('b sent');
    done.done();
    expect(await first).toBe('a sent');
    expect(await b.with('tenant-1', async () => 'b sent')).toBe('b sent');
  });

  it('shares one lease between everything this instance sends for a tenant at once', async () => {
    const work = new TablePulseWorkStore(await freshTable('lease'));
    const claims = vi.spyOn(work, 'claimLease');
    const a = instance(work, 'a');
    const leases = await Promise.all([1, 2, 3].map(() => a.with('tenant-1', async (lease) => lease)));
    expect(new Set(leases).size).toBe(1);
    expect(claims).toHaveBeenCalledTimes(1);
    // Released when the last was done: the next use takes it again, without waiting for it to run out.
    expect(leases[0]!.lost).toBe(true);
    expect(await instance(work, 'b').with('tenant-1', async () => 'b sent')).toBe('b sent');
  });

  it('stops sending before the lease would run out when it cannot be renewed, and lets another instance take over then', async () => {
    const work = new TablePulseWorkStore(await freshTable('lease'));
    const a = instance(work, 'a', 800);
    // Storage stops answering a's renewals (a stalled instance looks the same to the others).
    vi.spyOn(work, 'renewLease').mockImplementation(() => new Promise(() => undefined));
    const started = performance.now();
    const ended = await a.with('tenant-1', async (lease) => {
      await new Promise((resolve) => lease.signal.addEventListener('abort', resolve));
      return { valid: lease.valid(), afterMs: performance.now() - started };
    });
    expect(ended?.valid).toBe(false);
    // Valid for 800 ms less a safety margin of a quarter, measured from before the claim.
    expect(ended!.afterMs).toBeGreaterThanOrEqual(550);
    expect(ended!.afterMs).toBeLessThan(800);
    vi.restoreAllMocks();
    await vi.waitFor(async () => expect(await instance(work, 'b').with('tenant-1', async () => 'b sent')).toBe('b sent'), {
      timeout: 5000,
      interval: 100,
    });
  });

  it('gives up its leases when stopping, and takes no more', async () => {
    const work = new TablePulseWorkStore(await freshTable('lease'));
    const a = instance(work, 'a');
    const held = signal();
    const sending = a.with('tenant-1', (lease) => {
      held.done();
      return new Promise((resolve) => lease.signal.addEventListener('abort', () => resolve('ended')));
    });
    await held.happened;
    await a.stop();
    expect(await sending).toBe('ended');
    expect(await a.with('tenant-2', async () => 'sent')).toBeUndefined();
  });
});
