import type { MaturityModel } from '../model/content.js';
import type { TeamResult } from '../model/scoring.js';
import { csvText } from '../model/csv.js';

export { csvCell, csvText } from '../model/csv.js';

/** One round's team result, as the dashboard and the export both read it. */
export interface ScoredRound {
  round: string;
  result: TeamResult;
}

export const CSV_HEADER = ['round', 'capability', 'level', 'lowest', 'highest', 'respondents', 'status'] as const;

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
