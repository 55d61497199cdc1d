// Nothing outside the import roots is read (issue 9.7): crafted absolute and relative imports and links that
// leave the project cannot read a file outside it — through the CLI's host (real disk, real links) — while
// --path and site-packages roots still work.
import { describe, expect, it } from 'vitest';
import { readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../engine/cli/cli';
import { escapeModel, escapeTree, packages } from './support/escapeTree';
import { importScope, isWithin, mayRead, normalizePath, packageRootOf, scopedHost } from '../../engine/env/importScope';

/**
 *   T/__init__.py                       (every folder up from the project is a package: relative imports could climb)
 *   T/outside/__init__.py, secret.py    SECRET = 7
 *   T/outside/tmp/secret/cfg.py         SECRET = 7
 *   T/secret.py                         SECRET = 7
 *   T/ws/__init__.py
 *   T/ws/secret.py                      SECRET = 7   (beside the package, outside the project folder)
 *   T/ws/proj/__init__.py, model.py     the project (the current folder)
 *   T/ws/proj/link.py        → T/outside/secret.py
 *   T/ws/proj/linkdir        → T/outside
 *   T/ws/proj/lib/__init__.py, ok.py    OK = 3 (a normal subpackage)
 */
function tree(): { T: string; proj: string; outside: string } {
  const secret = 'SECRET = 7\n';
  const T = escapeTree('ll-escape-', {
    ...packages('', 'outside', 'ws', 'ws/proj', 'ws/proj/lib', 'outside/tmp', 'outside/tmp/secret'),
    'outside/secret.py': secret, 'outside/tmp/secret/cfg.py': secret, 'secret.py': secret, 'ws/secret.py': secret, 'ws/proj/lib/ok.py': 'OK = 3\n',
  }, { 'ws/proj/link.py': 'outside/secret.py', 'ws/proj/linkdir': 'outside' });
  return { T, proj: join(T, 'ws/proj'), outside: join(T, 'outside') };
}

const model = (imp: string): string => escapeModel(imp);

function recordingHost(): { host: { readFile(p: string): string | undefined }; read: string[] } {
  const read: string[] = [];
  return {
    read,
    host: {
      readFile(p: string) {
        try { const t = readFileSync(p, 'utf8'); read.push(p); return t; } catch { return undefined; }
      },
    },
  };
}

function summary(cwd: string, file: string, extra: string[] = []) {
  const { host, read } = recordingHost();
  let out = '', err = '';
  const isFile = (p: string) => { try { return statSync(p).isFile(); } catch { return false; } };
  const realpath = (p: string) => { try { return realpathSync(p); } catch { return undefined; } };
  const code = runCli(['summary', file, '--model', 'Net()', '--input', '1,4', '--json', '--python', 'none', ...extra], {
    host, cwd, isFile, realpath, readBytes: () => undefined, out: (s) => { out += s; }, err: (s) => { err += s; },
  }) as number;
  return { code, out, err, read };
}

describe('a crafted import cannot read a file outside the project', () => {
  const { T, proj, outside } = tree();
  const cases: Array<[string, string]> = [
    ['absolute, beside the package (its parent is the root Python would search)', 'from secret import SECRET'],
    ['absolute, through a package above the project', 'from ws.secret import SECRET'],
    ['relative, climbing many levels', 'from .......outside.tmp.secret.cfg import SECRET'],
    ['relative, climbing two levels into packages above', 'from ...outside.secret import SECRET'],
    ['relative, one level up (the parent package is outside the project)', 'from ..secret import SECRET'],
    ['through a file link that leaves the project', 'from link import SECRET'],
    ['through a folder link that leaves the project', 'from linkdir.secret import SECRET'],
    ['through a folder link, relative', 'from .linkdir.secret import SECRET'],
  ];
  it.each(cases)('%s: %s', (_what, imp) => {
    writeFileSync(join(proj, 'model.py'), model(imp));
    const r = summary(proj, 'model.py');
    expect(r.read.filter((p) => !isWithin(realpathSync(p), proj))).toEqual([]);
    expect(r.out).not.toContain('"params": 35');
    expect(r.err).toMatch(/cannot resolve module|beyond top-level package|cannot import name/);
  });

  it('what is inside still resolves: a subpackage, and a root added with --path', () => {
    writeFileSync(join(proj, 'model.py'), model('from lib.ok import OK as SECRET'));
    const inside = summary(proj, 'model.py');
    expect(inside.code).toBe(0);
    expect(JSON.parse(inside.out).totals.params).toBe(15);
    writeFileSync(join(proj, 'model.py'), model('from tmp.secret.cfg import SECRET'));
    const added = summary(proj, 'model.py', ['--path', outside]);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out).totals.params).toBe(35);
    // the folder the CLI runs in is the project when the file is in it: T/ws/secret.py is inside from there
    writeFileSync(join(proj, 'model.py'), model('from ws.secret import SECRET'));
    const fromWs = summary(join(T, 'ws'), 'proj/model.py');
    expect(JSON.parse(fromWs.out).totals.params).toBe(35);
    expect(fromWs.read.every((p) => isWithin(p, join(T, 'ws')))).toBe(true);
  });
});

describe('FILE itself given through a link', () => {
  it('is analysed (the user named it), and nothing else outside is read', () => {
    const { T, proj, outside } = tree();
    writeFileSync(join(outside, 'real_model.py'), model('SECRET = 7'));
    symlinkSync(join(outside, 'real_model.py'), join(proj, 'linked_model.py'));
    const r = summary(proj, 'linked_model.py');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).totals.params).toBe(35);
    expect(r.read.filter((p) => !isWithin(realpathSync(p), proj) && !isWithin(realpathSync(p), outside))).toEqual([]);
    void T;
  });
});

describe('import scope', () => {
  it('normalises, and admits only normal paths under a root', () => {
    expect(normalizePath('/a/b/../c/./d')).toBe('/a/c/d');
    const s = importScope(['/ws/', '/site']);
    expect(mayRead(s, '/ws/a.py')).toBe(true);
    expect(mayRead(s, '/wsx/a.py')).toBe(false);
    expect(mayRead(s, '/ws/../etc/passwd')).toBe(false);
    expect(mayRead(s, '/ws/./a.py')).toBe(false);
    expect(mayRead(s, '/site/torch/__init__.py')).toBe(true);
    expect(mayRead(s, '/etc/passwd')).toBe(false);
  });
  it('a link is followed only when it stays under some root', () => {
    const links: Record<string, string> = { '/ws/l.py': '/site/x.py', '/ws/out.py': '/etc/x.py' };
    const s = importScope(['/ws', '/site'], (p) => links[p] ?? p);
    expect(mayRead(s, '/ws/l.py')).toBe(true);
    expect(mayRead(s, '/ws/out.py')).toBe(false);
    const h = scopedHost({ readFile: () => 'x' }, s);
    expect(h.readFile('/ws/out.py')).toBeUndefined();
    expect(h.readFile('/ws/l.py')).toBe('x');
    expect([...h.refused]).toEqual(['/ws/out.py']);
  });
  it('the package root is the outermost folder with an __init__.py, else the file\'s folder', () => {
    const inits = new Set(['/a/b', '/a/b/c']);
    expect(packageRootOf('/a/b/c/m.py', (d) => inits.has(d))).toBe('/a/b');
    expect(packageRootOf('/x/m.py', (d) => inits.has(d))).toBe('/x');
    expect(packageRootOf('/m.py', () => true)).toBeUndefined();
    expect(packageRootOf('Untitled-1', () => false)).toBeUndefined();
  });
});
