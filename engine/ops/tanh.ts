// tanh (torch.tanh); d tanh = 1 − tanh².

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export function tanh(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, Math.tanh);
}

export function tanhBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => {
    const t = Math.tanh(v);
    return 1 - t * t;
  });
}
