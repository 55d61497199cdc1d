// The second execution of a traced forward: every symbolic tensor the interpreter recorded is replayed
// with real numbers through the kernels of engine/ops, building the autograd graph as it goes.
// One trace, two executions: shapes came from the interpreter, values come from here.
import { PyFloat, PyList, PySlice, PyTuple, PyEllipsis, PyInstance, type Value } from '../interp/values';
import { TensorV } from '../torch/tensor';
import { getOp, ops, type OpName } from '../ops/registry';
import { batchNormBackward, batchNormBuffersAfter, batchNormForward } from '../ops/batchNorm';
import { reluBackward } from '../ops/relu';
import { broadcastTo, sameShape, sumToShape, type NdArray } from '../ops/tensor';
import { leaf, node, type GradContext, type GradNode } from '../autograd/graph';
import { conv2dAsync, conv2dBackwardAsync } from '../ops/pool/conv2dAsync';
import type { ComputePool } from '../ops/pool/pool';
import type { Conv2dAttrs } from '../ops/conv2d';
import { REPLAY } from './replay';
import { sliceRange } from '../util/numeric';
import type { TypedTraceOp } from '../torch/trace';

export type Mode = 'train' | 'eval';

export function jsNum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.v;
  throw new Error(`expected a number, got ${String(v)}`);
}

const nd = (shape: number[], data: Float32Array): NdArray => ({ shape, data });

/** A registry entry with its types erased (the trace's attrs are typed where they are written: torch/trace.ts). */
interface ErasedKernel {
  forward(args: object, attrs: object): NdArray;
  backward(g: NdArray, args: object, attrs: object): Record<string, NdArray | undefined>;
  args: readonly string[];
  grads: readonly string[];
}

export class ExecError extends Error {}

/** Replays traced tensors numerically. Parameters and buffers come from `state` (by TensorV). */
export class Executor {
  readonly nodes = new Map<TensorV, GradNode>();
  /** Buffers updated in train mode (running statistics), by the buffer's TensorV. */
  readonly buffersAfter = new Map<TensorV, NdArray>();
  /** Modules whose buffers a train-mode forward updated, with their buffer tensors. */
  readonly bnUpdates = new Map<PyInstance, { mean: TensorV; var: TensorV }>();

  /** The pooled convolutions' weight gradients, when nobody reads them: one array, reused layer after layer. */
  private weightGradScratch?: Float32Array;

  /**
   * `discardWeightGrads`: the caller keeps no parameter gradient (`layerlens run` reports the rows'), so the
   * pooled convolutions compute their weight gradients into one reused array and hand none to backward,
   * instead of a fresh array per layer for the garbage collector (44 MB per backward on ResNet-18).
   */
  constructor(readonly mode: Mode, readonly state: Map<TensorV, NdArray>, readonly seed = 0, readonly pool?: ComputePool, readonly discardWeightGrads = false) {}

  /** Like run(), with 2-d convolutions (forward and backward) split over the compute pool's threads. */
  async runAsync(roots: TensorV[]): Promise<void> {
    for (const t of this.order(roots)) {
      if (this.pool && !this.nodes.has(t) && t.src?.op === 'conv2d' && !this.state.has(t)) this.nodes.set(t, await this.conv2dPooled(t));
      else this.value(t);
    }
  }

  private async conv2dPooled(t: TensorV): Promise<GradNode> {
    const { inputs, attrs = {} } = t.src!;
    const [x, w, b] = inputs.slice(0, 3).map((v) => (v instanceof TensorV ? this.value(v) : null));
    const args = { input: x!.value, weight: w!.value, ...(b ? { bias: b.value } : {}) };
    const a = attrs as Conv2dAttrs;
    const pool = this.pool!;
    const out = await conv2dAsync(args, a, pool);
    // conv2dBackwardAsync decides per layer whether splitting pays (it runs conv2dBackward here when not)
    return node('conv2d', out, [x, w, b], async (g, ctx) => {
      const input = ctx.alloc(args.input.data.length);
      if (!this.discardWeightGrads) { const r = await conv2dBackwardAsync(g, args, a, pool, { input }); return [r.input, r.weight, r.bias]; }
      // NOTE: computed all the same (the backward does the work a training step does), then not handed on
      const r = await conv2dBackwardAsync(g, args, a, pool, { input, weight: this.scratch(args.weight.data.length) });
      return [r.input, undefined, r.bias];
    });
  }

