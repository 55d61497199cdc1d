// Statement execution: assignment targets, control flow, function and class definitions, try/except,
// with, assert, raise, del. A module's top level runs tolerantly: a failing statement becomes a
// diagnostic and the names it would bind become Unknown, so one bad line never hides the rest.
import type { Expr, Param, Stmt } from '../python/ast';
import type { Interp } from './interp';
import { Scope } from './scope';
import {
  Builtin, ClassMethod, InterpError, Property, PyClass, PyDict, PyException, PyFunction, PyInstance, PyList, PyTuple,
  StaticMethod, Unknown, typeName, type PyModule, type Value,
} from './values';
import { hashKey, pyRepr, pyStr } from './ops';
import { delAttr } from './attributes';
import { aliasOrigin } from './stdlib/native';
import { charge, checkSize, pushAll, resetStatementWork } from './budget';
import { NO_KWARGS } from './calls';

const BREAK = 1, CONTINUE = 2;
/** How a block ended: normally (undefined), by break/continue, or by return with its value. */
export type Flow = undefined | typeof BREAK | typeof CONTINUE | { ret: Value };

export function execBlock(it: Interp, body: Stmt[], scope: Scope, mod: PyModule): Flow {
  for (const st of body) {
    const f = execStmt(it, st, scope, mod);
    if (f !== undefined) return f;
  }
  return undefined;
}

export function execStmt(it: Interp, st: Stmt, scope: Scope, mod: PyModule): Flow {
  it.step();
  const file = mod.path;
  it.cur = { file, s: st.s, e: st.e };
  switch (st.k) {
    case 'Expr': it.eval(st.value, scope, mod); return undefined;
    case 'Assign': {
      const v = it.eval(st.value, scope, mod);
      for (const t of st.targets) assign(it, t, v, scope, mod);
      return undefined;
    }
    case 'AnnAssign':
      // a class body records every annotated name, with or without a value (dataclass fields, NamedTuple)
      if (scope.kind === 'class' && st.target.k === 'Name') recordAnnotation(it, st, st.target.id, scope, mod);
      if (st.value) assign(it, st.target, it.eval(st.value, scope, mod), scope, mod);
      return undefined;
    case 'AugAssign': return augAssign(it, st, scope, mod);
    case 'Return': return { ret: st.value ? it.eval(st.value, scope, mod) : null };
    case 'If': {
      const t = it.truthy(it.eval(st.test, scope, mod), { file, s: st.test.s, e: st.test.e });
      return execBlock(it, t ? st.body : st.orelse, scope, mod);
    }
    case 'For': return execFor(it, st, scope, mod);
    case 'While': return execWhile(it, st, scope, mod);
    case 'Break': return BREAK;
    case 'Continue': return CONTINUE;
    case 'Pass': return undefined;
    case 'Import': it.execImport(st, scope, mod); return undefined;
    case 'ImportFrom': it.execImportFrom(st, scope, mod); return undefined;
    case 'FunctionDef': execDef(it, st, scope, mod); return undefined;
    case 'ClassDef': return execClass(it, st, scope, mod);
    case 'Try': return execTry(it, st, scope, mod);
    case 'With': return execWith(it, st, scope, mod);
    case 'Assert': execAssert(it, st, scope, mod); return undefined;
    case 'Raise': return execRaise(it, st, scope, mod);
    case 'Global': (scope.globalNames ??= new Set()); st.names.forEach((n) => scope.globalNames!.add(n)); return undefined;
    case 'Nonlocal': (scope.nonlocalNames ??= new Set()); st.names.forEach((n) => scope.nonlocalNames!.add(n)); return undefined;
    case 'Del': for (const t of st.targets) del(it, t, scope, mod); return undefined;
    case 'Unsupported': throw new InterpError(`${st.what} is not supported`, file, st.s, st.e);
  }
}

