// Attribute lookup and assignment: instances (descriptors, properties, __getattr__, nn.Module state
// through the extension), classes (metaclass hooks), modules, functions, super(), tensors, and the
// methods of built-in values. Returns undefined for a missing attribute; getAttr turns that into
// Python's AttributeError.
import type { Interp } from './interp';
import {
  BoundMethod, Builtin, ClassMethod, LazyRef, Partial, Property, PyClass, PyDict, PyException, PyFloat, PyFunction,
  PyInstance, PyModule, PyRange, PySlice, PyTuple, StaticMethod, Super, Unknown, typeName, type CallCtx, type Value,
} from './values';
import { hashKey } from './ops';
import { DictAttrStore, dictOf } from './instanceDict';
import { NO_KWARGS } from './calls';

export function getAttr(it: Interp, obj: Value, name: string, ctx: CallCtx): Value {
  const v = getAttrOpt(it, obj, name, ctx);
  if (v === undefined) {
    throw new PyException('AttributeError', `'${obj instanceof PyClass ? obj.name : typeName(obj)}' object has no attribute '${name}'`, null, ctx.file, ctx.s, ctx.e);
  }
  return v;
}

export function getAttrOpt(it: Interp, obj: Value, name: string, ctx: CallCtx): Value | undefined {
  if (obj instanceof LazyRef) obj = obj.resolve();
  if (obj instanceof PyInstance) return instanceAttr(it, obj, name, ctx);
  if (obj instanceof PyDict && obj.cls) return dictSubclassAttr(it, obj, obj.cls, name, ctx);
  if (obj instanceof PyFloat && obj.cls) {
    const v = obj.cls.lookup(name);
    if (v instanceof Property) return it.call(v.fget, [obj], NO_KWARGS, ctx);
    if (v !== undefined) return bindDescriptor(it, v, obj, obj.cls);
    if (name === '__class__') return obj.cls;
  }
  if (obj instanceof PyModule) {
    const v = obj.scope.vars.get(name);
    if (v instanceof LazyRef) { const r = v.resolve(); obj.scope.vars.set(name, r); return r; }
    if (v === undefined && name === '__name__') return obj.name;
    if (v === undefined) {
      const ga = obj.scope.vars.get('__getattr__');
      if (ga !== undefined && name !== '__getattr__') return it.call(ga, [name], NO_KWARGS, ctx);
    }
    return v;
  }
  if (obj instanceof PyClass) return classAttr(it, obj, name);
  if (obj instanceof Unknown) return obj;
  if (obj instanceof Super) {
    const mro = obj.self instanceof PyClass ? obj.self.mro : obj.self instanceof PyInstance ? obj.self.cls.mro : obj.cls.mro;
    const start = mro.indexOf(obj.cls);
    for (const c of mro.slice(start + 1)) {
      const v = c.dict.get(name);
      if (v === undefined) continue;
      return bindDescriptor(it, v, obj.self, obj.self instanceof PyClass ? obj.self : (obj.self as PyInstance).cls);
    }
    return undefined;
  }
  if (it.ext.isTensor(obj)) return it.ext.tensorAttr(obj, name, ctx);
  if (obj instanceof PyFunction) {
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    if (name === '__name__') return obj.code.name;
    if (name === '__class__') return it.types.get('function') ?? null;
    if (name === '__qualname__') return obj.attrs.get('__qualname__') ?? obj.code.qualname;
    if (name === '__module__') return obj.module.name;
    if (name === '__dict__') return new PyDict();
    return obj.attrs.get(name);
  }
  if (obj instanceof Builtin) {
    if (name === '__name__') return obj.name.split('.').pop()!;
    return obj.attrs.get(name);
  }
  if (obj instanceof Partial) {
    if (name === 'func') return obj.fn;
    if (name === 'args') return new PyTuple(obj.args);
    if (name === 'keywords') { const d = new PyDict(); for (const [k, v] of obj.kwargs) d.map.set(hashKey(k), { k, v }); return d; }
  }
  if (obj instanceof BoundMethod) {
    if (name === '__self__') return obj.self;
    if (name === '__func__') return obj.fn;
    return getAttrOpt(it, obj.fn, name, ctx);
  }
  if (obj instanceof StaticMethod || obj instanceof ClassMethod) { if (name === '__func__') return obj.fn; }
  return primitiveAttr(it, obj, name);
}

