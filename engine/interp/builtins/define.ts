// What the built-ins are made of: registering a function or a type in the builtins scope, a table of
// a built-in type's methods, and the conversions several built-ins share (numbers, str(), sorting).
// Pure functions over interpreter values.
import type { Interp, PrimitiveMethod } from '../interp';
import { Builtin, InterpError, PyClass, PyDict, PyException, PyFloat, PyInstance, PyList, PyTuple, Unknown, typeName, type CallCtx, type NativeFn, type Value } from '../values';
import { dictSet, isNum, numVal, pyRepr, pyStr } from '../ops';
import { orderBy } from '../protocols';
import { charge } from '../budget';
import { NO_KWARGS } from '../calls';
import { FUNCTION_ARITY, METHOD_ARITY, arityError } from './arity';

export function defineFn(it: Interp, name: string, fn: NativeFn): Builtin {
  const spec = FUNCTION_ARITY[name];
  const b = new Builtin(name, spec ? (a, kw, ctx) => { const err = arityError(name, spec, a); if (err) throw err; return fn(a, kw, ctx); } : fn);
  it.builtins.vars.set(name, b);
  return b;
}

export function defineType(it: Interp, name: string, bases: PyClass[] = [], newFn?: NativeFn): PyClass {
  const c = new PyClass(name, bases, 'builtins');
  if (newFn) c.dict.set('__new__', new Builtin(`${name}.__new__`, newFn));
  it.types.set(name, c);
  it.builtins.vars.set(name, c);
  return c;
}

export function primitiveTable(it: Interp, name: string, methods: Record<string, PrimitiveMethod>): void {
  const specs = METHOD_ARITY[name] ?? {};
  it.primitiveMethods.set(name, new Map(Object.entries(methods).map(([k, m]): [string, PrimitiveMethod] => {
    const spec = specs[k];
    return [k, spec ? (s, a, kw, ctx) => { const err = arityError(`${name}.${k}`, spec, a); if (err) throw err; return m(s, a, kw, ctx); } : m];
  })));
}

export function numArg(v: Value, what: string): number {
  if (isNum(v)) return numVal(v);
  throw new PyException('TypeError', `${what} argument must be a number, not '${typeName(v)}'`);
}

export { roundHalfEven } from '../../util/numeric';

/** str(v): a class's __str__ / __repr__ when it has one. */
export function strValue(it: Interp, v: Value): Value {
  if (v instanceof Unknown) return v;
  if (v instanceof PyInstance) {
    const f = v.cls.lookup('__str__') ?? v.cls.lookup('__repr__');
    if (f) return it.call(f, [v], NO_KWARGS, {});
  }
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict) return reprValue(it, v);
  return pyStr(v);
}

/** repr(v): a class's own __repr__, containers item by item, plain values as ops.pyRepr. */
/** Work units of one item's repr (a call, a string, a join): more than a copied element. */
const REPR_COST = 8;

export function reprValue(it: Interp, v: Value): string {
  if (v instanceof PyInstance) {
    const f = v.cls.lookup('__repr__');
    if (f !== undefined) return pyStr(it.call(f, [v], NO_KWARGS, {}));
  }
  // NOTE: charged per item, so that a big or shared structure (`[[0] * 10**6] * 10**6`) ends in the budget
  if (v instanceof PyList || v instanceof PyTuple) charge(REPR_COST * v.items.length);
  if (v instanceof PyDict) charge(REPR_COST * v.map.size);
  if (v instanceof PyList) return `[${v.items.map((x) => reprValue(it, x)).join(', ')}]`;
  if (v instanceof PyTuple && !v.cls) return v.items.length === 1 ? `(${reprValue(it, v.items[0])},)` : `(${v.items.map((x) => reprValue(it, x)).join(', ')})`;
  if (v instanceof PyDict) return `{${[...v.map.values()].map((e) => `${reprValue(it, e.k)}: ${reprValue(it, e.v)}`).join(', ')}}`;
  return pyRepr(v);
}

export function dictUpdate(it: Interp, d: PyDict, src: Value): void {
  if (src instanceof PyDict) { for (const e of src.map.values()) dictSet(d, e.k, e.v); return; }
  if (src instanceof Unknown) throw new InterpError(`dict() of an unknown value (${src.reason})`);
  it.iterate(src, {}).forEach((pair, i) => {
    if (pair instanceof Unknown) throw new InterpError(`dict() of an unknown item (${pair.reason})`);
    if (pair === null || typeof pair === 'number' || typeof pair === 'boolean' || typeof pair === 'bigint' || pair instanceof PyFloat) {
      throw new PyException('TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`);
    }
    const kv = it.iterate(pair, {});
    if (kv.length !== 2) throw new PyException('ValueError', `dictionary update sequence element #${i} has length ${kv.length}; 2 is required`);
    dictSet(d, kv[0], kv[1]);
  });
}

export function sortValues(it: Interp, items: Value[], kw: Map<string, Value>, ctx: CallCtx): Value[] {
  const key = kw.get('key');
  const keyed = items.map((v) => ({ v, k: key !== undefined && key !== null ? it.call(key, [v], NO_KWARGS, ctx) : v }));
  const u = keyed.find((x) => x.k instanceof Unknown);
  if (u) throw new InterpError('sorting values the analysis cannot know');
  const cmp = orderBy(it, ctx);
  // about n·log2(n) comparisons, each a Python comparison: charged as work before sorting
  charge(Math.ceil(items.length * Math.log2(items.length + 1)) * 4);
  keyed.sort((a, b) => cmp(a.k, b.k));
  if (kw.get('reverse') === true) keyed.reverse();
  return keyed.map((x) => x.v);
}
