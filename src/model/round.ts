/** Assessment rounds are calendar months ("2026-11"): answers given in a month form that month's round. */
export function roundOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function isRound(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** Months since year 0 of a round ("2026-11" → 2026 × 12 + 10), so month arithmetic needs no calendar. */
const monthsOf = (round: string): number => Number(round.slice(0, 4)) * 12 + (Number(round.slice(5, 7)) - 1);
const roundAt = (months: number): string => `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}`;

/** "November 2026". */
export function roundLabel(round: string): string {
  const months = monthsOf(round);
  return new Date(Date.UTC(Math.floor(months / 12), months % 12, 1)).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The `count` monthly rounds that end with `current`, oldest first: recentRounds("2026-02", 3) is
 * ["2025-12", "2026-01", "2026-02"]. Month arithmetic on the round id alone, so no time zone can shift it.
 */
export function recentRounds(current: string, count: number): string[] {
  checkRound(current);
  if (!Number.isInteger(count) || count < 1) throw new Error(`A trend needs at least one round, got ${count}`);
  const last = monthsOf(current);
  return Array.from({ length: count }, (_, index) => roundAt(last - (count - 1 - index)));
}

/** The round before "2026-01" is "2025-12". */
export function previousRound(round: string): string {
  checkRound(round);
  return roundAt(monthsOf(round) - 1);
}

function checkRound(round: string): void {
  if (!isRound(round)) throw new Error(`"${round}" is not a round; rounds look like "2026-11"`);
}
