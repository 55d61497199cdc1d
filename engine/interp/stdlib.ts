// The parts of Python's standard library that model files use: math, typing, collections, functools,
// enum, dataclasses, copy, inspect, itertools, operator, warnings, abc, numbers, sys, os.
// Everything is interpreted natively; nothing touches the real file system or environment.
import type { Interp } from './interp';
import { Scope } from './scope';
import {
  Builtin, ClassMethod, InterpError, Partial, PyClass, PyDict, PyException, PyFloat, PyFunction, PyInstance,
  PyIterator, PyList, PyModule, PyRange, PySet, PyTuple, StaticMethod, Unknown, BoundMethod, Property,
  type NativeFn, type Value,
} from './values';
import { hashKey, isNum, numVal, pyEquals, pyStr } from './ops';
import { kwOr } from './builtins';

export function nativeModule(it: Interp, name: string, members: Record<string, Value>): PyModule {
  const scope = new Scope('module', it.builtins, null);
  for (const [k, v] of Object.entries(members)) scope.vars.set(k, v);
  scope.vars.set('__name__', name);
  return new PyModule(name, `<${name}>`, scope);
}

export const fn = (name: string, f: NativeFn): Builtin => new Builtin(name, f);
const F = (v: Value): number => {
  if (v instanceof Unknown) throw new InterpError(`math on an unknown value (${v.reason})`);
  if (!isNum(v)) throw new PyException('TypeError', 'must be real number');
  return numVal(v);
};
const flt = (x: number): PyFloat => new PyFloat(x);

/** A class used only as a typing marker: subscriptable, and isinstance() answers with `check`. */
function marker(it: Interp, name: string, check?: (v: Value) => boolean): PyClass {
  const c = new PyClass(name, [it.types.get('object')!], 'typing');
  if (check) c.dict.set('__instancecheck_native__', new Builtin('instancecheck', (a) => check(a[0])));
  return c;
}

