import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { decide, decideTier, TierFactsError } from '../../src/model/supportTier.js';

const { tiers } = loadContent(path.resolve('content')).support;
const pick = (criterion: string, index: number) => tiers.criteria.find((candidate) => candidate.id === criterion)!.choices[index]!.id;
/** Every criterion answered at one tier (0 Productivity, 1 Important, 2 Critical), nothing escalated. */
const all = (index: number, overrides: Record<string, number> = {}) => ({
  choices: Object.fromEntries(tiers.criteria.map((criterion) => [criterion.id, pick(criterion.id, overrides[criterion.id] ?? index)])),
  escalators: { 'external-users': false, 'sensitive-data': false },
});

describe('the tier rule as the sources give it (§3.3)', () => {
  it('is decided by business impact and user base by default', () => {
    expect(tiers.rule.decidedBy).toEqual(['business-impact', 'user-base']);
  });

  it('takes the higher of business impact and user base, and says they disagreed', () => {
    const decision = decideTier(tiers, all(0, { 'user-base': 1 }));
    expect(decision.tier.id).toBe('important');
    expect(decision.mixed).toBe(true);
    expect(decision.decisive.map((reason) => reason.label)).toEqual(['Who uses it?']);
  });

  it('shows complexity, build time and purpose as considerations, never as lifts', () => {
    const decision = decideTier(tiers, all(0, { complexity: 2, 'development-time': 2, 'use-case': 1 }));
    expect(decision.tier.id).toBe('productivity');
    expect(decision.mixed).toBe(false);
    expect(decision.considerations.map((reason) => reason.label)).toEqual([
      'What is it for?',
      'How complex is the process it handles?',
      'How long does it take to build?',
    ]);
  });

  it('lifts to the escalator minimum for external users or sensitive data (this project guidance)', () => {
    const decision = decideTier(tiers, { ...all(0), escalators: { 'external-users': true, 'sensitive-data': false } });
    expect(decision.tier.id).toBe('important');
    expect(decision.lifted).toHaveLength(1);
    expect(decision.decisive).toEqual(decision.lifted);
    expect(tiers.rule.escalatorNote).toMatch(/this project's guidance, not Microsoft's/);
  });

  it('does not lower a tier that is already higher than an escalator', () => {
    const decision = decideTier(tiers, { ...all(2), escalators: { 'external-users': true, 'sensitive-data': true } });
    expect(decision.tier.id).toBe('critical');
    expect(decision.lifted).toEqual([]);
  });

  it('requires every answer on the form, naming each missing one', () => {
    const { choices, escalators } = all(0);
    const { complexity: _left, ...rest } = choices;
    expect(() => decideTier(tiers, { choices: rest, escalators })).toThrow(TierFactsError);
  });

  it('decides from partial facts (a typed question) and names the deciding criteria nobody gave', () => {
    const decision = decide(tiers, { choices: { 'user-base': pick('user-base', 2) }, escalators: {} }, { 'user-base': '8,000 staff' })!;
    expect(decision.tier.id).toBe('critical');
    expect(decision.decisive[0]!.evidence).toBe('8,000 staff');
    expect(decision.missing).toEqual(['How much would the business suffer if it stopped working?']);
    expect(decide(tiers, { choices: { complexity: pick('complexity', 2) }, escalators: {} })).toBeUndefined();
  });

  it('follows an organisation matrix that lets complexity decide too', () => {
    const organisation = { ...tiers, rule: { ...tiers.rule, decidedBy: [...tiers.rule.decidedBy, 'complexity'] } };
    expect(decideTier(organisation, all(0, { complexity: 2 })).tier.id).toBe('critical');
    expect(decideTier(tiers, all(0, { complexity: 2 })).tier.id).toBe('productivity');
  });
});
