// The WebAssembly kernels against the plain-JS ones: GEMM over shapes, transposes, strides, edge sizes
// and chunked staging; conv2d / conv_transpose2d forward and backward; relu and batch norm bit for bit;
// and the JS fallback when WebAssembly is switched off. Every variant the runtime validates is checked.
import { setFlagsFromString } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dBackward } from '../../../engine/ops/conv2d';
import { convTranspose2d, convTranspose2dBackward } from '../../../engine/ops/convTranspose2d';
import { gemm, gemmWasm } from '../../../engine/ops/gemm';
import { gemmJs } from '../../../engine/ops/gemmJs';
import { maxPool2d, maxPool2dBackward, type MaxPool2dAttrs } from '../../../engine/ops/maxPool2d';
import { batchNormBackward, batchNormForward } from '../../../engine/ops/batchNorm';
import { relu, relu_, reluBackward } from '../../../engine/ops/relu';
import { add, add_ } from '../../../engine/ops/add';
import type { NdArray } from '../../../engine/ops/tensor';
import { gemmBackend, setGemmBackend, trimWasmMemory, wasmKernels } from '../../../engine/ops/wasm/wasmKernels';
import { randFloats } from './helpers';

const rand = randFloats;

/** |got − want| ≤ 1e-5 · Σ|a||b| + 1e-6 elementwise, with the scale computed by the caller. */
function expectNear(got: Float32Array, want: Float32Array, scale: number, what: string): void {
  expect(got.length).toBe(want.length);
  let worst = 0, at = -1;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= worst)) { worst = d; at = i; }
  }
  expect(worst, `${what}: max |diff| ${worst} at ${at}`).toBeLessThanOrEqual(1e-5 * scale + 1e-6);
}

interface GemmCase { tA: boolean; tB: boolean; M: number; N: number; K: number; alpha: number; beta: number; pad: number }

function runGemm(kernel: typeof gemm, c: GemmCase, seed: number): Float32Array {
  const lda = (c.tA ? c.M : c.K) + c.pad, ldb = (c.tB ? c.K : c.N) + c.pad, ldc = c.N + c.pad;
  const A = rand((c.tA ? c.K : c.M) * lda, seed), B = rand((c.tB ? c.N : c.K) * ldb, seed + 1);
  const C = rand(c.M * ldc, seed + 2);
  // beta = 0 overwrites: NaNs must not survive (the padding columns keep their values)
  if (c.beta === 0) for (let r = 0; r < c.M; r++) C.fill(NaN, r * ldc, r * ldc + c.N);
  kernel(c.tA, c.tB, c.M, c.N, c.K, c.alpha, A, lda, B, ldb, c.beta, C, ldc);
  return C;
}

// Node 20's V8 validates relaxed SIMD only behind this flag (Node 22 and Chromium ship it): set it so
// the relaxed build is checked here too. It only widens what WebAssembly.validate accepts.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const variants = (['relaxed-simd', 'simd128'] as const).filter((v) => { setGemmBackend(v); return gemmBackend() === v; });
setGemmBackend('auto');
afterAll(() => setGemmBackend('auto'));

describe('WebAssembly GEMM equals the JS GEMM', () => {
  it('some SIMD variant validates on this runtime', () => {
    expect(variants.length).toBeGreaterThan(0);
  });
  const sizes = [1, 3, 4, 5, 7, 8, 9, 13, 31, 64, 67];
  const cases: GemmCase[] = [];
  let i = 0;
  for (const M of sizes) for (const N of sizes) {
    const K = sizes[(i * 7) % sizes.length] + (i % 3) * 100;
    cases.push({ tA: i % 2 === 1, tB: (i >> 1) % 2 === 1, M, N, K, alpha: i % 5 === 0 ? -0.7 : 1, beta: [0, 1, 0.5][i % 3], pad: i % 4 === 0 ? 3 : 0 });
    i++;
  }
  // Blocking edges (KC = 256, MC = 64, NC = 1024) and a product staged in several chunks.
  for (const [M, N, K] of [[65, 1025, 257], [130, 2051, 513], [1, 2100, 2100], [2100, 3, 2100]]) {
    for (const tA of [false, true]) for (const tB of [false, true]) cases.push({ tA, tB, M, N, K, alpha: 1.25, beta: 0.5, pad: 1 });
  }
  for (const v of variants) {
    it(`${v}: ${cases.length} shapes, all four transposes, alpha/beta, padded leading dims`, () => {
      setGemmBackend(v);
      cases.forEach((c, j) => {
        const got = runGemm(gemmWasm, c, j), want = runGemm(gemmJs, c, j);
        const ldc = c.N + c.pad;
        expectNear(got, want, c.K * 0.25 * Math.abs(c.alpha) + 1, `gemm tA=${c.tA} tB=${c.tB} M=${c.M} N=${c.N} K=${c.K} ldc=${ldc}`);
      });
    });
  }
  it('M, N or K of zero, and alpha = 0, only scale C', () => {
    setGemmBackend('auto');
    for (const [M, N, K, alpha] of [[0, 5, 5, 1], [5, 0, 5, 1], [5, 5, 0, 1], [5, 5, 5, 0]]) {
      const c: GemmCase = { tA: false, tB: false, M, N, K, alpha, beta: 0.5, pad: 0 };
      expectNear(runGemm(gemmWasm, c, 1), runGemm(gemmJs, c, 1), 1, `M=${M} N=${N} K=${K} alpha=${alpha}`);
    }
  });
});

