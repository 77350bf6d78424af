/** The shape of the real content: adoption capabilities, links, support tiers and help desk. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { hasUrl, LEVELS, type MaturityModel } from '../../src/model/content.js';
import { stepLinks } from '../../src/model/stepLinks.js';
import { CONTENT_DIR, readReferenceLinks, readSourceUrls } from './seedFacts.js';

const CONTENT_FILES = ['adoption.json', 'automation.json', 'support.json', 'pillars.json'] as const;
const content = loadContent(CONTENT_DIR);
/** Hosts outside microsoft.com that reference/links.json points at (used only without ../shared). */
const REFERENCE_HOSTS = new Set(['aka.ms', 'make.powerautomate.com', 'rpacoestorage.blob.core.windows.net', 'www.serverlessnotes.com']);
const referenceLinks = readReferenceLinks();
const sourceUrls = readSourceUrls(referenceLinks);
const MODEL_IDS = ['adoption', 'automation', 'support'] as const;

function model(id: 'adoption' | 'automation' | 'support'): MaturityModel {
  const found = content.models[id];
  if (!found) throw new Error(`content has no ${id} model`);
  return found;
}

interface Found<T> {
  file: string;
  path: string;
  value: T;
}

/** Walks raw JSON and reports every property called `key`, with its path. */
function findProperties(file: string, key: string): Found<unknown>[] {
  const found: Found<unknown>[] = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}[${index}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) {
        const childPath = at === '' ? name : `${at}.${name}`;
        if (name === key) found.push({ file, path: childPath, value: child });
        walk(child, childPath);
      }
    }
  };
  walk(JSON.parse(readFileSync(path.join(CONTENT_DIR, file), 'utf8')), '');
  return found;
}

/** Every string value anywhere in a content file, with its path. */
function allStrings(file: string): Found<string>[] {
  const found: Found<string>[] = [];
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') found.push({ file, path: at, value });
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}[${index}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) walk(child, at === '' ? name : `${at}.${name}`);
    }
  };
  walk(JSON.parse(readFileSync(path.join(CONTENT_DIR, file), 'utf8')), '');
  return found;
}

const allUrls = CONTENT_FILES.flatMap((file) => findProperties(file, 'url'));
const where = (item: Found<unknown>) => `content/${item.file} ${item.path}: ${JSON.stringify(item.value)}`;

describe('adoption model', () => {
  const adoption = model('adoption');

  it('has the nine capability areas of the 05/14/2025 detailed capabilities, in order', () => {
    expect(adoption.capabilities.map((capability) => capability.id)).toEqual([
      'strategy-and-vision',
      'business-value',
      'security',
      'governance',
      'support',
      'community',
      'responsible-ai',
      'automation',
      'fusion-teams',
    ]);
  });

  it('gives every capability the five levels 100..500', () => {
    for (const capability of adoption.capabilities) {
      expect(
        capability.levels.map((level) => level.level),
        capability.id,
      ).toEqual([...LEVELS]);
    }
  });

  it('keeps every choice non-empty and at most 220 characters', () => {
    const problems = adoption.capabilities.flatMap((capability) =>
      capability.levels
        .filter((level) => level.choice.trim() === '' || level.choice.length > 220)
        .map((level) => `${capability.id} ${level.level}: ${level.choice.length} characters`),
    );
    expect(problems).toEqual([]);
  });

  it('asks about the organisation, as the adoption sources describe one', () => {
    expect(adoption.about).toBe('organisation');
    expect(adoption.question).toBe('Which best describes your organisation today?');
  });
});

