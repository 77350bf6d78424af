/**
 * content/*.json against the seed documents: levels, counts and wording are counted from the seed
 * files in ../shared/seeds. Without that folder the same checks run against FIXED_FACTS.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { hasUrl, type Link, type MaturityModel } from '../../src/model/content.js';
import {
  CONTENT_DIR,
  FIXED_FACTS,
  HEAT_PILLARS,
  SEEDS_DIR,
  findSeed,
  normalise,
  readDetailedCapabilities,
  readReferenceLinks,
  readSeedFacts,
  resolveSeedTarget as resolveTarget,
  type SeedFacts,
} from './seedFacts.js';

const content = loadContent(CONTENT_DIR);
const referenceLinks = readReferenceLinks();
const seedFacts = readSeedFacts();

function model(id: 'adoption' | 'automation' | 'support'): MaturityModel {
  const found = content.models[id];
  if (!found) throw new Error(`content has no ${id} model`);
  return found;
}

const urlsOf = (links: readonly Link[]): string[] => links.filter(hasUrl).map((link) => link.url);

const resolveSeedTarget = (target: string) => resolveTarget(target, referenceLinks);
const resourceUrls = (model: MaturityModel) => new Set(model.resources.flatMap((group) => urlsOf(group.links)));

/** The counts of a set of facts, without the texts that only the seeds carry. */
function countsOf(facts: SeedFacts) {
  return {
    adoptionLevels: facts.adoptionLevels.map(({ level, name, characteristicCount, opportunityCount, opportunityLinkCount }) => ({
      level,
      name,
      characteristicCount,
      opportunityCount,
      opportunityLinkCount,
    })),
    automationLevels: facts.automationLevels,
    heatPillars: facts.heatPillars.map(({ title, levels }) => ({
      title,
      levels: levels.map(({ level, indicatorCount, subBulletCount }) => ({ level, indicatorCount, subBulletCount })),
    })),
    adoptionPillars: facts.adoptionPillars,
    supportLevels: facts.supportLevels.map(({ level, name, stateCount }) => ({ level, name, stateCount })),
    automationResources: facts.automationResources.map(({ heading, linkCount }) => ({ heading, linkCount })),
    adoptionResources: facts.adoptionResources.map(({ heading, linkCount }) => ({ heading, linkCount })),
  };
}

describe('seed facts', () => {
  it('reads the seeds from ../shared/seeds when the folder is there', () => {
    expect(seedFacts.source).toBe(findSeed(SEEDS_DIR, '000') === undefined ? 'fixed' : 'seeds');
  });

  it('falls back to the fixed counts when the seeds folder is absent', () => {
    expect(readSeedFacts(path.join(SEEDS_DIR, 'no-such-folder'))).toBe(FIXED_FACTS);
  });

  it('fixed fallback counts agree with what the seeds say', () => {
    expect(countsOf(FIXED_FACTS)).toEqual(countsOf(seedFacts));
  });

  it('seed 002 has sub-bullets only under Build & Test 300, Secure & Govern 200 and Nurture 200', () => {
    const withSubBullets = seedFacts.heatPillars.flatMap((pillar) =>
      pillar.levels.filter((level) => level.subBulletCount > 0).map((level) => `${pillar.title} ${level.level}`),
    );
    expect(withSubBullets).toEqual(['Build & Test 300', 'Secure & Govern 200', 'Nurture 200']);
  });
});

// Every check runs against the facts read from the seeds and against the fixed fallback, so the
// fallback path is exercised too. Without the seeds folder both are the fixed facts.
const factSources: [string, SeedFacts][] =
  seedFacts.source === 'seeds'
    ? [
        ['seeds', seedFacts],
        ['fixed fallback', FIXED_FACTS],
      ]
    : [['fixed fallback', FIXED_FACTS]];

