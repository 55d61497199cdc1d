// Channel heatmaps on canvas: a 256-entry lookup table from a d3-scale-chromatic interpolator (RdBu for
// signed values, centred on 0 with red positive; viridis for non-negative ones such as after a ReLU) and one
// ImageData per channel. The limits come from the engine's statistics; nothing here computes statistics.
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';

export type ColorScale = 'diverging' | 'sequential';

export interface Limits { lo: number; hi: number }

function rgbOf(css: string): [number, number, number] {
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  return h ? [parseInt(h[1], 16), parseInt(h[2], 16), parseInt(h[3], 16)] : [0, 0, 0];
}

const luts = new Map<ColorScale, Uint8ClampedArray>();

/** RGBA for 256 steps from the scale's low to high end. */
export function lut(scale: ColorScale): Uint8ClampedArray {
  let t = luts.get(scale);
  if (t) return t;
  t = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    // RdBu runs red → blue; reversed so that positive values are red and negative ones blue
    const [r, g, b] = rgbOf(scale === 'diverging' ? interpolateRdBu(1 - i / 255) : interpolateViridis(i / 255));
    t.set([r, g, b, 255], i * 4);
  }
  luts.set(scale, t);
  return t;
}

/** The same table as whole pixels, in the platform's byte order, for one 32-bit store per pixel. */
const luts32 = new Map<ColorScale, Uint32Array>();
function lut32(scale: ColorScale): Uint32Array {
  let t = luts32.get(scale);
  if (!t) { const b = lut(scale); t = new Uint32Array(b.buffer.slice(0) as ArrayBuffer); luts32.set(scale, t); }
  return t;
}

/** The colormap for a tensor with these extremes, and symmetric limits for a diverging one. */
export function scaleFor(min: number, max: number): { scale: ColorScale; limits: Limits } {
  if (min < 0 && max > 0) { const m = Math.max(-min, max); return { scale: 'diverging', limits: { lo: -m, hi: m } }; }
  if (min < 0) return { scale: 'diverging', limits: { lo: min, hi: -min } };
  return { scale: 'sequential', limits: { lo: min, hi: max > min ? max : min + 1 } };
}

/** Draws `h × w` values starting at `offset` of `data` onto `canvas` (sized to h × w). */
export function drawHeatmap(canvas: HTMLCanvasElement, data: Float32Array, offset: number, h: number, w: number, scale: ColorScale, limits: Limits): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const g = canvas.getContext('2d');
  if (!g) return;
  const img = g.createImageData(w, h);
  const px = new Uint32Array(img.data.buffer), table = lut32(scale);
  const k = 255 / (limits.hi - limits.lo || 1), lo = limits.lo;
  for (let i = 0, n = h * w; i < n; i++) {
    const j = ((data[offset + i] - lo) * k) | 0;
    px[i] = table[j < 0 ? 0 : j > 255 ? 255 : j];
  }
  g.putImageData(img, 0, 0);
}

/** A horizontal colour bar of the scale. */
export function drawColorBar(canvas: HTMLCanvasElement, scale: ColorScale): void {
  const w = 256;
  canvas.width = w; canvas.height = 1;
  const g = canvas.getContext('2d');
  if (!g) return;
  const img = g.createImageData(w, 1);
  img.data.set(lut(scale));
  g.putImageData(img, 0, 0);
}
