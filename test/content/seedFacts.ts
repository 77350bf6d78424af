/**
 * Facts about the maturity models, counted from the seed documents in ../shared/seeds.
 *
 * The content tests compare content/*.json with these facts. When the seeds folder is present
 * (it always is in CI, where ../shared sits beside the clone) the facts are read from the seed
 * files themselves; otherwise the tests fall back to FIXED_FACTS, the same counts written down
 * by hand. Texts (opportunity wording, goals, link targets) exist only when read from the seeds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONTENT_DIR = path.join(REPO_ROOT, 'content');
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const SEEDS_DIR = path.join(SHARED_DIR, 'seeds');
export const LINKS_FILE = path.join(SHARED_DIR, 'reference', 'links.json');
/** The detailed adoption capabilities as the reference saved them (maturity-model-details.md, 05/14/2025). */
export const DETAILS_FILE = path.join(SHARED_DIR, 'reference', 'raw', 'maturity-model-details.md');

export const HEAT_PILLARS = [
  'Empower',
  'Discover & Plan',
  'Design',
  'Build & Test',
  'Deploy & Manage',
  'Secure & Govern',
  'Nurture',
] as const;

/** One markdown link in a seed bullet: `[text](target)`. */
export interface SeedLink {
  text: string;
  target: string;
}

export interface AdoptionLevelFacts {
  level: number;
  name: string;
  characteristicCount: number;
  opportunityCount: number;
  /** Markdown links in the Opportunities bullets of this level. */
  opportunityLinkCount: number;
  /** The one-line stage description under the heading, or null when the level has none. Seeds only. */
  tagline?: string | null;
  /** Seeds only. */
  characteristics?: string[];
  /** Seeds only: bullet text with `[text](target)` reduced to `text`, whitespace normalised. */
  opportunityTexts?: string[];
  /** Seeds only: the links of each bullet, in order. */
  opportunityLinks?: SeedLink[][];
}

export interface AutomationLevelFacts {
  level: number;
  name: string;
  tagline: string;
}

export interface HeatLevelFacts {
  level: number;
  /** Top-level "•" bullets (indented by two spaces). */
  indicatorCount: number;
  /** Sub-bullets (indented by four or more spaces), folded into their parent in content. */
  subBulletCount: number;
  /** Seeds only. */
  goal?: string;
  /** Seeds only: each top-level bullet with its sub-bullets. */
  bullets?: { text: string; subBullets: string[] }[];
}

export interface HeatPillarFacts {
  title: string;
  levels: HeatLevelFacts[];
}

export interface AdoptionPillarFacts {
  title: string;
  /** Relative link target in the seed table ("strategy-best-practices.md"). */
  linkKey: string;
}

export interface SupportLevelFacts {
  level: number;
  name: string;
  /** `<li>` items in the level's row. */
  stateCount: number;
  /** Seeds only: the text of each `<li>`. */
  states?: string[];
}

/** A `## ` section of further reading in a seed ("Customer Stories"), with its bullet links. */
export interface ResourceSectionFacts {
  heading: string;
  linkCount: number;
  /** Seeds only. */
  links?: SeedLink[];
}

export interface SeedFacts {
  source: 'seeds' | 'fixed';
  adoptionLevels: AdoptionLevelFacts[];
  automationLevels: AutomationLevelFacts[];
  heatPillars: HeatPillarFacts[];
  adoptionPillars: AdoptionPillarFacts[];
  supportLevels: SupportLevelFacts[];
  /** Seed 001's reading lists: rollout resources, customer stories, learning resources. */
  automationResources: ResourceSectionFacts[];
  /** Seed 003's related resources. */
  adoptionResources: ResourceSectionFacts[];
}

