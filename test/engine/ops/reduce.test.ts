import { describe, expect, it } from 'vitest';
import { dropout, dropoutBackward } from '../../../engine/ops/dropout';
import { mean, meanBackward } from '../../../engine/ops/mean';
import { sum, sumBackward } from '../../../engine/ops/sum';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, rand } from './helpers';

const x: NdArray = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };

describe('sum / mean', () => {
  it('sum over all, over dim 0, over dim -1 keepdim', () => {
    expectClose(sum({ input: x }), { shape: [], data: [21] }, 'all', 0);
    expectClose(sum({ input: x }, { dim: 0 }), { shape: [3], data: [5, 7, 9] }, 'dim0', 0);
    expectClose(sum({ input: x }, { dim: -1, keepdim: true }), { shape: [2, 1], data: [6, 15] }, 'dim-1', 0);
  });
  it('mean over dims [0, 2] of [2,3,2]', () => {
    const y = mean({ input: rand([2, 3, 2], 120) }, { dim: [0, 2] });
    expect(y.shape).toEqual([3]);
    const r = rand([2, 3, 2], 120).data;
    const want = [0, 1, 2].map((c) => (r[c * 2] + r[c * 2 + 1] + r[6 + c * 2] + r[6 + c * 2 + 1]) / 4);
    expectClose(y, { shape: [3], data: want }, 'mean', 1e-6);
  });
  it('sum of 2^22 float32 values is exact to float32 rounding', () => {
    const big: NdArray = { shape: [1 << 22], data: new Float32Array(1 << 22).fill(0.1) };
    expect(Math.abs(sum({ input: big }).data[0] - 0.1 * (1 << 22))).toBeLessThan(1);
  });
  for (const attrs of [{}, { dim: 1 }, { dim: [0, 2], keepdim: true }]) {
    it(`sum finite differences x=[2,3,4] ${JSON.stringify(attrs)}`, () => {
      fdCheck((a) => sum(a, attrs), (gy, a) => sumBackward(gy, a, attrs), { input: rand([2, 3, 4], 121) }, ['input']);
    });
    it(`mean finite differences x=[2,3,4] ${JSON.stringify(attrs)}`, () => {
      fdCheck((a) => mean(a, attrs), (gy, a) => meanBackward(gy, a, attrs), { input: rand([2, 3, 4], 122) }, ['input']);
    });
  }
});

describe('dropout', () => {
  it('dropout is the identity in eval mode', () => {
    const y = dropout({ input: x }, { p: 0.5, training: false });
    expectClose(y, { shape: [2, 3], data: Array.from(x.data) }, 'output', 0);
  });
  it('dropout in training keeps ~(1-p) of elements scaled by 1/(1-p), same mask for the same seed', () => {
    const big = { input: { shape: [10000], data: new Float32Array(10000).fill(1) } };
    const y = dropout(big, { p: 0.3, training: true, seed: 7 });
    const kept = y.data.filter((v) => v !== 0);
    expect(kept.length / 10000).toBeGreaterThan(0.67);
    expect(kept.length / 10000).toBeLessThan(0.73);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(Array.from(dropout(big, { p: 0.3, training: true, seed: 7 }).data)).toEqual(Array.from(y.data));
    expect(Array.from(dropout(big, { p: 0.3, training: true, seed: 8 }).data)).not.toEqual(Array.from(y.data));
  });
  it('dropout p=1 zeroes everything; p outside [0,1] is rejected', () => {
    expect(Array.from(dropout({ input: x }, { p: 1, training: true }).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => dropout({ input: x }, { p: 1.5 })).toThrow(/between 0 and 1/);
  });
  it('dropout finite differences x=[4,5] p=0.4 seed=3', () => {
    const attrs = { p: 0.4, training: true, seed: 3 };
    fdCheck((a) => dropout(a, attrs), (gy, a) => dropoutBackward(gy, a, attrs), { input: rand([4, 5], 123) }, ['input']);
  });
});
