/** The shape of the real content: adoption capabilities, links, support tiers and help desk. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loadContent.js';
import { LEVELS, type MaturityModel } from '../../src/model/content.js';
import { CONTENT_DIR, readReferenceLinks } from './seedFacts.js';

const CONTENT_FILES = ['adoption.json', 'automation.json', 'support.json', 'pillars.json'] as const;
const content = loadContent(CONTENT_DIR);
/** Hosts outside microsoft.com that reference/links.json points at (used only without ../shared). */
const REFERENCE_HOSTS = new Set(['aka.ms', 'make.powerautomate.com', 'rpacoestorage.blob.core.windows.net', 'www.serverlessnotes.com']);
const referenceLinks = readReferenceLinks();

function model(id: 'adoption' | 'automation' | 'support'): MaturityModel {
  const found = content.models.get(id);
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

  it('asks "Which best describes your team today?"', () => {
    expect(adoption.question).toBe('Which best describes your team today?');
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

  it('uses only URLs recorded in reference/links.json (or their anchored forms) or aka.ms links', () => {
    const isAkaMs = (url: string) => url.startsWith('https://aka.ms/');
    const unknown = referenceLinks
      ? allUrls.filter((item) => {
          const url = String(item.value);
          const known = new Set(referenceLinks.map((entry) => entry.url).filter((entry) => entry !== ''));
          return !(known.has(url) || known.has(url.split('#')[0] ?? '') || isAkaMs(url));
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
