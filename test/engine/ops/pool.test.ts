import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool1d, adaptiveAvgPool1dBackward } from '../../../engine/ops/adaptiveAvgPool1d';
import { adaptiveAvgPool2d, adaptiveAvgPool2dBackward, type AdaptivePool2dAttrs } from '../../../engine/ops/adaptiveAvgPool2d';
import { adaptiveMaxPool1d, adaptiveMaxPool1dBackward } from '../../../engine/ops/adaptiveMaxPool1d';
import { adaptiveMaxPool2d, adaptiveMaxPool2dBackward } from '../../../engine/ops/adaptiveMaxPool2d';
import { avgPool1d, avgPool1dBackward, type AvgPool1dAttrs } from '../../../engine/ops/avgPool1d';
import { avgPool2d, avgPool2dBackward, type AvgPool2dAttrs } from '../../../engine/ops/avgPool2d';
import { maxPool1d, maxPool1dBackward, type MaxPool1dAttrs } from '../../../engine/ops/maxPool1d';
import { maxPool2d, maxPool2dBackward, type MaxPool2dAttrs } from '../../../engine/ops/maxPool2d';
import type { NdArray } from '../../../engine/ops/tensor';
import { distinct, expectClose, fdCheck, goldenTests, nd, rand } from './helpers';

describe('max_pool2d', () => {
  goldenTests('maxpool2d', 'maxpool2d', (c) => {
    const args = { input: nd(c.inputs.input) }, attrs = c.attrs as unknown as MaxPool2dAttrs;
    return { output: maxPool2d(args, attrs), grads: maxPool2dBackward(nd(c.gradOutput), args, attrs) };
  });
  it('max_pool2d finite differences x=[2,2,7,6] k=3 s=2 p=1 d=[1,2] ceil_mode', () => {
    const attrs: MaxPool2dAttrs = { kernel_size: 3, stride: 2, padding: 1, dilation: [1, 2], ceil_mode: true };
    fdCheck((a) => maxPool2d(a, attrs), (gy, a) => maxPool2dBackward(gy, a, attrs), { input: distinct([2, 2, 7, 6], 80) }, ['input']);
  });
  it('max_pool2d rejects padding over half the kernel', () => {
    expect(() => maxPool2d({ input: rand([1, 1, 4, 4], 1) }, { kernel_size: 2, padding: 2 })).toThrow(/at most half/);
  });
});

describe('avg_pool2d', () => {
  goldenTests('avgpool2d', 'avgpool2d', (c) => {
    const args = { input: nd(c.inputs.input) }, attrs = c.attrs as unknown as AvgPool2dAttrs;
    return { output: avgPool2d(args, attrs), grads: avgPool2dBackward(nd(c.gradOutput), args, attrs) };
  });
  for (const count_include_pad of [true, false]) {
    it(`avg_pool2d finite differences x=[1,2,6,5] k=3 s=2 p=1 ceil_mode count_include_pad=${count_include_pad}`, () => {
      const attrs: AvgPool2dAttrs = { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad };
      fdCheck((a) => avgPool2d(a, attrs), (gy, a) => avgPool2dBackward(gy, a, attrs), { input: rand([1, 2, 6, 5], 81) }, ['input']);
    });
  }
  it('avg_pool2d divisor_override divides every window by the given number', () => {
    const x: NdArray = { shape: [1, 1, 2, 2], data: new Float32Array([1, 2, 3, 4]) };
    expectClose(avgPool2d({ input: x }, { kernel_size: 2, divisor_override: 2 }), { shape: [1, 1, 1, 1], data: [5] }, 'output', 0);
  });
});

describe('adaptive_avg_pool2d', () => {
  goldenTests('adaptive_avg_pool2d', 'adaptive_avg_pool2d', (c) => {
    const args = { input: nd(c.inputs.input) }, attrs = c.attrs as unknown as AdaptivePool2dAttrs;
    return { output: adaptiveAvgPool2d(args, attrs), grads: adaptiveAvgPool2dBackward(nd(c.gradOutput), args, attrs) };
  });
  it('adaptive_avg_pool2d finite differences x=[1,2,5,7] output_size=[3,null]', () => {
    const attrs: AdaptivePool2dAttrs = { output_size: [3, null] };
    fdCheck((a) => adaptiveAvgPool2d(a, attrs), (gy, a) => adaptiveAvgPool2dBackward(gy, a, attrs), { input: rand([1, 2, 5, 7], 82) }, ['input']);
  });
});