describe('links', () => {
  it('finds url fields to check in every content file', () => {
    for (const file of CONTENT_FILES)
      expect(
        allUrls.some((item) => item.file === file),
        file,
      ).toBe(true);
  });

  it('stores only absolute https URLs, in every url field of every file', () => {
    const bad = allUrls.filter((item) => {
      if (typeof item.value !== 'string') return true;
      try {
        return new URL(item.value).protocol !== 'https:';
      } catch {
        return true;
      }
    });
    expect(bad.map(where)).toEqual([]);
  });

  it('keeps no relative markdown names (such as "vision.md") in any text', () => {
    const relative = CONTENT_FILES.flatMap(allStrings).filter(
      (item) => /\]\((?!https:)/.test(item.value) || /^[\w./-]+\.md(#[\w-]+)?$/.test(item.value),
    );
    expect(relative.map(where)).toEqual([]);
  });

  it('uses only URLs that reference/links.json records (or their anchored forms) or that the seeds and saved pages give', () => {
    const unknown = referenceLinks
      ? allUrls.filter((item) => {
          const url = String(item.value);
          const known = new Set(referenceLinks.map((entry) => entry.url).filter((entry) => entry !== ''));
          return !(known.has(url) || known.has(url.split('#')[0] ?? '') || sourceUrls?.has(url));
        })
      : // Without ../shared/reference, fall back to the hosts the reference list points at.
        allUrls.filter((item) => {
          const host = new URL(String(item.value)).hostname;
          return !(host.endsWith('.microsoft.com') || REFERENCE_HOSTS.has(host));
        });
    expect(unknown.map(where)).toEqual([]);
  });

  it('gives every link without a URL a non-empty reason, and no URL beside it', () => {
    const unavailable = CONTENT_FILES.flatMap((file) => findProperties(file, 'unavailable'));
    const bad = unavailable.filter((item) => typeof item.value !== 'string' || item.value.trim() === '');
    expect(bad.map(where)).toEqual([]);
    const withUrl = unavailable.filter((item) =>
      allUrls.some((url) => url.file === item.file && url.path === item.path.replace(/unavailable$/, 'url')),
    );
    expect(withUrl.map(where)).toEqual([]);
  });
});

describe('next steps', () => {
  // A next step is the next level of a capability: every level above 100 can be one.
  const steps = MODEL_IDS.flatMap((id) =>
    model(id).capabilities.flatMap((capability) =>
      capability.levels.filter((level) => level.level > 100).map((level) => [id, capability.id, level.level, capability, level] as const),
    ),
  );
  it.each(steps)('%s %s → %i links somewhere', (_model, _capability, _level, capability, level) => {
    expect(stepLinks(capability, level).length).toBeGreaterThan(0);
  });

  it('every capability has a "learn more" page, the fallback of a step without links of its own', () => {
    const without = MODEL_IDS.flatMap((id) => model(id).capabilities.filter((capability) => !hasUrl(capability.learnMore)));
    expect(without.map((capability) => capability.id)).toEqual([]);
  });
});

describe('what the cards say about the sources', () => {
  /** Learn's heading anchors: lower case, punctuation dropped, each space a hyphen ("Discover & Plan" → "discover--plan"). */
  const learnAnchor = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-');

  it("opens each HEAT pillar's own section of the automation details page", () => {
    for (const capability of model('automation').capabilities) {
      expect(hasUrl(capability.learnMore) && capability.learnMore.url, capability.id).toBe(
        `https://learn.microsoft.com/power-automate/guidance/automation-coe/automation-maturity-model-details#${learnAnchor(capability.title)}`,
      );
    }
  });

  it("opens each adoption capability's own section of the detailed capabilities page", () => {
    for (const capability of model('adoption').capabilities) {
      expect(hasUrl(capability.learnMore) && capability.learnMore.url, capability.id).toBe(
        `https://learn.microsoft.com/power-platform/guidance/adoption/maturity-model-details#${capability.id}`,
      );
    }
  });

  it('does not pair the seven HEAT pillars with the eight adoption pillars', () => {
    expect(model('automation').capabilities.filter((capability) => capability.pillar !== undefined).map((capability) => capability.id)).toEqual(
      [],
    );
    expect(model('automation').capabilityKind).toBe('HEAT pillar');
  });

  it('says where level opportunities are our own suggestions: support has them, its source has none', () => {
    expect(model('support').opportunitiesNote).toMatch(/our/i);
    expect(model('adoption').opportunitiesNote).toBeUndefined();
  });

  it('gives every model level a one-line headline, and every adoption level the tagline of seed 000', () => {
    for (const id of MODEL_IDS) for (const level of model(id).levels) expect(level.headline.length, `${id} ${level.level}`).toBeLessThanOrEqual(160);
    expect(model('adoption').levels.every((level) => level.tagline !== undefined)).toBe(true);
  });

  it('gives the adoption capability "automation" a title that is not the automation model', () => {
    const title = model('adoption').capabilities.find((capability) => capability.id === 'automation')?.title ?? '';
    expect(title).not.toBe('Automation');
    expect(title).toMatch(/admin/i);
  });

  // The source's own links whose page is not the one their title names (seed 002 via content-sources.md §4).
  const mismatched = [
    ['discover-and-plan', 200, 'Azure VM deployment'],
    ['discover-and-plan', 200, 'Design consideration for VM scale sets'],
    ['build-and-test', 300, 'Power Automate Desktop installation'],
    ['secure-and-govern', 300, 'Microsoft Entra groups'],
    ['deploy-and-manage', 500, 'Log network traffic using NSG'],
    ['deploy-and-manage', 500, 'Azure Monitor'],
  ] as const;
  it.each(mismatched)('%s %i "%s" opens the page its title names, or says what it opens', (capabilityId, level, title) => {
    const link = model('automation')
      .capabilities.find((capability) => capability.id === capabilityId)
      ?.levels.find((entry) => entry.level === level)
      ?.resources.find((resource) => resource.title === title);
    if (!link || !hasUrl(link)) throw new Error(`no linked resource "${title}"`);
    const source = referenceLinks?.find((entry) => entry.key.endsWith(`:${level}:${title}`))?.url;
    expect(link.opens !== undefined || (source !== undefined && link.url !== source), JSON.stringify(link)).toBe(true);
  });
});

describe('choices say what their level says', () => {
  const choice = (id: 'adoption' | 'automation' | 'support', capabilityId: string, level: number) =>
    model(id)
      .capabilities.find((capability) => capability.id === capabilityId)
      ?.levels.find((entry) => entry.level === level)?.choice ?? '';

  it('automation Empower 100: the CoE already has a fair grasp of the tool (the goal), not "still learning"', () => {
    expect(choice('automation', 'empower', 100)).toMatch(/fair grasp/);
    expect(choice('automation', 'empower', 100)).not.toMatch(/still learning/);
  });

  it('adoption Governance 100: three facts side by side, with no cause the source does not give', () => {
    expect(choice('adoption', 'governance', 100)).not.toMatch(/because/);
  });

  it('adoption Responsible AI 100: people are unaware of what counts as an RAI risk', () => {
    expect(choice('adoption', 'responsible-ai', 100)).toMatch(/RAI risk/);
    expect(choice('adoption', 'responsible-ai', 100)).not.toMatch(/risks and data aren't governed/);
  });

  it('support 300: the channel is largely self-sustaining and monitored by the CoE, not run by it', () => {
    expect(choice('support', 'support-strategy', 300)).toMatch(/self-sustaining/);
    expect(choice('support', 'support-strategy', 300)).not.toMatch(/runs a busy/);
  });
});

describe('support content', () => {
  it('has exactly the tiers productivity, important and critical with their support labels', () => {
    expect(content.support.tiers.tiers.map(({ id, supportLabel }) => ({ id, supportLabel }))).toEqual([
      { id: 'productivity', supportLabel: 'Maker supported' },
      { id: 'important', supportLabel: 'IT blessed' },
      { id: 'critical', supportLabel: 'IT supported' },
    ]);
  });

  it('describes the help desk at each of the five levels', () => {
    expect(content.support.helpDesk.map((level) => level.level)).toEqual([...LEVELS]);
  });

  it('points every tier criterion choice at a known tier', () => {
    const tierIds = new Set(content.support.tiers.tiers.map((tier) => tier.id));
    for (const criterion of content.support.tiers.criteria) {
      for (const choice of criterion.choices) expect(tierIds.has(choice.tier), `${criterion.id}.${choice.id}`).toBe(true);
    }
  });
});
