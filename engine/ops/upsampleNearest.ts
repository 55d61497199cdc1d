// upsample_nearest (F.interpolate mode='nearest') for [N, C, *spatial] with 1–3 spatial dims.
// Output size = `size`, or ⌊in·scale_factor⌋. Backward sums dy into the source pixel each output copied.
// NOTE: the source index is ⌊o·scale⌋ computed in float32 (Math.fround), as PyTorch's nearest_idx does,
// with scale = 1/scale_factor when given, else in/out; the exact-2× case is o >> 1.

import { expandList, fmtShape, numel, stridesOf, type NdArray } from './tensor';

export interface UpsampleAttrs {
  size?: number | number[] | null;
  scale_factor?: number | number[] | null;
}

export interface UpsamplePlan {
  inSpatial: number[];
  outSpatial: number[];
  /** scale_factor per dim when one was given (PyTorch then uses 1/scale_factor as the kernel's scale). */
  scales: Array<number | undefined>;
  planes: number;
  outShape: number[];
}

export function upsamplePlan(op: string, x: readonly number[], a: UpsampleAttrs, spatialDims?: number): UpsamplePlan {
  const k = x.length - 2;
  if (k < 1 || k > 3 || (spatialDims !== undefined && k !== spatialDims)) throw new Error(`${op}: unsupported input shape ${fmtShape(x)}`);
  const inSpatial = x.slice(2);
  let outSpatial: number[], scales: Array<number | undefined>;
  if (a.size != null) {
    outSpatial = expandList(a.size, k, 'size');
    scales = inSpatial.map(() => undefined);
  } else if (a.scale_factor != null) {
    scales = expandList(a.scale_factor, k, 'scale_factor');
    outSpatial = inSpatial.map((s, i) => Math.floor(s * scales[i]!));
  } else throw new Error(`${op}: either size or scale_factor should be defined`);
  if (outSpatial.some((s) => s <= 0)) throw new Error(`${op}: output size ${fmtShape(outSpatial)} is empty`);
  return { inSpatial, outSpatial, scales, planes: x[0] * x[1], outShape: [x[0], x[1], ...outSpatial] };
}

/** PyTorch's nearest_idx for every output index of one dim. */
function nearestIndex(inSize: number, outSize: number, scaleFactor: number | undefined): Int32Array {
  const idx = new Int32Array(outSize);
  const scale = Math.fround(scaleFactor !== undefined && scaleFactor > 0 ? 1 / scaleFactor : inSize / outSize);
  for (let o = 0; o < outSize; o++) {
    if (outSize === inSize) idx[o] = o;
    else if (outSize === 2 * inSize) idx[o] = o >> 1;
    else idx[o] = Math.min(Math.floor(Math.fround(o * scale)), inSize - 1);
  }
  return idx;
}

/** For each output element, the flat input offset it copies from. */
function sourceOffsets(p: UpsamplePlan): Int32Array {
  const maps = p.inSpatial.map((s, i) => nearestIndex(s, p.outSpatial[i], p.scales[i]));
  const inSt = stridesOf(p.inSpatial), inPlane = numel(p.inSpatial), outPlane = numel(p.outSpatial);
  const k = p.outSpatial.length, src = new Int32Array(p.planes * outPlane);
  const idx = new Array<number>(k).fill(0);
  for (let o = 0; o < outPlane; o++) {
    let off = 0;
    for (let d = 0; d < k; d++) off += maps[d][idx[d]] * inSt[d];
    for (let pl = 0; pl < p.planes; pl++) src[pl * outPlane + o] = pl * inPlane + off;
    for (let d = k - 1; d >= 0; d--) {
      if (++idx[d] < p.outSpatial[d]) break;
      idx[d] = 0;
    }
  }
  return src;
}

export function upsampleNearest(args: { input: NdArray }, attrs: UpsampleAttrs): NdArray {
  const p = upsamplePlan('upsample_nearest', args.input.shape, attrs);
  const src = sourceOffsets(p), y = new Float32Array(src.length);
  for (let i = 0; i < y.length; i++) y[i] = args.input.data[src[i]];
  return { shape: p.outShape, data: y };
}

export function upsampleNearestBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: UpsampleAttrs): { input: NdArray } {
  const p = upsamplePlan('upsample_nearest', args.input.shape, attrs);
  const src = sourceOffsets(p), gx = new Float32Array(args.input.data.length);
  for (let i = 0; i < src.length; i++) gx[src[i]] += gradOutput.data[i];
  return { input: { shape: [...args.input.shape], data: gx } };
}