/** The same counts as the seeds give, for a checkout without ../shared. Kept in step by a test. */
export const FIXED_FACTS: SeedFacts = {
  source: 'fixed',
  adoptionLevels: [
    { level: 100, name: 'Initial', characteristicCount: 6, opportunityCount: 8, opportunityLinkCount: 10 },
    { level: 200, name: 'Repeatable', characteristicCount: 4, opportunityCount: 7, opportunityLinkCount: 6 },
    { level: 300, name: 'Defined', characteristicCount: 6, opportunityCount: 9, opportunityLinkCount: 8 },
    { level: 400, name: 'Capable', characteristicCount: 5, opportunityCount: 7, opportunityLinkCount: 3 },
    { level: 500, name: 'Efficient', characteristicCount: 5, opportunityCount: 7, opportunityLinkCount: 6 },
  ],
  automationLevels: [
    { level: 100, name: 'Initial', tagline: 'Failing forward, experimentation, feasibility analysis, cautious optimism' },
    { level: 200, name: 'Repeatable', tagline: 'Organization “on-board,” digital stewardship, bias to action' },
    {
      level: 300,
      name: 'Defined',
      tagline: 'Iterative standardization, feedback elicitation, gaps fulfillment, business/technology resilience',
    },
    { level: 400, name: 'Capable', tagline: 'Strategic benchmarking, technology driven optimization, “business led, CoE supported”' },
    { level: 500, name: 'Efficient', tagline: 'Community beacons, cross team collaboration, addressing gaps hindering excellence' },
  ],
  heatPillars: (
    [
      ['Empower', [1, 1, 3, 1, 1], [0, 0, 0, 0, 0]],
      ['Discover & Plan', [2, 3, 5, 3, 2], [0, 0, 0, 0, 0]],
      ['Design', [2, 3, 5, 3, 3], [0, 0, 0, 0, 0]],
      ['Build & Test', [4, 6, 5, 6, 2], [0, 0, 2, 0, 0]],
      ['Deploy & Manage', [5, 4, 5, 5, 3], [0, 0, 0, 0, 0]],
      ['Secure & Govern', [3, 4, 6, 4, 2], [0, 2, 0, 0, 0]],
      ['Nurture', [2, 2, 2, 2, 2], [0, 3, 0, 0, 0]],
    ] as const
  ).map(([title, counts, subCounts]) => ({
    title,
    levels: counts.map((indicatorCount, index) => ({
      level: (index + 1) * 100,
      indicatorCount,
      subBulletCount: subCounts[index] ?? 0,
    })),
  })),
  adoptionPillars: [
    { title: 'Strategy', linkKey: 'strategy-best-practices.md' },
    { title: 'Plan', linkKey: 'plan-overview.md' },
    { title: 'Security', linkKey: 'secure-overview.md' },
    { title: 'Governance', linkKey: 'admin-best-practices.md' },
    { title: 'Operations', linkKey: 'operate-overview.md' },
    { title: 'Availability', linkKey: 'availability-overview.md' },
    { title: 'Readiness', linkKey: 'ready-overview.md' },
    { title: 'Community', linkKey: 'nurture-best-practices.md' },
  ],
  supportLevels: [
    { level: 100, name: 'Initial', stateCount: 4 },
    { level: 200, name: 'Repeatable', stateCount: 4 },
    { level: 300, name: 'Defined', stateCount: 3 },
    { level: 400, name: 'Capable', stateCount: 4 },
    { level: 500, name: 'Efficient', stateCount: 5 },
  ],
  automationResources: [
    { heading: 'Resources for rolling out an automation program', linkCount: 8 },
    { heading: 'Customer Stories', linkCount: 6 },
    { heading: 'Learning resources', linkCount: 4 },
  ],
  adoptionResources: [{ heading: 'Related resources', linkCount: 3 }],
};

/** Where a learn.microsoft.com adoption page lives, for a checkout without links.json. */
export const FIXED_ADOPTION_PAGE_BASE = 'https://learn.microsoft.com/power-platform/guidance/adoption/';

export const normalise = (value: string): string => value.replace(/\s+/g, ' ').trim();

const MARKDOWN_LINK = /\[([^\]]*)\]\(([^)\s]*)\)/g;

export function markdownLinks(line: string): SeedLink[] {
  return [...line.matchAll(MARKDOWN_LINK)].map((match) => ({ text: match[1] ?? '', target: match[2] ?? '' }));
}

export const stripMarkdownLinks = (line: string): string => normalise(line.replace(MARKDOWN_LINK, '$1'));