const nd = (shape: number[], seed: number): NdArray => ({ shape, data: rand(shape.reduce((a, b) => a * b, 1), seed) });

function both<T>(f: () => T): [T, T] {
  setGemmBackend('auto');
  const w = f();
  setGemmBackend('js');
  const j = f();
  setGemmBackend('auto');
  return [w, j];
}

describe('conv kernels on WebAssembly equal the JS ones', () => {
  const convCases: Array<{ name: string; x: number[]; w: number[]; attrs: Record<string, unknown> }> = [
    { name: 'x=[1,64,56,56] w=[64,64,3,3] p=1', x: [1, 64, 56, 56], w: [64, 64, 3, 3], attrs: { padding: 1 } },
    { name: 'x=[2,6,17,13] w=[8,3,3,2] s=[2,1] p=[2,1] d=[1,2] groups=2', x: [2, 6, 17, 13], w: [8, 3, 3, 2], attrs: { stride: [2, 1], padding: [2, 1], dilation: [1, 2], groups: 2 } },
    { name: 'x=[1,3,30,31] w=[5,3,7,7] s=2 p=3', x: [1, 3, 30, 31], w: [5, 3, 7, 7], attrs: { stride: 2, padding: 3 } },
    { name: 'x=[1,256,20,100] w=[4,256,3,3] p=1 (several row bands)', x: [1, 256, 20, 100], w: [4, 256, 3, 3], attrs: { padding: 1 } },
    { name: "x=[1,4,9,9] w=[4,4,4,4] padding='same' d=2", x: [1, 4, 9, 9], w: [4, 4, 4, 4], attrs: { padding: 'same', dilation: 2 } },
  ];
  for (const c of convCases) {
    it(`conv2d ${c.name} forward and backward`, () => {
      const args = { input: nd(c.x, 1), weight: nd(c.w, 2), bias: nd([c.w[0]], 3) };
      const [yw, yj] = both(() => conv2d(args, c.attrs));
      const K = c.w[1] * c.w[2] * c.w[3];
      expectNear(yw.data, yj.data, K * 0.25, 'output');
      const gy = nd(yw.shape, 4);
      const [gw, gj] = both(() => conv2dBackward(gy, args, c.attrs));
      expectNear(gw.input.data, gj.input.data, c.w[0] * c.w[2] * c.w[3] * 0.25, 'grad input');
      expectNear(gw.weight.data, gj.weight.data, gy.data.length * 0.25, 'grad weight');
    });
  }
  it('conv_transpose2d x=[2,4,9,11] w=[4,3,3,2] s=[2,1] p=1 op=[1,0] d=[1,2] groups=2 forward and backward', () => {
    const attrs = { stride: [2, 1], padding: 1, output_padding: [1, 0], dilation: [1, 2], groups: 2 };
    const args = { input: nd([2, 4, 9, 11], 5), weight: nd([4, 3, 3, 2], 6), bias: nd([6], 7) };
    const [yw, yj] = both(() => convTranspose2d(args, attrs));
    expectNear(yw.data, yj.data, 10, 'output');
    const gy = nd(yw.shape, 8);
    const [gw, gj] = both(() => convTranspose2dBackward(gy, args, attrs));
    expectNear(gw.input.data, gj.input.data, 10, 'grad input');
    expectNear(gw.weight.data, gj.weight.data, gy.data.length * 0.25, 'grad weight');
  });
});

describe('max_pool2d forward and backward on WebAssembly equal the JS loops', () => {
  const cases: Array<[number[], MaxPool2dAttrs]> = [
    [[1, 8, 112, 112], { kernel_size: 3, stride: 2, padding: 1 }],
    [[2, 6, 66, 47], { kernel_size: 2, stride: 2 }],
    [[1, 4, 30, 29], { kernel_size: 3, stride: 1, padding: 1 }],
    [[1, 16, 61, 77], { kernel_size: [3, 2], stride: [2, 3], padding: [1, 1], dilation: [2, 1], ceil_mode: true }],
    [[1, 8, 40, 41], { kernel_size: 3, stride: 2, dilation: 2, padding: 1 }],
  ];
  for (const [shape, attrs] of cases) {
    it(`max_pool2d and its backward x=[${shape.join(',')}] ${JSON.stringify(attrs)}, with NaN and ±Infinity inputs`, () => {
      const x = nd(shape, 11);
      x.data[5] = NaN; x.data[200] = -Infinity; x.data[301] = Infinity; x.data[x.data.length - 1] = NaN;
      const [w, j] = both(() => maxPool2d({ input: x }, attrs));
      expect(w.shape).toEqual(j.shape);
      expect(Array.from(w.data)).toEqual(Array.from(j.data));
      // backward: ties (the first maximum gets dy), NaNs (the first NaN wins) and windows that share inputs
      for (let i = 0; i < x.data.length; i += 13) x.data[i] = x.data[i + 1] ?? 0;
      x.data[700] = NaN; x.data[701] = NaN;
      const gy = nd(w.shape, 12);
      const [gw, gj] = both(() => maxPool2dBackward(gy, { input: x }, attrs));
      expect(Array.from(gw.input.data)).toEqual(Array.from(gj.input.data));
    });
  }
});

