// softplus (F.softplus): log(1 + e^(βx))/β, reverting to x where βx > threshold (PyTorch's cut-off).

import type { NdArray } from './tensor';
import { mapUnary, sigmoidScalar, softplusScalar, unaryBackward, type UnaryArgs } from './unary';

export interface SoftplusAttrs {
  beta?: number;
  threshold?: number;
}

export function softplus(args: UnaryArgs, attrs: SoftplusAttrs = {}): NdArray {
  const b = attrs.beta ?? 1, t = attrs.threshold ?? 20;
  return mapUnary(args.input, (v) => (v * b > t ? v : softplusScalar(v * b) / b));
}

export function softplusBackward(gradOutput: NdArray, args: UnaryArgs, attrs: SoftplusAttrs = {}): { input: NdArray } {
  const b = attrs.beta ?? 1, t = attrs.threshold ?? 20;
  return unaryBackward(gradOutput, args.input, (v) => (v * b > t ? 1 : sigmoidScalar(v * b)));
}
