// What every native stdlib module is built from: a module object over a members table, built-in
// functions, typing-style marker classes, and the argument helpers the modules share.
// Adding a module: one file exporting `(it) => members` and one line in registry.ts.
import type { Interp } from '../interp';
import { Scope } from '../scope';
import {
  Builtin, InterpError, PyClass, PyDict, PyException, PyFloat, PyList, PyModule, PyRange, PyTuple, Unknown,
  type NativeFn, type Value,
} from '../values';
import { isNum, numVal } from '../ops';

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
  if (!isNum(v)) throw new PyException('TypeError', 'must be real number');
  return numVal(v);
}

export const flt = (x: number): PyFloat => new PyFloat(x);

export function kwOr(kw: Map<string, Value>, name: string, def: Value): Value {
  const v = kw.get(name);
  return v === undefined ? def : v;
}

/** A class used only as a typing marker: subscriptable, and isinstance() answers with `check`. */
export function marker(it: Interp, name: string, check?: (v: Value) => boolean): PyClass {
  const c = new PyClass(name, [it.types.get('object')!], 'typing');
  if (check) c.dict.set('__instancecheck_native__', new Builtin('instancecheck', (a) => check(a[0])));
  return c;
}

export const isSeq = (v: Value): boolean => v instanceof PyList || v instanceof PyTuple || typeof v === 'string' || v instanceof PyRange;
export const isMap = (v: Value): boolean => v instanceof PyDict;
