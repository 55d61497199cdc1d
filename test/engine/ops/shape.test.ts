import { describe, expect, it } from 'vitest';
import { cat, catBackward } from '../../../engine/ops/cat';
import { flatten, flattenBackward } from '../../../engine/ops/flatten';
import { permute, permuteBackward } from '../../../engine/ops/permute';
import { reshape, reshapeBackward } from '../../../engine/ops/reshape';
import { split, splitBackward } from '../../../engine/ops/split';
import { transpose, transposeBackward } from '../../../engine/ops/transpose';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, rand } from './helpers';

const iota = (shape: number[]): NdArray => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i) });

describe('shape ops', () => {
  it('reshape infers -1 and copies', () => {
    const x = iota([2, 3, 4]), y = reshape({ input: x }, { shape: [4, -1] });
    expect(y.shape).toEqual([4, 6]);
    expect(y.data).not.toBe(x.data);
    expect(() => reshape({ input: x }, { shape: [5, -1] })).toThrow(/invalid for input of size 24/);
  });
  it('flatten start_dim=1 and default', () => {
    expect(flatten({ input: iota([2, 3, 4]) }, { start_dim: 1 }).shape).toEqual([2, 12]);
    expect(flatten({ input: iota([2, 3, 4]) }).shape).toEqual([24]);
    expect(flatten({ input: iota([2, 3, 4, 5]) }, { start_dim: 1, end_dim: 2 }).shape).toEqual([2, 12, 5]);
  });
  it('permute [2,3,4] by (2,0,1)', () => {
    const y = permute({ input: iota([2, 3, 4]) }, { dims: [2, 0, 1] });
    expect(y.shape).toEqual([4, 2, 3]);
    // y[k, i, j] = x[i, j, k] = 12i + 4j + k
    expect(y.data[1 * 6 + 1 * 3 + 2]).toBe(12 + 8 + 1);
  });
  it('transpose [2,3] by (0,1)', () => {
    expectClose(transpose({ input: iota([2, 3]) }, { dim0: 0, dim1: -1 }), { shape: [3, 2], data: [0, 3, 1, 4, 2, 5] }, 'output', 0);
  });
  it('cat along dim 1 and split back', () => {
    const a = iota([2, 1, 2]), b = { shape: [2, 2, 2], data: Float32Array.from([10, 11, 12, 13, 14, 15, 16, 17]) };
    const y = cat({ tensors: [a, b] }, { dim: 1 });
    expectClose(y, { shape: [2, 3, 2], data: [0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17] }, 'cat', 0);
    const parts = split({ input: y }, { split_size_or_sections: [1, 2], dim: 1 });
    expectClose(parts[0], a, 'part 0', 0);
    expectClose(parts[1], b, 'part 1', 0);
    expect(split({ input: iota([5]) }, { split_size_or_sections: 2 }).map((p) => p.shape[0])).toEqual([2, 2, 1]);
  });
  it('cat rejects mismatched sizes', () => {
    expect(() => cat({ tensors: [iota([2, 3]), iota([3, 3])] }, { dim: 1 })).toThrow(/sizes must match/);
  });
  it('reshape / flatten / permute / transpose finite differences x=[2,3,4]', () => {
    const args = { input: rand([2, 3, 4], 140) };
    fdCheck((a) => reshape(a, { shape: [6, -1] }), (gy, a) => reshapeBackward(gy, a, { shape: [6, -1] }), args, ['input']);
    fdCheck((a) => flatten(a, { start_dim: 1 }), (gy, a) => flattenBackward(gy, a, { start_dim: 1 }), args, ['input']);
    fdCheck((a) => permute(a, { dims: [1, 2, 0] }), (gy, a) => permuteBackward(gy, a, { dims: [1, 2, 0] }), args, ['input']);
    fdCheck((a) => transpose(a, { dim0: 0, dim1: 2 }), (gy, a) => transposeBackward(gy, a, { dim0: 0, dim1: 2 }), args, ['input']);
  });
  it('cat finite differences [2,2,3] + [2,1,3] along dim 1', () => {
    const t0 = rand([2, 2, 3], 141), t1 = rand([2, 1, 3], 142);
    fdCheck((a) => cat({ tensors: [a.t0, a.t1] }, { dim: 1 }), (gy, a) => {
      const g = catBackward(gy, { tensors: [a.t0, a.t1] }, { dim: 1 }).tensors;
      return { t0: g[0], t1: g[1] };
    }, { t0, t1 }, ['t0', 't1']);
  });
  it('split finite differences [2,5] sections of 2 along dim 1, middle output unused', () => {
    const attrs = { split_size_or_sections: 2, dim: 1 };
    // loss only through outputs 0 and 2: the unused output's gradient is null
    fdCheck((a) => {
      const p = split(a, attrs);
      return cat({ tensors: [p[0], p[2]] }, { dim: 1 });
    }, (gy, a) => {
      const [g0, g2] = split({ input: gy }, { split_size_or_sections: [2, 1], dim: 1 });
      return splitBackward([g0, null, g2], a, attrs);
    }, { input: rand([2, 5], 143) }, ['input']);
  });
});
