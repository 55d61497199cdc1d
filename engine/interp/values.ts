// The interpreter's runtime values. Python int is a JS number while it is a safe integer and a BigInt
// beyond (intMath.ts keeps that canonical), bool a JS boolean, str a JS string,
// None is null; everything else is one of the classes below. `Unknown` is the explicit "cannot know"
// value that propagates through every operation; nothing here guesses.
import type { Arg, Expr, Param, Stmt } from '../python/ast';
import type { Scope } from './scope';

/**
 * A value an extension brings (torch's tensors): the interpreter never looks inside one; it hands it to
 * the Extensions it was constructed with (interp.ts) and names its type through `pyTypeName`.
 */
export interface NativeValue {
  readonly pyTypeName: string;
}

export type Value =
  | null | boolean | number | bigint | string
  | PyFloat | PyList | PyTuple | PyDict | PySet | PyRange | PySlice | PyEllipsis
  | PyFunction | Builtin | BoundMethod | StaticMethod | ClassMethod | Property | Partial
  | PyClass | PyInstance | PyModule | Super | Unknown | NativeValue | LazyRef | PyIterator;

export class PyFloat {
  /** The class of a float subclass's value (numpy's float64 scalars are such floats). */
  cls?: PyClass;
  constructor(readonly v: number) {}
}
export class PyEllipsis { static readonly it = new PyEllipsis(); }

let nextId = 1;
export function freshId(): number { return nextId++; }

export class PyList { readonly id = freshId(); constructor(public items: Value[]) {} }
export class PyTuple {
  constructor(readonly items: Value[]) {}
  /** namedtuple-style class, when this tuple was made by one */
  cls?: PyClass;
}
export class PyDict {
  readonly id = freshId();
  /** defaultdict factory */
  factory?: Value;
  /** The class of a dict subclass's instance (`class AttrDict(dict)`), with its own attributes. */
  cls?: PyClass;
  attrs?: Map<string, Value>;
  constructor(readonly map = new Map<string, { k: Value; v: Value }>()) {}
}
export class PySet { readonly id = freshId(); readonly map = new Map<string, Value>(); }
export class PyRange { constructor(readonly start: number, readonly stop: number, readonly step: number) {} }
export class PySlice { constructor(readonly lo: Value, readonly hi: Value, readonly step: Value) {} }
export class PyIterator { constructor(readonly items: Value[], public pos = 0) {} }

export interface FunctionCode {
  name: string;
  qualname: string;
  params: Param[];
  body?: Stmt[];
  expr?: Expr;
  file: string;
  s: number;
  e: number;
}

export class PyFunction {
  readonly id = freshId();
  readonly attrs = new Map<string, Value>();
  constructor(
    readonly code: FunctionCode,
    readonly defaults: Map<string, Value>,
    readonly closure: Scope,
    readonly module: PyModule,
  ) {}
  /** The class whose body defined this function (for zero-argument super()). */
  ownerClass?: PyClass;
}

export interface CallCtx {
  /** Source offsets of the call expression, when called from Python source. */
  s?: number;
  e?: number;
  file?: string;
  /** The call's arguments as written (so a diagnostic can point at one argument). */
  argNodes?: Arg[];
}

export type NativeFn = (args: Value[], kwargs: Map<string, Value>, ctx: CallCtx) => Value;

export class Builtin {
  readonly id = freshId();
  readonly attrs = new Map<string, Value>();
  constructor(readonly name: string, readonly fn: NativeFn) {}
}

export class BoundMethod { constructor(readonly self: Value, readonly fn: Value) {} }
export class StaticMethod { constructor(readonly fn: Value) {} }
export class ClassMethod { constructor(readonly fn: Value) {} }
export class Property { constructor(public fget: Value, public fset: Value = null) {} }
export class Partial {
  readonly id = freshId();
  constructor(readonly fn: Value, readonly args: Value[], readonly kwargs: Map<string, Value>) {}
}

/** Hooks a built-in class (nn.Conv2d, list, ...) provides to the interpreter. */
export interface NativeClass {
  /** Allocates the instance's native state (before __init__ runs). */
  create?(inst: PyInstance): void;
}

/** Bumped by every write to any class's namespace: a class's lookup cache holds within one epoch. */
let classEpoch = 0;

/** A class namespace: a Map whose every write ends all classes' lookup caches (a base's change reaches its subclasses). */
class ClassDict extends Map<string, Value> {
  override set(k: string, v: Value): this { classEpoch++; return super.set(k, v); }
  override delete(k: string): boolean { classEpoch++; return super.delete(k); }
  override clear(): void { classEpoch++; super.clear(); }
}

const MISSING = Symbol('missing');

