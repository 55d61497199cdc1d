// adaptive_max_pool2d (F.adaptive_max_pool2d): max over the adaptiveRange windows; backward routes dy to
// each window's first maximum (NaN wins, as in PyTorch).

import { adaptiveRange } from './convShape';
import { adaptivePlan, type AdaptivePool2dAttrs } from './adaptiveAvgPool2d';
import type { NdArray } from './tensor';

export function adaptiveMaxPool2dOutputShape(x: readonly number[], attrs: AdaptivePool2dAttrs): number[] {
  return adaptivePlan('adaptive_max_pool2d', x, attrs).outShape;
}

/** Flat input index of each output cell's maximum. */
export function adaptiveMaxPool2dArgmax(x: NdArray, attrs: AdaptivePool2dAttrs): Int32Array {
  const p = adaptivePlan('adaptive_max_pool2d', x.shape, attrs);
  const idx = new Int32Array(p.planes * p.Ho * p.Wo);
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * p.H * p.W;
    for (let i = 0; i < p.Ho; i++) {
      const [h0, h1] = adaptiveRange(i, p.H, p.Ho);
      for (let j = 0; j < p.Wo; j++, o++) {
        const [w0, w1] = adaptiveRange(j, p.W, p.Wo);
        let at = base + h0 * p.W + w0, best = x.data[at];
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) {
          const k = base + h * p.W + w, v = x.data[k];
          if (v > best || (v !== v && best === best)) {
            best = v;
            at = k;
          }
        }
        idx[o] = at;
      }
    }
  }
  return idx;
}

export function adaptiveMaxPool2d(args: { input: NdArray }, attrs: AdaptivePool2dAttrs): NdArray {
  const idx = adaptiveMaxPool2dArgmax(args.input, attrs);
  const y = new Float32Array(idx.length);
  for (let o = 0; o < idx.length; o++) y[o] = args.input.data[idx[o]];
  return { shape: adaptiveMaxPool2dOutputShape(args.input.shape, attrs), data: y };
}

export function adaptiveMaxPool2dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: AdaptivePool2dAttrs): { input: NdArray } {
  const idx = adaptiveMaxPool2dArgmax(args.input, attrs);
  const gx = new Float32Array(args.input.data.length);
  for (let o = 0; o < idx.length; o++) gx[idx[o]] += gradOutput.data[o];
  return { input: { shape: [...args.input.shape], data: gx } };
}
