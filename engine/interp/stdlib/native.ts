// What every native stdlib module is built from: a module object over a members table, built-in
// functions, typing-style marker classes, and the argument helpers the modules share.
// Adding a module: one file exporting `(it) => members` and one line in registry.ts.
import type { Interp } from '../interp';
import { Scope } from '../scope';
import {
  Builtin, InterpError, PyClass, PyDict, PyException, PyFloat, PyInstance, PyList, PyModule, PyRange, PyTuple, Unknown,
  typeName, type NativeFn, type Value,
} from '../values';
import { floatOf, isIntLike, isNum, notAnInteger, numVal, pyStr } from '../ops';
import { NO_KWARGS } from '../calls';

/** The members of a native module, made when Python code first imports it. */
export type ModuleMembers = (it: Interp) => Record<string, Value>;

export function nativeModule(it: Interp, name: string, members: Record<string, Value>): PyModule {
  const scope = new Scope('module', it.builtins, null);
  for (const [k, v] of Object.entries(members)) scope.vars.set(k, v);
  scope.vars.set('__name__', name);
  return new PyModule(name, `<${name}>`, scope);
}

export const fn = (name: string, f: NativeFn): Builtin => new Builtin(name, f);

/** A real-number argument; an unknown one stops the computation with a diagnostic. */
export function realArg(v: Value): number {
  if (v instanceof Unknown) throw new InterpError(`math on an unknown value (${v.reason})`);
  if (!isNum(v)) throw new PyException('TypeError', `must be real number, not ${typeName(v)}`);
  return floatOf(v);
}

/** An integer argument (`__index__`): an unknown one stops the computation with a diagnostic. */
export function intArg(v: Value | undefined): number {
  if (v instanceof Unknown) throw new InterpError(`an integer the analysis cannot know (${v.reason})`);
  if (v === undefined || !isIntLike(v)) throw notAnInteger(v);
  return numVal(v);
}

export const flt = (x: number): PyFloat => new PyFloat(x);

export function kwOr(kw: Map<string, Value>, name: string, def: Value): Value {
  const v = kw.get(name);
  return v === undefined ? def : v;
}

/** A class used only as a typing marker: subscripting gives a typing generic alias (`List[int]`), and
 *  isinstance() answers with `check`. */
export function marker(it: Interp, name: string, check?: (v: Value) => boolean): PyClass {
  const c = new PyClass(name, [it.types.get('object')!], 'typing');
  if (check) c.dict.set('__instancecheck_native__', new Builtin('instancecheck', (a) => check(a[0])));
  c.dict.set('__class_getitem__', new Builtin(`${name}.__class_getitem__`, (a) => genericAlias(it, c, a[1])));
  return c;
}

const aliasClasses = new WeakMap<Interp, PyClass>();

/** typing's `_GenericAlias`: `__origin__` and `__args__`, repr `typing.List[int]`; not a class. */
export function genericAlias(it: Interp, origin: PyClass, args: Value): PyInstance {
  let cls = aliasClasses.get(it);
  if (!cls) {
    cls = new PyClass('_GenericAlias', [it.types.get('object')!], 'typing');
    cls.dict.set('__repr__', new Builtin('_GenericAlias.__repr__', (a) => {
      const self = a[0] as PyInstance;
      const o = self.dict.get('__origin__') as PyClass;
      const items = (self.dict.get('__args__') as PyTuple).items.map((x) => (x instanceof PyClass ? (x.moduleName === 'builtins' ? x.name : `${x.moduleName}.${x.name}`) : x === null ? 'None' : x instanceof PyInstance ? pyStr(it.call(it.getAttr(x, '__repr__', {}), [], NO_KWARGS, {})) : pyStr(x)));
      return `typing.${o.name}[${items.join(', ')}]`;
    }));
    cls.dict.set('__getitem__', new Builtin('_GenericAlias.__getitem__', (a) => a[0]));
    aliasClasses.set(it, cls);
  }
  const inst = new PyInstance(cls);
  inst.dict.set('__origin__', origin);
  inst.dict.set('__args__', args instanceof PyTuple ? args : new PyTuple([args]));
  return inst;
}

/** The `__origin__` of a typing generic alias, else undefined. */
export function aliasOrigin(v: Value): Value | undefined {
  return v instanceof PyInstance && v.cls.name === '_GenericAlias' && v.cls.moduleName === 'typing' ? v.dict.get('__origin__') : undefined;
}

export const isSeq = (v: Value): boolean => v instanceof PyList || v instanceof PyTuple || typeof v === 'string' || v instanceof PyRange;
export const isMap = (v: Value): boolean => v instanceof PyDict;
