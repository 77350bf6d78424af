import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USER } from '../../src/tab/demoData.js';
import { startTabApp, type TabApp } from './tabHarness.js';

/** Debian's Chromium; CI installs it with `apt-get install -y chromium`. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OUT = path.resolve('out/tab');
const NOW = new Date('2026-11-24T10:00:00Z');

let tab: TabApp;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
  mkdirSync(OUT, { recursive: true });
  tab = await startTabApp({ now: () => NOW });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
  await tab?.close();
});
afterEach(() => {
  // A failure in the page is often a failure on the server: show its log.
  expect(tab.serverLog()).toEqual([]);
});

/**
 * The one request the page may make beyond the bot's server: teams-js (2.58) fetches its list of valid
 * host origins from Microsoft's CDN as soon as it loads (validOrigins.js calls prefetchOriginsFromCDN()
 * at module level), inside Teams or not. This machine has no internet, so the test answers it with a
 * list in the CDN's format; any other outside request fails the test.
 */
const TEAMS_JS_ORIGINS = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

interface Opened {
  page: Page;
  /** Console errors and warnings, page errors, failed requests, HTTP errors, outside requests: every one is a failure. */
  problems: string[];
  /** How many times teams-js fetched its origin list. */
  originLists: () => number;
}

/** Lets the page reach the bot's server and teams-js's origin list, and records anything else as a problem. */
async function guard(page: Page, problems: string[]): Promise<() => number> {
  let originLists = 0;
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    // The bot's own servers (this test starts them on localhost), and what the page makes itself.
    if (url.startsWith('http://localhost:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    if (url === TEAMS_JS_ORIGINS) {
      originLists += 1;
      return route.fulfill({
        json: { validOrigins: ['teams.microsoft.com', '*.teams.microsoft.com', '*.cloud.microsoft', '*.office.com'] },
      });
    }
    problems.push(`outside request: ${url}`);
    return route.abort();
  });
  return () => originLists;
}

async function open(url: string, options: { width?: number; waitFor?: string } = {}): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 }, acceptDownloads: true });
  const problems: string[] = [];
  const originLists = await guard(page, problems);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url);
  // Stop at the first of: the awaited element, or the page's own error message (then say what it was).
  await page.waitForSelector(`${options.waitFor ?? '#you:not([hidden])'}, #error:not([hidden])`);
  if (await page.locator('#error').isVisible()) {
    throw new Error(
      `The page shows an error: ${await page.locator('#error').textContent()}\nServer log:\n${tab.serverLog().join('\n')}\nPage:\n${problems.join('\n')}`,
    );
  }
  return { page, problems, originLists };
}

/** Size and drawn pixels of a chart canvas: a blank canvas has none with any opacity. */
async function canvasReport(page: Page, id: string) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) drawn += 1;
    return { width: box.width, height: box.height, drawn, label: canvas.getAttribute('aria-label') };
  }, id);
}

