// numpy for the constant tables model code builds (sinusoid position tables, anchor grids, schedules):
// creation (array, zeros, arange, linspace, meshgrid, ...), joining, ufuncs, reductions and dtypes over
// real arrays (ndarray.ts). Any other numpy name is Unknown with a located diagnostic naming it.
// np.random is not modelled: its values are unknown, said where they are drawn.
import type { Interp } from '../interp';
import { Builtin, InterpError, PyClass, PyException, PyFloat, PyInstance, PyList, PyTuple, Unknown, type CallCtx, type Value } from '../values';
import { pyStr } from '../ops';
import { fn, kwOr, nativeModule } from './native';
import { DTYPES, NdArray, checkSize, contiguousStrides, itemsize, kind, type DType, type Operand } from './ndarray';
import { getIndex } from './ndindex';
import { FLOAT_UFUNCS, SAME_UFUNCS, arithmetic, commonDtype, comparison, floatUfunc, roundArray, sameUfunc } from './npMath';
import {
  arrayOf, axisArg, dtypeArg, installArrayMethods, intArg, notModelled, operand, shapeArg, squeeze, toArray, wrap, type Np,
} from './npClasses';

export function numpy(it: Interp): Record<string, Value> {
  const np = makeClasses(it);
  const arr = (v: Value, ctx: CallCtx): NdArray => toArray(np, v, null, ctx);
  const out = (a: NdArray): Value => wrap(np, a, true);
  const m: Record<string, Value> = {
    pi: new PyFloat(Math.PI), e: new PyFloat(Math.E), inf: new PyFloat(Infinity), nan: new PyFloat(NaN), newaxis: null, Inf: new PyFloat(Infinity), NaN: new PyFloat(NaN),
    ndarray: np.ndarray, dtype: np.dtypeCls, ...np.abstract,
    __version__: '1.24.2', // the numpy the reference data is made with (Debian's)
    ...creation(np),
    ...joining(np),
    ...ufuncs(np),
    ...reductions(np),
    shape: fn('numpy.shape', (a, _k, ctx) => new PyTuple([...arr(a[0], ctx).shape])),
    ndim: fn('numpy.ndim', (a, _k, ctx) => arr(a[0], ctx).ndim),
    size: fn('numpy.size', (a, _k, ctx) => arr(a[0], ctx).size),
    reshape: fn('numpy.reshape', (a, kw, ctx) => out(arr(a[0], ctx).reshape(shapeArg(a[1] ?? kw.get('newshape')!)))),
    transpose: fn('numpy.transpose', (a, kw, ctx) => out(arr(a[0], ctx).transpose(axisArg(a[1] ?? kw.get('axes')) ?? undefined))),
    squeeze: fn('numpy.squeeze', (a, kw, ctx) => out(squeeze(arr(a[0], ctx), axisArg(a[1] ?? kw.get('axis'))))),
    expand_dims: fn('numpy.expand_dims', (a, kw, ctx) => {
      const x = arr(a[0], ctx);
      const axis = axisArg(a[1] ?? kw.get('axis') ?? null);
      if (!axis) throw new PyException('TypeError', "expand_dims() missing 1 required positional argument: 'axis'");
      const axes = axis.map((ax) => (ax < 0 ? ax + x.ndim + 1 : ax));
      const shape = [...x.shape];
      for (const ax of [...axes].sort((p, q) => p - q)) shape.splice(ax, 0, 1);
      return out(x.reshape(shape));
    }),
    finfo: fn('numpy.finfo', (a) => finfo(np, dtypeArg(np, a[0]) ?? 'float64')),
    iinfo: fn('numpy.iinfo', (a) => iinfo(np, dtypeArg(np, a[0]) ?? 'int64')),
    random: randomModule(np),
    __getattr__: fn('numpy.__getattr__', (a, _k, ctx) => {
      const name = pyStr(a[0]);
      // dunders, and the aliases numpy 1.24 removed (np.float, np.int, ...), are absent as in numpy
      if (name in REMOVED_ALIASES) throw new PyException('AttributeError', removedAlias(name));
      if (name.startsWith('__') || name === 'long' || name === 'unicode') throw new PyException('AttributeError', `module 'numpy' has no attribute '${name}'`);
      return notModelled(np, `numpy.${name}`, ctx);
    }),
  };
  for (const d of DTYPES) m[d === 'bool' ? 'bool_' : d] = np.scalars.get(d)!;
  Object.assign(m, {
    float_: np.scalars.get('float64'), double: np.scalars.get('float64'), single: np.scalars.get('float32'), half: np.scalars.get('float16'),
    int_: np.scalars.get('int64'), intp: np.scalars.get('int64'), longlong: np.scalars.get('int64'), intc: np.scalars.get('int32'), short: np.scalars.get('int16'),
    byte: np.scalars.get('int8'), ubyte: np.scalars.get('uint8'),
  });
  return m;
}

