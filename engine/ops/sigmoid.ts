// sigmoid (torch.sigmoid): 1/(1 + e^−x), computed without overflow; dσ = σ(1 − σ).

import type { NdArray } from './tensor';
import { mapUnary, sigmoidScalar, unaryBackward, type UnaryArgs } from './unary';

export function sigmoid(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, sigmoidScalar);
}

export function sigmoidBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => {
    const s = sigmoidScalar(v);
    return s * (1 - s);
  });
}
