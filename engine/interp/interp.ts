// The evaluator: executes the Python subset that model files are written in, over our syntax tree.
// It interprets, never executes user code; a step budget and a recursion limit end runaway programs.
// Torch semantics (tensors, nn.Module attribute rules, module calls) plug in through `Extensions`.
import type { Diagnostic, Loc, Severity, SourceHost } from '../api';
import type { Arg, Expr, Param, ParsedFile, Stmt } from '../python/ast';
import { parsePython } from '../python/parse';
import { LineIndex } from '../python/lineIndex';
import { Scope } from './scope';
import {
  BoundMethod, Builtin, ClassMethod, InterpError, LazyRef, Partial, Property, PyClass, PyDict, PyEllipsis,
  PyException, PyFloat, PyFunction, PyInstance, PyIterator, PyList, PyModule, PyRange, PySet, PySlice, PyTuple,
  StaticMethod, Super, Unknown, typeName, type CallCtx, type Value,
} from './values';
import { arith, formatSpec, hashKey, isNum, numVal, pyCompare, pyEquals, pyRepr, pyStr } from './ops';

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
}

/** Where parsed files are kept between analyses (in memory here; the CLI adds a disk cache, like .pyc files). */
export interface ParseCache {
  get(path: string, text: string): ParsedFile | undefined;
  set(path: string, text: string, parsed: ParsedFile): void;
}

export class MemoryParseCache implements ParseCache {
  private readonly map = new Map<string, ParsedFile>();
  constructor(private readonly limit = 256, private readonly next?: ParseCache) {}
  get(path: string, text: string): ParsedFile | undefined {
    const hit = this.map.get(path);
    if (hit && hit.source === text) return hit;
    const lower = this.next?.get(path, text);
    if (lower) this.map.set(path, lower);
    return lower;
  }
  set(path: string, text: string, parsed: ParsedFile): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(path, parsed);
    this.next?.set(path, text, parsed);
  }
}

export type NativeModuleFactory = (it: Interp) => PyModule;

const BREAK = 1, CONTINUE = 2;
type Flow = undefined | typeof BREAK | typeof CONTINUE | { ret: Value };

export interface InterpOptions {
  host: SourceHost;
  searchPaths: string[];
  stepBudget: number;
  maxDepth: number;
  /** Wall-clock limit of one analysis (default 2,000 ms). */
  timeLimitMs?: number;
  parseCache?: ParseCache;
}

