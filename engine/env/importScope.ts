// Which files an analysis may read: only those under its import roots — the workspace folders, the analysed
// file's own package, the Python environment's site-packages and the roots the user configured — and, where
// the host can resolve links, only when the file's real path is under one of those roots' real paths too
// (a link that leaves the roots is not followed). Pure: callers pass their own realpath.
import type { SourceHost } from '../api';

/** `/a/b/../c/./d` → `/a/c/d`; relative paths are taken from `/`. */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return '/' + out.join('/');
}

/** True when `path` is `root` or below it (both normalised). */
export function isWithin(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(root.endsWith('/') ? root : root + '/');
}

const dirname = (p: string): string => { const i = p.lastIndexOf('/'); return i <= 0 ? '/' : p.slice(0, i); };

/**
 * The folder of the outermost package that holds `file` (walking up while the folder has an `__init__.py`),
 * or the file's own folder when it is in no package; undefined for `/`. `hasInit` answers for one folder.
 */
export function packageRootOf(file: string, hasInit: (dir: string) => boolean): string | undefined {
  let dir = dirname(normalizePath(file));
  let root = dir;
  while (dir !== '/' && hasInit(dir)) { root = dir; dir = dirname(dir); }
  // NOTE: never the whole file system: a file directly in `/` (or an untitled buffer) has no folder of its own
  return root === '/' ? undefined : root;
}

export interface ImportScope {
  /** Normalised roots; a file is readable when it lies below one of them. */
  roots: string[];
  /** Resolves links (undefined when the path does not exist); omitted where the host has no links. */
  realpath?: (p: string) => string | undefined;
}

/** The roots, normalised and without duplicates (a root inside another is kept: its real path may differ). */
export function importScope(roots: Array<string | undefined>, realpath?: ImportScope['realpath']): ImportScope {
  const out: string[] = [];
  for (const r of roots) if (r) { const n = normalizePath(r); if (!out.includes(n)) out.push(n); }
  return { roots: out, realpath };
}

/**
 * Whether `path` may be read: below a root by its name and, where links can be resolved, by its real path
 * below some root's real path. A root whose real path cannot be resolved admits nothing through links.
 */
export function mayRead(scope: ImportScope, path: string): boolean {
  const p = normalizePath(path);
  // NOTE: only normal paths: `/ws/link/../x` would be resolved by the OS after following `link`
  if (p !== path || !scope.roots.some((r) => isWithin(p, r))) return false;
  if (!scope.realpath) return true;
  const real = scope.realpath(p);
  if (real === undefined) return true; // absent: the read finds nothing either
  // a link may point into another root (a workspace package linked into site-packages), never outside all
  return scope.roots.some((r) => { const rr = scope.realpath!(r); return rr !== undefined && isWithin(normalizePath(real), normalizePath(rr)); });
}

/** A SourceHost that serves only what `scope` admits (everything else is absent, as a missing file is). */
export function scopedHost(host: SourceHost, scope: ImportScope): SourceHost & { refused: Set<string> } {
  const refused = new Set<string>();
  return {
    refused,
    readFile(path: string): string | undefined {
      if (!mayRead(scope, path)) { refused.add(normalizePath(path)); return undefined; }
      return host.readFile(path);
    },
  };
}
