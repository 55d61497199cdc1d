// The CLI's V8 code cache (engine/node/cliLoader.ts): written after the first run, used unchanged by the
// next, replaced when corrupt, tampered with or when the bundle changes, never read from a folder others
// can write, and never changing what the bundle does.
import { afterAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('CLI code cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlens-codecache-'));
  const cacheHome = join(dir, 'cache');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  buildSync({ entryPoints: ['engine/node/cliLoader.ts'], outfile: join(dir, 'cli.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  // a stand-in bundle that uses what the real one uses from its wrapper: require, module, __dirname, argv
  const bundle = (tag: string): void => writeFileSync(join(dir, 'cliMain.js'),
    `const path = require('node:path');\nfunction square(x) { return x * x; }\nmodule.exports.ok = true;\n` +
    `process.stdout.write(JSON.stringify({ tag: ${JSON.stringify(tag)}, dir: path.basename(__dirname), args: process.argv.slice(2), sq: square(7), exp: module.exports.ok }));\n`);
  const run = (env: Record<string, string> = {}): string => {
    const r = spawnSync(process.execPath, [join(dir, 'cli.js'), 'summary', 'x.py'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const entries = (): string[] => { try { return readdirSync(join(cacheHome, 'layerlens', 'code-1')).filter((f) => f.endsWith('.bin')); } catch { return []; } };
  const expected = (tag: string): string => JSON.stringify({ tag, dir: dir.split('/').pop(), args: ['summary', 'x.py'], sq: 49, exp: true });

  it('is written by the first run and read, unchanged, by the next', () => {
    bundle('a');
    expect(run()).toBe(expected('a'));
    expect(entries()).toHaveLength(1);
    const file = join(cacheHome, 'layerlens', 'code-1', entries()[0]);
    const data = readFileSync(file);
    expect(data.length).toBeGreaterThan(0);
    expect(run()).toBe(expected('a'));
    expect(readFileSync(file).equals(data)).toBe(true); // accepted: not rewritten
  });

  it('a corrupt entry is rejected by V8 and rewritten; the output never changes', () => {
    const file = join(cacheHome, 'layerlens', 'code-1', entries()[0]);
    writeFileSync(file, Buffer.from('not a code cache at all'));
    expect(run()).toBe(expected('a'));
    expect(readFileSync(file).toString()).not.toBe('not a code cache at all');
    expect(run()).toBe(expected('a'));
  });

  it('an entry whose data was changed after it was written fails its authentication and is replaced', () => {
    const file = join(cacheHome, 'layerlens', 'code-1', entries()[0]);
    const data = readFileSync(file);
    data[data.length - 10] ^= 0xff;
    writeFileSync(file, data);
    expect(run()).toBe(expected('a'));
    const again = readFileSync(file);
    expect(again.equals(data)).toBe(false);
    expect(run()).toBe(expected('a'));
    expect(readFileSync(file).equals(again)).toBe(true);
  });

  it('a cache folder that others can write is not used: nothing read, nothing written', () => {
    const folder = join(cacheHome, 'layerlens', 'code-1');
    for (const f of entries()) rmSync(join(folder, f));
    chmodSync(folder, 0o777);
    try {
      expect(run()).toBe(expected('a'));
      expect(entries()).toEqual([]);
    } finally {
      chmodSync(folder, 0o700);
    }
    expect(run()).toBe(expected('a'));
    expect(entries()).toHaveLength(1);
  });

  it('a changed bundle of the same length gets its own entry (keyed by content) and the old one goes', () => {
    const before = entries();
    bundle('b');
    expect(run()).toBe(expected('b'));
    expect(entries()).toHaveLength(1);
    expect(entries()).not.toEqual(before);
  });

  it('an unusable cache folder (XDG_CACHE_HOME=/proc/self, a file) means no cache, not a hang (issue 9.8)', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    for (const home of ['/proc/self', file]) {
      const r = spawnSync(process.execPath, [join(dir, 'cli.js'), 'summary', 'x.py'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_CACHE_HOME: home } });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(expected('b'));
    }
  });

  it('LAYERLENS_NO_CACHE=1 neither reads nor writes it', () => {
    const other = join(dir, 'cache2');
    const r = spawnSync(process.execPath, [join(dir, 'cli.js'), 'summary', 'x.py'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: other, LAYERLENS_NO_CACHE: '1' } });
    expect(r.stdout).toBe(expected('b'));
    expect(() => readdirSync(other)).toThrow();
  });
});
