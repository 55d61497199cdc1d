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

/** out = f(x, y) chunk by chunk through the kernels' memory (x and y staged, the result read back). */
function binaryWasm(wk: WasmKernels, x: Float32Array, y: Float32Array, out: Float32Array, kernel: (a: number, b: number, o: number, n: number) => void): void {
  const [a, b] = wk.regions(['ew.a', CHUNK], ['ew.b', CHUNK]), mem = wk.f32();
  for (let i = 0; i < x.length; i += CHUNK) {
    const n = Math.min(CHUNK, x.length - i);
    mem.set(x.subarray(i, i + n), a >> 2);
    mem.set(y.subarray(i, i + n), b >> 2);
    kernel(a, b, a, n);
    out.set(mem.subarray(a >> 2, (a >> 2) + n), i);
  }
}

/** out = g · (x > 0): relu's backward over whole arrays of one length. */
export function reluBackwardWasm(wk: WasmKernels, x: Float32Array, g: Float32Array, out: Float32Array): void {
  binaryWasm(wk, x, g, out, (a, b, o, n) => wk.k.reluBackward(a, b, o, n));
}

/** out = x + y over whole arrays of one length (out may be x: add_). */
export function addWasm(wk: WasmKernels, x: Float32Array, y: Float32Array, out: Float32Array): void {
  binaryWasm(wk, x, y, out, (a, b, o, n) => wk.k.addArrays(a, b, o, n));
}

/** Runs of S floats per channel in an [N, C, S] array: the layout batch norm walks. */
export interface ChannelRuns { N: number; C: number; S: number }

/** y[b, c, :] = f32(x[b, c, :] · scale[c] + shift[c]) in float64: batch norm's normalisation. */
export function scaleShiftWasm(wk: WasmKernels, x: Float32Array, y: Float32Array, L: ChannelRuns, scale: Float64Array, shift: Float64Array): void {
  const [a] = wk.regions(['ew.a', CHUNK]), mem = wk.f32();
  for (let c = 0; c < L.C; c++) for (let b = 0; b < L.N; b++) {
    const e = (b * L.C + c + 1) * L.S;
    for (let i = (b * L.C + c) * L.S; i < e; i += CHUNK) {
      const n = Math.min(CHUNK, e - i);
      mem.set(x.subarray(i, i + n), a >> 2);
      wk.k.scaleShift(a, a, n, scale[c], shift[c]);
      y.set(mem.subarray(a >> 2, (a >> 2) + n), i);
    }
  }
}

/** Per-channel constants of batch norm's input gradient: gx = f32(k · (g − mg − (x − m) · is · mgx)). */
export interface BatchNormGradConsts { k: Float64Array; mg: Float64Array; m: Float64Array; is: Float64Array; mgx: Float64Array }

/** gx[b, c, :] from x and g with channel c's constants, in float64: batch norm's input gradient. */
export function batchNormGradInputWasm(wk: WasmKernels, x: Float32Array, g: Float32Array, gx: Float32Array, L: ChannelRuns, q: BatchNormGradConsts): void {
  const [a, b2] = wk.regions(['ew.a', CHUNK], ['ew.b', CHUNK]), mem = wk.f32();
  for (let c = 0; c < L.C; c++) for (let b = 0; b < L.N; b++) {
    const e = (b * L.C + c + 1) * L.S;
    for (let i = (b * L.C + c) * L.S; i < e; i += CHUNK) {
      const n = Math.min(CHUNK, e - i);
      mem.set(x.subarray(i, i + n), a >> 2);
      mem.set(g.subarray(i, i + n), b2 >> 2);
      wk.k.batchNormGradInput(a, b2, a, n, q.k[c], q.mg[c], q.m[c], q.is[c], q.mgx[c]);
      gx.set(mem.subarray(a >> 2, (a >> 2) + n), i);
    }
  }
}