/** The builtin aliases numpy 1.24 removed, with the advice its AttributeError gives. */
const REMOVED_ALIASES: Record<string, string> = {
  object: '', bool: 'bool_', float: 'float64', complex: 'complex128', str: 'str_',
  int: 'When replacing `np.int`, you may wish to use e.g. `np.int64` or `np.int32` to specify the precision. If you wish to review your current use, check the release note link for additional information.',
};

function removedAlias(n: string): string {
  const extra = REMOVED_ALIASES[n];
  const ext = n === 'int' || n === 'object' ? extra : `If you specifically wanted the numpy scalar type, use \`np.${extra}\` here.`;
  return `module 'numpy' has no attribute '${n}'.\n\`np.${n}\` was a deprecated alias for the builtin \`${n}\`. To avoid this error in existing code, use \`${n}\` by itself. Doing this will not modify any behavior and is safe. ${ext}\nThe aliases was originally deprecated in NumPy 1.20; for more details and guidance see the original release note at:\n    https://numpy.org/devdocs/release/1.20.0-notes.html#deprecations`;
}

// ---------------------------------------------------------------- the classes
function makeClasses(it: Interp): Np {
  const object = it.types.get('object')!;
  const cls = (name: string, bases: PyClass[]): PyClass => new PyClass(name, bases, 'numpy');
  const ndarray = cls('ndarray', [object]);
  const generic = cls('generic', [object]);
  const number = cls('number', [generic]), integer = cls('integer', [number]), inexact = cls('inexact', [number]);
  const signed = cls('signedinteger', [integer]), unsigned = cls('unsignedinteger', [integer]), floating = cls('floating', [inexact]);
  const np: Np = { it, ndarray, dtypeCls: cls('dtype', [object]), scalars: new Map(), dtypes: new Map(), generic, abstract: { generic, number, integer, inexact, signedinteger: signed, unsignedinteger: unsigned, floating } };
  // the abstract scalar types are not instantiable; ndarray(shape) is not modelled (np.empty is)
  for (const c of Object.values(np.abstract)) c.dict.set('__new__', new Builtin(`numpy.${c.name}.__new__`, () => { throw new PyException('TypeError', `cannot create 'numpy.${c.name}' instances`); }));
  ndarray.dict.set('__new__', new Builtin('numpy.ndarray.__new__', (a, kw, ctx) => {
    if (a.length < 2 && !kw.has('shape')) throw new PyException('TypeError', "ndarray() missing required argument 'shape' (pos 1)");
    return notModelled(np, 'numpy.ndarray(shape) (use np.empty or np.zeros)', ctx);
  }));
  for (const d of DTYPES) {
    const bases = d === 'bool' ? [generic] : d === 'float64' ? [floating, it.types.get('float')!] : kind(d) === 'f' ? [floating] : kind(d) === 'u' ? [unsigned] : [signed];
    const c = cls(d === 'bool' ? 'bool_' : d, bases);
    c.dict.set('__new__', new Builtin(`numpy.${d}.__new__`, (a, _k, ctx) => {
      const v = a[1] ?? 0;
      const x = toArray(np, v, d, ctx);
      return wrap(np, x, x.ndim > 0);
    }));
    np.scalars.set(d, c);
    const dt = new PyInstance(np.dtypeCls);
    dt.native = d;
    for (const [k, v] of Object.entries({ name: d, itemsize: itemsize(d), kind: d === 'bool' ? 'b' : kind(d), type: c, char: DTYPE_CHAR[d] })) dt.dict.set(k, v);
    np.dtypes.set(d, dt);
    c.dict.set('dtype', dt);
  }
  installArrayMethods(np, ndarray);
  installArrayMethods(np, generic);
  const dcls = np.dtypeCls;
  dcls.dict.set('__new__', new Builtin('numpy.dtype.__new__', (a) => np.dtypes.get(dtypeArg(np, a[1])!)!));
  dcls.dict.set('__repr__', new Builtin('dtype.__repr__', (a) => `dtype('${(a[0] as PyInstance).native}')`));
  dcls.dict.set('__str__', new Builtin('dtype.__str__', (a) => String((a[0] as PyInstance).native)));
  dcls.dict.set('__eq__', new Builtin('dtype.__eq__', (a) => {
    try { return dtypeArg(np, a[1]) === (a[0] as PyInstance).native; } catch { return false; }
  }));
  dcls.dict.set('__hash_fields_native__', new PyTuple(['name']));
  return np;
}