export function installStdlib(it: Interp): void {
  const reg = (name: string, make: () => Record<string, Value>): void => { it.nativeModules.set(name, () => nativeModule(it, name, make())); };
  const isSeq = (v: Value): boolean => v instanceof PyList || v instanceof PyTuple || typeof v === 'string' || v instanceof PyRange;
  const isMap = (v: Value): boolean => v instanceof PyDict;

  reg('math', () => ({
    pi: flt(Math.PI), e: flt(Math.E), inf: flt(Infinity), nan: flt(NaN), tau: flt(2 * Math.PI),
    sqrt: fn('sqrt', (a) => flt(Math.sqrt(F(a[0])))),
    ceil: fn('ceil', (a) => (a[0] instanceof Unknown ? a[0] : Math.ceil(F(a[0])))),
    floor: fn('floor', (a) => (a[0] instanceof Unknown ? a[0] : Math.floor(F(a[0])))),
    trunc: fn('trunc', (a) => Math.trunc(F(a[0]))),
    log: fn('log', (a) => flt(a.length > 1 ? Math.log(F(a[0])) / Math.log(F(a[1])) : Math.log(F(a[0])))),
    log2: fn('log2', (a) => flt(Math.log2(F(a[0])))),
    log10: fn('log10', (a) => flt(Math.log10(F(a[0])))),
    exp: fn('exp', (a) => flt(Math.exp(F(a[0])))),
    pow: fn('pow', (a) => flt(F(a[0]) ** F(a[1]))),
    fabs: fn('fabs', (a) => flt(Math.abs(F(a[0])))),
    sin: fn('sin', (a) => flt(Math.sin(F(a[0])))), cos: fn('cos', (a) => flt(Math.cos(F(a[0])))),
    tan: fn('tan', (a) => flt(Math.tan(F(a[0])))), atan: fn('atan', (a) => flt(Math.atan(F(a[0])))),
    tanh: fn('tanh', (a) => flt(Math.tanh(F(a[0])))),
    erf: fn('erf', (a) => flt(erf(F(a[0])))),
    isclose: fn('isclose', (a, kw) => { const x = F(a[0]), y = F(a[1]); const rt = F(kwOr(kw, 'rel_tol', flt(1e-9))), at = F(kwOr(kw, 'abs_tol', flt(0))); return Math.abs(x - y) <= Math.max(rt * Math.max(Math.abs(x), Math.abs(y)), at); }),
    isfinite: fn('isfinite', (a) => Number.isFinite(F(a[0]))),
    isnan: fn('isnan', (a) => Number.isNaN(F(a[0]))),
    isinf: fn('isinf', (a) => !Number.isFinite(F(a[0])) && !Number.isNaN(F(a[0]))),
    gcd: fn('gcd', (a) => a.map(F).reduce((x, y) => { x = Math.abs(x); y = Math.abs(y); while (y) [x, y] = [y, x % y]; return x; }, 0)),
    prod: fn('prod', (a, kw, ctx) => it.iterate(a[0], ctx).reduce<Value>((acc, v) => it.binop('*', acc, v, ctx), kwOr(kw, 'start', 1))),
    factorial: fn('factorial', (a) => { let r = 1; for (let i = 2; i <= F(a[0]); i++) r *= i; return r; }),
    comb: fn('comb', (a) => { const n = F(a[0]), k = F(a[1]); let r = 1; for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i; return Math.round(r); }),
    radians: fn('radians', (a) => flt((F(a[0]) * Math.PI) / 180)),
  }));

  reg('typing', () => {
    const m: Record<string, Value> = {};
    for (const n of ['Optional', 'List', 'Dict', 'Tuple', 'Any', 'Union', 'Type', 'Set', 'FrozenSet', 'Literal', 'ClassVar', 'Final', 'Generic', 'Protocol', 'Iterator', 'Generator', 'DefaultDict', 'Deque', 'Awaitable', 'Text', 'NoReturn', 'Counter']) m[n] = marker(it, n);
    m.Sequence = marker(it, 'Sequence', isSeq);
    m.Iterable = marker(it, 'Iterable', (v) => isSeq(v) || isMap(v) || v instanceof PySet);
    m.Mapping = marker(it, 'Mapping', isMap);
    m.MutableMapping = marker(it, 'MutableMapping', isMap);
    m.Callable = marker(it, 'Callable', (v) => v instanceof PyFunction || v instanceof Builtin || v instanceof PyClass || v instanceof Partial || v instanceof BoundMethod);
    m.TypeVar = fn('TypeVar', (a) => new Unknown(`TypeVar ${pyStr(a[0])}`));
    m.NewType = fn('NewType', (a) => a[1]);
    m.cast = fn('cast', (a) => a[1]);
    m.overload = fn('overload', (a) => a[0]);
    m.no_type_check = fn('no_type_check', (a) => a[0]);
    m.final = fn('final', (a) => a[0]);
    m.get_type_hints = fn('get_type_hints', () => new PyDict());
    m.TYPE_CHECKING = false;
    m.NamedTuple = namedTupleBase(it);
    m.OrderedDict = orderedDictClass(it);
    // any other typing name is only ever used in annotations and generics
    m.__getattr__ = fn('typing.__getattr__', (a) => marker(it, String(a[0])));
    return m;
  });
  it.nativeModules.set('typing_extensions', it.nativeModules.get('typing')!);

  reg('collections', () => ({
    OrderedDict: orderedDictClass(it),
    namedtuple: fn('namedtuple', (a, kw) => {
      const fields = typeof a[1] === 'string' ? a[1].replace(/,/g, ' ').split(/\s+/).filter(Boolean) : it.iterate(a[1], {}).map(String);
      const defaults = kw.get('defaults');
      return makeNamedTuple(it, String(a[0]), fields, defaults ? it.iterate(defaults, {}) : []);
    }),
    defaultdict: fn('defaultdict', (a) => { const d = new PyDict(); d.factory = a[0] ?? null; if (a[1] instanceof PyDict) for (const [k, e] of a[1].map) d.map.set(k, e); return d; }),
    Counter: fn('Counter', (a, _k, ctx) => { const d = new PyDict(); if (a.length) for (const v of it.iterate(a[0], ctx)) { const k = hashKey(v); d.map.set(k, { k: v, v: ((d.map.get(k)?.v as number) ?? 0) + 1 }); } return d; }),
    deque: fn('deque', (a, _k, ctx) => new PyList(a.length ? it.iterate(a[0], ctx) : [])),
    abc: new Unknown('collections.abc'),
  }));
  reg('collections.abc', () => ({
    Sequence: marker(it, 'Sequence', isSeq), Mapping: marker(it, 'Mapping', isMap), MutableMapping: marker(it, 'MutableMapping', isMap),
    Iterable: marker(it, 'Iterable', (v) => isSeq(v) || isMap(v) || v instanceof PySet), Callable: marker(it, 'Callable'),
    Iterator: marker(it, 'Iterator'),
  }));

  reg('functools', () => {
    const partial = fn('partial', (a, kw) => new Partial(a[0], a.slice(1), kw));
    const wraps = fn('wraps', (a) => fn('wraps_decorator', (b) => {
      const w = b[0];
      if (w instanceof PyFunction) {
        w.attrs.set('__wrapped__', a[0]);
        const n = it.getAttrOpt(a[0], '__name__', {});
        if (typeof n === 'string') w.attrs.set('__name__', n);
      }
      return w;
    }));
    const cacheDeco = fn('lru_cache', (a) => (a[0] instanceof PyFunction ? a[0] : fn('lru_cache_decorator', (b) => b[0])));
    return {
      partial, wraps, lru_cache: cacheDeco, cache: cacheDeco,
      reduce: fn('reduce', (a, _k, ctx) => {
        const items = it.iterate(a[1], ctx);
        let acc = a.length > 2 ? a[2] : items.shift()!;
        for (const v of items) acc = it.call(a[0], [acc, v], new Map(), ctx);
        return acc;
      }),
      update_wrapper: fn('update_wrapper', (a) => a[0]),
      cached_property: fn('cached_property', (a) => new Property(a[0])),
    };
  });

  reg('enum', () => {
    const enumCls = new PyClass('Enum', [it.types.get('object')!], 'enum');
    let autoCounter = 0;
    enumCls.dict.set('__init_subclass_native__', new Builtin('Enum.init_subclass', (a) => makeEnum(it, a[0] as PyClass, () => ++autoCounter)));
    const intEnum = new PyClass('IntEnum', [it.types.get('int')!, enumCls], 'enum');
    const enumMeta = new PyClass('EnumMeta', [it.types.get('type')!], 'enum');
    return {
      Enum: enumCls, IntEnum: intEnum, Flag: enumCls, IntFlag: intEnum, EnumMeta: enumMeta, EnumType: enumMeta,
      auto: fn('auto', () => { autoCounter++; return new Unknown(`auto:${autoCounter}`); }),
      unique: fn('unique', (a) => a[0]),
    };
  });

  reg('dataclasses', () => {
    const fieldFn = fn('field', (_a, kw) => {
      const d = new PyDict();
      for (const [k, v] of kw) d.map.set(hashKey(k), { k, v });
      const inst = new PyInstance(fieldClass);
      inst.dict.set('__field_spec__', d);
      return inst;
    });
    const fieldClass = new PyClass('Field', [it.types.get('object')!], 'dataclasses');
    const dataclass = fn('dataclass', (a, kw) => {
      if (a[0] instanceof PyClass) return makeDataclass(it, a[0], fieldClass);
      void kw;
      return fn('dataclass_decorator', (b) => makeDataclass(it, b[0] as PyClass, fieldClass));
    });
    return {
      dataclass, field: fieldFn,
      fields: fn('fields', (a) => {
        const cls = a[0] instanceof PyClass ? a[0] : a[0] instanceof PyInstance ? a[0].cls : null;
        const names = cls ? dataclassFields(cls) : [];
        return new PyTuple(names.map((n) => { const f = new PyInstance(fieldClass); f.dict.set('name', n); return f; }));
      }),
      asdict: fn('asdict', (a) => { const d = new PyDict(); if (a[0] instanceof PyInstance) for (const n of dataclassFields(a[0].cls)) d.map.set(hashKey(n), { k: n, v: a[0].dict.get(n) ?? null }); return d; }),
      replace: fn('replace', (a, kw) => { const src = a[0] as PyInstance; const c = new PyInstance(src.cls); for (const [k, v] of src.dict) c.dict.set(k, v); for (const [k, v] of kw) c.dict.set(k, v); return c; }),
      is_dataclass: fn('is_dataclass', (a) => (a[0] instanceof PyInstance ? a[0].cls : a[0] instanceof PyClass ? a[0] : null)?.lookup('__dataclass_fields_native__') !== undefined),
      MISSING: new Unknown('dataclasses.MISSING'),
    };
  });

  reg('copy', () => ({
    copy: fn('copy', (a) => shallowCopy(a[0])),
    deepcopy: fn('deepcopy', (a) => deepCopy(it, a[0], new Map())),
  }));

  reg('inspect', () => {
    const paramCls = new PyClass('Parameter', [it.types.get('object')!], 'inspect');
    const kinds: Record<string, number> = { POSITIONAL_ONLY: 0, POSITIONAL_OR_KEYWORD: 1, VAR_POSITIONAL: 2, KEYWORD_ONLY: 3, VAR_KEYWORD: 4 };
    for (const [k, v] of Object.entries(kinds)) paramCls.dict.set(k, v);
    const empty = new PyClass('empty', [it.types.get('object')!], 'inspect');
    paramCls.dict.set('empty', empty);
    const signature = fn('signature', (a) => {
      let f: Value = a[0];
      for (let i = 0; i < 20 && f instanceof PyFunction && f.attrs.get('__wrapped__') !== undefined; i++) f = f.attrs.get('__wrapped__')!;
      if (f instanceof PyClass) f = f.lookup('__init__') ?? null;
      const params = new PyDict();
      if (f instanceof PyFunction) {
        for (const p of f.code.params) {
          const inst = new PyInstance(paramCls);
          inst.dict.set('name', p.name);
          inst.dict.set('kind', p.kind === 'pos' ? 1 : p.kind === 'varargs' ? 2 : p.kind === 'kwonly' ? 3 : 4);
          inst.dict.set('default', f.defaults.get(p.name) ?? empty);
          inst.dict.set('annotation', empty);
          params.map.set(hashKey(p.name), { k: p.name, v: inst });
        }
      } else return new Unknown('signature of a built-in');
      const sig = new PyInstance(new PyClass('Signature', [it.types.get('object')!], 'inspect'));
      sig.dict.set('parameters', params);
      return sig;
    });
    return {
      signature, Parameter: paramCls,
      isclass: fn('isclass', (a) => a[0] instanceof PyClass),
      isfunction: fn('isfunction', (a) => a[0] instanceof PyFunction),
      getmembers: fn('getmembers', () => new Unknown('inspect.getmembers')),
    };
  });

  reg('itertools', () => ({
    chain: Object.assign(fn('chain', (a, _k, ctx) => new PyIterator(a.flatMap((x) => it.iterate(x, ctx)))), {}),
    product: fn('product', (a, kw, ctx) => {
      const rep = numVal(kwOr(kw, 'repeat', 1) as number);
      let pools = a.map((x) => it.iterate(x, ctx));
      pools = Array.from({ length: rep }, () => pools).flat();
      let out: Value[][] = [[]];
      for (const p of pools) out = out.flatMap((prefix) => p.map((v) => [...prefix, v]));
      return new PyIterator(out.map((t) => new PyTuple(t)));
    }),
    repeat: fn('repeat', (a) => { if (a.length < 2) throw new InterpError('itertools.repeat without a count is endless'); return new PyIterator(Array.from({ length: numVal(a[1] as number) }, () => a[0])); }),
    accumulate: fn('accumulate', (a, kw, ctx) => {
      const items = it.iterate(a[0], ctx); const out: Value[] = [];
      let acc: Value | undefined = kw.get('initial');
      if (acc !== undefined) out.push(acc);
      for (const v of items) { acc = acc === undefined ? v : a[1] ? it.call(a[1], [acc, v], new Map(), ctx) : it.binop('+', acc, v, ctx); out.push(acc); }
      return new PyIterator(out);
    }),
    islice: fn('islice', (a, _k, ctx) => { const items = it.iterate(a[0], ctx); return new PyIterator(a.length === 2 ? items.slice(0, numVal(a[1] as number)) : items.slice(numVal(a[1] as number), a[2] === null ? undefined : numVal(a[2] as number))); }),
    zip_longest: fn('zip_longest', (a, kw, ctx) => {
      const lists = a.map((x) => it.iterate(x, ctx)); const n = Math.max(0, ...lists.map((l) => l.length)); const fill = kwOr(kw, 'fillvalue', null);
      return new PyIterator(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => (i < l.length ? l[i] : fill)))));
    }),
    combinations: fn('combinations', (a, _k, ctx) => {
      const items = it.iterate(a[0], ctx); const r = numVal(a[1] as number); const out: Value[] = [];
      const rec = (start: number, acc: Value[]): void => { if (acc.length === r) { out.push(new PyTuple(acc)); return; } for (let i = start; i < items.length; i++) rec(i + 1, [...acc, items[i]]); };
      rec(0, []);
      return new PyIterator(out);
    }),
  }));

  reg('operator', () => ({
    add: fn('add', (a, _k, ctx) => it.binop('+', a[0], a[1], ctx)),
    mul: fn('mul', (a, _k, ctx) => it.binop('*', a[0], a[1], ctx)),
    sub: fn('sub', (a, _k, ctx) => it.binop('-', a[0], a[1], ctx)),
    truediv: fn('truediv', (a, _k, ctx) => it.binop('/', a[0], a[1], ctx)),
    floordiv: fn('floordiv', (a, _k, ctx) => it.binop('//', a[0], a[1], ctx)),
    itemgetter: fn('itemgetter', (a) => fn('itemgetter_fn', (b, _k, ctx) => (a.length === 1 ? it.getItem(b[0], a[0], ctx) : new PyTuple(a.map((i) => it.getItem(b[0], i, ctx)))))),
    attrgetter: fn('attrgetter', (a) => fn('attrgetter_fn', (b, _k, ctx) => String(a[0]).split('.').reduce<Value>((o, n) => it.getAttr(o, n, ctx), b[0]))),
    index: fn('index', (a) => a[0]),
  }));

  reg('warnings', () => {
    const cm = new PyClass('catch_warnings', [it.types.get('object')!], 'warnings');
    cm.dict.set('__init__', fn('init', () => null));
    cm.dict.set('__enter__', fn('enter', () => null));
    cm.dict.set('__exit__', fn('exit', () => false));
    return { warn: fn('warn', () => null), filterwarnings: fn('filterwarnings', () => null), simplefilter: fn('simplefilter', () => null), catch_warnings: cm };
  });

  reg('abc', () => {
    const abcCls = new PyClass('ABC', [it.types.get('object')!], 'abc');
    return { ABC: abcCls, ABCMeta: abcCls, abstractmethod: fn('abstractmethod', (a) => a[0]), abstractproperty: fn('abstractproperty', (a) => new Property(a[0])) };
  });

  reg('numbers', () => ({
    Number: marker(it, 'Number', (v) => isNum(v)),
    Real: marker(it, 'Real', (v) => isNum(v)),
    Integral: marker(it, 'Integral', (v) => typeof v === 'number' || typeof v === 'boolean'),
  }));

  // the few numpy calls model constructors make (stochastic-depth schedules, widths); the rest is unknown
  reg('numpy', () => {
    const seq = (xs: number[]): PyList => new PyList(xs.map((x) => flt(x)));
    const arr = (xs: number[]): PyInstance => {
      const o = new PyInstance(ndarray);
      o.dict.set('tolist', fn('tolist', () => seq(xs)));
      o.dict.set('shape', new PyTuple([xs.length]));
      o.native = xs;
      return o;
    };
    const ndarray = new PyClass('ndarray', [it.types.get('object')!], 'numpy');
    ndarray.dict.set('__len__', fn('len', (a) => ((a[0] as PyInstance).native as number[]).length));
    ndarray.dict.set('__iter__', fn('iter', (a) => seq((a[0] as PyInstance).native as number[])));
    ndarray.dict.set('__getitem__', fn('getitem', (a, _k, ctx) => it.getItem(seq((a[0] as PyInstance).native as number[]), a[1], ctx)));
    return {
      pi: flt(Math.PI), e: flt(Math.E), inf: flt(Infinity), ndarray,
      linspace: fn('linspace', (a, kw) => {
        const lo = F(a[0]), hi = F(a[1]), n = numVal((a[2] ?? kwOr(kw, 'num', 50)) as number);
        const endpoint = kwOr(kw, 'endpoint', true) !== false;
        const div = endpoint ? n - 1 : n;
        const step = div > 0 ? (hi - lo) / div : 0;
        return arr(Array.from({ length: n }, (_, i) => (endpoint && i === n - 1 && n > 1 ? hi : lo + i * step)));
      }),
      arange: fn('arange', (a) => { const [lo, hi, st] = a.length === 1 ? [0, F(a[0]), 1] : [F(a[0]), F(a[1]), a[2] === undefined ? 1 : F(a[2])]; return arr(Array.from({ length: Math.max(0, Math.ceil((hi - lo) / st)) }, (_, i) => lo + i * st)); }),
      prod: fn('prod', (a, _k, ctx) => it.iterate(a[0], ctx).reduce<number>((p, q) => p * F(q), 1)),
      sqrt: fn('sqrt', (a) => flt(Math.sqrt(F(a[0])))), log: fn('log', (a) => flt(Math.log(F(a[0])))), exp: fn('exp', (a) => flt(Math.exp(F(a[0])))),
      ceil: fn('ceil', (a) => flt(Math.ceil(F(a[0])))), floor: fn('floor', (a) => flt(Math.floor(F(a[0])))),
      __getattr__: fn('numpy.__getattr__', (a) => new Unknown(`numpy.${pyStr(a[0])} is not modelled`)),
    };
  });
  reg('types', () => ({
    FunctionType: marker(it, 'FunctionType', (v) => v instanceof PyFunction),
    LambdaType: marker(it, 'LambdaType', (v) => v instanceof PyFunction),
    MethodType: marker(it, 'MethodType', (v) => v instanceof BoundMethod),
    BuiltinFunctionType: marker(it, 'BuiltinFunctionType', (v) => v instanceof Builtin),
    ModuleType: marker(it, 'ModuleType', (v) => v instanceof PyModule),
    SimpleNamespace: fn('SimpleNamespace', (_a, kw) => { const o = new PyInstance(it.types.get('object')!); for (const [k, v] of kw) o.dict.set(k, v); return o; }),
  }));
  reg('sys', () => ({ version_info: new PyTuple([3, 10, 0]), platform: 'linux', maxsize: 2 ** 53 - 1, modules: new PyDict(), argv: new PyList([]) }));
  reg('os', () => ({ environ: new Unknown('os.environ'), path: new Unknown('os.path'), sep: '/', getenv: fn('getenv', (a) => a[1] ?? null) }));
  for (const n of ['logging', 're', 'json', 'pathlib', 'time', 'random', 'contextlib', 'types', 'io', 'pickle', 'argparse', 'string', 'numpy', 'PIL', 'scipy', 'tqdm']) void n;
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for golden checks; use a series/continued-fraction pair.
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t, term = t;
    for (let n = 1; n < 60; n++) { term *= (-t * t) / n; sum += term / (2 * n + 1); }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
}

