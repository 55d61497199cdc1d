// Tensor subscripting (`x[...]` and `x[...] = v`) by PyTorch's rules, as python_variable_indexing.cpp
// applies them: the basic indices first, in order (an int or 0-d integer tensor selects and removes its
// dim, a slice narrows it, None / True / False insert one, Ellipsis skips), then at::index: masks become
// their nonzero() columns, the index tensors broadcast together, and their dims are replaced in place when
// adjacent or moved to the front when a basic index separates them. Values of small constant tensors
// follow; a mask whose values are unknown gives an unknown dim with a diagnostic, never a guess.
import type { TorchRuntime } from './runtime';
import {
  PyEllipsis, PyException, PyFloat, PyList, PySlice, PyTuple, Unknown, typeName, type CallCtx, type Value,
} from '../interp/values';
import { isNum, numVal } from '../interp/ops';
import { MAX_CONST_ELEMENTS, TensorV, broadcastShapes, isFloatDtype, numel, shapeStr, type DType } from './tensor';
import type { Dim, Shape } from '../api';
import { traced } from './trace';

/** One dim of the tensor after the basic indices: source position of its i-th entry is start + i·step. */
interface PlanDim { size: Dim; src: number | null; start: number; step: number }

/** An index tensor (a list, a tensor, a mask's nonzero() column) as the plan needs it. */
interface IndexT { shape: Shape; dtype: DType; data?: number[] }

interface Plan {
  dims: PlanDim[];
  /** Source positions fixed by integer indices (NaN when the index value is unknown). */
  fixed: Array<{ src: number; at: number }>;
  /** The long index at each position of `dims`, masks expanded (empty: basic indexing only). */
  adv: Array<IndexT | undefined>;
  /** The broadcast shape of the index tensors and whether it goes to the front. */
  block?: { shape: Shape; front: boolean; first: number };
  shape: Shape;
}

const idxError = (msg: string, ctx: CallCtx): PyException => new PyException('IndexError', msg, null, ctx.file, ctx.s, ctx.e);
const isMaskDtype = (d: DType): boolean => d === 'bool' || d === 'uint8';

// ---------------------------------------------------------------- reading the index

/** `x[[0, 1], [2, 3]]`-style lists: a short list holding sequences, tensors, slices, None or Ellipsis is a tuple. */
function indexItems(index: Value): Value[] {
  if (index instanceof PyTuple) return index.items;
  if (index instanceof PyList && index.items.length < 32 && index.items.some((x) => x instanceof TensorV || x instanceof PyList || x instanceof PyTuple || x instanceof PySlice || x instanceof PyEllipsis || x === null || typeof x === 'string')) return index.items;
  return [index];
}

/** A list index as PyTorch's indexing_tensor_from_data makes it: bool when every leaf is a bool, else long. */
function listIndex(v: PyList | PyTuple, ctx: CallCtx): IndexT | Unknown {
  const shape: number[] = [];
  const data: number[] = [];
  let bools = true;
  const walk = (x: Value, depth: number): Unknown | undefined => {
    if (x instanceof PyList || x instanceof PyTuple) {
      if (shape.length <= depth) shape.push(x.items.length);
      else if (shape[depth] !== x.items.length) throw new PyException('ValueError', `expected sequence of length ${shape[depth]} at dim ${depth} (got ${x.items.length})`, null, ctx.file, ctx.s, ctx.e);
      for (const y of x.items) { const u = walk(y, depth + 1); if (u) return u; }
      return undefined;
    }
    if (x instanceof Unknown) return x;
    if (x instanceof TensorV && x.shape.length === 0) { if (!x.data) return new Unknown('an index list holds a tensor whose value is unknown', ctx.file, ctx.s, ctx.e); bools &&= x.dtype === 'bool'; data.push(x.data[0]); return undefined; }
    if (typeof x === 'boolean') { data.push(x ? 1 : 0); return undefined; }
    if (!isNum(x)) throw idxError(`only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeName(x)})`, ctx);
    bools = false;
    data.push(Math.trunc(numVal(x)));
    return undefined;
  };
  const u = walk(v, 0);
  if (u) return u;
  return { shape, dtype: bools && data.length ? 'bool' : 'int64', data };
}

