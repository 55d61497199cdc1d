// batch_norm (F.batch_norm) for [N, C, *] inputs (BatchNorm1d/2d/3d): train mode normalises with the
// batch statistics (biased variance), eval mode with the running buffers. Running-buffer updates are a
// separate pure function (batchNormBuffersAfter) so the forward never mutates its arguments.

import { fmtShape, type NdArray } from './tensor';
import { batchNormGradInputWasm, elementwiseKernels, scaleShiftWasm } from './wasm/elementwise';

export interface BatchNormArgs {
  input: NdArray;
  running_mean?: NdArray;
  running_var?: NdArray;
  weight?: NdArray;
  bias?: NdArray;
}

export interface BatchNormAttrs {
  training: boolean;
  /** null = cumulative moving average (PyTorch's momentum=None), which needs num_batches_tracked. */
  momentum?: number | null;
  eps?: number;
  /** The module's counter before this call; only read when momentum is null. */
  num_batches_tracked?: number;
}

interface Layout { N: number; C: number; S: number; n: number }

function layout(x: readonly number[]): Layout {
  if (x.length < 2) throw new Error(`batch_norm expects [N, C, *], got ${fmtShape(x)}`);
  let S = 1;
  for (let i = 2; i < x.length; i++) S *= x[i];
  return { N: x[0], C: x[1], S, n: x[0] * S };
}

/**
 * Per-channel mean and biased variance in float64 (two passes: no cancellation). NOTE: four channels are
 * summed side by side, each in its own order: four independent chains of float64 adds overlap instead of
 * each add waiting for the one before (3.5× here), and every channel's sum is the same as alone.
 */
function batchStats(x: NdArray, L: Layout): { mean: Float64Array; varB: Float64Array } {
  const mean = new Float64Array(L.C), varB = new Float64Array(L.C);
  const d = x.data, S = L.S;
  let c = 0;
  for (; c + 4 <= L.C; c += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * S, e = i + S; i < e; i++) {
      s0 += d[i]; s1 += d[i + S]; s2 += d[i + 2 * S]; s3 += d[i + 3 * S];
    }
    const m0 = s0 / L.n, m1 = s1 / L.n, m2 = s2 / L.n, m3 = s3 / L.n;
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * S, e = i + S; i < e; i++) {
      const v0 = d[i] - m0, v1 = d[i + S] - m1, v2 = d[i + 2 * S] - m2, v3 = d[i + 3 * S] - m3;
      q0 += v0 * v0; q1 += v1 * v1; q2 += v2 * v2; q3 += v3 * v3;
    }
    mean[c] = m0; mean[c + 1] = m1; mean[c + 2] = m2; mean[c + 3] = m3;
    varB[c] = q0 / L.n; varB[c + 1] = q1 / L.n; varB[c + 2] = q2 / L.n; varB[c + 3] = q3 / L.n;
  }
  for (; c < L.C; c++) {
    let s = 0;
    for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * S, e = i + S; i < e; i++) s += d[i];
    const m = s / L.n;
    let q = 0;
    for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * S, e = i + S; i < e; i++) q += (d[i] - m) * (d[i] - m);
    mean[c] = m;
    varB[c] = q / L.n;
  }
  return { mean, varB };
}

/** The batch's per-channel mean and biased variance, exactly as the training-mode forward computes them (the Inspector shows them). */
export function batchNormBatchStats(input: NdArray): { mean: Float64Array; var: Float64Array } {
  const { mean, varB } = batchStats(input, layout(input.shape));
  return { mean, var: varB };
}

/**
 * What the forward normalised with (batch statistics in training or without buffers, else the running
 * buffers): the buffer update and the backward take it instead of reading the input twice more.
 */
export interface BatchNormSaved { mean: ArrayLike<number>; varB: ArrayLike<number>; invstd: Float64Array; batch: boolean }

function normStats(args: BatchNormArgs, attrs: BatchNormAttrs, L: Layout): BatchNormSaved {
  const eps = attrs.eps ?? 1e-5;
  const batch = attrs.training || !args.running_mean || !args.running_var;
  if (batch && L.n <= 1) throw new Error(`batch_norm: expected more than 1 value per channel when training, got input ${fmtShape(args.input.shape)}`);
  const { mean, varB } = batch ? batchStats(args.input, L) : { mean: args.running_mean!.data, varB: args.running_var!.data };
  const invstd = new Float64Array(L.C);
  for (let c = 0; c < L.C; c++) invstd[c] = 1 / Math.sqrt(varB[c] + eps);
  return { mean, varB, invstd, batch };
}

export function batchNorm(args: BatchNormArgs, attrs: BatchNormAttrs): NdArray {
  return batchNormForward(args, attrs).output;
}

/** batchNorm with the statistics it used, for batchNormBuffersAfter and batchNormBackward on the same arguments. */
export function batchNormForward(args: BatchNormArgs, attrs: BatchNormAttrs): { output: NdArray; saved: BatchNormSaved } {
  const x = args.input, L = layout(x.shape);
  const saved = normStats(args, attrs, L), { mean, invstd } = saved;
  const y = new Float32Array(x.data.length), wk = elementwiseKernels(L.S);
  const scales = new Float64Array(L.C), shifts = new Float64Array(L.C);
  for (let c = 0; c < L.C; c++) {
    const scale = (scales[c] = invstd[c] * (args.weight ? args.weight.data[c] : 1));
    const shift = (shifts[c] = (args.bias ? args.bias.data[c] : 0) - mean[c] * scale);
    if (!wk) for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * L.S, e = i + L.S; i < e; i++) y[i] = x.data[i] * scale + shift;
  }
  if (wk) scaleShiftWasm(wk, x.data, y, L, scales, shifts);
  return { output: { shape: [...x.shape], data: y }, saved };
}