function shallowCopy(v: Value): Value {
  if (v instanceof PyList) return new PyList([...v.items]);
  if (v instanceof PyDict) { const d = new PyDict(); for (const [k, e] of v.map) d.map.set(k, e); return d; }
  if (v instanceof PySet) { const s = new PySet(); for (const [k, e] of v.map) s.map.set(k, e); return s; }
  if (v instanceof PyInstance && !v.mod) { const c = new PyInstance(v.cls); for (const [k, x] of v.dict) c.dict.set(k, x); c.native = v.native; return c; }
  return v;
}

export function deepCopy(it: Interp, v: Value, memo: Map<unknown, Value>): Value {
  if (v === null || typeof v !== 'object') return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  if (v instanceof PyList) { const l = new PyList([]); memo.set(v, l); l.items = v.items.map((x) => deepCopy(it, x, memo)); return l; }
  if (v instanceof PyTuple) { const t = new PyTuple(v.items.map((x) => deepCopy(it, x, memo))); t.cls = v.cls; return t; }
  if (v instanceof PyDict) { const d = new PyDict(); memo.set(v, d); for (const [k, e] of v.map) d.map.set(k, { k: e.k, v: deepCopy(it, e.v, memo) }); return d; }
  if (v instanceof PyInstance) {
    const c = new PyInstance(v.cls);
    memo.set(v, c);
    for (const [k, x] of v.dict) c.dict.set(k, deepCopy(it, x, memo));
    c.native = v.native;
    if (v.mod) c.mod = cloneModuleState(it, v, memo);
    return c;
  }
  if (it.ext.isTensor(v)) return cloneTensor(v, memo);
  return v;
}

