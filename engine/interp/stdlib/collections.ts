// collections and collections.abc: OrderedDict, namedtuple, defaultdict, Counter, deque (as a list),
// and the abstract base classes as isinstance markers.
import type { Interp } from '../interp';
import { Builtin, PyClass, PyDict, PyException, PyList, PySet, PyTuple, Unknown, type Value } from '../values';
import { hashKey } from '../ops';
import { fn, marker, isSeq, isMap } from './native';
import { dictUpdate } from '../builtins/define';

export function collections(it: Interp): Record<string, Value> {
  return {
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
  };
}

export function collectionsAbc(it: Interp): Record<string, Value> {
  return {
    Sequence: marker(it, 'Sequence', isSeq), Mapping: marker(it, 'Mapping', isMap), MutableMapping: marker(it, 'MutableMapping', isMap),
    Iterable: marker(it, 'Iterable', (v) => isSeq(v) || isMap(v) || v instanceof PySet), Callable: marker(it, 'Callable'),
    Iterator: marker(it, 'Iterator'),
  };
}

export function orderedDictClass(it: Interp): PyClass {
  const c = new PyClass('OrderedDict', [it.types.get('dict')!], 'collections');
  c.dict.set('__new__', new Builtin('OrderedDict.__new__', (a, kw) => {
    const d = new PyDict();
    if (a.length > 2) throw new PyException('TypeError', `expected at most 1 argument, got ${a.length - 1}`);
    if (a.length > 1) dictUpdate(it, d, a[1]);
    for (const [k, v] of kw) d.map.set(hashKey(k), { k, v });
    return d;
  }));
  return c;
}

export function makeNamedTuple(it: Interp, name: string, fields: string[], defaults: Value[]): PyClass {
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
