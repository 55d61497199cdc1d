// sub (torch.sub): input − alpha·other with broadcasting; gradients dy and −alpha·dy summed to each shape.

import type { AddAttrs, BinaryArgs } from './add';
import { broadcastBinary, sumToShape, type NdArray } from './tensor';

export function sub(args: BinaryArgs, attrs: AddAttrs = {}): NdArray {
  const a = attrs.alpha ?? 1;
  return broadcastBinary(args.input, args.other, (x, y) => x - a * y);
}

export function subBackward(gradOutput: NdArray, args: BinaryArgs, attrs: AddAttrs = {}): { input: NdArray; other: NdArray } {
  const a = attrs.alpha ?? 1;
  const other = sumToShape(gradOutput, args.other.shape);
  for (let i = 0; i < other.data.length; i++) other.data[i] *= -a;
  return { input: sumToShape(gradOutput, args.input.shape), other };
}
