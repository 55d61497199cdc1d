// The compute pool (worker_threads, the bundle the global setup builds): parallelGemm, conv2dAsync and
// conv2dBackwardAsync on two threads equal the single-threaded kernels, over shared memory and over
// copies (what a browser that is not cross-origin isolated gets), with WebAssembly on and off.
import { afterAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dBackward, type Conv2dAttrs } from '../../../engine/ops/conv2d';
import { gemm } from '../../../engine/ops/gemm';
import { createNodePool } from '../../../engine/node/nodePool';
import { conv2dAsync, conv2dBackwardAsync } from '../../../engine/ops/pool/conv2dAsync';
import { parallelGemm, splitRange } from '../../../engine/ops/pool/parallelGemm';
import type { ComputePool } from '../../../engine/ops/pool/pool';
import type { NdArray } from '../../../engine/ops/tensor';
import { setGemmBackend } from '../../../engine/ops/wasm/wasmKernels';
import { POOL_WORKER } from './globalSetup';
import { randFloats } from './helpers';

const rand = randFloats;
const nd = (shape: number[], seed: number): NdArray => ({ shape, data: rand(shape.reduce((a, b) => a * b, 1), seed) });

function expectNear(got: Float32Array, want: Float32Array, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst, what).toBeLessThanOrEqual(tol);
}

/** A pool that counts the tasks it was given, so a test knows the work really was split. */
function counting(p: ComputePool): ComputePool & { tasks: number } {
  const c = {
    tasks: 0, threads: p.threads, shared: p.shared,
    run: (i: number, t: Parameters<ComputePool['run']>[1], into?: Float32Array[], handOver?: Float32Array[]) => { c.tasks++; return p.run(i, t, into, handOver); },
    alloc: (n: number) => p.alloc(n), release: (...a: Float32Array[]) => p.release(...a), dispose: () => p.dispose(),
  };
  return c;
}

const pools: Array<[string, ComputePool & { tasks: number }]> = [
  // prestarted, as the CLI starts it (the workers boot while the caller works)
  ['shared memory', counting(createNodePool({ threads: 2, script: POOL_WORKER, prestart: true }))],
  ['copies', counting(createNodePool({ threads: 2, script: POOL_WORKER, shared: false }))],
];
afterAll(() => { for (const [, p] of pools) p.dispose(); setGemmBackend('auto'); });