/** Dims the index names (Ellipsis fills the rest): masks count their dims, None/True/False none. */
function specifiedDims(items: Value[]): number {
  let n = 0;
  for (const x of items) {
    if (x instanceof TensorV) n += isMaskDtype(x.dtype) ? x.shape.length : 1;
    else if (x !== null && !(x instanceof PyEllipsis) && typeof x !== 'boolean') n++;
  }
  return n;
}

/** slice.indices(n) as start, step and count (PyTorch refuses negative steps). */
function sliceRange(sl: PySlice, n: number, ctx: CallCtx): { start: number; step: number; len: number } {
  const step = sl.step === null ? 1 : numVal(sl.step as number);
  if (step <= 0) throw new PyException('ValueError', 'step must be greater than zero', null, ctx.file, ctx.s, ctx.e);
  const norm = (v: Value, def: number): number => {
    if (v === null) return def;
    let i = numVal(v as number);
    if (i < 0) i += n;
    return Math.min(Math.max(i, 0), n);
  };
  const start = norm(sl.lo, 0), stop = norm(sl.hi, n);
  return { start, step, len: Math.max(0, Math.ceil((stop - start) / step)) };
}

// ---------------------------------------------------------------- the plan

/** How `t[index]` reads `t`, or Unknown when an index value is unknown (the Unknown's own diagnostic says why). */
function planIndex(rt: TorchRuntime, t: TensorV, index: Value, ctx: CallCtx): Plan | Unknown {
  const items = indexItems(index);
  const ndim = t.shape.length;
  if (specifiedDims(items) > ndim) throw idxError(`too many indices for tensor of dimension ${ndim}`, ctx);
  const dims: PlanDim[] = t.shape.map((size, i) => ({ size, src: i, start: 0, step: 1 }));
  const fixed: Plan['fixed'] = [];
  const raw: Array<IndexT | undefined> = [];
  let at = 0;
  const need = (): PlanDim => {
    if (at >= dims.length) throw idxError(`too many indices for tensor of dimension ${ndim}`, ctx);
    return dims[at];
  };
  const select = (i: number | null): void => {
    const d = need();
    if (i !== null && d.size !== null && (i < -d.size || i >= d.size)) throw idxError(`index ${i} is out of bounds for dimension ${d.src ?? at} with size ${d.size}`, ctx);
    const pos = i === null ? NaN : d.start + (i < 0 && d.size !== null ? i + d.size : i < 0 ? NaN : i) * d.step;
    if (d.src !== null) fixed.push({ src: d.src, at: pos });
    dims.splice(at, 1);
  };
  const insertFlag = (v: boolean | null): void => {
    dims.splice(at, 0, { size: 1, src: null, start: 0, step: 0 });
    raw[at++] = v === null ? { shape: [1], dtype: 'bool' } : { shape: [1], dtype: 'bool', data: [v ? 1 : 0] };
  };
  for (const x of items) {
    if (x instanceof Unknown) return x;
    if (typeof x === 'boolean') insertFlag(x);
    else if (typeof x === 'number') select(x);
    else if (x === null) { dims.splice(at++, 0, { size: 1, src: null, start: 0, step: 0 }); }
    else if (x instanceof PyEllipsis) at += ndim - specifiedDims(items);
    else if (x instanceof PySlice) {
      const d = need();
      if ([x.lo, x.hi, x.step].some((b) => b instanceof Unknown)) dims[at] = { ...d, size: null, start: NaN };
      else if (d.size === null) dims[at] = { ...d, size: null, start: NaN };
      else { const r = sliceRange(x, d.size, ctx); dims[at] = { size: r.len, src: d.src, start: d.start + r.start * d.step, step: d.step * r.step }; }
      at++;
    } else if (x instanceof TensorV && x.shape.length === 0 && !isFloatDtype(x.dtype) && x.dtype !== 'complex64') {
      if (isMaskDtype(x.dtype)) insertFlag(x.data ? x.data[0] !== 0 : null);
      else select(x.data ? x.data[0] : null);
    } else if (x instanceof TensorV || x instanceof PyList || x instanceof PyTuple) {
      const ix = x instanceof TensorV ? x : listIndex(x, ctx);
      if (ix instanceof Unknown) return ix;
      checkIndexDtype(rt, ix.dtype, ctx);
      need();
      raw[at++] = { shape: ix.shape, dtype: ix.dtype, data: ix.data };
    } else if (x instanceof PyFloat) throw idxError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)', ctx);
    else throw idxError(`only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeName(x)})`, ctx);
  }
  const adv = raw.length ? expandMasks(rt, raw, dims, ctx) : [];
  return finishPlan(dims, fixed, adv, ctx);
}

