// permute (torch.permute): output dim i is input dim dims[i]; data copied into row-major order.
// Backward permutes dy by the inverse permutation.

import { fmtShape, normDim, stridesOf, type NdArray } from './tensor';

export interface PermuteAttrs {
  dims: number[];
}

function resolve(rank: number, dims: readonly number[]): number[] {
  const d = dims.map((v) => normDim(v, rank));
  if (d.length !== rank || new Set(d).size !== rank) throw new Error(`permute: dims ${fmtShape(dims)} are not a permutation of ${rank} dims`);
  return d;
}

/** Copies x with its dims reordered: out.shape[i] = x.shape[dims[i]]. */
export function permuteData(x: NdArray, dims: readonly number[]): NdArray {
  const rank = x.shape.length, shape = dims.map((d) => x.shape[d]);
  const inSt = stridesOf(x.shape), st = dims.map((d) => inSt[d]);
  const y = new Float32Array(x.data.length);
  if (rank === 0) {
    y.set(x.data);
    return { shape, data: y };
  }
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < y.length; o++) {
    y[o] = x.data[src];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += st[d];
      if (idx[d] < shape[d]) break;
      src -= st[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { shape, data: y };
}

export function permute(args: { input: NdArray }, attrs: PermuteAttrs): NdArray {
  return permuteData(args.input, resolve(args.input.shape.length, attrs.dims));
}

export function permuteBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: PermuteAttrs): { input: NdArray } {
  const d = resolve(args.input.shape.length, attrs.dims), inv = new Array<number>(d.length);
  d.forEach((v, i) => (inv[v] = i));
  return { input: permuteData(gradOutput, inv) };
}
