import { isRound } from '../model/round.js';

/**
 * The `count` monthly rounds that end with `current`, oldest first: recentRounds("2026-02", 3) is
 * ["2025-12", "2026-01", "2026-02"]. Month arithmetic on the round id alone, so no time zone can shift it.
 */
export function recentRounds(current: string, count: number): string[] {
  if (!isRound(current)) throw new Error(`"${current}" is not a round; rounds look like "2026-11"`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`A trend needs at least one round, got ${count}`);
  const [year, month] = current.split('-').map(Number) as [number, number];
  const last = year * 12 + (month - 1);
  return Array.from({ length: count }, (_, index) => {
    const months = last - (count - 1 - index);
    return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}`;
  });
}
