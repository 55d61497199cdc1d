// The CLI's disk parse cache treats its folder as untrusted input (issue 9.8): crafted, tampered, linked
// or special entries are misses, never crashes or hangs; writes are exclusive and atomic; the folder is
// bounded; an unusable folder means no cache.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, DiskParseCache, FORMAT } from '../../engine/node/diskCache';
import { parsePython } from '../../engine/python/parse';
import { analyze, setParseCache } from '../../engine/analysis/analyze';

const SRC = 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n';

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'll-cache-')), 'layerlens', FORMAT);
}
const entries = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.json'));

describe('disk parse cache', () => {
  it('gives back what it stored, in a new process (instance), keyed by path and text', () => {
    const dir = freshDir();
    const parsed = parsePython('/p/m.py', SRC);
    new DiskParseCache({ dir }).set('/p/m.py', SRC, parsed);
    const again = new DiskParseCache({ dir });
    const hit = again.get('/p/m.py', SRC);
    expect(hit?.body).toEqual(parsed.body);
    expect(hit?.source).toBe(SRC);
    expect(again.get('/p/m.py', SRC + '\n')).toBeUndefined();
    expect(again.get('/q/m.py', SRC)).toBeUndefined();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, entries(dir)[0])).mode & 0o777).toBe(0o600);
  });

  it('a crafted {} entry (and any entry not written by this user\'s key) is a miss, not a crash, and is removed', () => {
    const dir = freshDir();
    const c = new DiskParseCache({ dir });
    c.set('/p/crafted.py', SRC, parsePython('/p/crafted.py', SRC));
    const [name] = entries(dir);
    for (const crafted of ['{}', '', 'null', '[1,2]', readFileSync(join(dir, name), 'utf8').replace('Linear', 'Lin'), readFileSync(join(dir, name), 'utf8').slice(0, 200)]) {
      writeFileSync(join(dir, name), crafted, { mode: 0o600 });
      expect(new DiskParseCache({ dir }).get('/p/crafted.py', SRC)).toBeUndefined();
    }
    expect(existsSync(join(dir, name))).toBe(false);
    // and an analysis through the cache falls back to parsing: the numbers are right
    writeFileSync(join(dir, name), '{}', { mode: 0o600 });
    setParseCache(new DiskParseCache({ dir }));
    const r = analyze({ file: '/p/crafted.py', host: { readFile: (p) => (p === '/p/crafted.py' ? SRC : undefined) }, model: 'Net()', input: [[1, 4]] });
    expect(r.totals.params).toBe(10);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a valid entry copied under another key is refused (the key is part of what is authenticated)', () => {
    const dir = freshDir();
    const c = new DiskParseCache({ dir });
    c.set('/p/a.py', SRC, parsePython('/p/a.py', SRC));
    const [a] = entries(dir);
    c.set('/p/b.py', 'x = 1\n', parsePython('/p/b.py', 'x = 1\n'));
    const b = entries(dir).find((n) => n !== a)!;
    writeFileSync(join(dir, b), readFileSync(join(dir, a)), { mode: 0o600 });
    expect(new DiskParseCache({ dir }).get('/p/b.py', 'x = 1\n')).toBeUndefined();
  });

  it('never follows a link planted at an entry\'s name, reading or writing', () => {
    const dir = freshDir();
    const c = new DiskParseCache({ dir });
    c.set('/p/m.py', SRC, parsePython('/p/m.py', SRC));
    const [name] = entries(dir);
    const outside = join(mkdtempSync(join(tmpdir(), 'll-outside-')), 'victim.txt');
    writeFileSync(outside, 'precious');
    execFileSync('rm', [join(dir, name)]);
    symlinkSync(outside, join(dir, name));
    expect(new DiskParseCache({ dir }).get('/p/m.py', SRC)).toBeUndefined();
    new DiskParseCache({ dir }).set('/p/m.py', SRC, parsePython('/p/m.py', SRC));
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    // the link was replaced by a real entry (rename), which now reads back
    expect(new DiskParseCache({ dir }).get('/p/m.py', SRC)?.body.length).toBeGreaterThan(0);
    // no temporary file is left behind, and none has a name derived from the pid
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a FIFO at an entry\'s name does not block', () => {
    const dir = freshDir();
    const c = new DiskParseCache({ dir });
    c.set('/p/m.py', SRC, parsePython('/p/m.py', SRC));
    const [name] = entries(dir);
    execFileSync('rm', [join(dir, name)]);
    execFileSync('mkfifo', ['-m', '600', join(dir, name)]);
    expect(new DiskParseCache({ dir }).get('/p/m.py', SRC)).toBeUndefined();
  });

  it('an unusable folder means no cache: /proc/self, a file, a folder others can write, a relative XDG_CACHE_HOME', () => {
    const parsed = parsePython('/p/m.py', SRC);
    const file = join(mkdtempSync(join(tmpdir(), 'll-file-')), 'f');
    writeFileSync(file, 'x');
    const open = join(mkdtempSync(join(tmpdir(), 'll-open-')), 'layerlens');
    mkdirSync(open);
    chmodSync(open, 0o777);
    for (const dir of [defaultCacheDir({ XDG_CACHE_HOME: '/proc/self' })!, join(file, 'layerlens', FORMAT), join(open, FORMAT), '/proc/self/fd/0/x']) {
      const c = new DiskParseCache({ dir });
      c.set('/p/m.py', SRC, parsed);
      expect(c.get('/p/m.py', SRC)).toBeUndefined();
    }
    expect(existsSync(join(open, FORMAT))).toBe(false);
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative/dir' })).not.toContain('relative');
  });

  it('keeps the folder within its size bound, evicting the least recently used entries', () => {
    const dir = freshDir();
    const big = new DiskParseCache({ dir });
    const texts = Array.from({ length: 12 }, (_, i) => `${SRC}\nx${i} = ${i}\n`);
    for (const t of texts) big.set('/p/m.py', t, parsePython('/p/m.py', t));
    const sizes = entries(dir).map((n) => statSync(join(dir, n)).size);
    const bound = Math.max(...sizes) * 4;
    const small = new DiskParseCache({ dir, maxBytes: bound });
    small.set('/p/n.py', SRC, parsePython('/p/n.py', SRC));
    const total = entries(dir).reduce((s, n) => s + statSync(join(dir, n)).size, 0);
    expect(total).toBeLessThanOrEqual(bound);
    expect(entries(dir).length).toBeGreaterThan(0);
    expect(small.get('/p/n.py', SRC)).toBeDefined();
  });
});
