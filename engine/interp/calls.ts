// Calling: every callable value (Python functions, built-ins, bound methods, classes, partials,
// instances with __call__, nn.Modules through the extension), Python's argument binding, and class
// instantiation (__new__, __init__, native state). Recursion is bounded by the interpreter's maxDepth.
import type { Param } from '../python/ast';
import type { Interp } from './interp';
import { Scope } from './scope';
import {
  BoundMethod, Builtin, ClassMethod, InterpError, LazyRef, Partial, PyClass, PyDict, PyException, PyFunction, PyInstance,
  PyTuple, StaticMethod, Unknown, typeName, type CallCtx, type Value,
} from './values';
import { hashKey } from './ops';

/** A keyword map that refuses writes: the one empty kwargs of every call written without keywords. */
class FrozenKwargs extends Map<string, Value> {
  override set(k: string): this { throw new Error(`internal: the shared empty keyword arguments were written (${k})`); }
  override delete(): boolean { throw new Error('internal: the shared empty keyword arguments were written'); }
  override clear(): void { throw new Error('internal: the shared empty keyword arguments were written'); }
}
export const NO_KWARGS: Map<string, Value> = new FrozenKwargs();

export function call(it: Interp, fn: Value, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
  it.step();
  if (fn instanceof PyFunction) return callFunction(it, fn, args, kwargs, ctx);
  if (fn instanceof Builtin) {
    try {
      return fn.fn(args, kwargs, ctx);
    } catch (err) {
      if ((err instanceof PyException || err instanceof InterpError) && err.s === undefined) { err.s = ctx.s; err.e = ctx.e; (err as { file?: string }).file ??= ctx.file; }
      throw err;
    }
  }
  if (fn instanceof BoundMethod) return call(it, fn.fn, [fn.self, ...args], kwargs, ctx);
  if (fn instanceof PyClass) return instantiate(it, fn, args, kwargs, ctx);
  if (fn instanceof Partial) {
    const kw = new Map(fn.kwargs);
    for (const [k, v] of kwargs) kw.set(k, v);
    return call(it, fn.fn, [...fn.args, ...args], kw, ctx);
  }
  if (fn instanceof StaticMethod || fn instanceof ClassMethod) return call(it, fn.fn, args, kwargs, ctx);
  if (fn instanceof PyInstance) {
    if (it.ext.isModule(fn)) return it.ext.callModule(fn, args, kwargs, ctx);
    const c = fn.cls.lookup('__call__');
    if (c !== undefined) return call(it, c, [fn, ...args], kwargs, ctx);
  }
  if (fn instanceof Unknown) return new Unknown(fn.reason, fn.file, fn.s, fn.e);
  if (fn instanceof LazyRef) return call(it, fn.resolve(), args, kwargs, ctx);
  throw new PyException('TypeError', `'${typeName(fn)}' object is not callable`, null, ctx.file, ctx.s, ctx.e);
}

export function callFunction(it: Interp, fn: PyFunction, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
  if (it.depth >= it.opts.maxDepth) {
    throw new InterpError(`analysis stopped: recursion deeper than ${it.opts.maxDepth} calls (in '${fn.code.name}')`, fn.code.file, fn.code.s, fn.code.e, 'budget');
  }
  const scope = new Scope('function', fn.closure, fn.closure.moduleScope);
  bindArgs(fn, args, kwargs, scope.vars, ctx);
  if (fn.ownerClass) {
    scope.classOwner = fn.ownerClass;
    const first = fn.code.params[0];
    if (first) scope.selfArg = scope.vars.get(first.name);
  }
  it.depth++;
  const saved = it.cur;
  try {
    if (fn.code.expr) return it.eval(fn.code.expr, scope, fn.module);
    const f = it.execBlock(fn.code.body!, scope, fn.module);
    return f !== undefined && typeof f === 'object' ? f.ret : null;
  } finally {
    it.depth--;
    it.cur = saved;
  }
}

