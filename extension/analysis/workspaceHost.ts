// The source files the engine reads (its SourceHost, as a snapshot): open documents over a file cache
// filled asynchronously through vscode.workspace.fs (works for local, remote and virtual workspaces).
// Must not block: nothing here reads synchronously from disk; unknown files are reported missing.
import * as vscode from 'vscode';

/** Engine paths are POSIX-style absolute paths: a URI's path. */
export function enginePath(uri: vscode.Uri): string {
  return uri.path;
}

export class WorkspaceHost {
  /** path → file text, or null when the file is known not to exist. */
  private readonly cache = new Map<string, string | null>();
  private readonly decoder = new TextDecoder('utf-8');

  /**
   * Every text an analysis may read, by engine path: open Python documents (unsaved edits included) over
   * the loaded files. A snapshot, so the analysis can run on another thread and locations can be mapped
   * back onto later versions of the text.
   */
  snapshot(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const [p, t] of this.cache) if (t !== null) files[p] = t;
    for (const d of vscode.workspace.textDocuments) {
      if (!d.isClosed && d.languageId === 'python') files[enginePath(d.uri)] = d.getText();
    }
    return files;
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
