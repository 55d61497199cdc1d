import { describe, it } from 'vitest';
import { conv1d, conv1dBackward, type Conv1dAttrs } from '../../../engine/ops/conv1d';
import { conv2d, conv2dBackward, type Conv2dAttrs, type ConvArgs } from '../../../engine/ops/conv2d';
import type { NdArray } from '../../../engine/ops/tensor';
import { caseArgs, fdCheck, goldenTests, nd, rand } from './helpers';

const convArgs = (a: Record<string, NdArray>): ConvArgs => ({ input: a.input, weight: a.weight, bias: a.bias });

describe('conv2d', () => {
  goldenTests('conv2d', 'conv2d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as Conv2dAttrs;
    return { output: conv2d(a, attrs), grads: conv2dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv2d finite differences x=[2,4,5,6] w=[6,2,3,2] s=[2,1] p=1 d=[1,2] groups=2', () => {
    const attrs: Conv2dAttrs = { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 };
    const args = { input: rand([2, 4, 5, 6], 1), weight: rand([6, 2, 3, 2], 2), bias: rand([6], 3) };
    fdCheck((a) => conv2d(convArgs(a), attrs), (gy, a) => conv2dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});

describe('conv1d', () => {
  goldenTests('conv1d', 'conv1d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as Conv1dAttrs;
    return { output: conv1d(a, attrs), grads: conv1dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv1d finite differences x=[2,3,9] w=[4,3,3] s=2 p=2 d=2', () => {
    const attrs: Conv1dAttrs = { stride: 2, padding: 2, dilation: 2 };
    const args = { input: rand([2, 3, 9], 4), weight: rand([4, 3, 3], 5), bias: rand([4], 6) };
    fdCheck((a) => conv1d(convArgs(a), attrs), (gy, a) => conv1dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});