/** Installed by the torch layer: deep copies of module state and tensors. */
export let cloneModuleState: (it: Interp, v: PyInstance, memo: Map<unknown, Value>) => PyInstance['mod'] = () => undefined;
export let cloneTensor: (v: Value, memo: Map<unknown, Value>) => Value = (v) => v;
export function setCloners(m: typeof cloneModuleState, t: typeof cloneTensor): void { cloneModuleState = m; cloneTensor = t; }

function orderedDictClass(it: Interp): PyClass {
  const c = new PyClass('OrderedDict', [it.types.get('dict')!], 'collections');
  c.dict.set('__new__', new Builtin('OrderedDict.__new__', (a, kw) => {
    const d = new PyDict();
    if (a.length > 1) {
      const src = a[1];
      if (src instanceof PyDict) for (const [k, e] of src.map) d.map.set(k, e);
      else for (const pair of it.iterate(src, {})) { const kv = it.iterate(pair, {}); d.map.set(hashKey(kv[0]), { k: kv[0], v: kv[1] }); }
    }
    for (const [k, v] of kw) d.map.set(hashKey(k), { k, v });
    return d;
  }));
  return c;
}

function makeNamedTuple(it: Interp, name: string, fields: string[], defaults: Value[]): PyClass {
  const c = new PyClass(name, [it.types.get('tuple')!], 'collections');
  c.dict.set('_fields', new PyTuple(fields));
  const firstDefault = fields.length - defaults.length;
  c.dict.set('__new__', new Builtin(`${name}.__new__`, (a, kw) => {
    const vals = a.slice(1);
    const items = fields.map((f, i) => {
      if (i < vals.length) return vals[i];
      const k = kw.get(f);
      if (k !== undefined) return k;
      if (i >= firstDefault) return defaults[i - firstDefault];
      throw new PyException('TypeError', `${name}() missing required argument: '${f}'`);
    });
    const t = new PyTuple(items);
    t.cls = c;
    return t;
  }));
  return c;
}

