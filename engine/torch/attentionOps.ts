// Attention as PyTorch computes it, shared by nn.MultiheadAttention, F.multi_head_attention_forward
// (torch 1.13's Python: packed or separate in-projection, bias_k/v, add_zero_attn, the two batched
// products, the out-projection) and F.scaled_dot_product_attention (MACs = the two matmuls, as the
// manual softmax(q·kᵀ)·v path counts them). Shapes and costs only: values are the numeric engine's.
import { PyException, PyFloat, PyTuple, type CallCtx, type Value } from '../interp/values';
import type { TorchRuntime } from './runtime';
import { TensorV, broadcastShapes, shapeStr, transposeShape, type DType } from './tensor';
import { derive, elementwise, located, matmul } from './tensorOps';
import { fail, linear, softmax } from './functional';
import type { Dim, Shape } from '../api';
import { traced } from './trace';

export interface MhaArgs {
  query: TensorV; key: TensorV; value: TensorV;
  embedDimToCheck: number; numHeads: number;
  inProjWeight: Value; inProjBias: Value;
  biasK: Value; biasV: Value; addZeroAttn: boolean;
  outProjWeight: TensorV; outProjBias: Value;
  needWeights: boolean; averageWeights: boolean;
  useSeparateProjWeight: boolean; qProjWeight: Value; kProjWeight: Value; vProjWeight: Value;
  attnMask: Value; keyPaddingMask: Value;
  /** Dropout on the attention weights when training (shapes and costs do not change). */
  dropoutP: number; training: boolean;
  /** The module's batch_first (the functional form is always sequence-first): query/key/value are then the transposed inputs. */
  batchFirst?: boolean;
  /** The module's own inputs, as the trace records them (default: query, key, value). */
  traced?: [TensorV, TensorV, TensorV];
}

const t3 = (v: Value): TensorV | null => (v instanceof TensorV ? v : null);
const mul = (...xs: Dim[]): Dim => xs.reduce<Dim>((p, q) => (p === null || q === null ? null : p * q), 1);

/** F.multi_head_attention_forward: (attn_output, attn_weights or None), costs reported to the runtime. */
export function multiHeadAttentionForward(rt: TorchRuntime, a: MhaArgs, ctx: CallCtx): PyTuple {
  const { query: q, key: k, value: v } = a;
  const batched = q.shape.length === 3;
  if (q.shape.length !== 3 && q.shape.length !== 2) fail(ctx, `query should be unbatched 2D or batched 3D tensor but received ${q.shape.length}-D query tensor`);
  if (k.shape.length !== q.shape.length || v.shape.length !== q.shape.length) {
    fail(ctx, `For ${batched ? 'batched (3-D)' : 'unbatched (2-D)'} \`query\`, expected \`key\` and \`value\` to be ${batched ? '3-D' : '2-D'} but found ${k.shape.length}-D and ${v.shape.length}-D tensors respectively`);
  }
  const [L, N, E] = batched ? q.shape : [q.shape[0], 1, q.shape[1]];
  const S0 = k.shape[0];
  const H = a.numHeads;
  if (E !== null && E !== a.embedDimToCheck) fail(ctx, `was expecting embedding dimension of ${a.embedDimToCheck}, but got ${E}`, 'features');
  const e = a.embedDimToCheck;
  if (e % H !== 0) fail(ctx, `embed_dim ${e} not divisible by num_heads ${H}`);
  const hd = e / H;
  const seq = (x: TensorV): TensorV => (batched ? x : derive(rt, x, [x.shape[0], 1, x.shape[1]], 'unsqueeze'));
  const [qs, ks, vs] = [seq(q), seq(k), seq(v)];
  const [qp, kp, vp] = inProjection(rt, a, qs, ks, vs, e, ctx);
  let S: Dim = S0;
  if (t3(a.biasK) && t3(a.biasV)) S = S === null ? null : S + 1;
  if (a.addZeroAttn) S = S === null ? null : S + 1;
  void qp; void kp; void vp;
  const bh = mul(N, H);
  // q / sqrt(head_dim), then bmm(q, kᵀ) (baddbmm with a float mask), softmax, bmm(attn, v)
  const qh = elementwise(rt, '/', [rt.tensor([bh, L, hd], q.dtype), new PyFloat(Math.sqrt(hd))], ctx);
  const scores = matmul(rt, qh, rt.tensor([bh, hd, S], q.dtype), ctx, 'bmm');
  const attn = softmax(rt, scores, -1, 'softmax');
  const ctxOut = matmul(rt, attn, rt.tensor([bh, S, hd], q.dtype), ctx, 'bmm');
  void ctxOut;
  const outW = a.outProjWeight;
  const flat = linear(rt, rt.tensor([mul(L, N), e], q.dtype), outW, a.outProjBias, ctx);
  const eOut = flat.shape[1];
  const seqOut: Shape = batched ? [L, N, eOut] : [L, eOut];
  const shape: Shape = batched && a.batchFirst ? [N, L, eOut] : seqOut;
  // NOTE: the numeric replay knows the plain case only; masks, bias_k/v, zero attention and dropout get their own op name, so it says so
  const plain = a.attnMask === null && a.keyPaddingMask === null && !t3(a.biasK) && !a.addZeroAttn && !(a.training && a.dropoutP > 0);
  const inputs = [...(a.traced ?? [q, k, v]), a.inProjWeight, a.inProjBias, a.qProjWeight, a.kProjWeight, a.vProjWeight, outW, a.outProjBias];
  const attrs = { numHeads: H, batchFirst: a.batchFirst === true, averageWeights: a.averageWeights };
  const out = rt.tensor(shape, q.dtype, plain ? traced('multi_head_attention', inputs, attrs) : { op: 'multi_head_attention_masked', inputs, attrs });
  let weights: Value = null;
  if (a.needWeights) {
    const w: Shape = a.averageWeights ? [N, L, S] : [N, H, L, S];
    weights = rt.tensor(batched ? w : w.slice(1), q.dtype, { op: 'attn_weights', inputs: [out] });
  }
  return new PyTuple([out, weights]);
}

