// Python's operator protocols over every value: binary and unary operators, comparisons, `in`,
// truthiness, iteration, len(), and subscripting (getItem/setItem). Tensors go to the torch extension,
// user classes to their dunder methods, plain values to ops.ts. Nothing here guesses: an Unknown
// operand gives an Unknown result, or a diagnostic where Python would need the value.
import type { Interp } from './interp';
import {
  Builtin, ClassMethod, InterpError, LazyRef, PyClass, PyDict, PyException, PyFloat, PyFunction, PyInstance, PyIterator, PyList, PyRange,
  PySet, PySlice, PyTuple, Unknown, typeName, type CallCtx, type Value,
} from './values';
import { arith, dictSet, hashKey, identical, isIntLike, isNum, numOf, numVal, pyCompare, pyEquals, pyRepr, rangeIndexOf, rangeLen, sliceBounds, sliceIndices } from './ops';
import { charge, checkSize } from './budget';
import { intInvert, intNeg, type PyInt } from './intMath';
import { NO_KWARGS } from './calls';

const BIN_DUNDER: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow', '@': 'matmul',
  '&': 'and', '|': 'or', '^': 'xor', '<<': 'lshift', '>>': 'rshift',
};

export function binop(it: Interp, op: string, a: Value, b: Value, ctx: CallCtx): Value {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (it.ext.isTensor(a) || it.ext.isTensor(b)) return it.ext.tensorBinop(op, a, b, ctx);
  const dunder = BIN_DUNDER[op];
  const notImpl = it.builtins.vars.get('NotImplemented');
  if (a instanceof PyInstance && dunder) {
    const f = a.cls.lookup(`__${dunder}__`);
    if (f !== undefined) { const r = it.call(f, [a, b], NO_KWARGS, ctx); if (r !== notImpl) return r; }
  }
  if (b instanceof PyInstance && dunder) {
    const f = b.cls.lookup(`__r${dunder}__`);
    if (f !== undefined) { const r = it.call(f, [b, a], NO_KWARGS, ctx); if (r !== notImpl) return r; }
  }
  const r = arith(op, a, b);
  if (r === undefined) {
    throw new PyException('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, null, ctx.file, ctx.s, ctx.e);
  }
  return r;
}

export function unary(it: Interp, op: string, a: Value, ctx: CallCtx): Value {
  if (op === 'not') {
    if (a instanceof Unknown) return a;
    return !truthy(it, a, ctx);
  }
  if (a instanceof Unknown) return a;
  if (it.ext.isTensor(a)) return it.ext.tensorUnary(op, a, ctx);
  if (isNum(a)) {
    if (isIntLike(a)) {
      const x = numOf(a) as PyInt;
      if (op === '-') return intNeg(x);
      if (op === '+') return x;
      if (op === '~') return intInvert(x);
    } else {
      if (op === '-') return new PyFloat(-numVal(a));
      if (op === '+') return a;
    }
  }
  if (a instanceof PyInstance) {
    const f = a.cls.lookup(op === '-' ? '__neg__' : op === '+' ? '__pos__' : '__invert__');
    if (f !== undefined) return it.call(f, [a], NO_KWARGS, ctx);
  }
  throw new PyException('TypeError', `bad operand type for unary ${op}: '${typeName(a)}'`, null, ctx.file, ctx.s, ctx.e);
}

export function compare(it: Interp, op: string, a: Value, b: Value, ctx: CallCtx): Value {
  switch (op) {
    case 'is': return identical(a, b);
    case 'is not': return !identical(a, b);
    case 'in': return contains(it, b, a, ctx);
    case 'not in': { const r = contains(it, b, a, ctx); return r instanceof Unknown ? r : !r; }
  }
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if (it.ext.isTensor(a) || it.ext.isTensor(b)) return it.ext.tensorCompare(op, a, b, ctx);
  if (op === '==' || op === '!=') return richEquals(it, op, a, b, ctx);
  const REFLECT: Record<string, [string, string]> = { '<': ['__lt__', '__gt__'], '<=': ['__le__', '__ge__'], '>': ['__gt__', '__lt__'], '>=': ['__ge__', '__le__'] };
  const [own, reflected] = REFLECT[op] ?? [];
  const notImpl = it.builtins.vars.get('NotImplemented');
  if (a instanceof PyInstance && own) {
    const f = a.cls.lookup(own);
    if (f !== undefined) { const r = it.call(f, [a, b], NO_KWARGS, ctx); if (r !== notImpl) return r; }
  }
  if (b instanceof PyInstance && reflected) {
    const f = b.cls.lookup(reflected);
    if (f !== undefined) { const r = it.call(f, [b, a], NO_KWARGS, ctx); if (r !== notImpl) return r; }
  }
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) return seqCompare(it, op, a.items, b.items, ctx);
  let c: number;
  try { c = pyCompare(a, b); } catch (err) { if (err instanceof PyException) { err.s ??= ctx.s; err.e ??= ctx.e; } throw err; }
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
  throw new InterpError(`unknown comparison ${op}`, ctx.file, ctx.s, ctx.e);
}

