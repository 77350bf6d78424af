import type { Logger } from 'pino';
import type { PulseRound, PulseStore } from '../store/pulseStore.js';
import { forEachConcurrently } from './concurrently.js';
import { isGone, SendCancelled, type SendPermit } from './delivery.js';
import { OutcomeLog } from './outcomeLog.js';
import { dueStep, nextStepAt, type RoundSteps } from './roundSteps.js';
import type { TenantLease } from './tenantLease.js';

export interface FanoutDeps {
  pulses: PulseStore;
  steps: RoundSteps;
  instanceId: string;
  /** How long a claim on a round holds; an expired claim means its owner died. */
  leaseMs: number;
  /** Rounds of one tenant worked on at once; the tenant's token bucket sets the pace. */
  concurrency: number;
  now: () => Date;
  logger: Logger;
}

/** After a failed step, try again after a minute per attempt so far, at most an hour. */
const retryAt = (now: Date, attempts: number) => new Date(now.getTime() + Math.min(60, attempts) * 60_000).toISOString();

/**
 * Takes every due step of one tenant's rounds of one month, reading them a page at a time. The rounds of a page
 * are claimed in batched conditional writes (so a `pulse now` at the same moment, or an instance taking over after
 * a crash, never posts the same step again), sent at the tenant's rate, and their outcomes recorded in batches.
 * Returns when the tenant's next step of this month falls due, if any.
 */
export async function fanOutTenant(deps: FanoutDeps, tenantId: string, month: string, lease: TenantLease): Promise<string | undefined> {
  let next: string | undefined;
  const dueAgainAt = (at: string | undefined) => {
    if (at && (!next || at < next)) next = at;
  };
  const outcomes = new OutcomeLog(deps.pulses, deps.logger);
  try {
    for await (const page of deps.pulses.tenantRounds(month, tenantId, ['open', 'posted', 'reminded'])) {
      if (lease.lost) break;
      const now = deps.now();
      const due: PulseRound[] = [];
      for (const round of page) {
        // A claim of this instance's own (a `pulse now` under way here) is left alone. One by another instance is
        // void: it held this tenant's lease before us, so it can no longer send, and its outcome write will fail.
        if (round.leaseOwner === deps.instanceId && new Date(round.leaseUntil) > now) dueAgainAt(round.leaseUntil);
        else if (dueStep(round, now)) due.push(round);
        else dueAgainAt(nextStepAt(round));
      }
      const leaseUntil = new Date(now.getTime() + deps.leaseMs).toISOString();
      const claims = await deps.pulses.updateRounds(due.map((round) => ({ ...round, leaseOwner: deps.instanceId, leaseUntil })));
      const claimed = claims.filter((round): round is PulseRound => round !== undefined);
      // A round changed between the read and the claim (a live count, a `pulse now`): look at it again on the next tick.
      if (claimed.length < due.length) dueAgainAt(now.toISOString());
      await forEachConcurrently(claimed, deps.concurrency, async (round) => {
        if (lease.lost) return; // the claim runs out, and whoever holds the tenant next takes the step
        dueAgainAt(await takeStep(deps, round, outcomes, now, lease));
      });
    }
  } finally {
    await outcomes.close();
  }
  return lease.lost ? undefined : next;
}

/**
 * Takes a claimed round's due step under the tenant's lease and logs its outcome; returns when the round is due
 * again. A step cut short because the lease ended sent nothing and records nothing: whoever holds the tenant next
 * takes it.
 */
export async function takeStep(
  deps: FanoutDeps,
  round: PulseRound,
  outcomes: OutcomeLog,
  now: Date,
  permit: SendPermit,
): Promise<string | undefined> {
  const step = dueStep(round, now)!;
  const released = { leaseOwner: '', leaseUntil: '' };
  try {
    const outcome = await deps.steps.run(step, round, permit);
    outcomes.add(round, { ...outcome, ...released, lastError: '' });
    return nextStepAt({ ...round, ...outcome });
  } catch (error) {
    if (error instanceof SendCancelled) return undefined;
    const message = (error as Error).message;
    deps.logger.warn({ round: round.round, conversationId: round.target.conversationId, step, err: error }, 'pulse step failed');
    const attempts = round.attempts + 1;
    if (isGone(error)) {
      await deps.pulses.markUnreachable(round.target.tenantId, round.target.conversationId, message);
      outcomes.add(round, { status: 'failed', ...released, attempts, lastError: message });
      return undefined;
    }
    outcomes.add(round, { ...released, attempts, lastError: message });
    return retryAt(now, attempts);
  }
}
