// conv1d (F.conv1d): runs the conv2d kernel on a unit-height view ([N, C, L] as [N, C, 1, L]).
// Only reshapes attributes and shapes here; the arithmetic and geometry live in conv2d.ts / convShape.ts.

import { conv2d, conv2dBackward, type Conv2dAttrs, type ConvArgs } from './conv2d';
import { expandList, fmtShape, numel, type NdArray } from './tensor';

export interface Conv1dAttrs {
  stride?: number | number[];
  padding?: number | number[] | 'same' | 'valid';
  dilation?: number | number[];
  groups?: number;
}

function lift(t: NdArray): NdArray {
  return { shape: [t.shape[0], t.shape[1], 1, t.shape[2]], data: t.data };
}

function liftArgs(args: ConvArgs): ConvArgs {
  if (args.input.shape.length !== 3 || args.weight.shape.length !== 3) {
    throw new Error(`conv1d expects 3-d input and weight, got ${fmtShape(args.input.shape)} and ${fmtShape(args.weight.shape)}`);
  }
  return { input: lift(args.input), weight: lift(args.weight), bias: args.bias };
}

function liftAttrs(a: Conv1dAttrs): Conv2dAttrs {
  const one = (v: number | number[] | undefined, what: string) => [1, expandList(v ?? 1, 1, what)[0]];
  const p = a.padding ?? 0;
  return {
    stride: one(a.stride, 'stride'),
    dilation: one(a.dilation, 'dilation'),
    padding: p === 'same' || p === 'valid' ? p : [0, expandList(p, 1, 'padding')[0]],
    groups: a.groups,
  };
}

function drop(t: NdArray): NdArray {
  return { shape: [t.shape[0], t.shape[1], t.shape[3]], data: t.data };
}

export function conv1d(args: ConvArgs, attrs: Conv1dAttrs): NdArray {
  return drop(conv2d(liftArgs(args), liftAttrs(attrs)));
}

export function conv1dBackward(
  gradOutput: NdArray, args: ConvArgs, attrs: Conv1dAttrs,
): { input: NdArray; weight: NdArray; bias?: NdArray } {
  const g = conv2dBackward(lift(gradOutput), liftArgs(args), liftAttrs(attrs));
  const out: { input: NdArray; weight: NdArray; bias?: NdArray } = { input: drop(g.input), weight: drop(g.weight) };
  if (g.bias) out.bias = g.bias;
  return out;
}

