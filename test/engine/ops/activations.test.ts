import { describe, expect, it } from 'vitest';
import { celu, celuBackward } from '../../../engine/ops/celu';
import { elu, eluBackward } from '../../../engine/ops/elu';
import { erf, gelu, geluBackward } from '../../../engine/ops/gelu';
import { hardsigmoid, hardsigmoidBackward } from '../../../engine/ops/hardsigmoid';
import { hardswish, hardswishBackward } from '../../../engine/ops/hardswish';
import { leakyRelu, leakyReluBackward } from '../../../engine/ops/leakyRelu';
import { mish, mishBackward } from '../../../engine/ops/mish';
import { prelu, preluBackward } from '../../../engine/ops/prelu';
import { relu, reluBackward } from '../../../engine/ops/relu';
import { relu6, relu6Backward } from '../../../engine/ops/relu6';
import { selu, seluBackward } from '../../../engine/ops/selu';
import { sigmoid, sigmoidBackward } from '../../../engine/ops/sigmoid';
import { silu, siluBackward } from '../../../engine/ops/silu';
import { softplus, softplusBackward } from '../../../engine/ops/softplus';
import { tanh, tanhBackward } from '../../../engine/ops/tanh';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, goldenTests, nd, rand } from './helpers';

type Fwd = (args: { input: NdArray }, attrs: never) => NdArray;
type Bwd = (gy: NdArray, args: { input: NdArray }, attrs: never) => { input: NdArray };

const GOLDEN: Array<[string, Fwd, Bwd]> = [
  ['relu', relu, reluBackward],
  ['relu6', relu6, relu6Backward],
  ['leaky_relu', leakyRelu, leakyReluBackward],
  ['elu', elu, eluBackward],
  ['sigmoid', sigmoid, sigmoidBackward],
  ['tanh', tanh, tanhBackward],
  ['gelu', gelu, geluBackward],
  ['silu', silu, siluBackward],
  ['hardswish', hardswish, hardswishBackward],
];

for (const [op, f, b] of GOLDEN) {
  describe(op, () => {
    goldenTests(op, op, (c) => {
      const args = { input: nd(c.inputs.input) }, attrs = c.attrs as never;
      return { output: f(args, attrs), grads: b(nd(c.gradOutput), args, attrs) };
    });
  });
}

/** Inputs on [−7, 7] kept 0.1 away from every kink (0, ±3, 6) so central differences stay on one side. */
function awayFromKinks(seed: number): NdArray {
  const x = rand([3, 17], seed, -7, 7);
  for (let i = 0; i < x.data.length; i++) {
    for (const k of [-3, 0, 3, 6]) if (Math.abs(x.data[i] - k) < 0.1) x.data[i] = k + 0.15;
  }
  return x;
}

const FD: Array<[string, Fwd, Bwd, object]> = [
  ['relu', relu, reluBackward, {}],
  ['relu6', relu6, relu6Backward, {}],
  ['leaky_relu', leakyRelu, leakyReluBackward, { negative_slope: 0.2 }],
  ['elu', elu, eluBackward, { alpha: 1.5 }],
  ['selu', selu, seluBackward, {}],
  ['celu', celu, celuBackward, { alpha: 0.7 }],
  ['gelu', gelu, geluBackward, { approximate: 'none' }],
  ['gelu', gelu, geluBackward, { approximate: 'tanh' }],
  ['silu', silu, siluBackward, {}],
  ['mish', mish, mishBackward, {}],
  ['hardswish', hardswish, hardswishBackward, {}],
  ['hardsigmoid', hardsigmoid, hardsigmoidBackward, {}],
  ['sigmoid', sigmoid, sigmoidBackward, {}],
  ['tanh', tanh, tanhBackward, {}],
  ['softplus', softplus, softplusBackward, { beta: 2, threshold: 5 }],
];

describe('activation finite differences', () => {
  FD.forEach(([op, f, b, attrs], i) => {
    it(`${op} finite differences x=[3,17] ${JSON.stringify(attrs)}`, () => {
      fdCheck((a) => f(a, attrs as never), (gy, a) => b(gy, a, attrs as never), { input: awayFromKinks(50 + i) }, ['input']);
    });
  });
  it('prelu finite differences x=[2,3,4] w=[3]', () => {
    const args = { input: rand([2, 3, 4], 71, -2, 2), weight: rand([3], 72) };
    fdCheck((a) => prelu(a), (gy, a) => preluBackward(gy, a), args, ['input', 'weight']);
  });
  it('prelu finite differences x=[5,3] shared w=[1]', () => {
    const args = { input: rand([5, 3], 73, -2, 2), weight: rand([1], 74) };
    fdCheck((a) => prelu(a), (gy, a) => preluBackward(gy, a), args, ['input', 'weight']);
  });
});

describe('activation reference values', () => {
  it('erf matches tabulated values to 1e-14', () => {
    const table: Array<[number, number]> = [
      [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149],
      [2, 0.9953222650189527], [2.9, 0.9999589021219005], [3.5, 0.9999992569016276], [-1.5, -0.9661051464753108],
    ];
    for (const [x, want] of table) expect(Math.abs(erf(x) - want)).toBeLessThan(1e-14);
  });
  it('selu, celu, mish, softplus, hardsigmoid at hand-computed points', () => {
    const x: NdArray = { shape: [3], data: new Float32Array([-1, 0.5, 30]) };
    const want = (f: (v: number) => number) => ({ shape: [3], data: Array.from(x.data, f) });
    const sp = (v: number) => Math.log(1 + Math.exp(v));
    expectClose(selu({ input: x }), want((v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))), 'selu', 1e-6);
    expectClose(celu({ input: x }, { alpha: 2 }), want((v) => (v > 0 ? v : 2 * (Math.exp(v / 2) - 1))), 'celu', 1e-6);
    expectClose(mish({ input: x }), want((v) => v * Math.tanh(sp(v))), 'mish', 1e-6);
    expectClose(softplus({ input: x }), want((v) => (v > 20 ? v : sp(v))), 'softplus', 1e-6);
    expectClose(hardsigmoid({ input: x }), want((v) => Math.min(Math.max(v / 6 + 0.5, 0), 1)), 'hardsigmoid', 1e-6);
  });
});
