// Window geometry shared by max_pool2d and avg_pool2d: attribute defaults (stride = kernel_size),
// PyTorch's argument checks, and output sizes from convShape.ts' poolOutputSize. No arithmetic on data.

import { poolOutputSize } from './convShape';
import { expandList, fmtShape, type NdArray } from './tensor';

export interface Pool2dAttrs {
  kernel_size: number | number[];
  /** Defaults to kernel_size (also when null or an empty list, as F.max_pool2d accepts). */
  stride?: number | number[] | null;
  padding?: number | number[];
  dilation?: number | number[];
  ceil_mode?: boolean;
}

export interface PoolPlan {
  /** Number of independent H×W planes (every leading dim folded together). */
  planes: number;
  H: number; W: number; Ho: number; Wo: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  outShape: number[];
}

export function poolPlan(op: string, x: readonly number[], a: Pool2dAttrs): PoolPlan {
  if (x.length !== 3 && x.length !== 4) throw new Error(`${op} expects [N, C, H, W] or [C, H, W], got ${fmtShape(x)}`);
  const k = expandList(a.kernel_size, 2, 'kernel_size');
  const s = a.stride == null || (Array.isArray(a.stride) && a.stride.length === 0) ? k : expandList(a.stride, 2, 'stride');
  const p = expandList(a.padding ?? 0, 2, 'padding');
  const d = expandList(a.dilation ?? 1, 2, 'dilation');
  for (let i = 0; i < 2; i++) {
    if (p[i] > Math.floor(k[i] / 2)) throw new Error(`${op}: padding ${p[i]} should be at most half of kernel size ${k[i]}`);
  }
  const H = x[x.length - 2], W = x[x.length - 1];
  const ceil = a.ceil_mode ?? false;
  const Ho = poolOutputSize(H, k[0], s[0], p[0], d[0], ceil);
  const Wo = poolOutputSize(W, k[1], s[1], p[1], d[1], ceil);
  if (Ho <= 0 || Wo <= 0) throw new Error(`${op}: output size ${Ho}x${Wo} is too small for input ${fmtShape(x)}`);
  const planes = x.slice(0, -2).reduce((m, v) => m * v, 1);
  return {
    planes, H, W, Ho, Wo, kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: d[0], dw: d[1],
    outShape: [...x.slice(0, -2), Ho, Wo],
  };
}

// 1-d pooling runs the 2-d kernels on a unit-height view: [N, C, L] (or [C, L]) as [N, C, 1, L].

export function liftRow(t: NdArray, op: string): NdArray {
  if (t.shape.length !== 2 && t.shape.length !== 3) throw new Error(`${op} expects [N, C, L] or [C, L], got ${fmtShape(t.shape)}`);
  return { shape: [...t.shape.slice(0, -1), 1, t.shape[t.shape.length - 1]], data: t.data };
}

export const dropRow = (t: NdArray): NdArray => ({ shape: [...t.shape.slice(0, -2), t.shape[t.shape.length - 1]], data: t.data });

export interface Window1d { kernel_size: number | number[]; stride?: number | number[] | null; padding?: number | number[] }

/** A 1-d window as the 2-d one over a single row (stride defaults to the kernel, as in PyTorch). */
export function liftWindow(a: Window1d): { kernel_size: number[]; stride: number[]; padding: number[] } {
  const one = (v: number | number[], what: string) => expandList(v, 1, what)[0];
  const k = one(a.kernel_size, 'kernel_size');
  const noStride = a.stride == null || (Array.isArray(a.stride) && a.stride.length === 0);
  return { kernel_size: [1, k], stride: [1, noStride ? k : one(a.stride!, 'stride')], padding: [0, one(a.padding ?? 0, 'padding')] };
}
