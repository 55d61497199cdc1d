// Shape helpers every part of the engine shares: element counts and the `[1, 3, ?, ?]` text, for the
// kernels' concrete shapes and the analysis' shapes with unknown dims alike. Imports only types.
import type { Dim } from '../api';

/** Elements of a shape; null when a dim is unknown. */
export function numel(shape: readonly number[]): number;
export function numel(shape: readonly Dim[]): number | null;
export function numel(shape: readonly Dim[]): number | null {
  let n = 1;
  for (const d of shape) { if (d === null) return null; n *= d; }
  return n;
}

/** `[1, 3, 224, 224]`; an unknown dim is `?`, an unknown shape `?`. */
export function fmtShape(shape: readonly Dim[] | null | undefined): string {
  if (!shape) return '?';
  return '[' + shape.map((d) => (d === null ? '?' : String(d))).join(', ') + ']';
}