const DTYPE_CHAR: Record<DType, string> = { bool: '?', int8: 'b', int16: 'h', int32: 'i', int64: 'l', uint8: 'B', uint16: 'H', uint32: 'I', uint64: 'L', float16: 'e', float32: 'f', float64: 'd' };

function finfo(np: Np, d: DType): PyInstance {
  if (kind(d) !== 'f') throw new PyException('ValueError', `data type <class 'numpy.${d}'> not inexact`);
  const table: Record<string, number[]> = {
    float16: [9.765625e-4, 65504, 6.103515625e-5, 3], float32: [1.1920928955078125e-7, 3.4028234663852886e38, 1.1754943508222875e-38, 6],
    float64: [2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308, 15],
  };
  const info = table[d];
  const f = new PyInstance(new PyClass('finfo', [np.it.types.get('object')!], 'numpy'));
  const sc = (x: number): Value => wrap(np, NdArray.of([], d, [x]));
  Object.entries({ eps: sc(info[0]), max: sc(info[1]), min: sc(-info[1]), tiny: sc(info[2]), smallest_normal: sc(info[2]), precision: info[3], bits: itemsize(d) * 8, dtype: np.dtypes.get(d)! }).forEach(([k, v]) => f.dict.set(k, v));
  return f;
}

function iinfo(np: Np, d: DType): PyInstance {
  if (kind(d) === 'f' || d === 'bool') throw new PyException('ValueError', `Invalid integer data type '${DTYPE_CHAR[d]}'.`);
  const bits = itemsize(d) * 8;
  const signed = kind(d) === 'i';
  if (bits === 64) throw new InterpError('numpy: iinfo of a 64-bit integer type (bounds beyond 2^53) is not modelled');
  const f = new PyInstance(new PyClass('iinfo', [np.it.types.get('object')!], 'numpy'));
  Object.entries({ min: signed ? -(2 ** (bits - 1)) : 0, max: signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1, bits, dtype: np.dtypes.get(d)! }).forEach(([k, v]) => f.dict.set(k, v));
  return f;
}

function randomModule(np: Np): Value {
  const mod = nativeModule(np.it, 'numpy.random', {
    seed: fn('numpy.random.seed', () => null),
    __getattr__: fn('numpy.random.__getattr__', (a, _k, ctx) => notModelled(np, `numpy.random.${pyStr(a[0])} (random values)`, ctx)),
  });
  return mod;
}

