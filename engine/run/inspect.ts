// What the Inspector's article views need from a run, beside the rows' outputs and gradients: each row's own
// op with the values of its arguments (conv input, weight, bias; BatchNorm's input, γ, β and running buffers
// before and after; an activation's input), BatchNorm's batch statistics, "what if" rewrites of the trace
// (every activation replaced, BatchNorm removed), the loss seed, and activation curves f, f′ through the same
// kernels the run uses. Reads the executor's values; never changes how a normal run computes.
import { PyFloat, type Value } from '../interp/values';
import { TensorV } from '../torch/tensor';
import { ops } from '../ops/registry';
import { batchNormBatchStats } from '../ops/batchNorm';
import type { NdArray } from '../ops/tensor';
import { tensorsOf, type Executor } from './execute';
import type { RowCapture } from '../api';

/** Activations a what-if run can put in place of every activation of the model. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'elu' | 'gelu';
export const WHAT_IF_ACTIVATIONS: readonly ActivationName[] = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'gelu'];

export interface RunVariant {
  /** Every activation op of the trace replaced by this one (PyTorch's default arguments). */
  activation?: ActivationName;
  /** Every batch_norm op of the trace replaced by the identity. */
  removeBatchNorm?: boolean;
}

/** loss = sum(output) (the default), or F.cross_entropy(output, [target] * N) with mean reduction. */
export type LossSpec = { kind: 'sum' } | { kind: 'crossEntropy'; target: number };

/** Ops the executor replays as activations (the unary kernels of engine/ops), with their attributes' defaults. */
export const ACTIVATION_OPS: Record<string, (a: Record<string, unknown>) => Record<string, number | string>> = {
  relu: () => ({}), relu6: () => ({}), sigmoid: () => ({}), tanh: () => ({}), silu: () => ({}), mish: () => ({}),
  hardswish: () => ({}), hardsigmoid: () => ({}), selu: () => ({}),
  leaky_relu: (a) => ({ negative_slope: num(a.negative_slope, 0.01) }),
  elu: (a) => ({ alpha: num(a.alpha, 1) }),
  celu: (a) => ({ alpha: num(a.alpha, 1) }),
  gelu: (a) => ({ approximate: String(a.approximate ?? 'none') }),
  softplus: (a) => ({ beta: num(a.beta, 1), threshold: num(a.threshold, 20) }),
};
const kernelName = (op: string): string => (op === 'leakyrelu' ? 'leaky_relu' : op);

function num(v: unknown, d: number): number {
  if (v === undefined || v === null) return d;
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return d;
}


/** Rewrites the trace reachable from `roots` in place (the trace is this run's own: a fresh analysis made it). */
export function applyVariant(roots: TensorV[], v: RunVariant): void {
  const seen = new Set<TensorV>();
  const stack = [...roots];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const src = t.src;
    if (!src) continue;
    const op = kernelName(src.op);
    if (v.activation && ACTIVATION_OPS[op] && src.inputs[0] instanceof TensorV) t.src = { op: v.activation, inputs: [src.inputs[0]], attrs: {} };
    else if (v.removeBatchNorm && op === 'batch_norm' && src.inputs[0] instanceof TensorV) t.src = { op: 'clone', inputs: [src.inputs[0]], attrs: {} };
    for (const i of t.src!.inputs) for (const x of tensorsOf(i)) if (!seen.has(x)) stack.push(x);
  }
}

export type { RowCapture } from '../api';

const CAPTURED = /^(conv[123]d|batch_norm)$/;

