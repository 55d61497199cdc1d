// clamp (torch.clamp): min(max, max(min, x)); the gradient passes strictly inside (min, max).
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';
import type { NdArray } from './tensor';

export interface ClampAttrs { min: number; max: number }

export function clamp(args: UnaryArgs, a: ClampAttrs): NdArray {
  return mapUnary(args.input, (v) => Math.min(a.max, Math.max(a.min, v)));
}

export function clampBackward(g: NdArray, args: UnaryArgs, a: ClampAttrs): { input: NdArray } {
  return unaryBackward(g, args.input, (v) => (v > a.min && v < a.max ? 1 : 0));
}
