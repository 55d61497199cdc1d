// dataclasses as CPython 3.11 processes a class: fields from annotations (ClassVar and InitVar set
// apart), inherited fields in MRO order, the generated __init__ (positional and keyword binding with
// Python's errors), __repr__, __eq__, order, frozen; field(), fields(), asdict(), astuple(), replace().
// Nothing here evaluates user code except the default factories and __post_init__ the class defines.
import type { Interp } from '../interp';
import { Scope } from '../scope';
import {
  Builtin, PyClass, PyDict, PyException, PyFunction, PyInstance, PyList, PyModule, PySet, PyTuple, Unknown, typeName,
  type CallCtx, type Value,
} from '../values';
import type { Param } from '../../python/ast';
import { hashKey, pyCompare, pyEquals, pyStr } from '../ops';
import { annotationNames } from '../statements';
import { reprValue } from '../builtins/define';
import { deepCopy } from './copy';
import { aliasOrigin, fn, kwOr } from './native';
import { NO_KWARGS } from '../calls';

type Kind = 'field' | 'classvar' | 'initvar';

interface Dc {
  it: Interp;
  Field: PyClass;
  MISSING: PyInstance;
  InitVar: PyClass;
  KW_ONLY: PyClass;
  Frozen: PyClass;
  /** module the generated __init__ shells belong to */
  mod: PyModule;
}

const OPTIONS = ['init', 'repr', 'eq', 'order', 'unsafe_hash', 'frozen', 'match_args', 'kw_only', 'slots', 'weakref_slot'];

export function dataclasses(it: Interp): Record<string, Value> {
  const object = it.types.get('object')!;
  const missingType = new PyClass('_MISSING_TYPE', [object], 'dataclasses');
  const dc: Dc = {
    it, Field: new PyClass('Field', [object], 'dataclasses'), MISSING: new PyInstance(missingType),
    InitVar: new PyClass('InitVar', [object], 'dataclasses'), KW_ONLY: new PyClass('KW_ONLY', [object], 'dataclasses'),
    Frozen: new PyClass('FrozenInstanceError', [it.types.get('AttributeError')!], 'dataclasses'),
    mod: new PyModule('dataclasses', '<dataclasses>', new Scope('module', it.builtins, null)),
  };
  dc.InitVar.dict.set('__class_getitem__', fn('InitVar.__class_getitem__', (a) => { const iv = new PyInstance(dc.InitVar); iv.dict.set('type', a[1]); return iv; }));
  const field = fn('field', (a, kw) => {
    if (a.length) throw new PyException('TypeError', `field() takes 0 positional arguments but ${a.length} were given`);
    for (const k of kw.keys()) if (!['default', 'default_factory', 'init', 'repr', 'hash', 'compare', 'metadata', 'kw_only'].includes(k)) throw new PyException('TypeError', `field() got an unexpected keyword argument '${k}'`);
    if (kw.has('default') && kw.has('default_factory')) throw new PyException('ValueError', 'cannot specify both default and default_factory');
    return makeField(dc, kw);
  });
  const dataclass = fn('dataclass', (a, kw) => {
    for (const k of kw.keys()) if (!OPTIONS.includes(k)) throw new PyException('TypeError', `dataclass() got an unexpected keyword argument '${k}'`);
    const wrap = (cls: Value, ctx: CallCtx): Value => {
      if (!(cls instanceof PyClass)) throw new PyException('TypeError', `dataclass() should be applied to a class, not ${typeName(cls)}`);
      return processClass(dc, cls, kw, ctx);
    };
    if (a.length && a[0] !== null) return wrap(a[0], {}); // dataclass(cls, ...)
    return fn('dataclass_decorator', (b, _k, ctx) => wrap(b[0], ctx));
  });
  return {
    dataclass, field, MISSING: dc.MISSING, Field: dc.Field, InitVar: dc.InitVar, KW_ONLY: dc.KW_ONLY, FrozenInstanceError: dc.Frozen,
    fields: fn('fields', (a) => new PyTuple(fieldList(a[0]).filter((f) => kindOf(f) === 'field'))),
    asdict: fn('asdict', (a, kw) => { instanceFields(dc, a[0], 'asdict'); return asInner(dc, a[0], kwOr(kw, 'dict_factory', null), 'dict'); }),
    astuple: fn('astuple', (a, kw) => { instanceFields(dc, a[0], 'astuple'); return asInner(dc, a[0], kwOr(kw, 'tuple_factory', null), 'tuple'); }),
    replace: fn('replace', (a, kw, ctx) => replace(dc, a[0], kw, ctx)),
    is_dataclass: fn('is_dataclass', (a) => dcClass(a[0]) !== undefined),
  };
}

