// mish (F.mish): x·tanh(softplus(x)).

import type { NdArray } from './tensor';
import { mapUnary, sigmoidScalar, softplusScalar, unaryBackward, type UnaryArgs } from './unary';

export function mish(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => v * Math.tanh(softplusScalar(v)));
}

export function mishBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => {
    const t = Math.tanh(softplusScalar(v));
    return t + v * (1 - t * t) * sigmoidScalar(v);
  });
}
