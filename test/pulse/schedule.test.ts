import { describe, expect, it } from 'vitest';
import { latestOccurrence, nextOccurrence, roundWindow } from '../../src/pulse/schedule.js';

const FIRST_MONDAY = '0 9 * * 1#1';

describe('latestOccurrence', () => {
  it('is the last time the schedule fired at or before now', () => {
    expect(latestOccurrence(FIRST_MONDAY, 'UTC', new Date('2026-12-07T09:00:00Z'))).toEqual(new Date('2026-12-07T09:00:00Z'));
    expect(latestOccurrence(FIRST_MONDAY, 'UTC', new Date('2026-12-20T00:00:00Z'))).toEqual(new Date('2026-12-07T09:00:00Z'));
    expect(latestOccurrence(FIRST_MONDAY, 'UTC', new Date('2026-12-07T08:59:59Z'))).toEqual(new Date('2026-11-02T09:00:00Z'));
  });

  it('follows the configured time zone', () => {
    // 09:00 in Oslo is 08:00 UTC in winter.
    expect(latestOccurrence(FIRST_MONDAY, 'Europe/Oslo', new Date('2026-12-07T08:30:00Z'))).toEqual(new Date('2026-12-07T08:00:00Z'));
  });

  it('finds the latest of a frequent schedule in a few steps, not by stepping through two months of it', () => {
    const started = performance.now();
    expect(latestOccurrence('* * * * *', 'UTC', new Date('2026-12-07T09:05:30Z'))).toEqual(new Date('2026-12-07T09:05:00Z'));
    expect(latestOccurrence('* * * * *', 'UTC', new Date('2026-12-07T09:05:00Z'))).toEqual(new Date('2026-12-07T09:05:00Z'));
    expect(latestOccurrence('0 * * * *', 'Europe/Oslo', new Date('2026-12-07T09:59:59Z'))).toEqual(new Date('2026-12-07T09:00:00Z'));
    expect(latestOccurrence('*/10 * * * *', 'UTC', new Date('2026-12-07T00:04:00Z'))).toEqual(new Date('2026-12-07T00:00:00Z'));
    // Stepping minute by minute through 62 days (89,280 steps) took 275 s for one call here, on a busy machine.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('finds nothing for a schedule that has not fired in the last two months', () => {
    expect(latestOccurrence('0 9 1 1 *', 'UTC', new Date('2026-12-07T00:00:00Z'))).toBeUndefined();
    expect(nextOccurrence('0 9 1 1 *', 'UTC', new Date('2026-12-07T00:00:00Z'))).toEqual(new Date('2027-01-01T09:00:00Z'));
  });
});

describe('roundWindow', () => {
  it('reminds halfway and closes after the window', () => {
    const window = roundWindow(new Date('2026-12-07T09:00:00Z'), 7);
    expect(window.remindAt).toEqual(new Date('2026-12-10T21:00:00Z'));
    expect(window.closesAt).toEqual(new Date('2026-12-14T09:00:00Z'));
  });
});
