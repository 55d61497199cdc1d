// layer_norm (F.layer_norm): normalise over the trailing normalized_shape dims with the biased variance,
// then an elementwise affine of that shape. Statistics in float64.

import { fmtShape, numel, type NdArray } from './tensor';

export interface LayerNormArgs {
  input: NdArray;
  weight?: NdArray;
  bias?: NdArray;
}

export interface LayerNormAttrs {
  normalized_shape: number[];
  eps?: number;
}

function groups(x: readonly number[], ns: readonly number[]): [number, number] {
  const tail = x.slice(x.length - ns.length);
  if (ns.length > x.length || tail.some((d, i) => d !== ns[i])) {
    throw new Error(`layer_norm: normalized_shape ${fmtShape(ns)} does not match the end of input ${fmtShape(x)}`);
  }
  const D = numel(ns);
  return [numel(x) / D, D];
}

/** Mean and inverse std of each of the M rows of length D. */
function rowStats(x: Float32Array, M: number, D: number, eps: number): [Float64Array, Float64Array] {
  const mean = new Float64Array(M), invstd = new Float64Array(M);
  for (let r = 0; r < M; r++) {
    let s = 0;
    for (let i = r * D; i < (r + 1) * D; i++) s += x[i];
    const m = s / D;
    let q = 0;
    for (let i = r * D; i < (r + 1) * D; i++) q += (x[i] - m) * (x[i] - m);
    mean[r] = m;
    invstd[r] = 1 / Math.sqrt(q / D + eps);
  }
  return [mean, invstd];
}

export function layerNorm(args: LayerNormArgs, attrs: LayerNormAttrs): NdArray {
  const x = args.input, [M, D] = groups(x.shape, attrs.normalized_shape);
  const [mean, invstd] = rowStats(x.data, M, D, attrs.eps ?? 1e-5);
  const w = args.weight?.data, b = args.bias?.data;
  const y = new Float32Array(x.data.length);
  for (let r = 0; r < M; r++) {
    for (let j = 0, i = r * D; j < D; j++, i++) {
      const h = (x.data[i] - mean[r]) * invstd[r];
      y[i] = (w ? h * w[j] : h) + (b ? b[j] : 0);
    }
  }
  return { shape: [...x.shape], data: y };
}

export function layerNormBackward(
  gradOutput: NdArray, args: LayerNormArgs, attrs: LayerNormAttrs,
): { input: NdArray; weight?: NdArray; bias?: NdArray } {
  const x = args.input, [M, D] = groups(x.shape, attrs.normalized_shape);
  const [mean, invstd] = rowStats(x.data, M, D, attrs.eps ?? 1e-5);
  const w = args.weight?.data, gy = gradOutput.data;
  const gx = new Float32Array(x.data.length);
  const gw = new Float64Array(D), gb = new Float64Array(D);
  for (let r = 0; r < M; r++) {
    let sg = 0, sgh = 0;
    for (let j = 0, i = r * D; j < D; j++, i++) {
      const h = (x.data[i] - mean[r]) * invstd[r];
      const g = w ? gy[i] * w[j] : gy[i];
      sg += g;
      sgh += g * h;
      gw[j] += gy[i] * h;
      gb[j] += gy[i];
    }
    // dx = invstd · (g − mean(g) − x̂·mean(g·x̂)), g = dy·w
    for (let j = 0, i = r * D; j < D; j++, i++) {
      const h = (x.data[i] - mean[r]) * invstd[r];
      const g = w ? gy[i] * w[j] : gy[i];
      gx[i] = invstd[r] * (g - sg / D - (h * sgh) / D);
    }
  }
  const grads: { input: NdArray; weight?: NdArray; bias?: NdArray } = { input: { shape: [...x.shape], data: gx } };
  if (args.weight) grads.weight = { shape: [...args.weight.shape], data: Float32Array.from(gw) };
  if (args.bias) grads.bias = { shape: [...args.bias.shape], data: Float32Array.from(gb) };
  return grads;
}
