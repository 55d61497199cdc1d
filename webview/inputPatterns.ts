// Synthetic input tensors for the Inspector: a diagonal gradient, a checkerboard, step edges and a disc,
// in [-1, 1], the same picture in every channel and sample. Pure arithmetic (runs in the engine worker);
// the last two dims are the picture (a 1-d signal is one row, a [B, F] input one row of F features).
import type { PatternName } from './protocol';

function pixel(pattern: PatternName, x: number, y: number, w: number, h: number): number {
  switch (pattern) {
    case 'gradient': return w + h > 2 ? (2 * (x + y)) / (w + h - 2) - 1 : 0;
    case 'checkerboard': {
      const cell = Math.max(1, Math.round(Math.min(w, h > 1 ? h : w) / 8));
      return (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? 1 : -1;
    }
    case 'edges':
      // a vertical step in the upper half, a diagonal one in the lower half
      return y < h / 2 ? (x < w / 2 ? -1 : 1) : (x / w + (y - h / 2) / Math.max(h / 2, 1) < 1 ? -1 : 1);
    case 'disc': {
      const r = 0.35 * (h > 1 ? Math.min(w, h) : w);
      const dx = x - (w - 1) / 2, dy = h > 1 ? y - (h - 1) / 2 : 0;
      return dx * dx + dy * dy <= r * r ? 1 : -1;
    }
  }
}

/** A [B, C, …, H, W] tensor of `pattern` (values in [-1, 1]); inputs of rank 1 or 2 are one row. */
export function patternTensor(shape: number[], pattern: PatternName): Float32Array {
  const w = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const h = shape.length >= 4 ? shape[shape.length - 2] : 1;
  const picture = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) picture[y * w + x] = pixel(pattern, x, y, w, h);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += picture.length) out.set(picture.subarray(0, Math.min(picture.length, n - i)), i);
  return out;
}
