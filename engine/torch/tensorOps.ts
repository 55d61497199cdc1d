// Tensor operators and methods as the interpreter sees them: shapes, dtypes, receptive fields, and the
// values of small constant tensors (torch.arange(...) * w + b in RegNet's width rule, float32-rounded).
// MAC-bearing ops (matmul) report their cost through the runtime.
import type { TorchRuntime } from './runtime';
import {
  Builtin, InterpError, PyException, PyFloat, PyList, PyTuple, Unknown, typeName,
  type CallCtx, type Value,
} from '../interp/values';
import { isNum, numVal } from '../interp/ops';
import { roundHalfEven } from '../util/numeric';
import {
  MAX_CONST_ELEMENTS, TensorV, broadcastShapes, isComplexDtype, isFloatDtype, matmulShape, normDim, numel, resultDtype, shapeError,
  type DType, type TraceOp,
} from './tensor';
import type { Dim, Shape } from '../api';
import { toInt } from './sig';
import type { TraceAttrs, TracedOpName } from './trace';

export type Src = TraceOp;

export interface RF { size: number[]; jump: number[] }
const rfOf = (t: TensorV): RF | undefined => (t as TensorV & { rf?: RF }).rf;
export function setRf(t: TensorV, rf: RF | undefined): TensorV { if (rf) (t as TensorV & { rf?: RF }).rf = rf; return t; }
export function getRf(t: TensorV): RF | undefined { return rfOf(t); }

function mergeRf(ts: TensorV[], outNdim: number): RF | undefined {
  let best: RF | undefined;
  for (const t of ts) {
    const r = rfOf(t);
    if (!r || t.shape.length !== outNdim) continue;
    if (!best) { best = r; continue; }
    best = { size: best.size.map((s, i) => Math.max(s, r.size[i] ?? 0)), jump: best.jump.map((j, i) => Math.max(j, r.jump[i] ?? 0)) };
  }
  return best;
}

const f32 = Math.fround;

function castData(data: number[], dtype: DType): number[] {
  if (dtype === 'float32') return data.map(f32);
  if (dtype === 'bool') return data.map((x) => (x ? 1 : 0));
  if (!isFloatDtype(dtype)) return data.map(Math.trunc);
  return data;
}

function scalarDtype(v: Value, other: DType): DType {
  if (typeof v === 'boolean') return other;
  if (typeof v === 'number') return other === 'bool' ? 'int64' : other;
  if (v instanceof PyFloat) return isFloatDtype(other) || isComplexDtype(other) ? other : 'float32';
  return other;
}

type Operand = TensorV | number | boolean | PyFloat;

