import { describe, it } from 'vitest';
import { linear, linearBackward, type LinearArgs } from '../../../engine/ops/linear';
import type { NdArray } from '../../../engine/ops/tensor';
import { caseArgs, fdCheck, goldenTests, nd, rand } from './helpers';

const linArgs = (a: Record<string, NdArray>): LinearArgs => ({ input: a.input, weight: a.weight, bias: a.bias });

describe('linear', () => {
  goldenTests('linear', 'linear', (c) => {
    const a = linArgs(caseArgs(c));
    return { output: linear(a), grads: linearBackward(nd(c.gradOutput), a) };
  });
  it('linear finite differences x=[2,3,5] w=[4,5] b=[4]', () => {
    const args = { input: rand([2, 3, 5], 21), weight: rand([4, 5], 22), bias: rand([4], 23) };
    fdCheck((a) => linear(linArgs(a)), (gy, a) => linearBackward(gy, linArgs(a)), args, ['input', 'weight', 'bias']);
  });
});
