// max_pool1d (F.max_pool1d): the max_pool2d kernel on a unit-height view ([N, C, L] as [N, C, 1, L]).

import { maxPool2d, maxPool2dBackward, type MaxPool2dAttrs } from './maxPool2d';
import { dropRow, liftRow, liftWindow } from './poolWindow';
import { expandList, type NdArray } from './tensor';

export interface MaxPool1dAttrs {
  kernel_size: number | number[];
  stride?: number | number[] | null;
  padding?: number | number[];
  dilation?: number | number[];
  ceil_mode?: boolean;
}

function liftAttrs(a: MaxPool1dAttrs): MaxPool2dAttrs {
  return {
    ...liftWindow(a),
    dilation: [1, expandList(a.dilation ?? 1, 1, 'dilation')[0]],
    ceil_mode: a.ceil_mode,
  };
}

const lift = (t: NdArray): NdArray => liftRow(t, 'max_pool1d');

export function maxPool1d(args: { input: NdArray }, attrs: MaxPool1dAttrs): NdArray {
  return dropRow(maxPool2d({ input: lift(args.input) }, liftAttrs(attrs)));
}

export function maxPool1dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: MaxPool1dAttrs): { input: NdArray } {
  const g = maxPool2dBackward(lift(gradOutput), { input: lift(args.input) }, liftAttrs(attrs));
  return { input: dropRow(g.input) };
}
