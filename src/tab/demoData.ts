import { cycle } from '../model/collections.js';
import { LEVELS, type MaturityModel } from '../model/content.js';
import type { Choice } from '../model/scoring.js';

/** Local mode serves one made-up team, so the dashboard can be tried without Teams or a tenant. */
export const DEMO_TEAM = { tenantId: 'local', scopeId: 'demo', name: 'Demo team' } as const;
/**
 * The Agents Playground's default user and tenant (its built-in configuration): in local mode, the personal view
 * shows this user's own assessment from their chat with the bot, unless the request names another (user, tenant).
 */
export const PLAYGROUND_USER = {
  tenantId: '00000000-0000-0000-0000-0000000000001',
  objectId: '00000000-0000-0000-0000-0000000000020',
} as const;
/** The local-mode viewer; one of the demo members, so "your answers" has something to show. */
export const DEMO_VIEWER = 'demo-you';
const DEMO_MEMBERS = [DEMO_VIEWER, 'demo-ana', 'demo-ben', 'demo-chloe', 'demo-dev'] as const;
/** Three rounds, oldest first, with 3, 4 and 5 members: the team grows and improves. */
export const DEMO_ROUNDS = 3;
/** Starting level index per capability (0 = 100 Initial), so the radar is not a circle. */
const BASES = [2, 0, 1, 1, 2, 0, 1, 2, 1] as const;
/**
 * Each member's offset from the base, so answers disagree a little. A cycle of seven for five members
 * means each capability sees a different window: some agree, some are two levels apart.
 */
const OFFSETS = [0, 0, -1, 0, 0, 0, 1] as const;

export interface DemoAnswer {
  memberId: string;
  capabilityId: string;
  choice: Choice;
}

/**
 * The demo answers for one round (`age` 0 = the current round, 2 = two months earlier). Deterministic,
 * so seeding twice records nothing new. In the current round the last capability has only two
 * answers, to show how a capability below the minimum is withheld.
 */
export function demoAnswers(model: MaturityModel, age: number): DemoAnswer[] {
  const step = DEMO_ROUNDS - 1 - age;
  const members = DEMO_MEMBERS.slice(0, 3 + step);
  const lastCapability = model.capabilities.length - 1;
  return members.flatMap((memberId, member) =>
    model.capabilities.map((capability, index) => {
      const notSure = age === 0 && index === lastCapability && lastCapability > 0 && member >= 2;
      const base = cycle(BASES, index);
      const offset = cycle(OFFSETS, member + index);
      // Half the capabilities improve a level in the second round, the other half in the third.
      const progress = (step >= 1 && index % 2 === 0 ? 1 : 0) + (step >= 2 && index % 2 === 1 ? 1 : 0);
      const level = cycle(LEVELS, Math.min(LEVELS.length - 1, Math.max(0, base + offset + progress)));
      return { memberId, capabilityId: capability.id, choice: notSure ? null : level };
    }),
  );
}
