// max_pool2d (F.max_pool2d): max over dilated windows with -inf padding; ceil_mode windows that start
// past the padding are dropped (poolOutputSize). Backward routes dy to each window's first maximum.
// NaN wins a window, as in PyTorch's `val > max || isnan(val)`.

import { poolPlan, type Pool2dAttrs, type PoolPlan } from './poolWindow';
import type { NdArray } from './tensor';

export type MaxPool2dAttrs = Pool2dAttrs;

export function maxPool2dOutputShape(x: readonly number[], attrs: MaxPool2dAttrs): number[] {
  return poolPlan('max_pool2d', x, attrs).outShape;
}

/** Flat input index of each output cell's maximum (-1 if a window held no input, which the checks prevent). */
export function maxPool2dArgmax(x: NdArray, p: PoolPlan): Int32Array {
  const idx = new Int32Array(p.planes * p.Ho * p.Wo);
  const d = x.data, HW = p.H * p.W;
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * HW;
    for (let oh = 0; oh < p.Ho; oh++) {
      const h0 = oh * p.sh - p.ph;
      for (let ow = 0; ow < p.Wo; ow++, o++) {
        const w0 = ow * p.sw - p.pw;
        let best = -Infinity, at = -1;
        for (let ky = 0; ky < p.kh; ky++) {
          const h = h0 + ky * p.dh;
          if (h < 0 || h >= p.H) continue;
          for (let kx = 0; kx < p.kw; kx++) {
            const w = w0 + kx * p.dw;
            if (w < 0 || w >= p.W) continue;
            const i = base + h * p.W + w, v = d[i];
            if (v > best || (v !== v && best === best) || at < 0) {
              best = v;
              at = i;
            }
          }
        }
        idx[o] = at;
      }
    }
  }
  return idx;
}

export function maxPool2d(args: { input: NdArray }, attrs: MaxPool2dAttrs): NdArray {
  const p = poolPlan('max_pool2d', args.input.shape, attrs);
  const idx = maxPool2dArgmax(args.input, p);
  const y = new Float32Array(idx.length);
  for (let o = 0; o < idx.length; o++) y[o] = idx[o] < 0 ? -Infinity : args.input.data[idx[o]];
  return { shape: p.outShape, data: y };
}

export function maxPool2dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: MaxPool2dAttrs): { input: NdArray } {
  const p = poolPlan('max_pool2d', args.input.shape, attrs);
  const idx = maxPool2dArgmax(args.input, p);
  const gx = new Float32Array(args.input.data.length);
  for (let o = 0; o < idx.length; o++) if (idx[o] >= 0) gx[idx[o]] += gradOutput.data[o];
  return { input: { shape: [...args.input.shape], data: gx } };
}
