// sum (torch.sum): over all elements or the given dims, keepdim optional; float64 accumulation.
// Backward broadcasts dy back over the reduced dims. mean.ts reuses the same reduction.

import { broadcastTo, normDim, numel, stridesOf, type NdArray } from './tensor';

export interface ReduceAttrs {
  /** null/undefined (or an empty list) reduces every dim, as torch.sum(x) does. */
  dim?: number | number[] | null;
  keepdim?: boolean;
}

export interface ReducePlan {
  dims: boolean[];
  /** Output shape with the reduced dims kept as 1 (for broadcasting back). */
  kept: number[];
  outShape: number[];
  count: number;
}

export function reducePlan(shape: readonly number[], a: ReduceAttrs): ReducePlan {
  const list = a.dim == null ? [] : typeof a.dim === 'number' ? [a.dim] : a.dim;
  const dims = shape.map(() => list.length === 0);
  for (const d of list) dims[normDim(d, shape.length)] = true;
  const kept = shape.map((s, i) => (dims[i] ? 1 : s));
  const outShape = a.keepdim ? kept : shape.filter((_, i) => !dims[i]);
  return { dims, kept, outShape, count: numel(shape) / numel(kept) };
}

/** Σ over the planned dims into a float64 buffer laid out as `kept`. */
export function reduceSum(x: NdArray, p: ReducePlan): Float64Array {
  const rank = x.shape.length, acc = new Float64Array(numel(p.kept));
  const ks = stridesOf(p.kept).map((s, i) => (p.dims[i] ? 0 : s));
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < x.data.length; i++) {
    acc[o] += x.data[i];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      o += ks[d];
      if (idx[d] < x.shape[d]) break;
      o -= ks[d] * x.shape[d];
      idx[d] = 0;
    }
  }
  return acc;
}

export function sum(args: { input: NdArray }, attrs: ReduceAttrs = {}): NdArray {
  const p = reducePlan(args.input.shape, attrs);
  return { shape: p.outShape, data: Float32Array.from(reduceSum(args.input, p)) };
}

export function sumBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: ReduceAttrs = {}): { input: NdArray } {
  const p = reducePlan(args.input.shape, attrs);
  return { input: broadcastTo({ shape: p.kept, data: gradOutput.data }, args.input.shape) };
}