/** The capture of the op that produced a row's output, for convolutions, BatchNorm and activations; undefined otherwise. */
export function captureRow(exec: Executor, out: TensorV): RowCapture | undefined {
  const src = out.src;
  if (!src) return undefined;
  const op = kernelName(src.op);
  if (!CAPTURED.test(op) && !ACTIVATION_OPS[op]) return undefined;
  const n = CAPTURED.test(op) ? (op === 'batch_norm' ? 5 : 3) : 1;
  const args = src.inputs.slice(0, n).map((v) => (v instanceof TensorV && exec.nodes.has(v) ? exec.nodes.get(v)!.value : v instanceof TensorV ? exec.value(v).value : null));
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((src.attrs ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null || Array.isArray(v)) attrs[k] = v;
    else if (v instanceof PyFloat) attrs[k] = v.v;
  }
  if (ACTIVATION_OPS[op]) Object.assign(attrs, ACTIVATION_OPS[op]((src.attrs ?? {}) as Record<string, unknown>));
  const cap: RowCapture = { op, attrs, args };
  if (op === 'batch_norm' && args[0]) {
    cap.batchStats = batchNormBatchStats(args[0]);
    const [rm, rv] = [src.inputs[3], src.inputs[4]];
    const am = rm instanceof TensorV ? exec.buffersAfter.get(rm) : undefined, av = rv instanceof TensorV ? exec.buffersAfter.get(rv) : undefined;
    if (am && av) cap.buffersAfter = { mean: am, var: av };
  }
  return cap;
}

/** The seed of backward for `loss` at the model's output (and the loss's value). */
export function lossSeed(output: NdArray, loss: LossSpec | undefined): { seed: NdArray; value: number } {
  if (!loss || loss.kind === 'sum') {
    let s = 0;
    for (let i = 0; i < output.data.length; i++) s += output.data[i];
    return { seed: { shape: output.shape, data: new Float32Array(output.data.length).fill(1) }, value: s };
  }
  const rank = output.shape.length;
  if (rank !== 1 && rank !== 2) throw new Error(`cross-entropy needs logits [N, classes] or [classes]; the model returns [${output.shape.join(', ')}]`);
  const classes = output.shape[rank - 1];
  if (!Number.isInteger(loss.target) || loss.target < 0 || loss.target >= classes) throw new Error(`class ${loss.target} is not one of the model's ${classes} classes (0 … ${classes - 1})`);
  const N = rank === 2 ? output.shape[0] : 1;
  const target: NdArray = { shape: rank === 2 ? [N] : [], data: new Float32Array(N).fill(loss.target) };
  const args = { input: output, target };
  const value = ops.cross_entropy.forward(args, {}).data[0];
  const seed = ops.cross_entropy.backward({ shape: [], data: Float32Array.of(1) }, args, {}).input;
  return { seed, value };
}

function activationKernel(op: string, attrs: Record<string, unknown>) {
  const name = kernelName(op);
  const defaults = ACTIVATION_OPS[name];
  if (!defaults) throw new Error(`'${op}' is not an activation the engine replays`);
  const k = ops[name as 'relu'] as unknown as { forward(a: object, b: object): NdArray; backward(g: NdArray, a: object, b: object): { input: NdArray } };
  const a = { ...defaults(attrs), ...Object.fromEntries(Object.entries(attrs).filter(([, v]) => typeof v === 'number' || typeof v === 'string')) };
  return { k, a };
}

/** f(x) and f′(x) of an activation op at `xs`, through the run's own kernels (forward, and backward with dy = 1). */
export function activationCurve(op: string, attrs: Record<string, unknown>, xs: Float32Array): { f: Float32Array; df: Float32Array } {
  const { k, a } = activationKernel(op, attrs);
  const input: NdArray = { shape: [xs.length], data: xs };
  return { f: k.forward({ input }, a).data, df: activationGrad(op, attrs, xs) };
}

/** f′(x) alone (the kernel's backward with dy = 1): for every input of a call, where the forward is not needed. */
export function activationGrad(op: string, attrs: Record<string, unknown>, xs: Float32Array): Float32Array {
  const { k, a } = activationKernel(op, attrs);
  return k.backward({ shape: [xs.length], data: new Float32Array(xs.length).fill(1) }, { input: { shape: [xs.length], data: xs } }, a).input.data;
}