function execFor(it: Interp, st: Stmt & { k: 'For' }, scope: Scope, mod: PyModule): Flow {
  const items = it.iterate(it.eval(st.iter, scope, mod), { file: mod.path, s: st.iter.s, e: st.iter.e });
  for (const v of items) {
    assign(it, st.target, v, scope, mod);
    const f = execBlock(it, st.body, scope, mod);
    if (f === BREAK) return undefined;
    if (f !== undefined && f !== CONTINUE) return f;
  }
  return execBlock(it, st.orelse, scope, mod);
}

function execWhile(it: Interp, st: Stmt & { k: 'While' }, scope: Scope, mod: PyModule): Flow {
  for (;;) {
    it.step();
    if (!it.truthy(it.eval(st.test, scope, mod), { file: mod.path, s: st.test.s, e: st.test.e })) break;
    const f = execBlock(it, st.body, scope, mod);
    if (f === BREAK) return undefined;
    if (f !== undefined && f !== CONTINUE) return f;
  }
  return execBlock(it, st.orelse, scope, mod);
}

function execDef(it: Interp, st: Stmt & { k: 'FunctionDef' }, scope: Scope, mod: PyModule): void {
  let fn: Value = makeFunction(it, st.name, st.params, st.body, undefined, scope, mod, st.s, st.e);
  if (scope.kind === 'class') (fn as PyFunction).attrs.set('__qualname__', `${scope.vars.get('__qualname__') ?? ''}.${st.name}`);
  for (const d of [...st.decorators].reverse()) fn = it.call(it.eval(d, scope, mod), [fn], new Map(), { file: mod.path, s: d.s, e: d.e });
  scope.target(st.name).vars.set(st.name, fn);
}

function execWith(it: Interp, st: Stmt & { k: 'With' }, scope: Scope, mod: PyModule): Flow {
  for (const item of st.items) {
    const cm = it.eval(item.ctx, scope, mod);
    let entered: Value = cm;
    const enter = cm instanceof PyInstance ? cm.cls.lookup('__enter__') : undefined;
    if (enter) entered = it.call(enter, [cm], new Map(), { file: mod.path, s: item.ctx.s, e: item.ctx.e });
    if (item.target) assign(it, item.target, entered, scope, mod);
  }
  return execBlock(it, st.body, scope, mod);
}

/** An assert on an unknown value passes silently: the analysis cannot tell, and the line after it is what matters. */
function execAssert(it: Interp, st: Stmt & { k: 'Assert' }, scope: Scope, mod: PyModule): void {
  const v = it.eval(st.test, scope, mod);
  if (v instanceof Unknown) return;
  if (!it.truthy(v, { file: mod.path, s: st.test.s, e: st.test.e })) {
    const msg = st.msg ? pyStr(it.eval(st.msg, scope, mod)) : '';
    throw new PyException('AssertionError', msg || 'assertion failed', null, mod.path, st.s, st.e);
  }
}

function execRaise(it: Interp, st: Stmt & { k: 'Raise' }, scope: Scope, mod: PyModule): never {
  const file = mod.path;
  if (!st.exc) throw new PyException('RuntimeError', 'No active exception to reraise', null, file, st.s, st.e);
  let ex = it.eval(st.exc, scope, mod);
  if (ex instanceof PyClass) ex = it.call(ex, [], new Map(), { file, s: st.s, e: st.e });
  if (ex instanceof Unknown) throw new InterpError(`raise of an unknown exception`, file, st.s, st.e);
  const cls = ex instanceof PyInstance ? ex.cls.name : typeName(ex);
  const args = ex instanceof PyInstance ? ex.dict.get('args') : null;
  const msg = args instanceof PyTuple && args.items.length ? pyStr(args.items[0]) : '';
  throw new PyException(cls, msg, ex, file, st.s, st.e);
}

