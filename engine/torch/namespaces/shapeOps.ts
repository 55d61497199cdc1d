// torch.* shape and index ops: what shape each gives, checked as PyTorch checks it. Views cost nothing;
// einsum reports its multiply-adds.
import { checkSize } from '../../interp/budget';
import { Builtin, InterpError, PyList, PyTuple, type CallCtx, type Value } from '../../interp/values';
import { pyStr } from '../../interp/ops';
import type { TorchRuntime } from '../runtime';
import { derive, elementwise, mapData, sizeArgs } from '../tensorOps';
import {
  TensorV, chunkSizes, flattenShape, normDim, numel, permuteShape, splitSizes, squeezeShape, transposeShape, unsqueezeShape, viewShape,
} from '../tensor';
import { intList, toInt, toTensor } from '../sig';
import { type Dim } from '../../api';
import { resultDtypeOf, withLoc, definer, tensorArg as T, type Members } from './common';
import * as F from '../functional';

/** cat/stack, views and reshapes, transpose/permute, squeeze, split/chunk/unbind, roll/flip/narrow. */
export function viewOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  out.cat = fn('cat', 'tensors, dim=0, out=None', (a, ctx) => F.cat(rt, a.get('tensors')!, toInt(a.get('dim')!, 'dim'), ctx));
  out.concat = out.cat; out.concatenate = out.cat;
  out.stack = fn('stack', 'tensors, dim=0, out=None', (a, ctx) => F.cat(rt, a.get('tensors')!, toInt(a.get('dim')!, 'dim'), ctx, 'stack'));
  out.flatten = fn('flatten', 'input, start_dim=0, end_dim=-1', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), flattenShape(T(a).shape, toInt(a.get('start_dim')!, 'start_dim'), toInt(a.get('end_dim')!, 'end_dim')), 'flatten')));
  out.reshape = fn('reshape', 'input, shape', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), viewShape(T(a).shape, sizeArgs([a.get('shape')!])), 'reshape', {}, false)));
  out.transpose = fn('transpose', 'input, dim0, dim1', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), transposeShape(T(a).shape, toInt(a.get('dim0')!, 'dim0'), toInt(a.get('dim1')!, 'dim1')), 'transpose', { dim0: toInt(a.get('dim0')!, 'dim0'), dim1: toInt(a.get('dim1')!, 'dim1') })));
  out.swapaxes = out.transpose; out.swapdims = out.transpose;
  out.permute = fn('permute', 'input, dims', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), permuteShape(T(a).shape, intList(a.get('dims')!, 'dims')), 'permute', { dims: intList(a.get('dims')!, 'dims') })));
  out.squeeze = fn('squeeze', 'input, dim=None', (a, ctx) => withLoc(ctx, () => { const t = derive(rt, T(a), squeezeShape(T(a).shape, a.get('dim') === null ? null : toInt(a.get('dim')!, 'dim')), 'squeeze'); if (T(a).data) t.data = T(a).data; return t; }));
  out.unsqueeze = fn('unsqueeze', 'input, dim', (a, ctx) => withLoc(ctx, () => { const t = derive(rt, T(a), unsqueezeShape(T(a).shape, toInt(a.get('dim')!, 'dim')), 'unsqueeze', {}, true); if (T(a).data) t.data = T(a).data; return t; }));
  out.split = fn('split', 'tensor, split_size_or_sections, dim=0', (a, ctx) => splitOp(rt, T(a, 'tensor'), a.get('split_size_or_sections')!, toInt(a.get('dim')!, 'dim'), false, ctx));
  out.chunk = fn('chunk', 'input, chunks, dim=0', (a, ctx) => splitOp(rt, T(a), a.get('chunks')!, toInt(a.get('dim')!, 'dim'), true, ctx));
  out.unbind = fn('unbind', 'input, dim=0', (a, ctx) => {
    const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length);
    const n = t.shape[d];
    if (n === null) throw new InterpError('unbind over a dimension of unknown size', ctx.file, ctx.s, ctx.e, 'unknown');
    checkSize('tuple', n);
    return new PyTuple(Array.from({ length: n }, () => derive(rt, t, t.shape.filter((_, i) => i !== d), 'select')));
  });
  // hstack/vstack/dstack: cat after atleast_1d/2d/3d, along the dim their names say
  const atLeast = (t: TensorV, nd: number): TensorV => {
    if (t.shape.length >= nd) return t;
    const s = t.shape;
    const shape = nd === 1 ? [1] : nd === 2 ? [1, ...(s.length ? s : [1])] : s.length === 0 ? [1, 1, 1] : s.length === 1 ? [1, s[0], 1] : [...s, 1];
    const r = derive(rt, t, shape, 'reshape', { shape });
    if (t.data) r.data = t.data;
    return r;
  };
  const stackOf = (a: Map<string, Value>): TensorV[] => {
    const v = a.get('tensors')!;
    return (v instanceof PyList || v instanceof PyTuple ? v.items : [v]).map((x) => toTensor(x, 'tensors'));
  };
  out.hstack = fn('hstack', 'tensors, out=None', (a, ctx) => { const ts = stackOf(a).map((t) => atLeast(t, 1)); return F.cat(rt, new PyList(ts), ts[0]?.shape.length === 1 ? 0 : 1, ctx); });
  out.vstack = fn('vstack', 'tensors, out=None', (a, ctx) => F.cat(rt, new PyList(stackOf(a).map((t) => atLeast(t, 2))), 0, ctx));
  out.row_stack = out.vstack;
  out.dstack = fn('dstack', 'tensors, out=None', (a, ctx) => F.cat(rt, new PyList(stackOf(a).map((t) => atLeast(t, 3))), 2, ctx));
  out.column_stack = fn('column_stack', 'tensors, out=None', (a, ctx) => F.cat(rt, new PyList(stackOf(a).map((t) => (t.shape.length <= 1 ? atLeast(derive(rt, t, t.shape.length ? [t.shape[0], 1] : [1, 1], 'reshape'), 2) : t))), 1, ctx));
  for (const nd of [1, 2, 3]) out[`atleast_${nd}d`] = fn(`atleast_${nd}d`, '*tensors', (a) => { const ts = (a.get('tensors') as PyTuple).items.map((x) => atLeast(toTensor(x, 'tensor'), nd)); return ts.length === 1 ? ts[0] : new PyTuple(ts); });
  out.roll = fn('roll', 'input, shifts, dims=None', (a) => derive(rt, T(a), [...T(a).shape], 'roll', {}, true));
  out.flip = fn('flip', 'input, dims', (a) => derive(rt, T(a), [...T(a).shape], 'flip', {}, true));
  out.narrow = fn('narrow', 'input, dim, start, length', (a) => { const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = toInt(a.get('length')!, 'length'); return derive(rt, t, s, 'narrow'); });
}

