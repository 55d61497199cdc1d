// split (torch.split): chunks of split_size along `dim` (the last one may be shorter), or explicit
// section sizes. Several outputs: backward takes one gradient per output (null = unused, i.e. zeros).

import { cat } from './cat';
import { fmtShape, normDim, type NdArray } from './tensor';

export interface SplitAttrs {
  split_size_or_sections: number | number[];
  dim?: number;
}

export function splitSizes(size: number, s: number | number[]): number[] {
  if (Array.isArray(s)) {
    if (s.reduce((a, b) => a + b, 0) !== size) throw new Error(`split: sections ${fmtShape(s)} do not sum to ${size}`);
    return [...s];
  }
  if (s <= 0) throw new Error(`split: split_size must be positive, got ${s}`);
  const out: number[] = [];
  for (let at = 0; at < size; at += s) out.push(Math.min(s, size - at));
  return out.length ? out : [0];
}

export function split(args: { input: NdArray }, attrs: SplitAttrs): NdArray[] {
  const x = args.input, d = normDim(attrs.dim ?? 0, x.shape.length);
  const sizes = splitSizes(x.shape[d], attrs.split_size_or_sections);
  let inner = 1, outer = 1;
  for (let i = d + 1; i < x.shape.length; i++) inner *= x.shape[i];
  for (let i = 0; i < d; i++) outer *= x.shape[i];
  const row = x.shape[d] * inner;
  let at = 0;
  return sizes.map((s) => {
    const chunk = s * inner, y = new Float32Array(outer * chunk);
    for (let o = 0; o < outer; o++) y.set(x.data.subarray(o * row + at, o * row + at + chunk), o * chunk);
    at += chunk;
    return { shape: x.shape.map((v, i) => (i === d ? s : v)), data: y };
  });
}

export function splitBackward(gradOutputs: Array<NdArray | null>, args: { input: NdArray }, attrs: SplitAttrs): { input: NdArray } {
  const x = args.input, d = normDim(attrs.dim ?? 0, x.shape.length);
  const sizes = splitSizes(x.shape[d], attrs.split_size_or_sections);
  const parts = sizes.map((s, i) => {
    const shape = x.shape.map((v, j) => (j === d ? s : v));
    return gradOutputs[i] ?? { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
  });
  return { input: cat({ tensors: parts }, { dim: d }) };
}
