// The interpreter sits below torch: nothing under engine/interp imports engine/torch (or the stages built
// on it), so the two cannot form an import cycle; and the engine as a whole has no cycle between its
// folders. Reads import specifiers (type-only imports count: they are a dependency a reader follows too).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../engine');
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}
/** Engine-relative targets of a file's relative imports and re-exports. */
function targets(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)]
    .map((m) => relative(root, resolve(dirname(file), m[1] ?? m[2])));
}
/** engine/<folder> of an engine-relative path ('' for a top-level file such as api.ts). */
const folderOf = (p: string): string => (p.includes('/') ? p.split('/')[0] : '');

describe('import layers', () => {
  const files = tsFiles(root);

  it('engine/interp imports nothing of torch, ops, run or analysis', () => {
    const above = new Set(['torch', 'ops', 'run', 'analysis', 'autograd', 'io', 'cli', 'node']);
    const offenders = files.filter((f) => folderOf(relative(root, f)) === 'interp')
      .flatMap((f) => targets(f).filter((t) => above.has(folderOf(t))).map((t) => `${relative(root, f)} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it('finds no cycle between engine folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const f of files) {
      const from = folderOf(relative(root, f));
      if (!from) continue;
      for (const t of targets(f)) {
        const to = folderOf(t);
        if (to && to !== from && !t.startsWith('..')) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
      }
    }
    const cycles: string[] = [];
    const walk = (n: string, path: string[]): void => {
      for (const m of edges.get(n) ?? []) {
        if (m === path[0]) cycles.push([...path, m].join(' → '));
        else if (!path.includes(m) && m > path[0]) walk(m, [...path, m]);
      }
    };
    for (const n of edges.keys()) walk(n, [n]);
    expect(cycles).toEqual([]);
  });
});
