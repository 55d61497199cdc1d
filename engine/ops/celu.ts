// celu (F.celu): max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export interface CeluAttrs {
  alpha?: number;
}

export function celu(args: UnaryArgs, attrs: CeluAttrs = {}): NdArray {
  const a = attrs.alpha ?? 1;
  return mapUnary(args.input, (v) => (v > 0 ? v : a * Math.expm1(v / a)));
}

export function celuBackward(gradOutput: NdArray, args: UnaryArgs, attrs: CeluAttrs = {}): { input: NdArray } {
  const a = attrs.alpha ?? 1;
  return unaryBackward(gradOutput, args.input, (v) => (v > 0 ? 1 : Math.exp(v / a)));
}
