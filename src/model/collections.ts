/** Items grouped by key, in first-seen order of keys and original order within a group. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Round-robin over the groups: a1 b1 c1 a2 b2 c2 … */
export function interleave<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const queues = [...groupBy(items, keyOf).values()];
  const longest = Math.max(0, ...queues.map((queue) => queue.length));
  return Array.from({ length: longest }, (_, index) => queues.flatMap((queue) => queue.slice(index, index + 1))).flat();
}

/**
 * A lookup that content validation at start-up guarantees (content/ is checked by contentRules.ts before the bot
 * serves anyone): a miss is a bug, said with what was missing rather than as a later "undefined" error.
 */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing from the content, though start-up validated it: a bug to report`);
  return value;
}

/** The item at `index`, counting round and round: for made-up data that cycles through a few patterns. */
export function cycle<T>(items: readonly [T, ...T[]], index: number): T {
  return items[((index % items.length) + items.length) % items.length] ?? items[0];
}
