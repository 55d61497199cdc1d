// linear (F.linear): y = x·Wᵀ + b over the last dim, any number of leading dims, as one GEMM.
// Backward: dx = dy·W, dW = dyᵀ·x, db = column sums of dy (float64).

import { gemm } from './gemm';
import { fmtShape, numel, type NdArray } from './tensor';

export interface LinearArgs {
  input: NdArray;
  /** [out_features, in_features] */
  weight: NdArray;
  bias?: NdArray;
}

function dims(x: readonly number[], w: readonly number[]): [number, number, number] {
  const K = x[x.length - 1];
  if (x.length < 1 || w.length !== 2 || w[1] !== K) {
    throw new Error(`linear: input ${fmtShape(x)} does not fit weight ${fmtShape(w)}`);
  }
  return [numel(x) / K, w[0], K];
}

export function linearOutputShape(x: readonly number[], w: readonly number[]): number[] {
  dims(x, w);
  return [...x.slice(0, -1), w[0]];
}


export function linear(args: LinearArgs, _attrs: object = {}): NdArray {
  const { input: x, weight: w, bias: b } = args;
  const [M, N, K] = dims(x.shape, w.shape);
  const y = new Float32Array(M * N);
  if (b) for (let i = 0; i < M; i++) y.set(b.data, i * N);
  gemm(false, true, M, N, K, 1, x.data, K, w.data, K, b ? 1 : 0, y, N);
  return { shape: linearOutputShape(x.shape, w.shape), data: y };
}

export function linearBackward(
  gradOutput: NdArray, args: LinearArgs, _attrs: object = {},
): { input: NdArray; weight: NdArray; bias?: NdArray } {
  const { input: x, weight: w, bias: b } = args;
  const [M, N, K] = dims(x.shape, w.shape);
  const gy = gradOutput.data;
  const gx = new Float32Array(M * K);
  const gw = new Float32Array(N * K);
  gemm(false, false, M, K, N, 1, gy, N, w.data, K, 0, gx, K);
  gemm(true, false, N, K, M, 1, gy, N, x.data, K, 0, gw, K);
  const grads: { input: NdArray; weight: NdArray; bias?: NdArray } = {
    input: { shape: [...x.shape], data: gx },
    weight: { shape: [...w.shape], data: gw },
  };
  if (b) {
    const acc = new Float64Array(N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) acc[j] += gy[i * N + j];
    grads.bias = { shape: [...b.shape], data: Float32Array.from(acc) };
  }
  return grads;
}
