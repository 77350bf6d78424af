import type { MaturityModel } from '../model/content.js';
import type { TeamResult } from '../model/scoring.js';

/** One round's team result, as the dashboard and the export both read it. */
export interface ScoredRound {
  round: string;
  result: TeamResult;
}

export const CSV_HEADER = ['round', 'capability', 'level', 'lowest', 'highest', 'respondents', 'status'] as const;

/**
 * One cell, RFC 4180 style: quoted when it holds a comma, quote or line break, quotes doubled.
 * Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading apostrophe.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The team aggregate per round and capability, oldest round first, capabilities in content order.
 * Withheld rounds and capabilities keep their row without levels, so a gap reads as a gap; no
 * member id or individual answer is ever part of a row.
 */
export function teamCsv(model: MaturityModel, rounds: readonly ScoredRound[]): string {
  const rows = rounds.flatMap(({ round, result }) =>
    model.capabilities.map((capability) => {
      if (result.status === 'withheld') {
        const status =
          result.respondents === 0 ? 'no answers' : `withheld: ${result.respondents} of ${result.minimum} people needed have answered`;
        return [round, capability.title, null, null, null, result.respondents, status];
      }
      const score = result.capabilities.find((entry) => entry.capability.id === capability.id);
      if (!score || score.respondents === 0) return [round, capability.title, null, null, null, 0, 'no answers'];
      if (score.level === null)
        return [round, capability.title, null, null, null, score.respondents, `withheld: fewer than ${result.minimum} answers`];
      return [round, capability.title, score.level, score.lowest, score.highest, score.respondents, 'shown'];
    }),
  );
  return csvText([CSV_HEADER, ...rows]);
}
