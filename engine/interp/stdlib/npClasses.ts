// numpy's Python-visible types over NdArray: ndarray (indexing, operators, methods), dtype objects,
// the scalar types (np.float32 is a dtype and a constructor; float64 results are Python floats marked
// np.float64, int64 ones Python ints), and the conversions from Python values. A method or attribute
// numpy has and this model lacks is Unknown with a located diagnostic, never an AttributeError.
import type { Interp } from '../interp';
import {
  Builtin, InterpError, Property, PyClass, PyEllipsis, PyException, PyFloat, PyInstance, PyIterator, PyList, PySlice, PyTuple, Unknown,
  typeName, type CallCtx, type Value,
} from '../values';
import { isNum, notAnInteger, numVal, pyStr } from '../ops';
import { DTYPES, NdArray, kind, itemsize, shortFloat, castValue, checkSize, type DType, type Operand } from './ndarray';
import { getIndex, setIndex, type Idx } from './ndindex';
import { arithmetic, comparison, meanDtypes, roundArray, sameUfunc, sumArray, sumDtype } from './npMath';
import { reduce } from './ndarray';
import { charge } from '../budget';

export interface Np {
  it: Interp;
  ndarray: PyClass;
  dtypeCls: PyClass;
  /** np.float32, np.int64, ...: scalar type per dtype */
  scalars: Map<DType, PyClass>;
  dtypes: Map<DType, PyInstance>;
  generic: PyClass;
  /** np.generic, np.number, np.integer, np.floating, ... */
  abstract: Record<string, PyClass>;
}

export function notModelled(np: Np, what: string, ctx: CallCtx): Unknown {
  np.it.diag('warning', 'unsupported', `values after this line are unknown: ${what} is not modelled by LayerLens`, ctx.file ?? np.it.cur.file, ctx.s ?? np.it.cur.s, ctx.e ?? np.it.cur.e);
  return new Unknown(`${what} is not modelled`, ctx.file, ctx.s, ctx.e);
}

// ---------------------------------------------------------------- values ↔ arrays
/** The NdArray behind an ndarray or numpy scalar instance. */
export function arrayOf(v: Value): NdArray | undefined {
  if (v instanceof PyInstance && v.native instanceof NdArray) return v.native;
  if (v instanceof PyFloat && v.cls?.name === 'float64' && v.cls.moduleName === 'numpy') {
    const a = NdArray.of([], 'float64', [v.v]);
    a.scalar = true;
    return a;
  }
  return undefined;
}

/** A Python value as an operand: arrays as they are, Python scalars weak (numpy 1.x), sequences converted. */
export function operand(np: Np, v: Value, ctx: CallCtx): Operand {
  const a = arrayOf(v);
  if (a) return { arr: a };
  if (typeof v === 'boolean') return { arr: NdArray.of([], 'bool', [v ? 1 : 0]), py: { v: v ? 1 : 0, float: false, bool: true } };
  if (typeof v === 'number') return { arr: NdArray.of([], 'int64', [v]), py: { v, float: false, bool: false } };
  if (v instanceof PyFloat) {
    // an np.float64 result is a numpy scalar (0-d, value-based), like a Python float
    return { arr: NdArray.of([], 'float64', [v.v]), py: { v: v.v, float: true, bool: false } };
  }
  return { arr: toArray(np, v, null, ctx) };
}

