// Module resolution: absolute and relative imports through the SourceHost (search roots: the file's
// folder, the root above its package, the configured paths), the engine's native modules, and opaque
// stand-ins for libraries the analysis never interprets. Reads only what the host serves.
import type { Stmt } from '../python/ast';
import type { Interp } from './interp';
import { Scope } from './scope';
import { Builtin, LazyRef, PyException, PyList, PyModule, PyTuple, Unknown, type Value } from './values';

/** Package folders that hold data pipelines, not models: never interpreted. */
const OPAQUE_PATH = /\/torchvision\/(transforms|io|datasets|prototype)\//;

/** Top-level modules never interpreted: the standard library parts LayerLens does not model, and heavy libraries. */
export const OPAQUE_MODULES = new Set([
  'scipy', 'PIL', 'pandas', 'matplotlib', 'sklearn', 'cv2', 'tqdm', 'requests', 'yaml', 'h5py', 'onnx', 'onnxruntime',
  'tensorflow', 'jax', 'accimage', 'importlib', 'random', 'json', 'logging', 'pathlib', 'time', 'datetime', 'pickle',
  'io', 'string', 'argparse', 'contextlib', 'textwrap', 'hashlib', 'urllib', 'shutil', 'tempfile', 'glob', 'subprocess',
  'threading', 'multiprocessing', 'socket', 'struct', 'weakref', 'gc', 'platform', 'traceback', 'zipfile', 'tarfile', 'csv',
  'uuid', 'errno', 'signal', 'queue', 'heapq', 'bisect', 'fnmatch', 'pprint', 'decimal', 'fractions', 'statistics', 'unittest',
  'distutils', 'setuptools', 'pkg_resources', 'packaging', 'torchaudio', 'torchtext', 'lightning', 'pytorch_lightning', 'wandb',
  'tensorboard', 'hydra', 'omegaconf', 'transformers', 'huggingface_hub', 'safetensors', 'timm', 'PIL',
]);

export function dirname(p: string): string { const i = p.lastIndexOf('/'); return i <= 0 ? '/' : p.slice(0, i); }

/** Runs a file as a module (once). Statement-level failures become diagnostics; names they bind become unknown. */
export function execFile(it: Interp, path: string, name: string): PyModule | undefined {
  // the file being analysed is always interpreted, wherever it lies; only its imports may be opaque
  it.entryFile ??= path;
  if (OPAQUE_PATH.test(path) && path !== it.entryFile) return opaqueModule(it, path, name);
  const existing = it.modules.get(path);
  if (existing) return existing;
  const info = it.parseFile(path);
  if (!info) return undefined;
  const scope = new Scope('module', it.builtins, null);
  const mod = new PyModule(name, path, scope);
  scope.vars.set('__name__', name);
  scope.vars.set('__file__', path);
  it.modules.set(path, mod);
  for (const p of info.parsed.problems) it.diag('error', 'syntax', p.message, path, p.s, p.e);
  it.execBlockTolerant(info.parsed.body, scope, mod);
  return mod;
}

/** A stand-in module whose every attribute is unknown (for packages the analysis does not interpret). */
export function opaqueModule(it: Interp, path: string, name: string): PyModule {
  const existing = it.modules.get(path);
  if (existing) return existing;
  const scope = new Scope('module', it.builtins, null);
  const reason = `'${name}' is not analysed (it holds no model code)`;
  scope.vars.set('__getattr__', new Builtin('__getattr__', () => new Unknown(reason)));
  const mod = new PyModule(name, path, scope);
  it.modules.set(path, mod);
  return mod;
}

/** Finds `a/b/c.py` or `a/b/c/__init__.py` under `root`. */
export function findModuleFile(it: Interp, root: string, dotted: string): string | undefined {
  const rel = dotted.split('.').join('/');
  for (const cand of [`${root}/${rel}.py`, `${root}/${rel}/__init__.py`]) {
    if (it.files.has(cand) || it.opts.host.readFile(cand) !== undefined) return cand;
  }
  return undefined;
}

