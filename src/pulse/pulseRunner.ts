import type { Logger } from 'pino';
import type { PulseConfig } from '../config.js';
import type { ModelId } from '../model/content.js';
import { groupBy } from '../model/collections.js';
import { previousRound, roundOf } from '../model/round.js';
import { isTenantAllowed } from '../model/tenants.js';
import type { ConversationTarget } from '../store/conversationStore.js';
import type { NewRound, PulseRound, PulseStore, Subscription } from '../store/pulseStore.js';
import type { DueWork, PulseWorkStore } from '../store/pulseWorkStore.js';
import { forEachConcurrently } from './concurrently.js';
import { OutcomeLog } from './outcomeLog.js';
import { dueStep, nextStepAt, type RoundSteps } from './roundSteps.js';
import { dayLabel, latestOccurrence, nextOccurrence, roundWindow, type RoundWindow } from './schedule.js';
import { fanOutTenant, takeStep, type FanoutDeps } from './tenantFanout.js';
import type { TenantLease, TenantLeases } from './tenantLease.js';

export interface PulseDeps {
  /** This instance, as the owner of the rounds it claims. */
  instanceId: string;
  /** The tenant leases this instance holds: only the holder sends for a tenant. */
  leases: TenantLeases;
  pulses: PulseStore;
  work: PulseWorkStore;
  steps: RoundSteps;
  config: PulseConfig;
  /** ALLOWED_TENANTS; empty allows all. A tenant taken off the list gets no more pulses. */
  allowedTenants: readonly string[];
  now: () => Date;
  logger: Logger;
  /** Rounds of one tenant worked on at once, and tenants fanned out at once. */
  concurrency?: { perTenant: number; tenants: number };
}

/** Due entries taken per tick; the rest wait for the next one. */
const DUE_PER_TICK = 500;
const DEFAULT_CONCURRENCY = { perTenant: 16, tenants: 32 };

/** `queued`: not posted yet, because the tenant's pulses are being sent right now (here or by another instance); it goes out with them. */
export type RunNowOutcome = { started: true; round: PulseRound; queued: boolean } | { started: false; existing: PulseRound };

/**
 * The monthly pulse. A tick asks storage only for work that is due (a range query on a time index), so a tick
 * with nothing to do costs one small read. When the schedule fires, the month's rounds are created for every
 * subscribed channel and each tenant's work is indexed; a channel subscribing mid-round gets its round at once.
 * Each tenant is fanned out by one instance at a time (TenantLease), and each round's step is claimed before it
 * is sent, so several instances, a restart or a double `pulse now` never post twice, and a round interrupted
 * midway is picked up where it stopped once the claim expires.
 */
export class PulseRunner {
  /** Months whose rounds this instance knows were opened, so a tick asks storage once a month, not every time. */
  private readonly opened = new Set<string>();
  /** Months whose rounds in the old single-partition layout this instance has moved (see adoptLegacyRounds). */
  private readonly adopted = new Set<string>();

  constructor(private readonly deps: PulseDeps) {}

  private get leaseMs(): number {
    return this.deps.config.leaseSeconds * 1000;
  }

  async subscribe(target: ConversationTarget, modelId: ModelId, by: string): Promise<void> {
    const now = this.deps.now();
    const subscription: Subscription = {
      target,
      modelId,
      status: 'active',
      problem: '',
      subscribedBy: by,
      subscribedAt: now.toISOString(),
    };
    await this.deps.pulses.subscribe(subscription);
    await this.adoptLegacyRounds(now);
    // Subscribed while this month's round is open: the channel gets it too, from the next tick.
    const window = this.currentWindow(now);
    if (window && (await this.deps.pulses.createRound(newRound(subscription, window.round, window)))) {
      await this.deps.work.schedule({ tenantId: target.tenantId, round: window.round, dueAt: now.toISOString() });
    }
  }

  /** Teams may move a conversation to another connector address; a subscription follows it. */
  async refreshAddress(target: ConversationTarget): Promise<void> {
    const subscription = await this.deps.pulses.subscription(target.tenantId, target.conversationId);
    if (subscription && subscription.target.serviceUrl !== target.serviceUrl) {
      await this.deps.pulses.subscribe({ ...subscription, target: { ...subscription.target, serviceUrl: target.serviceUrl } });
    }
  }

  async unsubscribe(target: ConversationTarget): Promise<boolean> {
    return this.deps.pulses.unsubscribe(target.tenantId, target.conversationId);
  }

  dayLabel(date: Date | string): string {
    return dayLabel(new Date(date), this.deps.config.timeZone);
  }

  nextRun(): Date | undefined {
    return nextOccurrence(this.deps.config.schedule, this.deps.config.timeZone, this.deps.now());
  }

  /** Opens this month's round for one channel now, unless it already exists, and posts it straight away. */
  async runNow(target: ConversationTarget, modelId: ModelId): Promise<RunNowOutcome> {
    const now = this.deps.now();
    const round = roundOf(now);
    const window = roundWindow(now, this.deps.config.windowDays);
    const fresh: NewRound = {
      round,
      target,
      modelId,
      opensAt: window.opensAt.toISOString(),
      remindAt: window.remindAt.toISOString(),
      closesAt: window.closesAt.toISOString(),
    };
    await this.adoptLegacyRounds(now);
    const created = await this.deps.pulses.createRound(fresh);
    const stored = (await this.deps.pulses.getRound(round, target.tenantId, target.conversationId))!;
    if (!created) return { started: false, existing: stored };
    // Posted under the tenant's lease like every other send; while another instance holds it, that one posts it.
    const advanced = (await this.deps.leases.with(target.tenantId, (lease) => this.advance(stored, lease))) ?? stored;
    await this.deps.work.schedule({ tenantId: target.tenantId, round, dueAt: nextStepAt(advanced) ?? now.toISOString() });
    return { started: true, round: advanced, queued: advanced.status === 'open' && !advanced.lastError };
  }