function namedTupleBase(it: Interp): PyClass {
  const base = new PyClass('NamedTuple', [it.types.get('tuple')!], 'typing');
  base.dict.set('__init_subclass_native__', new Builtin('NamedTuple.init_subclass', (a) => {
    const cls = a[0] as PyClass;
    const ann = cls.dict.get('__annotation_names__');
    const names = ann instanceof PyList ? (ann.items as string[]) : [];
    const defaults: Value[] = [];
    for (const n of names) { const d = cls.dict.get(n); if (d !== undefined) defaults.push(d); }
    const nt = makeNamedTuple(it, cls.name, names, defaults);
    for (const [k, v] of cls.dict) if (!names.includes(k) && !nt.dict.has(k)) nt.dict.set(k, v);
    return nt;
  }));
  return base;
}

function makeEnum(it: Interp, cls: PyClass, nextAuto: () => number): PyClass {
  if (cls.name === 'Enum' || cls.name === 'IntEnum') return cls;
  const members: PyInstance[] = [];
  for (const [k, v] of [...cls.dict]) {
    if (k.startsWith('_') || v instanceof PyFunction || v instanceof StaticMethod || v instanceof ClassMethod || v instanceof Property || v instanceof Builtin) continue;
    const m = new PyInstance(cls);
    const value = v instanceof Unknown && v.reason.startsWith('auto:') ? Number(v.reason.slice(5)) : v;
    m.dict.set('name', k); m.dict.set('_name_', k);
    m.dict.set('value', value); m.dict.set('_value_', value);
    cls.dict.set(k, m);
    members.push(m);
  }
  void nextAuto;
  cls.dict.set('__enum_members__', new PyList(members));
  cls.dict.set('__new__', new Builtin(`${cls.name}.__new__`, (a) => {
    const v = a[1];
    if (v instanceof PyInstance && v.cls === cls) return v;
    const m = members.find((x) => pyEquals(x.dict.get('value')!, v));
    if (!m) throw new PyException('ValueError', `${pyStr(v)} is not a valid ${cls.name}`);
    return m;
  }));
  cls.dict.set('__class_iter_native__', new Builtin('enum.iter', () => new PyList(members)));
  cls.dict.set('__class_getitem__', new Builtin('enum.getitem', (a) => {
    const m = members.find((x) => x.dict.get('name') === a[1]);
    if (!m) throw new PyException('KeyError', pyStr(a[1]));
    return m;
  }));
  cls.dict.set('__members__', (() => { const d = new PyDict(); for (const m of members) d.map.set(hashKey(m.dict.get('name')!), { k: m.dict.get('name')!, v: m }); return d; })());
  cls.dict.set('__len__', new Builtin('enum.len', () => members.length));
  // members of a str-mixin enum compare and format as their value
  if (cls.mro.some((c) => c.name === 'str')) cls.dict.set('__str__', new Builtin('enum.str', (a) => (a[0] as PyInstance).dict.get('value')!));
  void it;
  return cls;
}

