// max_pool1d (F.max_pool1d): the max_pool2d kernel on a unit-height view ([N, C, L] as [N, C, 1, L]).

import { maxPool2d, maxPool2dBackward, type MaxPool2dAttrs } from './maxPool2d';
import { expandList, fmtShape, type NdArray } from './tensor';

export interface MaxPool1dAttrs {
  kernel_size: number | number[];
  stride?: number | number[] | null;
  padding?: number | number[];
  dilation?: number | number[];
  ceil_mode?: boolean;
}

function lift(t: NdArray): NdArray {
  if (t.shape.length !== 2 && t.shape.length !== 3) throw new Error(`max_pool1d expects [N, C, L] or [C, L], got ${fmtShape(t.shape)}`);
  return { shape: [...t.shape.slice(0, -1), 1, t.shape[t.shape.length - 1]], data: t.data };
}

const drop = (t: NdArray): NdArray => ({ shape: [...t.shape.slice(0, -2), t.shape[t.shape.length - 1]], data: t.data });

function liftAttrs(a: MaxPool1dAttrs): MaxPool2dAttrs {
  const one = (v: number | number[], what: string) => expandList(v, 1, what)[0];
  const k = one(a.kernel_size, 'kernel_size');
  const noStride = a.stride == null || (Array.isArray(a.stride) && a.stride.length === 0);
  return {
    kernel_size: [1, k],
    stride: [1, noStride ? k : one(a.stride!, 'stride')],
    padding: [0, one(a.padding ?? 0, 'padding')],
    dilation: [1, one(a.dilation ?? 1, 'dilation')],
    ceil_mode: a.ceil_mode,
  };
}

export function maxPool1d(args: { input: NdArray }, attrs: MaxPool1dAttrs): NdArray {
  return drop(maxPool2d({ input: lift(args.input) }, liftAttrs(attrs)));
}

export function maxPool1dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: MaxPool1dAttrs): { input: NdArray } {
  const g = maxPool2dBackward(lift(gradOutput), { input: lift(args.input) }, liftAttrs(attrs));
  return { input: drop(g.input) };
}