function makeField(dc: Dc, kw: Map<string, Value>): PyInstance {
  const f = new PyInstance(dc.Field);
  const opt = (k: string, d: Value): Value => kwOr(kw, k, d);
  f.dict.set('name', null); f.dict.set('type', null);
  f.dict.set('default', opt('default', dc.MISSING)); f.dict.set('default_factory', opt('default_factory', dc.MISSING));
  f.dict.set('init', opt('init', true)); f.dict.set('repr', opt('repr', true)); f.dict.set('hash', opt('hash', null));
  f.dict.set('compare', opt('compare', true)); f.dict.set('metadata', opt('metadata', new PyDict()));
  f.dict.set('kw_only', opt('kw_only', dc.MISSING));
  f.dict.set('_field_type', null);
  return f;
}

const attr = (f: PyInstance, k: string): Value => f.dict.get(k) ?? null;
const kindOf = (f: PyInstance): Kind => attr(f, '_field_type') as Kind;
const truthyFlag = (dc: Dc, v: Value): boolean => v !== null && v !== false && v !== 0 && v !== dc.MISSING;

/** The class holding `__dataclass_fields__` for a class or an instance, if it is a dataclass. */
function dcClass(v: Value): PyClass | undefined {
  const cls = v instanceof PyClass ? v : v instanceof PyInstance ? v.cls : undefined;
  return cls && cls.lookup('__dataclass_fields__') instanceof PyDict ? cls : undefined;
}

function fieldList(v: Value): PyInstance[] {
  const cls = dcClass(v);
  if (!cls) throw new PyException('TypeError', 'must be called with a dataclass type or instance');
  return [...(cls.lookup('__dataclass_fields__') as PyDict).map.values()].map((e) => e.v as PyInstance);
}

function instanceFields(dc: Dc, v: Value, who: string): PyInstance[] {
  if (!(v instanceof PyInstance) || !dcClass(v)) throw new PyException('TypeError', `${who}() should be called on dataclass instances`);
  return fieldList(v);
}

function isClassVar(t: Value): boolean {
  if (typeof t === 'string') return /^\s*(typing\.)?ClassVar\b/.test(t);
  const o = aliasOrigin(t) ?? t;
  return o instanceof PyClass && o.name === 'ClassVar' && o.moduleName === 'typing';
}

function isInitVar(dc: Dc, t: Value): boolean {
  if (typeof t === 'string') return /^\s*(dataclasses\.)?InitVar\b/.test(t);
  return t === dc.InitVar || (t instanceof PyInstance && t.cls === dc.InitVar);
}