  /** Shared memory on a shared pool: the workers then write their rows of it in place. */
  private scratch(n: number): Float32Array {
    if (!this.weightGradScratch || this.weightGradScratch.length < n) {
      const shared = this.pool?.shared && typeof SharedArrayBuffer === 'function';
      this.weightGradScratch = shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
    }
    return this.weightGradScratch.subarray(0, n);
  }

  /** Evaluates `roots` and everything they depend on, in the order the forward pass created them. */
  run(roots: TensorV[]): void {
    for (const t of this.order(roots)) this.value(t);
  }

  /** Every tensor `roots` depend on, in the order the forward pass created them. */
  private order(roots: TensorV[]): TensorV[] {
    const todo: TensorV[] = [];
    const seen = new Set<TensorV>();
    const stack = [...roots];
    while (stack.length) {
      const t = stack.pop()!;
      if (seen.has(t)) continue;
      seen.add(t);
      todo.push(t);
      for (const i of t.src?.inputs ?? []) for (const x of tensorsOf(i)) if (!seen.has(x)) stack.push(x);
    }
    todo.sort((a, b) => a.id - b.id);
    return todo;
  }

  value(t: TensorV): GradNode {
    const known = this.nodes.get(t);
    if (known) return known;
    let n: GradNode;
    const stored = this.state.get(t);
    const n0 = (t.shape as number[]).reduce((p, q) => p * q, 1);
    if (stored) {
      n = leaf(t.isParam ? 'param' : 'buffer', stored, true);
    } else if (t.src && t.data && t.data.length === n0) {
      // a constant the interpreter already knows (torch.tensor, arange, …)
      n = leaf('const', nd(t.shape as number[], Float32Array.from(t.data)), false);
    } else if (t.src && CREATION.has(t.src.op)) {
      const fill = t.src.op.startsWith('ones') ? 1 : 0;
      n = leaf('const', nd(t.shape as number[], new Float32Array(n0).fill(fill)), false);
    } else if (!t.src) {
      const v = this.state.get(t) ?? (t.data ? nd(t.shape as number[], Float32Array.from(t.data)) : undefined);
      if (!v) throw new ExecError(`no value for a tensor of shape [${t.shape.join(', ')}] (a parameter or buffer missing from the weights?)`);
      // every leaf takes part in backward: row gradients are wanted even when parameters are frozen
      n = leaf(t.isParam ? 'param' : 'input', v, true);
    } else {
      n = this.apply(t);
    }
    this.nodes.set(t, n);
    return n;
  }

  arg(v: Value): GradNode | null { return v instanceof TensorV ? this.value(v) : null; }

  /** The trace op's replay: its entry in REPLAY, else the registered kernel of the same name. */
  private apply(t: TensorV): GradNode {
    const src = t.src!;
    const entry = Object.prototype.hasOwnProperty.call(REPLAY, src.op) ? REPLAY[src.op] : undefined;
    if (entry) return entry(this, t, src as never);
    if (Object.prototype.hasOwnProperty.call(ops, src.op)) return this.kernel(src.op as OpName, src.inputs, src.attrs ?? {});
    throw new ExecError(`no numeric kernel for op '${src.op}' yet`);
  }

  /**
   * A registered kernel as a graph node: trace inputs map positionally onto the kernel's `args` (a Python
   * number becomes a 0-d constant), attributes pass through as the symbolic side wrote them.
   */
  kernel(name: OpName, inputs: readonly Value[], attrs: object, label: string = name): GradNode {
    const k = getOp(name) as unknown as ErasedKernel;
    const nodes = k.args.map((_, i) => this.operandNode(inputs[i]));
    const args: Record<string, NdArray> = {};
    k.args.forEach((a, i) => { const n = nodes[i]; if (n) args[a] = n.value; });
    const parents = k.args.map((a, i) => (k.grads.includes(a) && inputs[i] instanceof TensorV ? nodes[i] : null));
    const own = OWNED_BACKWARD[name];
    return node(label, k.forward(args, attrs), parents, (g, ctx) => {
      const r = (ctx.owned && own?.(g, args, attrs, ctx)) || k.backward(g, args, attrs);
      return k.args.map((a) => r[a]);
    });
  }