/** _in_projection_packed / _in_projection: one, two or three linears, as the identities of q, k, v decide. */
function inProjection(rt: TorchRuntime, a: MhaArgs, q: TensorV, k: TensorV, v: TensorV, e: number, ctx: CallCtx): TensorV[] {
  const bias = t3(a.inProjBias);
  const part = (rows: number, from: number): TensorV | null => (bias ? rt.tensor([rows], bias.dtype, { op: 'narrow', inputs: [bias], attrs: { start: from, length: rows } }) : null);
  const lin = (x: TensorV, w: TensorV, b: TensorV | null): TensorV => linear(rt, x, w, b, ctx);
  if (a.useSeparateProjWeight) {
    const ws = [a.qProjWeight, a.kProjWeight, a.vProjWeight].map((w, i) => {
      if (!(w instanceof TensorV)) throw new PyException('AssertionError', `use_separate_proj_weight is True but ${'qkv'[i]}_proj_weight is None`, null, ctx.file, ctx.s, ctx.e);
      return w;
    });
    if (k.shape[0] !== v.shape[0] || k.shape[1] !== v.shape[1]) throw new PyException('AssertionError', `key's sequence and batch dims ${shapeStr(k.shape.slice(0, 2))} do not match value's ${shapeStr(v.shape.slice(0, 2))}`, null, ctx.file, ctx.s, ctx.e);
    return [lin(q, ws[0], part(e, 0)), lin(k, ws[1], part(e, e)), lin(v, ws[2], part(e, 2 * e))];
  }
  const w = t3(a.inProjWeight);
  if (!w) throw new PyException('AssertionError', 'use_separate_proj_weight is False but in_proj_weight is None', null, ctx.file, ctx.s, ctx.e);
  if (k.shape.some((d, i) => d !== null && v.shape[i] !== null && d !== v.shape[i])) throw new PyException('AssertionError', `key shape ${shapeStr(k.shape)} does not match value shape ${shapeStr(v.shape)}`, null, ctx.file, ctx.s, ctx.e);
  const rows = (n: number, from: number): TensorV => rt.tensor([n, w.shape[1]], w.dtype, { op: 'narrow', inputs: [w], attrs: { start: from, length: n } });
  if (a.key === a.value) {
    if (a.query === a.key) {
      const all = lin(q, w, bias);
      const one = rt.tensor([...all.shape.slice(0, -1), e], all.dtype, { op: 'chunk', inputs: [all] });
      return [one, one, one];
    }
    const kv = lin(k, rows(2 * e, e), part(2 * e, e));
    const half = rt.tensor([...kv.shape.slice(0, -1), e], kv.dtype, { op: 'chunk', inputs: [kv] });
    return [lin(q, rows(e, 0), part(e, 0)), half, half];
  }
  return [lin(q, rows(e, 0), part(e, 0)), lin(k, rows(e, e), part(e, e)), lin(v, rows(e, 2 * e), part(e, 2 * e))];
}