export function primitiveAttr(it: Interp, obj: Value, name: string): Value | undefined {
  const key = obj instanceof PyTuple ? 'tuple' : obj instanceof PyDict ? 'dict' : typeName(obj);
  const table = it.primitiveMethods.get(key);
  const m = table?.get(name);
  if (m) return new Builtin(`${key}.${name}`, (a, kw, c) => m(obj, a, kw, c));
  if (name === '__class__') return it.types.get(key) ?? null;
  if (obj instanceof PySlice) { if (name === 'start') return obj.lo; if (name === 'stop') return obj.hi; if (name === 'step') return obj.step; }
  if (obj instanceof PyRange) { if (name === 'start') return obj.start; if (name === 'stop') return obj.stop; if (name === 'step') return obj.step; }
  if (obj instanceof PyTuple && obj.cls) {
    const fields = obj.cls.dict.get('_fields');
    if (fields instanceof PyTuple) { const i = fields.items.indexOf(name); if (i >= 0) return obj.items[i]; }
    const v = obj.cls.lookup(name);
    if (v !== undefined) return bindDescriptor(it, v, obj, obj.cls);
  }
  if (obj instanceof PyFloat && name === 'real') return obj;
  if ((typeof obj === 'number' || typeof obj === 'bigint') && name === 'real') return obj;
  return undefined;
}

export function bindDescriptor(it: Interp, v: Value, self: Value, cls: PyClass): Value {
  if (v instanceof PyFunction || v instanceof Builtin) return self instanceof PyClass ? v : new BoundMethod(self, v);
  if (v instanceof StaticMethod) return v.fn;
  if (v instanceof ClassMethod) return new BoundMethod(cls, v.fn);
  if (v instanceof Property) return self instanceof PyClass ? v : it.call(v.fget, [self], NO_KWARGS, {});
  return v;
}

export function instanceAttr(it: Interp, obj: PyInstance, name: string, ctx: CallCtx): Value | undefined {
  const clsV = obj.cls.lookup(name);
  if (clsV instanceof Property) return it.call(clsV.fget, [obj], NO_KWARGS, ctx);
  const own = obj.dict.get(name);
  if (own !== undefined) return own;
  if (it.ext.isModule(obj)) {
    const m = it.ext.moduleGetAttr(obj, name);
    if (m !== undefined) return m;
  }
  if (clsV !== undefined) return bindDescriptor(it, clsV, obj, obj.cls);
  if (name === '__class__') return obj.cls;
  if (name === '__dict__') return dictOf(obj, obj.dict);
  if (name === '__module__') return obj.cls.moduleName;
  return viaGetattr(it, obj, obj.cls, name, ctx);
}

/** The class's `__getattr__` hook, if any; its AttributeError means "no such attribute". */
function viaGetattr(it: Interp, obj: Value, cls: PyClass, name: string, ctx: CallCtx): Value | undefined {
  const ga = cls.lookup('__getattr__');
  if (ga === undefined || (obj instanceof PyInstance && it.ext.isModule(obj) && ga instanceof Builtin)) return undefined;
  try { return it.call(bindDescriptor(it, ga, obj, cls), [name], NO_KWARGS, ctx); } catch (err) {
    if (err instanceof PyException && err.pyType === 'AttributeError') return undefined;
    throw err;
  }
}

/** An instance of a dict subclass: the class's attributes, its own attributes, then dict's methods. */
function dictSubclassAttr(it: Interp, obj: PyDict, cls: PyClass, name: string, ctx: CallCtx): Value | undefined {
  const clsV = cls.lookup(name);
  if (clsV instanceof Property) return it.call(clsV.fget, [obj], NO_KWARGS, ctx);
  const own = obj.attrs?.get(name);
  if (own !== undefined) return own;
  if (clsV !== undefined) return bindDescriptor(it, clsV, obj, cls);
  if (name === '__class__') return cls;
  if (name === '__dict__') return dictOf(obj, obj.attrs ??= new Map());
  const m = primitiveAttr(it, obj, name);
  if (m !== undefined) return m;
  return viaGetattr(it, obj, cls, name, ctx);
}

export function classAttr(it: Interp, cls: PyClass, name: string): Value | undefined {
  switch (name) {
    case '__name__': return cls.name;
    case '__qualname__': return cls.name;
    case '__module__': return cls.moduleName;
    case '__mro__': return new PyTuple(cls.mro);
    case '__bases__': return new PyTuple(cls.bases);
    case '__class__': return it.types.get('type') ?? null;
    case '__dict__': { const d = new PyDict(); for (const [k, v] of cls.dict) d.map.set(hashKey(k), { k, v }); return d; }
  }
  const v = cls.lookup(name) ?? unboundPrimitive(it, cls, name);
  if (v === undefined) {
    const metaCls = cls.lookup('__metaclass__');
    if (metaCls instanceof PyClass) {
      const mv = metaCls.lookup(name);
      if (mv instanceof PyFunction) return new BoundMethod(cls, mv);
      if (mv instanceof Property) return it.call(mv.fget, [cls], NO_KWARGS, {});
      if (mv !== undefined) return mv;
    }
    const meta = cls.lookup('__class_getattr_native__');
    if (meta instanceof Builtin) { const r = meta.fn([cls, name], NO_KWARGS, {}); if (r !== undefined) return r; }
    return undefined;
  }
  return bindDescriptor(it, v, cls, cls);
}

