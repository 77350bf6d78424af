// Draws the Teams app icons and writes them to manifest/: `npx tsx scripts/make-icons.ts`.
//   color.png   192×192, full colour: three rising bars (the maturity levels) and a pulse line on a purple-to-teal field.
//   outline.png  32×32, white on transparent: the same bars and pulse, as Teams asks for the outline icon.
// The PNGs are committed; run this again only to change the design.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Rgba = readonly [number, number, number, number];
type Inside = (x: number, y: number) => boolean;

/** A tiny rasteriser: shapes are "is this point inside" tests, sampled 4×4 per pixel for smooth edges. */
export class Canvas {
  readonly pixels: Float64Array; // straight (not premultiplied) RGBA, 0–1

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Float64Array(width * height * 4);
  }

  fill(inside: Inside, color: Rgba | ((x: number, y: number) => Rgba)): void {
    const samples = 4;
    for (let py = 0; py < this.height; py += 1) {
      for (let px = 0; px < this.width; px += 1) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy += 1) {
          for (let sx = 0; sx < samples; sx += 1) {
            if (inside(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples)) hits += 1;
          }
        }
        if (hits === 0) continue;
        const [r, g, b, a] = typeof color === 'function' ? color(px + 0.5, py + 0.5) : color;
        this.blend(px, py, [r, g, b, (a * hits) / (samples * samples)]);
      }
    }
  }

  private blend(px: number, py: number, [r, g, b, a]: Rgba): void {
    const i = (py * this.width + px) * 4;
    const p = this.pixels;
    const below = p[i + 3] ?? 0;
    const out = a + below * (1 - a);
    if (out === 0) return;
    p[i] = (r * a + (p[i] ?? 0) * below * (1 - a)) / out;
    p[i + 1] = (g * a + (p[i + 1] ?? 0) * below * (1 - a)) / out;
    p[i + 2] = (b * a + (p[i + 2] ?? 0) * below * (1 - a)) / out;
    p[i + 3] = out;
  }

  /** The canvas as a PNG file (8-bit RGBA). */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(Uint8Array.from(this.pixels, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255)));
    return PNG.sync.write(png);
  }
}

export const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, radius: number): Inside =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + radius), x1 - radius);
    const cy = Math.min(Math.max(y, y0 + radius), y1 - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };

/** A polyline of the given width with round joins and caps. */
export const polyline =
  (points: readonly (readonly [number, number])[], width: number): Inside =>
  (x, y) => {
    for (let k = 1; k < points.length; k += 1) {
      const [ax, ay] = points[k - 1] ?? [0, 0];
      const [bx, by] = points[k] ?? [0, 0];
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      if ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (width / 2) ** 2) return true;
    }
    return false;
  };

const hex = (value: string, alpha = 1): Rgba => {
  const n = Number.parseInt(value.replace('#', ''), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255, alpha];
};

/** The manifest's accentColor is the purple end of this field. */
export const ACCENT_PURPLE = '#742774';
const TEAL = '#0E7C86';
const WHITE = hex('#FFFFFF');

/** Bars and pulse in a unit design space (0–1), scaled to each icon. */
const BARS = [
  { x0: 0.25, x1: 0.375, top: 0.6 },
  { x0: 0.4375, x1: 0.5625, top: 0.46 },
  { x0: 0.625, x1: 0.75, top: 0.32 },
] as const;
const BASELINE = 0.77;
const PULSE: readonly (readonly [number, number])[] = [
  [0.2, 0.36],
  [0.36, 0.36],
  [0.43, 0.22],
  [0.52, 0.44],
  [0.6, 0.16],
  [0.68, 0.3],
  [0.8, 0.3],
];

export function drawColorIcon(size = 192): Canvas {
  const canvas = new Canvas(size, size);
  const [pr, pg, pb] = hex(ACCENT_PURPLE);
  const [tr, tg, tb] = hex(TEAL);
  canvas.fill(
    () => true,
    (x, y) => {
      const t = (x + y) / (2 * size);
      return [pr + (tr - pr) * t, pg + (tg - pg) * t, pb + (tb - pb) * t, 1];
    },
  );
  const s = size;
  for (const bar of BARS) canvas.fill(roundedRect(bar.x0 * s, bar.top * s, bar.x1 * s, BASELINE * s, 0.03 * s), hex('#FFFFFF', 0.92));
  const pulse = PULSE.map(([x, y]) => [x * s, y * s] as const);
  canvas.fill(polyline(pulse, 0.075 * s), hex(ACCENT_PURPLE, 0.55)); // a soft halo so the line reads over the bars
  canvas.fill(polyline(pulse, 0.045 * s), hex('#7FF0DC'));
  return canvas;
}

export function drawOutlineIcon(size = 32): Canvas {
  const canvas = new Canvas(size, size);
  const s = size;
  // Outline icons are white on transparent only: no halo, and the pulse is kept clear of the bars.
  // Pixel-aligned so the bars stay crisp at 32 px.
  const k = s / 32;
  for (const [x0, top] of [
    [5, 22],
    [13, 17],
    [21, 12],
  ] as const)
    canvas.fill(roundedRect(x0 * k, top * k, (x0 + 5) * k, 28 * k, k), WHITE);
  const pulse = (
    [
      [3.5, 8],
      [9, 8],
      [12, 3.5],
      [15.5, 12],
      [19, 6],
      [21, 8],
      [28.5, 8],
    ] as const
  ).map(([x, y]) => [x * k, y * k] as const);
  canvas.fill(polyline(pulse, 2 * k), WHITE);
  return canvas;
}

function main(): void {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'manifest');
  const color = drawColorIcon();
  const outline = drawOutlineIcon();
  writeFileSync(path.join(dir, 'color.png'), color.toPng());
  writeFileSync(path.join(dir, 'outline.png'), outline.toPng());
  console.log(`Wrote ${path.join(dir, 'color.png')} and ${path.join(dir, 'outline.png')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
