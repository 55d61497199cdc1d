// conv_transpose1d (F.conv_transpose1d): the conv_transpose2d kernel on a unit-height view.
// Only reshapes attributes and shapes here.

import { convTranspose2d, convTranspose2dBackward, type ConvTranspose2dAttrs, type ConvTransposeArgs } from './convTranspose2d';
import { expandList, fmtShape, numel, type NdArray } from './tensor';

export interface ConvTranspose1dAttrs {
  stride?: number | number[];
  padding?: number | number[];
  output_padding?: number | number[];
  dilation?: number | number[];
  groups?: number;
}

const lift = (t: NdArray): NdArray => ({ shape: [t.shape[0], t.shape[1], 1, t.shape[2]], data: t.data });
const drop = (t: NdArray): NdArray => ({ shape: [t.shape[0], t.shape[1], t.shape[3]], data: t.data });

function liftArgs(a: ConvTransposeArgs): ConvTransposeArgs {
  if (a.input.shape.length !== 3 || a.weight.shape.length !== 3) {
    throw new Error(`conv_transpose1d expects 3-d input and weight, got ${fmtShape(a.input.shape)} and ${fmtShape(a.weight.shape)}`);
  }
  return { input: lift(a.input), weight: lift(a.weight), bias: a.bias };
}

function liftAttrs(a: ConvTranspose1dAttrs): ConvTranspose2dAttrs {
  const one = (v: number | number[] | undefined, dflt: number, what: string) => [dflt, expandList(v ?? dflt, 1, what)[0]];
  return {
    stride: one(a.stride, 1, 'stride'),
    padding: one(a.padding, 0, 'padding'),
    output_padding: one(a.output_padding, 0, 'output_padding'),
    dilation: one(a.dilation, 1, 'dilation'),
    groups: a.groups,
  };
}

export function convTranspose1d(args: ConvTransposeArgs, attrs: ConvTranspose1dAttrs): NdArray {
  return drop(convTranspose2d(liftArgs(args), liftAttrs(attrs)));
}

export function convTranspose1dBackward(
  gradOutput: NdArray, args: ConvTransposeArgs, attrs: ConvTranspose1dAttrs,
): { input: NdArray; weight: NdArray; bias?: NdArray } {
  const g = convTranspose2dBackward(lift(gradOutput), liftArgs(args), liftAttrs(attrs));
  const out: { input: NdArray; weight: NdArray; bias?: NdArray } = { input: drop(g.input), weight: drop(g.weight) };
  if (g.bias) out.bias = g.bias;
  return out;
}

