// softmax (F.softmax): exp(x − max)/Σ exp(x − max) along `dim`, sums in float64.
// Backward: dx = y·(dy − Σ dy·y), with y recomputed from x (the op keeps no state).

import { axisSplit, normDim, type NdArray } from './tensor';

export interface SoftmaxAttrs {
  dim: number;
}

/** Runs `row(offset, stride)` for each of the outer·inner lines of length D along `dim`. */
export function forEachLine(shape: readonly number[], dim: number, row: (off: number, stride: number, D: number) => void): void {
  const [outer, D, inner] = axisSplit(shape, normDim(dim, shape.length));
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) row(o * D * inner + i, inner, D);
}

export function softmax(args: { input: NdArray }, attrs: SoftmaxAttrs): NdArray {
  const x = args.input.data, y = new Float32Array(x.length);
  if (args.input.shape.length === 0) return { shape: [], data: y.fill(1) };
  forEachLine(args.input.shape, attrs.dim, (off, st, D) => {
    let m = -Infinity;
    for (let k = 0, i = off; k < D; k++, i += st) if (x[i] > m) m = x[i];
    let s = 0;
    for (let k = 0, i = off; k < D; k++, i += st) s += Math.exp(x[i] - m);
    for (let k = 0, i = off; k < D; k++, i += st) y[i] = Math.exp(x[i] - m) / s;
  });
  return { shape: [...args.input.shape], data: y };
}

export function softmaxBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: SoftmaxAttrs): { input: NdArray } {
  const y = softmax(args, attrs).data, g = gradOutput.data, gx = new Float32Array(y.length);
  if (args.input.shape.length > 0) forEachLine(args.input.shape, attrs.dim, (off, st, D) => {
    let s = 0;
    for (let k = 0, i = off; k < D; k++, i += st) s += g[i] * y[i];
    for (let k = 0, i = off; k < D; k++, i += st) gx[i] = y[i] * (g[i] - s);
  });
  return { input: { shape: [...args.input.shape], data: gx } };
}
