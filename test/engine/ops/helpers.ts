// Shared helpers for the op tests: golden fixtures (test/fixtures/ops/*.json), tolerance checks, and a
// central-difference gradient check. Test-only; the engine never imports this.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { NdArray } from '../../../engine/ops/tensor';
import { mulberry32 } from '../../../engine/util/random';

export interface T {
  shape: number[];
  data: number[];
  dtype?: string;
}

export interface OpCase {
  name: string;
  attrs: Record<string, unknown>;
  inputs: Record<string, T>;
  params?: Record<string, T>;
  gradOutput: T;
  output: T;
  grads: Record<string, T>;
  buffers?: Record<string, T | number>;
  buffersAfter?: Record<string, T | number>;
}

export interface OpFixture {
  op: string;
  notes: string;
  cases: OpCase[];
}

export function loadOpFixture(file: string): OpFixture {
  const url = new URL(`../../fixtures/ops/${file}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as OpFixture;
}

export function nd(t: T): NdArray {
  return { shape: [...t.shape], data: Float32Array.from(t.data) };
}

/** Every float tensor of a case (inputs and params) as NdArrays, keyed by PyTorch's argument names. */
export function caseArgs(c: OpCase): Record<string, NdArray> {
  const out: Record<string, NdArray> = {};
  for (const [k, v] of Object.entries({ ...c.inputs, ...(c.params ?? {}) })) out[k] = nd(v);
  return out;
}

const ABBREV: Record<string, string> = { input: 'x', weight: 'w', bias: 'b', target: 't', other: 'y' };

/** `conv2d k3_stride2_pad1_bias x=[1,3,7,7] w=[2,3,3,3] b=[4]` */
export function caseTitle(op: string, c: OpCase): string {
  const parts = Object.entries({ ...c.inputs, ...(c.params ?? {}) }).map(([k, v]) => `${ABBREV[k] ?? k}=[${v.shape.join(',')}]`);
  return `${op} ${c.name} ${parts.join(' ')}`;
}

/** |actual − expected| ≤ rtol · max|expected| + atol elementwise, with matching shapes. */
export function expectClose(actual: NdArray | undefined, expected: T | NdArray, what: string, rtol = 1e-4, atol = 1e-6): void {
  expect(actual, `${what}: missing`).toBeDefined();
  const a = actual as NdArray;
  expect(a.shape, `${what}: shape`).toEqual([...expected.shape]);
  const e = expected.data;
  expect(a.data.length, `${what}: length`).toBe(e.length);
  let scale = 0;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]));
  let worst = 0, at = -1;
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(a.data[i] - e[i]);
    if (!(d <= worst)) { worst = d; at = i; }
  }
  const tol = rtol * scale + atol;
  expect(worst, `${what}: max |diff| ${worst} at ${at} (got ${a.data[at]}, want ${e[at]}), tol ${tol}`).toBeLessThanOrEqual(tol);
}

export interface GoldenResult {
  output: NdArray;
  grads: Record<string, NdArray | undefined>;
  buffersAfter?: Record<string, NdArray | number>;
}

/** One `it` per golden case: output, every expected gradient, and buffersAfter where the fixture has them. */
export function goldenTests(file: string, op: string, run: (c: OpCase) => GoldenResult, rtol = 1e-4): void {
  const fx = loadOpFixture(file);
  for (const c of fx.cases) {
    it(caseTitle(op, c), () => {
      const r = run(c);
      expectClose(r.output, c.output, 'output', rtol);
      const want = Object.keys(c.grads);
      expect(want.length).toBeGreaterThan(0);
      for (const k of want) expectClose(r.grads[k], c.grads[k], `grad ${k}`, rtol);
      if (c.buffersAfter) {
        expect(r.buffersAfter, 'buffersAfter').toBeDefined();
        for (const [k, v] of Object.entries(c.buffersAfter)) {
          const got = r.buffersAfter![k];
          if (typeof v === 'number') expect(got, `buffer ${k}`).toBe(v);
          else expectClose(got as NdArray, v, `buffer ${k}`, rtol);
        }
      }
    });
  }
}

/** Deterministic uniform [lo, hi) floats (mulberry32) so failures reproduce. */
export function rand(shape: number[], seed: number, lo = -1, hi = 1): NdArray {
  const next = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * next();
  return { shape, data };
}

/** Distinct values spread at least `gap` apart, shuffled: inputs for max-type ops with no near-ties. */
export function distinct(shape: number[], seed: number, gap = 0.05): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = rand([n], seed);
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => order.data[a] - order.data[b]);
  const data = new Float32Array(n);
  idx.forEach((k, rank) => (data[k] = (rank - n / 2) * gap));
  return { shape, data };
}

/**
 * Central-difference check of `backward` against `forward` for loss = Σ forward(args) · r (r random).
 * Perturbs every element of each named arg (float32 storage, loss summed in float64); tolerance is
 * relative to the gradient's max |value| because float32 rounding limits the differences to ~1e-4.
 */
export function fdCheck<A extends { [k: string]: NdArray | undefined }>(
  forward: (args: A) => NdArray,
  backward: (gy: NdArray, args: A) => { [k: string]: NdArray | undefined },
  args: A,
  wrt: Array<keyof A & string>,
  opts: { h?: number; rtol?: number; seed?: number } = {},
): void {
  const h = opts.h ?? 1e-2, rtol = opts.rtol ?? 1e-2;
  const y0 = forward(args);
  const r = rand(y0.shape, opts.seed ?? 99);
  const loss = () => {
    const y = forward(args);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += y.data[i] * r.data[i];
    return s;
  };
  const grads = backward(r, args);
  expect(wrt.length).toBeGreaterThan(0);
  for (const k of wrt) {
    const g = grads[k];
    expect(g, `grad ${k} missing`).toBeDefined();
    const arg = args[k] as NdArray;
    expect(g!.shape).toEqual(arg.shape);
    const x = arg.data;
    const num = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const hi = Math.fround(v + h), lo = Math.fround(v - h);
      x[i] = hi;
      const up = loss();
      x[i] = lo;
      const down = loss();
      x[i] = v;
      num[i] = (up - down) / (hi - lo);
    }
    expectClose(g, { shape: arg.shape, data: Array.from(num) }, `fd grad ${k}`, rtol, 1e-3);
  }
}

/** n deterministic floats in [-0.5, 0.5) from a 32-bit LCG: operands for kernel-vs-kernel comparisons. */
export function randFloats(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}
