// dropout (F.dropout): identity in eval mode; in training, zeroes each element with probability p and
// scales the rest by 1/(1 − p), using a mask drawn from `seed` so backward regenerates the same mask.
// NOTE: the mask is this engine's own PRNG (mulberry32), so it cannot match PyTorch's bit for bit.

import { fmtShape, type NdArray } from './tensor';
import { mulberry32 } from '../util/random';

export interface DropoutAttrs {
  p?: number;
  training?: boolean;
  seed?: number;
}

/** The scaled keep-mask: 0 or 1/(1 − p) per element, deterministic in `seed`. */
export function dropoutMask(n: number, p: number, seed: number): Float32Array {
  const mask = new Float32Array(n);
  if (p >= 1) return mask;
  const scale = 1 / (1 - p);
  const next = mulberry32(seed);
  for (let i = 0; i < n; i++) mask[i] = next() < p ? 0 : scale;
  return mask;
}

function active(a: DropoutAttrs): number {
  const p = a.p ?? 0.5;
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  return (a.training ?? true) && p > 0 ? p : 0;
}

function applyMask(x: NdArray, a: DropoutAttrs): NdArray {
  const p = active(a);
  if (p === 0) return { shape: [...x.shape], data: x.data.slice() };
  const mask = dropoutMask(x.data.length, p, a.seed ?? 0), y = new Float32Array(x.data.length);
  for (let i = 0; i < y.length; i++) y[i] = x.data[i] * mask[i];
  return { shape: [...x.shape], data: y };
}

export function dropout(args: { input: NdArray }, attrs: DropoutAttrs = {}): NdArray {
  return applyMask(args.input, attrs);
}

export function dropoutBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: DropoutAttrs = {}): { input: NdArray } {
  if (gradOutput.data.length !== args.input.data.length) {
    throw new Error(`dropout: gradient ${fmtShape(gradOutput.shape)} does not match input ${fmtShape(args.input.shape)}`);
  }
  return { input: { ...applyMask(gradOutput, attrs), shape: [...args.input.shape] } };
}