// ---------------------------------------------------------------- creation
function creation(np: Np): Record<string, Value> {
  const out = (a: NdArray): Value => wrap(np, a, true);
  const filled = (name: string, value: number | null) => fn(`numpy.${name}`, (a, kw) => {
    const shape = shapeArg(a[0] ?? kw.get('shape')!);
    const dt = dtypeArg(np, a[1] ?? kw.get('dtype')) ?? 'float64';
    const x = NdArray.of(shape, dt);
    if (value === null) return out(new NdArray(x.buf, dt, shape, x.strides, 0, new Uint8Array(x.size).fill(1)));
    x.buf.fill(value);
    return out(x);
  });
  const like = (name: string, value: number | null) => fn(`numpy.${name}`, (a, kw, ctx) => {
    const src = toArray(np, a[0], null, ctx);
    const dt = dtypeArg(np, kw.get('dtype')) ?? src.dtype;
    const fill = name === 'full_like' ? toArray(np, a[1] ?? kw.get('fill_value')!, dt, ctx).values()[0] : value;
    const x = NdArray.of([...src.shape], dt);
    if (fill === null) return out(new NdArray(x.buf, dt, x.shape, x.strides, 0, new Uint8Array(x.size).fill(1)));
    x.buf.fill(fill);
    return out(x);
  });
  return {
    array: fn('numpy.array', (a, kw, ctx) => {
      const dt = dtypeArg(np, a[1] ?? kw.get('dtype'));
      const src = arrayOf(a[0]);
      const x = src && kw.get('copy') !== false ? src.copy(dt ?? src.dtype) : toArray(np, a[0], dt, ctx);
      const ndmin = intArg(kwOr(kw, 'ndmin', 0), 'ndmin');
      return out(ndmin > x.ndim ? x.reshape([...Array(ndmin - x.ndim).fill(1), ...x.shape]) : x);
    }),
    asarray: fn('numpy.asarray', (a, kw, ctx) => out(toArray(np, a[0], dtypeArg(np, a[1] ?? kw.get('dtype')), ctx))),
    ascontiguousarray: fn('numpy.ascontiguousarray', (a, kw, ctx) => out(toArray(np, a[0], dtypeArg(np, a[1] ?? kw.get('dtype')), ctx).copy())),
    zeros: filled('zeros', 0), ones: filled('ones', 1), empty: filled('empty', null),
    full: fn('numpy.full', (a, kw, ctx) => {
      const fillV = a[1] ?? kw.get('fill_value')!;
      const fv = operand(np, fillV, ctx);
      const dt = dtypeArg(np, a[2] ?? kw.get('dtype')) ?? fv.arr.dtype;
      const x = NdArray.of(shapeArg(a[0] ?? kw.get('shape')!), dt);
      x.assign(fv.arr);
      return out(x);
    }),
    zeros_like: like('zeros_like', 0), ones_like: like('ones_like', 1), empty_like: like('empty_like', null), full_like: like('full_like', 0),
    arange: fn('numpy.arange', (a, kw) => arange(np, a, kw)),
    linspace: fn('numpy.linspace', (a, kw, ctx) => {
      const num = intArg(a[2] ?? kw.get('num') ?? 50, 'num');
      if (num < 0) throw new PyException('ValueError', `Number of samples, ${num}, must be non-negative.`);
      checkSize(num, 'np.linspace');
      const lo = realOf(np, a[0] ?? kw.get('start')!, ctx), hi = realOf(np, a[1] ?? kw.get('stop')!, ctx);
      const endpoint = kwOr(kw, 'endpoint', true) !== false;
      const div = endpoint ? num - 1 : num;
      const step = (hi - lo) / div;
      // numpy: start + arange(num) * step, the last sample set to stop when endpoint
      const vals = Array.from({ length: num }, (_, i) => (div > 0 ? lo + i * step : lo + i * (hi - lo)));
      if (endpoint && num > 1) vals[num - 1] = hi;
      return out(NdArray.of([num], dtypeArg(np, kw.get('dtype')) ?? 'float64', vals));
    }),
    eye: fn('numpy.eye', (a, kw) => {
      const n = intArg(a[0], 'N'), mm = a[1] === undefined || a[1] === null ? (kw.get('M') === undefined || kw.get('M') === null ? n : intArg(kw.get('M')!, 'M')) : intArg(a[1], 'M');
      const k = intArg(a[2] ?? kw.get('k') ?? 0, 'k');
      const x = NdArray.of([n, mm], dtypeArg(np, kw.get('dtype')) ?? 'float64');
      for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < mm) x.buf[i * mm + i + k] = 1;
      return out(x);
    }),
    identity: fn('numpy.identity', (a, kw) => { const n = intArg(a[0], 'n'); const x = NdArray.of([n, n], dtypeArg(np, a[1] ?? kw.get('dtype')) ?? 'float64'); for (let i = 0; i < n; i++) x.buf[i * n + i] = 1; return out(x); }),
    tril: fn('numpy.tril', (a, kw, ctx) => triangle(np, toArray(np, a[0], null, ctx), intArg(a[1] ?? kw.get('k') ?? 0, 'k'), true)),
    triu: fn('numpy.triu', (a, kw, ctx) => triangle(np, toArray(np, a[0], null, ctx), intArg(a[1] ?? kw.get('k') ?? 0, 'k'), false)),
    meshgrid: fn('numpy.meshgrid', (a, kw, ctx) => {
      const xs = a.map((v) => toArray(np, v, null, ctx).reshape([-1]));
      const ij = kwOr(kw, 'indexing', 'xy') === 'ij';
      const lens = xs.map((x) => x.size);
      const shape = ij || xs.length < 2 ? lens : [lens[1], lens[0], ...lens.slice(2)];
      return new PyList(xs.map((x, i) => {
        const axis = ij || xs.length < 2 ? i : i === 0 ? 1 : i === 1 ? 0 : i;
        const view = x.view(shape, shape.map((_, d) => (d === axis ? x.strides[0] : 0)), x.offset);
        return out(view.copy());
      }));
    }),
  };
}