export class PyClass {
  readonly id = freshId();
  readonly dict: Map<string, Value> = new ClassDict();
  readonly mro: PyClass[];
  // NOTE: attribute lookups walk the MRO on every access of a module's attribute (four levels for nn.Conv2d):
  // the results, misses included, are kept until any class namespace changes
  private cache = new Map<string, Value | typeof MISSING>();
  private cacheEpoch = -1;
  native?: NativeClass;
  /** Source location of the class statement. */
  file?: string;
  s?: number;
  e?: number;
  constructor(readonly name: string, readonly bases: PyClass[], readonly moduleName: string) {
    this.mro = computeMro(this);
  }
  lookup(name: string): Value | undefined {
    if (this.cacheEpoch !== classEpoch) { this.cache.clear(); this.cacheEpoch = classEpoch; }
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit === MISSING ? undefined : hit;
    let found: Value | undefined;
    for (const c of this.mro) {
      found = c.dict.get(name);
      if (found !== undefined) break;
    }
    this.cache.set(name, found === undefined ? MISSING : found);
    return found;
  }
  isSubclassOf(other: PyClass): boolean { return this.mro.includes(other); }
}

function computeMro(cls: PyClass): PyClass[] {
  // single inheritance (nearly every class): the base's MRO after the class, in linear time
  if (cls.bases.length === 1) return [cls, ...cls.bases[0].mro];
  // C3 linearisation
  const seqs = [...cls.bases.map((b) => [...b.mro]), [...cls.bases]];
  const out: PyClass[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length);
    if (!nonEmpty.length) return out;
    let head: PyClass | undefined;
    for (const s of nonEmpty) {
      const cand = s[0];
      if (!nonEmpty.some((t) => t.indexOf(cand) > 0)) { head = cand; break; }
    }
    if (!head) return [cls, ...cls.bases.flatMap((b) => b.mro)].filter((c, i, a) => a.indexOf(c) === i);
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
}

export class PyInstance {
  readonly id = freshId();
  /** The attributes; `obj.__dict__ = d` swaps in a store over d (instanceDict.ts). */
  dict = new Map<string, Value>();
  /** Native payload of built-in classes (list subclass items, exception args, ...). */
  native?: unknown;
  /** The extension's state of this object (torch's nn.Module bookkeeping); the interpreter never reads it. */
  extState?: unknown = undefined;
  constructor(public cls: PyClass) {}
}

export class PyModule {
  readonly id = freshId();
  constructor(readonly name: string, readonly path: string, readonly scope: Scope) {}
}

export class Super { constructor(readonly cls: PyClass, readonly self: Value) {} }

/** A value the analysis cannot know. `reason` names the construct; `s`/`e`/`file` where it arose. */
export class Unknown {
  readonly reason: string;
  constructor(reason: string, readonly file?: string, readonly s?: number, readonly e?: number) {
    // NOTE: reasons quote the reasons they come from; capped, a chain of 5,000 classes stays linear
    this.reason = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
  }
}
const MAX_REASON = 240;

/** A name bound by `from X import Y` whose module is loaded on first use. */
export class LazyRef {
  constructor(readonly resolve: () => Value) {}
}

export function isUnknown(v: Value): v is Unknown { return v instanceof Unknown; }

export function typeName(v: Value): string {
  // NOTE: a native function reading an argument that was not passed gets undefined: named as None, never a crash
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'number': case 'bigint': return 'int';
    case 'string': return 'str';
  }
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyList) return 'list';
  if (v instanceof PyTuple) return v.cls ? v.cls.name : 'tuple';
  if (v instanceof PyDict) return v.cls ? v.cls.name : 'dict';
  if (v instanceof PySet) return 'set';
  if (v instanceof PyRange) return 'range';
  if (v instanceof PyInstance) return v.cls.name;
  if (v instanceof PyClass) return 'type';
  if (v instanceof PyFunction || v instanceof Builtin || v instanceof Partial) return 'function';
  if (v instanceof BoundMethod) return 'method';
  if (v instanceof PyModule) return 'module';
  if (v instanceof Unknown) return 'unknown';
  if (v instanceof PySlice) return 'slice';
  if (v instanceof PyEllipsis) return 'ellipsis';
  return (v as { pyTypeName?: string }).pyTypeName ?? 'object';
}

/** A Python exception travelling through the interpreter (raise / built-in errors). */
export class PyException extends Error {
  constructor(readonly pyType: string, readonly pyMessage: string, readonly value?: Value, readonly file?: string, public s?: number, public e?: number) {
    super(`${pyType}: ${pyMessage}`);
  }
}

/** The interpreter met something it does not support; becomes a diagnostic, never a crash. */
export class InterpError extends Error {
  constructor(message: string, readonly file?: string, public s?: number, public e?: number, readonly code = 'unsupported') {
    super(message.length > 2 * MAX_REASON ? `${message.slice(0, 2 * MAX_REASON - 1)}…` : message);
  }
}
