// relu (F.relu): max(x, 0); NaN passes through as in PyTorch's clamp.
// NOTE: the gradient at exactly x = 0 is 0 (PyTorch's threshold_backward), not 1.

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export function relu(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => (v < 0 ? 0 : v));
}

export function reluBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => (v > 0 ? 1 : 0));
}