function realOf(np: Np, v: Value, ctx: CallCtx): number {
  const o = operand(np, v, ctx);
  if (o.arr.ndim !== 0) throw new InterpError('numpy: array-valued start/stop are not modelled', ctx.file, ctx.s, ctx.e);
  return o.arr.values()[0];
}

function arange(np: Np, a: Value[], kw: Map<string, Value>): Value {
  const args = a.length ? a : [kw.get('start') ?? 0, kw.get('stop') ?? null, kw.get('step') ?? 1].filter((x, i) => i !== 1 || x !== null);
  const [startV, stopV, stepV] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
  const ops = [startV, stopV, stepV].map((v) => operand(np, v, {}));
  const val = ops.map((o) => o.arr.values()[0]);
  const [start, stop, step] = val;
  if (step === 0) throw new PyException('ZeroDivisionError', 'division by zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize(n, 'np.arange');
  const dt = dtypeArg(np, kw.get('dtype')) ?? (ops.some((o) => kind(o.arr.dtype) === 'f') ? 'float64' : 'int64');
  // numpy fills from the first two values: start + i * ((start + step) - start)
  const delta = start + step - start;
  return wrap(np, NdArray.of([n], dt, Array.from({ length: n }, (_, i) => (i === 0 ? start : start + i * delta))), true);
}

function triangle(np: Np, x: NdArray, k: number, lower: boolean): Value {
  if (x.ndim < 2) throw new InterpError('numpy: tril/triu of a 1-d array is not modelled');
  const [r, c] = x.shape.slice(-2);
  const vals = x.values();
  const outv = vals.map((v, idx) => { const j = idx % c, i = Math.floor(idx / c) % r; return (lower ? j - i <= k : j - i >= k) ? v : 0; });
  return wrap(np, NdArray.of([...x.shape], x.dtype, outv), true);
}

// ---------------------------------------------------------------- joining
function joining(np: Np): Record<string, Value> {
  const out = (a: NdArray): Value => wrap(np, a, true);
  const list = (v: Value, ctx: CallCtx): NdArray[] => np.it.iterate(v, ctx).map((x) => toArray(np, x, null, ctx));
  const concat = (xs: NdArray[], axis: number): NdArray => {
    if (!xs.length) throw new PyException('ValueError', 'need at least one array to concatenate');
    const nd = xs[0].ndim;
    if (nd === 0) throw new PyException('ValueError', 'zero-dimensional arrays cannot be concatenated');
    const ax = axis < 0 ? axis + nd : axis;
    for (const x of xs) {
      if (x.ndim !== nd) throw new PyException('ValueError', `all the input array dimensions except for the concatenation axis must match exactly, but along dimension 0, the array at index 0 has ${xs[0].ndim} dimension(s) and the array at index ${xs.indexOf(x)} has ${x.ndim} dimension(s)`);
      x.shape.forEach((s, d) => { if (d !== ax && s !== xs[0].shape[d]) throw new PyException('ValueError', `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${xs[0].shape[d]} and the array at index ${xs.indexOf(x)} has size ${s}`); });
    }
    const shape = [...xs[0].shape];
    shape[ax] = xs.reduce((p, x) => p + x.shape[ax], 0);
    const dt = commonDtype(xs.map((x) => x.dtype));
    const res = NdArray.of(shape, dt);
    let at = 0;
    for (const x of xs) {
      const strides = contiguousStrides(shape);
      res.view([...x.shape], strides, at * strides[ax]).assign(x);
      at += x.shape[ax];
    }
    return res;
  };
  const stack = (xs: NdArray[], axis: number): NdArray => {
    if (!xs.length) throw new PyException('ValueError', 'need at least one array to stack');
    if (xs.some((x) => x.shape.join() !== xs[0].shape.join())) throw new PyException('ValueError', 'all input arrays must have the same shape');
    const ax = axis < 0 ? axis + xs[0].ndim + 1 : axis;
    return concat(xs.map((x) => { const s = [...x.shape]; s.splice(ax, 0, 1); return x.reshape(s); }), ax);
  };
  return {
    concatenate: fn('numpy.concatenate', (a, kw, ctx) => out(concat(list(a[0], ctx), intArg(a[1] ?? kw.get('axis') ?? 0, 'axis')))),
    stack: fn('numpy.stack', (a, kw, ctx) => out(stack(list(a[0], ctx), intArg(a[1] ?? kw.get('axis') ?? 0, 'axis')))),
    vstack: fn('numpy.vstack', (a, _k, ctx) => out(concat(list(a[0], ctx).map((x) => (x.ndim === 1 ? x.reshape([1, x.size]) : x)), 0))),
    hstack: fn('numpy.hstack', (a, _k, ctx) => { const xs = list(a[0], ctx); return out(concat(xs, xs[0]?.ndim === 1 ? 0 : 1)); }),
    tile: fn('numpy.tile', (a, _k, ctx) => {
      const x = toArray(np, a[0], null, ctx);
      const reps = a[1] instanceof PyTuple || a[1] instanceof PyList ? shapeArg(a[1]) : [intArg(a[1], 'reps')];
      let r = x.reshape([...Array(Math.max(0, reps.length - x.ndim)).fill(1), ...x.shape]);
      const full = [...Array(r.ndim - reps.length).fill(1), ...reps];
      full.forEach((k, d) => { if (k !== 1) r = concat(Array(k).fill(r), d); });
      return out(r);
    }),
    repeat: fn('numpy.repeat', (a, kw, ctx) => {
      const x = toArray(np, a[0], null, ctx);
      const k = intArg(a[1] ?? kw.get('repeats')!, 'repeats');
      const axis = a[2] ?? kw.get('axis') ?? null;
      if (axis !== null) throw new InterpError('numpy: repeat along an axis is not modelled', ctx.file, ctx.s, ctx.e);
      return out(NdArray.of([x.size * k], x.dtype, [...x.values()].flatMap((v) => Array(k).fill(v))));
    }),
    where: fn('numpy.where', (a, _k, ctx) => {
      if (a.length !== 3) throw new InterpError('numpy: where(cond) without x and y (indices) is not modelled', ctx.file, ctx.s, ctx.e);
      const c = toArray(np, a[0], null, ctx), x = operand(np, a[1], ctx), y = operand(np, a[2], ctx);
      const picked = arithmetic('+', x, y); // only for the result dtype and shape rules
      const shape = [c, x.arr, y.arr, picked].reduce((s, arr) => broadcastPair(s, arr.shape), [] as number[]);
      const cv = c.broadcastTo(shape).values(), xv = x.arr.broadcastTo(shape).values(), yv = y.arr.broadcastTo(shape).values();
      return out(NdArray.of(shape, picked.dtype, Array.from(cv, (t, i) => (t ? xv[i] : yv[i]))));
    }),
  };
}

function broadcastPair(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => { const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1; return x === 1 ? y : x; });
}

