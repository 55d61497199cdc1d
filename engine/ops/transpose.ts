// transpose (torch.transpose): swaps dim0 and dim1 — a permute; its own inverse in backward.

import { permuteData } from './permute';
import { normDim, type NdArray } from './tensor';

export interface TransposeAttrs {
  dim0: number;
  dim1: number;
}

function order(rank: number, a: TransposeAttrs): number[] {
  const d = Array.from({ length: rank }, (_, i) => i);
  if (rank === 0) return d;
  const i = normDim(a.dim0, rank), j = normDim(a.dim1, rank);
  [d[i], d[j]] = [d[j], d[i]];
  return d;
}

export function transpose(args: { input: NdArray }, attrs: TransposeAttrs): NdArray {
  return permuteData(args.input, order(args.input.shape.length, attrs));
}

export function transposeBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: TransposeAttrs): { input: NdArray } {
  return { input: permuteData(gradOutput, order(args.input.shape.length, attrs)) };
}
