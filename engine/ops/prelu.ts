// prelu (F.prelu): x if x > 0 else a·x, with a learned slope per channel (dim 1; dim 0 for 1-d input)
// or one slope shared by all. Backward gives the slope gradient Σ dy·x over the non-positive x.

import { fmtShape, numel, type NdArray } from './tensor';

export interface PreluArgs {
  input: NdArray;
  /** [1] or [C] */
  weight: NdArray;
}

/** (slope index of element i) = ⌊i / inner⌋ mod C, or 0 when the slope is shared. */
function layout(x: readonly number[], w: readonly number[]): [number, number] {
  const C = numel(w);
  if (C === 1) return [1, 1];
  const cdim = x.length >= 2 ? 1 : 0;
  if (x[cdim] !== C) throw new Error(`prelu: ${C} slopes do not match the channels of ${fmtShape(x)}`);
  return [C, numel(x.slice(cdim + 1))];
}

export function prelu(args: PreluArgs, _attrs: object = {}): NdArray {
  const { input: x, weight: w } = args;
  const [C, inner] = layout(x.shape, w.shape);
  const y = new Float32Array(x.data.length);
  for (let i = 0; i < y.length; i++) {
    const v = x.data[i];
    y[i] = v > 0 ? v : w.data[C === 1 ? 0 : Math.floor(i / inner) % C] * v;
  }
  return { shape: [...x.shape], data: y };
}

export function preluBackward(gradOutput: NdArray, args: PreluArgs, _attrs: object = {}): { input: NdArray; weight: NdArray } {
  const { input: x, weight: w } = args;
  const [C, inner] = layout(x.shape, w.shape);
  const gx = new Float32Array(x.data.length), gw = new Float64Array(C);
  const g = gradOutput.data;
  for (let i = 0; i < gx.length; i++) {
    const v = x.data[i], c = C === 1 ? 0 : Math.floor(i / inner) % C;
    if (v > 0) gx[i] = g[i];
    else {
      gx[i] = w.data[c] * g[i];
      gw[c] += g[i] * v;
    }
  }
  return { input: { shape: [...x.shape], data: gx }, weight: { shape: [...w.shape], data: Float32Array.from(gw) } };
}