/** Tuples and lists order by their first unequal items (compared with `op`), else by length. */
function seqCompare(it: Interp, op: string, a: Value[], b: Value[], ctx: CallCtx): Value {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const eq = richEquals(it, '==', a[i], b[i], ctx);
    if (eq instanceof Unknown) return eq;
    if (!truthy(it, eq, ctx)) return compare(it, op, a[i], b[i], ctx);
  }
  const d = a.length - b.length;
  return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
}

/** A sort comparator by `<` as Python's sort uses it: plain numbers and strings directly, others through their dunders. */
export function orderBy(it: Interp, ctx: CallCtx): (a: Value, b: Value) => number {
  const plain = (v: Value): boolean => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof PyFloat;
  const lt = (a: Value, b: Value): boolean => {
    const r = compare(it, '<', a, b, ctx);
    if (r instanceof Unknown) throw new InterpError(`ordering values the analysis cannot know (${r.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
    return truthy(it, r, ctx);
  };
  return (a, b) => (plain(a) && plain(b) ? pyCompare(a, b) : lt(a, b) ? -1 : lt(b, a) ? 1 : 0);
}

/** a == b / a != b: the left operand's __eq__ (or __ne__), then the right's, then identity and value equality. */
function richEquals(it: Interp, op: '==' | '!=', a: Value, b: Value, ctx: CallCtx): Value {
  const notImpl = it.builtins.vars.get('NotImplemented');
  const hook = (x: Value, name: string): Value | undefined => {
    const cls = x instanceof PyInstance ? x.cls : x instanceof PyDict ? x.cls : undefined;
    return cls?.lookup(name);
  };
  for (const [x, y] of [[a, b], [b, a]]) {
    const ne = op === '!=' ? hook(x, '__ne__') : undefined;
    if (ne !== undefined) { const r = it.call(ne, [x, y], NO_KWARGS, ctx); if (r !== notImpl) return r; }
    const eq = hook(x, '__eq__');
    if (eq !== undefined) {
      const r = it.call(eq, [x, y], NO_KWARGS, ctx);
      if (r === notImpl) continue;
      if (op === '==' || r instanceof Unknown || it.ext.isTensor(r)) return op === '==' ? r : unary(it, 'not', r, ctx);
      return !truthy(it, r, ctx);
    }
  }
  const eq = pyEquals(a, b);
  return op === '==' ? eq : !eq;
}

export function contains(it: Interp, container: Value, item: Value, ctx: CallCtx): Value {
  if (container instanceof Unknown) return container;
  if (container instanceof PyDict) {
    const own = container.cls?.lookup('__contains__');
    if (own !== undefined) return truthy(it, it.call(own, [container, item], NO_KWARGS, ctx), ctx);
    return item instanceof Unknown ? item : container.map.has(hashKey(item));
  }
  if (container instanceof PySet) return item instanceof Unknown ? item : container.map.has(hashKey(item));
  if (typeof container === 'string') {
    if (item instanceof Unknown) return item;
    if (typeof item !== 'string') throw new PyException('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    charge(container.length);
    return container.includes(item);
  }
  if (container instanceof PyRange && (typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint' || item instanceof PyFloat)) return rangeIndexOf(container, item) >= 0;
  if (container instanceof PyInstance) {
    const f = container.cls.lookup('__contains__');
    if (f !== undefined) return truthy(it, it.call(f, [container, item], NO_KWARGS, ctx), ctx);
  }
  const items = iterate(it, container, ctx);
  if (item instanceof Unknown) return item;
  return items.some((x) => identical(x, item) || pyEquals(x, item));
}

export function truthy(it: Interp, v: Value, ctx: CallCtx): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'number': return v !== 0;
    case 'bigint': return v !== 0n;
    case 'string': return v.length > 0;
  }
  if (v instanceof PyFloat) return v.v !== 0;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict || v instanceof PySet) return v.map.size > 0;
  if (v instanceof PyRange) return rangeLen(v) > 0;
  if (v instanceof Unknown) {
    throw new InterpError(`condition depends on a value the analysis cannot know (${v.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
  }
  if (it.ext.isTensor(v)) {
    const r = it.ext.tensorUnary('bool', v, ctx);
    if (typeof r === 'boolean') return r;
    throw new InterpError('condition depends on tensor values, which static analysis does not know', ctx.file, ctx.s, ctx.e, 'unknown');
  }
  if (v instanceof PyInstance) {
    const b = v.cls.lookup('__bool__');
    if (b !== undefined) return truthy(it, it.call(b, [v], NO_KWARGS, ctx), ctx);
    const l = v.cls.lookup('__len__');
    if (l !== undefined) return truthy(it, it.call(l, [v], NO_KWARGS, ctx), ctx);
    if (it.ext.isModule(v)) return true;
  }
  return true;
}

export function iterate(it: Interp, v: Value, ctx: CallCtx): Value[] {
  if (v instanceof PyList || v instanceof PyTuple) { charge(v.items.length); return v.items.slice(); }
  if (v instanceof PyRange) {
    const n = rangeLen(v);
    withLoc(() => checkSize('range', n), ctx);
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = v.start + i * v.step;
    return out;
  }
  if (typeof v === 'string') { charge(v.length); return [...v]; }
  if (v instanceof PyDict) return [...v.map.values()].map((e) => e.k);
  if (v instanceof PySet) return [...v.map.values()];
  if (v instanceof PyIterator) { const rest = v.items.slice(v.pos); v.pos = v.items.length; return rest; }
  if (v instanceof Unknown) throw new InterpError(`cannot iterate over a value the analysis cannot know (${v.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
  if (it.ext.isTensor(v)) {
    const n = it.ext.tensorLen(v);
    if (typeof n === 'number') withLoc(() => checkSize('iteration over a tensor', n), ctx);
    return it.ext.tensorIter(v, ctx);
  }
  if (v instanceof PyInstance) {
    const iterFn = v.cls.lookup('__iter__');
    if (iterFn !== undefined) {
      const r = it.call(iterFn, [v], NO_KWARGS, ctx);
      if (r instanceof PyInstance && r === v) {
        const nx = v.cls.lookup('__next__');
        const out: Value[] = [];
        for (;;) {
          it.step();
          try { out.push(it.call(nx!, [v], NO_KWARGS, ctx)); } catch (err) { if (err instanceof PyException && err.pyType === 'StopIteration') break; throw err; }
        }
        return out;
      }
      return iterate(it, r, ctx);
    }
    const gi = v.cls.lookup('__getitem__');
    const len = v.cls.lookup('__len__');
    if (gi !== undefined && len !== undefined) {
      const n = it.call(len, [v], NO_KWARGS, ctx) as number;
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(it.call(gi, [v, i], NO_KWARGS, ctx));
      return out;
    }
  }
  if (v instanceof PyClass) {
    const iterFn = v.lookup('__class_iter_native__');
    if (iterFn instanceof Builtin) return iterate(it, iterFn.fn([v], NO_KWARGS, ctx), ctx);
  }
  throw new PyException('TypeError', `'${typeName(v)}' object is not iterable`, null, ctx.file, ctx.s, ctx.e);
}

export function len(it: Interp, v: Value, ctx: CallCtx): Value {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (typeof v === 'string') return v.length;
  if (v instanceof PyDict || v instanceof PySet) return v.map.size;
  if (v instanceof PyRange) return rangeLen(v);
  if (v instanceof Unknown) return v;
  if (it.ext.isTensor(v)) return it.ext.tensorLen(v);
  if (v instanceof PyInstance) {
    const f = v.cls.lookup('__len__');
    if (f !== undefined) return it.call(f, [v], NO_KWARGS, ctx);
  }
  if (v instanceof PyIterator) return v.items.length - v.pos;
  throw new PyException('TypeError', `object of type '${typeName(v)}' has no len()`, null, ctx.file, ctx.s, ctx.e);
}

export function getItem(it: Interp, obj: Value, idx: Value, ctx: CallCtx): Value {
  if (obj instanceof LazyRef) obj = obj.resolve();
  if (obj instanceof Unknown) return obj;
  if (it.ext.isTensor(obj)) return it.ext.tensorGetItem(obj, idx, ctx);
  if (obj instanceof PyList || obj instanceof PyTuple || typeof obj === 'string') {
    const items: Value[] | string = typeof obj === 'string' ? obj : obj.items;
    if (idx instanceof PySlice) {
      const sel = sliceIndices(idx, items.length);
      if (typeof items === 'string') return sel.map((i) => items[i]).join('');
      const out = sel.map((i) => items[i]);
      return obj instanceof PyList ? new PyList(out) : new PyTuple(out);
    }
    if (idx instanceof Unknown) return idx;
    if (!isNum(idx)) throw new PyException('TypeError', `indices must be integers or slices, not ${typeName(idx)}`, null, ctx.file, ctx.s, ctx.e);
    let i = numVal(idx);
    if (i < 0) i += items.length;
    if (i < 0 || i >= items.length) throw new PyException('IndexError', `index ${numVal(idx)} out of range`, null, ctx.file, ctx.s, ctx.e);
    return items[i];
  }
  if (obj instanceof PyDict) {
    const own = obj.cls?.lookup('__getitem__');
    if (own !== undefined) return it.call(own, [obj, idx], NO_KWARGS, ctx);
    if (idx instanceof Unknown) return idx;
    const e = obj.map.get(hashKey(idx));
    if (e) return e.v;
    if (obj.factory !== undefined && obj.factory !== null) {
      const v = it.call(obj.factory, [], NO_KWARGS, ctx);
      obj.map.set(hashKey(idx), { k: idx, v });
      return v;
    }
    // dict.__getitem__ of a subclass asks the class's __missing__
    const missing = obj.cls?.lookup('__missing__');
    if (missing !== undefined) return it.call(missing, [obj, idx], NO_KWARGS, ctx);
    throw new PyException('KeyError', pyRepr(idx), null, ctx.file, ctx.s, ctx.e);
  }
  if (obj instanceof PyRange) {
    const n = rangeLen(obj);
    if (idx instanceof PySlice) { const b = sliceBounds(idx, n); return new PyRange(obj.start + b.start * obj.step, obj.start + (b.start + b.count * b.step) * obj.step, obj.step * b.step); }
    let i = numVal(idx as number);
    if (i < 0) i += n;
    return obj.start + i * obj.step;
  }
  if (obj instanceof PyInstance) {
    const f = obj.cls.lookup('__getitem__');
    if (f !== undefined) return it.call(f, [obj, idx], NO_KWARGS, ctx);
  }
  if (obj instanceof PyClass) {
    const f = obj.lookup('__class_getitem__');
    if (f !== undefined) return it.call(f instanceof ClassMethod ? f.fn : f, [obj, idx], NO_KWARGS, ctx);
    return obj; // typing generics such as List[int]
  }
  if (obj instanceof Builtin) {
    const f = obj.attrs.get('__getitem__');
    if (f !== undefined) return it.call(f, [idx], NO_KWARGS, ctx);
  }
  throw new PyException('TypeError', `'${typeName(obj)}' object is not subscriptable`, null, ctx.file, ctx.s, ctx.e);
}

export function setItem(it: Interp, obj: Value, idx: Value, v: Value, ctx: CallCtx): void {
  if (obj instanceof Unknown) return;
  if (obj instanceof PyDict) {
    const own = obj.cls?.lookup('__setitem__');
    if (own !== undefined) { it.call(own, [obj, idx, v], NO_KWARGS, ctx); return; }
    if (idx instanceof Unknown) throw new InterpError('dict key is unknown', ctx.file, ctx.s, ctx.e);
    dictSet(obj, idx, v);
    return;
  }
  if (obj instanceof PyList) {
    if (idx instanceof PySlice) {
      const sel = sliceIndices(idx, obj.items.length);
      const vals = iterate(it, v, ctx);
      if (sel.length === vals.length) { sel.forEach((i, j) => (obj.items[i] = vals[j])); return; }
      const lo = sel.length ? sel[0] : Math.min(obj.items.length, numVal((idx.lo as number) ?? 0));
      obj.items.splice(lo, sel.length, ...vals);
      return;
    }
    let i = numVal(idx as number);
    if (i < 0) i += obj.items.length;
    if (i < 0 || i >= obj.items.length) throw new PyException('IndexError', 'list assignment index out of range', null, ctx.file, ctx.s, ctx.e);
    obj.items[i] = v;
    return;
  }
  if (it.ext.isTensor(obj)) { it.ext.tensorSetItem(obj, idx, v, ctx); return; }
  if (obj instanceof PyInstance) {
    const f = obj.cls.lookup('__setitem__');
    if (f !== undefined) { it.call(f, [obj, idx, v], NO_KWARGS, ctx); return; }
  }
  throw new PyException('TypeError', `'${typeName(obj)}' object does not support item assignment`, null, ctx.file, ctx.s, ctx.e);
}

/** Runs a budget check with the construct's location on the error it throws. */
function withLoc(f: () => void, ctx: CallCtx): void {
  try { f(); } catch (err) {
    if (err instanceof InterpError && err.s === undefined) { err.s = ctx.s; err.e = ctx.e; (err as { file?: string }).file ??= ctx.file; }
    throw err;
  }
}