function operand(v: Value, ctx: CallCtx): Operand {
  if (v instanceof TensorV || isNum(v)) return v as Operand;
  if (v instanceof Unknown) throw new InterpError(`tensor arithmetic with an unknown value (${v.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
  throw new PyException('TypeError', `unsupported operand type for tensor arithmetic: '${typeName(v)}'`, null, ctx.file, ctx.s, ctx.e);
}

const ARITH: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y, '/': (x, y) => x / y,
  '//': (x, y) => Math.floor(x / y), '%': (x, y) => x - Math.floor(x / y) * y, '**': (x, y) => x ** y,
  '&': (x, y) => x & y, '|': (x, y) => x | y, '^': (x, y) => x ^ y,
  max: Math.max, min: Math.min,
};

/** Broadcasting element-wise op over tensors and Python scalars. */
export function elementwise(rt: TorchRuntime, op: string, vals: Value[], ctx: CallCtx, outDtype?: DType): TensorV {
  const ops = vals.map((v) => operand(v, ctx));
  const tensors = ops.filter((o): o is TensorV => o instanceof TensorV);
  let shape: Shape = [];
  try {
    for (const t of tensors) shape = broadcastShapes(shape, t.shape);
  } catch (err) {
    throw located(err, ctx);
  }
  let dtype: DType = tensors[0]?.dtype ?? 'float32';
  for (const t of tensors.slice(1)) dtype = resultDtype(dtype, t.dtype);
  for (const o of ops) if (!(o instanceof TensorV)) dtype = scalarDtype(o, dtype);
  if (op === '/' && !isFloatDtype(dtype) && !isComplexDtype(dtype)) dtype = 'float32';
  if (outDtype) dtype = outDtype;
  const out = rt.tensor(shape, dtype, { op, inputs: vals });
  setRf(out, mergeRf(tensors, shape.length));
  const n = numel(shape);
  const fn = ARITH[op];
  if (fn && n !== null && n <= MAX_CONST_ELEMENTS && tensors.every((t) => t.data)) {
    out.data = castData(broadcastData(ops, shape, n, fn), dtype);
  }
  if (n !== null) rt.addCost(0, n * Math.max(1, ops.length - 1));
  else rt.addCost(0, null);
  return out;
}

function broadcastData(ops: Operand[], shape: Shape, n: number, fn: (x: number, y: number) => number): number[] {
  const dims = shape as number[];
  const get = (o: Operand, flat: number): number => {
    if (!(o instanceof TensorV)) return numVal(o);
    const s = o.shape as number[];
    let idx = 0, stride = 1, rem = flat;
    const coords: number[] = [];
    for (let i = dims.length - 1; i >= 0; i--) { coords[i] = rem % dims[i]; rem = Math.floor(rem / dims[i]); }
    for (let i = s.length - 1; i >= 0; i--) {
      const c = coords[dims.length - s.length + i];
      idx += (s[i] === 1 ? 0 : c) * stride;
      stride *= s[i];
    }
    return o.data![idx];
  };
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let acc = get(ops[0], i);
    for (let j = 1; j < ops.length; j++) acc = fn(acc, get(ops[j], i));
    out[i] = acc;
  }
  return out;
}

export function binop(rt: TorchRuntime, op: string, a: Value, b: Value, ctx: CallCtx): Value {
  const base = op.endsWith('=') ? op.slice(0, -1) : op;
  if (base === '@') return matmul(rt, a as TensorV, b as TensorV, ctx);
  if (!(base in ARITH)) throw new InterpError(`tensor operator ${op} is not supported`, ctx.file, ctx.s, ctx.e);
  return elementwise(rt, base, [a, b], ctx);
}

export function matmul(rt: TorchRuntime, a: TensorV, b: TensorV, ctx: CallCtx, op = 'matmul'): TensorV {
  if (!(a instanceof TensorV) || !(b instanceof TensorV)) throw new PyException('TypeError', `${op}: expected tensors`, null, ctx.file, ctx.s, ctx.e);
  let shape: Shape;
  try { shape = matmulShape(a.shape, b.shape); } catch (err) { throw located(err, ctx); }
  const out = rt.tensor(shape, resultDtype(a.dtype, b.dtype), { op, inputs: [a, b] });
  const n = numel(shape);
  const k = a.shape[a.shape.length - 1];
  const macs = n === null || k === null ? null : n * k;
  rt.addCost(macs, macs === null ? null : 2 * macs);
  return out;
}

export function located(err: unknown, ctx: CallCtx): unknown {
  if (err instanceof PyException || err instanceof InterpError) {
    if (err.s === undefined) { err.s = ctx.s; err.e = ctx.e; }
    Object.assign(err, { file: (err as { file?: string }).file ?? ctx.file });
  }
  return err;
}

export function compare(rt: TorchRuntime, op: string, a: Value, b: Value, ctx: CallCtx): Value {
  const fns: Record<string, (x: number, y: number) => number> = {
    '<': (x, y) => +(x < y), '<=': (x, y) => +(x <= y), '>': (x, y) => +(x > y), '>=': (x, y) => +(x >= y),
    '==': (x, y) => +(x === y), '!=': (x, y) => +(x !== y),
  };
  if ((op === '==' || op === '!=') && !(a instanceof TensorV && (b instanceof TensorV || isNum(b)))) {
    return op === '==' ? a === b : a !== b;
  }
  const out = elementwise(rt, op in ARITH ? op : '+', [a, b], ctx, 'bool');
  out.src = { op: `cmp${op}`, inputs: [a, b] };
  const ta = a instanceof TensorV ? a : null, tb = b instanceof TensorV ? b : null;
  if ((!ta || ta.data) && (!tb || tb.data) && out.data !== undefined) {
    out.data = broadcastData([a as Operand, b as Operand], out.shape, numel(out.shape)!, fns[op]);
  } else out.data = undefined;
  return out;
}

export function unary(rt: TorchRuntime, op: string, t: TensorV, ctx: CallCtx): Value {
  switch (op) {
    case '-': return mapData(rt, t, 'neg', (x) => -x);
    case '+': return t;
    case '~': return mapData(rt, t, 'bitwise_not', (x) => (t.dtype === 'bool' ? 1 - x : ~x));
    case 'abs': return mapData(rt, t, 'abs', Math.abs);
    case 'round': return mapData(rt, t, 'round', roundHalfEven);
    case 'bool': case 'int': case 'float': {
      if (numel(t.shape) !== 1) {
        if (op === 'bool') throw new PyException('RuntimeError', 'Boolean value of Tensor with more than one value is ambiguous', null, ctx.file, ctx.s, ctx.e);
        throw new PyException('ValueError', 'only one element tensors can be converted to Python scalars', null, ctx.file, ctx.s, ctx.e);
      }
      if (!t.data) return new Unknown('value of a tensor element (static analysis knows shapes, not values)', ctx.file, ctx.s, ctx.e);
      const x = t.data[0];
      return op === 'bool' ? x !== 0 : op === 'int' ? Math.trunc(x) : new PyFloat(x);
    }
  }
  throw new InterpError(`unary ${op} on tensors is not supported`, ctx.file, ctx.s, ctx.e);
}

export function mapData(rt: TorchRuntime, t: TensorV, op: string, fn?: (x: number) => number, dtype?: DType, flopsPerElem = 1): TensorV {
  const out = rt.tensor([...t.shape], dtype ?? t.dtype, { op, inputs: [t] });
  setRf(out, rfOf(t));
  if (fn && t.data) out.data = castData(t.data.map(fn), out.dtype);
  const n = numel(t.shape);
  rt.addCost(0, n === null ? null : n * flopsPerElem);
  return out;
}

/** A new tensor of the given shape derived from `t` (views, reshapes) with no cost. */
/** Attributes `derive` records for op K: the kernel's own type when replay reads them (torch/trace.ts). */
type DeriveAttrs<K extends string> = K extends TracedOpName ? TraceAttrs[K] : Record<string, unknown>;

export function derive<K extends string>(rt: TorchRuntime, t: TensorV, shape: Shape, op: K, attrs?: DeriveAttrs<K>, keepRf = false, dtype?: DType): TensorV {
  const out = rt.tensor(shape, dtype ?? t.dtype, { op, inputs: [t], attrs } as TraceOp);
  if (keepRf) setRf(out, rfOf(t));
  return out;
}

export function sizeValue(d: Dim): Value { return d === null ? new Unknown('size of a dimension the analysis cannot know') : d; }

export function sizeTuple(rt: TorchRuntime, shape: Shape): PyTuple {
  const t = new PyTuple(shape.map(sizeValue));
  const sizeCls = rt.classes.get('Size');
  if (sizeCls) t.cls = sizeCls;
  return t;
}

export function attr(rt: TorchRuntime, t: TensorV, name: string, ctx: CallCtx): Value {
  switch (name) {
    case 'shape': return sizeTuple(rt, t.shape);
    case 'ndim': return t.shape.length;
    case 'dtype': return rt.it.getAttr(rt.it.nativeModule('torch')!, dtypeName(t.dtype), ctx);
    case 'device': return 'cpu';
    case 'is_cuda': return false;
    case 'requires_grad': return t.requiresGrad;
    case 'grad': return null;
    case 'data': return t;
    case 'T': case 'mT': return derive(rt, t, [...t.shape].reverse(), 'permute', { dims: t.shape.map((_, i) => t.shape.length - 1 - i) });
    case 'is_leaf': return !t.src;
    case 'names': return new PyTuple(t.shape.map(() => null));
  }
  const m = rt.it.nativeModule('torch');
  const method = TENSOR_METHODS.get(name);
  if (method) return new Builtin(`Tensor.${name}`, (args, kw, c) => method(rt, t, args, kw, c));
  const fnv = m ? m.scope.vars.get(name) : undefined;
  if (fnv instanceof Builtin) return new Builtin(`Tensor.${name}`, (args, kw, c) => rt.it.call(fnv, [t, ...args], kw, c));
  if (name.endsWith('_') && !name.startsWith('_')) {
    const base = name.slice(0, -1);
    const f = TENSOR_METHODS.get(base) ?? (m?.scope.vars.get(base) as Builtin | undefined);
    if (f) return new Builtin(`Tensor.${name}`, (args, kw, c) => {
      const r = f instanceof Builtin ? rt.it.call(f, [t, ...args], kw, c) : (f as Method)(rt, t, args, kw, c);
      inPlace(t, r);
      return r instanceof TensorV ? r : t;
    });
  }
  return undefined as unknown as Value;
}

export function dtypeName(d: DType): string { return d; }

/** After `t.op_(...)` computed `r`: t holds r's values (known or not), never its old ones. */
export function inPlace(t: TensorV, r: Value): void {
  t.data = r instanceof TensorV && r.data && r.data.length === t.data?.length ? r.data : undefined;
}

export type Method = (rt: TorchRuntime, t: TensorV, args: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value;
export const TENSOR_METHODS = new Map<string, Method>();

/** `x.view(2, -1)`, `x.view((2, -1))` and `x.view(torch.Size)` all give [2, -1]; unknown sizes become null. */
export function sizeArgs(args: Value[]): Dim[] {
  const items = args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList) ? (args[0] as PyTuple).items : args;
  return items.map((v) => (v instanceof Unknown ? null : v instanceof TensorV && v.data?.length === 1 ? v.data[0] : toInt(v, 'size')));
}

/** PyTorch refuses a negative size when it allocates (torch.zeros(-1), nn.Linear(-1, 3)). */
export function checkNonNegative(shape: Dim[]): void {
  // NOTE: a size that is not an integer (NaN from a shape rule fed an absurd value) is refused too: never in a report
  const odd = shape.find((d) => d !== null && !Number.isInteger(d));
  if (odd !== undefined && odd !== null) throw shapeError(`the analysis computed a size ${odd} that is not an integer: [${shape.map((d) => (d === null ? '?' : d)).join(', ')}]`);
  const neg = shape.find((d) => d !== null && d < 0);
  if (neg !== undefined && neg !== null) throw shapeError(`Trying to create tensor with negative dimension ${neg}: [${shape.map((d) => (d === null ? '?' : d)).join(', ')}]`);
}

export function iter(rt: TorchRuntime, t: TensorV, ctx: CallCtx): Value[] {
  if (!t.shape.length) throw new PyException('TypeError', 'iteration over a 0-d tensor', null, ctx.file, ctx.s, ctx.e);
  const n = t.shape[0];
  if (n === null) throw new InterpError('iterating over a tensor dimension of unknown size', ctx.file, ctx.s, ctx.e, 'unknown');
  return Array.from({ length: n }, (_, i) => {
    const r = derive(rt, t, t.shape.slice(1), 'index', { index: i });
    if (t.data && t.shape.length === 1) r.data = [t.data[i]];
    return r;
  });
}

export function normDims(v: Value, ndim: number): number[] | null {
  if (v === null) return null;
  const xs = v instanceof PyTuple || v instanceof PyList ? v.items : [v];
  return xs.map((x) => normDim(toInt(x, 'dim'), ndim));
}

export { normDim, shapeError };
