// adaptive_max_pool1d (F.adaptive_max_pool1d): the adaptive_max_pool2d kernel on a unit-height view.

import { adaptiveMaxPool2d, adaptiveMaxPool2dBackward } from './adaptiveMaxPool2d';
import { expandList, fmtShape, type NdArray } from './tensor';

export interface AdaptiveMaxPool1dAttrs {
  output_size: number | null | Array<number | null>;
}

function lift(t: NdArray): NdArray {
  if (t.shape.length !== 2 && t.shape.length !== 3) throw new Error(`adaptive_max_pool1d expects [N, C, L] or [C, L], got ${fmtShape(t.shape)}`);
  return { shape: [...t.shape.slice(0, -1), 1, t.shape[t.shape.length - 1]], data: t.data };
}

const drop = (t: NdArray): NdArray => ({ shape: [...t.shape.slice(0, -2), t.shape[t.shape.length - 1]], data: t.data });

const liftAttrs = (a: AdaptiveMaxPool1dAttrs) => {
  const os = a.output_size;
  return { output_size: [1, os === null || typeof os === 'number' ? os : expandList(os as number[], 1, 'output_size')[0]] };
};

export function adaptiveMaxPool1d(args: { input: NdArray }, attrs: AdaptiveMaxPool1dAttrs): NdArray {
  return drop(adaptiveMaxPool2d({ input: lift(args.input) }, liftAttrs(attrs)));
}

export function adaptiveMaxPool1dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: AdaptiveMaxPool1dAttrs): { input: NdArray } {
  return { input: drop(adaptiveMaxPool2dBackward(lift(gradOutput), { input: lift(args.input) }, liftAttrs(attrs)).input) };
}