describe('WebAssembly memory', () => {
  it('an instance whose memory grew past the limit is dropped; the next call starts a fresh one', () => {
    setGemmBackend('auto');
    const c: GemmCase = { tA: false, tB: false, M: 300, N: 300, K: 300, alpha: 1, beta: 0, pad: 0 };
    runGemm(gemmWasm, c, 3);
    const before = wasmKernels()!;
    trimWasmMemory(2 ** 40);
    expect(wasmKernels()).toBe(before);
    trimWasmMemory(0);
    const after = wasmKernels()!;
    expect(after).not.toBe(before);
    expect(after.bytes).toBeLessThan(before.bytes);
    expectNear(runGemm(gemmWasm, c, 3), runGemm(gemmJs, c, 3), 300 * 0.25, 'gemm after the memory was released');
  });
});

describe('fallback with WebAssembly switched off', () => {
  it("setGemmBackend('js') runs the JS kernel and gemmWasm refuses", () => {
    setGemmBackend('js');
    try {
      expect(gemmBackend()).toBe('js');
      const c: GemmCase = { tA: true, tB: false, M: 40, N: 50, K: 60, alpha: 1, beta: 0, pad: 0 };
      expectNear(runGemm(gemm, c, 9), runGemm(gemmJs, c, 9), 1, 'gemm');
      expect(() => runGemm(gemmWasm, c, 9)).toThrow(/unavailable or switched off/);
    } finally {
      setGemmBackend('auto');
    }
    expect(gemmBackend()).not.toBe('js');
  });
});

describe('elementwise kernels on WebAssembly equal the JS loops to the bit', () => {
  /** Random data with the values that test the edges of each formula: ±0, ±Infinity, NaN, subnormals. */
  function special(n: number, seed: number): Float32Array {
    const d = rand(n, seed), odd = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3.4e38, -3.4e38];
    for (let i = 0; i < n; i += 97) d[i] = odd[(i / 97) % odd.length];
    return d;
  }
  const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  /** Equal bit patterns, except that any NaN equals any NaN (WebAssembly may canonicalise a NaN's payload). */
  function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
    expect(got.length, what).toBe(want.length);
    const g = bits(got), w = bits(want);
    let bad = -1;
    for (let i = 0; i < g.length && bad < 0; i++) if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) bad = i;
    expect(bad, `${what}: first difference at ${bad} (${got[bad]} vs ${want[bad]})`).toBe(-1);
  }
  // below the staging threshold, not a multiple of 4, several 16 Ki-float chunks, batch of 2
  for (const shape of [[1, 3, 5, 7], [1, 4, 65, 67], [2, 3, 150, 151]]) {
    it(`relu, relu_, reluBackward, add, add_ and batch norm (train and eval) forward and backward, x=[${shape}]`, () => {
      const x = { shape, data: special(shape.reduce((a, b) => a * b), 31) }, gy = { shape, data: special(x.data.length, 32) };
      const [y, yj] = both(() => relu({ input: x }));
      expectSameBits(y.data, yj.data, 'relu');
      const [yi, yij] = both(() => relu_({ input: { shape, data: x.data.slice() } }));
      expectSameBits(yi.data, yij.data, 'relu_');
      const [g, gj] = both(() => reluBackward(gy, { input: x }));
      expectSameBits(g.input.data, gj.input.data, 'reluBackward');
      const [s, sj] = both(() => add({ input: x, other: gy }));
      expectSameBits(s.data, sj.data, 'add');
      const [s_, sj_] = both(() => add_({ input: { shape, data: x.data.slice() }, other: gy }));
      expectSameBits(s_.data, sj_.data, 'add_');
      const C = shape[1], finite = { shape, data: rand(x.data.length, 33) };
      const bn = { input: finite, weight: nd([C], 34), bias: nd([C], 35), running_mean: nd([C], 36), running_var: { shape: [C], data: new Float32Array(C).fill(0.7) } };
      for (const training of [true, false]) {
        const [f, fj] = both(() => batchNormForward(bn, { training }));
        expectSameBits(f.output.data, fj.output.data, `batch norm forward, training=${training}`);
        const [b, bj] = both(() => batchNormBackward(gy, bn, { training }, f.saved));
        expectSameBits(b.input.data, bj.input.data, `batch norm input gradient, training=${training}`);
        expectSameBits(b.weight!.data, bj.weight!.data, `batch norm weight gradient, training=${training}`);
      }
    });
  }
});