/** The seed file whose name starts with `NNN_`, or undefined. */
export function findSeed(seedsDir: string, prefix: string): string | undefined {
  if (!existsSync(seedsDir)) return undefined;
  const name = readdirSync(seedsDir).find((file) => file.startsWith(`${prefix}_`));
  return name === undefined ? undefined : path.join(seedsDir, name);
}

function readSeed(seedsDir: string, prefix: string): string {
  const file = findSeed(seedsDir, prefix);
  if (file === undefined) throw new Error(`seed ${prefix} is missing from ${seedsDir}`);
  return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
}

/** Splits markdown at `## Level NNN – Name` headings; each section runs to the next `## ` heading. */
function levelSections(markdown: string): { level: number; name: string; body: string[] }[] {
  const lines = markdown.split('\n');
  const sections: { level: number; name: string; body: string[] }[] = [];
  let current: { level: number; name: string; body: string[] } | undefined;
  for (const line of lines) {
    const heading = /^## Level (\d+)\s+[–-]\s+(.+?)\s*$/.exec(line);
    if (heading) {
      current = { level: Number(heading[1]), name: heading[2] ?? '', body: [] };
      sections.push(current);
    } else if (line.startsWith('## ')) {
      current = undefined;
    } else if (current) {
      current.body.push(line);
    }
  }
  return sections;
}

/** The `- ` bullets under the `### <title>` heading of a section, up to the next heading. */
function bulletsUnder(body: readonly string[], title: string): string[] {
  const start = body.findIndex((line) => line.startsWith(`### ${title}`));
  if (start < 0) return [];
  const bullets: string[] = [];
  for (const line of body.slice(start + 1)) {
    if (line.startsWith('#')) break;
    if (line.startsWith('- ')) bullets.push(line.slice(2));
  }
  return bullets;
}

/**
 * The one-line stage description right under a level heading: an italic line, or (seed 000's level 200,
 * where the same kind of sentence is set in plain type) a plain line saying what "this phase describes".
 */
function stageTagline(body: readonly string[]): string | null {
  const first = body.find((line) => line.trim() !== '')?.trim();
  if (first === undefined) return null;
  const italic = /^\*([^*].*[^*])\*$/.exec(first);
  if (italic) return normalise(italic[1] ?? '');
  return /^This phase describes\b.*\.$/.test(first) ? normalise(first) : null;
}

export function readAdoptionLevels(seed000: string): AdoptionLevelFacts[] {
  return levelSections(seed000).map(({ level, name, body }) => {
    const characteristics = bulletsUnder(body, 'Characteristics').map(normalise);
    const opportunities = bulletsUnder(body, 'Opportunities');
    const opportunityLinks = opportunities.map(markdownLinks);
    return {
      level,
      name,
      characteristicCount: characteristics.length,
      opportunityCount: opportunities.length,
      opportunityLinkCount: opportunityLinks.reduce((sum, links) => sum + links.length, 0),
      tagline: stageTagline(body),
      characteristics,
      opportunityTexts: opportunities.map(stripMarkdownLinks),
      opportunityLinks,
    };
  });
}

export function readAutomationLevels(seed001: string): AutomationLevelFacts[] {
  return levelSections(seed001).map(({ level, name, body }) => ({ level, name, tagline: stageTagline(body) ?? '' }));
}

/**
 * Seed 002 is plain text: a pillar title line, a "Level ..." table header line, then per level
 * "NNN: Name", "Goal: ...", "Indicators:" and "•" bullets. Top-level bullets are indented by two
 * spaces, sub-bullets by four or more.
 */