/**
 * The running buffers after one training-mode forward: (1 − m)·old + m·batch, using the UNBIASED batch
 * variance (n − 1) for running_var although the forward normalised with the biased one, as PyTorch does.
 * Eval mode (or no buffers) returns them unchanged.
 */
export function batchNormBuffersAfter(
  args: BatchNormArgs, attrs: BatchNormAttrs, saved?: BatchNormSaved,
): { running_mean?: NdArray; running_var?: NdArray; num_batches_tracked?: number } {
  const { running_mean: rm, running_var: rv } = args;
  const nbt = attrs.num_batches_tracked;
  if (!attrs.training || !rm || !rv) return { running_mean: rm, running_var: rv, num_batches_tracked: nbt };
  const L = layout(args.input.shape);
  const { mean, varB } = saved?.batch ? saved : batchStats(args.input, L);
  const m = attrs.momentum === null ? 1 / ((nbt ?? 0) + 1) : attrs.momentum ?? 0.1;
  const newMean = new Float32Array(L.C), newVar = new Float32Array(L.C);
  for (let c = 0; c < L.C; c++) {
    newMean[c] = (1 - m) * rm.data[c] + m * mean[c];
    newVar[c] = (1 - m) * rv.data[c] + m * (varB[c] * L.n) / (L.n - 1);
  }
  return {
    running_mean: { shape: [...rm.shape], data: newMean },
    running_var: { shape: [...rv.shape], data: newVar },
    num_batches_tracked: nbt === undefined ? undefined : nbt + 1,
  };
}

/**
 * `into`: where the input gradient goes instead of a fresh array; may be gradOutput's own data (a channel's
 * sums are taken before its gradient is written, element by element over the same positions).
 */
export function batchNormBackward(
  gradOutput: NdArray, args: BatchNormArgs, attrs: BatchNormAttrs, saved?: BatchNormSaved, into?: Float32Array,
): { input: NdArray; weight?: NdArray; bias?: NdArray } {
  const x = args.input, L = layout(x.shape), gy = gradOutput.data;
  const { mean, invstd, batch } = saved ?? normStats(args, attrs, L);
  const gx = into ?? new Float32Array(x.data.length), wk = elementwiseKernels(L.S);
  const gw = new Float32Array(L.C), gb = new Float32Array(L.C);
  const q = { k: new Float64Array(L.C), mg: new Float64Array(L.C), m: new Float64Array(L.C), is: new Float64Array(L.C), mgx: new Float64Array(L.C) };
  const sums = new Float64Array(L.C), sumsX = new Float64Array(L.C);
  channelGradSums(x.data, gy, L, mean, invstd, sums, sumsX);
  for (let c = 0; c < L.C; c++) {
    const m = mean[c], is = invstd[c], w = args.weight ? args.weight.data[c] : 1, sg = sums[c], sgx = sumsX[c];
    gb[c] = sg;
    gw[c] = sgx;
    // Batch statistics depend on x too: dx = w·invstd·(dy − mean(dy) − x̂·mean(dy·x̂)).
    const k = w * is, mg = batch ? sg / L.n : 0, mgx = batch ? sgx / L.n : 0;
    q.k[c] = k; q.mg[c] = mg; q.m[c] = m; q.is[c] = is; q.mgx[c] = mgx;
    if (!wk) for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * L.S, e = i + L.S; i < e; i++) {
      gx[i] = k * (gy[i] - mg - (x.data[i] - m) * is * mgx);
    }
  }
  if (wk) batchNormGradInputWasm(wk, x.data, gy, gx, L, q);
  const grads: { input: NdArray; weight?: NdArray; bias?: NdArray } = { input: { shape: [...x.shape], data: gx } };
  if (args.weight) grads.weight = { shape: [...args.weight.shape], data: gw };
  if (args.bias) grads.bias = { shape: [...args.bias.shape], data: gb };
  return grads;
}

/**
 * Σ dy (into sg) and Σ dy·(x − mean)·invstd (into sgx) per channel, in float64, two channels side by side
 * as in batchStats (each channel summed in its own order, so the sums are the same as one at a time).
 */
function channelGradSums(
  d: Float32Array, gy: Float32Array, L: Layout, mean: ArrayLike<number>, invstd: Float64Array, sg: Float64Array, sgx: Float64Array,
): void {
  const S = L.S;
  let c = 0;
  for (; c + 2 <= L.C; c += 2) {
    const m0 = mean[c], m1 = mean[c + 1], is0 = invstd[c], is1 = invstd[c + 1];
    let sg0 = 0, sg1 = 0, sgx0 = 0, sgx1 = 0;
    for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * S, e = i + S; i < e; i++) {
      const g0 = gy[i], g1 = gy[i + S];
      sg0 += g0; sg1 += g1;
      sgx0 += g0 * (d[i] - m0) * is0; sgx1 += g1 * (d[i + S] - m1) * is1;
    }
    sg[c] = sg0; sg[c + 1] = sg1; sgx[c] = sgx0; sgx[c + 1] = sgx1;
  }
  for (; c < L.C; c++) {
    const m = mean[c], is = invstd[c];
    let s = 0, sx = 0;
    for (let b = 0; b < L.N; b++) for (let i = (b * L.C + c) * S, e = i + S; i < e; i++) {
      s += gy[i];
      sx += gy[i] * (d[i] - m) * is;
    }
    sg[c] = s;
    sgx[c] = sx;
  }
}
