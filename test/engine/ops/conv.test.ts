import { describe, expect, it } from 'vitest';
import { conv1d, conv1dBackward, type Conv1dAttrs } from '../../../engine/ops/conv1d';
import { conv2d, conv2dBackward, type Conv2dAttrs, type ConvArgs } from '../../../engine/ops/conv2d';
import { convTranspose1d, convTranspose1dBackward } from '../../../engine/ops/convTranspose1d';
import { convTranspose2d, convTranspose2dBackward, type ConvTranspose2dAttrs } from '../../../engine/ops/convTranspose2d';
import type { NdArray } from '../../../engine/ops/tensor';
import { caseArgs, expectClose, fdCheck, goldenTests, nd, rand } from './helpers';

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

describe('conv_transpose2d', () => {
  goldenTests('conv_transpose2d', 'conv_transpose2d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as ConvTranspose2dAttrs;
    return { output: convTranspose2d(a, attrs), grads: convTranspose2dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv_transpose2d finite differences x=[2,4,3,3] w=[4,3,3,2] s=[2,1] p=1 op=[1,0] d=[1,2] groups=2', () => {
    const attrs: ConvTranspose2dAttrs = { stride: [2, 1], padding: 1, output_padding: [1, 0], dilation: [1, 2], groups: 2 };
    const args = { input: rand([2, 4, 3, 3], 7), weight: rand([4, 3, 3, 2], 8), bias: rand([6], 9) };
    fdCheck((a) => convTranspose2d(convArgs(a), attrs), (gy, a) => convTranspose2dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});

describe('conv_transpose1d', () => {
  it('conv_transpose1d equals conv_transpose2d on a unit-height view x=[1,2,5] w=[2,3,4] s=3 p=1 op=2', () => {
    const attrs = { stride: 3, padding: 1, output_padding: 2 };
    const x = rand([1, 2, 5], 10), w = rand([2, 3, 4], 11), b = rand([3], 12);
    const y1 = convTranspose1d({ input: x, weight: w, bias: b }, attrs);
    const y2 = convTranspose2d(
      { input: { shape: [1, 2, 1, 5], data: x.data }, weight: { shape: [2, 3, 1, 4], data: w.data }, bias: b },
      { stride: [1, 3], padding: [0, 1], output_padding: [0, 2] },
    );
    expect(y1.shape).toEqual([1, 3, 16]);
    expectClose(y1, { shape: [1, 3, 16], data: Array.from(y2.data) }, 'output', 0, 0);
  });
  it('conv_transpose1d finite differences x=[2,2,4] w=[2,3,3] s=2 p=1 op=1', () => {
    const attrs = { stride: 2, padding: 1, output_padding: 1 };
    const args = { input: rand([2, 2, 4], 13), weight: rand([2, 3, 3], 14), bias: rand([3], 15) };
    fdCheck((a) => convTranspose1d(convArgs(a), attrs), (gy, a) => convTranspose1dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});
