/**
 * Renders Adaptive Cards as Teams draws them: the real adaptivecards renderer in headless Chromium, with a host config
 * and styles close to Teams' light theme. Used by npm run cards:preview and npm run demo:channel.
 *
 * Needs Debian's Chromium: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).
 * Fonts: Teams uses Segoe UI; without it Chromium falls back to system-ui / sans-serif, so line
 * breaks can differ a little from Teams. Look for clumsy layout, not pixel-exact wrapping.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const adaptiveCardsDir = path.dirname(require.resolve('adaptivecards/package.json'));
const RENDERER_JS = path.join(adaptiveCardsDir, 'dist/adaptivecards.min.js');
const RENDERER_CSS = path.join(adaptiveCardsDir, 'dist/adaptivecards.css');

/** Close to the host config Teams uses for cards in a chat (light theme). */
const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: 'Segoe UI, system-ui, sans-serif',
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontTypes: {
    default: {
      fontFamily: 'Segoe UI, system-ui, sans-serif',
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: 'Consolas, "DejaVu Sans Mono", monospace',
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
  },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        dark: { default: '#252423', subtle: '#484644' },
        light: { default: '#FFFFFF', subtle: '#F3F2F1' },
        accent: { default: '#5B5FC7', subtle: '#6264A7' },
        good: { default: '#237B4B', subtle: '#1B5E3A' },
        warning: { default: '#835C00', subtle: '#6B4B00' },
        attention: { default: '#C4314B', subtle: '#A4262C' },
      },
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#6264A7' },
        good: { default: '#237B4B', subtle: '#1B5E3A' },
        warning: { default: '#835C00', subtle: '#6B4B00' },
        attention: { default: '#C4314B', subtle: '#A4262C' },
      },
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  inputs: {
    label: {
      requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'bolder' },
      inputSpacing: 'small',
    },
    errorMessage: { size: 'small', spacing: 'small' },
  },
  textStyles: {
    heading: { size: 'large', weight: 'bolder', color: 'default', fontType: 'default', isSubtle: false },
    columnHeader: { size: 'default', weight: 'bolder', color: 'default', fontType: 'default', isSubtle: false },
  },
};

/** Buttons and radio buttons as Teams draws them; the library CSS alone looks like 2016 Outlook. */
const TEAMS_CSS = `
  body { margin: 0; background: #F5F5F5; font-family: 'Segoe UI', system-ui, sans-serif; }
  #frame { display: inline-block; padding: 12px; background: #F5F5F5; }
  #host { background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); overflow: hidden; }
  .ac-pushButton { font-family: 'Segoe UI', system-ui, sans-serif; font-size: 14px; font-weight: 600; color: #242424;
    background: #FFFFFF; border: 1px solid #D1D1D1; border-radius: 4px; padding: 5px 12px; min-height: 32px; }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
  .ac-input-container input[type=radio] { accent-color: #5B5FC7; margin: 3px 8px 0 0; }
  /* The renderer sets width: 100% on a TextBlock's first child, so the list's indent must stay inside it. */
  .ac-textBlock ul { margin: 0; padding-left: 20px; box-sizing: border-box; }
  .ac-textBlock p { margin: 0; }
`;

/**
 * Runs inside the page: a tiny markdown subset as Teams renders it in TextBlocks
 * (**bold**, _italic_, [links](url), "- " bullet lines, line breaks).
 */
function installMarkdown(): void {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const inline = (text: string) =>
    escape(text)
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[\s(])_([^_]+)_(?=$|[\s).,])/g, '$1<em>$2</em>');
  const toHtml = (text: string) => {
    const lines = text.split(/\r?\n/);
    const bullets = lines.length > 0 && lines.every((line) => /^\s*[-*] /.test(line));
    if (bullets) return `<ul>${lines.map((line) => `<li>${inline(line.replace(/^\s*[-*] /, ''))}</li>`).join('')}</ul>`;
    return `<p>${lines.map(inline).join('<br>')}</p>`;
  };
  const AdaptiveCards = (window as unknown as { AdaptiveCards: { AdaptiveCard: { onProcessMarkdown?: unknown } } }).AdaptiveCards;
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml?: string; didProcess: boolean }) => {
    result.outputHtml = toHtml(text);
    result.didProcess = true;
  };
}

export interface RenderReport {
  errors: string[];
  overflowing: string[];
}

/** Runs inside the page: renders one card into #host and lists what would look broken. */
function renderCard(args: { card: unknown; hostConfig: unknown; width: number }): RenderReport {
  type Context = { eventCount: number; getEventAt(index: number): { event: number; message: string } };
  type Renderer = {
    AdaptiveCard: new () => { hostConfig: unknown; parse(json: unknown, context?: Context): void; render(): HTMLElement | undefined };
    HostConfig: new (json: unknown) => unknown;
    SerializationContext: new () => Context;
    ValidationEvent: Record<number, string>;
  };
  const AdaptiveCards = (window as unknown as { AdaptiveCards: Renderer }).AdaptiveCards;
  const host = document.getElementById('host')!;
  host.style.width = `${args.width}px`;
  host.replaceChildren();
  const errors: string[] = [];
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(args.hostConfig);
  const context = new AdaptiveCards.SerializationContext();
  card.parse(args.card, context);
  for (let index = 0; index < context.eventCount; index += 1) {
    const event = context.getEventAt(index);
    errors.push(`${AdaptiveCards.ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }
  const element = card.render();
  if (!element) return { errors: [...errors, 'render() returned nothing'], overflowing: [] };
  host.appendChild(element);
  const overflowing: string[] = [];
  for (const node of Array.from(host.querySelectorAll<HTMLElement>('*'))) {
    const clipped = node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflowX !== 'visible';
    const outside = node.getBoundingClientRect().right > host.getBoundingClientRect().right + 1;
    if ((clipped || outside) && node.textContent?.trim()) {
      overflowing.push(`${node.className || node.tagName}: "${node.textContent.trim().slice(0, 60)}"`);
    }
  }
  return { errors, overflowing };
}

async function preparePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 800, height: 800 }, deviceScaleFactor: 2 });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  // tsx keeps function names with an esbuild helper (__name) that page.evaluate'd functions call in the page.
  await page.setContent(
    '<!doctype html><html><head><meta charset="utf-8"></head><body><div id="frame"><div id="host"></div></div></body></html>',
  );
  await page.addStyleTag({ path: RENDERER_CSS });
  await page.addStyleTag({ content: TEAMS_CSS });
  await page.addScriptTag({ path: RENDERER_JS });
  await page.evaluate('globalThis.__name = (target) => target;');
  await page.evaluate(installMarkdown);
  if (problems.length > 0) throw new Error(`The renderer page failed to load:\n${problems.join('\n')}`);
  return page;
}

/** Says how to install Chromium when it is missing; undefined when it is there. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `Chromium not found at ${CHROMIUM}.\nInstall it with: sudo apt-get update && sudo apt-get install -y chromium\n(or set CHROMIUM_PATH to another Chromium build).`;
}

export interface CardRenderer {
  /** Renders a card at a width into a PNG file, and reports what would look broken. */
  screenshot(card: unknown, width: number, file: string): Promise<RenderReport>;
  close(): Promise<void>;
}

export async function openCardRenderer(): Promise<CardRenderer> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await preparePage(browser);
    return {
      async screenshot(card, width, file) {
        const report = await page.evaluate(renderCard, { card, hostConfig: TEAMS_HOST_CONFIG, width });
        await page.locator('#frame').screenshot({ path: file });
        return report;
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
