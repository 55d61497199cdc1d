import { describe, expect, it } from 'vitest';
import { add, addBackward } from '../../../engine/ops/add';
import { div, divBackward } from '../../../engine/ops/div';
import { mul, mulBackward } from '../../../engine/ops/mul';
import { sub, subBackward } from '../../../engine/ops/sub';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, rand } from './helpers';

const t = (shape: number[], data: number[]): NdArray => ({ shape, data: Float32Array.from(data) });

describe('elementwise broadcasting', () => {
  it('add broadcasts [2,1,3] with [4,1] to [2,4,3]', () => {
    const a = t([2, 1, 3], [1, 2, 3, 4, 5, 6]), b = t([4, 1], [10, 20, 30, 40]);
    const y = add({ input: a, other: b });
    expect(y.shape).toEqual([2, 4, 3]);
    expect(Array.from(y.data.slice(0, 6))).toEqual([11, 12, 13, 21, 22, 23]);
    expect(Array.from(y.data.slice(21))).toEqual([44, 45, 46]);
  });
  it('sub with alpha and a scalar other', () => {
    expectClose(sub({ input: t([3], [1, 2, 3]), other: t([], [2]) }, { alpha: 0.5 }), { shape: [3], data: [0, 1, 2] }, 'output', 0);
  });
  it('mul and div of a per-channel [C,1,1] tensor', () => {
    const x = t([2, 2, 1], [1, 2, 3, 4]), s = t([2, 1, 1], [2, 4]);
    expectClose(mul({ input: x, other: s }), { shape: [2, 2, 1], data: [2, 4, 12, 16] }, 'mul', 0);
    expectClose(div({ input: x, other: s }), { shape: [2, 2, 1], data: [0.5, 1, 0.75, 1] }, 'div', 0);
  });
  it('incompatible shapes are rejected naming both', () => {
    expect(() => add({ input: rand([2, 3], 1), other: rand([4], 2) })).toThrow(/\[2, 3\] and \[4\]/);
  });
});

describe('elementwise finite differences', () => {
  const shapes: Array<[number[], number[]]> = [[[2, 3, 4], [2, 3, 4]], [[2, 1, 4], [3, 1]], [[3, 4], []]];
  for (const [sa, sb] of shapes) {
    const tag = `x=[${sa}] y=[${sb}]`;
    it(`add finite differences ${tag} alpha=-1.5`, () => {
      fdCheck((a) => add(a, { alpha: -1.5 }), (gy, a) => addBackward(gy, a, { alpha: -1.5 }), { input: rand(sa, 100), other: rand(sb, 101) }, ['input', 'other']);
    });
    it(`sub finite differences ${tag}`, () => {
      fdCheck((a) => sub(a), (gy, a) => subBackward(gy, a), { input: rand(sa, 102), other: rand(sb, 103) }, ['input', 'other']);
    });
    it(`mul finite differences ${tag}`, () => {
      fdCheck((a) => mul(a), (gy, a) => mulBackward(gy, a), { input: rand(sa, 104), other: rand(sb, 105) }, ['input', 'other']);
    });
    it(`div finite differences ${tag}`, () => {
      fdCheck((a) => div(a), (gy, a) => divBackward(gy, a), { input: rand(sa, 106), other: rand(sb, 107, 1, 2) }, ['input', 'other'], { h: 1e-3 });
    });
  }
});