export function searchRoots(it: Interp, fromFile: string): string[] {
  const roots = [dirname(fromFile)];
  // the root above the outermost package that contains fromFile
  let dir = dirname(fromFile);
  while (dir !== '/' && it.opts.host.readFile(`${dir}/__init__.py`) !== undefined) dir = dirname(dir);
  if (!roots.includes(dir)) roots.push(dir);
  for (const p of it.opts.searchPaths) if (!roots.includes(p)) roots.push(p);
  for (const p of it.opts.libraryRoots ?? []) if (!roots.includes(p)) roots.push(p);
  return roots;
}

/** Imports an absolute dotted module name. Undefined when not found anywhere. */
export function importAbsolute(it: Interp, dotted: string, fromFile: string): Value | undefined {
  const native = nativeModule(it, dotted);
  if (native) return native;
  // libraries the analysis never interprets (numeric, imaging, I/O): their values are unknown
  const top = dotted.split('.')[0];
  if (OPAQUE_MODULES.has(top) || top === 'torch') return new Unknown(`module '${dotted}' is not analysed`);
  for (const root of searchRoots(it, fromFile)) {
    const f = findModuleFile(it, root, dotted);
    if (f) return execFile(it, f, dotted);
  }
  return undefined;
}

export function nativeModule(it: Interp, dotted: string): PyModule | undefined {
  const m = it.nativeModules.get(dotted);
  if (!m) return undefined;
  if (m instanceof PyModule) return m;
  const mod = m(it);
  it.nativeModules.set(dotted, mod);
  return mod;
}

/** Package directory for a relative import of `level` dots from `fromFile`. */
/**
 * How many dots a relative import in `file` may use: one for the file's own folder, one more for each
 * enclosing folder that is a package (has an __init__.py) — Python's "beyond top-level package" rule.
 */
export function relativeLevels(it: Interp, file: string): number {
  let dir = dirname(file), levels = 1;
  while (dir !== '/' && hasInit(it, dir) && hasInit(it, dirname(dir))) { levels++; dir = dirname(dir); }
  return levels;
}

function hasInit(it: Interp, dir: string): boolean {
  return dir !== '/' && (it.files.has(`${dir}/__init__.py`) || it.opts.host.readFile(`${dir}/__init__.py`) !== undefined);
}

export function relativeBase(fromFile: string, level: number): string {
  let dir = dirname(fromFile);
  for (let i = 1; i < level; i++) dir = dirname(dir);
  return dir;
}

export function packageName(fromFile: string, level: number, module: string): string {
  const parts = relativeBase(fromFile, level).split('/').filter(Boolean);
  return [...parts.slice(-2), ...(module ? [module] : [])].join('.');
}

export function execImport(it: Interp, st: Stmt & { k: 'Import' }, scope: Scope, mod: PyModule): void {
  for (const n of st.names) {
    const m = importAbsolute(it, n.name, mod.path);
    if (!m) {
      it.diag('warning', 'import', `cannot resolve module '${n.name}'${whereSearched(it)}: values from it are unknown`, mod.path, n.s, n.e);
    }
    const val = m ?? new Unknown(`module '${n.name}' not found`, mod.path, n.s, n.e);
    if (n.asName) { scope.vars.set(n.asName, val); continue; }
    // `import a.b.c` binds `a`
    const top = n.name.split('.')[0];
    if (top === n.name) { scope.vars.set(top, val); continue; }
    const topMod = importAbsolute(it, top, mod.path) ?? new Unknown(`module '${top}' not found`);
    scope.vars.set(top, topMod);
  }
}

type ImportFrom = Stmt & { k: 'ImportFrom' };

/** Where an absolute import was looked for, for the message when it is not found. */
function whereSearched(it: Interp): string {
  const site = it.opts.libraryRoots ?? [];
  return site.length ? ` (not in the project, its import roots or ${site.join(', ')})` : ' (not in the project or its import roots; no Python environment was searched)';
}

