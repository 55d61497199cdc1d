// The built-in types as classes (object, type, int, float, str, list, dict, ..., property, super):
// usable with isinstance, subclassing and as constructors; isinstance() and type() themselves.
import type { Interp } from '../interp';
import {
  BoundMethod, Builtin, ClassMethod, InterpError, Partial, Property, PyClass, PyDict, PyException, PyFloat, PyFunction, PyInstance, PyList, PyRange, PySet, PySlice, PyTuple, StaticMethod, Super, Unknown, typeName, type Value,
} from '../values';
import { hashKey, numVal, pyRepr, setAdd } from '../ops';
import { defineType, numArg, strValue, dictUpdate } from './define';
import { delAttr, genericDelAttr, genericSetAttr } from '../attributes';
import { floatToInt, intToFloat, parseIntText } from '../intMath';
import { NO_KWARGS } from '../calls';

/** An attribute name argument (getattr/setattr/...): a str, as Python requires. */
export function attrName(v: Value): string {
  if (typeof v !== 'string') throw new PyException('TypeError', `attribute name must be string, not '${typeName(v)}'`);
  return v;
}

export function classOf(it: Interp, v: Value): PyClass | undefined {
  if (v instanceof PyInstance) return v.cls;
  if ((v instanceof PyDict || v instanceof PyFloat) && v.cls) return v.cls;
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
  if (hook instanceof Builtin) return hook.fn([v], NO_KWARGS, {}) === true;
  const c = classOf(it, v);
  if (!c) return cls.name === 'object';
  if (c.isSubclassOf(cls)) return true;
  // bool is an int; int and float are numbers.Number-like
  if (cls.name === 'int' && typeof v === 'boolean') return true;
  return false;
}

