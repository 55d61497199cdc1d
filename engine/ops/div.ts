// div (torch.div, true division): input / other with broadcasting; d input = dy/other,
// d other = −dy·input/other² (summed to shape). rounding_mode is not supported (no gradient anyway).

import type { BinaryArgs } from './add';
import { broadcastBinary, sumToShape, type NdArray } from './tensor';

export function div(args: BinaryArgs, _attrs: object = {}): NdArray {
  return broadcastBinary(args.input, args.other, (x, y) => x / y);
}

export function divBackward(gradOutput: NdArray, args: BinaryArgs, _attrs: object = {}): { input: NdArray; other: NdArray } {
  const gOverY = broadcastBinary(gradOutput, args.other, (g, y) => g / y);
  return {
    input: sumToShape(gOverY, args.input.shape),
    other: sumToShape(broadcastBinary(gOverY, div(args), (gy, q) => -gy * q), args.other.shape),
  };
}