describe('adaptive_max_pool2d', () => {
  it('adaptive_max_pool2d picks the max of overlapping windows x=[1,1,3,3] output_size=2', () => {
    const x: NdArray = { shape: [1, 1, 3, 3], data: new Float32Array([1, 9, 2, 3, 4, 5, 8, 6, 7]) };
    // rows [0,2) and [1,3), same for cols
    expectClose(adaptiveMaxPool2d({ input: x }, { output_size: 2 }), { shape: [1, 1, 2, 2], data: [9, 9, 8, 7] }, 'output', 0);
  });
  it('adaptive_max_pool2d finite differences x=[2,1,5,6] output_size=[2,4]', () => {
    const attrs: AdaptivePool2dAttrs = { output_size: [2, 4] };
    fdCheck((a) => adaptiveMaxPool2d(a, attrs), (gy, a) => adaptiveMaxPool2dBackward(gy, a, attrs), { input: distinct([2, 1, 5, 6], 83) }, ['input']);
  });
});

describe('1-d pools', () => {
  it('max_pool1d equals max_pool2d on a unit-height view x=[2,3,11] k=3 s=2 p=1 d=2 ceil_mode', () => {
    const x = distinct([2, 3, 11], 84);
    const y1 = maxPool1d({ input: x }, { kernel_size: 3, stride: 2, padding: 1, dilation: 2, ceil_mode: true });
    const y2 = maxPool2d({ input: { shape: [2, 3, 1, 11], data: x.data } }, { kernel_size: [1, 3], stride: [1, 2], padding: [0, 1], dilation: [1, 2], ceil_mode: true });
    expectClose(y1, { shape: [2, 3, y2.shape[3]], data: Array.from(y2.data) }, 'output', 0, 0);
  });
  it('max_pool1d finite differences x=[2,2,9] k=3 s=2 p=1', () => {
    const attrs: MaxPool1dAttrs = { kernel_size: 3, stride: 2, padding: 1 };
    fdCheck((a) => maxPool1d(a, attrs), (gy, a) => maxPool1dBackward(gy, a, attrs), { input: distinct([2, 2, 9], 85) }, ['input']);
  });
  it('avg_pool1d finite differences x=[2,2,9] k=4 s=3 p=2 ceil_mode count_include_pad=false', () => {
    const attrs: AvgPool1dAttrs = { kernel_size: 4, stride: 3, padding: 2, ceil_mode: true, count_include_pad: false };
    fdCheck((a) => avgPool1d(a, attrs), (gy, a) => avgPool1dBackward(gy, a, attrs), { input: rand([2, 2, 9], 86) }, ['input']);
  });
  it('adaptive_avg_pool1d finite differences x=[2,3,7] output_size=3', () => {
    const attrs = { output_size: 3 };
    fdCheck((a) => adaptiveAvgPool1d(a, attrs), (gy, a) => adaptiveAvgPool1dBackward(gy, a, attrs), { input: rand([2, 3, 7], 87) }, ['input']);
  });
  it('adaptive_max_pool1d finite differences x=[2,3,10] output_size=4', () => {
    const attrs = { output_size: 4 };
    fdCheck((a) => adaptiveMaxPool1d(a, attrs), (gy, a) => adaptiveMaxPool1dBackward(gy, a, attrs), { input: distinct([2, 3, 10], 88) }, ['input']);
  });
  it('adaptive_max_pool1d values x=[1,1,5] output_size=2', () => {
    const x: NdArray = { shape: [1, 1, 5], data: new Float32Array([3, 1, 4, 1, 5]) };
    // windows [0,3) and [2,5)
    expectClose(adaptiveMaxPool1d({ input: x }, { output_size: 2 }), { shape: [1, 1, 2], data: [4, 5] }, 'output', 0);
  });
});