  /** One round's due step, outside a tenant's fan-out (`pulse now`); the claim keeps a concurrent pass here off it. */
  private async advance(round: PulseRound, lease: TenantLease): Promise<PulseRound> {
    const now = this.deps.now();
    if (!dueStep(round, now)) return round;
    const claimed = await this.deps.pulses.updateRound({
      ...round,
      leaseOwner: this.deps.instanceId,
      leaseUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
    });
    const reread = () => this.deps.pulses.getRound(round.round, round.target.tenantId, round.target.conversationId);
    if (!claimed) return (await reread()) ?? round; // a pass here took it first
    const outcomes = new OutcomeLog(this.deps.pulses, this.deps.logger);
    await takeStep(this.fanoutDeps, claimed, outcomes, now, lease);
    await outcomes.close();
    return (await reread()) ?? claimed;
  }

  /** One pass of the schedule: open this month's rounds when the schedule fires, then take whatever is due. */
  async tick(): Promise<void> {
    const now = this.deps.now();
    await this.adoptLegacyRounds(now);
    const window = this.currentWindow(now);
    if (window && !this.opened.has(window.round)) await this.openRounds(window, now);
    const due = await this.deps.work.due(now, DUE_PER_TICK);
    if (due.length === 0) return;
    const byTenant = [...groupBy(due, (work) => work.tenantId).values()];
    await forEachConcurrently(byTenant, this.concurrency.tenants, (entries) => this.fanOut(entries[0]!.tenantId, entries));
  }

  private get concurrency() {
    return this.deps.concurrency ?? DEFAULT_CONCURRENCY;
  }

  private get fanoutDeps(): FanoutDeps {
    return { ...this.deps, leaseMs: this.leaseMs, concurrency: this.concurrency.perTenant };
  }

  /**
   * Rounds stored before this version (all tenants in one partition per month) are moved to the current layout
   * before anything here reads or creates rounds of their month, so that a round open at an upgrade is reminded
   * and closed, and not posted a second time. Only this month and the last can still be open (a window is at most
   * 27 days); each costs this instance one partition query, once.
   */
  private async adoptLegacyRounds(now: Date): Promise<void> {
    for (const month of [previousRound(roundOf(now)), roundOf(now)]) {
      if (this.adopted.has(month)) continue;
      for (const tenantId of await this.deps.pulses.adoptLegacyRounds(month))
        await this.deps.work.schedule({ tenantId, round: month, dueAt: now.toISOString() });
      this.adopted.add(month);
    }
  }

  /** The round of the latest schedule occurrence, while its window is still open. */
  private currentWindow(now: Date): (RoundWindow & { round: string }) | undefined {
    const { schedule, timeZone, windowDays } = this.deps.config;
    const occurrence = latestOccurrence(schedule, timeZone, now);
    if (!occurrence) return undefined;
    const window = roundWindow(occurrence, windowDays);
    return now < window.closesAt ? { ...window, round: roundOf(occurrence) } : undefined;
  }

  /** Creates the month's round for every active subscription, a page at a time, and indexes each tenant's first step. */
  private async openRounds(window: RoundWindow & { round: string }, now: Date): Promise<void> {
    if (await this.deps.work.wasOpened(window.round)) return void this.opened.add(window.round);
    const tenants = new Set<string>();
    for await (const page of this.deps.pulses.subscriptionPages()) {
      const due = page.filter((subscription) => subscription.status === 'active' && this.allowed(subscription.target.tenantId));
      await this.deps.pulses.createRounds(due.map((subscription) => newRound(subscription, window.round, window)));
      for (const subscription of due) tenants.add(subscription.target.tenantId);
    }
    const dueAt = window.opensAt.toISOString();
    await forEachConcurrently([...tenants], 8, (tenantId) => this.deps.work.schedule({ tenantId, round: window.round, dueAt }));
    await this.deps.work.markOpened(window.round, now);
    this.opened.add(window.round);
  }

  /** Fans out one tenant's due months under its lease, then indexes when each is due next. */
  private async fanOut(tenantId: string, entries: readonly DueWork[]): Promise<void> {
    if (!this.allowed(tenantId)) {
      for (const entry of entries) await this.deps.work.done(entry);
      return;
    }
    // Undefined while another instance holds the tenant: the entries stay due until it is done.
    await this.deps.leases.with(tenantId, async (lease) => {
      for (const [month, due] of groupBy(entries, (entry) => entry.round)) {
        const next = await fanOutTenant(this.fanoutDeps, tenantId, month, lease);
        if (lease.lost) return;
        if (next) await this.deps.work.schedule({ tenantId, round: month, dueAt: next });
        for (const entry of due) await this.deps.work.done(entry);
      }
    });
  }

  private allowed(tenantId: string): boolean {
    return isTenantAllowed(tenantId, this.deps.allowedTenants);
  }

  async status(target: ConversationTarget): Promise<{ subscription: Subscription | undefined; rounds: PulseRound[] }> {
    const [subscription, rounds] = await Promise.all([
      this.deps.pulses.subscription(target.tenantId, target.conversationId),
      this.deps.pulses.roundsOf(target.tenantId, target.conversationId),
    ]);
    return { subscription, rounds };
  }
}

function newRound(subscription: Subscription, round: string, window: RoundWindow): NewRound {
  return {
    round,
    target: subscription.target,
    modelId: subscription.modelId,
    opensAt: window.opensAt.toISOString(),
    remindAt: window.remindAt.toISOString(),
    closesAt: window.closesAt.toISOString(),
  };
}