/** A built-in type's method taken from the class, unbound (`dict.__getitem__`, `str.join`). */
function unboundPrimitive(it: Interp, cls: PyClass, name: string): Value | undefined {
  if (cls.moduleName !== 'builtins' || it.types.get(cls.name) !== cls) return undefined;
  const m = it.primitiveMethods.get(cls.name)?.get(name);
  return m ? new Builtin(`${cls.name}.${name}`, (a, kw, c) => m(a[0], a.slice(1), kw, c)) : undefined;
}

export function setAttr(it: Interp, obj: Value, name: string, v: Value, ctx: CallCtx): void {
  if (obj instanceof PyInstance || (obj instanceof PyDict && obj.cls)) {
    const sa = (obj.cls as PyClass).lookup('__setattr__');
    if (sa !== undefined && sa !== it.types.get('object')!.dict.get('__setattr__')) { it.call(bindDescriptor(it, sa, obj, obj.cls as PyClass), [name, v], NO_KWARGS, ctx); return; }
    genericSetAttr(it, obj, name, v, ctx);
    return;
  }
  if (obj instanceof PyClass) { obj.dict.set(name, v); return; }
  if (obj instanceof PyModule) { obj.scope.vars.set(name, v); return; }
  if (obj instanceof PyFunction || obj instanceof Builtin) { obj.attrs.set(name, v); return; }
  if (obj instanceof Unknown) return;
  if (it.ext.isTensor(obj)) { it.ext.tensorSetItem(obj, `__attr__${name}`, v, ctx); return; }
  throw new PyException('AttributeError', `'${typeName(obj)}' object attribute '${name}' is read-only`, null, ctx.file, ctx.s, ctx.e);
}

/** object.__setattr__: data descriptors, `__dict__` replacement, nn.Module state, then the attribute store. */
export function genericSetAttr(it: Interp, obj: PyInstance | PyDict, name: string, v: Value, ctx: CallCtx): void {
  const cls = obj.cls as PyClass;
  const p = cls.lookup(name);
  if (p instanceof Property) {
    if (p.fset === null) throw new PyException('AttributeError', `can't set attribute '${name}'`, null, ctx.file, ctx.s, ctx.e);
    it.call(p.fset, [obj, v], NO_KWARGS, ctx);
    return;
  }
  if (name === '__dict__') {
    if (!(v instanceof PyDict)) throw new PyException('TypeError', `__dict__ must be set to a dictionary, not a '${typeName(v)}'`, null, ctx.file, ctx.s, ctx.e);
    const store = new DictAttrStore(v);
    if (obj instanceof PyInstance) obj.dict = store; else obj.attrs = store;
    return;
  }
  if (obj instanceof PyDict) { (obj.attrs ??= new Map()).set(name, v); return; }
  if (it.ext.isModule(obj) && it.ext.moduleSetAttr(obj, name, v)) return;
  obj.dict.set(name, v);
}

/** `del obj.name` and delattr(): `__delattr__`, nn.Module state, the attribute store; AttributeError when absent. */
export function delAttr(it: Interp, obj: Value, name: string, ctx: CallCtx): void {
  const missing = (): PyException => new PyException('AttributeError', `'${obj instanceof PyClass ? obj.name : typeName(obj)}' object has no attribute '${name}'`, null, ctx.file, ctx.s, ctx.e);
  if (obj instanceof Unknown) return;
  if (obj instanceof PyInstance || (obj instanceof PyDict && obj.cls)) {
    const cls = obj.cls as PyClass;
    const da = cls.lookup('__delattr__');
    if (da !== undefined && da !== it.types.get('object')!.dict.get('__delattr__')) { it.call(bindDescriptor(it, da, obj, cls), [name], NO_KWARGS, ctx); return; }
    genericDelAttr(it, obj, name, ctx);
    return;
  }
  if (obj instanceof PyClass) { if (!obj.dict.delete(name)) throw missing(); return; }
  if (obj instanceof PyModule) { if (!obj.scope.vars.delete(name)) throw missing(); return; }
  if (obj instanceof PyFunction || obj instanceof Builtin) { if (!obj.attrs.delete(name)) throw missing(); return; }
  throw missing();
}

/** object.__delattr__. */
export function genericDelAttr(it: Interp, obj: PyInstance | PyDict, name: string, ctx: CallCtx): void {
  if (obj instanceof PyInstance && it.ext.isModule(obj) && it.ext.moduleDelAttr(obj, name)) return;
  const store = obj instanceof PyInstance ? obj.dict : obj.attrs;
  if (!store?.delete(name)) throw new PyException('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`, null, ctx.file, ctx.s, ctx.e);
}
