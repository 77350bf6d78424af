import { describe, expect, it } from 'vitest';
import { LEVELS, type Level } from '../../src/model/content.js';
import { orgCsv } from '../../src/model/orgCsv.js';
import {
  applyMinimum,
  buildRollup,
  orgFigures,
  summariseTeam,
  teamsByGap,
  type DatedMemberAnswers,
  type TeamRow,
} from '../../src/model/orgRollup.js';
import type { Choice } from '../../src/model/scoring.js';
import { fixtureModel } from '../support/fixtures.js';

const model = fixtureModel(['alpha', 'beta', 'gamma']);
const MIN = 3;
const ROUND = '2026-11';

/** A member's answers, given at `minute` past 09:00 on 10 November. */
function member(memberId: string, levels: Record<string, Choice>, minute = 0): DatedMemberAnswers {
  const at = new Date(Date.UTC(2026, 10, 10, 9, minute)).toISOString();
  return {
    memberId,
    choices: new Map(Object.entries(levels)),
    answeredAt: new Map(Object.keys(levels).map((id) => [id, at])),
  };
}

const all = (level: Choice) => ({ alpha: level, beta: level, gamma: level });
const noCoe = () => false;

function team(scopeId: string, name: string, members: DatedMemberAnswers[], isCoe: (id: string) => boolean = noCoe): TeamRow {
  return { scopeId, name, summary: summariseTeam(model, members, isCoe, MIN) };
}

const rollupOf = (rows: TeamRow[], targets: ReadonlyMap<string, Level>) =>
  buildRollup(model, ROUND, rows, MIN, targets, orgFigures(model, ROUND, rows, MIN));

describe('summariseTeam', () => {
  it('keeps nothing of a team below the minimum, not even how many answered', () => {
    const summary = summariseTeam(model, [member('a', all(100)), member('b', all(500))], noCoe, MIN);
    expect(summary).toEqual({ status: 'withheld' });
  });

  it('keeps only cells the team shows, and only the answers inside them', () => {
    const summary = summariseTeam(
      model,
      [
        member('a', { alpha: 200, beta: 300, gamma: null }),
        member('b', { alpha: 300, beta: null, gamma: 500 }),
        member('c', { alpha: 400, beta: 300 }),
        member('d', { alpha: null, beta: 100 }),
        // Not sure everywhere is not a response.
        member('e', all(null)),
      ],
      (id) => id === 'a',
      MIN,
    );
    expect(summary.status).toBe('shown');
    if (summary.status !== 'shown') return;
    expect(summary.respondents).toBe(4);
    expect([...summary.cells.keys()]).toEqual(['alpha', 'beta']);
    expect(summary.cells.get('alpha')).toEqual({ level: 300, lowest: 200, highest: 400, respondents: 3 });
    // gamma has one answer: it is in no cell, so in no contribution.
    expect(summary.contributions.flatMap((entry) => [...entry.answers.keys()])).not.toContain('gamma');
    expect(summary.contributions.map((entry) => [entry.who, entry.coe])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
      ['d', false],
    ]);
  });
});

describe('orgFigures', () => {
  it('counts each person once, with the answer they gave last, across every team', () => {
    const rows = [
      team('t1', 'Finance', [member('p', all(100), 1), member('q', all(200)), member('r', all(200))]),
      team('t2', 'Sales', [member('p', all(500), 30), member('s', all(300)), member('t', all(300))]),
    ];
    const figures = orgFigures(model, ROUND, rows, MIN);
    expect(figures.respondents).toBe(5);
    expect(figures.teams).toEqual({ shown: 2, withheld: 0 });
    const alpha = figures.capabilities.find((entry) => entry.capabilityId === 'alpha')!;
    // p counts once, at 500 (given later in Sales): 200, 200, 300, 300, 500.
    expect(alpha.figure).toEqual({ level: 300, mean: 300, lowest: 200, highest: 500, respondents: 5, distribution: [0, 2, 2, 0, 1] });
    expect(alpha.teams).toBe(2);
    expect(figures.overall).toEqual({ level: 300, mean: 300, basedOn: 3 });
  });

  it('shows the perception gap only where both CoE admins and everyone else reach the minimum', () => {
    const coe = new Set(['c1', 'c2', 'c3']);
    const rows = [
      team(
        't1',
        'CoE',
        [member('c1', { alpha: 400, beta: 400 }), member('c2', { alpha: 400, beta: 300 }), member('c3', { alpha: 500, beta: null })],
        (id) => coe.has(id),
      ),
      team('t2', 'Makers', [member('m1', all(200)), member('m2', all(200)), member('m3', all(100))]),
    ];
    const figures = orgFigures(model, ROUND, rows, MIN);
    const alpha = figures.perception.find((entry) => entry.capabilityId === 'alpha')!;
    expect(alpha.status).toBe('shown');
    if (alpha.status === 'shown') {
      expect([alpha.coe.level, alpha.coe.mean, alpha.others.level, alpha.others.mean]).toEqual([400, 433, 200, 167]);
      expect(alpha.gap).toBe(2.7);
    }
    // beta: the CoE team shows no beta cell at all (two answers), so no CoE group; gamma: no CoE answers.
    expect(figures.perception.filter((entry) => entry.status === 'withheld').map((entry) => entry.capabilityId)).toEqual(['beta', 'gamma']);
  });
});