/** CPython's _process_class. */
function processClass(dc: Dc, cls: PyClass, kw: Map<string, Value>, ctx: CallCtx): PyClass {
  const opt = (k: string, d: boolean): boolean => { const v = kw.get(k); return v === undefined ? d : truthyFlag(dc, v); };
  const frozen = opt('frozen', false), eq = opt('eq', true), order = opt('order', false), kwOnly = opt('kw_only', false);
  const err = (type: string, msg: string): PyException => new PyException(type, msg, null, ctx.file, ctx.s, ctx.e);
  const fields = new Map<string, PyInstance>();
  let anyFrozenBase = false, hasDcBases = false;
  for (const b of [...cls.mro].reverse().slice(0, -1)) {
    const bf = b.dict.get('__dataclass_fields__');
    if (!(bf instanceof PyDict)) continue;
    hasDcBases = true;
    for (const e of bf.map.values()) fields.set(String(e.k), e.v as PyInstance);
    if ((b.dict.get('__dataclass_params__') as PyInstance | undefined)?.dict.get('frozen') === true) anyFrozenBase = true;
  }
  const ann = cls.dict.get('__annotations__');
  let kwOnlyHere = kwOnly;
  const own: PyInstance[] = [];
  for (const name of annotationNames(cls)) {
    const type = (ann as PyDict).map.get(hashKey(name))!.v;
    if (type === dc.KW_ONLY || (type instanceof PyClass && type.name === 'KW_ONLY')) {
      if (kwOnlyHere !== kwOnly && kwOnlyHere) throw err('TypeError', `'${name}' is KW_ONLY, but KW_ONLY has already been specified`);
      kwOnlyHere = true;
      continue;
    }
    own.push(getField(dc, cls, name, type, kwOnlyHere, err));
  }
  for (const f of own) {
    const name = String(attr(f, 'name'));
    fields.set(name, f);
    // a field(...) class attribute becomes its default, or goes away
    if (cls.dict.get(name) instanceof PyInstance && (cls.dict.get(name) as PyInstance).cls === dc.Field) {
      if (attr(f, 'default') === dc.MISSING) cls.dict.delete(name); else cls.dict.set(name, attr(f, 'default'));
    }
  }
  for (const [k, v] of cls.dict) {
    if (v instanceof PyInstance && v.cls === dc.Field && !own.some((f) => attr(f, 'name') === k)) throw err('TypeError', `'${k}' is a field but has no type annotation`);
  }
  if (hasDcBases) {
    if (anyFrozenBase && !frozen) throw err('TypeError', 'cannot inherit non-frozen dataclass from a frozen one');
    if (!anyFrozenBase && frozen && cls.mro.slice(1).some((b) => b.dict.has('__dataclass_fields__'))) throw err('TypeError', 'cannot inherit frozen dataclass from a non-frozen one');
  }
  const params = new PyInstance(new PyClass('_DataclassParams', [dc.it.types.get('object')!], 'dataclasses'));
  for (const k of OPTIONS) params.dict.set(k, opt(k, ['init', 'repr', 'eq', 'match_args'].includes(k)));
  cls.dict.set('__dataclass_params__', params);
  const fd = new PyDict();
  for (const [k, f] of fields) fd.map.set(hashKey(k), { k, v: f });
  cls.dict.set('__dataclass_fields__', fd);
  const all = [...fields.values()];
  const setNew = (name: string, v: Value): void => { if (!cls.dict.has(name)) cls.dict.set(name, v); };
  if (opt('init', true)) setNew('__init__', makeInit(dc, cls, all, frozen, err));
  if (opt('repr', true)) setNew('__repr__', makeRepr(dc, cls, all));
  const cmp = all.filter((f) => kindOf(f) === 'field' && truthyFlag(dc, attr(f, 'compare')));
  const tupleOf = (v: PyInstance): Value[] => cmp.map((f) => dc.it.getAttr(v, String(attr(f, 'name')), {}));
  if (eq) setNew('__eq__', new Builtin(`${cls.name}.__eq__`, (a) => comparable(dc, a) ? pyEquals(new PyTuple(tupleOf(a[0] as PyInstance)), new PyTuple(tupleOf(a[1] as PyInstance))) : dc.it.builtins.vars.get('NotImplemented')!));
  if (order) {
    if (!eq) throw err('ValueError', 'eq must be true if order is true');
    for (const [name, test] of [['__lt__', (c: number) => c < 0], ['__le__', (c: number) => c <= 0], ['__gt__', (c: number) => c > 0], ['__ge__', (c: number) => c >= 0]] as const) {
      if (cls.dict.has(name)) throw err('TypeError', `Cannot overwrite attribute ${name} in class ${cls.name}. Consider using functools.total_ordering`);
      cls.dict.set(name, new Builtin(`${cls.name}.${name}`, (a) => comparable(dc, a) ? test(pyCompare(new PyTuple(tupleOf(a[0] as PyInstance)), new PyTuple(tupleOf(a[1] as PyInstance)))) : dc.it.builtins.vars.get('NotImplemented')!));
    }
  }
  if (frozen) installFrozen(dc, cls, fields, err);
  // eq and frozen: hashed by the compared fields (ops.hashKey reads this), so equal instances are one key
  if (eq && frozen && !cls.dict.has('__hash__')) cls.dict.set('__hash_fields_native__', new PyTuple(cmp.map((f) => attr(f, 'name'))));
  // CPython's hash table: eq without frozen (and no explicit __hash__) makes instances unhashable
  if (eq && !frozen && !opt('unsafe_hash', false) && !cls.dict.has('__hash__')) cls.dict.set('__hash__', null);
  return cls;
}

function comparable(dc: Dc, a: Value[]): boolean {
  void dc;
  return a[0] instanceof PyInstance && a[1] instanceof PyInstance && a[0].cls === a[1].cls;
}