  /** A trace input as a node: tensors by value, Python numbers as 0-d constants, None as nothing. */
  private operandNode(v: Value | undefined): GradNode | null {
    if (v instanceof TensorV) return this.value(v);
    if (v === null || v === undefined) return null;
    return leaf('const', nd([], Float32Array.of(jsNum(v))), false);
  }

  readonly mhaWeights = new Map<TensorV, GradNode>();

  /** A kernel call as a graph node: args by PyTorch name, gradients mapped back to the same names. */
  kern(name: keyof typeof ops, args: Record<string, GradNode | null>, attrs: object = {}): GradNode {
    const k = ops[name] as unknown as { forward: (a: object, b: object) => NdArray; backward: (g: NdArray, a: object, b: object) => Record<string, NdArray | undefined> };
    const keys = Object.keys(args).filter((key) => args[key]);
    const vals: Record<string, NdArray> = {};
    for (const key of keys) vals[key] = args[key]!.value;
    return node(name, k.forward(vals, attrs), keys.map((key) => args[key]), (g) => { const r = k.backward(g, vals, attrs); return keys.map((key) => r[key]); });
  }

  private reshapeNode(x: GradNode, shape: number[]): GradNode {
    return node('reshape', nd(shape, x.value.data), [x], (g) => [nd(x.value.shape, g.data)]);
  }

  /** Rows [from, from + n) of dim 0 (slices of packed projection weights). */
  private rowsNode(x: GradNode, from: number, n: number): GradNode {
    const shape = x.value.shape;
    const inner = shape.slice(1).reduce((p, q) => p * q, 1);
    const data = x.value.data.slice(from * inner, (from + n) * inner);
    return node('narrow', nd([n, ...shape.slice(1)], data), [x], (g) => {
      const r = new Float32Array(x.value.data.length);
      r.set(g.data, from * inner);
      return [nd(shape, r)];
    });
  }

  /** nn.MultiheadAttention as F.multi_head_attention_forward computes it (no masks, no dropout in eval). */
  mha(t: TensorV): GradNode {
    const { inputs, attrs } = t.src as TypedTraceOp<'multi_head_attention'>;
    const [q0, k0, v0, inW, inB, qW, kW, vW, outW, outB] = inputs.map((v) => (v instanceof TensorV ? this.value(v) : null));
    const H = jsNum(attrs.numHeads), bf = attrs.batchFirst === true;
    const seqFirst = (x: GradNode): GradNode => (x.value.shape.length === 3 && bf ? this.kern('permute', { input: x }, { dims: [1, 0, 2] }) : x);
    const batched = q0!.value.shape.length === 3;
    const q = seqFirst(q0!), k = seqFirst(k0!), v = seqFirst(v0!);
    const E = q.value.shape[q.value.shape.length - 1];
    const L = q.value.shape[0], S = k.value.shape[0], N = batched ? q.value.shape[1] : 1;
    const hd = E / H;
    const w = (i: number, sep: GradNode | null): GradNode => (inW ? this.rowsNode(inW, i * E, E) : sep!);
    const b = (i: number): GradNode | null => (inB ? this.rowsNode(inB, i * E, E) : null);
    const qp = this.kern('linear', { input: q, weight: w(0, qW), bias: b(0) });
    const kp = this.kern('linear', { input: k, weight: w(1, kW), bias: b(1) });
    const vp = this.kern('linear', { input: v, weight: w(2, vW), bias: b(2) });
    const heads = (x: GradNode, len: number): GradNode => this.kern('transpose', { input: this.reshapeNode(x, [len, N * H, hd]) }, { dim0: 0, dim1: 1 });
    const qh = this.kern('div', { input: heads(qp, L), other: leaf('const', nd([], Float32Array.of(Math.sqrt(hd))), false) });
    const kh = heads(kp, S), vh = heads(vp, S);
    const scores = this.kern('bmm', { input: qh, other: this.kern('transpose', { input: kh }, { dim0: 1, dim1: 2 }) });
    const attn = this.kern('softmax', { input: scores }, { dim: -1 });
    const ctx = this.kern('bmm', { input: attn, other: vh });
    const merged = this.reshapeNode(this.kern('transpose', { input: ctx }, { dim0: 0, dim1: 1 }), [L * N, E]);
    let out = this.reshapeNode(this.kern('linear', { input: merged, weight: outW!, bias: outB }), batched ? [L, N, E] : [L, E]);
    if (batched && bf) out = this.kern('permute', { input: out }, { dims: [1, 0, 2] });
    const perHead = this.reshapeNode(attn, batched ? [N, H, L, S] : [H, L, S]);
    this.mhaWeights.set(t, attrs.averageWeights === false ? perHead : this.kern('mean', { input: perHead }, { dim: batched ? 1 : 0 }));
    return out;
  }