describe.each(factSources)('content against the %s', (_label, facts) => {
  describe('adoption levels (seed 000)', () => {
    const adoption = model('adoption');

    it('has the five levels of seed 000 with the same numbers and names', () => {
      expect(facts.adoptionLevels).toHaveLength(5);
      expect(adoption.levels.map(({ level, name }) => ({ level, name }))).toEqual(
        facts.adoptionLevels.map(({ level, name }) => ({ level, name })),
      );
    });

    it.each(facts.adoptionLevels.map((level, index) => [level.level, index, level] as const))(
      'level %i has the characteristics and opportunities of the seed',
      (_level, index, seedLevel) => {
        const contentLevel = adoption.levels[index];
        if (!contentLevel) throw new Error(`adoption has no level at index ${index}`);

        expect(contentLevel.characteristics).toHaveLength(seedLevel.characteristicCount);
        expect(contentLevel.opportunities).toHaveLength(seedLevel.opportunityCount);
        const contentLinks = contentLevel.opportunities.flatMap((opportunity) => opportunity.links);
        expect(contentLinks).toHaveLength(seedLevel.opportunityLinkCount);
        for (const link of contentLinks) {
          expect(hasUrl(link), `${link.title} should have a URL`).toBe(true);
          if (hasUrl(link)) expect(new URL(link.url).protocol, link.url).toBe('https:');
        }

        if (seedLevel.tagline !== undefined) expect(contentLevel.tagline ?? null).toBe(seedLevel.tagline);
        if (seedLevel.characteristics) expect(contentLevel.characteristics.map(normalise)).toEqual(seedLevel.characteristics);
        if (seedLevel.opportunityTexts) {
          expect(contentLevel.opportunities.map((opportunity) => normalise(opportunity.text))).toEqual(seedLevel.opportunityTexts);
        }
        if (seedLevel.opportunityLinks) {
          expect(contentLevel.opportunities.map((opportunity) => opportunity.links.length)).toEqual(
            seedLevel.opportunityLinks.map((links) => links.length),
          );
          expect(contentLevel.opportunities.map((opportunity) => urlsOf(opportunity.links))).toEqual(
            seedLevel.opportunityLinks.map((links) => links.map((link) => resolveSeedTarget(link.target))),
          );
        }
      },
    );
  });

  describe('automation levels (seed 001)', () => {
    it('has the five levels of seed 001 with their italic taglines', () => {
      expect(facts.automationLevels).toHaveLength(5);
      expect(model('automation').levels.map(({ level, name, tagline }) => ({ level, name, tagline }))).toEqual(facts.automationLevels);
    });
  });

  describe('further reading (seed 001 for automation, seed 003 for adoption)', () => {
    const sections = [
      ['automation', facts.automationResources],
      ['adoption', facts.adoptionResources],
    ] as const;
    it.each(sections)('the %s model keeps every link of the seed reading lists among its resources', (id, seedSections) => {
      const stored = resourceUrls(model(id));
      const storedCount = model(id).resources.reduce((sum, group) => sum + group.links.length, 0);
      expect(storedCount).toBeGreaterThanOrEqual(seedSections.reduce((sum, section) => sum + section.linkCount, 0));
      const missing = seedSections
        .flatMap((section) => section.links ?? [])
        .filter((link) => !stored.has(resolveSeedTarget(link.target) ?? link.target))
        .map((link) => `${link.text} (${link.target})`);
      expect(missing).toEqual([]);
    });
  });

  describe('automation capabilities (seed 002, HEAT pillars)', () => {
    const automation = model('automation');

    it('has the seven HEAT pillars, in seed order, as capabilities with five levels each', () => {
      expect(facts.heatPillars.map((pillar) => pillar.title)).toEqual([...HEAT_PILLARS]);
      expect(automation.capabilities.map((capability) => capability.title)).toEqual([...HEAT_PILLARS]);
      for (const pillar of facts.heatPillars) expect(pillar.levels.map((level) => level.level)).toEqual([100, 200, 300, 400, 500]);
    });

    const pillarLevels = facts.heatPillars.flatMap((pillar, pillarIndex) =>
      pillar.levels.map((level, levelIndex) => [pillar.title, level.level, pillarIndex, levelIndex, level] as const),
    );
    it.each(pillarLevels)(
      '%s %i: one indicator per top-level bullet, and the goal of the seed',
      (_title, _level, pillarIndex, levelIndex, seedLevel) => {
        const contentLevel = automation.capabilities[pillarIndex]?.levels[levelIndex];
        if (!contentLevel) throw new Error(`automation has no capability ${pillarIndex} level ${levelIndex}`);
        expect(contentLevel.level).toBe(seedLevel.level);
        expect(contentLevel.indicators).toHaveLength(seedLevel.indicatorCount);
        if (seedLevel.goal !== undefined) expect(normalise(contentLevel.goal ?? '')).toBe(seedLevel.goal);
        seedLevel.bullets?.forEach((bullet, index) => {
          const text = normalise(contentLevel.indicators[index]?.text ?? '');
          if (bullet.subBullets.length === 0) {
            expect(text).toBe(bullet.text);
          } else {
            // Sub-bullets are folded into their parent indicator.
            expect(text.startsWith(bullet.text.replace(/:$/, ''))).toBe(true);
            for (const sub of bullet.subBullets) expect(text).toContain(sub);
          }
        });
      },
    );
  });

  describe('adoption pillars (seed 003)', () => {
    it('has the eight pillars of the seed table, in order', () => {
      expect(facts.adoptionPillars).toHaveLength(8);
      expect(content.pillars.map((pillar) => pillar.title)).toEqual(facts.adoptionPillars.map((pillar) => pillar.title));
    });

    it('links each pillar to the page its seed link names (through reference/links.json)', () => {
      const expected = facts.adoptionPillars.map((pillar) => resolveSeedTarget(pillar.linkKey));
      expect(expected.every((url) => url !== undefined)).toBe(true);
      expect(content.pillars.map((pillar) => (hasUrl(pillar.link) ? pillar.link.url : undefined))).toEqual(expected);
    });
  });

  describe('support strategy levels (seed 004)', () => {
    const support = model('support');
    const strategy = support.capabilities.find((capability) => capability.id === 'support-strategy');

    it('has the five levels of seed 004', () => {
      expect(facts.supportLevels).toHaveLength(5);
      expect(support.levels.map(({ level, name }) => ({ level, name }))).toEqual(
        facts.supportLevels.map(({ level, name }) => ({ level, name })),
      );
      expect(strategy?.levels.map((level) => level.level)).toEqual(facts.supportLevels.map((level) => level.level));
    });

    it.each(facts.supportLevels.map((level, index) => [level.level, index, level] as const))(
      'level %i: one support-strategy indicator per <li> of the seed row',
      (_level, index, seedLevel) => {
        const contentLevel = strategy?.levels[index];
        if (!contentLevel) throw new Error(`support-strategy has no level at index ${index}`);
        expect(contentLevel.indicators).toHaveLength(seedLevel.stateCount);
        if (seedLevel.states) {
          expect(contentLevel.indicators.map((indicator) => normalise(indicator.text))).toEqual(seedLevel.states);
        }
      },
    );
  });
});

