// upsample_bilinear2d (F.interpolate mode='bilinear') for [N, C, H, W], align_corners true or false.
// Source coordinate per PyTorch's area_pixel_compute_source_index: align_corners maps corners to
// corners ((in−1)/(out−1)); otherwise (o + 0.5)·scale − 0.5 clamped at 0. Backward scatters the weights.

import { upsamplePlan, type UpsampleAttrs } from './upsampleNearest';
import type { NdArray } from './tensor';

export interface UpsampleBilinearAttrs extends UpsampleAttrs {
  align_corners?: boolean;
}

interface Taps { i0: Int32Array; i1: Int32Array; w0: Float64Array; w1: Float64Array }

/** Two source indices and their weights for each output index of one dim. */
function taps(inSize: number, outSize: number, scaleFactor: number | undefined, alignCorners: boolean): Taps {
  const t: Taps = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float64Array(outSize), w1: new Float64Array(outSize) };
  const scale = alignCorners
    ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0)
    : scaleFactor !== undefined && scaleFactor > 0 ? 1 / scaleFactor : inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    let src = alignCorners ? scale * o : scale * (o + 0.5) - 0.5;
    if (src < 0) src = 0;
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const l1 = src - i0;
    t.i0[o] = i0;
    t.i1[o] = i0 < inSize - 1 ? i0 + 1 : i0;
    t.w0[o] = 1 - l1;
    t.w1[o] = l1;
  }
  return t;
}

function plan(x: readonly number[], a: UpsampleBilinearAttrs) {
  const p = upsamplePlan('upsample_bilinear2d', x, a, 2);
  const ac = a.align_corners ?? false;
  return { p, th: taps(p.inSpatial[0], p.outSpatial[0], p.scales[0], ac), tw: taps(p.inSpatial[1], p.outSpatial[1], p.scales[1], ac) };
}

export function upsampleBilinear(args: { input: NdArray }, attrs: UpsampleBilinearAttrs): NdArray {
  const { p, th, tw } = plan(args.input.shape, attrs);
  const [H, W] = p.inSpatial, [Ho, Wo] = p.outSpatial, x = args.input.data;
  const y = new Float32Array(p.planes * Ho * Wo);
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * H * W;
    for (let i = 0; i < Ho; i++) {
      const r0 = base + th.i0[i] * W, r1 = base + th.i1[i] * W, a0 = th.w0[i], a1 = th.w1[i];
      for (let j = 0; j < Wo; j++, o++) {
        const c0 = tw.i0[j], c1 = tw.i1[j], b0 = tw.w0[j], b1 = tw.w1[j];
        y[o] = a0 * (b0 * x[r0 + c0] + b1 * x[r0 + c1]) + a1 * (b0 * x[r1 + c0] + b1 * x[r1 + c1]);
      }
    }
  }
  return { shape: p.outShape, data: y };
}

export function upsampleBilinearBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: UpsampleBilinearAttrs): { input: NdArray } {
  const { p, th, tw } = plan(args.input.shape, attrs);
  const [H, W] = p.inSpatial, [Ho, Wo] = p.outSpatial, g = gradOutput.data;
  const gx = new Float32Array(args.input.data.length);
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * H * W;
    for (let i = 0; i < Ho; i++) {
      const r0 = base + th.i0[i] * W, r1 = base + th.i1[i] * W, a0 = th.w0[i], a1 = th.w1[i];
      for (let j = 0; j < Wo; j++, o++) {
        const c0 = tw.i0[j], c1 = tw.i1[j], b0 = tw.w0[j], b1 = tw.w1[j], v = g[o];
        gx[r0 + c0] += a0 * b0 * v;
        gx[r0 + c1] += a0 * b1 * v;
        gx[r1 + c0] += a1 * b0 * v;
        gx[r1 + c1] += a1 * b1 * v;
      }
    }
  }
  return { input: { shape: [...args.input.shape], data: gx } };
}
