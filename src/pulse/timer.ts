import type { Logger } from 'pino';
import type { PulseRunner } from './pulseRunner.js';

/**
 * Ticks the pulse every few seconds. A tick that is still running is not started again, and a failed
 * tick is logged and retried on the next one: the round state in Table Storage says what is left to do.
 */
export function startPulseTimer(runner: Pick<PulseRunner, 'tick'>, seconds: number, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = runner
      .tick()
      .catch((error: unknown) => logger.error({ err: error }, 'pulse tick failed; retrying on the next tick'))
      .finally(() => {
        running = undefined;
      });
  };
  const interval = setInterval(tick, seconds * 1000);
  interval.unref();
  return {
    /** No tick starts after this; one under way is waited for, so nothing runs on after shutdown. */
    async stop() {
      clearInterval(interval);
      await running;
    },
  };
}
