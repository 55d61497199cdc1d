// The trace → replay contract: one TraceOp per recorded tensor, keyed by op name. For every op the
// numeric engine replays, `attrs` has the kernel's own attribute type (engine/ops), written by the
// symbolic side in the kernel's spelling, so replay (engine/run/execute.ts) hands them over untranslated.
// Types only, plus `traced`, the checked constructor emitters use.
import type { Value } from '../interp/values';
import type { AdaptiveAvgPool1dAttrs } from '../ops/adaptiveAvgPool1d';
import type { AdaptivePool2dAttrs } from '../ops/adaptiveAvgPool2d';
import type { AvgPool1dAttrs } from '../ops/avgPool1d';
import type { AvgPool2dAttrs } from '../ops/avgPool2d';
import type { CatAttrs } from '../ops/cat';
import type { CeluAttrs } from '../ops/celu';
import type { ClampAttrs } from '../ops/clamp';
import type { Conv1dAttrs } from '../ops/conv1d';
import type { Conv2dAttrs } from '../ops/conv2d';
import type { ConvTranspose1dAttrs } from '../ops/convTranspose1d';
import type { ConvTranspose2dAttrs } from '../ops/convTranspose2d';
import type { DropoutAttrs } from '../ops/dropout';
import type { EluAttrs } from '../ops/elu';
import type { GeluAttrs } from '../ops/gelu';
import type { GroupNormAttrs } from '../ops/groupNorm';
import type { LayerNormAttrs } from '../ops/layerNorm';
import type { LeakyReluAttrs } from '../ops/leakyRelu';
import type { LocalResponseNormAttrs } from '../ops/localResponseNorm';
import type { MaskedFillAttrs } from '../ops/maskedFill';
import type { MaxPool1dAttrs } from '../ops/maxPool1d';
import type { MaxPool2dAttrs } from '../ops/maxPool2d';
import type { PermuteAttrs } from '../ops/permute';
import type { ReduceDimsAttrs } from '../ops/reduceOps';
import type { SoftmaxAttrs } from '../ops/softmax';
import type { SoftplusAttrs } from '../ops/softplus';
import type { ReduceAttrs } from '../ops/sum';
import type { TransposeAttrs } from '../ops/transpose';
import type { UpsampleBilinearAttrs } from '../ops/upsampleBilinear';
import type { UpsampleAttrs } from '../ops/upsampleNearest';

/** Attributes of the ops the numeric engine replays, by trace op name. */
export interface TraceAttrs {
  conv1d: Conv1dAttrs; conv2d: Conv2dAttrs; conv3d: Conv2dAttrs;
  conv_transpose1d: ConvTranspose1dAttrs; conv_transpose2d: ConvTranspose2dAttrs; conv_transpose3d: ConvTranspose2dAttrs;
  max_pool1d: MaxPool1dAttrs; max_pool2d: MaxPool2dAttrs; max_pool3d: MaxPool2dAttrs;
  avg_pool1d: AvgPool1dAttrs; avg_pool2d: AvgPool2dAttrs; avg_pool3d: AvgPool2dAttrs;
  adaptive_avg_pool1d: AdaptiveAvgPool1dAttrs; adaptive_avg_pool2d: AdaptivePool2dAttrs; adaptive_avg_pool3d: AdaptivePool2dAttrs;
  adaptive_max_pool1d: AdaptiveAvgPool1dAttrs; adaptive_max_pool2d: AdaptivePool2dAttrs; adaptive_max_pool3d: AdaptivePool2dAttrs;
  leaky_relu: LeakyReluAttrs; elu: EluAttrs; celu: CeluAttrs; gelu: GeluAttrs; softplus: SoftplusAttrs;
  softmax: SoftmaxAttrs; log_softmax: SoftmaxAttrs; softmin: SoftmaxAttrs; softmax2d: SoftmaxAttrs;
  local_response_norm: LocalResponseNormAttrs;
  layer_norm: LayerNormAttrs; group_norm: GroupNormAttrs;
  batch_norm: BatchNormTraceAttrs;
  /** p and whether the call is in training mode; replay adds its seed. */
  dropout: DropoutAttrs;
  upsample_nearest: UpsampleAttrs; upsample_bilinear2d: UpsampleBilinearAttrs;
  sum: ReduceAttrs; mean: ReduceAttrs;
  max: ReduceDimsAttrs; min: ReduceDimsAttrs; amax: ReduceDimsAttrs; amin: ReduceDimsAttrs;
  std: ReduceDimsAttrs; var: ReduceDimsAttrs; logsumexp: ReduceDimsAttrs;
  permute: PermuteAttrs; transpose: TransposeAttrs;
  cat: CatAttrs;
  /** One piece of torch.split: the kernel's attributes and which piece this tensor is. */
  split: { split_size_or_sections: number[]; dim: number; index: number };
  clamp: ClampAttrs;
  masked_fill: MaskedFillAttrs;
  pad: { pad: number[]; mode: string; value: number };
  index: { index: Value };
  multi_head_attention: { numHeads: number; batchFirst: boolean; averageWeights: boolean };
}

/** batch_norm's replay needs the module (to report its updated running statistics) beside the kernel's attributes. */
export interface BatchNormTraceAttrs {
  eps: number;
  momentum: number | null;
  /** Batch statistics (training, or no running statistics). */
  training: boolean;
  module?: unknown;
}

export type TracedOpName = keyof TraceAttrs;

/** A recorded op whose attributes replay reads, typed by its name. */
export type TypedTraceOp<K extends TracedOpName = TracedOpName> = K extends TracedOpName ? { op: K; inputs: Value[]; attrs: TraceAttrs[K] } : never;

/**
 * One recorded operation of the trace. Ops outside TraceAttrs (views, element-wise math, creation ops)
 * carry no attributes replay needs; what they carry is for the dataflow view only.
 */
export type TraceOp = TypedTraceOp | { op: string; inputs: Value[]; attrs?: Record<string, unknown> };

/** The checked way to record an op with attributes: its name fixes their type. */
export function traced<K extends TracedOpName>(op: K, inputs: Value[], attrs: TraceAttrs[K]): TypedTraceOp<K> {
  return { op, inputs, attrs } as TypedTraceOp<K>;
}

/** A Python number attribute (int, float or bool) as a JS number; `dflt` when absent or None. */
function numAttr(v: Value | undefined, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return +v;
  return (v as unknown as { v: number }).v;
}

/** The trace entry of an activation layer or F.* activation, its attributes read through `get`. */
export function activationTrace(op: string, inputs: Value[], get: (name: string) => Value | undefined): TraceOp {
  switch (op) {
    case 'leakyrelu': case 'leaky_relu': return traced('leaky_relu', inputs, { negative_slope: numAttr(get('negative_slope'), 0.01) });
    case 'elu': return traced('elu', inputs, { alpha: numAttr(get('alpha'), 1) });
    case 'celu': return traced('celu', inputs, { alpha: numAttr(get('alpha'), 1) });
    case 'gelu': return traced('gelu', inputs, { approximate: String(get('approximate') ?? 'none') as GeluAttrs['approximate'] });
    case 'softplus': return traced('softplus', inputs, { beta: numAttr(get('beta'), 1), threshold: numAttr(get('threshold'), 20) });
    default: return { op, inputs };
  }
}