export function readHeatPillars(seed002: string): HeatPillarFacts[] {
  const lines = seed002.split('\n');
  const nextNonBlank = (from: number): string | undefined => lines.slice(from).find((line) => line.trim() !== '');
  const pillars: HeatPillarFacts[] = [];
  let pillar: HeatPillarFacts | undefined;
  let level: (HeatLevelFacts & { bullets: { text: string; subBullets: string[] }[] }) | undefined;
  lines.forEach((line, index) => {
    if (line.trim() !== '' && !/^\s/.test(line) && nextNonBlank(index + 1)?.startsWith('Level ') && !line.startsWith('Level ')) {
      pillar = { title: line.trim(), levels: [] };
      pillars.push(pillar);
      level = undefined;
      return;
    }
    if (line.trim() === 'Note') {
      pillar = undefined;
      level = undefined;
      return;
    }
    if (!pillar) return;
    const levelLine = /^([1-5]00): \S/.exec(line);
    if (levelLine) {
      level = { level: Number(levelLine[1]), indicatorCount: 0, subBulletCount: 0, bullets: [] };
      pillar.levels.push(level);
      return;
    }
    if (!level) return;
    if (line.startsWith('Goal:')) level.goal = normalise(line.slice('Goal:'.length));
    const bullet = /^( +)•\s*(.*)$/.exec(line);
    if (!bullet) return;
    const indent = bullet[1]?.length ?? 0;
    const text = normalise(bullet[2] ?? '');
    if (indent === 2) {
      level.indicatorCount += 1;
      level.bullets.push({ text, subBullets: [] });
    } else if (indent >= 4) {
      level.subBulletCount += 1;
      const parent = level.bullets.at(-1);
      if (!parent) throw new Error(`seed 002: sub-bullet without a parent: ${line}`);
      parent.subBullets.push(text);
    } else {
      throw new Error(`seed 002: unexpected bullet indentation (${indent}): ${JSON.stringify(line)}`);
    }
  });
  return pillars;
}

export function readAdoptionPillars(seed003: string): AdoptionPillarFacts[] {
  return seed003
    .split('\n')
    .filter((line) => line.startsWith('|') && line.includes(':::image'))
    .map((line) => {
      const firstCell = line.split('|')[1] ?? '';
      const [link] = markdownLinks(firstCell);
      if (!link) throw new Error(`seed 003: pillar row without a link: ${line}`);
      return { title: normalise(link.text), linkKey: link.target };
    });
}

