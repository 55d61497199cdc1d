// hardswish (F.hardswish): x·relu6(x + 3)/6.
// NOTE: gradient (2x + 3)/6 on [−3, 3], 0 below, 1 above, with PyTorch's choice at the kinks
// (x = −3 gives −1/2, x = 3 gives 3/2: its backward tests x < −3 and x <= 3).

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export function hardswish(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6));
}

export function hardswishBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => (v < -3 ? 0 : v <= 3 ? v / 3 + 0.5 : 1));
}