/** meshgrid, where, gather/index_select, diff, triu/tril, repeat_interleave, cumsum, einsum. */
export function indexOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  out.meshgrid = new Builtin('torch.meshgrid', (args, kw) => {
    const ts = (args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple) ? (args[0] as PyTuple).items : args).map((x) => toTensor(x, 'tensor'));
    const shape = ts.map((t) => t.shape[0] ?? null);
    const ij = pyStr(kw.get('indexing') ?? 'ij') === 'ij';
    const s = ij ? shape : shape.length >= 2 ? [shape[1], shape[0], ...shape.slice(2)] : shape;
    return new PyTuple(ts.map((t) => rt.tensor(s, t.dtype, { op: 'meshgrid', inputs: ts })));
  });
  out.where = fn('where', 'condition, input=None, other=None', (a, ctx) => {
    const vals = [a.get('condition')!, a.get('input')!, a.get('other')!];
    if (vals[1] === null) return derive(rt, T(a, 'condition'), [null, T(a, 'condition').shape.length], 'nonzero', {}, false, 'int64');
    const r = elementwise(rt, 'max', vals, ctx, undefined);
    r.dtype = resultDtypeOf(vals.slice(1));
    r.src = { op: 'where', inputs: vals };
    r.data = undefined;
    return r;
  });
  out.gather = fn('gather', 'input, dim, index', (a) => derive(rt, T(a), [...toTensor(a.get('index')!, 'index').shape], 'gather'));
  out.index_select = fn('index_select', 'input, dim, index', (a) => { const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = toTensor(a.get('index')!, 'index').shape[0] ?? null; return derive(rt, t, s, 'index_select'); });
  out.diff = fn('diff', 'input, n=1, dim=-1', (a) => {
    const t = T(a);
    const s = [...t.shape]; const d = normDim(toInt(a.get('dim')!, 'dim'), s.length);
    s[d] = s[d] === null ? null : Math.max(0, s[d]! - 1);
    const r = derive(rt, t, s, 'diff');
    if (t.data && t.shape.length === 1) r.data = t.data.slice(1).map((x, i) => x - t.data![i]);
    return r;
  });
  out.triu = fn('triu', 'input, diagonal=0', (a) => derive(rt, T(a), [...T(a).shape], 'triu', { diagonal: toInt(a.get('diagonal')!, 'diagonal') }));
  out.tril = fn('tril', 'input, diagonal=0', (a) => derive(rt, T(a), [...T(a).shape], 'tril', { diagonal: toInt(a.get('diagonal')!, 'diagonal') }));
  out.repeat_interleave = fn('repeat_interleave', 'input, repeats, dim=None', (a) => {
    const t = T(a); const r = toInt(a.get('repeats')!, 'repeats');
    if (a.get('dim') === null) { const n = numel(t.shape); return derive(rt, t, [n === null ? null : n * r], 'repeat_interleave', { repeats: r, dim: null }); }
    const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = s[d] === null ? null : s[d]! * r;
    return derive(rt, t, s, 'repeat_interleave', { repeats: r, dim: d });
  });
  out.cumsum = fn('cumsum', 'input, dim, dtype=None', (a) => mapData(rt, T(a), 'cumsum'));
  out.einsum = new Builtin('torch.einsum', (args, _kw, ctx) => einsum(rt, String(args[0]), (args.length === 2 && (args[1] instanceof PyList || args[1] instanceof PyTuple) ? (args[1] as PyTuple).items : args.slice(1)).map((x) => toTensor(x, 'operand')), ctx));
}