/** np.array(v, dtype): nested lists and tuples of numbers, arrays and numpy scalars. */
export function toArray(np: Np, v: Value, dtype: DType | null, ctx: CallCtx): NdArray {
  const a = arrayOf(v);
  if (a) return dtype && dtype !== a.dtype ? a.copy(dtype) : a;
  const shape: number[] = [];
  const flat: number[] = [];
  let inferred: DType = 'bool';
  let sawAny = false;
  const widen = (d: DType): void => { inferred = !sawAny ? d : promoteInfer(inferred, d); sawAny = true; };
  const walk = (x: Value, depth: number): void => {
    const sub = arrayOf(x);
    if (sub && !sub.scalar) {
      placeDims(shape, depth, sub.shape);
      for (const y of sub.values()) flat.push(y);
      widen(sub.dtype);
      return;
    }
    if (x instanceof PyList || x instanceof PyTuple) {
      placeDims(shape, depth, [x.items.length]);
      for (const y of x.items) walk(y, depth + 1);
      if (!x.items.length && depth + 1 > shape.length - 1) widen('float64');
      return;
    }
    if (shape.length > depth) raggedError(shape, depth);
    if (sub) { flat.push(sub.values()[0]); widen(sub.dtype); return; }
    if (x instanceof Unknown) throw new InterpError(`numpy array from a value the analysis cannot know (${x.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
    if (typeof x === 'boolean') { flat.push(x ? 1 : 0); widen('bool'); return; }
    if (typeof x === 'number') {
      if (!Number.isSafeInteger(x)) throw new InterpError(`numpy: the integer ${x} is beyond what the analysis holds exactly in an array`, ctx.file, ctx.s, ctx.e);
      flat.push(x); widen('int64'); return;
    }
    if (x instanceof PyFloat) { flat.push(x.v); widen('float64'); return; }
    if (typeof x === 'bigint') throw new InterpError(`numpy: the integer ${x} is beyond 2^53, which the analysis holds exactly`, ctx.file, ctx.s, ctx.e);
    if (np.it.ext.isTensor(x)) throw new InterpError('numpy: an array from a torch tensor is not modelled', ctx.file, ctx.s, ctx.e);
    throw new InterpError(`numpy: an array of ${typeName(x)} values (dtype object or str) is not modelled`, ctx.file, ctx.s, ctx.e);
  };
  walk(v, 0);
  const n = shape.reduce((p, q) => p * q, 1);
  if (flat.length !== n) raggedError(shape, shape.length - 1);
  checkSize(n, 'np.array');
  return NdArray.of(shape, dtype ?? (sawAny ? inferred : 'float64'), flat);
}

function promoteInfer(a: DType, b: DType): DType {
  const rank = (d: DType): number => (d === 'bool' ? 0 : kind(d) === 'f' ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
  return itemsize(a) >= itemsize(b) ? a : b;
}

function placeDims(shape: number[], depth: number, dims: number[]): void {
  dims.forEach((d, i) => {
    if (shape.length <= depth + i) shape.push(d);
    else if (shape[depth + i] !== d) raggedError(shape, depth + i);
  });
}

function raggedError(shape: number[], depth: number): never {
  const known = shape.slice(0, depth);
  throw new PyException('ValueError', `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${depth} dimensions. The detected shape was (${known.join(', ')}${known.length === 1 ? ',' : ''}) + inhomogeneous part.`);
}

/** An array result as Python sees it: 0-d results of ufuncs and reductions are numpy scalars. */
export function wrap(np: Np, a: NdArray, keep0d = false): Value {
  if (a.ndim === 0 && !keep0d) {
    const x = a.values()[0];
    if (a.dtype === 'float64') { const f = new PyFloat(x); f.cls = np.scalars.get('float64'); return f; }
    if (a.dtype === 'int64') return x;
    if (a.dtype === 'bool') return x !== 0;
    const s = new PyInstance(np.scalars.get(a.dtype)!);
    const arr = NdArray.of([], a.dtype, [x]);
    arr.scalar = true;
    s.native = arr;
    return s;
  }
  const inst = new PyInstance(np.ndarray);
  inst.native = a;
  return inst;
}

/** A dtype argument: np.float32, np.dtype('f4'), 'float32', float, int, bool, None. */
export function dtypeArg(np: Np, v: Value | undefined): DType | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyInstance && v.cls === np.dtypeCls) return v.native as DType;
  if (v instanceof PyClass) {
    for (const [d, c] of np.scalars) if (c === v) return d;
    const builtin: Record<string, DType> = { float: 'float64', int: 'int64', bool: 'bool' };
    if (v.moduleName === 'builtins' && builtin[v.name]) return builtin[v.name];
  }
  if (typeof v === 'string') {
    const alias: Record<string, DType> = {
      float: 'float64', double: 'float64', f8: 'float64', d: 'float64', f4: 'float32', f: 'float32', single: 'float32', f2: 'float16', e: 'float16', half: 'float16',
      int: 'int64', i8: 'int64', long: 'int64', i4: 'int32', i2: 'int16', i1: 'int8', u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64', bool: 'bool', '?': 'bool', b1: 'bool',
    };
    const s = v.replace(/^[<>=|]/, '');
    if ((DTYPES as string[]).includes(s)) return s as DType;
    if (alias[s]) return alias[s];
  }
  if (v instanceof Unknown) throw new InterpError(`numpy dtype is unknown (${v.reason})`, undefined, undefined, undefined, 'unknown');
  throw new InterpError(`numpy dtype ${pyStr(v)} is not modelled (complex, str and object arrays are not)`);
}

export function intArg(v: Value, what: string): number {
  if (v instanceof Unknown) throw new InterpError(`${what} is unknown (${v.reason})`, v.file, v.s, v.e, 'unknown');
  if (typeof v === 'number' || typeof v === 'boolean') return numVal(v);
  const a = arrayOf(v);
  if (a && a.ndim === 0 && kind(a.dtype) !== 'f') return a.values()[0];
  throw notAnInteger(v);
}

export function shapeArg(v: Value): number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intArg(x, 'shape'));
  return [intArg(v, 'shape')];
}

export function axisArg(v: Value | undefined): number[] | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intArg(x, 'axis'));
  return [intArg(v, 'axis')];
}

/** A Python index (int, slice, None, ..., arrays, lists, tuples of these) as NdArray index items. */
export function indexArg(np: Np, v: Value, ctx: CallCtx): Idx[] {
  const one = (x: Value): Idx => {
    if (x === null) return { k: 'new' };
    if (x instanceof PyEllipsis) return { k: 'ell' };
    if (typeof x === 'number') return { k: 'int', v: x };
    if (x instanceof PySlice) {
      const n = (y: Value): number | null => (y === null ? null : intArg(y, 'slice index'));
      return { k: 'slice', lo: n(x.lo), hi: n(x.hi), step: n(x.step) };
    }
    if (x instanceof Unknown) throw new InterpError(`numpy index is unknown (${x.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
    if (typeof x === 'boolean') throw new InterpError('numpy: a bare True/False index is not modelled', ctx.file, ctx.s, ctx.e);
    const a = arrayOf(x);
    if (a && a.ndim === 0 && a.dtype !== 'bool' && kind(a.dtype) !== 'f') return { k: 'int', v: a.values()[0] };
    const arr = a ?? toArray(np, x, null, ctx);
    if (kind(arr.dtype) === 'f') throw new PyException('IndexError', 'arrays used as indices must be of integer (or boolean) type');
    return { k: 'arr', a: arr };
  };
  return v instanceof PyTuple ? v.items.map(one) : [one(v)];
}

// ---------------------------------------------------------------- ndarray's Python methods
const BIN: Record<string, string> = { add: '+', sub: '-', mul: '*', truediv: '/', floordiv: '//', mod: '%', pow: '**', matmul: '@', and: '&', or: '|', xor: '^', lshift: '<<', rshift: '>>' };
const CMP: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Methods and properties shared by ndarray and the numpy scalar types. */
export function installArrayMethods(np: Np, cls: PyClass): void {
  const it = np.it;
  const self = (a: Value[]): NdArray => {
    const x = arrayOf(a[0]);
    // np.floating() or ndarray.__new__ without data: an instance with no array behind it
    if (!x) throw new PyException('TypeError', `descriptor requires a 'numpy.ndarray' object but received '${typeName(a[0])}'`);
    return x;
  };
  const def = (name: string, f: (x: NdArray, a: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value): void => { cls.dict.set(name, new Builtin(`ndarray.${name}`, (a, kw, ctx) => f(self(a), a.slice(1), kw, ctx))); };
  const prop = (name: string, f: (x: NdArray) => Value): void => { cls.dict.set(name, new Property(new Builtin(`ndarray.${name}`, (a) => f(self(a))))); };
  for (const [n, op] of Object.entries(BIN)) {
    def(`__${n}__`, (x, a, _k, ctx) => wrap(np, arithmetic(op, { arr: x }, operand(np, a[0], ctx))));
    def(`__r${n}__`, (x, a, _k, ctx) => wrap(np, arithmetic(op, operand(np, a[0], ctx), { arr: x })));
  }
  for (const [n, op] of Object.entries(CMP)) def(`__${n}__`, (x, a, _k, ctx) => (a[0] === null ? op === '!=' : wrap(np, comparison(op, x, operand(np, a[0], ctx).arr))));
  def('__neg__', (x) => wrap(np, sameUfunc('negative', x)));
  def('__pos__', (x) => wrap(np, x.copy()));
  def('__abs__', (x) => wrap(np, sameUfunc('absolute', x)));
  def('__invert__', (x) => {
    if (kind(x.dtype) === 'f') throw new PyException('TypeError', "ufunc 'invert' not supported for the input types");
    return wrap(np, NdArray.of([...x.shape], x.dtype, [...x.values()].map((v) => (x.dtype === 'bool' ? 1 - v : -v - 1))));
  });
  def('__len__', (x) => { if (x.ndim === 0) throw new PyException('TypeError', 'len() of unsized object'); return x.shape[0]; });
  def('__iter__', (x) => {
    if (x.ndim === 0) throw new PyException('TypeError', 'iteration over a 0-d array');
    return new PyIterator(Array.from({ length: x.shape[0] }, (_, i) => wrap(np, getIndex(x, [{ k: 'int', v: i }]))));
  });
  def('__getitem__', (x, a, _k, ctx) => {
    const r = getIndex(x, indexArg(np, a[0], ctx));
    return r.ndim === 0 ? wrap(np, r) : wrap(np, r, true);
  });
  def('__setitem__', (x, a, _k, ctx) => { setIndex(x, indexArg(np, a[0], ctx), toArray(np, a[1], null, ctx)); return null; });
  def('__bool__', (x) => {
    if (x.size !== 1) throw new PyException('ValueError', `The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()`);
    return x.values()[0] !== 0;
  });
  const scalar = (x: NdArray, what: string): number => { if (x.size !== 1) throw new PyException('TypeError', `only size-1 arrays can be converted to Python scalars`); void what; return x.values()[0]; };
  def('__float__', (x) => new PyFloat(scalar(x, 'float')));
  def('__int__', (x) => Math.trunc(scalar(x, 'int')));
  def('__index__', (x) => { if (kind(x.dtype) === 'f' || x.ndim > 0) throw new PyException('TypeError', 'only integer scalar arrays can be converted to a scalar index'); return x.values()[0]; });
  def('__repr__', (x) => arrayRepr(x));
  def('__str__', (x) => (x.scalar ? arrayRepr(x) : arrayStr(x)));
  def('__format__', (x, a) => (x.scalar || x.ndim === 0 ? it.format(kind(x.dtype) === 'f' ? new PyFloat(x.values()[0]) : x.values()[0], pyStr(a[0] ?? '')) : arrayStr(x)));
  prop('shape', (x) => new PyTuple([...x.shape]));
  prop('ndim', (x) => x.ndim);
  prop('size', (x) => x.size);
  prop('dtype', (x) => np.dtypes.get(x.dtype)!);
  prop('itemsize', (x) => itemsize(x.dtype));
  prop('nbytes', (x) => itemsize(x.dtype) * x.size);
  prop('T', (x) => wrap(np, x.transpose(), true));
  def('tolist', (x) => toList(x));
  def('item', (x, a) => {
    if (a.length) return scalarValue(getIndex(x, a.map((v) => ({ k: 'int', v: intArg(v, 'index') }))));
    if (x.size !== 1) throw new PyException('ValueError', 'can only convert an array of size 1 to a Python scalar');
    return scalarValue(x.reshape([]));
  });
  def('reshape', (x, a, kw) => wrap(np, x.reshape(a.length === 1 && !(typeof a[0] === 'number') ? shapeArg(a[0]) : a.map((v) => intArg(v, 'shape'))), true));
  def('astype', (x, a, kw) => wrap(np, x.copy(dtypeArg(np, a[0] ?? kw.get('dtype'))!), true));
  def('copy', (x) => wrap(np, x.copy(), true));
  def('flatten', (x) => wrap(np, x.copy().reshape([x.size]), true));
  def('ravel', (x) => wrap(np, x.reshape([x.size]), true));
  def('transpose', (x, a) => wrap(np, x.transpose(a.length === 0 ? undefined : a.length === 1 && !(typeof a[0] === 'number') ? shapeArg(a[0]) : a.map((v) => intArg(v, 'axes'))), true));
  def('squeeze', (x, a, kw) => wrap(np, squeeze(x, axisArg(a[0] ?? kw.get('axis'))), true));
  def('fill', (x, a, _k, ctx) => { x.assign(toArray(np, a[0], null, ctx)); return null; });
  def('round', (x, a, kw) => wrap(np, roundArray(x, intArg(a[0] ?? kw.get('decimals') ?? 0, 'decimals')), x.ndim > 0));
  installReductions(np, def);
  cls.dict.set('__getattr__', new Builtin('ndarray.__getattr__', (a, _k, ctx) => {
    const name = pyStr(a[1]);
    if (name.startsWith('__')) throw new PyException('AttributeError', `'numpy.ndarray' object has no attribute '${name}'`);
    return notModelled(np, `numpy.ndarray.${name}`, ctx);
  }));
}

type Def = (name: string, f: (x: NdArray, a: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value) => void;

/** sum/mean/max/min/prod/std/var/argmax/argmin/all/any/cumsum as methods (np.sum and friends call these). */
export function installReductions(np: Np, def: Def): void {
  const opts = (a: Value[], kw: Map<string, Value>): { axes: number[] | null; keep: boolean } => ({ axes: axisArg(a[0] ?? kw.get('axis')), keep: kw.get('keepdims') === true });
  const out = (x: NdArray, r: NdArray): Value => wrap(np, r, r.ndim > 0);
  def('sum', (x, a, kw) => { const o = opts(a, kw); const dt = dtypeArg(np, kw.get('dtype')) ?? sumDtype(x.dtype); return out(x, sumArray(x.dtype === dt ? x : x.copy(dt), o.axes, o.keep, dt)); });
  def('mean', (x, a, kw) => {
    const o = opts(a, kw);
    const [acc, res] = meanDtypes(x.dtype);
    const r = sumArray(x.dtype === acc ? x : x.copy(acc), o.axes, o.keep, acc, (s, n) => castValue(s / n, acc));
    return out(x, res === acc ? r : r.copy(res));
  });
  def('prod', (x, a, kw) => { const o = opts(a, kw); const dt = sumDtype(x.dtype); return out(x, reduce(x, o.axes, o.keep, dt, 1, (p, q) => castValue(p * q, dt))); });
  def('max', (x, a, kw) => { const o = opts(a, kw); return out(x, reduce(x, o.axes, o.keep, x.dtype, -Infinity, (p, q) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.max(p, q)))); });
  def('min', (x, a, kw) => { const o = opts(a, kw); return out(x, reduce(x, o.axes, o.keep, x.dtype, Infinity, (p, q) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.min(p, q)))); });
  def('all', (x, a, kw) => { const o = opts(a, kw); return out(x, reduce(x, o.axes, o.keep, 'bool', 1, (p, q) => (p && q ? 1 : 0))); });
  def('any', (x, a, kw) => { const o = opts(a, kw); return out(x, reduce(x, o.axes, o.keep, 'bool', 0, (p, q) => (p || q ? 1 : 0))); });
  const moments = (x: NdArray, a: Value[], kw: Map<string, Value>, sqrt: boolean): Value => {
    const o = opts(a, kw);
    const ddof = intArg(kw.get('ddof') ?? 0, 'ddof');
    const [acc, res] = meanDtypes(x.dtype);
    const xs = x.dtype === acc ? x : x.copy(acc);
    const mean = sumArray(xs, o.axes, true, acc, (s, n) => castValue(s / n, acc));
    const dev = arithmetic('-', { arr: xs }, { arr: mean });
    const sq = arithmetic('*', { arr: dev }, { arr: dev });
    const r = sumArray(sq, o.axes, o.keep, acc, (s, n) => { const v = castValue(s / Math.max(n - ddof, 0), acc); return sqrt ? Math.sqrt(v) : v; });
    return out(x, res === acc ? r : r.copy(res));
  };
  def('var', (x, a, kw) => moments(x, a, kw, false));
  def('std', (x, a, kw) => moments(x, a, kw, true));
  for (const [name, better] of [['argmax', (p: number, q: number) => q > p], ['argmin', (p: number, q: number) => q < p]] as const) {
    def(name, (x, a, kw) => {
      const axis = axisArg(a[0] ?? kw.get('axis'));
      const src = axis === null ? x.reshape([x.size]) : x;
      const ax = axis === null ? 0 : (axis[0] < 0 ? axis[0] + x.ndim : axis[0]);
      const moved = src.transpose([...src.shape.map((_, i) => i).filter((i) => i !== ax), ax]);
      const n = src.shape[ax];
      if (n === 0) throw new PyException('ValueError', `attempt to get ${name} of an empty sequence`);
      const vals = moved.values();
      const outShape = moved.shape.slice(0, -1);
      const r = Array.from({ length: vals.length / n }, (_, row) => {
        let best = 0;
        for (let i = 1; i < n; i++) if (!Number.isNaN(vals[row * n + best]) && (Number.isNaN(vals[row * n + i]) || better(vals[row * n + best], vals[row * n + i]))) best = i;
        return best;
      });
      return out(x, NdArray.of(outShape, 'int64', r));
    });
  }
  def('cumsum', (x, a, kw) => {
    const axis = axisArg(a[0] ?? kw.get('axis'));
    const dt = sumDtype(x.dtype);
    if (axis !== null && x.ndim > 1) throw new InterpError('numpy: cumsum along an axis of a multi-dimensional array is not modelled');
    let s = 0;
    return wrap(np, NdArray.of([x.size], dt, [...x.values()].map((v) => (s = castValue(s + v, dt)))), true);
  });
}

export function squeeze(x: NdArray, axes: number[] | null): NdArray {
  const ax = axes?.map((a) => (a < 0 ? a + x.ndim : a));
  if (ax?.some((a) => x.shape[a] !== 1)) throw new PyException('ValueError', 'cannot select an axis to squeeze out which has size not equal to one');
  const keep = x.shape.map((s, i) => (ax ? !ax.includes(i) : s !== 1));
  return x.view(x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i]), x.offset);
}

/** A numpy scalar's Python value (item()/tolist()): float, int or bool. */
export function scalarValue(a: NdArray): Value {
  const x = a.values()[0];
  return a.dtype === 'bool' ? x !== 0 : kind(a.dtype) === 'f' ? new PyFloat(x) : x;
}

export function toList(a: NdArray): Value {
  if (a.ndim === 0) return scalarValue(a);
  charge(4 * a.size); // a Python object per element costs more than the element
  const vals = a.values();
  const conv = (x: number): Value => (a.dtype === 'bool' ? x !== 0 : kind(a.dtype) === 'f' ? new PyFloat(x) : x);
  const build = (d: number, off: number, stride: number): Value => {
    const n = a.shape[d];
    const sub = stride / Math.max(n, 1);
    return new PyList(Array.from({ length: n }, (_, i) => (d === a.ndim - 1 ? conv(vals[off + i]) : build(d + 1, off + i * sub, sub))));
  };
  return build(0, 0, vals.length);
}

// ---------------------------------------------------------------- printing (numpy's repr for small arrays)
function elementStr(a: NdArray, x: number, floats: boolean): string {
  if (a.dtype === 'bool') return x ? 'True' : 'False';
  if (!floats) return String(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const s = shortFloat(x, a.dtype === 'float64' ? 'float64' : a.dtype);
  return s.endsWith('.0') ? s.slice(0, -1) : s;
}

function arrayStr(a: NdArray, sep = ' '): string {
  if (a.ndim === 0 || a.scalar) return elementStr(a, a.values()[0], kind(a.dtype) === 'f').replace(/\.$/, '.0');
  const floats = kind(a.dtype) === 'f';
  const vals = [...a.values()].map((x) => elementStr(a, x, floats));
  // numpy aligns floats on the decimal point: integer parts padded left, fractions right
  const parts = vals.map((s) => (floats && s.includes('.') && !s.includes('e') ? s.split('.') : [s, null]));
  const wi = Math.max(0, ...parts.map((p) => p[0]!.length)), wf = Math.max(0, ...parts.map((p) => (p[1] === null ? 0 : p[1].length)));
  const pad = (s: string): string => {
    if (a.dtype === 'bool') return s.padStart(5);
    if (!floats || !s.includes('.') || s.includes('e')) return s.padStart(wi + (floats ? wf + 1 : 0));
    const [i, f] = s.split('.');
    return `${i.padStart(wi)}.${f.padEnd(wf)}`;
  };
  let k = 0;
  const build = (d: number, indent: string): string => {
    if (d === a.ndim - 1) return '[' + Array.from({ length: a.shape[d] }, () => pad(vals[k++])).join(sep) + ']';
    const rows = Array.from({ length: a.shape[d] }, () => build(d + 1, indent + ' '));
    return '[' + rows.join((sep === ' ' ? '' : ',') + '\n'.repeat(a.ndim - d - 1) + indent + ' ') + ']';
  };
  return build(0, '');
}

function arrayRepr(a: NdArray): string {
  if (a.scalar) return arrayStr(a);
  const defaultDtype = a.dtype === 'float64' || a.dtype === 'int64' || a.dtype === 'bool';
  const body = a.size === 0 ? '[]' : arrayStr(a, ', ').replace(/\n/g, '\n      ');
  return `array(${body}${defaultDtype && a.size ? '' : `, dtype=${a.dtype}`})`;
}
