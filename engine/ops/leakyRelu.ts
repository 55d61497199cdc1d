// leaky_relu (F.leaky_relu): x if x > 0 else negative_slope·x.

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export interface LeakyReluAttrs {
  negative_slope?: number;
}

export function leakyRelu(args: UnaryArgs, attrs: LeakyReluAttrs = {}): NdArray {
  const s = attrs.negative_slope ?? 0.01;
  return mapUnary(args.input, (v) => (v > 0 ? v : s * v));
}

export function leakyReluBackward(gradOutput: NdArray, args: UnaryArgs, attrs: LeakyReluAttrs = {}): { input: NdArray } {
  const s = attrs.negative_slope ?? 0.01;
  return unaryBackward(gradOutput, args.input, (v) => (v > 0 ? 1 : s));
}
