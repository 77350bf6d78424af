import { describe, expect, it } from 'vitest';
import { previousRound, recentRounds } from '../../src/model/round.js';

describe('recentRounds', () => {
  it('lists the monthly rounds that end with the current one, oldest first', () => {
    expect(recentRounds('2026-11', 6)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
  });

  it('crosses a year boundary', () => {
    expect(recentRounds('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(recentRounds('2027-01', 13)[0]).toBe('2026-01');
  });

  it('is just the current round for a count of one', () => {
    expect(recentRounds('2026-01', 1)).toEqual(['2026-01']);
  });

  it('refuses what is not a round, or no rounds at all', () => {
    expect(() => recentRounds('2026-13', 3)).toThrow(/not a round/);
    expect(() => recentRounds('November', 3)).toThrow(/not a round/);
    expect(() => recentRounds('2026-11', 0)).toThrow(/at least one round/);
  });
});

describe('previousRound', () => {
  it('steps back a month, across the year boundary', () => {
    expect(previousRound('2026-11')).toBe('2026-10');
    expect(previousRound('2026-01')).toBe('2025-12');
  });
});