export function execImportFrom(it: Interp, st: ImportFrom, scope: Scope, mod: PyModule): void {
  const file = mod.path;
  const what = st.level ? '.'.repeat(st.level) + st.module : st.module;
  if (st.level > relativeLevels(it, file)) {
    // NOTE: never resolved above the package root: `from .......etc import x` must not reach outside the project
    throw new PyException('ImportError', `attempted relative import beyond top-level package ('${what}' from ${file.split('/').pop()})`, null, file, st.s, st.e);
  }
  if (st.names === '*') {
    const m = importSource(it, st, file);
    if (!(m instanceof PyModule)) {
      it.diag(st.level ? 'error' : 'warning', 'import', `cannot resolve module '${what}'`, file, st.s, st.e);
      return;
    }
    const all = m.scope.vars.get('__all__');
    const names = all instanceof PyList || all instanceof PyTuple ? all.items.map((x) => String(x)) : [...m.scope.vars.keys()].filter((k) => !k.startsWith('_'));
    for (const n of names) { const v = m.scope.vars.get(n); if (v !== undefined) scope.vars.set(n, v); }
    return;
  }
  // Submodules (`from . import functional as F`) and names resolve lazily on first use.
  let loaded: { v: Value | undefined } | null = null;
  const source = (): Value | undefined => { if (!loaded) loaded = { v: importSource(it, st, file) }; return loaded.v; };
  const isNative = st.level === 0 && it.nativeModules.has(st.module);
  for (const n of st.names) {
    // NOTE: `from pkg import sub` inside pkg/__init__.py binds the very name it reads: while that binding
    // resolves, the package has no such attribute yet, and Python imports the submodule instead.
    const ref: LazyRef = new LazyRef(() => importedName(it, st, n, source, isNative, file, ref));
    scope.vars.set(n.asName ?? n.name, isNative ? ref.resolve() : ref);
  }
}

/** The module a `from X import ...` names: absolute, or relative to the importing file's package. */
function importSource(it: Interp, st: ImportFrom, file: string): Value | undefined {
  if (st.level === 0) return importAbsolute(it, st.module, file);
  const base = relativeBase(file, st.level);
  if (!st.module) {
    const init = `${base}/__init__.py`;
    return execFile(it, init, packageName(file, st.level, '')) ?? undefined;
  }
  const f = findModuleFile(it, base, st.module);
  if (!f) {
    it.missingFiles.add(`${base}/${st.module.split('.').join('/')}.py`);
    return undefined;
  }
  return execFile(it, f, packageName(file, st.level, st.module));
}

/** One name of `from X import name`: a submodule of X, else an attribute of X; failures become Unknown with a diagnostic. */
function importedName(it: Interp, st: ImportFrom, n: { name: string; s: number; e: number }, source: () => Value | undefined, isNative: boolean, file: string, self?: LazyRef): Value {
  const what = st.level ? '.'.repeat(st.level) + st.module : st.module;
  // a submodule of a package?
  const subDotted = st.module ? `${st.module}.${n.name}` : n.name;
  if (st.level === 0 && it.nativeModules.has(subDotted)) return nativeModule(it, subDotted)!;
  if (st.level > 0) {
    const base = relativeBase(file, st.level);
    const sub = findModuleFile(it, base, subDotted);
    if (sub) return execFile(it, sub, packageName(file, st.level, subDotted))!;
  }
  const m = source();
  if (m === undefined) {
    if (st.level === 0 && !isNative) {
      const sub = importAbsolute(it, subDotted, file);
      if (sub) return sub;
    }
    it.diag(st.level ? 'error' : 'warning', 'import', `cannot resolve module '${what}'${st.level ? '' : `${whereSearched(it)}: values from it are unknown`}`, file, st.s, st.e);
    return new Unknown(`module '${what}' not found`, file, n.s, n.e);
  }
  if (m instanceof Unknown) return m;
  if (m instanceof PyModule && self && m.scope.vars.get(n.name) === self && st.level === 0) {
    const sub = importAbsolute(it, subDotted, file);
    if (sub) return sub;
  }
  try {
    return it.getAttr(m, n.name, { file, s: n.s, e: n.e });
  } catch (err) {
    // a member the modelled library release lacks (torch's version table): Python's ImportError
    if (err instanceof PyException && (err as { absent?: boolean }).absent) {
      throw new PyException('ImportError', `cannot import name '${n.name}' from '${what}'`, null, file, n.s, n.e);
    }
    if (err instanceof PyException && st.level === 0) {
      const sub = importAbsolute(it, subDotted, file);
      if (sub) return sub;
    }
    it.diag('error', 'import', `cannot import name '${n.name}' from '${what}'`, file, n.s, n.e);
    return new Unknown(`cannot import name '${n.name}'`, file, n.s, n.e);
  }
}
