import { LEVELS, LEVEL_NAMES, type Capability, type MaturityModel } from '../../src/model/content.js';

/** A small model with the real shape, for tests that must not depend on the wording of content/. */
export function fixtureModel(capabilityIds: readonly string[] = ['alpha', 'beta', 'gamma']): MaturityModel {
  const capability = (id: string): Capability => ({
    id,
    title: `Capability ${id}`,
    pillar: 'strategy',
    learnMore: { title: `About ${id}`, url: `https://learn.microsoft.com/${id}` },
    levels: LEVELS.map((level) => ({
      level,
      choice: `${id} at ${level}`,
      state: `${id} state ${level}`,
      indicators: [
        { text: `${id} indicator ${level}`, links: [{ title: `${id} ${level}`, url: `https://learn.microsoft.com/${id}/${level}` }] },
      ],
      resources: [],
    })),
  });
  return {
    id: 'adoption',
    title: 'Fixture model',
    shortTitle: 'Fixture',
    description: 'A model for tests.',
    about: 'team',
    question: 'Which best describes your team today?',
    source: [{ title: 'Source', url: 'https://learn.microsoft.com/source' }],
    levels: LEVELS.map((level) => ({
      level,
      name: LEVEL_NAMES[level],
      headline: `Headline ${level}`,
      summary: `Summary ${level}`,
      characteristics: [],
      opportunities: [{ text: `Opportunity at ${level}`, links: [] }],
    })),
    capabilities: capabilityIds.map(capability),
    resources: [],
  };
}
