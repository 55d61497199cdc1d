// The evaluator's state: diagnostics, the step budget, loaded modules and files. Its methods are the
// protocol the rest of the engine calls (call, getAttr, iterate, ...); each delegates to the room that
// implements it: imports.ts, statements.ts, expressions.ts, calls.ts, attributes.ts, protocols.ts.
// It interprets, never executes user code; a step budget and a recursion limit end runaway programs.
import type { Diagnostic, Loc, Severity, SourceHost } from '../api';
import type { Arg, Expr, Param, Stmt } from '../python/ast';
import { Scope } from './scope';
import { InterpError, PyClass, PyException, PyModule, Unknown, type CallCtx, type PyFunction, type PyInstance, type Value } from './values';
import { now } from '../util/clock';
import { resetBudget } from './budget';
import { parseFile, type FileInfo, type ParseCache } from './parseCache';
import { execFile, execImport, execImportFrom, importAbsolute, nativeModule } from './imports';
import { assign, execBlock, execBlockTolerant, makeFunction, type Flow } from './statements';
import { evalArgs, evalExpr, formatValue } from './expressions';
import { bindArgs, call } from './calls';
import { getAttr, getAttrOpt, setAttr } from './attributes';
import { binop, compare, contains, getItem, iterate, len, setItem, truthy, unary } from './protocols';

export { MemoryParseCache, type ParseCache } from './parseCache';
export { OPAQUE_MODULES } from './imports';
export { boundNames } from './statements';
export { identical, rangeLen, sliceIndices } from './ops';

/**
 * What an extension (torch) adds to the interpreter: native values (tensors) and the objects whose state
 * it keeps (nn.Module instances). Passed to the constructor; the interpreter imports nothing of torch.
 */
