// log_softmax (F.log_softmax): x − max − log Σ exp(x − max) along `dim`, sums in float64.
// Backward: dx = dy − softmax(x)·Σ dy.

import { forEachLine, type SoftmaxAttrs } from './softmax';
import type { NdArray } from './tensor';

export type LogSoftmaxAttrs = SoftmaxAttrs;

export function logSoftmax(args: { input: NdArray }, attrs: LogSoftmaxAttrs): NdArray {
  const x = args.input.data, y = new Float32Array(x.length);
  if (args.input.shape.length === 0) return { shape: [], data: y };
  forEachLine(args.input.shape, attrs.dim, (off, st, D) => {
    let m = -Infinity;
    for (let k = 0, i = off; k < D; k++, i += st) if (x[i] > m) m = x[i];
    let s = 0;
    for (let k = 0, i = off; k < D; k++, i += st) s += Math.exp(x[i] - m);
    const lse = m + Math.log(s);
    for (let k = 0, i = off; k < D; k++, i += st) y[i] = x[i] - lse;
  });
  return { shape: [...args.input.shape], data: y };
}

export function logSoftmaxBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: LogSoftmaxAttrs): { input: NdArray } {
  const y = logSoftmax(args, attrs).data, g = gradOutput.data, gx = new Float32Array(y.length);
  if (args.input.shape.length > 0) forEachLine(args.input.shape, attrs.dim, (off, st, D) => {
    let s = 0;
    for (let k = 0, i = off; k < D; k++, i += st) s += g[i];
    for (let k = 0, i = off; k < D; k++, i += st) gx[i] = g[i] - Math.exp(y[i]) * s;
  });
  return { input: { shape: [...args.input.shape], data: gx } };
}
