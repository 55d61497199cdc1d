import { describe, expect, it } from 'vitest';
import { batchNorm, batchNormBackward, batchNormBuffersAfter, batchNormForward, type BatchNormArgs, type BatchNormAttrs } from '../../../engine/ops/batchNorm';
import { groupNorm, groupNormBackward, type GroupNormAttrs } from '../../../engine/ops/groupNorm';
import { layerNorm, layerNormBackward, type LayerNormAttrs } from '../../../engine/ops/layerNorm';
import { localResponseNorm, localResponseNormBackward } from '../../../engine/ops/localResponseNorm';
import type { NdArray } from '../../../engine/ops/tensor';
import { caseArgs, expectClose, fdCheck, goldenTests, nd, rand, type OpCase, type T } from './helpers';

function bnCase(c: OpCase): [BatchNormArgs, BatchNormAttrs] {
  const a = caseArgs(c), buf = c.buffers!;
  const args: BatchNormArgs = {
    input: a.input, weight: a.weight, bias: a.bias,
    running_mean: nd(buf.running_mean as T), running_var: nd(buf.running_var as T),
  };
  const attrs = { ...(c.attrs as unknown as BatchNormAttrs), num_batches_tracked: buf.num_batches_tracked as number };
  return [args, attrs];
}

for (const file of ['batchnorm2d', 'batchnorm1d']) {
  describe(file, () => {
    goldenTests(file, file, (c) => {
      const [args, attrs] = bnCase(c);
      const after = batchNormBuffersAfter(args, attrs);
      return {
        output: batchNorm(args, attrs),
        grads: batchNormBackward(nd(c.gradOutput), args, attrs),
        buffersAfter: after as Record<string, NdArray | number>,
      };
    });
  });
  // layerlens run's path: the forward's statistics handed to the buffer update and the backward
  describe(`${file}, statistics saved by the forward`, () => {
    goldenTests(file, file, (c) => {
      const [args, attrs] = bnCase(c);
      const { output, saved } = batchNormForward(args, attrs);
      return {
        output,
        grads: batchNormBackward(nd(c.gradOutput), args, attrs, saved),
        buffersAfter: batchNormBuffersAfter(args, attrs, saved) as Record<string, NdArray | number>,
      };
    });
  });
}

describe('batch_norm', () => {
  const bnArgs = (a: { input: NdArray; weight: NdArray; bias: NdArray }, rm: NdArray, rv: NdArray): BatchNormArgs => ({ input: a.input, weight: a.weight, bias: a.bias, running_mean: rm, running_var: rv });
  const rm = rand([3], 31), rv = rand([3], 32, 0.5, 2);
  for (const training of [true, false]) {
    it(`batch_norm finite differences training=${training} x=[3,3,2,2] w=[3] b=[3]`, () => {
      const attrs: BatchNormAttrs = { training, momentum: 0.1, eps: 1e-5 };
      const args = { input: rand([3, 3, 2, 2], 33, -2, 2), weight: rand([3], 34), bias: rand([3], 35) };
      fdCheck((a) => batchNorm(bnArgs(a, rm, rv), attrs), (gy, a) => batchNormBackward(gy, bnArgs(a, rm, rv), attrs), args, ['input', 'weight', 'bias']);
    });
  }
  it('batch_norm momentum=None uses the cumulative average 1/(num_batches_tracked+1)', () => {
    const x = rand([4, 2], 36);
    const after = batchNormBuffersAfter(
      { input: x, running_mean: { shape: [2], data: new Float32Array([1, 1]) }, running_var: { shape: [2], data: new Float32Array([1, 1]) } },
      { training: true, momentum: null, num_batches_tracked: 3 },
    );
    const m0 = (x.data[0] + x.data[2] + x.data[4] + x.data[6]) / 4;
    expect(after.running_mean!.data[0]).toBeCloseTo(0.75 + 0.25 * m0, 6);
    expect(after.num_batches_tracked).toBe(4);
  });
});

describe('layer_norm', () => {
  goldenTests('layernorm', 'layernorm', (c) => {
    const a = caseArgs(c), attrs = c.attrs as unknown as LayerNormAttrs;
    const args = { input: a.input, weight: a.weight, bias: a.bias };
    return { output: layerNorm(args, attrs), grads: layerNormBackward(nd(c.gradOutput), args, attrs) };
  });
  it('layer_norm finite differences x=[2,3,4] normalized_shape=[3,4]', () => {
    const attrs = { normalized_shape: [3, 4] };
    const args = { input: rand([2, 3, 4], 37, -2, 2), weight: rand([3, 4], 38), bias: rand([3, 4], 39) };
    fdCheck((a) => layerNorm(a, attrs), (gy, a) => layerNormBackward(gy, a, attrs), args, ['input', 'weight', 'bias']);
  });
});

describe('group_norm', () => {
  goldenTests('groupnorm', 'groupnorm', (c) => {
    const a = caseArgs(c), attrs = c.attrs as unknown as GroupNormAttrs;
    const args = { input: a.input, weight: a.weight, bias: a.bias };
    return { output: groupNorm(args, attrs), grads: groupNormBackward(nd(c.gradOutput), args, attrs) };
  });
  it('group_norm finite differences x=[2,6,2,2] num_groups=2', () => {
    const attrs = { num_groups: 2 };
    const args = { input: rand([2, 6, 2, 2], 40, -2, 2), weight: rand([6], 41), bias: rand([6], 42) };
    fdCheck((a) => groupNorm(a, attrs), (gy, a) => groupNormBackward(gy, a, attrs), args, ['input', 'weight', 'bias']);
  });
});

describe('local_response_norm', () => {
  it('local_response_norm size=3 matches the zero-padded channel average x=[1,4,1,1]', () => {
    const x: NdArray = { shape: [1, 4, 1, 1], data: new Float32Array([1, 2, 3, 4]) };
    const y = localResponseNorm({ input: x }, { size: 3, alpha: 0.3, beta: 0.75, k: 2 });
    // channel 0 window = {0, 1} (zero pad before), divisor 3; channel 3 window = {2, 3}
    const want = [1 / (2 + 0.1 * (1 + 4)) ** 0.75, 2 / (2 + 0.1 * 14) ** 0.75, 3 / (2 + 0.1 * 29) ** 0.75, 4 / (2 + 0.1 * 25) ** 0.75];
    expectClose(y, { shape: [1, 4, 1, 1], data: want }, 'output', 1e-6);
  });
  for (const size of [2, 3, 5]) {
    it(`local_response_norm finite differences size=${size} x=[2,6,3]`, () => {
      const attrs = { size, alpha: 0.5, beta: 0.75, k: 1.5 };
      fdCheck((a) => localResponseNorm(a, attrs), (gy, a) => localResponseNormBackward(gy, a, attrs), { input: rand([2, 6, 3], 43 + size, -2, 2) }, ['input']);
    });
  }
});
