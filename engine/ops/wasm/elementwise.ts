// Elementwise ops on the WebAssembly kernels: operands staged into the module's memory a chunk at a time
// (a few L2-sized regions, so the memory never grows to a tensor's size), computed there, copied back.
// The callers (relu.ts, …) keep their JS loops as the reference and for small arrays or no WebAssembly.

import { wasmKernels, type WasmKernels } from './wasmKernels';

/** Floats per staged chunk: three chunks stay in L2. */
const CHUNK = 1 << 14;
/** Below this many elements the JS loop is as fast (no staging, no calls). */
export const WASM_ELEMENTWISE_MIN = 4096;

/** This thread's kernels when an array of n elements is worth staging, else null. */
export function elementwiseKernels(n: number): WasmKernels | null {
  return n >= WASM_ELEMENTWISE_MIN ? wasmKernels() : null;
}

/** d[from, to) = relu(d[from, to)) in place, written to `out` (d itself by default). */
export function reluWasm(wk: WasmKernels, d: Float32Array, from: number, to: number, out: Float32Array = d): void {
  const [a] = wk.regions(['ew.a', CHUNK]), mem = wk.f32();
  for (let i = from; i < to; i += CHUNK) {
    const n = Math.min(CHUNK, to - i);
    mem.set(d.subarray(i, i + n), a >> 2);
    wk.k.reluInPlace(a, n);
    out.set(mem.subarray(a >> 2, (a >> 2) + n), i);
  }
}

/** out = g · (x > 0): relu's backward over whole arrays of one length. */
export function reluBackwardWasm(wk: WasmKernels, x: Float32Array, g: Float32Array, out: Float32Array): void {
  const [a, b] = wk.regions(['ew.a', CHUNK], ['ew.b', CHUNK]), mem = wk.f32();
  for (let i = 0; i < x.length; i += CHUNK) {
    const n = Math.min(CHUNK, x.length - i);
    mem.set(x.subarray(i, i + n), a >> 2);
    mem.set(g.subarray(i, i + n), b >> 2);
    wk.k.reluBackward(a, b, a, n);
    out.set(mem.subarray(a >> 2, (a >> 2) + n), i);
  }
}

/** out[from, to) = f32(x · scale + shift) in float64: batch norm's normalisation of one channel's run. */
export function scaleShiftWasm(wk: WasmKernels, x: Float32Array, out: Float32Array, from: number, to: number, scale: number, shift: number): void {
  const [a] = wk.regions(['ew.a', CHUNK]), mem = wk.f32();
  for (let i = from; i < to; i += CHUNK) {
    const n = Math.min(CHUNK, to - i);
    mem.set(x.subarray(i, i + n), a >> 2);
    wk.k.scaleShift(a, a, n, scale, shift);
    out.set(mem.subarray(a >> 2, (a >> 2) + n), i);
  }
}

/** gx[from, to) = f32(k · (g − mg − (x − m) · is · mgx)) in float64: batch norm's input gradient on one run. */
export function batchNormGradInputWasm(
  wk: WasmKernels, x: Float32Array, g: Float32Array, gx: Float32Array, from: number, to: number,
  k: number, mg: number, m: number, is: number, mgx: number,
): void {
  const [a, b] = wk.regions(['ew.a', CHUNK], ['ew.b', CHUNK]), mem = wk.f32();
  for (let i = from; i < to; i += CHUNK) {
    const n = Math.min(CHUNK, to - i);
    mem.set(x.subarray(i, i + n), a >> 2);
    mem.set(g.subarray(i, i + n), b >> 2);
    wk.k.batchNormGradInput(a, b, a, n, k, mg, m, is, mgx);
    gx.set(mem.subarray(a >> 2, (a >> 2) + n), i);
  }
}
