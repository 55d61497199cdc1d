// Expression evaluation: names, literals, operators, comprehensions, f-strings, call arguments.
// Operators, attributes and calls go through the interpreter's protocol (protocols.ts, attributes.ts,
// calls.ts); an incomplete expression (a parse error node) becomes a diagnostic, never a guess.
import type { Arg, Expr } from '../python/ast';
import type { Interp } from './interp';
import { Scope } from './scope';
import {
  Builtin, InterpError, LazyRef, PyClass, PyDict, PyEllipsis, PyException, PyFloat, PyFunction, PyInstance, PyIterator, PyList,
  PySet, PySlice, PyTuple, Super, Unknown, typeName, type CallCtx, type PyModule, type Value,
} from './values';
import { dictSet, formatSpec, pyRepr, pyStr, setAdd } from './ops';
import { NO_KWARGS } from './calls';
import { normInt } from './intMath';
import { checkSize, pushAll } from './budget';

export function evalExpr(it: Interp, x: Expr, scope: Scope, mod: PyModule): Value {
  switch (x.k) {
    case 'Name': {
      let v = scope.lookup(x.id);
      if (v === undefined) v = it.builtins.vars.get(x.id);
      if (v === undefined) throw new PyException('NameError', `name '${x.id}' is not defined`, null, mod.path, x.s, x.e);
      if (v instanceof LazyRef) { const r = v.resolve(); scope.replace(x.id, r); return r; }
      return v;
    }
    case 'Num': {
      if (x.imag) {
        it.diag('info', 'unsupported', 'complex number literals are not modelled: values from this expression are unknown', mod.path, x.s, x.e);
        return new Unknown('complex numbers are not modelled', mod.path, x.s, x.e);
      }
      // an int literal beyond 2^53 carries its exact digits (`big`, from the numeric-literal lexer)
      if (x.big !== undefined && !x.float) return normInt(BigInt(x.big));
      return x.float ? new PyFloat(x.v) : x.v;
    }
    case 'Str': return x.v;
    case 'FStr': return fstring(it, x.parts, scope, mod);
    case 'Const': return x.v === 'None' ? null : x.v === 'True' ? true : x.v === 'False' ? false : PyEllipsis.it;
    case 'Attr': return it.getAttr(evalExpr(it, x.obj, scope, mod), x.name, { file: mod.path, s: x.s, e: x.e });
    case 'Sub': return it.getItem(evalExpr(it, x.obj, scope, mod), evalExpr(it, x.index, scope, mod), { file: mod.path, s: x.s, e: x.e });
    case 'Slice': {
      const ev = (y?: Expr): Value => (y ? evalExpr(it, y, scope, mod) : null);
      return new PySlice(ev(x.lo), ev(x.hi), ev(x.step));
    }
    case 'Call': return evalCall(it, x, scope, mod);
    case 'Bin': return it.binop(x.op, evalExpr(it, x.l, scope, mod), evalExpr(it, x.r, scope, mod), { file: mod.path, s: x.s, e: x.e });
    case 'Unary': return it.unary(x.op, evalExpr(it, x.e1, scope, mod), { file: mod.path, s: x.s, e: x.e });
    case 'Bool': {
      const l = evalExpr(it, x.l, scope, mod);
      const t = it.truthy(l, { file: mod.path, s: x.l.s, e: x.l.e });
      if (x.op === 'and') return t ? evalExpr(it, x.r, scope, mod) : l;
      return t ? l : evalExpr(it, x.r, scope, mod);
    }
    case 'Compare': return evalCompare(it, x, scope, mod);
    case 'IfExp':
      return it.truthy(evalExpr(it, x.test, scope, mod), { file: mod.path, s: x.test.s, e: x.test.e }) ? evalExpr(it, x.body, scope, mod) : evalExpr(it, x.orelse, scope, mod);
    case 'Lambda': return it.makeFunction('<lambda>', x.params, undefined, x.body, scope, mod, x.s, x.e);
    case 'List': return new PyList(evalElts(it, x.elts, scope, mod));
    case 'Tuple': return new PyTuple(evalElts(it, x.elts, scope, mod));
    case 'Set': { const s = new PySet(); for (const v of evalElts(it, x.elts, scope, mod)) setAdd(s, v); return s; }
    case 'Dict': return evalDict(it, x, scope, mod);
    case 'Comp': return comprehension(it, x, scope, mod);
    case 'Walrus': { const v = evalExpr(it, x.value, scope, mod); scope.target(x.target).vars.set(x.target, v); return v; }
    case 'Starred': throw new InterpError('starred expression outside a call or list', mod.path, x.s, x.e);
    case 'Error': throw new InterpError(`cannot evaluate incomplete code '${x.text.slice(0, 40)}'`, mod.path, x.s, x.e, 'syntax');
  }
}