const stripHtml = (html: string): string => normalise(html.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&'));

export function readSupportLevels(seed004: string): SupportLevelFacts[] {
  return seed004
    .split('\n')
    .map((line) => /^\|\s*(\d{3}): ([^|]+?)\s*\|(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => {
      const row = match[3] ?? '';
      const states = row
        .split(/<li>/)
        .slice(1)
        .map((item) => stripHtml((item.split('</li>')[0] ?? '').replace(/\|\s*$/, '')));
      return { level: Number(match[1]), name: match[2] ?? '', stateCount: states.length, states };
    });
}

/** The bullet links under each `## <heading>` of a seed, for the headings asked for, in seed order. */
export function readResourceSections(markdown: string, headings: readonly string[]): ResourceSectionFacts[] {
  return headings.map((heading) => {
    const lines = markdown.split('\n');
    const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
    if (start < 0) throw new Error(`seed has no "## ${heading}" section`);
    const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
    const links = lines
      .slice(start + 1, end < 0 ? undefined : end)
      .filter((line) => line.startsWith('- '))
      .flatMap(markdownLinks);
    return { heading, linkCount: links.length, links };
  });
}

const AUTOMATION_RESOURCE_SECTIONS = ['Resources for rolling out an automation program', 'Customer Stories', 'Learning resources'];

/** Facts read from the seeds when the folder exists, else the fixed fallback. */
export function readSeedFacts(seedsDir: string = SEEDS_DIR): SeedFacts {
  if (!existsSync(seedsDir)) return FIXED_FACTS;
  return {
    source: 'seeds',
    adoptionLevels: readAdoptionLevels(readSeed(seedsDir, '000')),
    automationLevels: readAutomationLevels(readSeed(seedsDir, '001')),
    heatPillars: readHeatPillars(readSeed(seedsDir, '002')),
    adoptionPillars: readAdoptionPillars(readSeed(seedsDir, '003')),
    supportLevels: readSupportLevels(readSeed(seedsDir, '004')),
    automationResources: readResourceSections(readSeed(seedsDir, '001'), AUTOMATION_RESOURCE_SECTIONS),
    adoptionResources: readResourceSections(readSeed(seedsDir, '003'), ['Related resources']),
  };
}

/** One level of one capability in the detailed capabilities page: its `<li>` items and their links. */
export interface DetailedLevelFacts {
  level: number;
  items: { text: string; links: SeedLink[] }[];
}

/**
 * The capability tables of maturity-model-details.md (one `## <Title>` section per capability, one table
 * row per level), or undefined when the reference copy is absent.
 */
export function readDetailedCapabilities(file: string = DETAILS_FILE): { title: string; levels: DetailedLevelFacts[] }[] | undefined {
  if (!existsSync(file)) return undefined;
  const capabilities: { title: string; levels: DetailedLevelFacts[] }[] = [];
  for (const line of readFileSync(file, 'utf8').replace(/\r\n/g, '\n').split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) capabilities.push({ title: heading[1]!.trim(), levels: [] });
    const row = /^\|\s*(\d{3}): [^|]+\|(.*)$/.exec(line);
    if (row && capabilities.length > 0) {
      const items = (row[2] ?? '')
        .split(/<li>/)
        .slice(1)
        .map((item) => item.split('</li>')[0] ?? '')
        .map((item) => ({ text: stripHtml(stripMarkdownLinks(item)), links: markdownLinks(item) }));
      capabilities.at(-1)!.levels.push({ level: Number(row[1]), items });
    }
  }
  return capabilities.filter((capability) => capability.levels.length === 5);
}

/** Where a site-relative link of a Learn page ("/power-platform/admin/") points. */
export const LEARN_ORIGIN = 'https://learn.microsoft.com';

/**
 * Seed links that cannot be used as they stand, and what content stores instead. Seed 001's Learn link
 * carries HTML-escaped query separators ("&amp%3B") and the retired /learn/browse path.
 */
export const REPAIRED_SEED_TARGETS: ReadonlyMap<string, string> = new Map([
  [
    '/learn/browse/?expanded=power-platform&amp%3Bproducts=power-automate&amp%3Bresource_type=learning%20path&amp%3Broles=maker',
    'https://learn.microsoft.com/training/browse/?expanded=power-platform&products=power-automate&resource_type=learning%20path&roles=maker',
  ],
]);

/**
 * A seed or reference link target as content should store it: repaired where it must be, absolute targets
 * as they are, site-relative ones on learn.microsoft.com, and relative page names through links.json (with
 * any anchor kept). Without links.json, relative names resolve beside the adoption guidance pages.
 */
export function resolveSeedTarget(target: string, referenceLinks: readonly ReferenceLink[] | undefined): string | undefined {
  const repaired = REPAIRED_SEED_TARGETS.get(target);
  if (repaired) return repaired;
  if (/^https?:\/\//.test(target)) return target;
  if (target.startsWith('/')) return `${LEARN_ORIGIN}${target}`;
  if (referenceLinks) {
    const exact = referenceLinks.find((entry) => entry.key === target)?.url;
    if (exact) return exact;
    const [page, anchor] = target.split('#');
    const base = referenceLinks.find((entry) => entry.key === page)?.url;
    return base && anchor ? `${base}#${anchor}` : undefined;
  }
  const url = new URL(target, FIXED_ADOPTION_PAGE_BASE);
  url.pathname = url.pathname.replace(/\.md$/, '');
  return url.href;
}

/** Every link target written in the seeds and the saved reference pages, resolved; undefined without ../shared. */
export function readSourceUrls(referenceLinks: readonly ReferenceLink[] | undefined): Set<string> | undefined {
  const rawDir = path.dirname(DETAILS_FILE);
  if (!existsSync(SEEDS_DIR) || !existsSync(rawDir)) return undefined;
  const files = [...readdirSync(SEEDS_DIR).map((name) => path.join(SEEDS_DIR, name)), ...readdirSync(rawDir).map((name) => path.join(rawDir, name))];
  const targets = files.flatMap((file) => markdownLinks(readFileSync(file, 'utf8')).map((link) => link.target));
  return new Set(targets.map((target) => resolveSeedTarget(target, referenceLinks)).filter((url): url is string => url !== undefined));
}

export interface ReferenceLink {
  key: string;
  url: string;
}

/** reference/links.json (key → url), or undefined when ../shared is absent. */
export function readReferenceLinks(file: string = LINKS_FILE): ReferenceLink[] | undefined {
  if (!existsSync(file)) return undefined;
  const entries = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(entries)) throw new Error(`${file} should hold an array`);
  return entries.map((entry: { key?: unknown; url?: unknown }) => ({ key: String(entry.key), url: String(entry.url ?? '') }));
}
