import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CardRenderer } from '../cards/templates.js';
import type { PulseConfig } from '../config.js';
import type { Content } from '../content/loadContent.js';
import type { AnswerStore } from '../store/answerStore.js';
import type { PulseStore } from '../store/pulseStore.js';
import type { PulseWorkStore } from '../store/pulseWorkStore.js';
import { Delivery } from './delivery.js';
import { LiveAnswerCount } from './liveCount.js';
import type { Messenger } from './messenger.js';
import { PulseMessages } from './pulseMessages.js';
import { PulseRunner } from './pulseRunner.js';
import { RoundSteps, type TeamResultCard } from './roundSteps.js';
import { TenantLeases } from './tenantLease.js';
import { startPulseTimer } from './timer.js';

export interface PulseSetup {
  content: Content;
  answers: AnswerStore;
  pulses: PulseStore;
  work: PulseWorkStore;
  messenger: Messenger;
  cards: CardRenderer;
  teamResultCard: TeamResultCard;
  config: PulseConfig;
  allowedTenants: readonly string[];
  minRespondents: number;
  now: () => Date;
  logger: Logger;
  /** Tests drive the pulse themselves: no timer, waits between retries that return at once, a short count interval. */
  options?: PulseOptions;
}

export interface PulseOptions {
  timer?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** At most one update of a pulse card's count per channel in this time (default 5 s). */
  countIntervalMs?: number;
}

export interface RunningPulse {
  runner: PulseRunner;
  delivery: Delivery;
  /** Give it every recorded answer: it keeps the pulse cards' counts current, off the member's path. */
  noteAnswer: LiveAnswerCount['noteAnswer'];
  /** Starts ticking (unless the options say not to): call it once everything the ticks use is ready. */
  start(): void;
  stop(): Promise<void>;
}

const COUNT_INTERVAL_MS = 5000;

/** The monthly pulse, wired: delivery within Teams' limits, the round steps, the runner and its timer, the live count. */
export function startPulse(setup: PulseSetup): RunningPulse {
  const { options = {} } = setup;
  const delivery = new Delivery({ appRatePerSecond: setup.config.appRatePerSecond, ...(options.sleep ? { sleep: options.sleep } : {}) });
  const messages = new PulseMessages({ ...setup, timeZone: setup.config.timeZone });
  const steps = new RoundSteps({ ...setup, delivery, messages });
  // Everything this instance sends for a tenant goes out under that tenant's lease, through one token bucket.
  const instanceId = randomUUID();
  const leases = new TenantLeases({ ...setup, instanceId, leaseMs: setup.config.leaseSeconds * 1000 });
  const runner = new PulseRunner({ ...setup, steps, instanceId, leases });
  const count = new LiveAnswerCount({ ...setup, delivery, messages, leases, intervalMs: options.countIntervalMs ?? COUNT_INTERVAL_MS });
  let timer: ReturnType<typeof startPulseTimer> | undefined;
  return {
    runner,
    delivery,
    noteAnswer: count.noteAnswer,
    start() {
      // The id names this instance as the owner of the tenant leases and round claims it takes (the pulsework table).
      setup.logger.info({ instanceId }, 'pulse started');
      if (options.timer !== false) timer ??= startPulseTimer(runner, setup.config.tickSeconds, setup.logger);
    },
    /** Gives up the tenant leases first (sends waiting for a slot end at once), then stores the counts still pending. */
    async stop() {
      await leases.stop();
      await count.stop();
      delivery.stop();
      await timer?.stop();
    },
  };
}