/** CPython's _get_field: the Field for one annotated name, with its kind and checks. */
function getField(dc: Dc, cls: PyClass, name: string, type: Value, kwOnly: boolean, err: (t: string, m: string) => PyException): PyInstance {
  const dflt = cls.dict.get(name);
  const f = dflt instanceof PyInstance && dflt.cls === dc.Field ? dflt : makeField(dc, new Map(dflt === undefined ? [] : [['default', dflt]]));
  f.dict.set('name', name);
  f.dict.set('type', type);
  const kind: Kind = isClassVar(type) ? 'classvar' : isInitVar(dc, type) ? 'initvar' : 'field';
  f.dict.set('_field_type', kind);
  if (kind !== 'field') {
    if (attr(f, 'default_factory') !== dc.MISSING) throw err('TypeError', `field ${name} cannot have a default factory`);
    f.dict.set('kw_only', false);
  } else if (attr(f, 'kw_only') === dc.MISSING) {
    f.dict.set('kw_only', kwOnly);
  }
  const d = attr(f, 'default');
  const unhashable = d instanceof PyList || d instanceof PyDict || d instanceof PySet || (d instanceof PyInstance && d.cls.lookup('__hash__') === null);
  if (kind === 'field' && unhashable) {
    const cn = d instanceof PyInstance ? `${d.cls.moduleName}.${d.cls.name}` : typeName(d);
    throw err('ValueError', `mutable default <class '${cn}'> for field ${name} is not allowed: use default_factory`);
  }
  return f;
}

/** The generated __init__: Python's argument binding over the init fields, then defaults, factories, __post_init__. */
function makeInit(dc: Dc, cls: PyClass, all: PyInstance[], frozen: boolean, err: (t: string, m: string) => PyException): Builtin {
  const it = dc.it;
  const inits = all.filter((f) => kindOf(f) !== 'classvar' && truthyFlag(dc, attr(f, 'init')));
  const positional = inits.filter((f) => attr(f, 'kw_only') !== true), kwonly = inits.filter((f) => attr(f, 'kw_only') === true);
  let seenDefault = false;
  for (const f of positional) {
    const has = attr(f, 'default') !== dc.MISSING || attr(f, 'default_factory') !== dc.MISSING;
    if (!has && seenDefault) throw err('TypeError', `non-default argument '${attr(f, 'name')}' follows default argument`);
    seenDefault ||= has;
  }
  const FACTORY = new Unknown('default factory');
  const ps: Param[] = [{ name: 'self', kind: 'pos', s: 0, e: 0 }];
  const defaults = new Map<string, Value>();
  for (const f of [...positional, ...kwonly]) {
    const name = String(attr(f, 'name'));
    ps.push({ name, kind: attr(f, 'kw_only') === true ? 'kwonly' : 'pos', s: 0, e: 0 });
    if (attr(f, 'default_factory') !== dc.MISSING) defaults.set(name, FACTORY);
    else if (attr(f, 'default') !== dc.MISSING) defaults.set(name, attr(f, 'default'));
  }
  const qual = `${cls.name}.__init__`;
  const shell = new PyFunction({ name: qual, qualname: qual, params: ps, file: '<dataclass>', s: 0, e: 0 }, defaults, dc.mod.scope, dc.mod);
  return new Builtin(qual, (args, kwargs, ctx) => {
    const bound = new Map<string, Value>();
    it.bindArgs(shell, args, kwargs, bound, ctx);
    const self = bound.get('self')!;
    const initVars: Value[] = [];
    for (const f of all) {
      const name = String(attr(f, 'name')), kind = kindOf(f);
      if (kind === 'classvar') continue;
      let v = bound.get(name);
      if (v === FACTORY || (v === undefined && attr(f, 'default_factory') !== dc.MISSING)) v = it.call(attr(f, 'default_factory'), [], NO_KWARGS, ctx);
      if (v === undefined) continue; // init=False with a plain default: the class attribute answers
      if (kind === 'initvar') { initVars.push(v); continue; }
      if (frozen && self instanceof PyInstance) self.dict.set(name, v);
      else it.setAttr(self, name, v, ctx);
    }
    const post = cls.lookup('__post_init__');
    if (post !== undefined) it.call(post, [self, ...initVars], NO_KWARGS, ctx);
    return null;
  });
}

