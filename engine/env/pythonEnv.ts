// Where a Python environment keeps its pure-Python packages (site-packages), found from the files
// on disk alone: venvs (pyvenv.cfg), conda prefixes, pyenv shims, Debian's dist-packages, user site.
// Never runs Python. Pure: the caller passes the file-system reads (Node's fs in the CLI, the
// extension host's on desktop), so this file imports nothing from Node.

export interface EnvFs {
  isFile(path: string): boolean;
  isDir(path: string): boolean;
  read(path: string): string | undefined;
  list(dir: string): string[];
  /** The path with symbolic links resolved (the path itself when it cannot be resolved). */
  realpath(path: string): string;
}

export interface PythonEnvQuery {
  /** An interpreter path given by the user (`--python`, the Python extension's selection). */
  python?: string;
  /** The PATH variable to search for `python3` / `python` when no interpreter is given. */
  pathEnv?: string;
  /** PYENV_VERSION / PYENV_ROOT / HOME, when set. */
  env?: Record<string, string | undefined>;
  /** Where `.python-version` files are looked up (pyenv's local version). */
  cwd?: string;
}

export interface PythonEnv {
  /** The interpreter the environment belongs to (as found, links not resolved). */
  python: string;
  kind: 'venv' | 'conda' | 'pyenv' | 'system';
  prefix: string;
  /** `3.11`, when it could be told from the files. */
  version?: string;
  /** Existing site-packages / dist-packages folders, in the order Python searches them. */
  sitePackages: string[];
}

const dirname = (p: string): string => { const i = p.replace(/\/+$/, '').lastIndexOf('/'); return i <= 0 ? '/' : p.slice(0, i); };
const basename = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? '';
const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');

/** The interpreter a bare `python3` would run: the first `python3` (then `python`) on PATH. */
export function pythonOnPath(pathEnv: string, fs: EnvFs): string | undefined {
  for (const name of ['python3', 'python']) {
    for (const dir of pathEnv.split(':').filter(Boolean)) {
      const p = join(dir, name);
      if (fs.isFile(p)) return p;
    }
  }
  return undefined;
}

/** pyenv's shim → the interpreter of the selected version (PYENV_VERSION, `.python-version`, the global file). */
function resolvePyenvShim(shim: string, q: PythonEnvQuery, fs: EnvFs): string | undefined {
  const text = fs.read(shim);
  if (!text || !/pyenv/.test(text.slice(0, 2000))) return undefined;
  const root = /PYENV_ROOT="([^"]+)"/.exec(text)?.[1] ?? q.env?.PYENV_ROOT ?? dirname(dirname(shim));
  let version = q.env?.PYENV_VERSION?.split(':')[0];
  for (let d = q.cwd; !version && d; d = d === '/' ? undefined : dirname(d)) {
    version = fs.read(join(d, '.python-version'))?.split(/\s+/)[0] || undefined;
  }
  version ??= fs.read(join(root, 'version'))?.split(/\s+/)[0] || undefined;
  if (!version || version === 'system') return undefined;
  const exe = join(root, 'versions', version, 'bin', basename(shim));
  return fs.isFile(exe) ? exe : join(root, 'versions', version, 'bin', 'python3');
}

function parseCfg(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf('=');
    if (i > 0) m.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return m;
}

/** `3.11` from `python3.11`, a pyvenv.cfg `version = 3.11.4`, or the prefix's `lib/python3.11` folder. */
function versionOf(exe: string, prefix: string, fs: EnvFs, cfg?: Map<string, string>): string | undefined {
  const fromCfg = /^(\d+\.\d+)/.exec(cfg?.get('version') ?? cfg?.get('version_info') ?? '')?.[1];
  if (fromCfg) return fromCfg;
  const fromName = /^python(\d+\.\d+)$/.exec(basename(fs.realpath(exe)))?.[1];
  if (fromName) return fromName;
  const libs = fs.isDir(join(prefix, 'lib')) ? fs.list(join(prefix, 'lib')).map((n) => /^python(\d+\.\d+)$/.exec(n)?.[1]).filter((v): v is string => !!v) : [];
  return libs.sort().pop();
}