describe('privacy: a withheld team cannot be recovered from the organisation figures', () => {
  /**
   * The attacker's view: every figure of the roll-up and the whole CSV, except that the withheld team's row
   * names it (it says "not enough answers", and nothing else). If two worlds in which the small team answered
   * differently give the attacker the same view, nothing they compute from it (differences, sums, medians
   * before and after) can tell the small team's levels.
   */
  function attackerView(rows: TeamRow[], targets = new Map<string, Level>()) {
    const rollup = rollupOf(rows, targets);
    return { rollup: JSON.stringify(rollup, (_key, value) => (value instanceof Map ? [...value] : value)), csv: orgCsv(model, rollup, []) };
  }

  const shownTeams = (extra: DatedMemberAnswers[] = []) => [
    team('t1', 'Finance', [member('a', all(200)), member('b', all(300)), member('c', all(300)), ...extra]),
    team('t2', 'Sales', [member('d', all(100)), member('e', all(400)), member('f', all(200))]),
  ];

  it('gives the same figures whatever a team below the minimum answered', () => {
    const views = LEVELS.flatMap((one) =>
      LEVELS.map((two) => attackerView([...shownTeams(), team('t3', 'Legal', [member('x', all(one)), member('y', all(two))])])),
    );
    for (const view of views) expect(view).toEqual(views[0]);
  });

  it('gives the same figures whatever its members answered, when they also answer, earlier, in a shown team', () => {
    // x answers in Finance at 09:00, then in the two-person Legal team at 09:30: the later answer must not count.
    const views = LEVELS.map((level) =>
      attackerView([
        ...shownTeams([member('x', all(200), 0)]),
        team('t3', 'Legal', [member('x', all(level), 30), member('y', all(level), 30)]),
      ]),
    );
    for (const view of views) expect(view).toEqual(views[0]);
  });

  it('gives the same figures whatever a shown team answered in a capability fewer than the minimum answered', () => {
    const views = LEVELS.map((level) =>
      attackerView(
        [
          ...shownTeams(),
          team('t4', 'Ops', [
            member('g', { alpha: 300, beta: 300, gamma: level }),
            member('h', { alpha: 300, beta: 200, gamma: level }),
            member('i', { alpha: 400, beta: 200, gamma: null }),
          ]),
        ],
        new Map([['gamma', 400]]),
      ),
    );
    for (const view of views) expect(view).toEqual(views[0]);
  });

  it('gives the same figures with or without the small team, apart from its own "not enough answers" row', () => {
    const without = rollupOf(shownTeams(), new Map());
    const withSmall = rollupOf([...shownTeams(), team('t3', 'Legal', [member('x', all(100)), member('y', all(100))])], new Map());
    expect(withSmall.heatMap.find((row) => row.name === 'Legal')).toEqual({ scopeId: 't3', name: 'Legal', status: 'withheld' });
    expect(withSmall.figures).toEqual({ ...without.figures, teams: { shown: 2, withheld: 1 } });
    expect(withSmall.actFirst).toEqual(without.actFirst);
    // The sum of what the shown teams report accounts for every organisation answer: there is no remainder to attribute.
    const alpha = withSmall.figures.capabilities.find((entry) => entry.capabilityId === 'alpha')!.figure!;
    const shownCells = withSmall.heatMap.flatMap((row) => (row.status === 'shown' ? [row.cells.get('alpha')!] : []));
    expect(alpha.respondents).toBe(shownCells.reduce((sum, cell) => sum + cell.respondents, 0));
  });
});

