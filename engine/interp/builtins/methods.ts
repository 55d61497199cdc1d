// Methods of the built-in containers and numbers: list, tuple (namedtuple helpers), dict, set, int,
// float, range. Looked up by the interpreter's primitiveAttr; they mutate the interpreter's values only.
import type { Interp } from '../interp';
import { PyDict, PyException, PyFloat, PyList, PyRange, PySet, PyTuple, type Value } from '../values';
import { dictSet, hashKey, numVal, pyEquals, pyRepr, identical, rangeIndexOf, setAdd } from '../ops';
import { dictUpdate, sortValues, roundHalfEven, primitiveTable } from './define';
import { bitLength } from '../intMath';
import type { PrimitiveMethod } from '../interp';
import { charge, checkSize, pushAll } from '../budget';
import { NO_KWARGS } from '../calls';

export function installContainerMethods(it: Interp): void {
  sequenceMethods(it);
  dictMethods(it);
  setMethods(it);
  numberMethods(it);
}

function sequenceMethods(it: Interp): void {
  const L = (v: Value): Value[] => (v as PyList).items;
  const seqIndex: PrimitiveMethod = (s, a) => {
    const items = (s as PyList | PyTuple).items;
    charge(items.length);
    const i = items.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw new PyException('ValueError', `${pyRepr(a[0])} is not in list`);
    return i;
  };
  const seqCount: PrimitiveMethod = (s, a) => { charge((s as PyList).items.length); return (s as PyList).items.filter((x) => pyEquals(x, a[0])).length; };
  primitiveTable(it, 'list', {
    append: (s, a) => { L(s).push(a[0]); return null; },
    extend: (s, a, _k, ctx) => { const add = it.iterate(a[0], ctx); checkSize('list', L(s).length + add.length); pushAll(L(s), add); return null; },
    insert: (s, a) => { const items = L(s); charge(items.length); let i = numVal(a[0] as number); if (i < 0) i = Math.max(0, items.length + i); items.splice(i, 0, a[1]); return null; },
    pop: (s, a) => {
      const items = L(s);
      if (a.length) charge(items.length);
      if (!items.length) throw new PyException('IndexError', 'pop from empty list');
      let i = a.length ? numVal(a[0] as number) : items.length - 1;
      if (i < 0) i += items.length;
      return items.splice(i, 1)[0];
    },
    remove: (s, a) => { const items = L(s); charge(items.length); const i = items.findIndex((x) => pyEquals(x, a[0]) || identical(x, a[0])); if (i < 0) throw new PyException('ValueError', 'list.remove(x): x not in list'); items.splice(i, 1); return null; },
    index: seqIndex, count: seqCount,
    copy: (s) => new PyList([...L(s)]),
    reverse: (s) => { L(s).reverse(); return null; },
    sort: (s, _a, kw, ctx) => { const sorted = sortValues(it, L(s), kw, ctx); (s as PyList).items = sorted; return null; },
    clear: (s) => { (s as PyList).items = []; return null; },
  });
  primitiveTable(it, 'tuple', { index: seqIndex, count: seqCount, _asdict: (s) => {
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
}

function dictMethods(it: Interp): void {
  const D = (v: Value): PyDict => v as PyDict;
  primitiveTable(it, 'dict', {
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
    update: (s, a, kw) => { if (a.length) dictUpdate(it, D(s), a[0]); for (const [k, v] of kw) dictSet(D(s), k, v); return null; },
    copy: (s) => { const d = new PyDict(); for (const [k, e] of D(s).map) d.map.set(k, e); d.factory = D(s).factory; return d; },
    clear: (s) => { D(s).map.clear(); return null; },
    // dict's own item protocol, for subclasses that call or alias it (`__getattr__ = dict.__getitem__`)
    __getitem__: (s, a, _k, ctx) => {
      const e = D(s).map.get(hashKey(a[0]));
      if (e) return e.v;
      const missing = D(s).cls?.lookup('__missing__');
      if (missing !== undefined) return it.call(missing, [s, a[0]], NO_KWARGS, ctx);
      throw new PyException('KeyError', pyRepr(a[0]));
    },
    __setitem__: (s, a) => { dictSet(D(s), a[0], a[1]); return null; },
    __delitem__: (s, a) => { if (!D(s).map.delete(hashKey(a[0]))) throw new PyException('KeyError', pyRepr(a[0])); return null; },
    __contains__: (s, a) => D(s).map.has(hashKey(a[0])),
    __len__: (s) => D(s).map.size,
    move_to_end: (s, a) => { const k = hashKey(a[0]); const e = D(s).map.get(k); if (e) { D(s).map.delete(k); D(s).map.set(k, e); } return null; },
  });
}

function setMethods(it: Interp): void {
  const S = (v: Value): PySet => v as PySet;
  primitiveTable(it, 'set', {
    add: (s, a) => { setAdd(S(s), a[0]); return null; },
    update: (s, a, _k, ctx) => { for (const v of it.iterate(a[0], ctx)) setAdd(S(s), v); return null; },
    discard: (s, a) => { S(s).map.delete(hashKey(a[0])); return null; },
    remove: (s, a) => { if (!S(s).map.delete(hashKey(a[0]))) throw new PyException('KeyError', pyRepr(a[0])); return null; },
    union: (s, a, _k, ctx) => { const o = new PySet(); for (const [k, v] of S(s).map) o.map.set(k, v); for (const x of a) for (const v of it.iterate(x, ctx)) o.map.set(hashKey(v), v); return o; },
    intersection: (s, a, _k, ctx) => { const other = new Set(it.iterate(a[0], ctx).map(hashKey)); const o = new PySet(); for (const [k, v] of S(s).map) if (other.has(k)) o.map.set(k, v); return o; },
    difference: (s, a, _k, ctx) => { const other = new Set(it.iterate(a[0], ctx).map(hashKey)); const o = new PySet(); for (const [k, v] of S(s).map) if (!other.has(k)) o.map.set(k, v); return o; },
    issubset: (s, a, _k, ctx) => { const other = new Set(it.iterate(a[0], ctx).map(hashKey)); return [...S(s).map.keys()].every((k) => other.has(k)); },
    copy: (s) => { const o = new PySet(); for (const [k, v] of S(s).map) o.map.set(k, v); return o; },
    pop: (s) => { const first = S(s).map.entries().next(); if (first.done) throw new PyException('KeyError', 'pop from an empty set'); S(s).map.delete(first.value[0]); return first.value[1]; },
  });
}

function numberMethods(it: Interp): void {
  primitiveTable(it, 'int', { bit_length: (s) => bitLength(typeof s === 'bigint' ? s : numVal(s as number)), is_integer: () => true });
  primitiveTable(it, 'bool', {});
  primitiveTable(it, 'float', { is_integer: (s) => Number.isInteger((s as PyFloat).v), __round__: (s) => roundHalfEven((s as PyFloat).v) });
  primitiveTable(it, 'range', {
    index: (s, a) => {
      const k = rangeIndexOf(s as PyRange, a[0]);
      if (k >= 0) return k;
      throw new PyException('ValueError', typeof a[0] === 'number' || typeof a[0] === 'bigint' || typeof a[0] === 'boolean' ? `${pyRepr(a[0])} is not in range` : 'sequence.index(x): x not in sequence');
    },
    count: (s, a) => (rangeIndexOf(s as PyRange, a[0]) >= 0 ? 1 : 0),
  });
}
