// Element-wise helpers shared by the activation kernels: map a scalar function over a tensor, and the
// chain rule dx = dy · f'(x). Each activation file supplies only f and f'.

import { fmtShape, sameShape, type NdArray } from './tensor';

export interface UnaryArgs {
  input: NdArray;
}

export function mapUnary(x: NdArray, f: (v: number) => number): NdArray {
  const out = new Float32Array(x.data.length), d = x.data;
  for (let i = 0; i < d.length; i++) out[i] = f(d[i]);
  return { shape: [...x.shape], data: out };
}

/** { input: dy · f'(x) } */
export function unaryBackward(gradOutput: NdArray, x: NdArray, df: (v: number) => number): { input: NdArray } {
  if (!sameShape(gradOutput.shape, x.shape)) {
    throw new Error(`gradient ${fmtShape(gradOutput.shape)} does not match input ${fmtShape(x.shape)}`);
  }
  const out = new Float32Array(x.data.length), d = x.data, g = gradOutput.data;
  for (let i = 0; i < d.length; i++) out[i] = g[i] * df(d[i]);
  return { input: { shape: [...x.shape], data: out } };
}

/** Logistic function without overflow for large |v|. */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + e^v) without overflow. */
export function softplusScalar(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}