  pad(x: GradNode, p: number[], mode: string, value: number): GradNode {
    if (mode !== 'constant') throw new ExecError(`F.pad mode '${mode}' is not replayed numerically yet`);
    const inS = x.value.shape;
    const outS = [...inS];
    const before = inS.map(() => 0);
    for (let i = 0; i < p.length / 2; i++) { const d = inS.length - 1 - i; before[d] = p[2 * i]; outS[d] = inS[d] + p[2 * i] + p[2 * i + 1]; }
    const total = outS.reduce((a, c) => a * c, 1);
    const out = new Float32Array(total).fill(value);
    const map = new Int32Array(x.value.data.length).fill(-1);
    const inStr = inS.map((_, i) => inS.slice(i + 1).reduce((a, c) => a * c, 1));
    const outStr = outS.map((_, i) => outS.slice(i + 1).reduce((a, c) => a * c, 1));
    for (let f = 0; f < x.value.data.length; f++) {
      let o = 0, ok = true;
      for (let d = 0; d < inS.length; d++) {
        const c = Math.floor(f / inStr[d]) % inS[d] + before[d];
        if (c < 0 || c >= outS[d]) { ok = false; break; }
        o += c * outStr[d];
      }
      if (ok) { out[o] = x.value.data[f]; map[f] = o; }
    }
    return node('pad', nd(outS, out), [x], (g) => {
      const r = new Float32Array(x.value.data.length);
      for (let f = 0; f < r.length; f++) if (map[f] >= 0) r[f] = g.data[map[f]];
      return [nd(inS, r)];
    });
  }

  batchNorm(t: TensorV, x: GradNode): GradNode {
    const { inputs, attrs } = t.src as TypedTraceOp<'batch_norm'>;
    const [w, b, rm, rv] = [inputs[1], inputs[2], inputs[3], inputs[4]].map((v) => (v instanceof TensorV ? this.value(v) : null));
    const module = attrs.module as PyInstance | undefined;
    const training = this.mode === 'train' || attrs.training === true;
    const bufMean = inputs[3] instanceof TensorV ? inputs[3] : undefined;
    const bufVar = inputs[4] instanceof TensorV ? inputs[4] : undefined;
    const curMean = bufMean ? this.buffersAfter.get(bufMean) ?? rm!.value : undefined;
    const curVar = bufVar ? this.buffersAfter.get(bufVar) ?? rv!.value : undefined;
    const args = {
      input: x.value, ...(w ? { weight: w.value } : {}), ...(b ? { bias: b.value } : {}),
      ...(curMean ? { running_mean: curMean } : {}), ...(curVar ? { running_var: curVar } : {}),
    };
    const a = { training, momentum: attrs.momentum === null ? null : jsNum(attrs.momentum ?? 0.1), eps: jsNum(attrs.eps ?? 1e-5) };
    // the statistics the forward computed serve the buffer update and the backward (no second pass over x)
    const { output: out, saved } = batchNormForward(args as never, a);
    if (training && bufMean && bufVar && curMean && curVar) {
      const after = batchNormBuffersAfter(args as never, a, saved);
      this.buffersAfter.set(bufMean, after.running_mean!);
      this.buffersAfter.set(bufVar, after.running_var!);
      if (module) this.bnUpdates.set(module, { mean: bufMean, var: bufVar });
    }
    return node('batch_norm', out, [x, w, b], (g, ctx) => {
      const r = batchNormBackward(g, args as never, a, saved, ctx.owned ? g.data : ctx.alloc(g.data.length));
      return [r.input, r.weight, r.bias];
    });
  }

