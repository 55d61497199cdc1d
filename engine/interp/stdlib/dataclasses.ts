// dataclasses: @dataclass synthesises __init__ (defaults, default_factory, __post_init__) and __eq__;
// fields/asdict/replace/is_dataclass. Field order follows the MRO as Python's does.
import type { Interp } from '../interp';
import {
  Builtin, PyClass, PyDict, PyException, PyFunction, PyInstance, PyList, PyTuple, Unknown, type Value,
} from '../values';
import { hashKey, pyEquals } from '../ops';
import { fn } from './native';

export function dataclasses(it: Interp): Record<string, Value> {
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
