// selu (F.selu): scale·elu(x, alpha) with the fixed self-normalising constants.

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

const ALPHA = 1.6732632423543772848170429916717;
const SCALE = 1.0507009873554804934193349852946;

export function selu(args: UnaryArgs, _attrs: object = {}): NdArray {
  return mapUnary(args.input, (v) => SCALE * (v > 0 ? v : ALPHA * Math.expm1(v)));
}

export function seluBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}): { input: NdArray } {
  return unaryBackward(gradOutput, args.input, (v) => SCALE * (v > 0 ? 1 : ALPHA * Math.exp(v)));
}