const columnText = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('the dashboard tab in headless Chromium (local mode, outside Teams)', () => {
  it('says it is not inside Teams, shows the demo team with both charts and their tables, and logs nothing', async () => {
    const { page, problems, originLists } = await open(`${tab.url}/tab/index.html`);
    expect(await page.locator('#notice').textContent()).toBe(
      'Not running inside Microsoft Teams. The server runs in local mode, so this shows the demo team. See what you answered in the Agents Playground',
    );
    expect(await page.locator('#team').textContent()).toBe('Demo team (made-up answers)');
    expect(await page.locator('#summary-heading').textContent()).toBe('Adoption maturity · November 2026');
    expect(await page.locator('#respondents').textContent()).toBe('5');

    const titles = tab.content.models.adoption.capabilities.map((capability) => capability.title);
    for (const id of ['radar', 'trend-chart']) {
      const report = await canvasReport(page, id);
      expect(report.width, id).toBeGreaterThan(200);
      expect(report.height, id).toBeGreaterThan(200);
      expect(report.drawn, id).toBeGreaterThan(1000);
      expect(report.label, id).toBeTruthy();
    }
    // The text alternatives: every capability in the capability table, every round in the trend table.
    expect(await columnText(page, '#capability-table tbody th')).toEqual(titles);
    expect(await columnText(page, '#you-table tbody th')).toEqual(titles);
    expect(await columnText(page, '#trend-table tbody th')).toEqual([
      'November 2026',
      'October 2026',
      'September 2026',
      'August 2026',
      'July 2026',
      'June 2026',
    ]);
    expect(await page.locator('#action-list li a').count()).toBeGreaterThan(0);
    expect(await page.locator('#action-list li a').first().getAttribute('target')).toBe('_blank');
    expect(problems).toEqual([]);
    expect(originLists()).toBe(1);

    await page.screenshot({ path: path.join(OUT, 'dashboard-default.png'), fullPage: true });
    await page.close();
  });

  it('downloads, from "Export CSV", exactly the CSV the API serves', async () => {
    const { page, problems } = await open(`${tab.url}/tab/index.html`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('maturity-adoption.csv');
    const file = path.join(OUT, 'export.csv');
    await download.saveAs(file);
    const api = await (await fetch(`${tab.url}/api/tab/export.csv?model=adoption&scope=demo`)).text();
    expect(readFileSync(file, 'utf8')).toBe(api);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works from the keyboard: skip link, model selector, export button, with a visible focus ring', async () => {
    const { page, problems } = await open(`${tab.url}/tab/index.html`);
    const focused = async () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLElement;
        const style = getComputedStyle(active);
        return { id: active.id || active.textContent?.trim(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ id: 'Skip to the results', outline: 'solid 2px' });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ id: 'model', outline: 'solid 2px' });
    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ id: 'export', outline: 'solid 2px' });

    await page.selectOption('#model', 'automation');
    await page.waitForFunction(() => document.getElementById('summary-heading')?.textContent?.startsWith('Automation'));
    const automation = tab.content.models.automation.capabilities.map((capability) => capability.title);
    expect(await columnText(page, '#capability-table tbody th')).toEqual(automation);
    expect(new URL(page.url()).searchParams.get('model')).toBe('automation');

    const lines = () => page.evaluate(() => (window as any).Chart.getChart('trend-chart').data.datasets.length);
    expect(await lines()).toBe(1);
    await page.locator('#per-capability').focus();
    await page.keyboard.press('Space');
    expect(await lines()).toBe(1 + automation.length);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("links from the demo team to what the Agents Playground's user answered in their chat with the bot, and back", async () => {
    const { tenantId, objectId } = PLAYGROUND_USER;
    const chat = 'a:1playground-personal-chat';
    const botUrl = `${tab.url}/`;
    await tab.conversations.save(
      { tenantId, conversationId: chat, kind: 'personal', serviceUrl: botUrl, botId: '28:bot', name: 'Alex', memberId: objectId },
      NOW,
    );
    await tab.store.record({ tenantId, scopeId: chat, modelId: 'adoption', round: '2026-11' }, objectId, 'governance', 300, NOW);

    const { page, problems } = await open(`${tab.url}/tab/index.html`);
    await page.getByRole('link', { name: 'See what you answered in the Agents Playground' }).click();
    await page.waitForFunction(() => document.getElementById('you-table')?.textContent?.includes('300 Defined'));
    expect(new URL(page.url()).searchParams.get('scope')).toBe('personal');
    expect(await page.locator('#team').textContent()).toBe('Your own assessment (your chat with Maturity Pulse in the Agents Playground)');
    expect(await page.locator('#respondents').textContent()).toBe('1');
    const governance = tab.content.models.adoption.capabilities.find((capability) => capability.id === 'governance')!.title;
    expect(await page.locator('#you-table tbody tr', { hasText: governance }).textContent()).toContain('300 Defined');
    await page.screenshot({ path: path.join(OUT, 'dashboard-playground-user.png'), fullPage: true });

    await page.getByRole('link', { name: 'See the demo team' }).click();
    await page.waitForFunction(() => document.getElementById('team')?.textContent === 'Demo team (made-up answers)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws every radar label whole at a phone's width (320 and 420 px), as at 1280", async () => {
    for (const width of [320, 420, 1280]) {
      const { page, problems } = await open(`${tab.url}/tab/index.html`, { width });
      const labels = await page.evaluate(() => {
        const chart = (window as any).Chart.getChart('radar');
        return chart.scales.r._pointLabelItems.map((item: any) => ({ left: item.left, right: item.right, width: chart.width }));
      });
      expect(labels).toHaveLength(tab.content.models.adoption.capabilities.length);
      for (const label of labels) {
        expect(label.left, `${width} px`).toBeGreaterThanOrEqual(0);
        expect(label.right, `${width} px`).toBeLessThanOrEqual(label.width);
      }
      expect(problems).toEqual([]);
      await page.locator('#radar').screenshot({ path: path.join(OUT, `radar-${width}.png`) });
      await page.close();
    }
  });

  it('draws the radar\'s level labels above the data on a backdrop, so no point covers "400"', async () => {
    const { page, problems } = await open(`${tab.url}/tab/index.html`);
    const scale = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart('radar');
      const r = chart.scales.r;
      // Chart.js draws layers in z order: datasets at 0, so a scale layer above 0 is drawn over every point and line.
      return {
        above: r._layers().some((layer: { z: number }) => layer.z > 0),
        backdrop: r.options.ticks.showLabelBackdrop,
        colour: r.options.ticks.backdropColor,
        surface: getComputedStyle(document.documentElement).getPropertyValue('--surface').trim(),
      };
    });
    expect(scale.above).toBe(true);
    expect(scale.backdrop).toBe(true);
    expect(scale.colour).toBe(scale.surface);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the spread of answers on the radar: a band from each capability's lowest answer to its highest", async () => {
    const { page, problems } = await open(`${tab.url}/tab/index.html`);
    const api = await (await fetch(`${tab.url}/api/tab/dashboard?model=adoption&scope=demo`)).json();
    const capabilities = api.current.capabilities as { lowest: number | null; highest: number | null }[];
    expect(capabilities.some((capability) => capability.lowest !== capability.highest)).toBe(true);
    const drawn = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart('radar');
      const sets = chart.data.datasets;
      const high = sets.findIndex((set: any) => set.label === 'Spread of answers');
      return {
        highest: sets[high]?.data,
        lowest: sets[high + 1]?.data,
        fill: sets[high]?.fill,
        legend: chart.legend.legendItems.map((item: any) => item.text),
        caption: document.getElementById('capability-caption')!.textContent,
      };
    });
    expect(drawn.highest).toEqual(capabilities.map((capability) => capability.highest));
    expect(drawn.lowest).toEqual(capabilities.map((capability) => capability.lowest));
    expect(drawn.fill).toBe('+1');
    expect(drawn.legend).toEqual(['Team level', 'Your answer', 'Spread of answers']);
    expect(drawn.caption).toContain('the spread from the lowest answer to the highest');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps every capability's trend line in sight when all are shown (320, 420 and 1280 px)", async () => {
    for (const width of [320, 420, 1280]) {
      const { page, problems } = await open(`${tab.url}/tab/index.html?model=automation`, { width });
      await page.waitForFunction(() => document.getElementById('summary-heading')?.textContent?.startsWith('Automation'));
      await page.locator('#per-capability').check();
      // Per round, every drawn point (the overall line's and each capability's) at least 3 px from the next one.
      const crowded = await page.evaluate(() => {
        const chart = (window as any).Chart.getChart('trend-chart');
        const rounds = chart.data.labels.length;
        const found: string[] = [];
        for (let round = 0; round < rounds; round += 1) {
          const points = chart.data.datasets
            .map((set: any, index: number) => ({ label: set.label, point: chart.getDatasetMeta(index).data[round] }))
            .filter(({ point }: any) => point && !point.skip)
            .map(({ label, point }: any) => ({ label, y: point.y }))
            .sort((a: any, b: any) => a.y - b.y);
          for (let index = 1; index < points.length; index += 1)
            if (points[index].y - points[index - 1].y < 3)
              found.push(`${chart.data.labels[round]}: ${points[index - 1].label} / ${points[index].label}`);
        }
        return found;
      });
      expect(crowded, `${width} px`).toEqual([]);
      const styles = await page.evaluate(() =>
        (window as any).Chart.getChart('trend-chart')
          .data.datasets.slice(1)
          .map((set: any) => set.pointStyle),
      );
      expect(new Set(styles).size).toBe(styles.length);
      expect(problems).toEqual([]);
      await page.locator('#trend .chart').screenshot({ path: path.join(OUT, `trend-automation-${width}.png`) });
      await page.close();
    }
  });

  it('shows the one-capability support model as a compact bar with its spread, not a radar or giant bars', async () => {
    for (const width of [320, 1280]) {
      const { page, problems } = await open(`${tab.url}/tab/index.html?model=support`, { width });
      await page.waitForFunction(() => document.getElementById('summary-heading')?.textContent?.startsWith('Support'));
      const chart = await page.evaluate(() => {
        const drawn = (window as any).Chart.getChart('radar');
        return {
          type: drawn.config.type,
          bars: drawn.data.datasets.map((set: any, index: number) => drawn.getDatasetMeta(index).data[0]?.height ?? 0),
          spread: drawn.data.datasets.find((set: any) => set.label === 'Spread of answers')?.data,
          caption: document.getElementById('capability-caption')!.textContent,
        };
      });
      expect(chart.type).toBe('bar');
      for (const thickness of chart.bars) expect(thickness, `${width} px`).toBeLessThanOrEqual(16);
      expect(chart.spread).toHaveLength(1);
      expect(chart.caption).not.toContain('dashed');
      const report = await canvasReport(page, 'radar');
      expect(report.height, `${width} px`).toBeLessThanOrEqual(180);
      expect(report.drawn).toBeGreaterThan(500);
      expect(problems).toEqual([]);
      await page.locator('#capabilities').screenshot({ path: path.join(OUT, `support-${width}.png`) });
      await page.close();
    }
  });

  it('reads well in the dark and high-contrast themes and at a phone’s width (screenshots), with chart colours from the theme', async () => {
    for (const theme of ['dark', 'contrast'] as const) {
      const { page, problems } = await open(`${tab.url}/tab/index.html?theme=${theme}`);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      const colours = await page.evaluate(() => {
        const chart = (window as any).Chart.getChart('radar');
        return {
          team: chart.data.datasets[0].borderColor,
          css: getComputedStyle(document.documentElement).getPropertyValue('--chart-team').trim(),
        };
      });
      expect(colours.team).toBe(colours.css);
      expect(problems).toEqual([]);
      await page.screenshot({ path: path.join(OUT, `dashboard-${theme}.png`), fullPage: true });
      await page.close();
    }
    const dark = await browser.newContext({ colorScheme: 'dark', viewport: { width: 420, height: 900 } });
    const page = await dark.newPage();
    const problems: string[] = [];
    await guard(page, problems);
    await page.goto(`${tab.url}/tab/index.html`);
    await page.waitForSelector('#you:not([hidden])');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // At a phone's width nothing needs sideways scrolling: not the page, not a table.
    const overflow = await page.evaluate(() =>
      [document.documentElement, ...document.querySelectorAll('.table-wrap')].map((node) => node.scrollWidth - node.clientWidth),
    );
    expect(overflow).toEqual([0, 0, 0, 0]);
    expect(problems).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'dashboard-dark-narrow.png'), fullPage: true });
    await dark.close();
  });

  it('serves the configuration page, which says it sets the tab up inside Teams', async () => {
    const { page, problems } = await open(`${tab.url}/tab/config.html`, { waitFor: '#model:not([disabled])' });
    expect(await page.locator('#status').textContent()).toMatch(/^Not running inside Microsoft Teams/);
    expect(await page.locator('#model option').allTextContents()).toEqual(['Adoption', 'Automation', 'Support']);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the dashboard tab outside Teams when the server has an app registration', () => {
  it('says to open it in Teams and shows no data', async () => {
    const sso = await startTabApp({
      now: () => NOW,
      env: { MicrosoftAppId: '00000000-aaaa-bbbb-cccc-000000000001', MicrosoftAppPassword: 'x', TAB_SSO_AUDIENCE: 'api://example/app' },
    });
    try {
      const { page, problems } = await open(`${sso.url}/tab/index.html`, { waitFor: '#notice:not([hidden])' });
      await page.waitForFunction(() => document.getElementById('main')?.getAttribute('aria-busy') === 'false');
      expect(await page.locator('#notice').textContent()).toMatch(
        /^Not running inside Microsoft Teams\. Open the Maturity dashboard tab in a Teams channel or group chat/,
      );
      for (const id of ['summary', 'capabilities', 'trend', 'actions', 'you'])
        expect(await page.locator(`#${id}`).isHidden(), id).toBe(true);
      expect(await page.locator('#export').isDisabled()).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await sso.close();
    }
  });
});

