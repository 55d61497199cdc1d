// Dense float32 tensors for the numeric kernels: the NdArray type plus shape, stride and broadcast helpers.
// Row-major (C order) storage only; no views, no dtype zoo (integers travel as float32 values).
// Must not import `node:*`, `vscode` or the DOM.

export interface NdArray {
  shape: number[];
  data: Float32Array;
}

import { fmtShape, numel } from '../util/shape';
export { fmtShape, numel };

/** Row-major strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function zeros(shape: readonly number[]): NdArray {
  return { shape: [...shape], data: new Float32Array(numel(shape)) };
}

export function full(shape: readonly number[], value: number): NdArray {
  return { shape: [...shape], data: new Float32Array(numel(shape)).fill(value) };
}

export function tensor(shape: readonly number[], data: ArrayLike<number>): NdArray {
  if (data.length !== numel(shape)) {
    throw new Error(`tensor: ${data.length} values do not fill shape [${shape.join(', ')}]`);
  }
  return { shape: [...shape], data: Float32Array.from(data) };
}

export function clone(x: NdArray): NdArray {
  return { shape: [...x.shape], data: x.data.slice() };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}


/** Resolves a possibly negative dim against `rank`, as PyTorch does. */
export function normDim(dim: number, rank: number): number {
  const d = dim < 0 ? dim + rank : dim;
  if (d < 0 || d >= Math.max(rank, 1)) throw new Error(`dim ${dim} out of range for a ${rank}-d tensor`);
  return d;
}

/** Broadcast result shape of two shapes (numpy rules); throws naming both shapes when they do not fit. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as if it had `outShape` (right-aligned; broadcast dims get stride 0). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : own[i - off]));
}

/**
 * out[i] = f(a[ia], b[ib]) over the broadcast shape. The last dim runs as a flat loop; the rest
 * advance an odometer, so no per-element index arithmetic beyond two additions.
 */
export function broadcastBinary(a: NdArray, b: NdArray, f: (x: number, y: number) => number): NdArray {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = new Float32Array(numel(shape));
  const ad = a.data, bd = b.data;
  if (sameShape(a.shape, b.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[i]);
    return { shape, data: out };
  }
  const sa = broadcastStrides(a.shape, shape), sb = broadcastStrides(b.shape, shape);
  const rank = shape.length;
  if (rank === 0) {
    out[0] = f(ad[0], bd[0]);
    return { shape, data: out };
  }
  const inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  let pa = 0, pb = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0, qa = pa, qb = pb; j < inner; j++, qa += ia, qb += ib) out[o + j] = f(ad[qa], bd[qb]);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      pa += sa[d];
      pb += sb[d];
      if (idx[d] < shape[d]) break;
      pa -= sa[d] * shape[d];
      pb -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { shape, data: out };
}

/**
 * Sums `x` (of a broadcast shape) down to `shape`: the gradient of broadcasting. Accumulates in float64
 * because a broadcast scalar may collect millions of terms.
 */
export function sumToShape(x: NdArray, shape: readonly number[]): NdArray {
  if (sameShape(x.shape, shape)) return clone(x);
  const rank = x.shape.length;
  if (shape.length > rank) throw new Error(`cannot sum ${fmtShape(x.shape)} down to ${fmtShape(shape)}`);
  const st = broadcastStrides(shape, x.shape);
  const acc = new Float64Array(numel(shape));
  const idx = new Array<number>(rank).fill(0);
  const xd = x.data;
  let p = 0;
  for (let i = 0; i < xd.length; i++) {
    acc[p] += xd[i];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      p += st[d];
      if (idx[d] < x.shape[d]) break;
      p -= st[d] * x.shape[d];
      idx[d] = 0;
    }
  }
  return { shape: [...shape], data: Float32Array.from(acc) };
}

/** Copies `x` broadcast to `shape` (the forward of `expand`, materialised). */
export function broadcastTo(x: NdArray, shape: readonly number[]): NdArray {
  const out = broadcastBinary(x, zeros(shape), (v) => v);
  if (!sameShape(out.shape, shape)) throw new Error(`cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  return out;
}

/** Splits a shape around `dim` into (outer, size, inner) for kernels that run along one axis. */
export function axisSplit(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[dim], inner];
}

/** A per-dim attribute given as one number or a list, expanded to `n` entries. */
export function expandList(v: number | readonly number[], n: number, what: string): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length === 1 && n > 1) return new Array<number>(n).fill(v[0]);
  if (v.length !== n) throw new Error(`${what} needs ${n} values, got [${v.join(', ')}]`);
  return [...v];
}
