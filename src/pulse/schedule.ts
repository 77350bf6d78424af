import { Cron } from 'croner';

export interface RoundWindow {
  opensAt: Date;
  remindAt: Date;
  closesAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The most recent time the schedule fired at or before `now` (monthly patterns look back 62 days). */
export function latestOccurrence(pattern: string, timeZone: string, now: Date): Date | undefined {
  const cron = new Cron(pattern, { timezone: timeZone, paused: true });
  let latest: Date | undefined;
  let next = cron.nextRun(new Date(now.getTime() - 62 * DAY_MS));
  while (next && next.getTime() <= now.getTime()) {
    latest = next;
    next = cron.nextRun(next);
  }
  return latest;
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
