// avg_pool2d (F.avg_pool2d): window mean. With count_include_pad the divisor is the window clipped to
// the padded input [−p, H + p) (so a ceil_mode window overhanging the padding divides by fewer);
// without it, the number of real input elements; divisor_override replaces both.

import { poolPlan, type Pool2dAttrs, type PoolPlan } from './poolWindow';
import type { NdArray } from './tensor';

export interface AvgPool2dAttrs extends Omit<Pool2dAttrs, 'dilation'> {
  count_include_pad?: boolean;
  divisor_override?: number | null;
}

export function avgPool2dOutputShape(x: readonly number[], attrs: AvgPool2dAttrs): number[] {
  return poolPlan('avg_pool2d', x, attrs).outShape;
}

/** Calls visit(inputStart, inputEnd rows/cols clipped to the input, divisor) per output cell, in order. */
function forEachWindow(
  p: PoolPlan, a: AvgPool2dAttrs,
  visit: (o: number, h0: number, h1: number, w0: number, w1: number, div: number) => void,
): void {
  let o = 0;
  for (let oh = 0; oh < p.Ho; oh++) {
    let h0 = oh * p.sh - p.ph;
    let h1 = Math.min(h0 + p.kh, p.H + p.ph);
    const padH = h1 - h0;
    h0 = Math.max(h0, 0);
    h1 = Math.min(h1, p.H);
    for (let ow = 0; ow < p.Wo; ow++, o++) {
      let w0 = ow * p.sw - p.pw;
      let w1 = Math.min(w0 + p.kw, p.W + p.pw);
      const padW = w1 - w0;
      w0 = Math.max(w0, 0);
      w1 = Math.min(w1, p.W);
      const div = a.divisor_override ?? ((a.count_include_pad ?? true) ? padH * padW : (h1 - h0) * (w1 - w0));
      visit(o, h0, h1, w0, w1, div);
    }
  }
}

export function avgPool2d(args: { input: NdArray }, attrs: AvgPool2dAttrs): NdArray {
  const x = args.input, p = poolPlan('avg_pool2d', x.shape, attrs);
  const cells = p.Ho * p.Wo, y = new Float32Array(p.planes * cells);
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * p.H * p.W, out = pl * cells;
    forEachWindow(p, attrs, (o, h0, h1, w0, w1, div) => {
      let s = 0;
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x.data[base + h * p.W + w];
      y[out + o] = s / div;
    });
  }
  return { shape: p.outShape, data: y };
}

export function avgPool2dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: AvgPool2dAttrs): { input: NdArray } {
  const x = args.input, p = poolPlan('avg_pool2d', x.shape, attrs);
  const cells = p.Ho * p.Wo, gx = new Float32Array(x.data.length);
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * p.H * p.W, out = pl * cells;
    forEachWindow(p, attrs, (o, h0, h1, w0, w1, div) => {
      const g = gradOutput.data[out + o] / div;
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) gx[base + h * p.W + w] += g;
    });
  }
  return { input: { shape: [...x.shape], data: gx } };
}
