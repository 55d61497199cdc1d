// hardsigmoid (F.hardsigmoid): relu6(x + 3)/6. Gradient 1/6 strictly inside (−3, 3), else 0.

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export function hardsigmoid(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => (v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5));
}

export function hardsigmoidBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => (v > -3 && v < 3 ? 1 / 6 : 0));
}
