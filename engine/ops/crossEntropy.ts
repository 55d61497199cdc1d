// cross_entropy (F.cross_entropy) with integer class-index targets: logits [N, C, d...] (or [C]),
// target [N, d...] of class indices stored as float32 integers; reduction mean/sum/none,
// label_smoothing and ignore_index. The target gets no gradient.

import { fmtShape, type NdArray } from './tensor';

export interface CrossEntropyArgs {
  input: NdArray;
  target: NdArray;
}

export interface CrossEntropyAttrs {
  reduction?: 'mean' | 'sum' | 'none';
  label_smoothing?: number;
  ignore_index?: number;
}

interface Layout { N: number; C: number; S: number }

function layout(x: readonly number[], t: readonly number[]): Layout {
  const [N, C] = x.length === 1 ? [1, x[0]] : [x[0], x[1]];
  const S = x.slice(2).reduce((m, v) => m * v, 1);
  const want = x.length === 1 ? [] : [x[0], ...x.slice(2)];
  if (x.length === 0 || t.length !== want.length || t.some((d, i) => d !== want[i])) {
    throw new Error(`cross_entropy: target ${fmtShape(t)} does not fit logits ${fmtShape(x)} (expected ${fmtShape(want)})`);
  }
  return { N, C, S };
}

/** log-softmax over C of sample n, position s, written to `lp` (float64). */
function logProbs(x: Float32Array, L: Layout, n: number, s: number, lp: Float64Array): void {
  let m = -Infinity;
  for (let c = 0; c < L.C; c++) m = Math.max(m, x[(n * L.C + c) * L.S + s]);
  let z = 0;
  for (let c = 0; c < L.C; c++) z += Math.exp(x[(n * L.C + c) * L.S + s] - m);
  const lse = m + Math.log(z);
  for (let c = 0; c < L.C; c++) lp[c] = x[(n * L.C + c) * L.S + s] - lse;
}

function targetAt(t: NdArray, i: number, C: number, ignore: number): number {
  const k = t.data[i];
  if (k === ignore) return -1;
  if (!Number.isInteger(k) || k < 0 || k >= C) throw new Error(`cross_entropy: target ${k} is out of bounds for ${C} classes`);
  return k;
}

export function crossEntropy(args: CrossEntropyArgs, attrs: CrossEntropyAttrs = {}): NdArray {
  const { input: x, target: t } = args, L = layout(x.shape, t.shape);
  const eps = attrs.label_smoothing ?? 0, ignore = attrs.ignore_index ?? -100;
  const lp = new Float64Array(L.C), losses = new Float64Array(L.N * L.S);
  let count = 0;
  for (let n = 0; n < L.N; n++) for (let s = 0; s < L.S; s++) {
    const k = targetAt(t, n * L.S + s, L.C, ignore);
    if (k < 0) continue;
    count++;
    logProbs(x.data, L, n, s, lp);
    let all = 0;
    for (let c = 0; c < L.C; c++) all += lp[c];
    losses[n * L.S + s] = -(1 - eps) * lp[k] - (eps / L.C) * all;
  }
  const red = attrs.reduction ?? 'mean';
  if (red === 'none') return { shape: [...t.shape], data: Float32Array.from(losses) };
  let sum = 0;
  for (const v of losses) sum += v;
  // NOTE: mean over zero non-ignored targets is 0/0 = NaN, as in PyTorch.
  return { shape: [], data: new Float32Array([red === 'mean' ? sum / count : sum]) };
}

export function crossEntropyBackward(gradOutput: NdArray, args: CrossEntropyArgs, attrs: CrossEntropyAttrs = {}): { input: NdArray } {
  const { input: x, target: t } = args, L = layout(x.shape, t.shape);
  const eps = attrs.label_smoothing ?? 0, ignore = attrs.ignore_index ?? -100, red = attrs.reduction ?? 'mean';
  let count = 0;
  for (let i = 0; i < t.data.length; i++) if (t.data[i] !== ignore) count++;
  const lp = new Float64Array(L.C), gx = new Float32Array(x.data.length);
  for (let n = 0; n < L.N; n++) for (let s = 0; s < L.S; s++) {
    const k = targetAt(t, n * L.S + s, L.C, ignore);
    if (k < 0) continue;
    const g = red === 'none' ? gradOutput.data[n * L.S + s] : red === 'mean' ? gradOutput.data[0] / count : gradOutput.data[0];
    logProbs(x.data, L, n, s, lp);
    // d/dx_c of −(1−ε)·lp_k − ε/C·Σ lp = softmax_c − (1−ε)·[c = k] − ε/C
    for (let c = 0; c < L.C; c++) {
      gx[(n * L.C + c) * L.S + s] = g * (Math.exp(lp[c]) - (c === k ? 1 - eps : 0) - eps / L.C);
    }
  }
  return { input: { shape: [...x.shape], data: gx } };
}