describe('the Organisation view in headless Chromium (local mode: a made-up organisation)', () => {
  const orgUrl = () => `${tab.url}/tab/organisation.html`;
  const ready = '#trend:not([hidden])';

  // The made-up organisation is seeded through the real store on its first request: a few hundred answers, which
  // take long on a busy machine. Seed it here, so the page tests time the page.
  beforeAll(async () => {
    expect((await fetch(`${tab.url}/api/tab/organisation?model=adoption`)).status).toBe(200);
  });

  it('is linked from the team dashboard, and shows every team, where to act first, the perception gap and the trend, each chart with its table', async () => {
    const { page, problems } = await open(`${tab.url}/tab/index.html`);
    await page.waitForSelector('#org-link:not([hidden])');
    await page.locator('#org-link').click();
    await page.waitForSelector(`${ready}, #error:not([hidden])`);
    expect(await page.locator('#error').isVisible()).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/tab/organisation.html');
    expect(await page.locator('#notice').textContent()).toBe(
      'The server runs in local mode (no app registration), so this shows a made-up organisation.',
    );
    expect(await page.locator('#summary-heading').textContent()).toBe('Adoption maturity · November 2026');

    const titles = tab.content.models.adoption.capabilities.map((capability) => capability.title);
    for (const id of ['distribution', 'perception-chart', 'trend-chart']) {
      const report = await canvasReport(page, id);
      expect(report.drawn, id).toBeGreaterThan(1000);
      expect(report.label, id).toBeTruthy();
    }
    // Every chart's table alternative: capabilities, perception per capability, the six months.
    expect(await columnText(page, '#capability-table tbody th')).toEqual(titles);
    expect(await columnText(page, '#perception-table tbody th')).toEqual(titles);
    expect(await columnText(page, '#trend-table tbody th')).toHaveLength(6);
    // The heat map: one row per team, the two-person team withheld without any figure.
    const rows = await columnText(page, '#heat-table tbody th');
    expect(rows).toEqual([
      'Contoso CoE · Platform team',
      'Finance · Month-end close',
      'HR · Onboarding',
      'Legal · Contracts',
      'Operations · General',
      'Sales · Field apps',
    ]);
    expect(await page.locator('#heat-table tbody tr', { hasText: 'Legal' }).locator('td').allTextContents()).toEqual([
      'Not enough answers',
    ]);
    expect(await columnText(page, '#heat-table thead th')).toEqual(['Team', 'Overall', ...titles]);
    expect(await page.locator('#stuck-list li').count()).toBeGreaterThan(0);

    // Ordered by distance from the aim instead of by name.
    await page.selectOption('#sort', 'gap');
    expect((await columnText(page, '#heat-table tbody th')).at(-1)).toBe('Legal · Contracts');
    expect(problems).toEqual([]);
    await page.selectOption('#sort', 'name');
    await page.screenshot({ path: path.join(OUT, 'organisation-default.png'), fullPage: true });
    await page.close();
  });

  it('sets an organisation target from the capability table, and exports the CSV the API serves', async () => {
    const { page, problems } = await open(orgUrl(), { waitFor: ready });
    const first = tab.content.models.adoption.capabilities[0]!;
    await page.selectOption(`select[aria-label="Organisation target for ${first.title}"]`, '500');
    await page.waitForFunction(() => document.getElementById('notice')?.textContent?.startsWith('Target for'));
    expect(await page.locator(`select[aria-label="Organisation target for ${first.title}"]`).inputValue()).toBe('500');
    expect(await page.locator('#behind-list').textContent()).toContain(`${first.title} (target 500)`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('organisation-adoption-2026-11.csv');
    const file = path.join(OUT, 'organisation.csv');
    await download.saveAs(file);
    const api = await (await fetch(`${tab.url}/api/tab/organisation.csv?model=adoption&round=2026-11`)).text();
    expect(readFileSync(file, 'utf8')).toBe(api);
    expect(api).not.toMatch(/demo-(coe|finance|sales|hr|ops|legal)-\d/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads well in the dark and high-contrast themes (screenshots)', async () => {
    for (const theme of ['dark', 'contrast'] as const) {
      const { page, problems } = await open(`${orgUrl()}?theme=${theme}`, { waitFor: ready });
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      expect(problems).toEqual([]);
      await page.screenshot({ path: path.join(OUT, `organisation-${theme}.png`), fullPage: true });
      await page.close();
    }
  });

  it('reads well at a phone’s width, light and dark (screenshots)', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme, viewport: { width: 420, height: 900 } });
      const page = await context.newPage();
      const problems: string[] = [];
      await guard(page, problems);
      await page.goto(orgUrl());
      await page.waitForSelector(ready);
      // The page itself never scrolls sideways; the heat map scrolls inside its own box, its team names staying put.
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('#heat-table tbody th')!).position)).toBe('sticky');
      // Every other table fits the width: nothing to scroll to find a column.
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll('.table-wrap:not(.heat-wrap)')]
          .filter((wrap) => wrap.scrollWidth > wrap.clientWidth)
          .map((wrap) => `${wrap.querySelector('table')?.id}: ${wrap.scrollWidth} > ${wrap.clientWidth}`),
      );
      expect(overflowing).toEqual([]);
      // A capability's target sits beside its name, its level across the width below them.
      const [name, level, target] = await page.evaluate(() =>
        [...document.querySelectorAll('#capability-table tbody tr:first-child > *')].map((node) => node.getBoundingClientRect().top),
      );
      expect(Math.abs(name! - target!)).toBeLessThan(4);
      expect(level).toBeGreaterThan(name! + 10);
      expect(
        await page
          .locator('#capability-table')
          .getByRole('rowheader', { name: tab.content.models.adoption.capabilities[0]!.title })
          .count(),
      ).toBe(1);
      expect(problems).toEqual([]);
      await page.screenshot({ path: path.join(OUT, `organisation-${colorScheme}-narrow.png`), fullPage: true });
      await context.close();
    }
  });
});
