import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { isLevel, MODEL_IDS } from '../../src/model/content.js';
import { scoreTeam, type Choice, type MemberAnswers } from '../../src/model/scoring.js';
import { DEMO_VIEWER, demoAnswers } from '../../src/tab/demoData.js';

const content = loadContent(path.resolve('content'));

function asMembers(answers: ReturnType<typeof demoAnswers>): MemberAnswers[] {
  const byMember = new Map<string, Map<string, Choice>>();
  for (const answer of answers)
    byMember.set(answer.memberId, (byMember.get(answer.memberId) ?? new Map()).set(answer.capabilityId, answer.choice));
  return [...byMember].map(([memberId, choices]) => ({ memberId, choices }));
}

describe('demoAnswers', () => {
  it.each(MODEL_IDS)('gives the %s demo team 3, 4 and 5 members over three rounds, the viewer among them', (modelId) => {
    const model = content.models[modelId];
    const members = [2, 1, 0].map((age) => asMembers(demoAnswers(model, age)));
    expect(members.map((round) => round.length)).toEqual([3, 4, 5]);
    for (const round of members) expect(round.map((member) => member.memberId)).toContain(DEMO_VIEWER);
    for (const answer of [0, 1, 2].flatMap((age) => demoAnswers(model, age)))
      expect(answer.choice === null || isLevel(answer.choice)).toBe(true);
  });

  it('is the same every time, so seeding twice records nothing new', () => {
    const model = content.models.adoption;
    expect(demoAnswers(model, 0)).toEqual(demoAnswers(model, 0));
  });

  it('shows a result every round, and withholds the last capability this round (two answers)', () => {
    const model = content.models.adoption;
    for (const age of [0, 1, 2]) expect(scoreTeam(model, asMembers(demoAnswers(model, age)), 3).status).toBe('ready');
    const current = scoreTeam(model, asMembers(demoAnswers(model, 0)), 3);
    if (current.status !== 'ready') throw new Error('expected a result');
    expect(current.capabilities.at(-1)).toMatchObject({ withheld: true, respondents: 2, level: null });
  });
});