function checkIndexDtype(rt: TorchRuntime, d: DType, ctx: CallCtx): void {
  const ok = d === 'int64' || isMaskDtype(d) || (d === 'int32' && rt.version !== '1.13');
  if (!ok) throw idxError(rt.version === '1.13' ? 'tensors used as indices must be long, byte or bool tensors' : 'tensors used as indices must be long, int, byte or bool tensors', ctx);
}

/** at::index's expandTensors: each k-dim mask becomes k long columns of its nonzero(), checked against the dims it covers. */
function expandMasks(rt: TorchRuntime, raw: Array<IndexT | undefined>, dims: PlanDim[], ctx: CallCtx): Array<IndexT | undefined> {
  const out: Array<IndexT | undefined> = [];
  for (let p = 0; p < raw.length; p++) {
    const e = raw[p];
    if (!e || !isMaskDtype(e.dtype)) { out.push(e); continue; }
    for (let j = 0; j < e.shape.length; j++) {
      const k = out.length + j;
      if (k >= dims.length) throw idxError(`too many indices for tensor of dimension ${dims.length}`, ctx);
      const a = e.shape[j], b = dims[k].size;
      if (a !== null && b !== null && a !== b) {
        throw idxError(`The shape of the mask ${shapeStr(e.shape)} at index ${j} does not match the shape of the indexed tensor ${shapeStr(dims.map((d) => d.size))} at index ${k}`, ctx);
      }
    }
    const cols = e.data ? nonzeroColumns(e.shape as number[], e.data) : undefined;
    if (!cols) rt.it.diag('warning', 'unknown', `the size depends on the mask's values, which the analysis does not know (a mask built from constants, such as torch.arange(n) % 2 == 0, is followed exactly)`, ctx.file, ctx.s, ctx.e);
    const count = cols ? cols[0]?.length ?? 0 : null;
    for (let j = 0; j < Math.max(e.shape.length, 1); j++) out.push({ shape: [count], dtype: 'int64', data: cols?.[j] });
  }
  return out;
}

function nonzeroColumns(shape: number[], data: number[]): number[][] {
  const cols: number[][] = shape.map(() => []);
  for (let f = 0; f < data.length; f++) {
    if (!data[f]) continue;
    let rem = f;
    for (let j = shape.length - 1; j >= 0; j--) { cols[j].push(rem % shape[j]); rem = Math.floor(rem / shape[j]); }
  }
  return cols.length ? cols : [[]];
}

