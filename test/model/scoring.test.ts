import { describe, expect, it } from 'vitest';
import type { Level } from '../../src/model/content.js';
import { medianLevel, nextActions, scoreMember, scoreTeam, type Choice, type MemberAnswers } from '../../src/model/scoring.js';
import { fixtureModel } from '../support/fixtures.js';

const model = fixtureModel();
const member = (memberId: string, choices: Record<string, Choice>): MemberAnswers => ({
  memberId,
  choices: new Map(Object.entries(choices)),
});

describe('medianLevel', () => {
  it('takes the middle level of an odd number of answers', () => {
    expect(medianLevel([100, 500, 300])).toBe(300);
  });
  it('rounds a tie between two middle levels down to a whole level', () => {
    expect(medianLevel([200, 300])).toBe(200);
    expect(medianLevel([100, 200, 400, 500])).toBe(300);
    expect(medianLevel([400, 500])).toBe(400);
  });
  it('has no level for no answers', () => {
    expect(medianLevel([])).toBeNull();
  });
});

describe('scoreTeam', () => {
  it('withholds a team result below the minimum respondents, saying how many answered', () => {
    const result = scoreTeam(model, [member('a', { alpha: 300 }), member('b', { alpha: 200 })], 3);
    expect(result).toEqual({ status: 'withheld', respondents: 2, minimum: 3 });
  });

  it('withholds an empty team', () => {
    expect(scoreTeam(model, [], 3)).toEqual({ status: 'withheld', respondents: 0, minimum: 3 });
  });

  it('does not count "Not sure" as an answer, neither for the level nor for respondents', () => {
    const members = [
      member('a', { alpha: 300, beta: null }),
      member('b', { alpha: 300, beta: 500 }),
      member('c', { alpha: 100, beta: 500 }),
      member('d', { alpha: null, beta: null }),
    ];
    const withheld = scoreTeam(model, members.slice(0, 2).concat(members[3]!), 3);
    expect(withheld).toMatchObject({ status: 'withheld', respondents: 2 });

    const result = scoreTeam(model, members, 2);
    if (result.status !== 'ready') throw new Error('expected a result');
    expect(result.respondents).toBe(3);
    const [alpha, beta] = result.capabilities;
    expect(alpha).toMatchObject({ level: 300, respondents: 3, lowest: 100, highest: 300, withheld: false });
    expect(beta).toMatchObject({ level: 500, respondents: 2, lowest: 500, highest: 500 });
  });

  it('withholds a single capability answered by fewer than the minimum, even when the team has enough', () => {
    const members = [member('a', { alpha: 200, beta: 400 }), member('b', { alpha: 200 }), member('c', { alpha: 300 })];
    const result = scoreTeam(model, members, 3);
    if (result.status !== 'ready') throw new Error('expected a result');
    expect(result.capabilities[1]).toMatchObject({ level: null, lowest: null, highest: null, respondents: 1, withheld: true });
    expect(result.capabilities[2]).toMatchObject({ level: null, respondents: 0, withheld: false });
  });

  it('sets the overall level to the weakest capability, with the mean beside it', () => {
    const members = ['a', 'b', 'c'].map((id) => member(id, { alpha: 200, beta: 400, gamma: 300 }));
    const result = scoreTeam(model, members, 3);
    if (result.status !== 'ready') throw new Error('expected a result');
    expect(result.overall).toEqual({ level: 200, mean: 300, basedOn: 3 });
    expect(result.opportunities.map((o) => o.text)).toEqual(['Opportunity at 200']);
  });

  it('ranks next best actions weakest capability first, with what the next level asks for', () => {
    const members = ['a', 'b', 'c'].map((id) => member(id, { alpha: 400, beta: 100, gamma: 500 }));
    const result = scoreTeam(model, members, 3);
    if (result.status !== 'ready') throw new Error('expected a result');
    expect(result.nextActions.map((a) => [a.capability.id, a.next.level])).toEqual([
      ['beta', 200],
      ['alpha', 500],
    ]);
    expect(result.nextActions[0]!.next.indicators[0]!.links[0]).toMatchObject({ url: 'https://learn.microsoft.com/beta/200' });
  });
});

describe('nextActions with targets', () => {
  it('favours the largest gap to target and drops capabilities already at target', () => {
    const members = ['a', 'b', 'c'].map((id) => member(id, { alpha: 100, beta: 200, gamma: 300 }));
    const result = scoreTeam(model, members, 3);
    if (result.status !== 'ready') throw new Error('expected a result');
    const targets = new Map<string, Level>([
      ['alpha', 100],
      ['gamma', 500],
      ['beta', 300],
    ]);
    expect(nextActions(result.capabilities, targets).map((a) => [a.capability.id, a.gap])).toEqual([
      ['gamma', 2],
      ['beta', 1],
    ]);
  });
});

describe('scoreMember', () => {
  it('shows a single member their own levels without a respondent minimum', () => {
    const result = scoreMember(model, member('solo', { alpha: 300, beta: null }));
    expect(result.respondents).toBe(1);
    expect(result.capabilities.map((c) => c.level)).toEqual([300, null, null]);
    expect(result.overall).toEqual({ level: 300, mean: 300, basedOn: 1 });
  });
});