describe('applyMinimum', () => {
  it('withholds what a higher minimum no longer allows, in summaries stored under a lower one', () => {
    const summary = summariseTeam(
      model,
      [member('a', { alpha: 200, beta: 300 }), member('b', { alpha: 300 }), member('c', { alpha: 300 })],
      noCoe,
      2,
    );
    expect(applyMinimum(summary, 3)).toMatchObject({
      status: 'shown',
      cells: new Map([['alpha', { level: 300, lowest: 200, highest: 300, respondents: 3 }]]),
    });
    expect(applyMinimum(summary, 4)).toEqual({ status: 'withheld' });
  });
});

describe('buildRollup: where to act first', () => {
  const rows = [
    team('t1', 'Finance', [
      member('a', { alpha: 100, beta: 300 }),
      member('b', { alpha: 100, beta: 300 }),
      member('c', { alpha: 200, beta: 300 }),
    ]),
    team('t2', 'Sales', [
      member('d', { alpha: 200, beta: 100 }),
      member('e', { alpha: 300, beta: 100 }),
      member('f', { alpha: 200, beta: 200 }),
    ]),
    team('t3', 'HR', [
      member('g', { alpha: 300, beta: 400 }),
      member('h', { alpha: 400, beta: 400 }),
      member('i', { alpha: 300, beta: 400 }),
    ]),
    team('t4', 'Legal', [member('j', all(100))]),
  ];

  it('names the teams furthest below the target per capability, and the capabilities most teams are stuck on', () => {
    const rollup = rollupOf(rows, new Map<string, Level>([['alpha', 400]]));
    const alpha = rollup.actFirst.teamsBehind.find((entry) => entry.capabilityId === 'alpha')!;
    expect(alpha.reference).toEqual({ capabilityId: 'alpha', level: 400, kind: 'target' });
    expect(alpha.teams.map((entry) => [entry.name, entry.level, entry.gap])).toEqual([
      ['Finance', 100, 3],
      ['Sales', 200, 2],
      ['HR', 300, 1],
    ]);
    // beta has no target: teams are measured against the organisation's own level (median of 9 answers: 300).
    const beta = rollup.actFirst.teamsBehind.find((entry) => entry.capabilityId === 'beta')!;
    expect(beta.reference).toEqual({ capabilityId: 'beta', level: 300, kind: 'organisation' });
    expect(beta.teams.map((entry) => entry.name)).toEqual(['Sales']);
    expect(rollup.actFirst.stuck.map((entry) => [entry.capabilityId, entry.below, entry.holdsBack, entry.teams])).toEqual([
      ['alpha', 3, 2, 3],
      ['beta', 1, 1, 3],
    ]);
    // Sales: 2 levels below on alpha and 2 on beta; Finance: 3 on alpha.
    expect(teamsByGap(rollup.heatMap).map((row) => row.name)).toEqual(['Sales', 'Finance', 'HR', 'Legal']);
    expect(rollup.heatMap.map((row) => row.name)).toEqual(['Finance', 'HR', 'Legal', 'Sales']);
  });
});

describe('orgCsv', () => {
  it('has every section, no person ids, and no numbers on a withheld team', () => {
    const rows = [
      team(
        't1',
        '=Ops, Finance',
        [member('member-a', all(200)), member('member-b', all(300)), member('member-c', all(300))],
        (id) => id === 'member-a',
      ),
      team('t2', 'Legal', [member('member-x', all(100))]),
    ];
    const rollup = rollupOf(rows, new Map<string, Level>([['alpha', 400]]));
    const csv = orgCsv(model, rollup, [orgFigures(model, '2026-10', [], MIN), rollup.figures]);
    expect(csv).not.toMatch(/member-/);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,round,team,capability,group,level,mean,lowest,highest,respondents,teams,target,gap,status');
    expect(lines).toContain('heat map,2026-11,Legal,Overall,,,,,,,,,,not enough answers');
    expect(lines).toContain(`heat map,2026-11,"'=Ops, Finance",Capability alpha,,300,,200,300,3,,400,1,shown`);
    expect(lines).toContain('organisation,2026-11,,Capability alpha,,300,267,200,300,3,1,400,1,shown');
    expect(lines).toContain('trend,2026-10,,Capability alpha,,,,,,,0,,,not enough answers');
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(
      new Set(['organisation', 'heat map', 'perception gap', 'act first: teams behind', 'act first: where teams are stuck', 'trend']),
    );
  });
});

