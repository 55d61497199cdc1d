// mean (torch.mean): sum over the given dims (float64) divided by the number of reduced elements.

import { reducePlan, reduceSum, type ReduceAttrs } from './sum';
import { broadcastTo, type NdArray } from './tensor';

export type MeanAttrs = ReduceAttrs;

export function mean(args: { input: NdArray }, attrs: MeanAttrs = {}): NdArray {
  const p = reducePlan(args.input.shape, attrs), s = reduceSum(args.input, p);
  const y = new Float32Array(s.length);
  for (let i = 0; i < s.length; i++) y[i] = s[i] / p.count;
  return { shape: p.outShape, data: y };
}

export function meanBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: MeanAttrs = {}): { input: NdArray } {
  const p = reducePlan(args.input.shape, attrs);
  const g = broadcastTo({ shape: p.kept, data: gradOutput.data }, args.input.shape);
  for (let i = 0; i < g.data.length; i++) g.data[i] /= p.count;
  return { input: g };
}