// ---------------------------------------------------------------- ufuncs and reductions as functions
function ufuncs(np: Np): Record<string, Value> {
  const res: Record<string, Value> = {};
  const out = (a: NdArray, in0: NdArray | undefined): Value => wrap(np, a, (in0?.ndim ?? 0) > 0 || a.ndim > 0);
  for (const name of Object.keys(FLOAT_UFUNCS)) res[name] = fn(`numpy.${name}`, (a, _k, ctx) => { const o = operand(np, a[0], ctx); return out(floatUfunc(name, o.arr), arrayOf(a[0])); });
  for (const name of Object.keys(SAME_UFUNCS)) res[name] = fn(`numpy.${name}`, (a, _k, ctx) => { const o = operand(np, a[0], ctx); return out(sameUfunc(name, o.arr), arrayOf(a[0])); });
  const bin: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', floor_divide: '//', power: '**', mod: '%', remainder: '%', matmul: '@', dot: '@', bitwise_and: '&', bitwise_or: '|', bitwise_xor: '^' };
  for (const [name, op] of Object.entries(bin)) res[name] = fn(`numpy.${name}`, (a, _k, ctx) => { const r = arithmetic(op, operand(np, a[0], ctx), operand(np, a[1], ctx)); return wrap(np, r, r.ndim > 0); });
  const cmp: Record<string, string> = { equal: '==', not_equal: '!=', less: '<', less_equal: '<=', greater: '>', greater_equal: '>=' };
  for (const [name, op] of Object.entries(cmp)) res[name] = fn(`numpy.${name}`, (a, _k, ctx) => { const r = comparison(op, operand(np, a[0], ctx).arr, operand(np, a[1], ctx).arr); return wrap(np, r, r.ndim > 0); });
  const pickArr = (x: Operand, y: Operand, f: (p: number, q: number) => number): NdArray => {
    const t = arithmetic('+', x, y); // numpy's result dtype and broadcast shape for the pair
    const xv = x.arr.broadcastTo(t.shape).values(), yv = y.arr.broadcastTo(t.shape).values();
    return NdArray.of([...t.shape], t.dtype, Array.from(xv, (p, i) => f(p, yv[i])));
  };
  const max = (p: number, q: number): number => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.max(p, q));
  const min = (p: number, q: number): number => (Number.isNaN(p) || Number.isNaN(q) ? NaN : Math.min(p, q));
  const pick = (name: string, f: (p: number, q: number) => number) => fn(`numpy.${name}`, (a, _k, ctx) => { const r = pickArr(operand(np, a[0], ctx), operand(np, a[1], ctx), f); return wrap(np, r, r.ndim > 0); });
  res.maximum = pick('maximum', max);
  res.minimum = pick('minimum', min);
  res.arctan2 = fn('numpy.arctan2', (a, _k, ctx) => { const x = operand(np, a[0], ctx), y = operand(np, a[1], ctx); const t = arithmetic('/', x, y); const xv = x.arr.broadcastTo(t.shape).values(), yv = y.arr.broadcastTo(t.shape).values(); return wrap(np, NdArray.of([...t.shape], t.dtype, Array.from(xv, (p, i) => Math.atan2(p, yv[i]))), t.ndim > 0); });
  res.round = res.around = fn('numpy.round', (a, kw, ctx) => { const x = operand(np, a[0], ctx).arr; return wrap(np, roundArray(x, intArg(a[1] ?? kw.get('decimals') ?? 0, 'decimals')), x.ndim > 0); });
  res.clip = fn('numpy.clip', (a, kw, ctx) => {
    let r = operand(np, a[0], ctx);
    const lo = a[1] ?? kw.get('a_min') ?? null, hi = a[2] ?? kw.get('a_max') ?? null;
    if (lo !== null) r = { arr: pickArr(r, operand(np, lo, ctx), max) };
    if (hi !== null) r = { arr: pickArr(r, operand(np, hi, ctx), min) };
    return wrap(np, r.arr, r.arr.ndim > 0);
  });
  res.outer = fn('numpy.outer', (a, _k, ctx) => {
    const x = toArray(np, a[0], null, ctx).reshape([-1]), y = toArray(np, a[1], null, ctx).reshape([-1]);
    return wrap(np, arithmetic('*', { arr: x.reshape([x.size, 1]) }, { arr: y.reshape([1, y.size]) }), true);
  });
  res.isnan = fn('numpy.isnan', (a, _k, ctx) => { const x = operand(np, a[0], ctx).arr; return wrap(np, NdArray.of([...x.shape], 'bool', Array.from(x.values(), (v) => (Number.isNaN(v) ? 1 : 0))), x.ndim > 0); });
  res.isinf = fn('numpy.isinf', (a, _k, ctx) => { const x = operand(np, a[0], ctx).arr; return wrap(np, NdArray.of([...x.shape], 'bool', Array.from(x.values(), (v) => (v === Infinity || v === -Infinity ? 1 : 0))), x.ndim > 0); });
  res.logical_not = fn('numpy.logical_not', (a, _k, ctx) => { const x = operand(np, a[0], ctx).arr; return wrap(np, NdArray.of([...x.shape], 'bool', Array.from(x.values(), (v) => (v ? 0 : 1))), x.ndim > 0); });
  return res;
}

function reductions(np: Np): Record<string, Value> {
  const res: Record<string, Value> = {};
  for (const name of ['sum', 'mean', 'prod', 'max', 'min', 'amax', 'amin', 'std', 'var', 'argmax', 'argmin', 'all', 'any', 'cumsum']) {
    const method = name === 'amax' ? 'max' : name === 'amin' ? 'min' : name;
    res[name] = fn(`numpy.${name}`, (a, kw, ctx) => {
      const x = wrap(np, toArray(np, a[0], null, ctx), true);
      return np.it.call(np.it.getAttr(x, method, ctx), a.slice(1), kw, ctx);
    });
  }
  res.cumprod = fn('numpy.cumprod', (a, _k, ctx) => { const x = toArray(np, a[0], null, ctx); let p = 1; return wrap(np, NdArray.of([x.size], x.dtype === 'bool' ? 'int64' : x.dtype, Array.from(x.values(), (v) => (p *= v))), true); });
  res.take = fn('numpy.take', (a, _k, ctx) => wrap(np, getIndex(toArray(np, a[0], null, ctx).reshape([-1]), [{ k: 'arr', a: toArray(np, a[1], null, ctx) }]), true));
  return res;
}