export interface SdpaArgs {
  query: TensorV; key: TensorV; value: TensorV;
  attnMask: Value; dropoutP: number; isCausal: boolean; scale: Value; enableGqa: boolean;
}

/** F.scaled_dot_product_attention: softmax(q·kᵀ·scale + mask)·v with its two matmuls' MACs. */
export function scaledDotProductAttention(rt: TorchRuntime, a: SdpaArgs, ctx: CallCtx): TensorV {
  let { key: k, value: v } = a;
  const q = a.query;
  if (q.shape.length < 2 || k.shape.length < 2 || v.shape.length < 2) fail(ctx, 'scaled_dot_product_attention: query, key and value must be at least 2-D');
  if (a.isCausal && a.attnMask instanceof TensorV) fail(ctx, '_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  if (a.enableGqa && q.shape.length >= 3 && k.shape.length >= 3) [k, v] = [repeatHeads(rt, q, k, ctx), repeatHeads(rt, q, v, ctx)];
  const E = q.shape[q.shape.length - 1], Ek = k.shape[k.shape.length - 1];
  if (E !== null && Ek !== null && E !== Ek) fail(ctx, `Expected query and key to have the same last dimension (embedding size), but got ${E} and ${Ek}`, 'features');
  const nd = k.shape.length;
  const kt = derive(rt, k, transposeShape(k.shape, -2, -1), 'transpose', { dim0: nd - 2, dim1: nd - 1 });
  const scale = a.scale instanceof PyFloat || typeof a.scale === 'number' ? a.scale : new PyFloat(1 / Math.sqrt(E ?? 1));
  let scores = elementwise(rt, '*', [matmul(rt, q, kt, ctx), scale], ctx);
  if (a.isCausal) scores = derive(rt, scores, [...scores.shape], 'causal_mask', { diagonal: 1 });
  if (a.attnMask instanceof TensorV) {
    try { broadcastShapes(a.attnMask.shape, scores.shape); } catch (err) { throw located(err, ctx); }
    scores = a.attnMask.dtype === 'bool' ? maskedFill(rt, scores, a.attnMask, ctx) : elementwise(rt, '+', [scores, a.attnMask], ctx);
  }
  let attn = softmax(rt, scores, -1, 'softmax');
  // F.scaled_dot_product_attention has no training flag: dropout_p > 0 always drops
  if (a.dropoutP > 0) attn = derive(rt, attn, [...attn.shape], 'dropout', { p: a.dropoutP, training: true });
  return matmul(rt, attn, v, ctx);
}

/** GQA: key/value heads repeated (repeat_interleave on dim -3) up to the query's head count. */
function repeatHeads(rt: TorchRuntime, q: TensorV, kv: TensorV, ctx: CallCtx): TensorV {
  const hq = q.shape[q.shape.length - 3], hk = kv.shape[kv.shape.length - 3];
  if (hq === null || hk === null || hq === hk) return kv;
  if (hq % hk !== 0) fail(ctx, `number of heads in key/value (${hk}) must divide the number of heads in query (${hq})`);
  const shape = [...kv.shape];
  shape[shape.length - 3] = hq;
  return derive(rt, kv, shape, 'repeat_interleave', { repeats: hq / hk, dim: kv.shape.length - 3 });
}

function maskedFill(rt: TorchRuntime, scores: TensorV, mask: TensorV, ctx: CallCtx): TensorV {
  const out = elementwise(rt, 'max', [scores, mask], ctx);
  out.dtype = scores.dtype as DType;
  // NOTE: True keeps a score (the opposite of masked_fill), so it is its own op in the trace
  out.src = { op: 'attn_mask_bool', inputs: [scores, mask] };
  return out;
}
