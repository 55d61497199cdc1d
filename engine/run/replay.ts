// How each trace op that is not simply "the registered kernel of the same name" replays: operator
// spellings (`+` is add), composites (softmin, mm), ops with replay-time state (dropout's seed,
// batch_norm's running statistics, attention), views and list arguments. A table, not a translation:
// attributes arrive in the kernels' own types (engine/torch/trace.ts) and pass straight through.
import { PyFloat, type Value } from '../interp/values';
import { TensorV } from '../torch/tensor';
import type { TraceAttrs, TypedTraceOp } from '../torch/trace';
import { ops } from '../ops/registry';
import { broadcastTo, sumToShape, type NdArray } from '../ops/tensor';
import { node, type GradNode } from '../autograd/graph';
import { ExecError, jsNum, type Executor } from './execute';

type TraceSrc = { op: string; inputs: Value[]; attrs?: object };
export type Replay<S = TraceSrc> = (ex: Executor, t: TensorV, src: S) => GradNode;
type Typed<K extends keyof TraceAttrs> = Replay<TypedTraceOp<K>>;

const nd = (shape: number[], data: Float32Array): NdArray => ({ shape, data });
const first = (ex: Executor, src: TraceSrc): GradNode => ex.value(src.inputs[0] as TensorV);

/** A binary operator spelled as Python writes it, replayed by its kernel; the result must have the traced shape. */
function operator(kernel: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'floor_divide' | 'remainder' | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne'): Replay {
  return (ex, t, src) => {
    const out = ex.kernel(kernel, src.inputs, {}, kernel);
    if (out.value.shape.join() !== t.shape.join()) throw new ExecError(`${src.op}: replay produced [${out.value.shape}] where the trace had [${t.shape}]`);
    return out;
  };
}

/** A view: the same data under the traced shape; the gradient is reshaped back. */
const view: Replay = (ex, t, src) => {
  const x = first(ex, src);
  return node(src.op, nd(t.shape as number[], x.value.data), [x], (g) => [nd(x.value.shape, g.data)]);
};

const conv3d: Typed<'conv3d'> = (ex, _t, src) => {
  const p = src.attrs.padding;
  if (Array.isArray(p) && Array.isArray(p[0])) throw new ExecError("conv3d with padding='same' and an even kernel is not replayed yet");
  return ex.kernel('conv3d', src.inputs, src.attrs);
};

const dropout: Typed<'dropout'> = (ex, t, src) => ex.kernel('dropout', src.inputs, {
  p: src.attrs.p ?? 0.5, training: ex.mode === 'train' && src.attrs.training !== false, seed: ex.seed + t.id,
}, 'dropout');

/** max/min: a reduction with one tensor, the element-wise maximum/minimum with two. */
function extreme(op: 'max' | 'min'): Replay {
  return (ex, t, src) => {
    const second = src.inputs[1];
    if (src.inputs.length === 1 || !(second instanceof TensorV || typeof second === 'number' || second instanceof PyFloat)) return ex.kernel(op, src.inputs, src.attrs ?? { dim: null });
    return operator(op === 'max' ? 'maximum' : 'minimum')(ex, t, src);
  };
}

const embedding: Replay = (ex, t, src) => {
  const x = first(ex, src), w = ex.value(src.inputs[1] as TensorV);
  const ids = x.value.data, D = w.value.shape[1];
  const out = new Float32Array(ids.length * D);
  for (let i = 0; i < ids.length; i++) out.set(w.value.data.subarray(ids[i] * D, ids[i] * D + D), i * D);
  return node('embedding', nd(t.shape as number[], out), [null, w], (g) => {
    const gw = new Float32Array(w.value.data.length);
    for (let i = 0; i < ids.length; i++) for (let j = 0; j < D; j++) gw[ids[i] * D + j] += g.data[i * D + j];
    return [null, nd(w.value.shape, gw)];
  });
};

const cat: Typed<'cat'> = (ex, _t, src) => {
  const parts = src.inputs.map((v) => ex.arg(v)!);
  const args = { tensors: parts.map((p) => p.value) };
  return node('cat', ops.cat.forward(args, src.attrs), parts, (g) => ops.cat.backward(g, args, src.attrs).tensors);
};

const split: Typed<'split'> = (ex, _t, src) => {
  const x = first(ex, src);
  const { index, ...a } = src.attrs;
  const pieces = ops.split.forward({ input: x.value }, a);
  return node('split', pieces[index], [x], (g) => {
    const grads = pieces.map((_p, i) => (i === index ? g : null));
    return [ops.split.backward(grads as never, { input: x.value }, a).input];
  });
};

const expand: Replay = (ex, t, src) => {
  const x = first(ex, src);
  return node('expand', broadcastTo(x.value, t.shape as number[]), [x], (g) => [sumToShape(g, x.value.shape)]);
};

const prelu: Replay = (ex, _t, src) => {
  if (!(src.inputs[1] instanceof TensorV)) throw new ExecError('prelu: weight missing from the trace');
  return ex.kernel('prelu', src.inputs, {});
};

const softmin: Typed<'softmin'> = (ex, _t, src) => {
  const neg = ex.kernel('neg', src.inputs, {}, 'neg');
  return ex.kern('softmax', { input: neg }, src.attrs);
};

const attnWeights: Replay = (ex, _t, src) => {
  const w = ex.mhaWeights.get(src.inputs[0] as TensorV);
  if (!w) throw new ExecError('attention weights were not computed');
  return w;
};

/** Ops whose attributes TraceAttrs types: each entry receives them as the symbolic side wrote them. */
const TYPED: { [K in keyof TraceAttrs]?: Typed<K> } = {
  conv3d, dropout, cat, split, softmin,
  softmax2d: (ex, _t, src) => ex.kernel('softmax', src.inputs, src.attrs, 'softmax2d'),
  batch_norm: (ex, t, src) => ex.batchNorm(t, first(ex, src)),
  index: (ex, t, src) => ex.index(t, first(ex, src), src.attrs.index),
  pad: (ex, _t, src) => ex.pad(first(ex, src), src.attrs.pad, src.attrs.mode ?? 'constant', src.attrs.value ?? 0),
  multi_head_attention: (ex, t) => ex.mha(t),
};

/** Operator spellings, views and ops without attributes. */
const UNTYPED: Record<string, Replay> = {
  '+': operator('add'), '-': operator('sub'), '*': operator('mul'), '/': operator('div'), '**': operator('pow'),
  '//': operator('floor_divide'), '%': operator('remainder'),
  'cmp<': operator('lt'), 'cmp<=': operator('le'), 'cmp>': operator('gt'), 'cmp>=': operator('ge'), 'cmp==': operator('eq'), 'cmp!=': operator('ne'),
  max: extreme('max'), min: extreme('min'),
  embedding, expand, prelu,
  mm: (ex, _t, src) => ex.kernel('matmul', src.inputs, {}, 'mm'),
  attn_weights: attnWeights,
  ...Object.fromEntries(['flatten', 'reshape', 'view', 'squeeze', 'unsqueeze', 'contiguous', 'clone', 'detach', 'to'].map((op) => [op, view])),
};

/** Every trace op with a replay of its own; the others replay as the registered kernel of their name. */
export const REPLAY: Record<string, Replay<never>> = { ...UNTYPED, ...TYPED } as Record<string, Replay<never>>;