const detailed = readDetailedCapabilities();

describe.skipIf(detailed === undefined)('adoption capabilities against the detailed capabilities page (reference/raw)', () => {
  const adoption = model('adoption');

  it('has its nine capability sections, in order', () => {
    expect(detailed?.map((capability) => capability.title)).toHaveLength(adoption.capabilities.length);
  });

  const levels = (detailed ?? []).flatMap((capability, index) =>
    capability.levels.map((level) => [capability.title, level.level, index, level] as const),
  );
  // Indicators paraphrase the page's items (one item may become two indicators), so links are matched per level.
  it.each(levels)('%s %i: the indicators carry every link the page gives the level', (_title, level, index, pageLevel) => {
    const contentLevel = adoption.capabilities[index]?.levels.find((entry) => entry.level === level);
    if (!contentLevel) throw new Error(`adoption has no capability ${index} level ${level}`);
    expect(contentLevel.indicators.length).toBeGreaterThanOrEqual(pageLevel.items.length);
    const stored = contentLevel.indicators.flatMap((indicator) => urlsOf(indicator.links));
    const missing = pageLevel.items.flatMap((item) =>
      item.links.filter((link) => !stored.includes(resolveSeedTarget(link.target) ?? '')).map((link) => `${link.text} (${link.target})`),
    );
    expect(missing).toEqual([]);
  });
});
