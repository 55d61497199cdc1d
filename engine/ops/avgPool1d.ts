// avg_pool1d (F.avg_pool1d): the avg_pool2d kernel on a unit-height view ([N, C, L] as [N, C, 1, L]).

import { avgPool2d, avgPool2dBackward, type AvgPool2dAttrs } from './avgPool2d';
import { dropRow, liftRow, liftWindow } from './poolWindow';
import { type NdArray } from './tensor';

export interface AvgPool1dAttrs {
  kernel_size: number | number[];
  stride?: number | number[] | null;
  padding?: number | number[];
  ceil_mode?: boolean;
  count_include_pad?: boolean;
}

function liftAttrs(a: AvgPool1dAttrs): AvgPool2dAttrs {
  return {
    ...liftWindow(a),
    ceil_mode: a.ceil_mode,
    count_include_pad: a.count_include_pad,
  };
}

const lift = (t: NdArray): NdArray => liftRow(t, 'avg_pool1d');

export function avgPool1d(args: { input: NdArray }, attrs: AvgPool1dAttrs): NdArray {
  return dropRow(avgPool2d({ input: lift(args.input) }, liftAttrs(attrs)));
}

export function avgPool1dBackward(gradOutput: NdArray, args: { input: NdArray }, attrs: AvgPool1dAttrs): { input: NdArray } {
  const g = avgPool2dBackward(lift(gradOutput), { input: lift(args.input) }, liftAttrs(attrs));
  return { input: dropRow(g.input) };
}