/** a < b < c: pairwise, stopping at the first false; a tensor or unknown result ends the chain as it is. */
function evalCompare(it: Interp, x: Expr & { k: 'Compare' }, scope: Scope, mod: PyModule): Value {
  let left = evalExpr(it, x.first, scope, mod);
  let result: Value = true;
  for (let i = 0; i < x.ops.length; i++) {
    const right = evalExpr(it, x.rest[i], scope, mod);
    result = it.compare(x.ops[i], left, right, { file: mod.path, s: x.s, e: x.e });
    // only a chain asks for the truth of a link (an array or tensor comparison is returned as it is)
    if (i === x.ops.length - 1 || result instanceof Unknown || it.ext.isTensor(result)) return result;
    if (!it.truthy(result, {})) return result;
    left = right;
  }
  return result;
}

function evalDict(it: Interp, x: Expr & { k: 'Dict' }, scope: Scope, mod: PyModule): Value {
  const d = new PyDict();
  for (const item of x.items) {
    if ('dstar' in item) {
      const src = evalExpr(it, item.dstar, scope, mod);
      if (src instanceof PyDict) for (const [k, e] of src.map) d.map.set(k, e);
      else if (src instanceof Unknown) throw new InterpError(`**${pyStr(src)} is unknown`, mod.path, item.dstar.s, item.dstar.e);
      continue;
    }
    const k = evalExpr(it, item.key, scope, mod);
    dictSet(d, k, evalExpr(it, item.value, scope, mod));
  }
  return d;
}

export function evalElts(it: Interp, elts: Expr[], scope: Scope, mod: PyModule): Value[] {
  const out: Value[] = [];
  for (const e of elts) {
    if (e.k === 'Starred') pushAll(out, it.iterate(evalExpr(it, e.e1, scope, mod), { file: mod.path, s: e.s, e: e.e }));
    else out.push(evalExpr(it, e, scope, mod));
  }
  return out;
}

export function comprehension(it: Interp, x: Expr & { k: 'Comp' }, scope: Scope, mod: PyModule): Value {
  const inner = new Scope('function', scope, scope.moduleScope);
  const items: Value[] = [];
  const dict = new PyDict();
  const loop = (gi: number): void => {
    if (gi === x.gens.length) {
      it.step();
      if (x.kind === 'dict') { const k = evalExpr(it, x.elt, inner, mod); dictSet(dict, k, evalExpr(it, x.value!, inner, mod)); }
      else items.push(evalExpr(it, x.elt, inner, mod));
      return;
    }
    const g = x.gens[gi];
    // the first iterable is evaluated in the enclosing scope, as Python does
    const iterable = evalExpr(it, g.iter, gi === 0 ? scope : inner, mod);
    for (const v of it.iterate(iterable, { file: mod.path, s: g.iter.s, e: g.iter.e })) {
      it.assign(g.target, v, inner, mod);
      if (g.ifs.every((c) => it.truthy(evalExpr(it, c, inner, mod), { file: mod.path, s: c.s, e: c.e }))) loop(gi + 1);
    }
  };
  loop(0);
  if (x.kind === 'dict') return dict;
  if (x.kind === 'set') { const s = new PySet(); for (const v of items) setAdd(s, v); return s; }
  if (x.kind === 'gen') return new PyIterator(items);
  return new PyList(items);
}