/** Executes statements one by one; a failing statement is reported and its targets become unknown. */
export function execBlockTolerant(it: Interp, body: Stmt[], scope: Scope, mod: PyModule): void {
  for (const st of body) {
    try {
      const f = execStmt(it, st, scope, mod);
      if (f !== undefined) break;
    } catch (err) {
      // NOTE: a failing top-level statement of an installed package (its platform probes: ctypes, os.getcwd)
      // is no error of the user's; what it leaves unknown still says so where the model uses it.
      const u = it.reportError(err, mod.path, st.s, st.e, it.isLibraryFile(mod.path) ? 'info' : undefined);
      resetStatementWork();
      for (const n of boundNames(st)) scope.vars.set(n, u);
    }
  }
}

export function execClass(it: Interp, st: Stmt & { k: 'ClassDef' }, scope: Scope, mod: PyModule): Flow {
  const file = mod.path;
  const bases: PyClass[] = [];
  const kw = new Map<string, Value>();
  for (const a of st.bases) {
    const v = it.eval(a.value, scope, mod);
    if (a.kind === 'kw') { kw.set(a.name!, v); continue; }
    if (a.kind === 'star') { for (const x of it.iterate(v, { file, s: a.s, e: a.e })) if (x instanceof PyClass) bases.push(x); continue; }
    const origin = aliasOrigin(v); // `class A(Base[T])`: the alias's class, as __mro_entries__ gives it
    if (v instanceof PyClass) bases.push(v);
    else if (origin instanceof PyClass) bases.push(origin);
    else if (v instanceof Unknown) throw new InterpError(`base class of '${st.name}' is unknown (${v.reason})`, file, a.s, a.e);
    // typing.Generic[...] and similar subscripted helpers give non-class values: ignore them
  }
  if (!bases.length) bases.push(it.types.get('object')!);
  const body = new Scope('class', scope, scope.moduleScope);
  body.vars.set('__module__', mod.name);
  body.vars.set('__qualname__', st.name);
  const flow = execBlock(it, st.body, body, mod);
  void flow;
  charge(4 * bases.reduce((n, b) => n + b.mro.length, 1)); // the MRO this class holds, and its lookups
  let cls = new PyClass(st.name, bases, mod.name);
  cls.file = file; cls.s = st.s; cls.e = st.e;
  const metaclass = kw.get('metaclass');
  if (metaclass instanceof PyClass && metaclass.moduleName !== 'abc') cls.dict.set('__metaclass__', metaclass);
  for (const [k, v] of body.vars) cls.dict.set(k, v);
  for (const v of body.vars.values()) {
    const fn = v instanceof PyFunction ? v : v instanceof StaticMethod || v instanceof ClassMethod ? v.fn : v instanceof Property ? v.fget : null;
    if (fn instanceof PyFunction) fn.ownerClass = cls;
    if (v instanceof Property && v.fset instanceof PyFunction) v.fset.ownerClass = cls;
  }
  // metaclass-like hooks of built-in bases (Enum, NamedTuple, ...)
  for (const b of cls.mro) {
    const hook = b.dict.get('__init_subclass_native__');
    if (hook instanceof Builtin) { const r = hook.fn([cls], kw, { file, s: st.s, e: st.e }); if (r instanceof PyClass) cls = r; break; }
  }
  let out: Value = cls;
  for (const d of [...st.decorators].reverse()) out = it.call(it.eval(d, scope, mod), [out], new Map(), { file, s: d.s, e: d.e });
  scope.target(st.name).vars.set(st.name, out);
  return undefined;
}

export function execTry(it: Interp, st: Stmt & { k: 'Try' }, scope: Scope, mod: PyModule): Flow {
  let flow: Flow;
  try {
    try {
      flow = execBlock(it, st.body, scope, mod);
    } catch (err) {
      if (!(err instanceof PyException)) throw err;
      for (const h of st.handlers) {
        if (h.type) {
          const t = it.eval(h.type, scope, mod);
          if (!exceptionMatches(it, err, t)) continue;
        }
        if (h.name) scope.vars.set(h.name, err.value ?? makeException(it, err.pyType, err.pyMessage));
        return execBlock(it, h.body, scope, mod);
      }
      throw err;
    }
    if (flow === undefined) flow = execBlock(it, st.orelse, scope, mod);
    return flow;
  } finally {
    if (st.finalbody.length) {
      const f2 = execBlock(it, st.finalbody, scope, mod);
      if (f2 !== undefined) flow = f2;
    }
  }
}

