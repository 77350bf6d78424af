import { describe, expect, it } from 'vitest';
import type { Choice, MemberAnswers } from '../../src/model/scoring.js';
import { buildDashboard, scoreRounds, withheldReason } from '../../src/tab/dashboardView.js';
import { fixtureModel } from '../support/fixtures.js';
import { loadContent } from '../../src/content/loadContent.js';

const member = (memberId: string, choices: Record<string, Choice>): MemberAnswers => ({
  memberId,
  choices: new Map(Object.entries(choices)),
});
const model = fixtureModel(['alpha', 'beta', 'gamma']);

const rounds = [
  { round: '2026-08', members: [] },
  { round: '2026-09', members: [member('mia', { alpha: 100 }), member('noah', { alpha: 200 }), member('ola', { alpha: 100, beta: 100 })] },
  { round: '2026-10', members: [member('mia', { alpha: 300 })] },
  {
    round: '2026-11',
    members: [
      member('mia', { alpha: 300, beta: 200, gamma: 200 }),
      member('noah', { alpha: 400, beta: 200, gamma: null }),
      member('ola', { alpha: 200, beta: 300 }),
    ],
  },
];

describe('buildDashboard', () => {
  const view = buildDashboard(
    model,
    scoreRounds(model, rounds, 3),
    new Map<string, Choice>([
      ['alpha', 300],
      ['gamma', null],
    ]),
  );

  it('shows the current round: levels per capability with spread and a note, overall level and mean', () => {
    expect(view.round).toEqual({ id: '2026-11', label: 'November 2026' });
    expect(view.current).toMatchObject({ status: 'ready', respondents: 3, minimum: 3 });
    if (view.current.status !== 'ready') throw new Error('expected a result');
    expect(view.current.overall).toEqual({ level: 200, name: '200 Repeatable', mean: 250, basedOn: 2, setBy: ['Capability beta'] });
    expect(view.current.capabilities[0]).toMatchObject({
      id: 'alpha',
      level: 300,
      name: '300 Defined',
      lowest: 200,
      highest: 400,
      respondents: 3,
      note: 'Answers from 200 to 400: worth a conversation',
    });
    expect(view.current.capabilities[2]).toMatchObject({
      id: 'gamma',
      level: null,
      withheld: true,
      respondents: 1,
      note: '1 answer so far; 3 needed to show a level',
    });
  });

  it('tracks every round: overall level, levels per capability, respondents, and why a round has none', () => {
    expect(view.trend.map((point) => [point.round, point.status, point.respondents, point.overall])).toEqual([
      ['2026-08', 'empty', 0, null],
      ['2026-09', 'ready', 3, 100],
      ['2026-10', 'withheld', 1, null],
      ['2026-11', 'ready', 3, 200],
    ]);
    expect(view.trend[1]!.levels).toEqual({ alpha: 100, beta: null, gamma: null });
    expect(view.trend[3]!.levels).toEqual({ alpha: 300, beta: 200, gamma: null });
    expect(view.trend[2]!.label).toBe('October 2026');
  });

  it('lists next best actions weakest first, with the next level and its links', () => {
    expect(view.nextActions.map((action) => [action.capabilityId, action.from, action.to])).toEqual([
      ['beta', 200, 300],
      ['alpha', 300, 400],
    ]);
    expect(view.nextActions[0]).toMatchObject({
      toName: '300 Defined',
      text: 'beta state 300',
      links: [{ title: 'beta 300', url: 'https://learn.microsoft.com/beta/300' }],
    });
    expect(view.opportunities).toEqual({
      heading: 'Opportunities at Repeatable',
      note: '',
      items: [{ text: 'Opportunity at 200', links: [] }],
    });
  });

  it("puts the viewer's own answers beside the team's level", () => {
    expect(view.you).toEqual([
      { capabilityId: 'alpha', title: 'Capability alpha', team: 300, teamLabel: '300 Defined', yours: 300, yoursLabel: '300 Defined' },
      {
        capabilityId: 'beta',
        title: 'Capability beta',
        team: 200,
        teamLabel: '200 Repeatable',
        yours: null,
        yoursLabel: 'Not answered yet',
      },
      { capabilityId: 'gamma', title: 'Capability gamma', team: null, teamLabel: 'Withheld', yours: null, yoursLabel: 'Not sure' },
    ]);
  });

  it('carries no member id and no one else’s answers', () => {
    const json = JSON.stringify(view);
    for (const id of ['mia', 'noah', 'ola']) expect(json).not.toContain(id);
  });

  it('withholds everything but the count below the minimum, and says why', () => {
    const withheld = buildDashboard(model, scoreRounds(model, [rounds[2]!], 3), new Map());
    expect(withheld.current).toEqual({ status: 'withheld', respondents: 1, minimum: 3, reason: withheldReason(1, 3) });
    expect(withheld.current.status === 'withheld' && withheld.current.reason).toMatch(/once 3 people have answered — 1 so far/);
    expect(withheld.nextActions).toEqual([]);
    expect(withheld.opportunities.items).toEqual([]);
    expect(withheld.you.every((row) => row.team === null && row.teamLabel === 'Withheld')).toBe(true);
  });

  it('ranks next actions by the gap to the CoE target first', () => {
    const targets = new Map([['alpha', 500 as const]]);
    const withTargets = buildDashboard(model, scoreRounds(model, [rounds[3]!], 3, targets), new Map());
    expect(withTargets.nextActions.map((action) => action.capabilityId)).toEqual(['alpha', 'beta']);
  });
});

describe('buildDashboard on the real content', () => {
  const content = loadContent('content');
  const everyone = (id: string, level: 100 | 200 | 300 | 400) => {
    const model = content.models[id as 'adoption'];
    const choices = Object.fromEntries(model.capabilities.map((capability) => [capability.id, level as Choice]));
    return { model, members: ['a', 'b', 'c'].map((name) => member(name, choices)) };
  };

  it.each([100, 200, 300, 400] as const)(
    'sends every opportunity of the overall level (adoption at %i), and a link with every next step',
    (level) => {
      const { model, members } = everyone('adoption', level);
      const view = buildDashboard(model, scoreRounds(model, [{ round: '2026-11', members }], 3), new Map());
      const expected = model.levels.find((entry) => entry.level === level)!.opportunities.map((item) => item.text);
      expect(view.opportunities.items.map((item) => item.text)).toEqual(expected);
      expect(view.nextActions.length).toBeGreaterThan(0);
      for (const action of view.nextActions) expect(action.links.length, action.capabilityId).toBeGreaterThan(0);
    },
  );

  it("says the support model's opportunities are our suggestions", () => {
    const { model, members } = everyone('support', 200);
    const view = buildDashboard(model, scoreRounds(model, [{ round: '2026-11', members }], 3), new Map());
    expect(view.opportunities.note).toBe(model.opportunitiesNote);
  });
});