export function fstring(it: Interp, parts: Array<string | { expr: Expr; conv?: string; spec?: Array<string | { expr: Expr }> }>, scope: Scope, mod: PyModule): Value {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') { out += p; continue; }
    const v = evalExpr(it, p.expr, scope, mod);
    if (v instanceof Unknown) return v;
    const spec = p.spec ? pyStr(fstring(it, p.spec as never, scope, mod)) : '';
    const conv = p.conv === 'r' ? pyRepr(v) : p.conv === 's' ? pyStr(v) : v;
    const piece = formatValue(it, conv, spec);
    checkSize('str', out.length + piece.length, 0); // a rope concatenation: nothing copied
    out += piece;
  }
  return out;
}

export function formatValue(it: Interp, v: Value, spec: string): string {
  if (v instanceof PyInstance) {
    const f = v.cls.lookup('__format__') ?? v.cls.lookup('__str__');
    if (f instanceof PyFunction || f instanceof Builtin) return pyStr(it.call(f, f === v.cls.lookup('__format__') ? [v, spec] : [v], NO_KWARGS, {}));
  }
  return formatSpec(v, spec);
}

export function evalArgs(it: Interp, args: Arg[], scope: Scope, mod: PyModule): { pos: Value[]; kw: Map<string, Value> } {
  const pos: Value[] = [];
  const kw = new Map<string, Value>();
  for (const a of args) {
    switch (a.kind) {
      case 'pos': pos.push(evalExpr(it, a.value, scope, mod)); break;
      case 'star': pushAll(pos, it.iterate(evalExpr(it, a.value, scope, mod), { file: mod.path, s: a.s, e: a.e })); break;
      case 'kw': kw.set(a.name!, evalExpr(it, a.value, scope, mod)); break;
      case 'dstar': {
        const d = evalExpr(it, a.value, scope, mod);
        if (d instanceof PyDict) { for (const e of d.map.values()) kw.set(String(e.k), e.v); }
        else if (d instanceof Unknown) throw new InterpError(`**kwargs value is unknown (${d.reason})`, mod.path, a.s, a.e);
        else throw new PyException('TypeError', `argument after ** must be a mapping, not ${typeName(d)}`, null, mod.path, a.s, a.e);
        break;
      }
    }
  }
  return { pos, kw };
}

function onlyPositional(args: Arg[]): boolean {
  for (let i = 0; i < args.length; i++) if (args[i].kind !== 'pos') return false;
  return true;
}

export function evalCall(it: Interp, x: Expr & { k: 'Call' }, scope: Scope, mod: PyModule): Value {
  const ctx: CallCtx = { file: mod.path, s: x.s, e: x.e, argNodes: x.args };
  // zero-argument super(): the class owning the running function and its first argument
  if (x.fn.k === 'Name' && x.fn.id === 'super' && x.args.length === 0 && (scope.lookup('super') ?? it.builtins.vars.get('super')) === it.types.get('super')) {
    const owner = scope.methodSlot('classOwner');
    const self = scope.methodSlot('selfArg');
    if (owner instanceof PyClass && self !== undefined) return new Super(owner, self);
    throw new InterpError('super() outside a method', mod.path, x.s, x.e);
  }
  const fn = evalExpr(it, x.fn, scope, mod);
  // NOTE: a hot path (every call): plain positional arguments skip evalArgs' result object and share the
  // one empty keyword map (frozen: a callee that tried to fill it would fail loudly, not leak arguments)
  if (onlyPositional(x.args)) {
    const pos: Value[] = new Array(x.args.length);
    for (let i = 0; i < x.args.length; i++) pos[i] = evalExpr(it, x.args[i].value, scope, mod);
    return it.call(fn, pos, NO_KWARGS, ctx);
  }
  const { pos, kw } = evalArgs(it, x.args, scope, mod);
  return it.call(fn, pos, kw, ctx);
}