function siteDirs(prefix: string, version: string | undefined, fs: EnvFs, debian: boolean): string[] {
  const out: string[] = [];
  const vs = version ? [version] : (fs.isDir(join(prefix, 'lib')) ? fs.list(join(prefix, 'lib')).map((n) => /^python(\d+\.\d+)$/.exec(n)?.[1]).filter((v): v is string => !!v) : []);
  for (const v of vs) {
    if (debian) out.push(join('/usr/local/lib', `python${v}`, 'dist-packages'));
    out.push(join(prefix, 'lib', `python${v}`, 'site-packages'), join(prefix, 'lib', `python${v}`, 'dist-packages'));
  }
  if (debian) out.push(join(prefix, 'lib', 'python3', 'dist-packages'));
  out.push(join(prefix, 'Lib', 'site-packages'));
  return out.filter((d, i) => out.indexOf(d) === i && fs.isDir(d));
}

/** The environment of the given interpreter, or of `python3` on PATH; undefined when none is found. */
export function findPythonEnv(q: PythonEnvQuery, fs: EnvFs): PythonEnv | undefined {
  let exe = q.python ?? (q.pathEnv !== undefined ? pythonOnPath(q.pathEnv, fs) : undefined);
  if (!exe) return undefined;
  let kind: PythonEnv['kind'] = 'system';
  if (exe.includes('/shims/')) {
    const real = resolvePyenvShim(exe, q, fs);
    if (real) { exe = real; kind = 'pyenv'; }
  }
  // a venv is told by the interpreter's own folder, before links are resolved (bin/python → /usr/bin/python3.11)
  const binDir = dirname(exe);
  const venvCfg = fs.read(join(dirname(binDir), 'pyvenv.cfg'));
  if (venvCfg !== undefined) {
    const cfg = parseCfg(venvCfg);
    const prefix = dirname(binDir);
    const version = versionOf(exe, prefix, fs, cfg);
    const site = siteDirs(prefix, version, fs, false);
    if (cfg.get('include-system-site-packages') === 'true' && cfg.get('home')) {
      const base = findPythonEnv({ python: join(cfg.get('home')!, basename(exe)) }, fs);
      if (base) site.push(...base.sitePackages.filter((d) => !site.includes(d)));
    }
    return { python: exe, kind: 'venv', prefix, version, sitePackages: site };
  }
  const real = fs.realpath(exe);
  const prefix = dirname(dirname(real));
  if (fs.isDir(join(prefix, 'conda-meta'))) kind = 'conda';
  const version = versionOf(exe, prefix, fs);
  const debian = prefix === '/usr' && fs.isDir('/usr/lib/python3/dist-packages');
  const site = siteDirs(prefix, version, fs, debian);
  const home = q.env?.HOME;
  if (home && version && kind !== 'conda') {
    const user = join(home, '.local', 'lib', `python${version}`, 'site-packages');
    if (fs.isDir(user)) site.push(user);
  }
  return { python: exe, kind, prefix, version, sitePackages: site };
}

/**
 * The environment of an interpreter another tool selected (VS Code's Python extension): its executable,
 * and its `sys.prefix` when the tool knows it (a conda env without a `python` link still has one).
 */
export function envOfSelection(sel: { executable?: string; sysPrefix?: string; version?: string }, fs: EnvFs): PythonEnv | undefined {
  const byExe = sel.executable && fs.isFile(sel.executable) ? findPythonEnv({ python: sel.executable }, fs) : undefined;
  if (byExe?.sitePackages.length || !sel.sysPrefix || !fs.isDir(sel.sysPrefix)) return byExe;
  const prefix = sel.sysPrefix.replace(/\/+$/, '') || '/';
  const version = sel.version ?? versionOf(join(prefix, 'bin', 'python3'), prefix, fs);
  const debian = prefix === '/usr' && fs.isDir('/usr/lib/python3/dist-packages');
  const kind: PythonEnv['kind'] = fs.isDir(join(prefix, 'conda-meta')) ? 'conda' : fs.isFile(join(prefix, 'pyvenv.cfg')) ? 'venv' : 'system';
  return { python: sel.executable ?? join(prefix, 'bin', 'python'), kind, prefix, version, sitePackages: siteDirs(prefix, version, fs, debian) };
}
