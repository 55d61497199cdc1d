// silu (F.silu): x·σ(x).

import type { NdArray } from './tensor';
import { mapUnary, sigmoidScalar, unaryBackward, type UnaryArgs } from './unary';

export function silu(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => v * sigmoidScalar(v));
}

export function siluBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => {
    const s = sigmoidScalar(v);
    return s * (1 + v * (1 - s));
  });
}