export interface Extensions {
  isTensor(v: Value): boolean;
  tensorBinop(op: string, a: Value, b: Value, ctx: CallCtx): Value;
  tensorUnary(op: string, a: Value, ctx: CallCtx): Value;
  tensorCompare(op: string, a: Value, b: Value, ctx: CallCtx): Value;
  tensorAttr(t: Value, name: string, ctx: CallCtx): Value;
  tensorGetItem(t: Value, index: Value, ctx: CallCtx): Value;
  tensorSetItem(t: Value, index: Value, v: Value, ctx: CallCtx): void;
  tensorIter(t: Value, ctx: CallCtx): Value[];
  tensorLen(t: Value): Value;
  /** nn.Module attribute rules; true when handled. */
  moduleSetAttr(inst: PyInstance, name: string, v: Value): boolean;
  moduleGetAttr(inst: PyInstance, name: string): Value | undefined;
  moduleDelAttr(inst: PyInstance, name: string): boolean;
  callModule(inst: PyInstance, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value;
  /** Called when a class instance is created (records construction sites of modules). */
  onInstantiate(inst: PyInstance, ctx: CallCtx): void;
  /** Whether the extension keeps state for this instance (an nn.Module). */
  isModule(inst: PyInstance): boolean;
  /** copy.copy (copyValue null: the state is shared as PyTorch shares a module's dicts) or copy.deepcopy of that state. */
  copyInstanceState(from: PyInstance, to: PyInstance, copyValue: ((x: Value) => Value) | null): void;
  /** copy.deepcopy of a native value, through the one memo. */
  deepCopyNative(v: Value, memo: Map<unknown, Value>): Value;
}

/** Builds the extension for an interpreter (it needs the interpreter to call back into Python). */
export type ExtensionFactory = (it: Interp) => Extensions;

export type NativeModuleFactory = (it: Interp) => PyModule;

/** A built-in type's Python-visible methods (list.append, str.join, ...), installed by builtins.ts. */
export type PrimitiveMethod = (self: Value, args: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value;

export interface InterpOptions {
  host: SourceHost;
  searchPaths: string[];
  stepBudget: number;
  maxDepth: number;
  /** Wall-clock limit of one analysis (default 2,000 ms; 5,000 ms with a cpuClock). */
  timeLimitMs?: number;
  /** This process's CPU time in ms: with it, the analysis also stops after `cpuLimitMs` (default 700) of CPU time. */
  cpuClock?: () => number;
  cpuLimitMs?: number;
  /** Installed packages' folders (site-packages): searched last, and their import-time failures are notes, not errors. */
  libraryRoots?: string[];
  parseCache?: ParseCache;
}

export class Interp {
  readonly builtins = new Scope('module', null, null);
  readonly diagnostics: Diagnostic[] = [];
  readonly missingFiles = new Set<string>();
  readonly filesRead = new Set<string>();
  readonly modules = new Map<string, PyModule>();
  readonly nativeModules = new Map<string, NativeModuleFactory | PyModule>();
  readonly files = new Map<string, FileInfo>();
  /** Sources the engine brings itself (torch.nn layers written in Python), read before the host. */
  readonly virtualFiles = new Map<string, string>();
  /** Methods of built-in value types by type name (list, str, ...). */
  readonly primitiveMethods = new Map<string, Map<string, PrimitiveMethod>>();
  /** Classes of built-in types by name (object, int, list, Exception, ...). */
  readonly types = new Map<string, PyClass>();
  readonly ext: Extensions;
  steps = 0;
  depth = 0;
  parseMs = 0;
  /** The first file executed: the one being analysed (never replaced by an opaque stand-in). */
  entryFile?: string;
  /** Current source file/offsets of the statement being executed (for diagnostics). */
  cur: CallCtx = {};
  private readonly diagKeys = new Set<string>();
  private readonly deadline: number;
  private readonly wallLimitMs: number;
  private readonly cpuDeadline: number;

  constructor(readonly opts: InterpOptions, extension: ExtensionFactory) {
    this.wallLimitMs = opts.timeLimitMs ?? (opts.cpuClock ? 5000 : 2000);
    this.deadline = now() + this.wallLimitMs;
    this.cpuDeadline = opts.cpuClock ? opts.cpuClock() + (opts.cpuLimitMs ?? 700) : Infinity;
    resetBudget(() => this.checkClock(), () => this.cur);
    this.ext = extension(this);
  }

  // ---------------------------------------------------------------- diagnostics and budget
  locOf(file: string | undefined, s: number | undefined, e: number | undefined): Loc | undefined {
    if (!file || s === undefined) return undefined;
    const info = this.files.get(file);
    if (!info) return undefined;
    return info.lines.loc(s, e ?? s);
  }

  diag(severity: Severity, code: string, message: string, file?: string, s?: number, e?: number, fix?: Diagnostic['fix']): void {
    // an installed package importing what the analysis does not read (ctypes, a compiled extension) is a note
    if (code === 'import' && severity !== 'info' && file !== undefined && this.isLibraryFile(file)) severity = 'info';
    // NOTE: once the analysis is stopped (steps, clock, total work), every later statement stops with the
    // same message; the first place says it, the others' values are unknown with that reason.
    const key = code === 'budget' && message.startsWith('analysis stopped') ? `${code}|${message}` : `${code}|${message}|${file}|${s}`;
    if (this.diagKeys.has(key)) return;
    this.diagKeys.add(key);
    this.diagnostics.push({ severity, code, message, loc: this.locOf(file, s, e), ...(fix ? { fix } : {}) });
  }

  step(): void {
    // NOTE: steps bound the work, the clock bounds pathological steps (huge tensors of traced ops);
    // bulk operations (budget.ts) check the clock too, so no single step outruns it.
    if ((++this.steps & 255) === 0) this.checkClock();
    if (this.steps > this.opts.stepBudget) {
      throw new InterpError(`analysis stopped after ${this.opts.stepBudget.toLocaleString('en-US')} steps (an endless loop or very deep recursion?)`, this.cur.file, this.cur.s, this.cur.e, 'budget');
    }
  }

  /** Ends the analysis once its wall-clock limit has passed (a diagnostic at the statement running). */
  checkClock(): void {
    if (now() > this.deadline) {
      throw new InterpError(`analysis stopped after ${this.wallLimitMs} ms: an endless loop or too much work for a static analysis`, this.cur.file, this.cur.s, this.cur.e, 'budget');
    }
    if (this.opts.cpuClock && this.opts.cpuClock() > this.cpuDeadline) {
      throw new InterpError(`analysis stopped after ${this.opts.cpuLimitMs ?? 700} ms of CPU time: an endless loop or too much work for a static analysis`, this.cur.file, this.cur.s, this.cur.e, 'budget');
    }
  }

  /** Turns an exception escaping the interpreter into a diagnostic plus an Unknown naming it. */
  reportError(err: unknown, file: string, s: number, e: number, severity?: Severity): Unknown {
    if (err instanceof InterpError) {
      this.diag(severity ?? (err.code === 'budget' ? 'error' : 'warning'), err.code, err.message, err.file ?? file, err.s ?? s, err.e ?? e);
      return new Unknown(err.message, err.file ?? file, err.s ?? s, err.e ?? e);
    }
    if (err instanceof PyException) {
      this.diag(severity ?? 'error', 'exception', err.message, err.file ?? file, err.s ?? s, err.e ?? e);
      return new Unknown(err.message, err.file ?? file, err.s ?? s, err.e ?? e);
    }
    if (err instanceof RangeError) {
      // NOTE: the JS stack overflows only on deep nesting (bulk copies never spread arrays into calls,
      // budget.ts pushAll); other RangeErrors are values too large to hold, which budget.ts refuses first.
      const msg = /call stack/i.test(err.message) ? 'analysis stopped: values or calls nested too deeply for the analysis' : `analysis stopped: a value too large for the analysis (${err.message})`;
      this.diag('error', 'budget', msg, file, s, e);
      return new Unknown(msg, file, s, e);
    }
    const msg = err instanceof Error ? err.message : String(err);
    (globalThis as { LAYERLENS_DEBUG?: (e: unknown) => void }).LAYERLENS_DEBUG?.(err); // the fuzzer's reproducer prints the stack
    this.diag('error', 'internal', `LayerLens could not analyse this statement: ${msg}`, file, s, e);
    return new Unknown(msg, file, s, e);
  }

  // ---------------------------------------------------------------- files and imports (parseCache.ts, imports.ts)
  parseFile(path: string): FileInfo | undefined { return parseFile(this, path); }
  execFile(path: string, name: string): PyModule | undefined { return execFile(this, path, name); }
  importAbsolute(dotted: string, fromFile: string): Value | undefined { return importAbsolute(this, dotted, fromFile); }
  nativeModule(dotted: string): PyModule | undefined { return nativeModule(this, dotted); }
  execImport(st: Stmt & { k: 'Import' }, scope: Scope, mod: PyModule): void { execImport(this, st, scope, mod); }
  execImportFrom(st: Stmt & { k: 'ImportFrom' }, scope: Scope, mod: PyModule): void { execImportFrom(this, st, scope, mod); }

  // ---------------------------------------------------------------- statements (statements.ts)
  execBlock(body: Stmt[], scope: Scope, mod: PyModule): Flow { return execBlock(this, body, scope, mod); }
  execBlockTolerant(body: Stmt[], scope: Scope, mod: PyModule): void { execBlockTolerant(this, body, scope, mod); }
  isLibraryFile(path: string): boolean { return (this.opts.libraryRoots ?? []).some((r) => path.startsWith(r.endsWith('/') ? r : `${r}/`)); }
  assign(t: Expr, v: Value, scope: Scope, mod: PyModule): void { assign(this, t, v, scope, mod); }
  makeFunction(name: string, params: Param[], body: Stmt[] | undefined, expr: Expr | undefined, scope: Scope, mod: PyModule, s: number, e: number): PyFunction {
    return makeFunction(this, name, params, body, expr, scope, mod, s, e);
  }

  // ---------------------------------------------------------------- expressions (expressions.ts)
  eval(x: Expr, scope: Scope, mod: PyModule): Value { return evalExpr(this, x, scope, mod); }
  evalArgs(args: Arg[], scope: Scope, mod: PyModule): { pos: Value[]; kw: Map<string, Value> } { return evalArgs(this, args, scope, mod); }
  format(v: Value, spec: string): string { return formatValue(this, v, spec); }

  // ---------------------------------------------------------------- calls (calls.ts)
  call(fn: Value, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value { return call(this, fn, args, kwargs, ctx); }
  bindArgs(fn: PyFunction, args: Value[], kwargs: Map<string, Value>, into: Map<string, Value>, ctx: CallCtx): void { bindArgs(fn, args, kwargs, into, ctx); }

  // ---------------------------------------------------------------- attributes (attributes.ts)
  getAttr(obj: Value, name: string, ctx: CallCtx): Value { return getAttr(this, obj, name, ctx); }
  getAttrOpt(obj: Value, name: string, ctx: CallCtx): Value | undefined { return getAttrOpt(this, obj, name, ctx); }
  setAttr(obj: Value, name: string, v: Value, ctx: CallCtx): void { setAttr(this, obj, name, v, ctx); }

  // ---------------------------------------------------------------- operator protocols (protocols.ts)
  binop(op: string, a: Value, b: Value, ctx: CallCtx): Value { return binop(this, op, a, b, ctx); }
  unary(op: string, a: Value, ctx: CallCtx): Value { return unary(this, op, a, ctx); }
  compare(op: string, a: Value, b: Value, ctx: CallCtx): Value { return compare(this, op, a, b, ctx); }
  contains(container: Value, item: Value, ctx: CallCtx): Value { return contains(this, container, item, ctx); }
  truthy(v: Value, ctx: CallCtx): boolean { return truthy(this, v, ctx); }
  iterate(v: Value, ctx: CallCtx): Value[] { return iterate(this, v, ctx); }
  len(v: Value, ctx: CallCtx): Value { return len(this, v, ctx); }
  getItem(obj: Value, idx: Value, ctx: CallCtx): Value { return getItem(this, obj, idx, ctx); }
  setItem(obj: Value, idx: Value, v: Value, ctx: CallCtx): void { setItem(this, obj, idx, v, ctx); }
}
