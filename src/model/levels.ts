import { LEVEL_NAMES, LEVELS, type Capability, type Level } from './content.js';

/** "▰▰▰▱▱ 300 Defined": a text bar reads the same in every Teams theme and never relies on colour. */
export function levelBar(level: Level | null): string {
  const filled = level === null ? 0 : LEVELS.indexOf(level) + 1;
  const bar = '▰'.repeat(filled) + '▱'.repeat(LEVELS.length - filled);
  return level === null ? bar : `${bar} ${levelName(level)}`;
}

export function levelName(level: Level): string {
  return `${level} ${LEVEL_NAMES[level]}`;
}

/**
 * A short fingerprint of what a question card offered. A card answered after its capability's wording
 * changed is stale: the answer might mean something else now, so it is refused and the question re-asked.
 */
export function capabilityVersion(capability: Capability): string {
  const text = JSON.stringify([capability.id, capability.levels.map((level) => [level.level, level.choice])]);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
