// The explicit list of numeric kernels, keyed by PyTorch's spelling (F.* / torch.* names).
// Every entry: forward(args, attrs) and backward(gradOutput, args, attrs), args keyed by PyTorch's
// argument names; `args` lists the tensor arguments, `grads` those that receive gradients.
// Adding an op means adding its file and one line here; nothing registers itself.

import { adaptiveAvgPool1d, adaptiveAvgPool1dBackward } from './adaptiveAvgPool1d';
import { adaptiveAvgPool2d, adaptiveAvgPool2dBackward } from './adaptiveAvgPool2d';
import { adaptiveMaxPool1d, adaptiveMaxPool1dBackward } from './adaptiveMaxPool1d';
import { adaptiveMaxPool2d, adaptiveMaxPool2dBackward } from './adaptiveMaxPool2d';
import { add, addBackward } from './add';
import { avgPool1d, avgPool1dBackward } from './avgPool1d';
import { avgPool2d, avgPool2dBackward } from './avgPool2d';
import { batchNorm, batchNormBackward } from './batchNorm';
import { bmm, bmmBackward } from './bmm';
import { cat, catBackward } from './cat';
import { celu, celuBackward } from './celu';
import { conv1d, conv1dBackward } from './conv1d';
import { conv2d, conv2dBackward } from './conv2d';
import { conv3d, conv3dBackward } from './conv3d';
import { convTranspose1d, convTranspose1dBackward } from './convTranspose1d';
import { convTranspose2d, convTranspose2dBackward } from './convTranspose2d';
import { crossEntropy, crossEntropyBackward } from './crossEntropy';
import { div, divBackward } from './div';
import { dropout, dropoutBackward } from './dropout';
import { elu, eluBackward } from './elu';
import { flatten, flattenBackward } from './flatten';
import { gelu, geluBackward } from './gelu';
import { groupNorm, groupNormBackward } from './groupNorm';
import { hardsigmoid, hardsigmoidBackward } from './hardsigmoid';
import { hardswish, hardswishBackward } from './hardswish';
import { layerNorm, layerNormBackward } from './layerNorm';
import { leakyRelu, leakyReluBackward } from './leakyRelu';
import { linear, linearBackward } from './linear';
import { localResponseNorm, localResponseNormBackward } from './localResponseNorm';
import { logSoftmax, logSoftmaxBackward } from './logSoftmax';
import { matmul, matmulBackward } from './matmul';
import { maxPool1d, maxPool1dBackward } from './maxPool1d';
import { maxPool2d, maxPool2dBackward } from './maxPool2d';
import { mean, meanBackward } from './mean';
import { mish, mishBackward } from './mish';
import { mul, mulBackward } from './mul';
import { permute, permuteBackward } from './permute';
import { prelu, preluBackward } from './prelu';
import { relu, reluBackward } from './relu';
import { relu6, relu6Backward } from './relu6';
import { reshape, reshapeBackward } from './reshape';
import { selu, seluBackward } from './selu';
import { sigmoid, sigmoidBackward } from './sigmoid';
import { silu, siluBackward } from './silu';
import { softmax, softmaxBackward } from './softmax';
import { softplus, softplusBackward } from './softplus';
import { split, splitBackward } from './split';
import { sub, subBackward } from './sub';
import { sum, sumBackward } from './sum';
import { tanh, tanhBackward } from './tanh';
import { transpose, transposeBackward } from './transpose';
import { upsampleBilinear, upsampleBilinearBackward } from './upsampleBilinear';
import { upsampleNearest, upsampleNearestBackward } from './upsampleNearest';
import { POINTWISE, pointwiseKernel } from './pointwise';
import { BINARY_CONST, BINARY_MATH, binaryKernel, constBinaryKernel } from './binaryMath';
import { REDUCTIONS } from './reduceOps';
import { clamp, clampBackward } from './clamp';
import { where, whereBackward } from './where';
import { maskedFill, maskedFillBackward } from './maskedFill';

/** The erased shape every entry satisfies; call sites that know the op get the precise types from `ops`. */
export interface OpKernel {
  forward(args: never, attrs: never): unknown;
  backward(gradOutput: never, args: never, attrs: never): unknown;
  /** Tensor arguments, by PyTorch name (a list argument such as cat's `tensors` counts as one). */
  args: readonly string[];
  /** The arguments backward returns gradients for (when present). */
  grads: readonly string[];
}

const X = ['input'] as const;
const XWB = ['input', 'weight', 'bias'] as const;
const XY = ['input', 'other'] as const;
const unary = <F, B>(forward: F, backward: B) => ({ forward, backward, args: X, grads: X });
const NONE = [] as const;
const table = <K extends string, V, E>(t: Record<K, V>, entry: (v: V) => E): Record<K, E> =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, entry(v as V)])) as Record<K, E>;

