// Python's built-in functions, built-in types (as classes usable with isinstance and subclassing),
// exceptions, and the methods of list/tuple/dict/set/str. Pure functions over interpreter values.
import type { Interp } from './interp';
import { identical } from './interp';
import {
  BoundMethod, Builtin, ClassMethod, InterpError, Partial, Property, PyClass, PyDict, PyEllipsis, PyException,
  PyFloat, PyFunction, PyInstance, PyIterator, PyList, PyRange, PySet, PySlice, PyTuple, StaticMethod, Super,
  Unknown, typeName, type CallCtx, type NativeFn, type Value,
} from './values';
import { formatSpec, hashKey, isIntLike, isNum, numVal, pyCompare, pyEquals, pyRepr, pyStr } from './ops';

export function kwOr(kw: Map<string, Value>, name: string, def: Value): Value {
  const v = kw.get(name);
  return v === undefined ? def : v;
}

export function toList(it: Interp, v: Value, ctx: CallCtx = {}): Value[] { return it.iterate(v, ctx); }

/** Python's round-half-to-even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function classOf(it: Interp, v: Value): PyClass | undefined {
  if (v instanceof PyInstance) return v.cls;
  if (v instanceof PyTuple && v.cls) return v.cls;
  if (it.ext.isTensor(v)) return it.types.get((v as { isParam?: boolean }).isParam ? 'Parameter' : 'Tensor');
  const t = v instanceof PyFunction || v instanceof Builtin || v instanceof Partial || v instanceof BoundMethod ? 'function' : typeName(v);
  return it.types.get(t);
}

export function isInstance(it: Interp, v: Value, cls: Value): boolean | Unknown {
  if (cls instanceof PyTuple) {
    for (const c of cls.items) { const r = isInstance(it, v, c); if (r === true) return true; if (r instanceof Unknown) return r; }
    return false;
  }
  if (v instanceof Unknown) return v;
  if (cls instanceof Unknown) return cls;
  if (!(cls instanceof PyClass)) return false;
  const hook = cls.dict.get('__instancecheck_native__');
  if (hook instanceof Builtin) return hook.fn([v], new Map(), {}) === true;
  const c = classOf(it, v);
  if (!c) return cls.name === 'object';
  if (c.isSubclassOf(cls)) return true;
  // bool is an int; int and float are numbers.Number-like
  if (cls.name === 'int' && typeof v === 'boolean') return true;
  return false;
}

export function installBuiltins(it: Interp): void {
  const B = it.builtins.vars;
  const def = (name: string, fn: NativeFn): Builtin => { const b = new Builtin(name, fn); B.set(name, b); return b; };
  const mkType = (name: string, bases: PyClass[] = [], newFn?: NativeFn): PyClass => {
    const c = new PyClass(name, bases, 'builtins');
    if (newFn) c.dict.set('__new__', new Builtin(`${name}.__new__`, newFn));
    it.types.set(name, c);
    B.set(name, c);
    return c;
  };
  const object = mkType('object');
  object.dict.set('__init__', new Builtin('object.__init__', () => null));
  object.dict.set('__getattribute__', new Builtin('object.__getattribute__', (a, _k, ctx) => it.getAttr(a[0], String(a[1]), ctx)));
  object.dict.set('__setattr__', new Builtin('object.__setattr__', (a, _k, ctx) => { if (a[0] instanceof PyInstance) a[0].dict.set(String(a[1]), a[2]); else it.setAttr(a[0], String(a[1]), a[2], ctx); return null; }));
  const type = mkType('type', [object], (a) => (a.length === 2 ? classOf(it, a[1]) ?? new Unknown('type of value') : new Unknown('type() with 3 arguments')));
  void type;
  const num = (v: Value, what: string): number => {
    if (isNum(v)) return numVal(v);
    throw new PyException('TypeError', `${what} argument must be a number, not '${typeName(v)}'`);
  };
  mkType('int', [object], (a, kw) => {
    const v = a[1] ?? 0;
    if (v instanceof Unknown) return v;
    if (typeof v === 'string') { const n = parseInt(v, numVal((a[2] ?? kw.get('base') ?? 10) as number)); if (Number.isNaN(n)) throw new PyException('ValueError', `invalid literal for int(): ${pyRepr(v)}`); return n; }
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('int', v, {});
    if (v instanceof PyInstance) { const f = v.cls.lookup('__int__') ?? v.cls.lookup('__index__'); if (f) return it.call(f, [v], new Map(), {}); }
    return Math.trunc(num(v, 'int()'));
  });
  mkType('float', [object], (a) => {
    const v = a[1] ?? 0;
    if (v instanceof Unknown) return v;
    if (typeof v === 'string') { const t = v.trim().toLowerCase(); return new PyFloat(t === 'inf' ? Infinity : t === '-inf' ? -Infinity : t === 'nan' ? NaN : Number(t)); }
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('float', v, {});
    return new PyFloat(num(v, 'float()'));
  });
  mkType('bool', [it.types.get('int')!], (a) => (a.length > 1 ? (a[1] instanceof Unknown ? a[1] : it.truthy(a[1], {})) : false));
  mkType('str', [object], (a) => (a.length > 1 ? str(it, a[1]) : ''));
  mkType('list', [object], (a) => new PyList(a.length > 1 ? it.iterate(a[1], {}) : []));
  mkType('tuple', [object], (a) => new PyTuple(a.length > 1 ? it.iterate(a[1], {}) : []));
  mkType('dict', [object], (a, kw) => {
    const d = new PyDict();
    if (a.length > 1) dictUpdate(it, d, a[1]);
    for (const [k, v] of kw) d.map.set(hashKey(k), { k, v });
    return d;
  });
  mkType('set', [object], (a) => { const s = new PySet(); if (a.length > 1) for (const v of it.iterate(a[1], {})) s.map.set(hashKey(v), v); return s; });
  mkType('frozenset', [object], (a) => { const s = new PySet(); if (a.length > 1) for (const v of it.iterate(a[1], {})) s.map.set(hashKey(v), v); return s; });
  mkType('range', [object], (a) => {
    const n = a.slice(1).map((x) => { if (x instanceof Unknown) throw new InterpError(`range() bound is unknown (${x.reason})`); return num(x, 'range()'); });
    if (n.length === 1) return new PyRange(0, n[0], 1);
    return new PyRange(n[0], n[1], n[2] ?? 1);
  });
  mkType('slice', [object], (a) => (a.length === 2 ? new PySlice(null, a[1], null) : new PySlice(a[1] ?? null, a[2] ?? null, a[3] ?? null)));
  mkType('function', [object]);
  mkType('NoneType', [object]);
  mkType('module', [object]);
  mkType('ellipsis', [object]);
  mkType('property', [object], (a, kw) => new Property(a[1] ?? kw.get('fget') ?? null, a[2] ?? kw.get('fset') ?? null));
  (it.types.get('property')!).dict.set('setter', new Builtin('property.setter', (a) => { const p = a[0] as Property; return new Property(p.fget, a[1]); }));
  mkType('staticmethod', [object], (a) => new StaticMethod(a[1]));
  mkType('classmethod', [object], (a) => new ClassMethod(a[1]));
  mkType('super', [object], (a) => {
    if (a.length >= 3 && a[1] instanceof PyClass) return new Super(a[1], a[2]);
    throw new InterpError('super() with these arguments is not supported');
  });

  // exceptions
  const base = mkType('BaseException', [object]);
  base.dict.set('__init__', new Builtin('BaseException.__init__', (a) => { (a[0] as PyInstance).dict.set('args', new PyTuple(a.slice(1))); return null; }));
  base.dict.set('__str__', new Builtin('BaseException.__str__', (a) => { const args = (a[0] as PyInstance).dict.get('args'); return args instanceof PyTuple && args.items.length ? pyStr(args.items[0]) : ''; }));
  const exc = mkType('Exception', [base]);
  const tree: Array<[string, string]> = [
    ['ValueError', 'Exception'], ['TypeError', 'Exception'], ['KeyError', 'LookupError'], ['IndexError', 'LookupError'],
    ['AttributeError', 'Exception'], ['RuntimeError', 'Exception'], ['NotImplementedError', 'RuntimeError'],
    ['AssertionError', 'Exception'], ['StopIteration', 'Exception'], ['ImportError', 'Exception'],
    ['ModuleNotFoundError', 'ImportError'], ['ZeroDivisionError', 'ArithmeticError'], ['NameError', 'Exception'],
    ['OSError', 'Exception'], ['UserWarning', 'Warning'], ['DeprecationWarning', 'Warning'], ['FutureWarning', 'Warning'],
    ['RecursionError', 'RuntimeError'], ['OverflowError', 'ArithmeticError'], ['FileNotFoundError', 'OSError'],
  ];
  mkType('LookupError', [exc]); mkType('ArithmeticError', [exc]); mkType('Warning', [exc]);
  for (const [n, p] of tree) mkType(n, [it.types.get(p)!]);

  B.set('None', null);
  B.set('Ellipsis', PyEllipsis.it);
  B.set('NotImplemented', new Unknown('NotImplemented'));
  B.set('__debug__', true);

  def('len', (a, _k, ctx) => it.len(a[0], ctx));
  def('isinstance', (a) => isInstance(it, a[0], a[1]));
  def('issubclass', (a) => {
    if (a[0] instanceof Unknown) return a[0];
    const cs = a[1] instanceof PyTuple ? a[1].items : [a[1]];
    return a[0] instanceof PyClass && cs.some((c) => c instanceof PyClass && (a[0] as PyClass).isSubclassOf(c));
  });
  def('getattr', (a, _k, ctx) => {
    if (typeof a[1] !== 'string') return a[1] instanceof Unknown ? a[1] : new Unknown('getattr with a non-string name');
    if (a.length > 2) {
      try { const v = it.getAttrOpt(a[0], a[1], ctx); return v === undefined ? a[2] : v; } catch (err) { if (err instanceof PyException && err.pyType === 'AttributeError') return a[2]; throw err; }
    }
    return it.getAttr(a[0], a[1], ctx);
  });
  def('setattr', (a, _k, ctx) => { if (typeof a[1] === 'string') it.setAttr(a[0], a[1], a[2], ctx); return null; });
  def('delattr', (a) => { if (a[0] instanceof PyInstance && typeof a[1] === 'string') { if (!(a[0].mod && it.ext.moduleDelAttr(a[0], a[1]))) a[0].dict.delete(a[1]); } return null; });
  def('hasattr', (a, _k, ctx) => {
    if (a[0] instanceof Unknown) return a[0];
    try { return it.getAttrOpt(a[0], String(a[1]), ctx) !== undefined; } catch (err) { if (err instanceof PyException && err.pyType === 'AttributeError') return false; throw err; }
  });
  def('enumerate', (a, kw, ctx) => { const start = numVal((a[1] ?? kw.get('start') ?? 0) as number); return new PyIterator(it.iterate(a[0], ctx).map((v, i) => new PyTuple([i + start, v]))); });
  def('zip', (a, kw, ctx) => {
    const lists = a.map((x) => it.iterate(x, ctx));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    if (kw.get('strict') === true && lists.some((l) => l.length !== n)) throw new PyException('ValueError', 'zip() arguments have different lengths');
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(new PyTuple(lists.map((l) => l[i])));
    return new PyIterator(out);
  });
  def('map', (a, _k, ctx) => {
    const lists = a.slice(1).map((x) => it.iterate(x, ctx));
    const n = Math.min(...lists.map((l) => l.length));
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(it.call(a[0], lists.map((l) => l[i]), new Map(), ctx));
    return new PyIterator(out);
  });
  def('filter', (a, _k, ctx) => new PyIterator(it.iterate(a[1], ctx).filter((v) => it.truthy(a[0] === null ? v : it.call(a[0], [v], new Map(), ctx), ctx))));
  def('reversed', (a, _k, ctx) => new PyIterator(it.iterate(a[0], ctx).reverse()));
  def('iter', (a, _k, ctx) => new PyIterator(it.iterate(a[0], ctx)));
  def('next', (a) => {
    const i = a[0];
    if (i instanceof PyIterator) {
      if (i.pos < i.items.length) return i.items[i.pos++];
      if (a.length > 1) return a[1];
      throw new PyException('StopIteration', '');
    }
    if (i instanceof PyInstance) { const f = i.cls.lookup('__next__'); if (f) return it.call(f, [i], new Map(), {}); }
    if (i instanceof Unknown) return i;
    throw new PyException('TypeError', `'${typeName(i)}' object is not an iterator`);
  });
  def('sorted', (a, kw, ctx) => new PyList(sortValues(it, it.iterate(a[0], ctx), kw, ctx)));
  const minmax = (sign: number) => (a: Value[], kw: Map<string, Value>, ctx: CallCtx): Value => {
    let items = a.length === 1 ? it.iterate(a[0], ctx) : a;
    if (!items.length) { const d = kw.get('default'); if (d !== undefined) return d; throw new PyException('ValueError', 'arg is an empty sequence'); }
    const key = kw.get('key');
    const u = items.find((x) => x instanceof Unknown);
    if (u) return u;
    if (items.some((x) => it.ext.isTensor(x))) return new Unknown('min/max of tensors');
    let best = items[0];
    let bestK = key && key !== null ? it.call(key, [best], new Map(), ctx) : best;
    for (const x of items.slice(1)) {
      const k = key && key !== null ? it.call(key, [x], new Map(), ctx) : x;
      if (pyCompare(k, bestK) * sign > 0) { best = x; bestK = k; }
    }
    items = [];
    return best;
  };
  def('min', minmax(-1));
  def('max', minmax(1));
  def('sum', (a, kw, ctx) => {
    let acc: Value = a[1] ?? kw.get('start') ?? 0;
    for (const v of it.iterate(a[0], ctx)) acc = it.binop('+', acc, v, ctx);
    return acc;
  });
  def('abs', (a, _k, ctx) => {
    const v = a[0];
    if (v instanceof Unknown) return v;
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('abs', v, ctx);
    if (typeof v === 'number' || typeof v === 'boolean') return Math.abs(numVal(v));
    return new PyFloat(Math.abs(num(v, 'abs()')));
  });
  def('round', (a, kw) => {
    const v = a[0];
    if (v instanceof Unknown) return v;
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('round', v, {});
    const nd = a[1] ?? kw.get('ndigits') ?? null;
    const x = num(v, 'round()');
    if (nd === null) return roundHalfEven(x);
    const d = numVal(nd as number);
    const f = 10 ** d;
    const r = roundHalfEven(x * f) / f;
    return typeof v === 'number' ? r : new PyFloat(r);
  });
  def('divmod', (a) => { const x = num(a[0], 'divmod'), y = num(a[1], 'divmod'); const q = Math.floor(x / y); const ints = isIntLike(a[0]) && isIntLike(a[1]); return new PyTuple(ints ? [q, x - q * y] : [new PyFloat(q), new PyFloat(x - q * y)]); });
  def('pow', (a, _k, ctx) => it.binop('**', a[0], a[1], ctx));
  def('any', (a, _k, ctx) => { let unk: Value | null = null; for (const v of it.iterate(a[0], ctx)) { if (v instanceof Unknown) { unk = v; continue; } if (it.truthy(v, ctx)) return true; } return unk ?? false; });
  def('all', (a, _k, ctx) => { let unk: Value | null = null; for (const v of it.iterate(a[0], ctx)) { if (v instanceof Unknown) { unk = v; continue; } if (!it.truthy(v, ctx)) return false; } return unk ?? true; });
  def('print', () => null);
  def('repr', (a) => pyRepr(a[0]));
  def('id', (a) => (a[0] as { id?: number })?.id ?? 0);
  def('hash', (a) => { const k = hashKey(a[0]); let h = 0; for (let i = 0; i < k.length; i++) h = (h * 31 + k.charCodeAt(i)) | 0; return h; });
  def('callable', (a) => a[0] instanceof PyFunction || a[0] instanceof Builtin || a[0] instanceof PyClass || a[0] instanceof BoundMethod || a[0] instanceof Partial || (a[0] instanceof PyInstance && (!!a[0].mod || a[0].cls.lookup('__call__') !== undefined)));
  def('chr', (a) => String.fromCharCode(num(a[0], 'chr')));
  def('ord', (a) => String(a[0]).charCodeAt(0));
  def('hex', (a) => '0x' + num(a[0], 'hex').toString(16));
  def('bin', (a) => '0b' + num(a[0], 'bin').toString(2));
  def('format', (a) => formatSpec(a[0], String(a[1] ?? '')));
  def('vars', (a) => it.getAttr(a[0], '__dict__', {}));
  def('dir', (a) => new PyList(a[0] instanceof PyInstance ? [...a[0].dict.keys()] : []));
  def('globals', () => new Unknown('globals()'));
  def('locals', () => new Unknown('locals()'));
  def('open', () => { throw new InterpError('open() is not analysed: static analysis reads no files at run time'); });
  def('exec', () => { throw new InterpError('exec() is never run by the analysis'); });
  def('eval', () => { throw new InterpError('eval() is never run by the analysis'); });
  def('__import__', () => new Unknown('__import__'));
  def('input', () => new Unknown('input()'));

  installMethods(it);
}

function str(it: Interp, v: Value): Value {
  if (v instanceof Unknown) return v;
  if (v instanceof PyInstance) {
    const f = v.cls.lookup('__str__') ?? v.cls.lookup('__repr__');
    if (f) return it.call(f, [v], new Map(), {});
  }
  return pyStr(v);
}

export function dictUpdate(it: Interp, d: PyDict, src: Value): void {
  if (src instanceof PyDict) { for (const [k, e] of src.map) d.map.set(k, e); return; }
  if (src instanceof Unknown) throw new InterpError(`dict() of an unknown value (${src.reason})`);
  for (const pair of it.iterate(src, {})) {
    const kv = it.iterate(pair, {});
    d.map.set(hashKey(kv[0]), { k: kv[0], v: kv[1] });
  }
}

function sortValues(it: Interp, items: Value[], kw: Map<string, Value>, ctx: CallCtx): Value[] {
  const key = kw.get('key');
  const keyed = items.map((v) => ({ v, k: key !== undefined && key !== null ? it.call(key, [v], new Map(), ctx) : v }));
  const u = keyed.find((x) => x.k instanceof Unknown);
  if (u) throw new InterpError('sorting values the analysis cannot know');
  keyed.sort((a, b) => pyCompare(a.k, b.k));
  if (kw.get('reverse') === true) keyed.reverse();
  return keyed.map((x) => x.v);
}

type Method = (self: Value, args: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value;

function installMethods(it: Interp): void {
  const table = (name: string, methods: Record<string, Method>): void => { it.primitiveMethods.set(name, new Map(Object.entries(methods))); };
  const L = (v: Value): Value[] => (v as PyList).items;
  const seqIndex: Method = (s, a) => {
    const items = (s as PyList | PyTuple).items;
    const i = items.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw new PyException('ValueError', `${pyRepr(a[0])} is not in list`);
    return i;
  };
  const seqCount: Method = (s, a) => (s as PyList).items.filter((x) => pyEquals(x, a[0])).length;
  table('list', {
    append: (s, a) => { L(s).push(a[0]); return null; },
    extend: (s, a, _k, ctx) => { L(s).push(...it.iterate(a[0], ctx)); return null; },
    insert: (s, a) => { const items = L(s); let i = numVal(a[0] as number); if (i < 0) i = Math.max(0, items.length + i); items.splice(i, 0, a[1]); return null; },
    pop: (s, a) => {
      const items = L(s);
      if (!items.length) throw new PyException('IndexError', 'pop from empty list');
      let i = a.length ? numVal(a[0] as number) : items.length - 1;
      if (i < 0) i += items.length;
      return items.splice(i, 1)[0];
    },
    remove: (s, a) => { const items = L(s); const i = items.findIndex((x) => pyEquals(x, a[0]) || identical(x, a[0])); if (i < 0) throw new PyException('ValueError', 'list.remove(x): x not in list'); items.splice(i, 1); return null; },
    index: seqIndex, count: seqCount,
    copy: (s) => new PyList([...L(s)]),
    reverse: (s) => { L(s).reverse(); return null; },
    sort: (s, _a, kw, ctx) => { const sorted = sortValues(it, L(s), kw, ctx); (s as PyList).items = sorted; return null; },
    clear: (s) => { (s as PyList).items = []; return null; },
  });
  table('tuple', { index: seqIndex, count: seqCount, _asdict: (s) => {
    const t = s as PyTuple; const d = new PyDict();
    const f = t.cls?.dict.get('_fields');
    if (f instanceof PyTuple) f.items.forEach((k, i) => d.map.set(hashKey(k), { k, v: t.items[i] }));
    return d;
  }, _replace: (s, _a, kw) => {
    const t = s as PyTuple; const f = t.cls?.dict.get('_fields');
    const items = [...t.items];
    if (f instanceof PyTuple) for (const [k, v] of kw) { const i = f.items.indexOf(k); if (i >= 0) items[i] = v; }
    const out = new PyTuple(items); out.cls = t.cls; return out;
  } });
  const D = (v: Value): PyDict => v as PyDict;
  table('dict', {
    get: (s, a) => D(s).map.get(hashKey(a[0]))?.v ?? (a[1] ?? null),
    keys: (s) => new PyList([...D(s).map.values()].map((e) => e.k)),
    values: (s) => new PyList([...D(s).map.values()].map((e) => e.v)),
    items: (s) => new PyList([...D(s).map.values()].map((e) => new PyTuple([e.k, e.v]))),
    pop: (s, a) => {
      const k = hashKey(a[0]); const e = D(s).map.get(k);
      if (e) { D(s).map.delete(k); return e.v; }
      if (a.length > 1) return a[1];
      throw new PyException('KeyError', pyRepr(a[0]));
    },
    popitem: (s) => { const last = [...D(s).map.entries()].pop(); if (!last) throw new PyException('KeyError', 'popitem(): dictionary is empty'); D(s).map.delete(last[0]); return new PyTuple([last[1].k, last[1].v]); },
    setdefault: (s, a) => { const k = hashKey(a[0]); const e = D(s).map.get(k); if (e) return e.v; const v = a[1] ?? null; D(s).map.set(k, { k: a[0], v }); return v; },
    update: (s, a, kw) => { if (a.length) dictUpdate(it, D(s), a[0]); for (const [k, v] of kw) D(s).map.set(hashKey(k), { k, v }); return null; },
    copy: (s) => { const d = new PyDict(); for (const [k, e] of D(s).map) d.map.set(k, e); d.factory = D(s).factory; return d; },
    clear: (s) => { D(s).map.clear(); return null; },
    move_to_end: (s, a) => { const k = hashKey(a[0]); const e = D(s).map.get(k); if (e) { D(s).map.delete(k); D(s).map.set(k, e); } return null; },
  });
  const S = (v: Value): PySet => v as PySet;
  table('set', {
    add: (s, a) => { S(s).map.set(hashKey(a[0]), a[0]); return null; },
    update: (s, a, _k, ctx) => { for (const v of it.iterate(a[0], ctx)) S(s).map.set(hashKey(v), v); return null; },
    discard: (s, a) => { S(s).map.delete(hashKey(a[0])); return null; },
    remove: (s, a) => { if (!S(s).map.delete(hashKey(a[0]))) throw new PyException('KeyError', pyRepr(a[0])); return null; },
    union: (s, a, _k, ctx) => { const o = new PySet(); for (const [k, v] of S(s).map) o.map.set(k, v); for (const x of a) for (const v of it.iterate(x, ctx)) o.map.set(hashKey(v), v); return o; },
    intersection: (s, a, _k, ctx) => { const other = new Set(it.iterate(a[0], ctx).map(hashKey)); const o = new PySet(); for (const [k, v] of S(s).map) if (other.has(k)) o.map.set(k, v); return o; },
    difference: (s, a, _k, ctx) => { const other = new Set(it.iterate(a[0], ctx).map(hashKey)); const o = new PySet(); for (const [k, v] of S(s).map) if (!other.has(k)) o.map.set(k, v); return o; },
    issubset: (s, a, _k, ctx) => { const other = new Set(it.iterate(a[0], ctx).map(hashKey)); return [...S(s).map.keys()].every((k) => other.has(k)); },
    copy: (s) => { const o = new PySet(); for (const [k, v] of S(s).map) o.map.set(k, v); return o; },
    pop: (s) => { const first = S(s).map.entries().next(); if (first.done) throw new PyException('KeyError', 'pop from an empty set'); S(s).map.delete(first.value[0]); return first.value[1]; },
  });
  const Str = (v: Value): string => v as string;
  const strArg = (v: Value): string => { if (v instanceof Unknown) throw new InterpError(`string operation on an unknown value (${v.reason})`); return pyStr(v); };
  table('str', {
    join: (s, a, _k, ctx) => it.iterate(a[0], ctx).map(strArg).join(Str(s)),
    format: (s, a, kw) => strFormat(it, Str(s), a, kw),
    split: (s, a, kw) => {
      const sep = a[0] ?? kw.get('sep') ?? null;
      const max = numVal((a[1] ?? kw.get('maxsplit') ?? -1) as number);
      const t = Str(s);
      let parts = sep === null ? t.trim().split(/\s+/).filter(Boolean) : t.split(String(sep));
      if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(sep === null ? ' ' : String(sep))];
      return new PyList(parts);
    },
    rsplit: (s, a) => {
      const sep = a[0] ?? null; const max = numVal((a[1] ?? -1) as number); const t = Str(s);
      let parts = sep === null ? t.trim().split(/\s+/) : t.split(String(sep));
      if (max >= 0 && parts.length > max + 1) parts = [parts.slice(0, parts.length - max).join(sep === null ? ' ' : String(sep)), ...parts.slice(parts.length - max)];
      return new PyList(parts);
    },
    strip: (s, a) => (a[0] ? trimChars(Str(s), String(a[0]), true, true) : Str(s).trim()),
    lstrip: (s, a) => (a[0] ? trimChars(Str(s), String(a[0]), true, false) : Str(s).trimStart()),
    rstrip: (s, a) => (a[0] ? trimChars(Str(s), String(a[0]), false, true) : Str(s).trimEnd()),
    startswith: (s, a) => (a[0] instanceof PyTuple ? a[0].items.some((p) => Str(s).startsWith(String(p))) : Str(s).startsWith(strArg(a[0]))),
    endswith: (s, a) => (a[0] instanceof PyTuple ? a[0].items.some((p) => Str(s).endsWith(String(p))) : Str(s).endsWith(strArg(a[0]))),
    replace: (s, a) => Str(s).split(strArg(a[0])).join(strArg(a[1])),
    lower: (s) => Str(s).toLowerCase(),
    upper: (s) => Str(s).toUpperCase(),
    title: (s) => Str(s).replace(/\w\S*/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()),
    capitalize: (s) => Str(s).charAt(0).toUpperCase() + Str(s).slice(1).toLowerCase(),
    find: (s, a) => Str(s).indexOf(strArg(a[0])),
    rfind: (s, a) => Str(s).lastIndexOf(strArg(a[0])),
    index: (s, a) => { const i = Str(s).indexOf(strArg(a[0])); if (i < 0) throw new PyException('ValueError', 'substring not found'); return i; },
    count: (s, a) => Str(s).split(strArg(a[0])).length - 1,
    isdigit: (s) => /^\d+$/.test(Str(s)),
    isnumeric: (s) => /^\d+$/.test(Str(s)),
    isalpha: (s) => /^[a-zA-Z]+$/.test(Str(s)),
    isidentifier: (s) => /^[A-Za-z_]\w*$/.test(Str(s)),
    zfill: (s, a) => Str(s).padStart(numVal(a[0] as number), '0'),
    ljust: (s, a) => Str(s).padEnd(numVal(a[0] as number), String(a[1] ?? ' ')),
    rjust: (s, a) => Str(s).padStart(numVal(a[0] as number), String(a[1] ?? ' ')),
    center: (s, a) => formatSpec(Str(s), `${String(a[1] ?? ' ')}^${numVal(a[0] as number)}`),
    partition: (s, a) => { const t = Str(s), sep = strArg(a[0]); const i = t.indexOf(sep); return new PyTuple(i < 0 ? [t, '', ''] : [t.slice(0, i), sep, t.slice(i + sep.length)]); },
    rpartition: (s, a) => { const t = Str(s), sep = strArg(a[0]); const i = t.lastIndexOf(sep); return new PyTuple(i < 0 ? ['', '', t] : [t.slice(0, i), sep, t.slice(i + sep.length)]); },
    splitlines: (s) => new PyList(Str(s).split(/\r?\n/)),
    encode: (s) => s,
    casefold: (s) => Str(s).toLowerCase(),
  });
  table('int', { bit_length: (s) => (numVal(s as number) === 0 ? 0 : Math.floor(Math.log2(Math.abs(numVal(s as number)))) + 1), is_integer: () => true });
  table('bool', {});
  table('float', { is_integer: (s) => Number.isInteger((s as PyFloat).v), __round__: (s) => roundHalfEven((s as PyFloat).v) });
  table('range', { index: (s, a) => { const r = s as PyRange; return (numVal(a[0] as number) - r.start) / r.step; }, count: (s, a) => (it.iterate(s, {}).some((x) => pyEquals(x, a[0])) ? 1 : 0) });
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0, b = s.length;
  if (left) while (a < b && chars.includes(s[a])) a++;
  if (right) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** str.format with positional/keyword fields, attribute and index access, and format specs. */
export function strFormat(it: Interp, fmt: string, args: Value[], kw: Map<string, Value>): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = field ?? '';
    const head = /^[^.[]*/.exec(path)![0];
    let v: Value = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kw.get(head) ?? null;
    for (const acc of path.slice(head.length).match(/\.\w+|\[[^\]]*\]/g) ?? []) {
      if (acc.startsWith('.')) v = it.getAttr(v, acc.slice(1), {});
      else { const key = acc.slice(1, -1); v = it.getItem(v, /^\d+$/.test(key) ? Number(key) : key, {}); }
    }
    if (v instanceof Unknown) throw new InterpError(`format of an unknown value (${v.reason})`);
    if (conv === 'r') v = pyRepr(v);
    return it.format(v, spec ?? '');
  });
}