interface FileInfo { parsed: ParsedFile; lines: LineIndex }

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
  ext!: Extensions;
  steps = 0;
  depth = 0;
  parseMs = 0;
  /** Classes of built-in types by name (object, int, list, Exception, ...). */
  readonly types = new Map<string, PyClass>();
  private diagKeys = new Set<string>();
  /** Current source file/offsets of the statement being executed (for diagnostics). */
  cur: CallCtx = {};

  constructor(readonly opts: InterpOptions) {
    this.deadline = now() + (opts.timeLimitMs ?? 2000);
  }

  // ---------------------------------------------------------------- diagnostics
  locOf(file: string | undefined, s: number | undefined, e: number | undefined): Loc | undefined {
    if (!file || s === undefined) return undefined;
    const info = this.files.get(file);
    if (!info) return undefined;
    return info.lines.loc(s, e ?? s);
  }

  diag(severity: Severity, code: string, message: string, file?: string, s?: number, e?: number, fix?: Diagnostic['fix']): void {
    const key = `${code}|${message}|${file}|${s}`;
    if (this.diagKeys.has(key)) return;
    this.diagKeys.add(key);
    this.diagnostics.push({ severity, code, message, loc: this.locOf(file, s, e), ...(fix ? { fix } : {}) });
  }

  private deadline = Infinity;

  step(): void {
    // NOTE: steps bound the work, the clock bounds pathological steps (huge tensors of traced ops).
    if ((++this.steps & 4095) === 0 && now() > this.deadline) {
      throw new InterpError(`analysis stopped after ${this.opts.timeLimitMs ?? 2000} ms (${this.steps} steps): an endless loop?`, this.cur.file, this.cur.s, this.cur.e, 'budget');
    }
    if (this.steps > this.opts.stepBudget) {
      throw new InterpError(`analysis stopped after ${this.opts.stepBudget.toLocaleString('en-US')} steps (an endless loop or very deep recursion?)`, this.cur.file, this.cur.s, this.cur.e, 'budget');
    }
  }

  // ---------------------------------------------------------------- files and modules
  parseFile(path: string): FileInfo | undefined {
    const cached = this.files.get(path);
    if (cached) return cached;
    const virtual = this.virtualFiles.get(path);
    const text = virtual ?? this.opts.host.readFile(path);
    if (text === undefined) { this.missingFiles.add(path); return undefined; }
    if (virtual === undefined) this.filesRead.add(path);
    const t0 = now();
    let parsed = this.opts.parseCache?.get(path, text);
    if (!parsed) {
      parsed = parsePython(path, text);
      this.opts.parseCache?.set(path, text, parsed);
    }
    this.parseMs += now() - t0;
    const info = { parsed, lines: new LineIndex(path, text) };
    this.files.set(path, info);
    return info;
  }

  /** Runs a file as a module (once). Statement-level failures become diagnostics; names they bind become unknown. */
  execFile(path: string, name: string): PyModule | undefined {
    if (OPAQUE_PATH.test(path)) return this.opaqueModule(path, name);
    const existing = this.modules.get(path);
    if (existing) return existing;
    const info = this.parseFile(path);
    if (!info) return undefined;
    const scope = new Scope('module', this.builtins, null);
    const mod = new PyModule(name, path, scope);
    scope.vars.set('__name__', name);
    scope.vars.set('__file__', path);
    this.modules.set(path, mod);
    for (const p of info.parsed.problems) this.diag('error', 'syntax', p.message, path, p.s, p.e);
    this.execBlockTolerant(info.parsed.body, scope, mod);
    return mod;
  }

  /** A stand-in module whose every attribute is unknown (for packages the analysis does not interpret). */
  opaqueModule(path: string, name: string): PyModule {
    const existing = this.modules.get(path);
    if (existing) return existing;
    const scope = new Scope('module', this.builtins, null);
    const reason = `'${name}' is not analysed (it holds no model code)`;
    scope.vars.set('__getattr__', new Builtin('__getattr__', () => new Unknown(reason)));
    const mod = new PyModule(name, path, scope);
    this.modules.set(path, mod);
    return mod;
  }

  /** Executes statements one by one; a failing statement is reported and its targets become unknown. */
  execBlockTolerant(body: Stmt[], scope: Scope, mod: PyModule): void {
    for (const st of body) {
      try {
        const f = this.exec(st, scope, mod);
        if (f !== undefined) break;
      } catch (err) {
        const u = this.reportError(err, mod.path, st.s, st.e);
        for (const n of boundNames(st)) scope.vars.set(n, u);
      }
    }
  }

  /** Turns an exception escaping the interpreter into a diagnostic plus an Unknown naming it. */
  reportError(err: unknown, file: string, s: number, e: number): Unknown {
    if (err instanceof InterpError) {
      this.diag(err.code === 'budget' ? 'error' : 'warning', err.code, err.message, err.file ?? file, err.s ?? s, err.e ?? e);
      return new Unknown(err.message, err.file ?? file, err.s ?? s, err.e ?? e);
    }
    if (err instanceof PyException) {
      this.diag('error', 'exception', err.message, err.file ?? file, err.s ?? s, err.e ?? e);
      return new Unknown(err.message, err.file ?? file, err.s ?? s, err.e ?? e);
    }
    if (err instanceof RangeError) {
      this.diag('error', 'budget', 'analysis stopped: recursion too deep', file, s, e);
      return new Unknown('recursion too deep', file, s, e);
    }
    const msg = err instanceof Error ? err.message : String(err);
    this.diag('error', 'internal', `LayerLens could not analyse this statement: ${msg}`, file, s, e);
    return new Unknown(msg, file, s, e);
  }

  dirname(p: string): string { const i = p.lastIndexOf('/'); return i <= 0 ? '/' : p.slice(0, i); }

  /** Finds `a/b/c.py` or `a/b/c/__init__.py` under `root`. */
  findModuleFile(root: string, dotted: string): string | undefined {
    const rel = dotted.split('.').join('/');
    for (const cand of [`${root}/${rel}.py`, `${root}/${rel}/__init__.py`]) {
      if (this.files.has(cand) || this.opts.host.readFile(cand) !== undefined) return cand;
    }
    return undefined;
  }

  searchRoots(fromFile: string): string[] {
    const roots = [this.dirname(fromFile)];
    // the root above the outermost package that contains fromFile
    let dir = this.dirname(fromFile);
    while (dir !== '/' && this.opts.host.readFile(`${dir}/__init__.py`) !== undefined) dir = this.dirname(dir);
    if (!roots.includes(dir)) roots.push(dir);
    for (const p of this.opts.searchPaths) if (!roots.includes(p)) roots.push(p);
    return roots;
  }

  /** Imports an absolute dotted module name. Undefined when not found anywhere. */
  importAbsolute(dotted: string, fromFile: string): Value | undefined {
    const native = this.nativeModule(dotted);
    if (native) return native;
    // libraries the analysis never interprets (numeric, imaging, I/O): their values are unknown
    const top = dotted.split('.')[0];
    if (OPAQUE_MODULES.has(top) || top === 'torch') return new Unknown(`module '${dotted}' is not analysed`);
    for (const root of this.searchRoots(fromFile)) {
      const f = this.findModuleFile(root, dotted);
      if (f) return this.execFile(f, dotted);
    }
    return undefined;
  }

  nativeModule(dotted: string): PyModule | undefined {
    const m = this.nativeModules.get(dotted);
    if (!m) return undefined;
    if (m instanceof PyModule) return m;
    const mod = m(this);
    this.nativeModules.set(dotted, mod);
    return mod;
  }

  /** Package directory for a relative import of `level` dots from `fromFile`. */
  relativeBase(fromFile: string, level: number): string {
    let dir = this.dirname(fromFile);
    for (let i = 1; i < level; i++) dir = this.dirname(dir);
    return dir;
  }

  packageName(fromFile: string, level: number, module: string): string {
    const parts = this.relativeBase(fromFile, level).split('/').filter(Boolean);
    return [...parts.slice(-2), ...(module ? [module] : [])].join('.');
  }

  // ---------------------------------------------------------------- statements
  execBlock(body: Stmt[], scope: Scope, mod: PyModule): Flow {
    for (const st of body) {
      const f = this.exec(st, scope, mod);
      if (f !== undefined) return f;
    }
    return undefined;
  }

  exec(st: Stmt, scope: Scope, mod: PyModule): Flow {
    this.step();
    const file = mod.path;
    this.cur = { file, s: st.s, e: st.e };
    switch (st.k) {
      case 'Expr': this.eval(st.value, scope, mod); return undefined;
      case 'Assign': {
        const v = this.eval(st.value, scope, mod);
        for (const t of st.targets) this.assign(t, v, scope, mod);
        return undefined;
      }
      case 'AnnAssign':
        if (st.value) this.assign(st.target, this.eval(st.value, scope, mod), scope, mod);
        else if (scope.kind === 'class' && st.target.k === 'Name') annotations(scope).push(st.target.id);
        return undefined;
      case 'AugAssign': return this.augAssign(st, scope, mod);
      case 'Return': return { ret: st.value ? this.eval(st.value, scope, mod) : null };
      case 'If': {
        const t = this.truthy(this.eval(st.test, scope, mod), { file, s: st.test.s, e: st.test.e });
        return this.execBlock(t ? st.body : st.orelse, scope, mod);
      }
      case 'For': {
        const it = this.iterate(this.eval(st.iter, scope, mod), { file, s: st.iter.s, e: st.iter.e });
        for (const v of it) {
          this.assign(st.target, v, scope, mod);
          const f = this.execBlock(st.body, scope, mod);
          if (f === BREAK) return undefined;
          if (f !== undefined && f !== CONTINUE) return f;
        }
        return this.execBlock(st.orelse, scope, mod);
      }
      case 'While': {
        for (;;) {
          this.step();
          if (!this.truthy(this.eval(st.test, scope, mod), { file, s: st.test.s, e: st.test.e })) break;
          const f = this.execBlock(st.body, scope, mod);
          if (f === BREAK) return undefined;
          if (f !== undefined && f !== CONTINUE) return f;
        }
        return this.execBlock(st.orelse, scope, mod);
      }
      case 'Break': return BREAK;
      case 'Continue': return CONTINUE;
      case 'Pass': return undefined;
      case 'Import': this.execImport(st, scope, mod); return undefined;
      case 'ImportFrom': this.execImportFrom(st, scope, mod); return undefined;
      case 'FunctionDef': {
        let fn: Value = this.makeFunction(st.name, st.params, st.body, undefined, scope, mod, st.s, st.e);
        if (scope.kind === 'class') (fn as PyFunction).attrs.set('__qualname__', `${scope.vars.get('__qualname__') ?? ''}.${st.name}`);
        for (const d of [...st.decorators].reverse()) fn = this.call(this.eval(d, scope, mod), [fn], new Map(), { file, s: d.s, e: d.e });
        scope.target(st.name).vars.set(st.name, fn);
        return undefined;
      }
      case 'ClassDef': return this.execClass(st, scope, mod);
      case 'Try': return this.execTry(st, scope, mod);
      case 'With': {
        for (const item of st.items) {
          const cm = this.eval(item.ctx, scope, mod);
          let entered: Value = cm;
          const enter = cm instanceof PyInstance ? cm.cls.lookup('__enter__') : undefined;
          if (enter) entered = this.call(enter, [cm], new Map(), { file, s: item.ctx.s, e: item.ctx.e });
          if (item.target) this.assign(item.target, entered, scope, mod);
        }
        return this.execBlock(st.body, scope, mod);
      }
      case 'Assert': {
        const v = this.eval(st.test, scope, mod);
        if (v instanceof Unknown) return undefined;
        if (!this.truthy(v, { file, s: st.test.s, e: st.test.e })) {
          const msg = st.msg ? pyStr(this.eval(st.msg, scope, mod)) : '';
          throw new PyException('AssertionError', msg || 'assertion failed', null, file, st.s, st.e);
        }
        return undefined;
      }
      case 'Raise': {
        if (!st.exc) throw new PyException('RuntimeError', 'No active exception to reraise', null, file, st.s, st.e);
        let ex = this.eval(st.exc, scope, mod);
        if (ex instanceof PyClass) ex = this.call(ex, [], new Map(), { file, s: st.s, e: st.e });
        if (ex instanceof Unknown) throw new InterpError(`raise of an unknown exception`, file, st.s, st.e);
        const cls = ex instanceof PyInstance ? ex.cls.name : typeName(ex);
        const args = ex instanceof PyInstance ? ex.dict.get('args') : null;
        const msg = args instanceof PyTuple && args.items.length ? pyStr(args.items[0]) : '';
        throw new PyException(cls, msg, ex, file, st.s, st.e);
      }
      case 'Global': (scope.globalNames ??= new Set()); st.names.forEach((n) => scope.globalNames!.add(n)); return undefined;
      case 'Nonlocal': (scope.nonlocalNames ??= new Set()); st.names.forEach((n) => scope.nonlocalNames!.add(n)); return undefined;
      case 'Del': for (const t of st.targets) this.del(t, scope, mod); return undefined;
      case 'Unsupported': throw new InterpError(`${st.what} is not supported`, file, st.s, st.e);
    }
  }

  execClass(st: Stmt & { k: 'ClassDef' }, scope: Scope, mod: PyModule): Flow {
    const file = mod.path;
    const bases: PyClass[] = [];
    const kw = new Map<string, Value>();
    for (const a of st.bases) {
      const v = this.eval(a.value, scope, mod);
      if (a.kind === 'kw') { kw.set(a.name!, v); continue; }
      if (a.kind === 'star') { for (const x of this.iterate(v, { file, s: a.s, e: a.e })) if (x instanceof PyClass) bases.push(x); continue; }
      if (v instanceof PyClass) bases.push(v);
      else if (v instanceof Unknown) throw new InterpError(`base class of '${st.name}' is unknown (${v.reason})`, file, a.s, a.e);
      // typing.Generic[...] and similar subscripted helpers give non-class values: ignore them
    }
    if (!bases.length) bases.push(this.types.get('object')!);
    const body = new Scope('class', scope, scope.moduleScope);
    body.vars.set('__module__', mod.name);
    body.vars.set('__qualname__', st.name);
    const flow = this.execBlock(st.body, body, mod);
    void flow;
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
    for (const d of [...st.decorators].reverse()) out = this.call(this.eval(d, scope, mod), [out], new Map(), { file, s: d.s, e: d.e });
    scope.target(st.name).vars.set(st.name, out);
    return undefined;
  }

  execTry(st: Stmt & { k: 'Try' }, scope: Scope, mod: PyModule): Flow {
    let flow: Flow;
    try {
      try {
        flow = this.execBlock(st.body, scope, mod);
      } catch (err) {
        if (!(err instanceof PyException)) throw err;
        for (const h of st.handlers) {
          if (h.type) {
            const t = this.eval(h.type, scope, mod);
            if (!this.exceptionMatches(err, t)) continue;
          }
          if (h.name) scope.vars.set(h.name, err.value ?? this.makeException(err.pyType, err.message));
          return this.execBlock(h.body, scope, mod);
        }
        throw err;
      }
      if (flow === undefined) flow = this.execBlock(st.orelse, scope, mod);
      return flow;
    } finally {
      if (st.finalbody.length) {
        const f2 = this.execBlock(st.finalbody, scope, mod);
        if (f2 !== undefined) flow = f2;
      }
    }
  }

  exceptionMatches(err: PyException, t: Value): boolean {
    if (t instanceof PyTuple) return t.items.some((x) => this.exceptionMatches(err, x));
    if (!(t instanceof PyClass)) return false;
    const errCls = err.value instanceof PyInstance ? err.value.cls : this.types.get(err.pyType);
    if (errCls) return errCls.isSubclassOf(t);
    return t.name === err.pyType || t.name === 'Exception' || t.name === 'BaseException';
  }

  makeException(type: string, message: string): Value {
    const cls = this.types.get(type) ?? this.types.get('Exception')!;
    const inst = new PyInstance(cls);
    inst.dict.set('args', new PyTuple([message]));
    return inst;
  }

  execImport(st: Stmt & { k: 'Import' }, scope: Scope, mod: PyModule): void {
    for (const n of st.names) {
      const m = this.importAbsolute(n.name, mod.path);
      if (!m) {
        this.diag('warning', 'import', `cannot resolve module '${n.name}': values from it are unknown`, mod.path, n.s, n.e);
      }
      const val = m ?? new Unknown(`module '${n.name}' not found`, mod.path, n.s, n.e);
      if (n.asName) { scope.vars.set(n.asName, val); continue; }
      // `import a.b.c` binds `a`
      const top = n.name.split('.')[0];
      if (top === n.name) { scope.vars.set(top, val); continue; }
      const topMod = this.importAbsolute(top, mod.path) ?? new Unknown(`module '${top}' not found`);
      scope.vars.set(top, topMod);
    }
  }

  execImportFrom(st: Stmt & { k: 'ImportFrom' }, scope: Scope, mod: PyModule): void {
    const file = mod.path;
    const loadSource = (): Value | undefined => {
      if (st.level === 0) return this.importAbsolute(st.module, file);
      const base = this.relativeBase(file, st.level);
      if (!st.module) {
        const init = `${base}/__init__.py`;
        return this.execFile(init, this.packageName(file, st.level, '')) ?? undefined;
      }
      const f = this.findModuleFile(base, st.module);
      if (!f) {
        this.missingFiles.add(`${base}/${st.module.split('.').join('/')}.py`);
        return undefined;
      }
      return this.execFile(f, this.packageName(file, st.level, st.module));
    };
    const what = st.level ? '.'.repeat(st.level) + st.module : st.module;
    if (st.names === '*') {
      const m = loadSource();
      if (!(m instanceof PyModule)) {
        this.diag(st.level ? 'error' : 'warning', 'import', `cannot resolve module '${what}'`, file, st.s, st.e);
        return;
      }
      const all = m.scope.vars.get('__all__');
      const names = all instanceof PyList || all instanceof PyTuple ? all.items.map((x) => String(x)) : [...m.scope.vars.keys()].filter((k) => !k.startsWith('_'));
      for (const n of names) { const v = m.scope.vars.get(n); if (v !== undefined) scope.vars.set(n, v); }
      return;
    }
    // Submodules (`from . import functional as F`) and names resolve lazily on first use.
    let loaded: { v: Value | undefined } | null = null;
    const source = (): Value | undefined => { if (!loaded) loaded = { v: loadSource() }; return loaded.v; };
    const isNative = st.level === 0 && this.nativeModules.has(st.module);
    for (const n of st.names) {
      const bind = n.asName ?? n.name;
      const resolve = (): Value => {
        // a submodule of a package?
        const subDotted = st.module ? `${st.module}.${n.name}` : n.name;
        if (st.level === 0 && this.nativeModules.has(subDotted)) return this.nativeModule(subDotted)!;
        if (st.level > 0) {
          const base = this.relativeBase(file, st.level);
          const sub = this.findModuleFile(base, subDotted);
          if (sub) return this.execFile(sub, this.packageName(file, st.level, subDotted))!;
        }
        const m = source();
        if (m === undefined) {
          if (st.level === 0 && !isNative) {
            const sub = this.importAbsolute(subDotted, file);
            if (sub) return sub;
          }
          this.diag(st.level ? 'error' : 'warning', 'import', `cannot resolve module '${what}'${st.level ? '' : ': values from it are unknown'}`, file, st.s, st.e);
          return new Unknown(`module '${what}' not found`, file, n.s, n.e);
        }
        if (m instanceof Unknown) return m;
        try {
          return this.getAttr(m, n.name, { file, s: n.s, e: n.e });
        } catch (err) {
          if (err instanceof PyException && st.level === 0) {
            const sub = this.importAbsolute(subDotted, file);
            if (sub) return sub;
          }
          this.diag('error', 'import', `cannot import name '${n.name}' from '${what}'`, file, n.s, n.e);
          return new Unknown(`cannot import name '${n.name}'`, file, n.s, n.e);
        }
      };
      scope.vars.set(bind, isNative ? resolve() : new LazyRef(resolve));
    }
  }

  augAssign(st: Stmt & { k: 'AugAssign' }, scope: Scope, mod: PyModule): Flow {
    const ctx = { file: mod.path, s: st.s, e: st.e };
    const cur = this.eval(st.target, scope, mod);
    const rhs = this.eval(st.value, scope, mod);
    let v: Value;
    if (cur instanceof PyList && st.op === '+') { cur.items.push(...this.iterate(rhs, ctx)); v = cur; }
    else if (cur instanceof PyDict && st.op === '|' && rhs instanceof PyDict) { for (const [k, e] of rhs.map) cur.map.set(k, e); v = cur; }
    else if (this.ext.isTensor(cur)) v = this.ext.tensorBinop(st.op + '=', cur, rhs, ctx);
    else v = this.binop(st.op, cur, rhs, ctx);
    this.assign(st.target, v, scope, mod);
    return undefined;
  }

  assign(t: Expr, v: Value, scope: Scope, mod: PyModule): void {
    const ctx = { file: mod.path, s: t.s, e: t.e };
    switch (t.k) {
      case 'Name': scope.target(t.id).vars.set(t.id, v); return;
      case 'Attr': this.setAttr(this.eval(t.obj, scope, mod), t.name, v, ctx); return;
      case 'Sub': this.setItem(this.eval(t.obj, scope, mod), this.eval(t.index, scope, mod), v, ctx); return;
      case 'Tuple': case 'List': {
        if (v instanceof Unknown) { for (const e of t.elts) this.assign(e.k === 'Starred' ? e.e1 : e, v, scope, mod); return; }
        const items = this.iterate(v, ctx);
        const starIdx = t.elts.findIndex((e) => e.k === 'Starred');
        if (starIdx < 0) {
          if (items.length !== t.elts.length) {
            throw new PyException('ValueError', `cannot unpack ${items.length} values into ${t.elts.length} targets`, null, mod.path, t.s, t.e);
          }
          t.elts.forEach((e, i) => this.assign(e, items[i], scope, mod));
          return;
        }
        const after = t.elts.length - starIdx - 1;
        t.elts.slice(0, starIdx).forEach((e, i) => this.assign(e, items[i], scope, mod));
        this.assign((t.elts[starIdx] as { e1: Expr }).e1, new PyList(items.slice(starIdx, items.length - after)), scope, mod);
        t.elts.slice(starIdx + 1).forEach((e, i) => this.assign(e, items[items.length - after + i], scope, mod));
        return;
      }
      case 'Starred': this.assign(t.e1, v, scope, mod); return;
      default: throw new InterpError(`cannot assign to this expression`, mod.path, t.s, t.e);
    }
  }

  del(t: Expr, scope: Scope, mod: PyModule): void {
    const ctx = { file: mod.path, s: t.s, e: t.e };
    if (t.k === 'Name') { scope.target(t.id).vars.delete(t.id); return; }
    if (t.k === 'Sub') {
      const o = this.eval(t.obj, scope, mod), i = this.eval(t.index, scope, mod);
      if (o instanceof PyDict) { o.map.delete(hashKey(i)); return; }
      if (o instanceof PyList && typeof i === 'number') { o.items.splice(i < 0 ? o.items.length + i : i, 1); return; }
      if (o instanceof PyInstance) { const f = o.cls.lookup('__delitem__'); if (f) { this.call(f, [o, i], new Map(), ctx); return; } }
      return;
    }
    if (t.k === 'Attr') {
      const o = this.eval(t.obj, scope, mod);
      if (o instanceof PyInstance && !(o.mod && this.ext.moduleDelAttr(o, t.name))) o.dict.delete(t.name);
      return;
    }
    if (t.k === 'Tuple' || t.k === 'List') t.elts.forEach((e) => this.del(e, scope, mod));
    void ctx;
  }

  makeFunction(name: string, params: Param[], body: Stmt[] | undefined, expr: Expr | undefined, scope: Scope, mod: PyModule, s: number, e: number): PyFunction {
    const defaults = new Map<string, Value>();
    for (const p of params) if (p.default) defaults.set(p.name, this.eval(p.default, scope, mod));
    const qual = scope.kind === 'class' ? `${pyStr(scope.vars.get('__qualname__') ?? '')}.${name}` : name;
    return new PyFunction({ name, qualname: qual, params, body, expr, file: mod.path, s, e }, defaults, scope, mod);
  }

  // ---------------------------------------------------------------- expressions
  eval(x: Expr, scope: Scope, mod: PyModule): Value {
    switch (x.k) {
      case 'Name': {
        let v = scope.lookup(x.id);
        if (v === undefined) v = this.builtins.vars.get(x.id);
        if (v === undefined) throw new PyException('NameError', `name '${x.id}' is not defined`, null, mod.path, x.s, x.e);
        if (v instanceof LazyRef) { const r = v.resolve(); scope.replace(x.id, r); return r; }
        return v;
      }
      case 'Num':
        if (x.imag) return new Unknown('complex numbers are not modelled', mod.path, x.s, x.e);
        if (x.big !== undefined) return new Unknown(`integer ${x.big} is beyond 2^53 and would not be exact`, mod.path, x.s, x.e);
        return x.float ? new PyFloat(x.v) : x.v;
      case 'Str': return x.v;
      case 'FStr': return this.fstring(x.parts, scope, mod);
      case 'Const': return x.v === 'None' ? null : x.v === 'True' ? true : x.v === 'False' ? false : PyEllipsis.it;
      case 'Attr': return this.getAttr(this.eval(x.obj, scope, mod), x.name, { file: mod.path, s: x.s, e: x.e });
      case 'Sub': return this.getItem(this.eval(x.obj, scope, mod), this.eval(x.index, scope, mod), { file: mod.path, s: x.s, e: x.e });
      case 'Slice': {
        const ev = (y?: Expr): Value => (y ? this.eval(y, scope, mod) : null);
        return new PySlice(ev(x.lo), ev(x.hi), ev(x.step));
      }
      case 'Call': return this.evalCall(x, scope, mod);
      case 'Bin': return this.binop(x.op, this.eval(x.l, scope, mod), this.eval(x.r, scope, mod), { file: mod.path, s: x.s, e: x.e });
      case 'Unary': return this.unary(x.op, this.eval(x.e1, scope, mod), { file: mod.path, s: x.s, e: x.e });
      case 'Bool': {
        const l = this.eval(x.l, scope, mod);
        const t = this.truthy(l, { file: mod.path, s: x.l.s, e: x.l.e });
        if (x.op === 'and') return t ? this.eval(x.r, scope, mod) : l;
        return t ? l : this.eval(x.r, scope, mod);
      }
      case 'Compare': {
        let left = this.eval(x.first, scope, mod);
        let result: Value = true;
        for (let i = 0; i < x.ops.length; i++) {
          const right = this.eval(x.rest[i], scope, mod);
          result = this.compare(x.ops[i], left, right, { file: mod.path, s: x.s, e: x.e });
          if (result instanceof Unknown || this.ext.isTensor(result)) return result;
          if (!this.truthy(result, {})) return result;
          left = right;
        }
        return result;
      }
      case 'IfExp':
        return this.truthy(this.eval(x.test, scope, mod), { file: mod.path, s: x.test.s, e: x.test.e }) ? this.eval(x.body, scope, mod) : this.eval(x.orelse, scope, mod);
      case 'Lambda': return this.makeFunction('<lambda>', x.params, undefined, x.body, scope, mod, x.s, x.e);
      case 'List': return new PyList(this.evalElts(x.elts, scope, mod));
      case 'Tuple': return new PyTuple(this.evalElts(x.elts, scope, mod));
      case 'Set': { const s = new PySet(); for (const v of this.evalElts(x.elts, scope, mod)) s.map.set(hashKey(v), v); return s; }
      case 'Dict': {
        const d = new PyDict();
        for (const it of x.items) {
          if ('dstar' in it) {
            const src = this.eval(it.dstar, scope, mod);
            if (src instanceof PyDict) for (const [k, e] of src.map) d.map.set(k, e);
            else if (src instanceof Unknown) throw new InterpError(`**${pyStr(src)} is unknown`, mod.path, it.dstar.s, it.dstar.e);
            continue;
          }
          const k = this.eval(it.key, scope, mod);
          d.map.set(hashKey(k), { k, v: this.eval(it.value, scope, mod) });
        }
        return d;
      }
      case 'Comp': return this.comprehension(x, scope, mod);
      case 'Walrus': { const v = this.eval(x.value, scope, mod); scope.target(x.target).vars.set(x.target, v); return v; }
      case 'Starred': throw new InterpError('starred expression outside a call or list', mod.path, x.s, x.e);
      case 'Error': throw new InterpError(`cannot evaluate incomplete code '${x.text.slice(0, 40)}'`, mod.path, x.s, x.e, 'syntax');
    }
  }

  evalElts(elts: Expr[], scope: Scope, mod: PyModule): Value[] {
    const out: Value[] = [];
    for (const e of elts) {
      if (e.k === 'Starred') out.push(...this.iterate(this.eval(e.e1, scope, mod), { file: mod.path, s: e.s, e: e.e }));
      else out.push(this.eval(e, scope, mod));
    }
    return out;
  }

  comprehension(x: Expr & { k: 'Comp' }, scope: Scope, mod: PyModule): Value {
    const inner = new Scope('function', scope, scope.moduleScope);
    const items: Value[] = [];
    const dict = new PyDict();
    const loop = (gi: number): void => {
      if (gi === x.gens.length) {
        this.step();
        if (x.kind === 'dict') { const k = this.eval(x.elt, inner, mod); dict.map.set(hashKey(k), { k, v: this.eval(x.value!, inner, mod) }); }
        else items.push(this.eval(x.elt, inner, mod));
        return;
      }
      const g = x.gens[gi];
      // the first iterable is evaluated in the enclosing scope, as Python does
      const iterable = this.eval(g.iter, gi === 0 ? scope : inner, mod);
      for (const v of this.iterate(iterable, { file: mod.path, s: g.iter.s, e: g.iter.e })) {
        this.assign(g.target, v, inner, mod);
        if (g.ifs.every((c) => this.truthy(this.eval(c, inner, mod), { file: mod.path, s: c.s, e: c.e }))) loop(gi + 1);
      }
    };
    loop(0);
    if (x.kind === 'dict') return dict;
    if (x.kind === 'set') { const s = new PySet(); for (const v of items) s.map.set(hashKey(v), v); return s; }
    if (x.kind === 'gen') return new PyIterator(items);
    return new PyList(items);
  }

  fstring(parts: Array<string | { expr: Expr; conv?: string; spec?: Array<string | { expr: Expr }> }>, scope: Scope, mod: PyModule): Value {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') { out += p; continue; }
      const v = this.eval(p.expr, scope, mod);
      if (v instanceof Unknown) return v;
      const spec = p.spec ? pyStr(this.fstring(p.spec as never, scope, mod)) : '';
      const conv = p.conv === 'r' ? pyRepr(v) : p.conv === 's' ? pyStr(v) : v;
      out += this.format(conv, spec);
    }
    return out;
  }

  format(v: Value, spec: string): string {
    if (v instanceof PyInstance) {
      const f = v.cls.lookup('__format__') ?? v.cls.lookup('__str__');
      if (f instanceof PyFunction) return pyStr(this.call(f, [v, spec], new Map(), {}));
    }
    return formatSpec(v, spec);
  }

  evalArgs(args: Arg[], scope: Scope, mod: PyModule): { pos: Value[]; kw: Map<string, Value> } {
    const pos: Value[] = [];
    const kw = new Map<string, Value>();
    for (const a of args) {
      switch (a.kind) {
        case 'pos': pos.push(this.eval(a.value, scope, mod)); break;
        case 'star': pos.push(...this.iterate(this.eval(a.value, scope, mod), { file: mod.path, s: a.s, e: a.e })); break;
        case 'kw': kw.set(a.name!, this.eval(a.value, scope, mod)); break;
        case 'dstar': {
          const d = this.eval(a.value, scope, mod);
          if (d instanceof PyDict) { for (const e of d.map.values()) kw.set(String(e.k), e.v); }
          else if (d instanceof Unknown) throw new InterpError(`**kwargs value is unknown (${d.reason})`, mod.path, a.s, a.e);
          else throw new PyException('TypeError', `argument after ** must be a mapping, not ${typeName(d)}`, null, mod.path, a.s, a.e);
          break;
        }
      }
    }
    return { pos, kw };
  }

  evalCall(x: Expr & { k: 'Call' }, scope: Scope, mod: PyModule): Value {
    const ctx: CallCtx = { file: mod.path, s: x.s, e: x.e };
    // zero-argument super(): the class owning the running function and its first argument
    if (x.fn.k === 'Name' && x.fn.id === 'super' && x.args.length === 0 && (scope.lookup('super') ?? this.builtins.vars.get('super')) === this.types.get('super')) {
      const owner = scope.lookup('__class_owner__');
      const self = scope.lookup('__self_arg__');
      if (owner instanceof PyClass && self !== undefined) return new Super(owner, self);
      throw new InterpError('super() outside a method', mod.path, x.s, x.e);
    }
    const fn = this.eval(x.fn, scope, mod);
    const { pos, kw } = this.evalArgs(x.args, scope, mod);
    return this.call(fn, pos, kw, ctx);
  }

  // ---------------------------------------------------------------- calls
  call(fn: Value, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
    this.step();
    if (fn instanceof PyFunction) return this.callFunction(fn, args, kwargs, ctx);
    if (fn instanceof Builtin) {
      try {
        return fn.fn(args, kwargs, ctx);
      } catch (err) {
        if ((err instanceof PyException || err instanceof InterpError) && err.s === undefined) { err.s = ctx.s; err.e = ctx.e; (err as { file?: string }).file ??= ctx.file; }
        throw err;
      }
    }
    if (fn instanceof BoundMethod) return this.call(fn.fn, [fn.self, ...args], kwargs, ctx);
    if (fn instanceof PyClass) return this.instantiate(fn, args, kwargs, ctx);
    if (fn instanceof Partial) {
      const kw = new Map(fn.kwargs);
      for (const [k, v] of kwargs) kw.set(k, v);
      return this.call(fn.fn, [...fn.args, ...args], kw, ctx);
    }
    if (fn instanceof StaticMethod || fn instanceof ClassMethod) return this.call(fn.fn, args, kwargs, ctx);
    if (fn instanceof PyInstance) {
      if (fn.mod) return this.ext.callModule(fn, args, kwargs, ctx);
      const c = fn.cls.lookup('__call__');
      if (c !== undefined) return this.call(c, [fn, ...args], kwargs, ctx);
    }
    if (fn instanceof Unknown) return new Unknown(fn.reason, fn.file, fn.s, fn.e);
    if (fn instanceof LazyRef) return this.call(fn.resolve(), args, kwargs, ctx);
    throw new PyException('TypeError', `'${typeName(fn)}' object is not callable`, null, ctx.file, ctx.s, ctx.e);
  }

  callFunction(fn: PyFunction, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
    if (this.depth >= this.opts.maxDepth) {
      throw new InterpError(`analysis stopped: recursion deeper than ${this.opts.maxDepth} calls (in '${fn.code.name}')`, fn.code.file, fn.code.s, fn.code.e, 'budget');
    }
    const scope = new Scope('function', fn.closure, fn.closure.moduleScope);
    this.bindArgs(fn, args, kwargs, scope.vars, ctx);
    if (fn.ownerClass) {
      scope.vars.set('__class_owner__', fn.ownerClass);
      const first = fn.code.params[0];
      if (first && scope.vars.has(first.name)) scope.vars.set('__self_arg__', scope.vars.get(first.name)!);
    }
    this.depth++;
    const saved = this.cur;
    try {
      if (fn.code.expr) return this.eval(fn.code.expr, scope, fn.module);
      const f = this.execBlock(fn.code.body!, scope, fn.module);
      return f !== undefined && typeof f === 'object' ? f.ret : null;
    } finally {
      this.depth--;
      this.cur = saved;
    }
  }

  bindArgs(fn: PyFunction, args: Value[], kwargs: Map<string, Value>, into: Map<string, Value>, ctx: CallCtx): void {
    const params = fn.code.params;
    let ai = 0;
    let varkw: PyDict | null = null;
    for (const p of params) {
      if (p.kind === 'pos') {
        if (ai < args.length) {
          if (kwargs.has(p.name)) throw new PyException('TypeError', `${fn.code.name}() got multiple values for argument '${p.name}'`, null, ctx.file, ctx.s, ctx.e);
          into.set(p.name, args[ai++]);
        }
      } else if (p.kind === 'varargs') {
        into.set(p.name, new PyTuple(args.slice(ai)));
        ai = args.length;
      } else if (p.kind === 'varkw') {
        varkw = new PyDict();
        into.set(p.name, varkw);
      }
    }
    if (ai < args.length) {
      throw new PyException('TypeError', `${fn.code.name}() takes ${params.filter((p) => p.kind === 'pos').length} positional arguments but ${args.length} were given`, null, ctx.file, ctx.s, ctx.e);
    }
    for (const [k, v] of kwargs) {
      const p = params.find((q) => q.name === k && (q.kind === 'pos' || q.kind === 'kwonly'));
      if (p) { into.set(k, v); continue; }
      if (varkw) { varkw.map.set(hashKey(k), { k, v }); continue; }
      throw new PyException('TypeError', `${fn.code.name}() got an unexpected keyword argument '${k}'`, null, ctx.file, ctx.s, ctx.e);
    }
    for (const p of params) {
      if ((p.kind === 'pos' || p.kind === 'kwonly') && !into.has(p.name)) {
        const d = fn.defaults.get(p.name);
        if (d === undefined) throw new PyException('TypeError', `${fn.code.name}() missing required argument: '${p.name}'`, null, ctx.file, ctx.s, ctx.e);
        into.set(p.name, d);
      }
    }
  }

  instantiate(cls: PyClass, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
    const newFn = cls.lookup('__new__');
    if (newFn instanceof Builtin || newFn instanceof StaticMethod || newFn instanceof PyFunction) {
      const r = this.call(newFn instanceof StaticMethod ? newFn.fn : newFn, [cls, ...args], kwargs, ctx);
      if (!(r instanceof PyInstance) || !r.cls.isSubclassOf(cls)) return r;
      if (r.dict.has('__initialised_native__')) return r;
      const init = cls.lookup('__init__');
      if (init !== undefined && !(init instanceof Builtin && init.name === 'object.__init__')) this.call(init, [r, ...args], kwargs, ctx);
      return r;
    }
    const inst = new PyInstance(cls);
    for (let i = cls.mro.length - 1; i >= 0; i--) cls.mro[i].native?.create?.(inst);
    this.ext.onInstantiate(inst, ctx);
    const init = cls.lookup('__init__');
    if (init !== undefined) this.call(init, [inst, ...args], kwargs, ctx);
    return inst;
  }

  // ---------------------------------------------------------------- attributes
  getAttr(obj: Value, name: string, ctx: CallCtx): Value {
    const v = this.getAttrOpt(obj, name, ctx);
    if (v === undefined) {
      throw new PyException('AttributeError', `'${obj instanceof PyClass ? obj.name : typeName(obj)}' object has no attribute '${name}'`, null, ctx.file, ctx.s, ctx.e);
    }
    return v;
  }

  getAttrOpt(obj: Value, name: string, ctx: CallCtx): Value | undefined {
    if (obj instanceof LazyRef) obj = obj.resolve();
    if (obj instanceof PyInstance) return this.instanceAttr(obj, name, ctx);
    if (obj instanceof PyModule) {
      const v = obj.scope.vars.get(name);
      if (v instanceof LazyRef) { const r = v.resolve(); obj.scope.vars.set(name, r); return r; }
      if (v === undefined && name === '__name__') return obj.name;
      if (v === undefined) {
        const ga = obj.scope.vars.get('__getattr__');
        if (ga !== undefined && name !== '__getattr__') return this.call(ga, [name], new Map(), ctx);
      }
      return v;
    }
    if (obj instanceof PyClass) return this.classAttr(obj, name);
    if (obj instanceof Unknown) return obj;
    if (obj instanceof Super) {
      const mro = obj.self instanceof PyClass ? obj.self.mro : obj.self instanceof PyInstance ? obj.self.cls.mro : obj.cls.mro;
      const start = mro.indexOf(obj.cls);
      for (const c of mro.slice(start + 1)) {
        const v = c.dict.get(name);
        if (v === undefined) continue;
        return this.bindDescriptor(v, obj.self, obj.self instanceof PyClass ? obj.self : (obj.self as PyInstance).cls);
      }
      return undefined;
    }
    if (this.ext.isTensor(obj)) return this.ext.tensorAttr(obj, name, ctx);
    if (obj instanceof PyFunction) {
      const own = obj.attrs.get(name);
      if (own !== undefined) return own;
      if (name === '__name__') return obj.code.name;
      if (name === '__class__') return this.types.get('function') ?? null;
      if (name === '__qualname__') return obj.attrs.get('__qualname__') ?? obj.code.qualname;
      if (name === '__module__') return obj.module.name;
      if (name === '__dict__') return new PyDict();
      return obj.attrs.get(name);
    }
    if (obj instanceof Builtin) {
      if (name === '__name__') return obj.name.split('.').pop()!;
      return obj.attrs.get(name);
    }
    if (obj instanceof Partial) {
      if (name === 'func') return obj.fn;
      if (name === 'args') return new PyTuple(obj.args);
      if (name === 'keywords') { const d = new PyDict(); for (const [k, v] of obj.kwargs) d.map.set(hashKey(k), { k, v }); return d; }
    }
    if (obj instanceof BoundMethod) {
      if (name === '__self__') return obj.self;
      if (name === '__func__') return obj.fn;
      return this.getAttrOpt(obj.fn, name, ctx);
    }
    if (obj instanceof StaticMethod || obj instanceof ClassMethod) { if (name === '__func__') return obj.fn; }
    return this.primitiveAttr(obj, name);
  }

  /** Methods of built-in value types (list.append, str.join, ...), installed by builtins.ts. */
  primitiveMethods = new Map<string, Map<string, (self: Value, args: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value>>();

  primitiveAttr(obj: Value, name: string): Value | undefined {
    const t = typeName(obj);
    const key = obj instanceof PyTuple ? 'tuple' : t;
    const table = this.primitiveMethods.get(key);
    const m = table?.get(name);
    if (m) return new Builtin(`${key}.${name}`, (a, kw, c) => m(obj, a, kw, c));
    if (name === '__class__') return this.types.get(key) ?? null;
    if (obj instanceof PySlice) { if (name === 'start') return obj.lo; if (name === 'stop') return obj.hi; if (name === 'step') return obj.step; }
    if (obj instanceof PyRange) { if (name === 'start') return obj.start; if (name === 'stop') return obj.stop; if (name === 'step') return obj.step; }
    if (obj instanceof PyTuple && obj.cls) {
      const fields = obj.cls.dict.get('_fields');
      if (fields instanceof PyTuple) { const i = fields.items.indexOf(name); if (i >= 0) return obj.items[i]; }
      const v = obj.cls.lookup(name);
      if (v !== undefined) return this.bindDescriptor(v, obj, obj.cls);
    }
    if (obj instanceof PyFloat && name === 'real') return obj;
    if (typeof obj === 'number' && name === 'real') return obj;
    return undefined;
  }

  bindDescriptor(v: Value, self: Value, cls: PyClass): Value {
    if (v instanceof PyFunction || v instanceof Builtin) return self instanceof PyClass ? v : new BoundMethod(self, v);
    if (v instanceof StaticMethod) return v.fn;
    if (v instanceof ClassMethod) return new BoundMethod(cls, v.fn);
    if (v instanceof Property) return self instanceof PyClass ? v : this.call(v.fget, [self], new Map(), {});
    return v;
  }

  instanceAttr(obj: PyInstance, name: string, ctx: CallCtx): Value | undefined {
    const clsV = obj.cls.lookup(name);
    if (clsV instanceof Property) return this.call(clsV.fget, [obj], new Map(), ctx);
    const own = obj.dict.get(name);
    if (own !== undefined) return own;
    if (obj.mod) {
      const m = this.ext.moduleGetAttr(obj, name);
      if (m !== undefined) return m;
    }
    if (clsV !== undefined) return this.bindDescriptor(clsV, obj, obj.cls);
    if (name === '__class__') return obj.cls;
    if (name === '__dict__') { const d = new PyDict(); for (const [k, v] of obj.dict) d.map.set(hashKey(k), { k, v }); return d; }
    if (name === '__module__') return obj.cls.moduleName;
    const ga = obj.cls.lookup('__getattr__');
    if (ga instanceof PyFunction) {
      try { return this.call(ga, [obj, name], new Map(), ctx); } catch (err) {
        if (err instanceof PyException && err.pyType === 'AttributeError') return undefined;
        throw err;
      }
    }
    return undefined;
  }

  classAttr(cls: PyClass, name: string): Value | undefined {
    switch (name) {
      case '__name__': return cls.name;
      case '__qualname__': return cls.name;
      case '__module__': return cls.moduleName;
      case '__mro__': return new PyTuple(cls.mro);
      case '__bases__': return new PyTuple(cls.bases);
      case '__class__': return this.types.get('type') ?? null;
      case '__dict__': { const d = new PyDict(); for (const [k, v] of cls.dict) d.map.set(hashKey(k), { k, v }); return d; }
    }
    const v = cls.lookup(name);
    if (v === undefined) {
      const metaCls = cls.lookup('__metaclass__');
      if (metaCls instanceof PyClass) {
        const mv = metaCls.lookup(name);
        if (mv instanceof PyFunction) return new BoundMethod(cls, mv);
        if (mv instanceof Property) return this.call(mv.fget, [cls], new Map(), {});
        if (mv !== undefined) return mv;
      }
      const meta = cls.lookup('__class_getattr_native__');
      if (meta instanceof Builtin) { const r = meta.fn([cls, name], new Map(), {}); if (r !== undefined) return r; }
      return undefined;
    }
    return this.bindDescriptor(v, cls, cls);
  }

  setAttr(obj: Value, name: string, v: Value, ctx: CallCtx): void {
    if (obj instanceof PyInstance) {
      const p = obj.cls.lookup(name);
      if (p instanceof Property) {
        if (p.fset === null) throw new PyException('AttributeError', `can't set attribute '${name}'`, null, ctx.file, ctx.s, ctx.e);
        this.call(p.fset, [obj, v], new Map(), ctx);
        return;
      }
      const sa = obj.cls.lookup('__setattr__');
      if (sa instanceof PyFunction) { this.call(sa, [obj, name, v], new Map(), ctx); return; }
      if (obj.mod && this.ext.moduleSetAttr(obj, name, v)) return;
      obj.dict.set(name, v);
      return;
    }
    if (obj instanceof PyClass) { obj.dict.set(name, v); return; }
    if (obj instanceof PyModule) { obj.scope.vars.set(name, v); return; }
    if (obj instanceof PyFunction || obj instanceof Builtin) { obj.attrs.set(name, v); return; }
    if (obj instanceof Unknown) return;
    if (this.ext.isTensor(obj)) { this.ext.tensorSetItem(obj, `__attr__${name}`, v, ctx); return; }
    throw new PyException('AttributeError', `'${typeName(obj)}' object attribute '${name}' is read-only`, null, ctx.file, ctx.s, ctx.e);
  }

  // ---------------------------------------------------------------- items
  getItem(obj: Value, idx: Value, ctx: CallCtx): Value {
    if (obj instanceof LazyRef) obj = obj.resolve();
    if (obj instanceof Unknown) return obj;
    if (this.ext.isTensor(obj)) return this.ext.tensorGetItem(obj, idx, ctx);
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
      if (idx instanceof Unknown) return idx;
      const e = obj.map.get(hashKey(idx));
      if (e) return e.v;
      if (obj.factory !== undefined && obj.factory !== null) {
        const v = this.call(obj.factory, [], new Map(), ctx);
        obj.map.set(hashKey(idx), { k: idx, v });
        return v;
      }
      throw new PyException('KeyError', pyRepr(idx), null, ctx.file, ctx.s, ctx.e);
    }
    if (obj instanceof PyRange) {
      const n = rangeLen(obj);
      if (idx instanceof PySlice) return new PyList(sliceIndices(idx, n).map((i) => obj.start + i * obj.step));
      let i = numVal(idx as number);
      if (i < 0) i += n;
      return obj.start + i * obj.step;
    }
    if (obj instanceof PyInstance) {
      const f = obj.cls.lookup('__getitem__');
      if (f !== undefined) return this.call(f, [obj, idx], new Map(), ctx);
    }
    if (obj instanceof PyClass) {
      const f = obj.lookup('__class_getitem__');
      if (f !== undefined) return this.call(f instanceof ClassMethod ? f.fn : f, [obj, idx], new Map(), ctx);
      return obj; // typing generics such as List[int]
    }
    if (obj instanceof Builtin) {
      const f = obj.attrs.get('__getitem__');
      if (f !== undefined) return this.call(f, [idx], new Map(), ctx);
    }
    throw new PyException('TypeError', `'${typeName(obj)}' object is not subscriptable`, null, ctx.file, ctx.s, ctx.e);
  }

  setItem(obj: Value, idx: Value, v: Value, ctx: CallCtx): void {
    if (obj instanceof Unknown) return;
    if (obj instanceof PyDict) { if (idx instanceof Unknown) throw new InterpError('dict key is unknown', ctx.file, ctx.s, ctx.e); obj.map.set(hashKey(idx), { k: idx, v }); return; }
    if (obj instanceof PyList) {
      if (idx instanceof PySlice) {
        const sel = sliceIndices(idx, obj.items.length);
        const vals = this.iterate(v, ctx);
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
    if (this.ext.isTensor(obj)) { this.ext.tensorSetItem(obj, idx, v, ctx); return; }
    if (obj instanceof PyInstance) {
      const f = obj.cls.lookup('__setitem__');
      if (f !== undefined) { this.call(f, [obj, idx, v], new Map(), ctx); return; }
    }
    throw new PyException('TypeError', `'${typeName(obj)}' object does not support item assignment`, null, ctx.file, ctx.s, ctx.e);
  }

  // ---------------------------------------------------------------- operators
  binop(op: string, a: Value, b: Value, ctx: CallCtx): Value {
    if (a instanceof Unknown) return a;
    if (b instanceof Unknown) return b;
    if (this.ext.isTensor(a) || this.ext.isTensor(b)) return this.ext.tensorBinop(op, a, b, ctx);
    const dunder = BIN_DUNDER[op];
    if (a instanceof PyInstance && dunder) {
      const f = a.cls.lookup(`__${dunder}__`);
      if (f !== undefined) return this.call(f, [a, b], new Map(), ctx);
    }
    if (b instanceof PyInstance && dunder) {
      const f = b.cls.lookup(`__r${dunder}__`);
      if (f !== undefined) return this.call(f, [b, a], new Map(), ctx);
    }
    const r = arith(op, a, b);
    if (r === undefined) {
      throw new PyException('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, null, ctx.file, ctx.s, ctx.e);
    }
    return r;
  }

  unary(op: string, a: Value, ctx: CallCtx): Value {
    if (op === 'not') {
      if (a instanceof Unknown) return a;
      return !this.truthy(a, ctx);
    }
    if (a instanceof Unknown) return a;
    if (this.ext.isTensor(a)) return this.ext.tensorUnary(op, a, ctx);
    if (isNum(a)) {
      const x = numVal(a);
      const int = typeof a !== 'object';
      if (op === '-') return int ? -x : new PyFloat(-x);
      if (op === '+') return int ? x : a;
      if (op === '~' && int) return ~x;
    }
    if (a instanceof PyInstance) {
      const f = a.cls.lookup(op === '-' ? '__neg__' : op === '+' ? '__pos__' : '__invert__');
      if (f !== undefined) return this.call(f, [a], new Map(), ctx);
    }
    throw new PyException('TypeError', `bad operand type for unary ${op}: '${typeName(a)}'`, null, ctx.file, ctx.s, ctx.e);
  }

  compare(op: string, a: Value, b: Value, ctx: CallCtx): Value {
    switch (op) {
      case 'is': return identical(a, b);
      case 'is not': return !identical(a, b);
      case 'in': return this.contains(b, a, ctx);
      case 'not in': { const r = this.contains(b, a, ctx); return r instanceof Unknown ? r : !r; }
    }
    if (a instanceof Unknown) return a;
    if (b instanceof Unknown) return b;
    if (this.ext.isTensor(a) || this.ext.isTensor(b)) return this.ext.tensorCompare(op, a, b, ctx);
    if (op === '==' || op === '!=') {
      let eq: boolean;
      if (a instanceof PyInstance && a.cls.lookup('__eq__') instanceof PyFunction) eq = this.truthy(this.call(a.cls.lookup('__eq__')!, [a, b], new Map(), ctx), ctx);
      else eq = pyEquals(a, b);
      return op === '==' ? eq : !eq;
    }
    if (a instanceof PyInstance) {
      const name = { '<': '__lt__', '<=': '__le__', '>': '__gt__', '>=': '__ge__' }[op];
      const f = name ? a.cls.lookup(name) : undefined;
      if (f !== undefined) return this.call(f, [a, b], new Map(), ctx);
    }
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

  contains(container: Value, item: Value, ctx: CallCtx): Value {
    if (container instanceof Unknown) return container;
    if (container instanceof PyDict) return item instanceof Unknown ? item : container.map.has(hashKey(item));
    if (container instanceof PySet) return item instanceof Unknown ? item : container.map.has(hashKey(item));
    if (typeof container === 'string') return typeof item === 'string' ? container.includes(item) : false;
    if (container instanceof PyInstance) {
      const f = container.cls.lookup('__contains__');
      if (f !== undefined) return this.truthy(this.call(f, [container, item], new Map(), ctx), ctx);
    }
    const items = this.iterate(container, ctx);
    if (item instanceof Unknown) return item;
    return items.some((x) => identical(x, item) || pyEquals(x, item));
  }

  truthy(v: Value, ctx: CallCtx): boolean {
    if (v === null) return false;
    switch (typeof v) {
      case 'boolean': return v;
      case 'number': return v !== 0;
      case 'string': return v.length > 0;
    }
    if (v instanceof PyFloat) return v.v !== 0;
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
    if (v instanceof PyDict || v instanceof PySet) return v.map.size > 0;
    if (v instanceof PyRange) return rangeLen(v) > 0;
    if (v instanceof Unknown) {
      throw new InterpError(`condition depends on a value the analysis cannot know (${v.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
    }
    if (this.ext.isTensor(v)) {
      const r = this.ext.tensorUnary('bool', v, ctx);
      if (typeof r === 'boolean') return r;
      throw new InterpError('condition depends on tensor values, which static analysis does not know', ctx.file, ctx.s, ctx.e, 'unknown');
    }
    if (v instanceof PyInstance) {
      const b = v.cls.lookup('__bool__');
      if (b !== undefined) return this.truthy(this.call(b, [v], new Map(), ctx), ctx);
      const l = v.cls.lookup('__len__');
      if (l !== undefined) return this.truthy(this.call(l, [v], new Map(), ctx), ctx);
      if (v.mod) return true;
    }
    return true;
  }

  iterate(v: Value, ctx: CallCtx): Value[] {
    if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
    if (v instanceof PyRange) {
      const out: number[] = [];
      const n = rangeLen(v);
      if (n > 10_000_000) throw new InterpError(`range of ${n} elements is too long to analyse`, ctx.file, ctx.s, ctx.e, 'budget');
      for (let i = 0; i < n; i++) out.push(v.start + i * v.step);
      return out;
    }
    if (typeof v === 'string') return [...v];
    if (v instanceof PyDict) return [...v.map.values()].map((e) => e.k);
    if (v instanceof PySet) return [...v.map.values()];
    if (v instanceof PyIterator) { const rest = v.items.slice(v.pos); v.pos = v.items.length; return rest; }
    if (v instanceof Unknown) throw new InterpError(`cannot iterate over a value the analysis cannot know (${v.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
    if (this.ext.isTensor(v)) return this.ext.tensorIter(v, ctx);
    if (v instanceof PyInstance) {
      const it = v.cls.lookup('__iter__');
      if (it !== undefined) {
        const r = this.call(it, [v], new Map(), ctx);
        if (r instanceof PyInstance && r === v) {
          const nx = v.cls.lookup('__next__');
          const out: Value[] = [];
          for (;;) {
            this.step();
            try { out.push(this.call(nx!, [v], new Map(), ctx)); } catch (err) { if (err instanceof PyException && err.pyType === 'StopIteration') break; throw err; }
          }
          return out;
        }
        return this.iterate(r, ctx);
      }
      const gi = v.cls.lookup('__getitem__');
      const len = v.cls.lookup('__len__');
      if (gi !== undefined && len !== undefined) {
        const n = this.call(len, [v], new Map(), ctx) as number;
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(this.call(gi, [v, i], new Map(), ctx));
        return out;
      }
    }
    if (v instanceof PyClass) {
      const it = v.lookup('__class_iter_native__');
      if (it instanceof Builtin) return this.iterate(it.fn([v], new Map(), ctx), ctx);
    }
    throw new PyException('TypeError', `'${typeName(v)}' object is not iterable`, null, ctx.file, ctx.s, ctx.e);
  }

  len(v: Value, ctx: CallCtx): Value {
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
    if (typeof v === 'string') return v.length;
    if (v instanceof PyDict || v instanceof PySet) return v.map.size;
    if (v instanceof PyRange) return rangeLen(v);
    if (v instanceof Unknown) return v;
    if (this.ext.isTensor(v)) return this.ext.tensorLen(v);
    if (v instanceof PyInstance) {
      const f = v.cls.lookup('__len__');
      if (f !== undefined) return this.call(f, [v], new Map(), ctx);
    }
    if (v instanceof PyIterator) return v.items.length - v.pos;
    throw new PyException('TypeError', `object of type '${typeName(v)}' has no len()`, null, ctx.file, ctx.s, ctx.e);
  }
}

/** Package folders that hold data pipelines, not models: never interpreted. */
const OPAQUE_PATH = /\/torchvision\/(transforms|io|datasets|prototype)\//;

/** Top-level modules never interpreted: the standard library parts LayerLens does not model, and heavy libraries. */
export const OPAQUE_MODULES = new Set([
  'scipy', 'PIL', 'pandas', 'matplotlib', 'sklearn', 'cv2', 'tqdm', 'requests', 'yaml', 'h5py', 'onnx', 'onnxruntime',
  'tensorflow', 'jax', 'accimage', 'importlib', 'random', 're', 'json', 'logging', 'pathlib', 'time', 'datetime', 'pickle',
  'io', 'string', 'argparse', 'contextlib', 'textwrap', 'hashlib', 'urllib', 'shutil', 'tempfile', 'glob', 'subprocess',
  'threading', 'multiprocessing', 'socket', 'struct', 'weakref', 'gc', 'platform', 'traceback', 'zipfile', 'tarfile', 'csv',
  'uuid', 'errno', 'signal', 'queue', 'heapq', 'bisect', 'fnmatch', 'pprint', 'decimal', 'fractions', 'statistics', 'unittest',
  'distutils', 'setuptools', 'pkg_resources', 'packaging', 'torchaudio', 'torchtext', 'lightning', 'pytorch_lightning', 'wandb',
  'tensorboard', 'hydra', 'omegaconf', 'transformers', 'huggingface_hub', 'safetensors', 'timm', 'PIL',
]);

const BIN_DUNDER: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'truediv', '//': 'floordiv', '%': 'mod', '**': 'pow', '@': 'matmul',
  '&': 'and', '|': 'or', '^': 'xor', '<<': 'lshift', '>>': 'rshift',
};

export function identical(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof PyFloat && b instanceof PyFloat) return a.v === b.v;
  return false;
}

export function rangeLen(r: PyRange): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
}

export function sliceIndices(sl: PySlice, n: number): number[] {
  const step = sl.step === null ? 1 : numVal(sl.step as number);
  if (step === 0) throw new PyException('ValueError', 'slice step cannot be zero');
  const norm = (v: Value, def: number, lo: number, hi: number): number => {
    if (v === null) return def;
    let i = numVal(v as number);
    if (i < 0) i += n;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const start = norm(sl.lo, 0, 0, n), stop = norm(sl.hi, n, 0, n);
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const start = norm(sl.lo, n - 1, -1, n - 1), stop = norm(sl.hi, -1, -1, n - 1);
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}

function annotations(scope: Scope): string[] {
  let a = scope.vars.get('__annotation_names__');
  if (!(a instanceof PyList)) { a = new PyList([]); scope.vars.set('__annotation_names__', a); }
  return (a as PyList).items as string[];
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

function now(): number { return typeof performance !== 'undefined' ? performance.now() : Date.now(); }
