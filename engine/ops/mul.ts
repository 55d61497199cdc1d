// mul (torch.mul): input · other with broadcasting; d input = dy·other, d other = dy·input (summed to shape).

import type { BinaryArgs } from './add';
import { broadcastBinary, sumToShape, type NdArray } from './tensor';

export function mul(args: BinaryArgs, _attrs: object = {}): NdArray {
  return broadcastBinary(args.input, args.other, (x, y) => x * y);
}

export function mulBackward(gradOutput: NdArray, args: BinaryArgs, _attrs: object = {}): { input: NdArray; other: NdArray } {
  return {
    input: sumToShape(broadcastBinary(gradOutput, args.other, (g, y) => g * y), args.input.shape),
    other: sumToShape(broadcastBinary(gradOutput, args.input, (g, x) => g * x), args.other.shape),
  };
}
