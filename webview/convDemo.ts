// The article's worked example (CS231n's convolution demo): a 5×5×3 input zero-padded to 7×7×3, two 3×3×3
// filters w0 and w1 with biases 1 and 0, stride 2, output 3×3×2. The numbers are data; the output is the
// engine's conv2d of them (the worker runs it), so the step-through checks its sums against the engine.
import { ops } from '../engine/ops/registry';
import { convStep } from './articleData';
import type { ConvStepData } from './protocol';

/** x[c][row][col] of the demo's input. */
export const DEMO_INPUT = [
  [[0, 1, 1, 2, 2], [0, 1, 1, 0, 0], [1, 1, 0, 1, 0], [1, 0, 1, 1, 1], [0, 2, 0, 1, 0]],
  [[1, 1, 1, 2, 0], [0, 2, 1, 1, 2], [1, 2, 0, 0, 2], [0, 2, 1, 2, 1], [2, 0, 1, 2, 0]],
  [[2, 0, 2, 0, 2], [0, 0, 1, 2, 1], [1, 0, 2, 2, 1], [2, 0, 2, 0, 0], [0, 0, 1, 1, 2]],
];
/** w[filter][c][row][col]: w0 and w1. */
export const DEMO_WEIGHT = [
  [[[1, 1, -1], [-1, 0, 1], [-1, -1, 0]], [[-1, 0, -1], [0, 0, -1], [1, -1, 0]], [[0, 1, 0], [1, 0, 1], [0, -1, 1]]],
  [[[-1, -1, 0], [-1, 1, 0], [-1, 1, 0]], [[1, -1, 0], [-1, 0, -1], [-1, 0, 0]], [[-1, 0, 1], [1, 0, 1], [0, -1, 0]]],
];
export const DEMO_BIAS = [1, 0];
export const DEMO_ATTRS = { stride: [2, 2], padding: [[1, 1], [1, 1]] as Array<[number, number]>, dilation: [1, 1], groups: 1 };

export function convDemo(): ConvStepData {
  const input = { shape: [1, 3, 5, 5], data: Float32Array.from(DEMO_INPUT.flat(2)) };
  const weight = { shape: [2, 3, 3, 3], data: Float32Array.from(DEMO_WEIGHT.flat(3)) };
  const bias = { shape: [2], data: Float32Array.from(DEMO_BIAS) };
  const output = ops.conv2d.forward({ input, weight, bias }, DEMO_ATTRS);
  return convStep({ op: 'conv2d', attrs: DEMO_ATTRS, args: [input, weight, bias] }, output)!;
}
