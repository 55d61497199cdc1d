// gelu (F.gelu): exact x·Φ(x) with Φ from erf (approximate='none'), or the tanh form (approximate='tanh').
// erf is engine/util/numeric.ts's (accurate to ~1e-15: series, then continued fraction).

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';
import { erf } from '../util/numeric';

export interface GeluAttrs {
  approximate?: 'none' | 'tanh';
}

export { erf };

const K = Math.sqrt(2 / Math.PI);
const C3 = 0.044715;

export function gelu(args: UnaryArgs, attrs: GeluAttrs = {}): NdArray {
  if (attrs.approximate === 'tanh') return mapUnary(args.input, (v) => 0.5 * v * (1 + Math.tanh(K * (v + C3 * v * v * v))));
  return mapUnary(args.input, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
}

export function geluBackward(gradOutput: NdArray, args: UnaryArgs, attrs: GeluAttrs = {}): { input: NdArray } {
  if (attrs.approximate === 'tanh') {
    return unaryBackward(gradOutput, args.input, (v) => {
      const t = Math.tanh(K * (v + C3 * v * v * v));
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K * (1 + 3 * C3 * v * v);
    });
  }
  const invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
  return unaryBackward(gradOutput, args.input, (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + v * invSqrt2Pi * Math.exp(-0.5 * v * v));
}
