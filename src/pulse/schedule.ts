import { Cron } from 'croner';

export interface RoundWindow {
  opensAt: Date;
  remindAt: Date;
  closesAt: Date;
}

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const LOOKBACK_MS = 62 * DAY_MS;

/**
 * The most recent time the schedule fired at or before `now`, looking back at most 62 days (a monthly pattern
 * fires in that span). croner only steps forward, so look back a minute, then twice as far each time, until the
 * span holds an occurrence, and step forward through that span alone: a few steps for any regular schedule,
 * whether it fires monthly or every minute (stepping through 62 days of a per-minute schedule took minutes).
 */
export function latestOccurrence(pattern: string, timeZone: string, now: Date): Date | undefined {
  const cron = new Cron(pattern, { timezone: timeZone, paused: true });
  for (let span = MINUTE_MS; ; span = Math.min(2 * span, LOOKBACK_MS)) {
    let latest = cron.nextRun(new Date(now.getTime() - span));
    if (latest && latest <= now) {
      for (let next = cron.nextRun(latest); next && next <= now; next = cron.nextRun(next)) latest = next;
      return latest;
    }
    if (span === LOOKBACK_MS) return undefined;
  }
}

export function nextOccurrence(pattern: string, timeZone: string, now: Date): Date | undefined {
  return new Cron(pattern, { timezone: timeZone, paused: true }).nextRun(now) ?? undefined;
}

/** A round is open for `windowDays`; the reminder goes out halfway. */
export function roundWindow(opensAt: Date, windowDays: number): RoundWindow {
  const window = windowDays * DAY_MS;
  return { opensAt, remindAt: new Date(opensAt.getTime() + window / 2), closesAt: new Date(opensAt.getTime() + window) };
}

/** "Monday 14 December" in the configured zone. */
export function dayLabel(date: Date, timeZone: string): string {
  return date.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone });
}