export function exceptionMatches(it: Interp, err: PyException, t: Value): boolean {
  if (t instanceof PyTuple) return t.items.some((x) => exceptionMatches(it, err, x));
  if (!(t instanceof PyClass)) return false;
  const errCls = err.value instanceof PyInstance ? err.value.cls : it.types.get(err.pyType);
  if (errCls) return errCls.isSubclassOf(t);
  return t.name === err.pyType || t.name === 'Exception' || t.name === 'BaseException';
}

export function makeException(it: Interp, type: string, message: string): Value {
  const cls = it.types.get(type) ?? it.types.get('Exception')!;
  const inst = new PyInstance(cls);
  inst.dict.set('args', new PyTuple([message]));
  return inst;
}

export function augAssign(it: Interp, st: Stmt & { k: 'AugAssign' }, scope: Scope, mod: PyModule): Flow {
  const ctx = { file: mod.path, s: st.s, e: st.e };
  const cur = it.eval(st.target, scope, mod);
  const rhs = it.eval(st.value, scope, mod);
  let v: Value;
  if (cur instanceof PyList && st.op === '+') {
    const add = it.iterate(rhs, ctx);
    try { checkSize('list', cur.items.length + add.length); } catch (err) { if (err instanceof InterpError) { err.s = st.s; err.e = st.e; } throw err; }
    pushAll(cur.items, add);
    v = cur;
  }
  else if (cur instanceof PyDict && st.op === '|' && rhs instanceof PyDict) { for (const [k, e] of rhs.map) cur.map.set(k, e); v = cur; }
  else if (it.ext.isTensor(cur)) v = it.ext.tensorBinop(st.op + '=', cur, rhs, ctx);
  else v = it.binop(st.op, cur, rhs, ctx);
  assign(it, st.target, v, scope, mod);
  return undefined;
}

export function assign(it: Interp, t: Expr, v: Value, scope: Scope, mod: PyModule): void {
  const ctx = { file: mod.path, s: t.s, e: t.e };
  switch (t.k) {
    case 'Name': scope.target(t.id).vars.set(t.id, v); return;
    case 'Attr': it.setAttr(it.eval(t.obj, scope, mod), t.name, v, ctx); return;
    case 'Sub': it.setItem(it.eval(t.obj, scope, mod), it.eval(t.index, scope, mod), v, ctx); return;
    case 'Tuple': case 'List': {
      if (v instanceof Unknown) { for (const e of t.elts) assign(it, e.k === 'Starred' ? e.e1 : e, v, scope, mod); return; }
      const items = it.iterate(v, ctx);
      const starIdx = t.elts.findIndex((e) => e.k === 'Starred');
      if (starIdx < 0) {
        if (items.length !== t.elts.length) {
          throw new PyException('ValueError', `cannot unpack ${items.length} values into ${t.elts.length} targets`, null, mod.path, t.s, t.e);
        }
        t.elts.forEach((e, i) => assign(it, e, items[i], scope, mod));
        return;
      }
      const after = t.elts.length - starIdx - 1;
      t.elts.slice(0, starIdx).forEach((e, i) => assign(it, e, items[i], scope, mod));
      assign(it, (t.elts[starIdx] as { e1: Expr }).e1, new PyList(items.slice(starIdx, items.length - after)), scope, mod);
      t.elts.slice(starIdx + 1).forEach((e, i) => assign(it, e, items[items.length - after + i], scope, mod));
      return;
    }
    case 'Starred': assign(it, t.e1, v, scope, mod); return;
    default: throw new InterpError(`cannot assign to this expression`, mod.path, t.s, t.e);
  }
}

