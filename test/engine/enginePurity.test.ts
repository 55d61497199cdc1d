// The engine's pure part imports no platform: no node:* (or bare Node built-ins), no vscode, no DOM globals.
// tsc -p engine (no Node, no DOM types) checks the types; this checks the import specifiers, which a
// bundler would otherwise resolve silently. engine/node/ is the one folder allowed to use Node.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../engine');
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return relative(root, p) === 'node' ? [] : tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}
const specifiers = (src: string) =>
  [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]);
const nodeBuiltins = new Set(builtinModules);

describe('engine purity', () => {
  const files = tsFiles(root);
  it('finds the engine sources', () => expect(files.length).toBeGreaterThan(100));
  it('no pure engine file imports node:*, a Node built-in, vscode, or a file in engine/node', () => {
    const offenders: string[] = [];
    for (const f of files) {
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        const bad = s.startsWith('node:') || nodeBuiltins.has(s) || s === 'vscode' || /(^|\/)node\//.test(s) && s.startsWith('.');
        if (bad) offenders.push(`${relative(root, f)} imports '${s}'`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
