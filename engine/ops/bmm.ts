// bmm (torch.bmm): [B, n, k] × [B, k, m] with equal batch sizes and no broadcasting; the matmul kernel.

import { matmul, matmulBackward, type MatmulArgs } from './matmul';
import { fmtShape, type NdArray } from './tensor';

function check(a: readonly number[], b: readonly number[]): void {
  if (a.length !== 3 || b.length !== 3 || a[0] !== b[0] || a[2] !== b[1]) {
    throw new Error(`bmm: expected [B, n, k] and [B, k, m], got ${fmtShape(a)} and ${fmtShape(b)}`);
  }
}

export function bmm(args: MatmulArgs, _attrs: object = {}): NdArray {
  check(args.input.shape, args.other.shape);
  return matmul(args, {}, 'bmm');
}

export function bmmBackward(gradOutput: NdArray, args: MatmulArgs, _attrs: object = {}): { input: NdArray; other: NdArray } {
  check(args.input.shape, args.other.shape);
  return matmulBackward(gradOutput, args);
}