function splitOp(rt: TorchRuntime, t: TensorV, sizeOrChunks: Value, dim: number, chunks: boolean, ctx: CallCtx): Value {
  const d = withLoc(ctx, () => normDim(dim, t.shape.length));
  const n = t.shape[d];
  if (n === null) throw new InterpError('split of a dimension of unknown size', ctx.file, ctx.s, ctx.e, 'unknown');
  const sizes = withLoc(ctx, () => chunks ? chunkSizes(n, toInt(sizeOrChunks, 'chunks'))
    : splitSizes(n, sizeOrChunks instanceof PyList || sizeOrChunks instanceof PyTuple ? intList(sizeOrChunks, 'split_sizes') : toInt(sizeOrChunks, 'split_size')));
  return new PyTuple(sizes.map((s, i) => { const shape = [...t.shape]; shape[d] = s; return derive(rt, t, shape, 'split', { split_size_or_sections: sizes, dim: d, index: i }, true); }));
}

function einsum(rt: TorchRuntime, eq: string, ops: TensorV[], ctx: CallCtx): TensorV {
  const [lhs, rhs0] = eq.replace(/\s/g, '').split('->');
  const inputs = lhs.split(',');
  if (inputs.length !== ops.length) F.fail(ctx, `einsum(): ${inputs.length} operands in the equation but ${ops.length} given`);
  const sizes = new Map<string, Dim>();
  inputs.forEach((sub, i) => {
    if (sub.includes('.')) throw new InterpError('einsum with ellipsis is not supported', ctx.file, ctx.s, ctx.e);
    [...sub].forEach((c, j) => {
      const d = ops[i].shape[j];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== null && d !== null && prev !== d && prev !== 1 && d !== 1) F.fail(ctx, `einsum(): subscript ${c} has size ${d} for operand ${i} which does not broadcast with previously seen size ${prev}`);
      if (prev === undefined || prev === 1) sizes.set(c, d);
    });
  });
  const rhs = rhs0 ?? [...sizes.keys()].filter((c) => inputs.join('').split(c).length === 2).sort().join('');
  const shape = [...rhs].map((c) => sizes.get(c) ?? null);
  const total = [...sizes.values()].reduce<number | null>((p, q) => (p === null || q === null ? null : p * q), 1);
  const out = rt.tensor(shape, ops[0].dtype, { op: 'einsum', inputs: ops, attrs: { eq } });
  if (ops.length > 1) rt.addCost(total, total === null ? null : 2 * total);
  return out;
}
