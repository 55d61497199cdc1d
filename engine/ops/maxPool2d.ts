// max_pool2d (F.max_pool2d): max over dilated windows with -inf padding; ceil_mode windows that start
// past the padding are dropped (poolOutputSize). Backward routes dy to each window's first maximum.
// NaN wins a window, as in PyTorch's `val > max || isnan(val)`.

import { poolPlan, type Pool2dAttrs, type PoolPlan } from './poolWindow';
import type { NdArray } from './tensor';
import { trimWasmMemory, wasmKernels, type WasmKernels } from './wasm/wasmKernels';

/** Outputs below which the JS loop beats staging into WebAssembly. */
const WASM_MIN_OUTPUTS = 4096;

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

/** [lo, hi) of the taps k whose o·s − pad + k·dil lands in [0, size), for every output index o. */
function tapRanges(out: number, s: number, pad: number, dil: number, k: number, size: number): Int32Array {
  const r = new Int32Array(2 * out);
  for (let o = 0; o < out; o++) {
    const start = o * s - pad;
    r[2 * o] = Math.min(k, Math.max(0, Math.ceil(-start / dil)));
    r[2 * o + 1] = Math.max(r[2 * o], Math.min(k, Math.floor((size - 1 - start) / dil) + 1));
  }
  return r;
}

export function maxPool2d(args: { input: NdArray }, attrs: MaxPool2dAttrs): NdArray {
  // The values only (backward recomputes the argmax). In JS every tap's compare is a branch that random
  // data mispredicts; the WebAssembly kernel takes the max of four windows at once, branch-free.
  const p = poolPlan('max_pool2d', args.input.shape, attrs), d = args.input.data;
  const n = p.planes * p.Ho * p.Wo, wk = n >= WASM_MIN_OUTPUTS ? wasmKernels() : null;
  if (wk) {
    const [src, dst] = wk.regions(['pool.x', d.length], ['pool.y', n]), mem = wk.f32();
    mem.set(d, src >> 2);
    wk.k.maxPool2d(src, p.planes, p.H, p.W, p.Ho, p.Wo, p.kh, p.kw, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, dst);
    const y = mem.slice(dst >> 2, (dst >> 2) + n);
    trimWasmMemory();
    return { shape: p.outShape, data: y };
  }
  const ry = tapRanges(p.Ho, p.sh, p.ph, p.dh, p.kh, p.H), rx = tapRanges(p.Wo, p.sw, p.pw, p.dw, p.kw, p.W);
  const y = new Float32Array(p.planes * p.Ho * p.Wo);
  let o = 0;
  for (let pl = 0; pl < p.planes; pl++) {
    const base = pl * p.H * p.W;
    for (let oh = 0; oh < p.Ho; oh++) {
      const h0 = oh * p.sh - p.ph;
      for (let ow = 0; ow < p.Wo; ow++, o++) {
        const w0 = base + ow * p.sw - p.pw;
        let best = -Infinity;
        for (let ky = ry[2 * oh]; ky < ry[2 * oh + 1]; ky++) {
          const row = w0 + (h0 + ky * p.dh) * p.W;
          for (let kx = rx[2 * ow]; kx < rx[2 * ow + 1]; kx++) {
            const v = d[row + kx * p.dw];
            // NOTE: NaN wins the window and stays (nothing compares greater than NaN afterwards).
            if (v > best || v !== v) best = v;
          }
        }
        y[o] = best;
      }
    }
  }
  return { shape: p.outShape, data: y };
}

export function maxPool2dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: MaxPool2dAttrs): { input: NdArray } {
  const p = poolPlan('max_pool2d', args.input.shape, attrs);
  const gx = new Float32Array(args.input.data.length), wk = p.planes * p.Ho * p.Wo >= WASM_MIN_OUTPUTS ? wasmKernels() : null;
  if (wk) {
    backwardWasm(wk, p, args.input.data, gradOutput.data, gx);
    return { input: { shape: [...args.input.shape], data: gx } };
  }
  const idx = maxPool2dArgmax(args.input, p);
  for (let o = 0; o < idx.length; o++) if (idx[o] >= 0) gx[idx[o]] += gradOutput.data[o];
  return { input: { shape: [...args.input.shape], data: gx } };
}

/** Planes per staged chunk of the WebAssembly backward: about 64 Ki floats of input, so the memory stays small. */
const planesPerChunk = (p: PoolPlan) => Math.max(1, Math.floor((1 << 16) / (p.H * p.W)));

/** maxPool2dBackward on the WebAssembly kernels, a chunk of planes at a time (planes are independent). */
function backwardWasm(wk: WasmKernels, p: PoolPlan, x: Float32Array, gy: Float32Array, gx: Float32Array): void {
  const HW = p.H * p.W, O = p.Ho * p.Wo, step = Math.min(p.planes, planesPerChunk(p));
  const [src, g, dst] = wk.regions(['pool.x', step * HW], ['pool.y', step * O], ['pool.gx', step * HW]), mem = wk.f32();
  for (let pl = 0; pl < p.planes; pl += step) {
    const n = Math.min(step, p.planes - pl);
    mem.set(x.subarray(pl * HW, (pl + n) * HW), src >> 2);
    mem.set(gy.subarray(pl * O, (pl + n) * O), g >> 2);
    mem.fill(0, dst >> 2, (dst >> 2) + n * HW);
    wk.k.maxPool2dBackward(src, g, n, p.H, p.W, p.Ho, p.Wo, p.kh, p.kw, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, dst);
    gx.set(mem.subarray(dst >> 2, (dst >> 2) + n * HW), pl * HW);
  }
}
