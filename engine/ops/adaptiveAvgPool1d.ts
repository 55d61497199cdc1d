// adaptive_avg_pool1d (F.adaptive_avg_pool1d): the adaptive_avg_pool2d kernel on a unit-height view.

import { adaptiveAvgPool2d, adaptiveAvgPool2dBackward } from './adaptiveAvgPool2d';
import { expandList, fmtShape, type NdArray } from './tensor';

export interface AdaptiveAvgPool1dAttrs {
  output_size: number | null | Array<number | null>;
}

function lift(t: NdArray): NdArray {
  if (t.shape.length !== 2 && t.shape.length !== 3) throw new Error(`adaptive_avg_pool1d expects [N, C, L] or [C, L], got ${fmtShape(t.shape)}`);
  return { shape: [...t.shape.slice(0, -1), 1, t.shape[t.shape.length - 1]], data: t.data };
}

const drop = (t: NdArray): NdArray => ({ shape: [...t.shape.slice(0, -2), t.shape[t.shape.length - 1]], data: t.data });

const liftAttrs = (a: AdaptiveAvgPool1dAttrs) => {
  const os = a.output_size;
  return { output_size: [1, os === null || typeof os === 'number' ? os : expandList(os as number[], 1, 'output_size')[0]] };
};

export function adaptiveAvgPool1d(args: { input: NdArray }, attrs: AdaptiveAvgPool1dAttrs): NdArray {
  return drop(adaptiveAvgPool2d({ input: lift(args.input) }, liftAttrs(attrs)));
}

export function adaptiveAvgPool1dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: AdaptiveAvgPool1dAttrs): { input: NdArray } {
  return { input: drop(adaptiveAvgPool2dBackward(lift(gradOutput), { input: lift(args.input) }, liftAttrs(attrs)).input) };
}