export function installTypes(it: Interp): void {
  const object = defineType(it, 'object');
  object.dict.set('__init__', new Builtin('object.__init__', () => null));
  object.dict.set('__getattribute__', new Builtin('object.__getattribute__', (a, _k, ctx) => it.getAttr(a[0], String(a[1]), ctx)));
  object.dict.set('__setattr__', new Builtin('object.__setattr__', (a, _k, ctx) => { if (a[0] instanceof PyInstance || (a[0] instanceof PyDict && a[0].cls)) genericSetAttr(it, a[0], attrName(a[1]), a[2], ctx); else it.setAttr(a[0], attrName(a[1]), a[2], ctx); return null; }));
  object.dict.set('__delattr__', new Builtin('object.__delattr__', (a, _k, ctx) => { if (a[0] instanceof PyInstance || (a[0] instanceof PyDict && a[0].cls)) genericDelAttr(it, a[0], attrName(a[1]), ctx); else delAttr(it, a[0], attrName(a[1]), ctx); return null; }));
  defineType(it, 'type', [object], (a) => (a.length === 2 ? classOf(it, a[1]) ?? new Unknown('type of value') : new Unknown('type() with 3 arguments')));
  defineType(it, 'int', [object], (a, kw) => {
    const v = a[1] ?? 0;
    if (v instanceof Unknown) return v;
    if (typeof v === 'string') {
      const base = numVal((a[2] ?? kw.get('base') ?? 10) as number);
      const n = parseIntText(v, base);
      if (n === undefined) throw new PyException('ValueError', `invalid literal for int() with base ${base}: ${pyRepr(v)}`);
      return n;
    }
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('int', v, {});
    if (v instanceof PyInstance) { const f = v.cls.lookup('__int__') ?? v.cls.lookup('__index__'); if (f) return it.call(f, [v], NO_KWARGS, {}); }
    if (typeof v === 'bigint') return v;
    return floatToInt(numArg(v, 'int()'));
  });
  defineType(it, 'float', [object], (a) => {
    const v = a[1] ?? 0;
    if (v instanceof Unknown) return v;
    if (typeof v === 'string') { const t = v.trim().toLowerCase(); return new PyFloat(t === 'inf' ? Infinity : t === '-inf' ? -Infinity : t === 'nan' ? NaN : Number(t)); }
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('float', v, {});
    if (v instanceof PyInstance) { const f = v.cls.lookup('__float__') ?? v.cls.lookup('__index__'); if (f) return it.call(f, [v], NO_KWARGS, {}); }
    if (typeof v === 'bigint') return new PyFloat(intToFloat(v));
    return new PyFloat(numArg(v, 'float()'));
  });
  defineType(it, 'bool', [it.types.get('int')!], (a) => (a.length > 1 ? (a[1] instanceof Unknown ? a[1] : it.truthy(a[1], {})) : false));
  defineType(it, 'str', [object], (a) => (a.length > 1 ? strValue(it, a[1]) : ''));
  defineType(it, 'list', [object], (a) => new PyList(a.length > 1 ? it.iterate(a[1], {}) : []));
  defineType(it, 'tuple', [object], (a) => new PyTuple(a.length > 1 ? it.iterate(a[1], {}) : []));
  const fill = (d: PyDict, a: Value[], kw: Map<string, Value>): void => {
    if (a.length > 1) throw new PyException('TypeError', `dict expected at most 1 argument, got ${a.length}`);
    if (a.length) dictUpdate(it, d, a[0]);
    for (const [k, v] of kw) d.map.set(hashKey(k), { k, v });
  };
  const dict = defineType(it, 'dict', [object], (a, kw) => {
    const d = new PyDict();
    // a subclass's instance is filled by dict.__init__, which its own __init__ usually calls
    if (a[0] !== dict && a[0] instanceof PyClass) { d.cls = a[0]; return d; }
    fill(d, a.slice(1), kw);
    return d;
  });
  dict.dict.set('__init__', new Builtin('dict.__init__', (a, kw) => { if (a[0] instanceof PyDict) fill(a[0], a.slice(1), kw); return null; }));
  defineType(it, 'set', [object], (a) => { const s = new PySet(); if (a.length > 1) for (const v of it.iterate(a[1], {})) setAdd(s, v); return s; });
  defineType(it, 'frozenset', [object], (a) => { const s = new PySet(); if (a.length > 1) for (const v of it.iterate(a[1], {})) setAdd(s, v); return s; });
  defineType(it, 'range', [object], (a) => {
    const n = a.slice(1).map((x) => {
      if (x instanceof Unknown) throw new InterpError(`range() bound is unknown (${x.reason})`);
      if (typeof x === 'bigint') throw new InterpError(`range() bound ${x} is beyond 2^53, which the analysis's ranges do not hold`);
      if (x instanceof PyFloat) throw new PyException('TypeError', "'float' object cannot be interpreted as an integer");
      return numArg(x, 'range()');
    });
    if (n.length === 1) return new PyRange(0, n[0], 1);
    return new PyRange(n[0], n[1], n[2] ?? 1);
  });
  defineType(it, 'slice', [object], (a) => (a.length === 2 ? new PySlice(null, a[1], null) : new PySlice(a[1] ?? null, a[2] ?? null, a[3] ?? null)));
  defineType(it, 'function', [object]);
  defineType(it, 'NoneType', [object]);
  defineType(it, 'module', [object]);
  defineType(it, 'ellipsis', [object]);
  defineType(it, 'property', [object], (a, kw) => new Property(a[1] ?? kw.get('fget') ?? null, a[2] ?? kw.get('fset') ?? null));
  (it.types.get('property')!).dict.set('setter', new Builtin('property.setter', (a) => { const p = a[0] as Property; return new Property(p.fget, a[1]); }));
  defineType(it, 'staticmethod', [object], (a) => new StaticMethod(a[1]));
  defineType(it, 'classmethod', [object], (a) => new ClassMethod(a[1]));
  defineType(it, 'super', [object], (a) => {
    if (a.length >= 3 && a[1] instanceof PyClass) return new Super(a[1], a[2]);
    throw new InterpError('super() with these arguments is not supported');
  });

}