export function del(it: Interp, t: Expr, scope: Scope, mod: PyModule): void {
  const ctx = { file: mod.path, s: t.s, e: t.e };
  if (t.k === 'Name') { scope.target(t.id).vars.delete(t.id); return; }
  if (t.k === 'Sub') {
    const o = it.eval(t.obj, scope, mod), i = it.eval(t.index, scope, mod);
    if (o instanceof PyDict) {
      const own = o.cls?.lookup('__delitem__');
      if (own !== undefined) { it.call(own, [o, i], NO_KWARGS, ctx); return; }
      if (!o.map.delete(hashKey(i))) throw new PyException('KeyError', pyRepr(i), null, ctx.file, ctx.s, ctx.e);
      return;
    }
    if (o instanceof PyList && typeof i === 'number') { o.items.splice(i < 0 ? o.items.length + i : i, 1); return; }
    if (o instanceof PyInstance) { const f = o.cls.lookup('__delitem__'); if (f) { it.call(f, [o, i], NO_KWARGS, ctx); return; } }
    return;
  }
  if (t.k === 'Attr') { delAttr(it, it.eval(t.obj, scope, mod), t.name, ctx); return; }
  if (t.k === 'Tuple' || t.k === 'List') t.elts.forEach((e) => del(it, e, scope, mod));
  void ctx;
}

export function makeFunction(it: Interp, name: string, params: Param[], body: Stmt[] | undefined, expr: Expr | undefined, scope: Scope, mod: PyModule, s: number, e: number): PyFunction {
  const defaults = new Map<string, Value>();
  for (const p of params) if (p.default) defaults.set(p.name, it.eval(p.default, scope, mod));
  const qual = scope.kind === 'class' ? `${pyStr(scope.vars.get('__qualname__') ?? '')}.${name}` : name;
  return new PyFunction({ name, qualname: qual, params, body, expr, file: mod.path, s, e }, defaults, scope, mod);
}

/** `x: T` in a class body: T evaluated as Python does into `__annotations__`; an annotation the
 *  analysis cannot evaluate (a forward reference) is kept as Unknown rather than failing the class. */
function recordAnnotation(it: Interp, st: Stmt & { k: 'AnnAssign' }, name: string, scope: Scope, mod: PyModule): void {
  let a = scope.vars.get('__annotations__');
  if (!(a instanceof PyDict)) { a = new PyDict(); scope.vars.set('__annotations__', a); }
  let t: Value = null;
  if (st.annotation) {
    // an annotation is no use of what it names: the torch namespaces' "not modelled" notes are dropped
    const notes = it.diagnostics.length;
    try { t = it.eval(st.annotation, scope, mod); it.diagnostics.length = notes; } catch (err) {
      it.diagnostics.length = notes;
      if (!(err instanceof PyException || err instanceof InterpError)) throw err;
      t = new Unknown(`annotation of '${name}'`, mod.path, st.annotation.s, st.annotation.e);
    }
  }
  (a as PyDict).map.set(hashKey(name), { k: name, v: t });
}

/** The names a class body annotated, in order (from its own `__annotations__`). */
export function annotationNames(cls: { dict: Map<string, Value> }): string[] {
  const a = cls.dict.get('__annotations__');
  return a instanceof PyDict ? [...a.map.values()].map((e) => String(e.k)) : [];
}

/** Names a statement binds (for marking them unknown when the statement fails). */
export function boundNames(st: Stmt): string[] {
  const fromTarget = (t: Expr): string[] => t.k === 'Name' ? [t.id] : t.k === 'Tuple' || t.k === 'List' ? t.elts.flatMap(fromTarget) : t.k === 'Starred' ? fromTarget(t.e1) : [];
  switch (st.k) {
    case 'Assign': return st.targets.flatMap(fromTarget);
    case 'AnnAssign': case 'AugAssign': return fromTarget(st.target);
    case 'FunctionDef': case 'ClassDef': return [st.name];
    case 'Import': return st.names.map((n) => n.asName ?? n.name.split('.')[0]);
    case 'ImportFrom': return st.names === '*' ? [] : st.names.map((n) => n.asName ?? n.name);
    case 'For': return fromTarget(st.target);
    default: return [];
  }
}
