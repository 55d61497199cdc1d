// The source files the engine reads (its SourceHost, as a snapshot): open documents over a file cache
// filled asynchronously through vscode.workspace.fs (works for local, remote and virtual workspaces).
// Serves only files under the analysis's import roots (engine/env/importScope.ts) and, on disk, follows no
// link out of them. Must not block: nothing here reads synchronously from disk; unknown files are missing.
import * as vscode from 'vscode';
import { importScope, isWithin, mayRead, normalizePath, packageRootOf, type ImportScope } from '../../engine/env/importScope';

/** Engine paths are POSIX-style absolute paths: a URI's path. */
export function enginePath(uri: vscode.Uri): string {
  return uri.path;
}

interface Entry { text: string | null; real?: string }

/** `fs.promises.realpath` where the extension host has Node (desktop, remote); undefined in the browser. */
function nodeRealpath(): ((fsPath: string) => Promise<string>) | undefined {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('node:fs') as typeof import('node:fs')).promises.realpath;
  } catch {
    return undefined;
  }
}

export class WorkspaceHost {
  /** path → file text (null when the file is known not to exist) and, on disk, its real path. */
  private readonly cache = new Map<string, Entry>();
  private readonly decoder = new TextDecoder('utf-8');
  /** Real paths of import roots (engine paths), resolved once. */
  private readonly rootReal = new Map<string, Promise<string | undefined>>();
  private readonly realpath = nodeRealpath();

  /**
   * The roots an analysis of `file` may read under: the workspace folders of its scheme, the file's own
   * package when it lies outside them (found by stat, nothing read), and the given extra roots
   * (site-packages, `layerlens.importRoots`), all engine paths.
   */
  async scopeFor(file: vscode.Uri, extra: string[]): Promise<ImportScope> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === file.scheme).map((f) => enginePath(f.uri));
    const path = enginePath(file);
    let own: string | undefined;
    if (!folders.some((f) => isWithin(path, normalizePath(f)))) {
      const inits = new Set<string>();
      // walk up while the folder has an __init__.py (async stats first, then the pure walk over the answers)
      for (let d = path.slice(0, path.lastIndexOf('/')) || '/'; d !== '/' && d; d = d.slice(0, d.lastIndexOf('/')) || '/') {
        try {
          await vscode.workspace.fs.stat(file.with({ path: `${d}/__init__.py`, query: '', fragment: '' }));
          inits.add(d);
        } catch {
          break;
        }
      }
      own = packageRootOf(path, (d) => inits.has(d));
    }
    return importScope([...folders, own, ...extra]);
  }

  /**
   * Every text an analysis in `scope` may read, by engine path: open Python documents (unsaved edits
   * included) over the loaded files, `self` (the analysed file) always. A snapshot, so the analysis can run
   * in another process and locations can be mapped back onto later versions of the text.
   */
  async snapshot(scope: ImportScope, self: string): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    for (const [p, e] of this.cache) if (e.text !== null && (await this.admits(scope, p, e.real))) files[p] = e.text;
    for (const d of vscode.workspace.textDocuments) {
      const p = enginePath(d.uri);
      if (!d.isClosed && d.languageId === 'python' && (p === self || mayRead(scope, p))) files[p] = d.getText();
    }
    return files;
  }

  /** True when `path` has not been tried yet (neither loaded nor known to be absent). */
  isUnknown(path: string): boolean {
    return !this.cache.has(path);
  }

  /**
   * Loads those of `paths` that `scope` admits (resolved against `like`'s scheme and authority); absent
   * files are remembered as such. Paths outside the roots, and files whose real path leaves them, are not read.
   */
  async load(paths: string[], like: vscode.Uri, scope: ImportScope): Promise<number> {
    let loaded = 0;
    await Promise.all(paths.map(async (p) => {
      if (!mayRead(scope, p)) return;
      const uri = like.with({ path: p, query: '', fragment: '' });
      let real: string | undefined;
      if (uri.scheme === 'file' && this.realpath) {
        try {
          real = vscode.Uri.file(await this.realpath(uri.fsPath)).path;
        } catch {
          this.cache.set(p, { text: null });
          return;
        }
        if (!(await this.admits(scope, p, real))) return;
      }
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        this.cache.set(p, { text: this.decoder.decode(bytes), real });
        loaded++;
      } catch {
        this.cache.set(p, { text: null });
      }
    }));
    return loaded;
  }

  /** Forget what we know of `path` (it changed, appeared or disappeared on disk). */
  invalidate(path: string): void {
    this.cache.delete(path);
  }

  /** Under a root by name and, when its real path is known, by real path under some root's real path. */
  private async admits(scope: ImportScope, path: string, real: string | undefined): Promise<boolean> {
    if (!mayRead(scope, path)) return false;
    if (real === undefined || real === path) return true;
    for (const r of scope.roots) {
      const rr = await this.realRoot(r);
      if (rr !== undefined && isWithin(normalizePath(real), normalizePath(rr))) return true;
    }
    return false;
  }

  private realRoot(root: string): Promise<string | undefined> {
    let p = this.rootReal.get(root);
    if (!p) {
      const rp = this.realpath;
      p = rp ? rp(vscode.Uri.file(root).fsPath).then((r) => vscode.Uri.file(r).path, () => undefined) : Promise.resolve(root);
      this.rootReal.set(root, p);
    }
    return p;
  }
}
