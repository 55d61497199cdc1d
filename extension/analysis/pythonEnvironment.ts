// The Python environment whose site-packages imports are read from (issue 7.8): the interpreter selected
// in VS Code's Python extension (ms-python.python, through its public `environments` API, typed here for the
// few members used), else `python3` on PATH; its site-packages found from the files alone
// (engine/env/pythonEnv.ts) — read only, Python is never run. Desktop and remote only (needs a file system).
import * as vscode from 'vscode';
import { envOfSelection, findPythonEnv, type EnvFs } from '../../engine/env/pythonEnv';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** The subset of `@vscode/python-extension`'s `PythonExtension` this file uses. */
export interface PythonExtensionApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(env: { id: string; path: string } | string): Promise<ResolvedPythonEnvironment | undefined>;
    readonly onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

export interface ResolvedPythonEnvironment {
  path: string;
  executable: { uri?: vscode.Uri; sysPrefix?: string };
  version?: { major?: number; minor?: number };
}

/** What the environment was found from (shown in the import warning's "where it looked" and in tests). */
export interface Selection { executable?: string; sysPrefix?: string; version?: string; source: 'python-extension' | 'path' }

/** The interpreter the Python extension has selected for `resource`; undefined when it says none. */
export async function selectedInterpreter(api: PythonExtensionApi, resource?: vscode.Uri): Promise<Selection | undefined> {
  const active = api.environments.getActiveEnvironmentPath(resource);
  if (!active?.path) return undefined;
  const env = await api.environments.resolveEnvironment(active).catch(() => undefined);
  const v = env?.version;
  return {
    executable: env?.executable.uri?.fsPath ?? active.path,
    sysPrefix: env?.executable.sysPrefix || undefined,
    version: v?.major !== undefined && v.minor !== undefined ? `${v.major}.${v.minor}` : undefined,
    source: 'python-extension',
  };
}

/** The site-packages folders (OS paths) of a selection: read-only file-system checks, nothing run. */
export function sitePackagesOf(sel: Selection, fs: EnvFs): string[] {
  return envOfSelection(sel, fs)?.sitePackages ?? [];
}

/** Node's synchronous fs as the engine's EnvFs (a handful of stats per interpreter change); undefined in the browser. */
export function nodeEnvFs(): EnvFs | undefined {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const stat = (p: string) => { try { return fs.statSync(p); } catch { return undefined; } };
    return {
      isFile: (p) => stat(p)?.isFile() ?? false,
      isDir: (p) => stat(p)?.isDirectory() ?? false,
      read: (p) => { try { const st = stat(p); return st?.isFile() && st.size < 1 << 20 ? fs.readFileSync(p, 'utf8') : undefined; } catch { return undefined; } },
      list: (p) => { try { return fs.readdirSync(p); } catch { return []; } },
      realpath: (p) => { try { return fs.realpathSync(p); } catch { return p; } },
    };
  } catch {
    return undefined;
  }
}

/** The site-packages of the selected interpreter per workspace folder, refreshed when the selection changes. */
export class PythonEnvironments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly cache = new Map<string, { resource: vscode.Uri; dirs: Promise<string[]> }>();
  private activating = false;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private subscribed = false;
  private readonly fs: EnvFs | undefined;
  /** Fires when the selected interpreter changed (the analyses are then redone). */
  readonly onDidChange = this.changed.event;

  constructor(
    /** null: no file system (the browser). */
    fsOrNone: EnvFs | null | undefined = nodeEnvFs(),
    private readonly pythonExtension: () => vscode.Extension<PythonExtensionApi> | undefined = () => vscode.extensions?.getExtension?.<PythonExtensionApi>(PYTHON_EXTENSION_ID),
    private readonly pathEnv: string | undefined = typeof process !== 'undefined' ? process.env?.PATH : undefined,
  ) {
    this.fs = fsOrNone ?? undefined;
    try {
      this.disposables.push(vscode.extensions.onDidChange(() => { if (!this.subscribed) this.reset(); }));
    } catch {
      // hosts without the extensions API (tests): the selection is read once
    }
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Engine paths of the site-packages imports of `resource` may be read from ([] without a file system). */
  sitePackages(resource: vscode.Uri): Promise<string[]> {
    if (!this.fs || resource.scheme !== 'file') return Promise.resolve([]);
    const key = vscode.workspace.getWorkspaceFolder?.(resource)?.uri.toString() ?? '';
    let c = this.cache.get(key);
    if (!c) {
      c = { resource, dirs: this.find(resource).then((dirs) => dirs.map((d) => vscode.Uri.file(d).path), () => []) };
      this.cache.set(key, c);
    }
    return c.dirs;
  }

  /** The selection the site-packages come from, for `resource`. */
  async selection(resource?: vscode.Uri): Promise<Selection | undefined> {
    const ext = this.pythonExtension();
    if (ext?.isActive && ext.exports?.environments) {
      this.subscribe(ext.exports);
      return selectedInterpreter(ext.exports, resource);
    }
    // NOTE: never wait for the Python extension to activate (seconds) before the first analysis: python3 on
    // PATH meanwhile, and the selected interpreter's site-packages once it is up (re-analysing if they differ)
    if (ext && !this.activating) {
      this.activating = true;
      void Promise.resolve(ext.activate()).then(() => this.recheck(), () => undefined);
    }
    if (!this.fs || !this.pathEnv) return undefined;
    const env = findPythonEnv({ pathEnv: this.pathEnv, env: process.env }, this.fs);
    return env && { executable: env.python, source: 'path' };
  }

  private async find(resource: vscode.Uri): Promise<string[]> {
    const sel = await this.selection(resource);
    return sel && this.fs ? sitePackagesOf(sel, this.fs) : [];
  }

  private subscribe(api: PythonExtensionApi): void {
    if (this.subscribed) return;
    this.subscribed = true;
    const ev = api.environments.onDidChangeActiveEnvironmentPath;
    if (ev) this.disposables.push(ev(() => this.reset()));
  }

  /** After the Python extension activated: the site-packages again, and a change event only if they differ. */
  private async recheck(): Promise<void> {
    const before = [...this.cache.values()];
    this.cache.clear();
    let differ = false;
    for (const c of before) {
      const [was, now] = await Promise.all([c.dirs, this.sitePackages(c.resource)]);
      if (was.join('\0') !== now.join('\0')) differ = true;
    }
    if (differ) this.changed.fire();
  }

  private reset(): void {
    this.cache.clear();
    this.changed.fire();
  }
}
