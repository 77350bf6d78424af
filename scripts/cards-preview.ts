/**
 * npm run cards:preview — renders every sample card (the same set test/cards checks) in the real
 * adaptivecards renderer inside headless Chromium (scripts/cardRenderer.ts), and writes out/cards/<name>.png
 * (desktop, 450 px) and out/cards/<name>.mobile.png (320 px), plus out/cards/index.html to page through them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCardSamples, type CardSample } from '../test/support/cardSamples.js';
import { chromiumMissing, openCardRenderer } from './cardRenderer.js';

const OUT_DIR = path.resolve('out/cards');
const WIDTHS = [
  { suffix: '', width: 450 },
  { suffix: '.mobile', width: 320 },
] as const;

function indexHtml(samples: readonly CardSample[]): string {
  const rows = samples
    .map(
      ({ name }) =>
        `<section><h2>${name}</h2><img src="${name}.png" alt="${name} at 450 px"> <img src="${name}.mobile.png" alt="${name} at 320 px"></section>`,
    )
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><title>Maturity Pulse cards</title>
<style>body{font-family:system-ui,sans-serif;background:#EBEBEB;margin:24px} section{margin-bottom:32px} img{vertical-align:top;zoom:.5;margin-right:24px}</style>
<h1>Maturity Pulse cards</h1>
${rows}
`;
}

async function main(): Promise<number> {
  const missing = chromiumMissing();
  if (missing) {
    console.error(missing);
    return 1;
  }
  const { samples } = loadCardSamples();
  mkdirSync(OUT_DIR, { recursive: true });
  const renderer = await openCardRenderer();
  let failures = 0;
  try {
    for (const sample of samples) {
      for (const { suffix, width } of WIDTHS) {
        const file = path.join(OUT_DIR, `${sample.name}${suffix}.png`);
        const report = await renderer.screenshot(sample.card, width, file);
        console.log(path.relative(process.cwd(), file));
        for (const error of report.errors) {
          failures += 1;
          console.error(`  error: ${error}`);
        }
        for (const overflow of report.overflowing) console.warn(`  cut off or overflowing at ${width}px: ${overflow}`);
      }
    }
  } finally {
    await renderer.close();
  }
  const index = path.join(OUT_DIR, 'index.html');
  writeFileSync(index, indexHtml(samples));
  console.log(path.relative(process.cwd(), index));
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
