// adaptive_avg_pool2d (F.adaptive_avg_pool2d): output cell i of a dim (input n, output m) averages
// [⌊i·n/m⌋, ⌈(i+1)·n/m⌉) — convShape.ts' adaptiveRange. Windows may overlap (m > n upsamples).

import { adaptiveRange } from './convShape';
import { expandList, fmtShape, type NdArray } from './tensor';

export interface AdaptivePool2dAttrs {
  /** null keeps that dim's input size, as PyTorch's None does. */
  output_size: number | null | Array<number | null>;
}

export interface AdaptivePlan { planes: number; H: number; W: number; Ho: number; Wo: number; outShape: number[] }

export function adaptivePlan(op: string, x: readonly number[], a: AdaptivePool2dAttrs): AdaptivePlan {
  if (x.length !== 3 && x.length !== 4) throw new Error(`${op} expects [N, C, H, W] or [C, H, W], got ${fmtShape(x)}`);
  const H = x[x.length - 2], W = x[x.length - 1];
  const os = a.output_size;
  const [Ho, Wo] = (os === null || typeof os === 'number' ? [os, os] : expandList(os as number[], 2, 'output_size'))
    .map((v, i) => v ?? [H, W][i]);
  if (H <= 0 || W <= 0 || Ho <= 0 || Wo <= 0) throw new Error(`${op}: empty input ${fmtShape(x)} or output ${Ho}x${Wo}`);
  return { planes: x.slice(0, -2).reduce((m, v) => m * v, 1), H, W, Ho, Wo, outShape: [...x.slice(0, -2), Ho, Wo] };
}

export function adaptiveAvgPool2dOutputShape(x: readonly number[], attrs: AdaptivePool2dAttrs): number[] {
  return adaptivePlan('adaptive_avg_pool2d', x, attrs).outShape;
}

export function adaptiveAvgPool2d(args: { input: NdArray }, attrs: AdaptivePool2dAttrs): NdArray {
  const x = args.input, p = adaptivePlan('adaptive_avg_pool2d', x.shape, attrs);
  const y = new Float32Array(p.planes * p.Ho * p.Wo);
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * p.H * p.W;
    for (let i = 0; i < p.Ho; i++) {
      const [h0, h1] = adaptiveRange(i, p.H, p.Ho);
      for (let j = 0; j < p.Wo; j++, o++) {
        const [w0, w1] = adaptiveRange(j, p.W, p.Wo);
        let s = 0;
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x.data[base + h * p.W + w];
        y[o] = s / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return { shape: p.outShape, data: y };
}

export function adaptiveAvgPool2dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: AdaptivePool2dAttrs): { input: NdArray } {
  const x = args.input, p = adaptivePlan('adaptive_avg_pool2d', x.shape, attrs);
  const gx = new Float32Array(x.data.length);
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * p.H * p.W;
    for (let i = 0; i < p.Ho; i++) {
      const [h0, h1] = adaptiveRange(i, p.H, p.Ho);
      for (let j = 0; j < p.Wo; j++, o++) {
        const [w0, w1] = adaptiveRange(j, p.W, p.Wo);
        const g = gradOutput.data[o] / ((h1 - h0) * (w1 - w0));
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) gx[base + h * p.W + w] += g;
      }
    }
  }
  return { input: { shape: [...x.shape], data: gx } };
}