describe('splitRange', () => {
  it('covers [0, n) with aligned, ordered, non-empty parts', () => {
    expect(splitRange(3136, 2, 8)).toEqual([[0, 1568], [1568, 3136]]);
    expect(splitRange(10, 3, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(splitRange(1, 2)).toEqual([[0, 1]]);
  });
});

for (const [kind, pool] of pools) {
  describe(`two threads over ${kind}`, () => {
    const gemmCases = [
      { tA: false, tB: false, M: 64, N: 3136, K: 576, beta: 0 },
      { tA: true, tB: false, M: 576, N: 300, K: 64, beta: 1 },
      { tA: false, tB: true, M: 130, N: 257, K: 99, beta: 0.5 },
      { tA: true, tB: true, M: 300, N: 77, K: 200, beta: 0 },
      { tA: false, tB: false, M: 1000, N: 50, K: 60, beta: 0 },
    ];
    for (const c of gemmCases) {
      it(`parallelGemm tA=${c.tA} tB=${c.tB} M=${c.M} N=${c.N} K=${c.K} beta=${c.beta} equals gemm`, async () => {
        const lda = (c.tA ? c.M : c.K) + 2, ldb = (c.tB ? c.K : c.N) + 1, ldc = c.N + 3;
        const A = rand((c.tA ? c.K : c.M) * lda, 1), B = rand((c.tB ? c.N : c.K) * ldb, 2), C0 = rand(c.M * ldc, 3);
        const want = C0.slice(), got = C0.slice();
        gemm(c.tA, c.tB, c.M, c.N, c.K, 0.75, A, lda, B, ldb, c.beta, want, ldc);
        const before = pool.tasks;
        await parallelGemm(pool, c.tA, c.tB, c.M, c.N, c.K, 0.75, A, lda, B, ldb, c.beta, got, ldc);
        expect(pool.tasks).toBe(before + 1);
        expectNear(got, want, 1e-5, 'C');
      });
    }
    const convCases: Array<{ name: string; x: number[]; w: number[]; attrs: Conv2dAttrs }> = [
      { name: 'x=[1,64,56,56] w=[64,64,3,3] p=1 (row bands)', x: [1, 64, 56, 56], w: [64, 64, 3, 3], attrs: { padding: 1 } },
      { name: 'x=[1,8,90,75] w=[32,4,5,3] s=2 p=[3,1] d=[2,1] groups=2 (row bands)', x: [1, 8, 90, 75], w: [32, 4, 5, 3], attrs: { stride: 2, padding: [3, 1], dilation: [2, 1], groups: 2 } },
      { name: "x=[1,16,41,41] w=[32,16,4,4] padding='same' (row bands)", x: [1, 16, 41, 41], w: [32, 16, 4, 4], attrs: { padding: 'same' } },
      { name: 'x=[1,64,9,9] w=[130,64,3,3] p=1 (channel split forward and backward)', x: [1, 64, 9, 9], w: [130, 64, 3, 3], attrs: { padding: 1 } },
      { name: 'x=[3,16,30,30] w=[32,16,3,3] s=2 p=1 (batch split)', x: [3, 16, 30, 30], w: [32, 16, 3, 3], attrs: { stride: 2, padding: 1 } },
    ];
    for (const c of convCases) {
      it(`conv2dAsync and conv2dBackwardAsync ${c.name} equal conv2d`, async () => {
        const args = { input: nd(c.x, 4), weight: nd(c.w, 5), bias: nd([c.w[0]], 6) };
        const before = pool.tasks;
        const want = conv2d(args, c.attrs), got = await conv2dAsync(args, c.attrs, pool);
        expect(pool.tasks).toBe(before + 1);
        expect(got.shape).toEqual(want.shape);
        expectNear(got.data, want.data, 1e-5, 'output');
        const gy = nd(want.shape, 7);
        const gw = conv2dBackward(gy, args, c.attrs), gg = await conv2dBackwardAsync(gy, args, c.attrs, pool);
        expect(pool.tasks).toBe(before + 2);
        // two threads: the input gradient on the worker, the weight gradient here, nothing summed across
        // threads, so the gradients are the one-thread ones to the bit
        expect(gg.input.data).toEqual(gw.input.data);
        expect(gg.weight.data).toEqual(gw.weight.data);
        expect(gg.bias!.data).toEqual(gw.bias!.data);
        // written into arrays handed in (holding anything beforehand): the same numbers, no fresh arrays
        const junk = (n: number) => new Float32Array(n).fill(NaN);
        const into = { input: junk(gw.input.data.length), weight: junk(gw.weight.data.length), bias: junk(gw.bias!.data.length) };
        const gi = conv2dBackward(gy, args, c.attrs, into);
        expect([gi.input.data, gi.weight.data, gi.bias!.data]).toEqual([into.input, into.weight, into.bias]);
        expect([into.input, into.weight, into.bias]).toEqual([gw.input.data, gw.weight.data, gw.bias!.data]);
        const wInto = junk(gw.weight.data.length), xInto = junk(gw.input.data.length);
        const ga = await conv2dBackwardAsync(gy, args, c.attrs, pool, { input: xInto, weight: wInto });
        expect([ga.input.data, ga.weight.data]).toEqual([xInto, wInto]);
        expect(ga.weight.data).toBe(wInto);
        expect(ga.input.data).toBe(xInto);
        // gradients in shared memory: written there in place (the worker's input gradient too)
        const sInto = new Float32Array(new SharedArrayBuffer(gw.weight.data.byteLength)).fill(NaN);
        const sxInto = new Float32Array(new SharedArrayBuffer(gw.input.data.byteLength)).fill(NaN);
        const gs = await conv2dBackwardAsync(gy, args, c.attrs, pool, { input: sxInto, weight: sInto });
        expect(gs.weight.data).toBe(sInto);
        expect(gs.input.data).toBe(sxInto);
        expect([sxInto, sInto]).toEqual([gg.input.data, gg.weight.data]);
        expect([ga.input.data, ga.weight.data, ga.bias!.data]).toEqual([gg.input.data, gg.weight.data, gg.bias!.data]);
        expectNear((await conv2dAsync(args, c.attrs, pool, { relu: true })).data, conv2d(args, c.attrs, { relu: true }).data, 1e-5, 'fused relu');
      });
    }
    it('runs with WebAssembly switched off on every thread (the JS fallback)', async () => {
      setGemmBackend('js');
      await pool.run(0, { op: 'backend', backend: 'js' });
      try {
        const attrs = { padding: 1 }, args = { input: nd([1, 16, 40, 40], 8), weight: nd([32, 16, 3, 3], 9) };
        const got = await conv2dAsync(args, attrs, pool);
        const gy = nd(got.shape, 10), gg = await conv2dBackwardAsync(gy, args, attrs, pool), want = conv2dBackward(gy, args, attrs);
        setGemmBackend('auto');
        expectNear(got.data, conv2d(args, attrs).data, 1e-5, 'output');
        expect(gg.input.data).toEqual(want.input.data);
        expect(gg.weight.data).toEqual(want.weight.data);
      } finally {
        setGemmBackend('auto');
        await pool.run(0, { op: 'backend', backend: 'auto' });
      }
    });
  });
}

describe('three threads (backward split by rows, output channels or samples, partial sums added)', () => {
  const cases: Array<{ name: string; x: number[]; w: number[]; attrs: Conv2dAttrs }> = [
    { name: 'x=[1,32,45,45] w=[32,32,3,3] p=1 (row bands)', x: [1, 32, 45, 45], w: [32, 32, 3, 3], attrs: { padding: 1 } },
    { name: 'x=[1,64,9,9] w=[130,64,3,3] p=1 (output channels)', x: [1, 64, 9, 9], w: [130, 64, 3, 3], attrs: { padding: 1 } },
    { name: 'x=[3,16,30,30] w=[32,16,3,3] s=2 p=1 (samples)', x: [3, 16, 30, 30], w: [32, 16, 3, 3], attrs: { stride: 2, padding: 1 } },
  ];
  const pool = counting(createNodePool({ threads: 3, script: POOL_WORKER }));
  afterAll(() => pool.dispose());
  for (const c of cases) {
    it(`conv2dAsync and conv2dBackwardAsync ${c.name} equal conv2d`, async () => {
      const args = { input: nd(c.x, 14), weight: nd(c.w, 15), bias: nd([c.w[0]], 16) };
      const want = conv2d(args, c.attrs), before = pool.tasks;
      expectNear((await conv2dAsync(args, c.attrs, pool)).data, want.data, 1e-5, 'output');
      const gy = nd(want.shape, 17), gw = conv2dBackward(gy, args, c.attrs), gg = await conv2dBackwardAsync(gy, args, c.attrs, pool);
      expect(pool.tasks).toBe(before + 4);
      expectNear(gg.input.data, gw.input.data, 1e-5, 'grad input');
      expectNear(gg.weight.data, gw.weight.data, 1e-3, 'grad weight');
      expectNear(gg.bias!.data, gw.bias!.data, 1e-3, 'grad bias');
    });
  }
});

describe('parameters already in shared memory', () => {
  it('go to the workers as they are and are never recycled by the pool', async () => {
    const pool = createNodePool({ threads: 2, script: POOL_WORKER });
    try {
      const w = nd([64, 32, 3, 3], 21), shared = new Float32Array(new SharedArrayBuffer(w.data.byteLength));
      shared.set(w.data);
      const args = { input: nd([1, 32, 40, 40], 22), weight: { shape: w.shape, data: shared } };
      const want = conv2d(args, { padding: 1 });
      for (let i = 0; i < 3; i++) expectNear((await conv2dAsync(args, { padding: 1 }, pool)).data, want.data, 1e-5, 'output');
      expect(shared).toEqual(w.data);
      pool.release(shared);
      expect(pool.alloc(shared.length).buffer).not.toBe(shared.buffer);
    } finally {
      pool.dispose();
    }
  });
});

describe('a pool whose workers cannot start', () => {
  it('runs the parts on the calling thread (same results) and stops trying after repeated failures', async () => {
    const pool = createNodePool({ threads: 2, script: '/nonexistent/opsWorker.js' });
    try {
      const attrs = { padding: 1 }, args = { input: nd([1, 16, 40, 40], 8), weight: nd([32, 16, 3, 3], 9) };
      for (let i = 0; i < 3; i++) expectNear((await conv2dAsync(args, attrs, pool)).data, conv2d(args, attrs).data, 1e-5, 'output');
      expect((pool as unknown as { degraded: boolean }).degraded).toBe(true);
    } finally {
      pool.dispose();
    }
  });
});

describe('without a pool', () => {
  it('conv2dAsync and parallelGemm run the synchronous kernels', async () => {
    const args = { input: nd([1, 3, 8, 8], 1), weight: nd([4, 3, 3, 3], 2) };
    expect((await conv2dAsync(args, {})).data).toEqual(conv2d(args, {}).data);
    const A = rand(12, 1), B = rand(12, 2), C1 = new Float32Array(9), C2 = new Float32Array(9);
    gemm(false, false, 3, 3, 4, 1, A, 4, B, 3, 0, C1, 3);
    await parallelGemm(undefined, false, false, 3, 3, 4, 1, A, 4, B, 3, 0, C2, 3);
    expect(C2).toEqual(C1);
  });
});