  /** Basic indexing: ints, slices, None and Ellipsis (advanced indexing is not replayed). */
  index(t: TensorV, x: GradNode, index: Value): GradNode {
    const src = x.value;
    const items = index instanceof PyTuple ? index.items : [index];
    const inShape = src.shape;
    const sel: number[][] = [];
    let dim = 0;
    const consumed = items.filter((v) => v !== null && !(v instanceof PyEllipsis)).length;
    for (const it of items) {
      if (it instanceof PyEllipsis) { for (let j = 0; j < inShape.length - consumed; j++) { sel.push(range(inShape[dim])); dim++; } continue; }
      if (it === null) continue;
      const n = inShape[dim];
      if (typeof it === 'number' || typeof it === 'boolean') { const i = jsNum(it); sel.push([i < 0 ? i + n : i]); dim++; continue; }
      if (it instanceof PySlice) { sel.push(sliceIdx(it, n)); dim++; continue; }
      if (it instanceof PyList) { sel.push(it.items.map((v) => { const i = jsNum(v); return i < 0 ? i + n : i; })); dim++; continue; }
      throw new ExecError('tensor indexing with tensors is not replayed numerically yet');
    }
    while (dim < inShape.length) { sel.push(range(inShape[dim])); dim++; }
    const strides = inShape.map((_, i) => inShape.slice(i + 1).reduce((p, q) => p * q, 1));
    const count = sel.reduce((p, s) => p * s.length, 1);
    const offsets = new Int32Array(count);
    let k = 0;
    const walk = (d: number, base: number): void => {
      if (d === sel.length) { offsets[k++] = base; return; }
      for (const i of sel[d]) walk(d + 1, base + i * strides[d]);
    };
    walk(0, 0);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = src.data[offsets[i]];
    return node('index', nd(t.shape as number[], out), [x], (g) => {
      const r = new Float32Array(src.data.length);
      for (let i = 0; i < count; i++) r[offsets[i]] += g.data[i];
      return [nd(src.shape, r)];
    });
  }
}

/** Gradient rules that write over the incoming gradient when backward owns it (elementwise: no fresh array per layer). */
const OWNED_BACKWARD: Partial<Record<OpName, (g: NdArray, args: Record<string, NdArray>, attrs: object, ctx: GradContext) => Record<string, NdArray | undefined> | undefined>> = {
  relu: (g, args) => reluBackward(g, { input: args.input }, {}, g.data),
  // the residual add without broadcasting: dy itself for one operand and a copy for the other (the
  // kernel's backward copies it for both); undefined: the kernel's own rule runs
  add: (g, args, attrs, ctx) => ((attrs as { alpha?: number }).alpha ?? 1) === 1 && sameShape(args.input.shape, g.shape) && sameShape(args.other.shape, g.shape)
    ? { input: g, other: { shape: [...g.shape], data: copyInto(ctx.alloc(g.data.length), g.data) } } : undefined,
};

function copyInto(dst: Float32Array, src: Float32Array): Float32Array { dst.set(src); return dst; }

/** Creation ops whose values do not depend on other tensors (random ones replay as zeros: no data flows from them into stats that PyTorch could reproduce anyway). */
const CREATION = new Set(['zeros', 'ones', 'empty', 'zeros_like', 'ones_like', 'empty_like', 'full', 'full_like', 'randn', 'rand', 'randn_like', 'rand_like', 'eye']);

function range(n: number): number[] { return Array.from({ length: n }, (_, i) => i); }

function sliceIdx(s: PySlice, n: number): number[] {
  const num = (v: Value): number | null => (v === null ? null : jsNum(v));
  return sliceRange(num(s.lo), num(s.hi), num(s.step), n);
}

export function tensorsOf(v: Value | unknown): TensorV[] {
  if (v instanceof TensorV) return [v];
  if (v instanceof PyTuple || v instanceof PyList) return v.items.flatMap(tensorsOf);
  return [];
}
