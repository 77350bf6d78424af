/** Assessment rounds are calendar months ("2026-11"): answers given in a month form that month's round. */
export function roundOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function isRound(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** "November 2026". */
export function roundLabel(round: string): string {
  const [year, month] = round.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

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

/** The round before "2026-01" is "2025-12". */
export function previousRound(round: string): string {
  return recentRounds(round, 2)[0]!;
}
