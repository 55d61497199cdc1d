// The engine's SourceHost over the workspace: synchronous reads from open documents and a file cache,
// filled asynchronously through vscode.workspace.fs (works for local, remote and virtual workspaces).
// Must not block: nothing here reads synchronously from disk; unknown files are reported missing.
import * as vscode from 'vscode';
import type { SourceHost } from '../engine';

/** Engine paths are POSIX-style absolute paths: a URI's path. */
export function enginePath(uri: vscode.Uri): string {
  return uri.path;
}

export class WorkspaceHost {
  /** path → file text, or null when the file is known not to exist. */
  private readonly cache = new Map<string, string | null>();
  private readonly decoder = new TextDecoder('utf-8');

  /** A host for one analysis run: reads like this one and records the text it handed out and the misses. */
  recording(): { host: SourceHost; texts: Map<string, string>; misses: Set<string> } {
    const texts = new Map<string, string>();
    const misses = new Set<string>();
    const host: SourceHost = {
      readFile: (path) => {
        const t = this.read(path);
        if (t !== undefined) texts.set(path, t);
        else misses.add(path);
        return t;
      },
    };
    return { host, texts, misses };
  }

  read(path: string): string | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => !d.isClosed && enginePath(d.uri) === path);
    if (doc) return doc.getText();
    const t = this.cache.get(path);
    return t === null ? undefined : t;
  }

  /** True when `path` has not been tried yet (neither loaded nor known to be absent). */
  isUnknown(path: string): boolean {
    return !this.cache.has(path);
  }

  /** Loads `paths` (resolved against `like`'s scheme and authority); absent files are remembered as such. */
  async load(paths: string[], like: vscode.Uri): Promise<number> {
    let loaded = 0;
    await Promise.all(paths.map(async (p) => {
      try {
        const bytes = await vscode.workspace.fs.readFile(like.with({ path: p, query: '', fragment: '' }));
        this.cache.set(p, this.decoder.decode(bytes));
        loaded++;
      } catch {
        this.cache.set(p, null);
      }
    }));
    return loaded;
  }

  /** Forget what we know of `path` (it changed, appeared or disappeared on disk). */
  invalidate(path: string): void {
    this.cache.delete(path);
  }
}