export function dataclassFields(cls: PyClass): string[] {
  const out: string[] = [];
  for (const c of [...cls.mro].reverse()) {
    const f = c.dict.get('__dataclass_fields_native__');
    if (f instanceof PyList) for (const n of f.items as string[]) if (!out.includes(n)) out.push(n);
  }
  return out;
}

function makeDataclass(it: Interp, cls: PyClass, fieldClass: PyClass): PyClass {
  const ann = cls.dict.get('__annotation_names__');
  const own = ann instanceof PyList ? (ann.items as string[]) : [];
  cls.dict.set('__dataclass_fields_native__', new PyList([...own]));
  const names = dataclassFields(cls);
  const defaultOf = (n: string): Value | undefined => {
    for (const c of cls.mro) {
      if (!c.dict.has(n)) continue;
      const v = c.dict.get(n)!;
      if (v instanceof PyInstance && v.cls === fieldClass) {
        const spec = v.dict.get('__field_spec__') as PyDict;
        const d = spec.map.get(hashKey('default'));
        if (d) return d.v;
        const fac = spec.map.get(hashKey('default_factory'));
        if (fac) return fac.v;
        return undefined;
      }
      return v;
    }
    return undefined;
  };
  if (!cls.dict.has('__init__')) {
    cls.dict.set('__init__', new Builtin(`${cls.name}.__init__`, (a, kw, ctx) => {
      const self = a[0] as PyInstance;
      names.forEach((n, i) => {
        let v: Value | undefined = i + 1 < a.length ? a[i + 1] : kw.get(n);
        if (v === undefined) {
          const d = defaultOf(n);
          if (d === undefined) throw new PyException('TypeError', `${cls.name}.__init__() missing required argument: '${n}'`);
          v = d instanceof PyClass || d instanceof PyFunction || d instanceof Builtin ? (isFactory(cls, n, fieldClass) ? it.call(d, [], new Map(), ctx) : d) : d;
        }
        self.dict.set(n, v);
      });
      const post = cls.lookup('__post_init__');
      if (post) it.call(post, [self], new Map(), ctx);
      return null;
    }));
  }
  if (!cls.dict.has('__eq__')) {
    cls.dict.set('__eq__', new Builtin(`${cls.name}.__eq__`, (a) => a[1] instanceof PyInstance && a[1].cls === (a[0] as PyInstance).cls && names.every((n) => pyEquals((a[0] as PyInstance).dict.get(n) ?? null, (a[1] as PyInstance).dict.get(n) ?? null))));
  }
  return cls;
}

function isFactory(cls: PyClass, n: string, fieldClass: PyClass): boolean {
  for (const c of cls.mro) {
    const v = c.dict.get(n);
    if (v instanceof PyInstance && v.cls === fieldClass) return (v.dict.get('__field_spec__') as PyDict).map.has(hashKey('default_factory'));
    if (v !== undefined) return false;
  }
  return false;
}

export { kwOr };
