// elu (F.elu): x if x > 0 else alpha·(e^x − 1).

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export interface EluAttrs {
  alpha?: number;
}

export function elu(args: UnaryArgs, attrs: EluAttrs = {}): NdArray {
  const a = attrs.alpha ?? 1;
  return mapUnary(args.input, (v) => (v > 0 ? v : a * Math.expm1(v)));
}

export function eluBackward(gradOutput: NdArray, args: UnaryArgs, attrs: EluAttrs = {}): { input: NdArray } {
  const a = attrs.alpha ?? 1;
  return unaryBackward(gradOutput, args.input, (v) => (v > 0 ? 1 : a * Math.exp(v)));
}
