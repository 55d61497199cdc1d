import { describe, it } from 'vitest';
import { conv3d, conv3dBackward, type Conv3dAttrs } from '../../../engine/ops/conv3d';
import type { ConvArgs } from '../../../engine/ops/conv2d';
import type { NdArray } from '../../../engine/ops/tensor';
import { caseArgs, fdCheck, goldenTests, nd, rand } from './helpers';

const convArgs = (a: Record<string, NdArray>): ConvArgs => ({ input: a.input, weight: a.weight, bias: a.bias });

describe('conv3d', () => {
  // goldens made with Debian's python3-torch in float64 (test/fixtures/ops_extra/conv3d.json)
  goldenTests('../ops_extra/conv3d', 'conv3d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as Conv3dAttrs;
    return { output: conv3d(a, attrs), grads: conv3dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv3d finite differences x=[1,2,4,4,3] w=[2,1,2,3,2] s=[1,2,1] p=[1,0,1] groups=2', () => {
    const attrs: Conv3dAttrs = { stride: [1, 2, 1], padding: [1, 0, 1], groups: 2 };
    const args = { input: rand([1, 2, 4, 4, 3], 7), weight: rand([2, 1, 2, 3, 2], 8), bias: rand([2], 9) };
    fdCheck((a) => conv3d(convArgs(a), attrs), (gy, a) => conv3dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});
