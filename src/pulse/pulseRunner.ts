import { randomUUID } from 'node:crypto';
import Bottleneck from 'bottleneck';
import type { Logger } from 'pino';
import { pulseCard } from '../cards/pulseCards.js';
import type { AdaptiveCard, CardRenderer } from '../cards/templates.js';
import type { PulseConfig } from '../config.js';
import type { Content } from '../content/loadContent.js';
import type { ModelId } from '../model/content.js';
import { previousRound, roundLabel, roundOf } from '../model/round.js';
import { countRespondents } from '../model/scoring.js';
import { interleave } from '../model/collections.js';
import { isTenantAllowed } from '../model/tenants.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { ConversationTarget } from '../store/conversationStore.js';
import type { PulseRound, PulseStore, Subscription } from '../store/pulseStore.js';
import { isGone, type Delivery } from './delivery.js';
import type { Messenger, OutgoingActivity } from './messenger.js';
import { dayLabel, latestOccurrence, nextOccurrence, roundWindow } from './schedule.js';

/** Builds the team result card for a closed round (the assessment flow does this for `results` too). */
export type TeamResultCard = (target: ConversationTarget, modelId: ModelId, round: string) => Promise<AdaptiveCard>;

export interface PulseDeps {
  content: Content;
  answers: AnswerStore;
  pulses: PulseStore;
  messenger: Messenger;
  delivery: Delivery;
  cards: CardRenderer;
  teamResultCard: TeamResultCard;
  config: PulseConfig;
  /** ALLOWED_TENANTS; empty allows all. A tenant taken off the list gets no more pulses. */
  allowedTenants: readonly string[];
  minRespondents: number;
  now: () => Date;
  logger: Logger;
  /** Longer than any one step takes, retries included; an expired lease means its owner died. */
  leaseMs?: number;
  /** Channels worked on at once; sends are further limited by Delivery. */
  concurrency?: number;
}

const DEFAULT_LEASE_MS = 5 * 60 * 1000;
const OPEN_ROUNDS_TTL_MS = 30_000;
const channelOf = (target: ConversationTarget) => `${target.tenantId}|${target.conversationId}`;
const asCard = (card: AdaptiveCard): OutgoingActivity => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
});

export type RunNowOutcome = { started: true; round: PulseRound } | { started: false; existing: PulseRound };

/**
 * The monthly pulse. Every step of a round (post, remind, close) is claimed with an ETag-guarded lease
 * in Table Storage, so several instances, a restart or a double `pulse now` never post twice, and a
 * round interrupted midway is picked up where it stopped once the lease expires.
 */
export class PulseRunner {
  readonly instanceId = randomUUID();
  private readonly pool: Bottleneck;
  /** Channels with an open round this month, read at most every OPEN_ROUNDS_TTL_MS: most answers need no pulse lookup. */
  private openRoundCache: { round: string; readAt: number; channels: Set<string> } | undefined;

  constructor(private readonly deps: PulseDeps) {
    this.pool = new Bottleneck({ maxConcurrent: deps.concurrency ?? 32 });
  }

