// masked_fill (Tensor.masked_fill): `value` where the mask is set, the input elsewhere: where(mask, value,
// input), so the input's gradient is where's.
import { where, whereBackward, type WhereArgs } from './where';
import type { NdArray } from './tensor';

export interface MaskedFillArgs { input: NdArray; mask: NdArray }
export interface MaskedFillAttrs { value: number }

const asWhere = (args: MaskedFillArgs, a: MaskedFillAttrs): WhereArgs => ({ condition: args.mask, input: { shape: [], data: Float32Array.of(a.value) }, other: args.input });

export function maskedFill(args: MaskedFillArgs, attrs: MaskedFillAttrs): NdArray { return where(asWhere(args, attrs)); }

export function maskedFillBackward(g: NdArray, args: MaskedFillArgs, attrs: MaskedFillAttrs): { input: NdArray } {
  return { input: whereBackward(g, asWhere(args, attrs)).other };
}
