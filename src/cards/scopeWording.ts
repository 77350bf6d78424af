import { wordedForScope, type Scope } from '../model/commands.js';
import type { AdaptiveCard } from './templates.js';

/**
 * A reply (words or a card) as it must read in a scope: in a channel or group chat, every "type **command**" on it
 * says to @mention the bot (wordedForScope). Cards are copied, never changed in place.
 */
export function replyForScope<T extends string | AdaptiveCard>(reply: T, scope: Scope): T {
  if (scope === 'personal') return reply;
  if (typeof reply === 'string') return wordedForScope(reply, scope) as T;
  return reword(reply, scope) as T;
}

/** The words a member reads on a card are its "text" values (TextBlock, TextRun). */
function reword(node: unknown, scope: Scope): unknown {
  if (Array.isArray(node)) return node.map((child) => reword(child, scope));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === 'text' && typeof value === 'string' ? wordedForScope(value, scope) : reword(value, scope),
    ]),
  );
}
