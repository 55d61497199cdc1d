// relu6 (F.relu6 = hardtanh(x, 0, 6)): min(max(x, 0), 6).
// NOTE: like PyTorch's hardtanh_backward the gradient is 1 only strictly inside (0, 6), 0 at both kinks.

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export function relu6(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => (v < 0 ? 0 : v > 6 ? 6 : v));
}

export function relu6Backward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => (v > 0 && v < 6 ? 1 : 0));
}
