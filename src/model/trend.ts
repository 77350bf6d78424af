import type { Level } from './content.js';
import type { TeamResult } from './scoring.js';

export type Direction = 'up' | 'down' | 'same';

export interface CapabilityTrend {
  direction: Direction;
  previous: Level;
}

/** Per capability, how this round's level compares with the previous round's, where both have one. */
export function trendBetween(current: TeamResult, previous: TeamResult | undefined): Map<string, CapabilityTrend> {
  const trends = new Map<string, CapabilityTrend>();
  if (current.status !== 'ready' || previous?.status !== 'ready') return trends;
  const before = new Map(previous.capabilities.map((score) => [score.capability.id, score.level]));
  for (const score of current.capabilities) {
    const earlier = before.get(score.capability.id);
    if (score.level === null || earlier === undefined || earlier === null) continue;
    trends.set(score.capability.id, {
      previous: earlier,
      direction: score.level > earlier ? 'up' : score.level < earlier ? 'down' : 'same',
    });
  }
  return trends;
}
