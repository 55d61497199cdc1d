// copy: copy.copy and copy.deepcopy as CPython's reduce protocol does them: a class's __copy__ /
// __deepcopy__ first; instances get a new object over (deep) copies of their attributes; one memo per
// deepcopy keeps shared objects shared (tied weights stay tied) and cycles finite. nn.Module state and
// tensors are copied by the torch layer's cloners; functions, classes and modules are atomic.
import type { Interp } from '../interp';
import { charge } from '../budget';
import { PyDict, PyException, PyFloat, PyInstance, PyList, PySet, PyTuple, typeName, type CallCtx, type Value } from '../values';
import { DictAttrStore } from '../instanceDict';
import { fn } from './native';
import { NO_KWARGS } from '../calls';

type Memo = Map<unknown, Value>;

export function copy(it: Interp): Record<string, Value> {
  return {
    copy: fn('copy', (a, _k, ctx) => shallowCopy(it, a[0], ctx)),
    deepcopy: fn('deepcopy', (a, kw, ctx) => {
      const m = a[1] ?? kw.get('memo') ?? null;
      if (m !== null && !(m instanceof PyDict)) throw new PyException('TypeError', `deepcopy's memo must be a dict, not ${typeName(m)}`);
      return deepCopy(it, a[0], memoOf(m), ctx);
    }),
    error: it.types.get('Exception')!,
  };
}

/** A Python memo dict passed to deepcopy/__deepcopy__ carries the JS memo along (keyed by identity). */
const memos = new WeakMap<PyDict, Memo>();
function memoOf(d: PyDict | null): Memo {
  if (d === null) return new Map();
  let m = memos.get(d);
  if (!m) { m = new Map(); memos.set(d, m); }
  return m;
}
function memoDict(memo: Memo): PyDict {
  const d = new PyDict();
  memos.set(d, memo);
  return d;
}

export function shallowCopy(it: Interp, v: Value, ctx: CallCtx = {}): Value {
  if (v instanceof PyInstance) {
    const own = v.cls.lookup('__copy__');
    if (own !== undefined) return it.call(own, [v], NO_KWARGS, ctx);
    const c = new PyInstance(v.cls);
    for (const [k, x] of v.dict) c.dict.set(k, x);
    c.native = v.native;
    // PyTorch's copy.copy(module) shares the module's _parameters/_modules/_buffers dicts
    it.ext.copyInstanceState(v, c, null);
    return c;
  }
  if (v instanceof PyList) return new PyList([...v.items]);
  if (v instanceof PyDict) return copyDict(v, (x) => x);
  if (v instanceof PySet) { const s = new PySet(); for (const [k, e] of v.map) s.map.set(k, e); return s; }
  return v;
}

function copyDict(v: PyDict, each: (x: Value) => Value, memo?: Memo): PyDict {
  const d = new PyDict();
  memo?.set(v, d);
  d.factory = v.factory;
  d.cls = v.cls;
  for (const [k, e] of v.map) d.map.set(k, { k: e.k, v: each(e.v) });
  if (v.attrs) {
    // `self.__dict__ = self` copies as a dict whose attributes are its items again
    // CPython restores a copy's __dict__ before its items, so `self.__dict__ = self` is not carried over
    if (v.attrs instanceof DictAttrStore && v.attrs.target === v) d.attrs = new Map();
    else { d.attrs = new Map(); for (const [k, x] of v.attrs) d.attrs.set(k, each(x)); }
  }
  return d;
}

/** Work units of one object deep-copied (a new object, its attribute maps, the memo entry): ≈ 0.7 µs. */
const DEEPCOPY_COST = 24;

export function deepCopy(it: Interp, v: Value, memo: Memo, ctx: CallCtx = {}): Value {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  // NOTE: charged per object, so `[copy.deepcopy(model) for _ in range(10**6)]` ends in the statement's budget
  charge(DEEPCOPY_COST);
  const rec = (x: Value): Value => deepCopy(it, x, memo, ctx);
  if (v instanceof PyList) { const l = new PyList([]); memo.set(v, l); l.items = v.items.map(rec); return l; }
  if (v instanceof PyTuple) { const t = new PyTuple(v.items.map(rec)); t.cls = v.cls; memo.set(v, t); return t; }
  if (v instanceof PyDict) return v.cls ? deepCopyViaHook(it, v, memo, ctx) ?? copyDict(v, rec, memo) : copyDict(v, rec, memo);
  if (v instanceof PySet) { const s = new PySet(); memo.set(v, s); for (const [k, e] of v.map) s.map.set(k, rec(e)); return s; }
  if (v instanceof PyInstance) return deepCopyInstance(it, v, memo, ctx);
  if (it.ext.isTensor(v)) return it.ext.deepCopyNative(v, memo);
  // functions, classes, modules, ranges, slices and unknowns are atomic, as copy's _deepcopy_atomic
  return v;
}

/** copy.deepcopy asks the object itself: `getattr(x, '__deepcopy__', None)`, so a class's __getattr__ runs
 *  (and a DotDict's KeyError escapes, as in CPython). */
function deepCopyViaHook(it: Interp, v: PyInstance | PyDict, memo: Memo, ctx: CallCtx): Value | undefined {
  const own = it.getAttrOpt(v, '__deepcopy__', ctx);
  if (own === undefined || own === null) return undefined;
  const r = it.call(own, [memoDict(memo)], NO_KWARGS, ctx);
  memo.set(v, r);
  return r;
}

function deepCopyInstance(it: Interp, v: PyInstance, memo: Memo, ctx: CallCtx): Value {
  const hooked = deepCopyViaHook(it, v, memo, ctx);
  if (hooked !== undefined) return hooked;
  const c = new PyInstance(v.cls);
  memo.set(v, c);
  const copyValue = (x: Value): Value => deepCopy(it, x, memo, ctx);
  for (const [k, x] of v.dict) c.dict.set(k, copyValue(x));
  c.native = copyNative(v.native, copyValue);
  it.ext.copyInstanceState(v, c, copyValue);
  return c;
}

/** Native payloads are interpreter values or plain records of them (exception args, ndarrays handle themselves). */
function copyNative(n: unknown, copyValue: (x: Value) => Value): unknown {
  if (n && typeof n === 'object' && typeof (n as { deepCopy?: unknown }).deepCopy === 'function') return (n as { deepCopy(): unknown }).deepCopy();
  if (n instanceof PyList || n instanceof PyDict || n instanceof PySet || n instanceof PyTuple) return copyValue(n);
  return n;
}