describe('privacy under attack: random organisations, each with a team or a capability below the minimum', () => {
  /** A small seeded generator (mulberry32), so a failure names its organisation and can be replayed. */
  function random(seed: number) {
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (below: number) => Math.floor(next() * below);
    const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
    return { int, pick, chance: (p: number) => next() < p };
  }

  const CAPABILITIES = ['alpha', 'beta', 'gamma'];
  const CHOICES: readonly Choice[] = [...LEVELS, null];
  const POOL = Array.from({ length: 14 }, (_, index) => `person-${index}`);

  interface World {
    rows: TeamRow[];
    trend: TeamRow[][];
    victim: string;
  }

  /**
   * One organisation: shown teams whose people overlap (some CoE admins, some answering in two teams, at random
   * minutes), and a victim: a team with fewer than the minimum, or a shown team one of whose capabilities fewer than
   * the minimum answered. `answers` decides what the victim's people chose there; everything else is fixed by the seed.
   */
  function organisation(seed: number, minimum: number, answers: (person: string, capability: string) => Choice) {
    const r = random(seed);
    const coe = new Set(POOL.filter(() => r.chance(0.3)));
    const isCoe = (id: string) => coe.has(id);
    const people = (count: number) => [...POOL].sort(() => r.int(3) - 1).slice(0, count);
    const shown = Array.from({ length: 1 + r.int(4) }, (_, index) => {
      const members = people(minimum + r.int(4)).map((id) =>
        member(
          id,
          Object.fromEntries(CAPABILITIES.map((capability) => [capability, r.chance(0.8) ? r.pick(LEVELS) : r.pick(CHOICES)])),
          r.int(60),
        ),
      );
      return { scopeId: `t${index}`, name: `Team ${index}`, members };
    });
    const thin = r.chance(0.4);
    const victimPeople = people(thin ? minimum : 1 + r.int(minimum - 1));
    const thinCapability = r.pick(CAPABILITIES);
    const thinCount = r.int(minimum);
    const victimMembers = victimPeople.map((id, index) => {
      const levels: Record<string, Choice> = {};
      for (const capability of CAPABILITIES) {
        // A thin capability: only thinCount of the team (fewer than the minimum) answered it.
        if (thin && capability !== thinCapability) levels[capability] = r.pick(LEVELS);
        else if (!thin || index < thinCount) levels[capability] = answers(id, capability);
      }
      return member(id, levels, r.int(60));
    });
    const victim = { scopeId: 'victim', name: 'Victim team', members: victimMembers };
    const summarise = (team: { scopeId: string; name: string; members: DatedMemberAnswers[] }): TeamRow => ({
      scopeId: team.scopeId,
      name: team.name,
      summary: summariseTeam(model, team.members, isCoe, minimum),
    });
    const rows = [...shown.map(summarise), summarise(victim)];
    // The victim answered the same way in an earlier month too: the trend must not give it away either.
    return {
      rows,
      trend: [rows, rows.slice(0, -1)],
      victim: thin ? `${thinCapability} of a shown team` : `${victimPeople.length}-person team`,
    };
  }

  function view(world: World, minimum: number, targets: Map<string, Level>) {
    const rollup = buildRollup(model, ROUND, world.rows, minimum, targets, orgFigures(model, ROUND, world.rows, minimum));
    const trend = world.trend.map((rows, index) => orgFigures(model, `2026-0${index + 8}`, rows, minimum));
    return JSON.stringify({ rollup, csv: orgCsv(model, rollup, trend) }, (_key, value: unknown) =>
      value instanceof Map ? [...value] : value,
    );
  }

  it('gives the attacker the same roll-up, CSV and trend whatever the victim chose, in 200 organisations', () => {
    let thin = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const minimum = 2 + (seed % 3);
      const targets = new Map<string, Level>(seed % 2 === 0 ? [['alpha', 400]] : []);
      const views = new Set<string>();
      let victim = '';
      // Every victim person choosing the same level, each level in turn, then "not sure", then mixed choices.
      const strategies: ((person: string, capability: string) => Choice)[] = [
        ...CHOICES.map((level) => () => level),
        (person, capability) => LEVELS[(person.length + capability.length + seed) % LEVELS.length]!,
        (person) => (person.endsWith('1') ? 500 : 100),
      ];
      for (const answers of strategies) {
        const world = organisation(seed, minimum, answers);
        victim = world.victim;
        views.add(view(world, minimum, targets));
      }
      if (victim.includes('shown team')) thin += 1;
      expect(views.size, `seed ${seed}, minimum ${minimum}, victim: ${victim}`).toBe(1);
    }
    // Both kinds of victim were tried, many times over.
    expect(thin).toBeGreaterThan(40);
    expect(200 - thin).toBeGreaterThan(40);
  });
});