/** Bounds of known index values, the broadcast of the index shapes, and where the broadcast block goes. */
function finishPlan(dims: PlanDim[], fixed: Plan['fixed'], adv: Array<IndexT | undefined>, ctx: CallCtx): Plan {
  const sizes = dims.map((d) => d.size);
  if (!adv.some((e) => e)) return { dims, fixed, adv: [], shape: sizes };
  if (adv.length > dims.length) throw idxError(`too many indices for tensor of dimension ${dims.length} (got ${adv.length})`, ctx);
  const pos: number[] = [];
  adv.forEach((e, p) => {
    if (!e) return;
    pos.push(p);
    const n = dims[p].size;
    if (n !== null && e.data) for (const v of e.data) if (v < -n || v >= n) throw idxError(`index ${v} is out of bounds for dimension ${p} with size ${n}`, ctx);
  });
  let b: Shape = [];
  try {
    for (const p of pos) b = broadcastShapes(b, adv[p]!.shape);
  } catch {
    throw idxError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${pos.map((p) => shapeStr(adv[p]!.shape)).join(', ')}`, ctx);
  }
  const front = pos[pos.length - 1] - pos[0] + 1 !== pos.length;
  const rest = sizes.filter((_, i) => !pos.includes(i));
  const shape = front ? [...b, ...rest] : [...sizes.slice(0, pos[0]), ...b, ...sizes.slice(pos[pos.length - 1] + 1)];
  return { dims, fixed, adv, block: { shape: b, front, first: front ? 0 : pos[0] }, shape };
}

// ---------------------------------------------------------------- values

/** The flat source offset of every element of the result, when all of it is known and small. */
function sourceOffsets(t: TensorV, plan: Plan): Int32Array | undefined {
  const n = numel(plan.shape);
  if (n === null || n > MAX_CONST_ELEMENTS || numel(t.shape) === null) return undefined;
  if (plan.dims.some((d) => d.size === null || Number.isNaN(d.start)) || plan.fixed.some((f) => Number.isNaN(f.at))) return undefined;
  if (plan.adv.some((e) => e && !e.data)) return undefined;
  const src = t.shape as number[];
  const stride = src.map((_, i) => src.slice(i + 1).reduce((p, q) => p * q, 1));
  const base = plan.fixed.reduce((s, f) => s + f.at * stride[f.src], 0);
  const out = plan.shape as number[];
  const coords = new Array<number>(out.length).fill(0);
  const advPos = plan.adv.flatMap((e, p) => (e ? [p] : []));
  const basic = plan.dims.map((_, p) => p).filter((p) => !advPos.includes(p));
  const bLen = plan.block?.shape.length ?? 0, first = plan.block?.first ?? 0;
  const offsets = new Int32Array(n);
  const along = (p: number, i: number): number => { const d = plan.dims[p]; return d.src === null ? 0 : (d.start + i * d.step) * stride[d.src]; };
  for (let f = 0; f < n; f++) {
    let rem = f;
    for (let j = out.length - 1; j >= 0; j--) { coords[j] = rem % out[j]; rem = Math.floor(rem / out[j]); }
    let off = base;
    // the basic dims fill the output around the broadcast block, in order
    basic.forEach((p, k) => { off += along(p, coords[k < first ? k : k + bLen]); });
    for (const p of advPos) {
      const e = plan.adv[p]!;
      const v = e.data![broadcastIndex(e.shape as number[], plan.block!.shape as number[], coords, first)];
      off += along(p, v < 0 ? v + (plan.dims[p].size as number) : v);
    }
    offsets[f] = off;
  }
  return offsets;
}

/** Flat index into an index tensor of `shape` broadcast to `block`, at the block's coordinates. */
function broadcastIndex(shape: number[], block: number[], coords: number[], first: number): number {
  let idx = 0, stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const c = coords[first + block.length - shape.length + i];
    idx += (shape[i] === 1 ? 0 : c) * stride;
    stride *= shape[i];
  }
  return idx;
}

// ---------------------------------------------------------------- x[index] and x[index] = v

export function getItem(rt: TorchRuntime, t: TensorV, index: Value, ctx: CallCtx): Value {
  const plan = planIndex(rt, t, index, ctx);
  if (plan instanceof Unknown) return plan;
  // the numeric replay reads basic indices and one flat list; other advanced ones are their own op, which it declines by name
  const r = rt.tensor(plan.shape, t.dtype, plan.block && !oneFlatList(index, plan) ? { op: 'index_advanced', inputs: [t], attrs: { index } } : traced('index', [t], { index }));
  const offsets = t.data ? sourceOffsets(t, plan) : undefined;
  if (offsets) r.data = Array.from(offsets, (o) => t.data![o]);
  return r;
}

/** `x[:, [0, 2, 4]]`: the only advanced index is one list of ints (a selection along its dim). */
function oneFlatList(index: Value, plan: Plan): boolean {
  const items = indexItems(index);
  const adv = items.filter((x) => x instanceof TensorV || x instanceof PyList || x instanceof PyTuple || typeof x === 'boolean');
  return plan.adv.filter((e) => e).length === 1 && adv.length === 1 && adv[0] instanceof PyList && adv[0].items.every((v) => typeof v === 'number');
}

/**
 * `t[index] = v`: checked as PyTorch checks it (the value broadcasts to the indexed region, leading 1s
 * dropped). Known values are written; otherwise the tensor's values are no longer known. The trace
 * records the write, so a numeric replay never reads the old values as the new ones.
 */
export function setItem(rt: TorchRuntime, t: TensorV, index: Value, v: Value, ctx: CallCtx): void {
  if (typeof index === 'string' && index.startsWith('__attr__')) {
    if (index.slice(8) === 'requires_grad') t.requiresGrad = v === true;
    return;
  }
  const plan = planIndex(rt, t, index, ctx);
  const old = t.data;
  t.data = undefined;
  if (!t.isParam) {
    const prev = rt.tensor([...t.shape], t.dtype, t.src, old);
    t.src = { op: 'index_put', inputs: [prev, v], attrs: { index } };
  }
  if (plan instanceof Unknown || v instanceof Unknown) return;
  if (v instanceof TensorV) checkValueShape(v.shape, v.dtype, plan, ctx);
  else if (!isNum(v)) throw new PyException('TypeError', `can't assign a ${typeName(v)} to a ${t.dtype} tensor`, null, ctx.file, ctx.s, ctx.e);
  const offsets = old ? sourceOffsets(t, plan) : undefined;
  if (!old || !offsets || (v instanceof TensorV && !v.data)) return;
  const data = [...old];
  const cast = (x: number): number => (t.dtype === 'float32' ? Math.fround(x) : isFloatDtype(t.dtype) ? x : t.dtype === 'bool' ? +(x !== 0) : Math.trunc(x));
  const target = plan.shape as number[];
  offsets.forEach((o, f) => { data[o] = cast(v instanceof TensorV ? v.data![valueIndex(v.shape as number[], target, f)] : numVal(v)); });
  t.data = data;
}

const TENSOR_TYPE: Partial<Record<DType, string>> = { float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool' };

function checkValueShape(vs: Shape, dtype: DType, plan: Plan, ctx: CallCtx): void {
  const target = plan.shape;
  let s = [...vs];
  while (s.length > target.length && s[0] === 1) s = s.slice(1);
  const fits = s.length <= target.length && s.every((d, i) => d === null || d === 1 || target[target.length - s.length + i] === null || d === target[target.length - s.length + i]);
  if (fits) return;
  if (plan.block) throw new PyException('RuntimeError', `shape mismatch: value tensor of shape ${shapeStr(vs)} cannot be broadcast to indexing result of shape ${shapeStr(target)}`, null, ctx.file, ctx.s, ctx.e);
  if (s.length > target.length) throw new PyException('RuntimeError', `expand(torch.${TENSOR_TYPE[dtype] ?? 'Float'}Tensor{${shapeStr(vs)}}, size=${shapeStr(target)}): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${vs.length})`, null, ctx.file, ctx.s, ctx.e);
  const i = s.findIndex((d, k) => d !== null && d !== 1 && target[target.length - s.length + k] !== null && d !== target[target.length - s.length + k]);
  const at = target.length - s.length + i;
  throw new PyException('RuntimeError', `The expanded size of the tensor (${target[at]}) must match the existing size (${s[i]}) at non-singleton dimension ${at}.  Target sizes: ${shapeStr(target)}.  Tensor sizes: ${shapeStr(vs)}`, null, ctx.file, ctx.s, ctx.e);
}

/** Flat index of a value broadcast to the target shape, at the target's flat index f. */
function valueIndex(vs: number[], target: number[], f: number): number {
  let rem = f, idx = 0, stride = 1;
  for (let i = target.length - 1, j = vs.length - 1; i >= 0; i--, j--) {
    const c = rem % target[i];
    rem = Math.floor(rem / target[i]);
    if (j >= 0) { idx += (vs[j] === 1 ? 0 : c) * stride; stride *= vs[j]; }
  }
  return idx;
}