export const ops = {
  conv1d: { forward: conv1d, backward: conv1dBackward, args: XWB, grads: XWB },
  conv2d: { forward: conv2d, backward: conv2dBackward, args: XWB, grads: XWB },
  conv3d: { forward: conv3d, backward: conv3dBackward, args: XWB, grads: XWB },
  conv_transpose1d: { forward: convTranspose1d, backward: convTranspose1dBackward, args: XWB, grads: XWB },
  conv_transpose2d: { forward: convTranspose2d, backward: convTranspose2dBackward, args: XWB, grads: XWB },
  linear: { forward: linear, backward: linearBackward, args: XWB, grads: XWB },
  batch_norm: {
    forward: batchNorm, backward: batchNormBackward,
    args: ['input', 'running_mean', 'running_var', 'weight', 'bias'], grads: XWB,
  },
  layer_norm: { forward: layerNorm, backward: layerNormBackward, args: XWB, grads: XWB },
  group_norm: { forward: groupNorm, backward: groupNormBackward, args: XWB, grads: XWB },
  local_response_norm: unary(localResponseNorm, localResponseNormBackward),
  relu: unary(relu, reluBackward),
  relu6: unary(relu6, relu6Backward),
  leaky_relu: unary(leakyRelu, leakyReluBackward),
  elu: unary(elu, eluBackward),
  selu: unary(selu, seluBackward),
  celu: unary(celu, celuBackward),
  gelu: unary(gelu, geluBackward),
  silu: unary(silu, siluBackward),
  mish: unary(mish, mishBackward),
  hardswish: unary(hardswish, hardswishBackward),
  hardsigmoid: unary(hardsigmoid, hardsigmoidBackward),
  sigmoid: unary(sigmoid, sigmoidBackward),
  tanh: unary(tanh, tanhBackward),
  softplus: unary(softplus, softplusBackward),
  prelu: { forward: prelu, backward: preluBackward, args: ['input', 'weight'], grads: ['input', 'weight'] },
  max_pool1d: unary(maxPool1d, maxPool1dBackward),
  max_pool2d: unary(maxPool2d, maxPool2dBackward),
  avg_pool1d: unary(avgPool1d, avgPool1dBackward),
  avg_pool2d: unary(avgPool2d, avgPool2dBackward),
  adaptive_avg_pool1d: unary(adaptiveAvgPool1d, adaptiveAvgPool1dBackward),
  adaptive_avg_pool2d: unary(adaptiveAvgPool2d, adaptiveAvgPool2dBackward),
  adaptive_max_pool1d: unary(adaptiveMaxPool1d, adaptiveMaxPool1dBackward),
  adaptive_max_pool2d: unary(adaptiveMaxPool2d, adaptiveMaxPool2dBackward),
  softmax: unary(softmax, softmaxBackward),
  log_softmax: unary(logSoftmax, logSoftmaxBackward),
  cross_entropy: { forward: crossEntropy, backward: crossEntropyBackward, args: ['input', 'target'], grads: X },
  add: { forward: add, backward: addBackward, args: XY, grads: XY },
  sub: { forward: sub, backward: subBackward, args: XY, grads: XY },
  mul: { forward: mul, backward: mulBackward, args: XY, grads: XY },
  div: { forward: div, backward: divBackward, args: XY, grads: XY },
  matmul: { forward: matmul, backward: matmulBackward, args: XY, grads: XY },
  bmm: { forward: bmm, backward: bmmBackward, args: XY, grads: XY },
  sum: unary(sum, sumBackward),
  mean: unary(mean, meanBackward),
  dropout: unary(dropout, dropoutBackward),
  upsample_nearest: unary(upsampleNearest, upsampleNearestBackward),
  upsample_bilinear2d: unary(upsampleBilinear, upsampleBilinearBackward),
  reshape: unary(reshape, reshapeBackward),
  flatten: unary(flatten, flattenBackward),
  permute: unary(permute, permuteBackward),
  transpose: unary(transpose, transposeBackward),
  cat: { forward: cat, backward: catBackward, args: ['tensors'], grads: ['tensors'] },
  split: unary(split, splitBackward),
  clamp: unary(clamp, clampBackward),
  where: { forward: where, backward: whereBackward, args: ['condition', 'input', 'other'], grads: XY },
  masked_fill: { forward: maskedFill, backward: maskedFillBackward, args: ['input', 'mask'], grads: X },
  ...table(POINTWISE, (e) => ({ ...pointwiseKernel(e), args: X, grads: X })),
  ...table(BINARY_MATH, (e) => ({ ...binaryKernel(e), args: XY, grads: XY })),
  // gradient-free results (comparisons, integer division): constants of the graph
  ...table(BINARY_CONST, (f) => ({ ...constBinaryKernel(f), args: XY, grads: NONE })),
  ...table(REDUCTIONS, (k) => ({ ...k, args: X, grads: X })),
} satisfies Record<string, OpKernel>;

export type OpName = keyof typeof ops;

/** The kernel for `name`, or an Error naming the op (for autograd's "no gradient rule for X"). */
export function getOp(name: string): OpKernel {
  if (!Object.prototype.hasOwnProperty.call(ops, name)) throw new Error(`no numeric kernel for op '${name}'`);
  return ops[name as OpName];
}
