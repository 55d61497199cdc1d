// Native functions with Python signatures: `nativeFn(it, 'conv2d', 'input, weight, bias=None, stride=1', impl)`
// binds positional/keyword arguments exactly as Python would, then calls `impl` with a name → value map.
// Also the value conversions the torch layer needs (ints, tuples, floats, tensors).
import type { Interp } from '../interp/interp';
import type { Param } from '../python/ast';
import { Scope } from '../interp/scope';
import {
  Builtin, InterpError, PyException, PyFloat, PyFunction, PyList, PyModule, PyTuple, Unknown, typeName,
  type CallCtx, type Value,
} from '../interp/values';
import { isNum, numVal, pyStr } from '../interp/ops';
import { TensorV } from './tensor';
import { kwargAvailable, type TorchVersion } from './version';

export type Args = Map<string, Value>;

interface ParsedSig { params: Param[]; defaults: Array<[string, Value]> }
const sigCache = new Map<string, ParsedSig>();

/** Default values in native signatures are literals: numbers, strings, None/True/False and tuples of them. */
function literal(text: string): Value {
  const t = text.trim();
  if (t === 'None') return null;
  if (t === 'True') return true;
  if (t === 'False') return false;
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/.test(t)) return new PyFloat(Number(t));
  if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
  if (t.startsWith('(') && t.endsWith(')')) return new PyTuple(splitTop(t.slice(1, -1)).filter((x) => x.trim()).map(literal));
  throw new Error(`native signature default is not a literal: ${t}`);
}

/** Splits a signature at its top-level commas (defaults may be tuples). */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '', quote = '';
  for (const ch of s) {
    if (quote) { cur += ch; if (ch === quote) quote = ''; continue; }
    if (ch === "'" || ch === '"') { quote = ch; cur += ch; continue; }
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

function parseSig(sig: string): ParsedSig {
  let c = sigCache.get(sig);
  if (c) return c;
  const params: Param[] = [];
  const defaults: Array<[string, Value]> = [];
  let kwOnly = false;
  for (const raw of splitTop(sig)) {
    const part = raw.trim();
    if (!part) continue;
    if (part === '*') { kwOnly = true; continue; }
    if (part.startsWith('**')) { params.push({ name: part.slice(2), kind: 'varkw', s: 0, e: 0 }); continue; }
    if (part.startsWith('*')) { params.push({ name: part.slice(1), kind: 'varargs', s: 0, e: 0 }); kwOnly = true; continue; }
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    params.push({ name, kind: kwOnly ? 'kwonly' : 'pos', s: 0, e: 0 });
    if (eq >= 0) defaults.push([name, literal(part.slice(eq + 1))]);
  }
  c = { params, defaults };
  sigCache.set(sig, c);
  return c;
}

/** A native signature without the keyword parameters release `v` lacks (passing one is then a TypeError). */
export function signatureFor(path: string, sig: string, v: TorchVersion): string {
  const key = `${v}|${path}|${sig}`;
  let s = releaseSigs.get(key);
  if (s === undefined) releaseSigs.set(key, s = splitTop(sig).filter((p) => kwargAvailable(path, p.split('=')[0].trim(), v)).map((p) => p.trim()).join(', '));
  return s;
}
const releaseSigs = new Map<string, string>();

/** A PyFunction shell used only to bind arguments for a native signature. */
export function sigFunction(it: Interp, name: string, sig: string): PyFunction {
  const { params, defaults } = parseSig(sig);
  const scope = new Scope('module', it.builtins, null);
  const mod = new PyModule('<native>', '<native>', scope);
  return new PyFunction({ name, qualname: name, params, file: '<native>', s: 0, e: 0 }, new Map(defaults), scope, mod);
}

export function nativeFn(it: Interp, name: string, sig: string, impl: (a: Args, ctx: CallCtx) => Value): Builtin {
  const shell = sigFunction(it, name, sig);
  return new Builtin(name, (args, kwargs, ctx) => {
    // an unknown operand makes the result unknown; the diagnostic was given where it arose
    const u = args.find((v): v is Unknown => v instanceof Unknown);
    if (u) return u;
    const a: Args = new Map();
    it.bindArgs(shell, args, kwargs, a, ctx);
    return impl(a, ctx);
  });
}

// ---------------------------------------------------------------- conversions
export class UnknownArg extends InterpError {}

export function toInt(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') {
    // PyTorch holds int64: beyond it, its own overflow; within it but past 2^53, more than the analysis holds exactly
    if (v >= 2n ** 63n || v < -(2n ** 63n)) throw new PyException('RuntimeError', 'Overflow when unpacking long');
    throw new InterpError(`${what} ${v} is beyond 2^53, which the analysis holds exactly`, undefined, undefined, undefined, 'budget');
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Unknown) throw new UnknownArg(`${what} is unknown (${v.reason})`, v.file, v.s, v.e, 'unknown');
  if (v instanceof TensorV && v.data && v.data.length === 1) return Math.trunc(v.data[0]);
  if (v instanceof PyFloat && Number.isSafeInteger(v.v)) return v.v;
  throw new PyException('TypeError', `${what} must be an int, not ${typeName(v)}`);
}

export function toFloat(v: Value, what: string): number {
  if (isNum(v)) return numVal(v);
  if (v instanceof Unknown) throw new UnknownArg(`${what} is unknown (${v.reason})`, v.file, v.s, v.e, 'unknown');
  if (v instanceof TensorV && v.data && v.data.length === 1) return v.data[0];
  throw new PyException('TypeError', `${what} must be a number, not ${typeName(v)}`);
}

export function toBool(v: Value): boolean {
  if (v instanceof Unknown) throw new UnknownArg(`flag is unknown (${v.reason})`, v.file, v.s, v.e, 'unknown');
  return v !== null && v !== false && v !== 0 && !(v instanceof PyFloat && v.v === 0) && v !== '';
}

/** An int or a sequence of ints, expanded to `n` entries (PyTorch's _single/_pair/_triple). */
export function toInts(v: Value, n: number, what: string): number[] {
  if (v instanceof PyTuple || v instanceof PyList) {
    const xs = v.items.map((x) => toInt(x, what));
    if (xs.length === 1 && n > 1) return Array(n).fill(xs[0]);
    if (xs.length !== n && n > 0) throw new PyException('ValueError', `${what} must have ${n} elements, got ${xs.length}`);
    return xs;
  }
  return Array(n).fill(toInt(v, what));
}

export function intList(v: Value, what: string): number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => toInt(x, what));
  if (v instanceof TensorV && v.data) return v.data.map((x) => Math.trunc(x));
  return [toInt(v, what)];
}

export function toTensor(v: Value, what: string): TensorV {
  if (v instanceof TensorV) return v;
  if (v instanceof Unknown) throw new UnknownArg(`${what} is unknown (${v.reason})`, v.file, v.s, v.e, 'unknown');
  throw new PyException('TypeError', `${what} must be a Tensor, not ${typeName(v)}`);
}

export function tup(xs: number[]): PyTuple { return new PyTuple(xs); }
export function str(v: Value): string { return pyStr(v); }