function makeRepr(dc: Dc, cls: PyClass, all: PyInstance[]): Builtin {
  const shown = all.filter((f) => kindOf(f) === 'field' && truthyFlag(dc, attr(f, 'repr')));
  return new Builtin(`${cls.name}.__repr__`, (a, _k, ctx) => {
    const self = a[0] as PyInstance;
    const parts = shown.map((f) => `${attr(f, 'name')}=${reprValue(dc.it, dc.it.getAttr(self, String(attr(f, 'name')), ctx))}`);
    return `${self.cls.name}(${parts.join(', ')})`;
  });
}

function installFrozen(dc: Dc, cls: PyClass, fields: Map<string, PyInstance>, err: (t: string, m: string) => PyException): void {
  for (const n of ['__setattr__', '__delattr__']) if (cls.dict.has(n)) throw err('TypeError', `Cannot overwrite attribute ${n} in class ${cls.name}`);
  const raise = (verb: string, name: string, ctx: CallCtx): never => {
    const e = new PyInstance(dc.Frozen);
    const msg = `cannot ${verb} field '${name}'`;
    e.dict.set('args', new PyTuple([msg]));
    throw new PyException('FrozenInstanceError', msg, e, ctx.file, ctx.s, ctx.e);
  };
  const guard = (verb: string, op: (self: PyInstance, name: string) => void) => (a: Value[], _k: Map<string, Value>, ctx: CallCtx): Value => {
    const self = a[0] as PyInstance, name = pyStr(a[1]);
    if (self.cls === cls || fields.has(name)) raise(verb, name, ctx);
    op(self, name);
    return null;
  };
  cls.dict.set('__setattr__', new Builtin(`${cls.name}.__setattr__`, (a, k, ctx) => guard('assign to', (s, n) => s.dict.set(n, a[2]))(a, k, ctx)));
  cls.dict.set('__delattr__', new Builtin(`${cls.name}.__delattr__`, guard('delete', (s, n) => { s.dict.delete(n); })));
}

function replace(dc: Dc, obj: Value, changes: Map<string, Value>, ctx: CallCtx): Value {
  const fs = instanceFields(dc, obj, 'replace');
  const kw = new Map(changes);
  for (const f of fs) {
    const name = String(attr(f, 'name')), kind = kindOf(f);
    if (kind === 'classvar') continue;
    if (!truthyFlag(dc, attr(f, 'init'))) {
      if (kw.has(name)) throw new PyException('ValueError', `field ${name} is declared with init=False, it cannot be specified with replace()`);
      continue;
    }
    if (kw.has(name)) continue;
    if (kind === 'initvar' && attr(f, 'default') === dc.MISSING) throw new PyException('ValueError', `InitVar '${name}' must be specified with replace()`);
    kw.set(name, dc.it.getAttr(obj, name, ctx));
  }
  return dc.it.call((obj as PyInstance).cls, [], kw, ctx);
}

/** CPython's _asdict_inner / _astuple_inner: dataclasses, namedtuples, lists, tuples and dicts recursively; other values deep-copied. */
function asInner(dc: Dc, v: Value, factory: Value, as: 'dict' | 'tuple'): Value {
  const it = dc.it;
  const rec = (x: Value): Value => asInner(dc, x, factory, as);
  if (v instanceof PyInstance && dcClass(v)) {
    const pairs = fieldList(v).filter((f) => kindOf(f) === 'field').map((f) => [String(attr(f, 'name')), rec(it.getAttr(v, String(attr(f, 'name')), {}))] as const);
    if (as === 'tuple') return factory === null ? new PyTuple(pairs.map((p) => p[1])) : it.call(factory, [new PyList(pairs.map((p) => p[1]))], NO_KWARGS, {});
    if (factory !== null) return it.call(factory, [new PyList(pairs.map(([k, x]) => new PyTuple([k, x])))], NO_KWARGS, {});
    const d = new PyDict();
    for (const [k, x] of pairs) d.map.set(hashKey(k), { k, v: x });
    return d;
  }
  if (v instanceof PyTuple) { const t = new PyTuple(v.items.map(rec)); t.cls = v.cls; return t; }
  if (v instanceof PyList) return new PyList(v.items.map(rec));
  if (v instanceof PyDict) {
    const d = new PyDict();
    for (const e of v.map.values()) { const k = rec(e.k); d.map.set(hashKey(k), { k, v: rec(e.v) }); }
    return d;
  }
  return deepCopy(it, v, new Map());
}
