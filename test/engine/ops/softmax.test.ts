import { describe, expect, it } from 'vitest';
import { crossEntropy, crossEntropyBackward, type CrossEntropyAttrs } from '../../../engine/ops/crossEntropy';
import { logSoftmax, logSoftmaxBackward } from '../../../engine/ops/logSoftmax';
import { softmax, softmaxBackward, type SoftmaxAttrs } from '../../../engine/ops/softmax';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, goldenTests, nd, rand } from './helpers';

describe('softmax', () => {
  goldenTests('softmax', 'softmax', (c) => {
    const args = { input: nd(c.inputs.input) }, attrs = c.attrs as unknown as SoftmaxAttrs;
    return { output: softmax(args, attrs), grads: softmaxBackward(nd(c.gradOutput), args, attrs) };
  });
  it('softmax finite differences x=[2,3,4] dim=1', () => {
    fdCheck((a) => softmax(a, { dim: 1 }), (gy, a) => softmaxBackward(gy, a, { dim: 1 }), { input: rand([2, 3, 4], 90, -3, 3) }, ['input']);
  });
  it('softmax stays finite for large logits', () => {
    const y = softmax({ input: { shape: [2], data: new Float32Array([1000, 1001]) } }, { dim: 0 });
    expectClose(y, { shape: [2], data: [1 / (1 + Math.E), Math.E / (1 + Math.E)] }, 'output', 1e-6);
  });
});

describe('log_softmax', () => {
  it('log_softmax equals log(softmax) x=[3,5] dim=-1', () => {
    const x = rand([3, 5], 91, -4, 4);
    const want = Array.from(softmax({ input: x }, { dim: -1 }).data, Math.log);
    expectClose(logSoftmax({ input: x }, { dim: -1 }), { shape: [3, 5], data: want }, 'output', 1e-6);
  });
  it('log_softmax finite differences x=[2,4,3] dim=1', () => {
    fdCheck((a) => logSoftmax(a, { dim: 1 }), (gy, a) => logSoftmaxBackward(gy, a, { dim: 1 }), { input: rand([2, 4, 3], 92, -3, 3) }, ['input']);
  });
});

describe('cross_entropy', () => {
  goldenTests('cross_entropy', 'cross_entropy', (c) => {
    const args = { input: nd(c.inputs.input), target: nd(c.inputs.target) }, attrs = c.attrs as CrossEntropyAttrs;
    return { output: crossEntropy(args, attrs), grads: crossEntropyBackward(nd(c.gradOutput), args, attrs) };
  });
  const target: NdArray = { shape: [2, 3], data: new Float32Array([0, 3, -100, 2, 1, 3]) };
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`cross_entropy finite differences x=[2,4,3] reduction=${reduction} label_smoothing=0.2 ignore_index=-100`, () => {
      const attrs: CrossEntropyAttrs = { reduction, label_smoothing: 0.2 };
      fdCheck((a) => crossEntropy({ input: a.input, target }, attrs), (gy, a) => crossEntropyBackward(gy, { input: a.input, target }, attrs), { input: rand([2, 4, 3], 93, -2, 2) }, ['input']);
    });
  }
  it('cross_entropy mean skips ignored targets in the divisor', () => {
    const x: NdArray = { shape: [2, 2], data: new Float32Array([0, 0, 5, -5]) };
    const y = crossEntropy({ input: x, target: { shape: [2], data: new Float32Array([1, -100]) } });
    expectClose(y, { shape: [], data: [Math.log(2)] }, 'output', 1e-6);
  });
  it('cross_entropy rejects an out-of-range class index', () => {
    expect(() => crossEntropy({ input: rand([2, 3], 94), target: { shape: [2], data: new Float32Array([0, 3]) } })).toThrow(/out of bounds/);
  });
});