  async subscribe(target: ConversationTarget, modelId: ModelId, by: string): Promise<void> {
    await this.deps.pulses.subscribe({
      target,
      modelId,
      status: 'active',
      problem: '',
      subscribedBy: by,
      subscribedAt: this.deps.now().toISOString(),
    });
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

  nextRun(): Date | undefined {
    return nextOccurrence(this.deps.config.schedule, this.deps.config.timeZone, this.deps.now());
  }

  dayLabel(date: Date | string): string {
    return dayLabel(new Date(date), this.deps.config.timeZone);
  }

  /** Opens this month's round for one channel now, unless it already exists. */
  async runNow(target: ConversationTarget, modelId: ModelId): Promise<RunNowOutcome> {
    const now = this.deps.now();
    const round = roundOf(now);
    const window = roundWindow(now, this.deps.config.windowDays);
    const created = await this.deps.pulses.createRound({
      round,
      target,
      modelId,
      opensAt: window.opensAt.toISOString(),
      remindAt: window.remindAt.toISOString(),
      closesAt: window.closesAt.toISOString(),
    });
    const stored = (await this.deps.pulses.getRound(round, target.tenantId, target.conversationId))!;
    if (!created) return { started: false, existing: stored };
    return { started: true, round: (await this.advance(stored)) ?? stored };
  }

  /** One pass of the schedule: open due rounds, then post, remind and close whatever is due. */
  async tick(): Promise<void> {
    const now = this.deps.now();
    const { schedule, timeZone, windowDays } = this.deps.config;
    const occurrence = latestOccurrence(schedule, timeZone, now);
    if (occurrence) {
      const window = roundWindow(occurrence, windowDays);
      if (now < window.closesAt) await this.openRounds(roundOf(occurrence), window);
    }
    const current = roundOf(now);
    for (const round of [previousRound(current), current]) {
      const rounds = (await this.deps.pulses.rounds(round, ['open', 'posted', 'reminded'])).filter((entry) => this.allowed(entry.target));
      // Tenant by tenant in turn: each tenant has its own rate limit, so one big tenant must not hold up the rest.
      const fair = interleave(rounds, (entry) => entry.target.tenantId);
      await Promise.all(fair.map((entry) => this.pool.schedule(() => this.advance(entry))));
    }
  }

  private async openRounds(round: string, window: ReturnType<typeof roundWindow>): Promise<void> {
    const existing = new Set(
      (await this.deps.pulses.rounds(round)).map((entry) => `${entry.target.tenantId}|${entry.target.conversationId}`),
    );
    const due = (await this.deps.pulses.subscriptions()).filter(
      (subscription) =>
        subscription.status === 'active' &&
        this.allowed(subscription.target) &&
        !existing.has(`${subscription.target.tenantId}|${subscription.target.conversationId}`),
    );
    await this.deps.pulses.createRounds(
      due.map((subscription: Subscription) => ({
        round,
        target: subscription.target,
        modelId: subscription.modelId,
        opensAt: window.opensAt.toISOString(),
        remindAt: window.remindAt.toISOString(),
        closesAt: window.closesAt.toISOString(),
      })),
    );
  }

  /** Takes the round's next due step, if any and if no live instance holds it. Returns the round as stored after. */
  private async advance(round: PulseRound): Promise<PulseRound | undefined> {
    const now = this.deps.now();
    const step = dueStep(round, now);
    if (!step) return round;
    // A live lease is respected even when it is ours: a concurrent `pulse now` and tick must not both post.
    if (round.leaseOwner && new Date(round.leaseUntil) > now) return round;
    const leased = await this.deps.pulses.updateRound({
      ...round,
      leaseOwner: this.instanceId,
      leaseUntil: new Date(now.getTime() + (this.deps.leaseMs ?? DEFAULT_LEASE_MS)).toISOString(),
    });
    if (!leased) return undefined; // another instance claimed it first
    try {
      const done = await this[step](leased);
      return this.deps.pulses.updateRound({ ...done, leaseOwner: '', leaseUntil: '', lastError: '' });
    } catch (error) {
      const message = (error as Error).message;
      this.deps.logger.warn({ round: round.round, conversationId: round.target.conversationId, step, err: error }, 'pulse step failed');
      if (isGone(error)) {
        await this.deps.pulses.markUnreachable(round.target.tenantId, round.target.conversationId, message);
        return this.deps.pulses.updateRound({
          ...leased,
          status: 'failed',
          leaseOwner: '',
          leaseUntil: '',
          attempts: leased.attempts + 1,
          lastError: message,
        });
      }
      return this.deps.pulses.updateRound({ ...leased, leaseOwner: '', leaseUntil: '', attempts: leased.attempts + 1, lastError: message });
    }
  }

  private async post(round: PulseRound): Promise<PulseRound> {
    const activityId = await this.send(round, () => this.deps.messenger.post(round.target, asCard(this.card(round, true))));
    this.openRoundCache?.channels.add(channelOf(round.target));
    return { ...round, status: 'posted', activityId };
  }

  private async remind(round: PulseRound): Promise<PulseRound> {
    const answered = await this.respondents(round, round.round);
    const text = `Halfway through the ${roundLabel(round.round)} pulse: ${answered} ${answered === 1 ? 'person has' : 'people have'} answered so far. It closes on ${this.dayLabel(round.closesAt)}. Press **Take the pulse** above to answer.`;
    await this.send(round, () => this.deps.messenger.reply(round.target, round.activityId, { type: 'message', text }));
    return { ...round, status: 'reminded', answered };
  }

  private async close(round: PulseRound): Promise<PulseRound> {
    const answered = await this.respondents(round, round.round);
    const result = await this.deps.teamResultCard(round.target, round.modelId as ModelId, round.round);
    await this.send(round, () => this.deps.messenger.reply(round.target, round.activityId, asCard(result)));
    const closed = { ...round, status: 'closed' as const, answered };
    // The results are out; retrying the whole step for a stale pulse card would post them twice.
    await this.send(round, () => this.deps.messenger.update(round.target, round.activityId, asCard(this.card(closed, false)))).catch(
      (error: unknown) =>
        this.deps.logger.warn({ err: error, conversationId: round.target.conversationId }, 'pulse card not marked closed'),
    );
    return closed;
  }

  /** Keeps the pulse card's "N answered" line current; only when the count changed, so bursts stay cheap. */
  async noteAnswer(tenantId: string, conversationId: string): Promise<void> {
    if (!(await this.hasOpenRound(tenantId, conversationId))) return;
    const round = await this.deps.pulses.getRound(roundOf(this.deps.now()), tenantId, conversationId);
    if (!round || (round.status !== 'posted' && round.status !== 'reminded')) return;
    const answered = await this.respondents(round, round.round);
    if (answered === round.answered) return;
    const updated = await this.deps.pulses.updateRound({ ...round, answered });
    if (!updated) return; // a concurrent answer updated it; its update carries the newer count
    await this.send(round, () => this.deps.messenger.update(round.target, round.activityId, asCard(this.card(updated, true))));
  }

  private allowed(target: ConversationTarget): boolean {
    return isTenantAllowed(target.tenantId, this.deps.allowedTenants);
  }

  private async hasOpenRound(tenantId: string, conversationId: string): Promise<boolean> {
    const now = this.deps.now();
    const round = roundOf(now);
    if (!this.openRoundCache || this.openRoundCache.round !== round || Date.now() - this.openRoundCache.readAt > OPEN_ROUNDS_TTL_MS) {
      const open = await this.deps.pulses.rounds(round, ['posted', 'reminded']);
      this.openRoundCache = { round, readAt: Date.now(), channels: new Set(open.map((entry) => channelOf(entry.target))) };
    }
    return this.openRoundCache.channels.has(`${tenantId}|${conversationId}`);
  }

  async status(target: ConversationTarget): Promise<{ subscription: Subscription | undefined; rounds: PulseRound[] }> {
    const [subscription, rounds] = await Promise.all([
      this.deps.pulses.subscription(target.tenantId, target.conversationId),
      this.deps.pulses.roundsOf(target.tenantId, target.conversationId),
    ]);
    return { subscription, rounds };
  }

  async stop(): Promise<void> {
    await this.pool.disconnect();
  }

  private card(round: PulseRound, open: boolean): AdaptiveCard {
    return pulseCard(this.deps.cards, {
      model: this.deps.content.models[round.modelId as ModelId],
      round: round.round,
      closesOn: this.dayLabel(round.closesAt),
      answered: round.answered,
      open,
      minRespondents: this.deps.minRespondents,
    });
  }

  private async respondents(round: PulseRound, roundId: string): Promise<number> {
    const model = this.deps.content.models[round.modelId as ModelId];
    const members = await this.deps.answers.team({
      tenantId: round.target.tenantId,
      scopeId: round.target.conversationId,
      modelId: round.modelId,
      round: roundId,
    });
    return countRespondents(model, members);
  }

  private send<T>(round: PulseRound, operation: () => Promise<T>): Promise<T> {
    return this.deps.delivery.send(round.target.tenantId, round.target.conversationId, operation);
  }
}

/** What a round needs next at `now`: post when open, remind halfway, close at the end. */
export function dueStep(round: PulseRound, now: Date): 'post' | 'remind' | 'close' | undefined {
  if (round.status === 'open') return now >= new Date(round.opensAt) ? 'post' : undefined;
  if (round.status === 'posted' || round.status === 'reminded') {
    if (now >= new Date(round.closesAt)) return 'close';
    if (round.status === 'posted' && now >= new Date(round.remindAt)) return 'remind';
  }
  return undefined;
}
