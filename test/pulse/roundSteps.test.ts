import { describe, expect, it } from 'vitest';
import { dueStep, nextStepAt } from '../../src/pulse/roundSteps.js';
import type { RoundStatus } from '../../src/store/pulseStore.js';

const times = { opensAt: '2026-12-07T09:00:00.000Z', remindAt: '2026-12-10T21:00:00.000Z', closesAt: '2026-12-14T09:00:00.000Z' };
const round = (status: RoundStatus, answered = 0, shownAnswered = answered) => ({ status, ...times, answered, shownAnswered });
const at = (iso: string) => new Date(iso);

describe('dueStep', () => {
  it('posts an open round once it opens, not before', () => {
    expect(dueStep(round('open'), at('2026-12-07T08:59:59Z'))).toBeUndefined();
    expect(dueStep(round('open'), at('2026-12-07T09:00:00Z'))).toBe('post');
  });

  it('reminds a posted round halfway, and closes it at the end even if the reminder never went out', () => {
    expect(dueStep(round('posted'), at('2026-12-09T00:00:00Z'))).toBeUndefined();
    expect(dueStep(round('posted'), at('2026-12-10T21:00:00Z'))).toBe('remind');
    expect(dueStep(round('posted'), at('2026-12-14T09:00:00Z'))).toBe('close');
  });

  it('closes a reminded round at the end, and leaves closed and failed rounds alone', () => {
    expect(dueStep(round('reminded'), at('2026-12-11T00:00:00Z'))).toBeUndefined();
    expect(dueStep(round('reminded'), at('2026-12-14T09:00:00Z'))).toBe('close');
    expect(dueStep(round('closed'), at('2027-01-01T00:00:00Z'))).toBeUndefined();
    expect(dueStep(round('failed'), at('2027-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('refreshes the card of a posted or reminded round whose count is behind, unless a step of its own is due', () => {
    expect(dueStep(round('posted', 4, 3), at('2026-12-09T00:00:00Z'))).toBe('refresh');
    expect(dueStep(round('reminded', 4, 3), at('2026-12-11T00:00:00Z'))).toBe('refresh');
    expect(dueStep(round('posted', 4, 3), at('2026-12-10T21:00:00Z'))).toBe('remind');
    expect(dueStep(round('reminded', 4, 3), at('2026-12-14T09:00:00Z'))).toBe('close');
    expect(dueStep(round('open', 4, 3), at('2026-12-07T08:00:00Z'))).toBeUndefined();
    expect(dueStep(round('closed', 4, 3), at('2026-12-20T00:00:00Z'))).toBeUndefined();
  });
});

describe('nextStepAt', () => {
  it('is when dueStep next has something to do', () => {
    expect(nextStepAt(round('open'))).toBe(times.opensAt);
    expect(nextStepAt(round('posted'))).toBe(times.remindAt);
    expect(nextStepAt(round('reminded'))).toBe(times.closesAt);
    expect(nextStepAt(round('closed'))).toBeUndefined();
    expect(nextStepAt(round('failed'))).toBeUndefined();
    for (const status of ['open', 'posted', 'reminded'] as const)
      expect(dueStep(round(status), at(nextStepAt(round(status))!))).toBeDefined();
  });
});