export function bindArgs(fn: PyFunction, args: Value[], kwargs: Map<string, Value>, into: Map<string, Value>, ctx: CallCtx): void {
  const params = fn.code.params;
  // NOTE: a hot path (every Python call): nothing is allocated here unless an error is raised
  const err = (msg: string): PyException => new PyException('TypeError', `${fn.code.qualname}() ${msg}`, null, ctx.file, ctx.s, ctx.e);
  let ai = 0;
  let varkw: PyDict | null = null;
  let varargs = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.kind === 'pos') {
      if (ai < args.length) {
        if (kwargs.size && kwargs.has(p.name)) throw err(`got multiple values for argument '${p.name}'`);
        into.set(p.name, args[ai++]);
      }
    } else if (p.kind === 'varargs') {
      into.set(p.name, new PyTuple(args.slice(ai)));
      ai = args.length;
      varargs = true;
    } else if (p.kind === 'varkw') {
      varkw = new PyDict();
      into.set(p.name, varkw);
    }
  }
  if (ai < args.length && !varargs) throw err(tooManyPositional(fn, args.length));
  if (kwargs.size) {
    for (const [k, v] of kwargs) {
      if (namedParam(params, k)) { into.set(k, v); continue; }
      if (varkw) { varkw.map.set(hashKey(k), { k, v }); continue; }
      throw err(`got an unexpected keyword argument '${k}'`);
    }
  }
  let missing = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if ((p.kind === 'pos' || p.kind === 'kwonly') && !into.has(p.name)) {
      const d = fn.defaults.get(p.name);
      if (d === undefined) missing = true;
      else into.set(p.name, d);
    }
  }
  if (!missing) return;
  for (const kind of ['pos', 'kwonly'] as const) {
    const m = params.filter((p) => p.kind === kind && !into.has(p.name)).map((p) => p.name);
    if (!m.length) continue;
    const names = m.map((n) => `'${n}'`);
    const list = names.length === 1 ? names[0] : names.length === 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
    throw err(`missing ${m.length} required ${kind === 'pos' ? 'positional' : 'keyword-only'} argument${m.length > 1 ? 's' : ''}: ${list}`);
  }
}

/** Whether `name` is a parameter a keyword argument binds (positional-or-keyword or keyword-only). */
function namedParam(params: readonly Param[], name: string): boolean {
  for (let i = 0; i < params.length; i++) if (params[i].name === name && (params[i].kind === 'pos' || params[i].kind === 'kwonly')) return true;
  return false;
}

/** CPython's "takes 2 positional arguments but 3 were given" / "takes from 1 to 3 ...". */
function tooManyPositional(fn: PyFunction, given: number): string {
  const pos = fn.code.params.filter((p) => p.kind === 'pos');
  const required = pos.filter((p) => !fn.defaults.has(p.name)).length;
  const takes = required === pos.length ? `${pos.length} positional argument${pos.length === 1 ? '' : 's'}` : `from ${required} to ${pos.length} positional arguments`;
  return `takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`;
}

export function instantiate(it: Interp, cls: PyClass, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
  const newFn = cls.lookup('__new__');
  if (newFn instanceof Builtin || newFn instanceof StaticMethod || newFn instanceof PyFunction) {
    const r = call(it, newFn instanceof StaticMethod ? newFn.fn : newFn, [cls, ...args], kwargs, ctx);
    const rcls = r instanceof PyInstance ? r.cls : r instanceof PyDict ? r.cls : undefined;
    if (!rcls || !rcls.isSubclassOf(cls)) return r;
    if (r instanceof PyInstance && r.dict.has('__initialised_native__')) return r;
    const init = cls.lookup('__init__');
    if (init !== undefined && !(init instanceof Builtin && init.name === 'object.__init__')) call(it, init, [r, ...args], kwargs, ctx);
    return r;
  }
  const inst = new PyInstance(cls);
  for (let i = cls.mro.length - 1; i >= 0; i--) cls.mro[i].native?.create?.(inst);
  it.ext.onInstantiate(inst, ctx);
  const init = cls.lookup('__init__');
  if (init !== undefined) call(it, init, [inst, ...args], kwargs, ctx);
  return inst;
}
