// Finding a Python environment's site-packages from its files alone: venvs, conda, pyenv shims,
// Debian's system Python, user site — over an in-memory file tree (nothing is run or read from disk).
import { describe, expect, it } from 'vitest';
import { findPythonEnv, pythonOnPath, type EnvFs } from '../../../engine/env/pythonEnv';

/** A file tree: paths ending in '/' are folders, others files with their text; links map path → target. */
function fakeFs(entries: Record<string, string>, links: Record<string, string> = {}): EnvFs {
  const files = new Map(Object.entries(entries).filter(([p]) => !p.endsWith('/')));
  const dirs = new Set<string>();
  for (const p of Object.keys(entries)) {
    const parts = p.replace(/\/$/, '').split('/');
    for (let i = 2; i <= parts.length - (p.endsWith('/') ? 0 : 1); i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const real = (p: string): string => links[p] ?? p;
  return {
    isFile: (p) => files.has(real(p)),
    isDir: (p) => dirs.has(real(p).replace(/\/$/, '')),
    read: (p) => files.get(real(p)),
    list: (p) => [...dirs, ...files.keys()].filter((x) => x.startsWith(p + '/') && !x.slice(p.length + 1).includes('/')).map((x) => x.slice(p.length + 1)),
    realpath: real,
  };
}

describe('python environments', () => {
  it('a venv: pyvenv.cfg beside bin/, its own site-packages, not the base interpreter\'s', () => {
    const fs = fakeFs({
      '/proj/.venv/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.4\n',
      '/proj/.venv/bin/python': '', '/proj/.venv/lib/python3.11/site-packages/': '',
      '/usr/bin/python3.11': '', '/usr/lib/python3/dist-packages/': '',
    }, { '/proj/.venv/bin/python': '/usr/bin/python3.11' });
    expect(findPythonEnv({ python: '/proj/.venv/bin/python' }, fs)).toEqual({
      python: '/proj/.venv/bin/python', kind: 'venv', prefix: '/proj/.venv', version: '3.11', sitePackages: ['/proj/.venv/lib/python3.11/site-packages'],
    });
  });
  it('a venv with system site packages adds the base environment after its own', () => {
    const fs = fakeFs({
      '/v/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = true\nversion = 3.11.4\n',
      '/v/bin/python3': '', '/v/lib/python3.11/site-packages/': '',
      '/usr/bin/python3': '', '/usr/bin/python3.11': '', '/usr/lib/python3/dist-packages/': '', '/usr/lib/python3.11/': '',
    }, { '/usr/bin/python3': '/usr/bin/python3.11' });
    expect(findPythonEnv({ python: '/v/bin/python3' }, fs)?.sitePackages).toEqual(['/v/lib/python3.11/site-packages', '/usr/lib/python3/dist-packages']);
  });
  it('Debian\'s system python3 on PATH: /usr/local dist-packages, then /usr/lib/python3/dist-packages, then user site', () => {
    const fs = fakeFs({
      '/usr/bin/python3': '', '/usr/bin/python3.11': '', '/usr/lib/python3.11/': '', '/usr/lib/python3/dist-packages/': '',
      '/usr/local/lib/python3.11/dist-packages/': '', '/home/u/.local/lib/python3.11/site-packages/': '',
    }, { '/usr/bin/python3': '/usr/bin/python3.11' });
    expect(pythonOnPath('/opt/none:/usr/bin', fs)).toBe('/usr/bin/python3');
    const env = findPythonEnv({ pathEnv: '/opt/none:/usr/bin', env: { HOME: '/home/u' } }, fs);
    expect(env?.kind).toBe('system');
    expect(env?.sitePackages).toEqual(['/usr/local/lib/python3.11/dist-packages', '/usr/lib/python3/dist-packages', '/home/u/.local/lib/python3.11/site-packages']);
  });
  it('a conda prefix', () => {
    const fs = fakeFs({ '/opt/conda/bin/python3.10': '', '/opt/conda/conda-meta/': '', '/opt/conda/lib/python3.10/site-packages/': '' });
    expect(findPythonEnv({ python: '/opt/conda/bin/python3.10', env: { HOME: '/h' } }, fs)).toMatchObject({ kind: 'conda', version: '3.10', sitePackages: ['/opt/conda/lib/python3.10/site-packages'] });
  });
  it('a pyenv shim resolves to the selected version: PYENV_VERSION, then .python-version, then the global file', () => {
    const shim = '#!/usr/bin/env bash\nexport PYENV_ROOT="/root/.pyenv"\nexec "/root/.pyenv/libexec/pyenv" exec "$program" "$@"\n';
    const fs = fakeFs({
      '/root/.pyenv/shims/python3': shim, '/root/.pyenv/version': '3.11.7\n', '/work/p/.python-version': '3.12.1\n',
      '/root/.pyenv/versions/3.11.7/bin/python3': '', '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/': '',
      '/root/.pyenv/versions/3.12.1/bin/python3': '', '/root/.pyenv/versions/3.12.1/lib/python3.12/site-packages/': '',
      '/root/.pyenv/versions/3.10.13/bin/python3': '', '/root/.pyenv/versions/3.10.13/lib/python3.10/site-packages/': '',
    });
    const q = { pathEnv: '/root/.pyenv/shims' };
    expect(findPythonEnv({ ...q, cwd: '/tmp' }, fs)?.sitePackages).toEqual(['/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages']);
    expect(findPythonEnv({ ...q, cwd: '/work/p/src' }, fs)?.sitePackages).toEqual(['/root/.pyenv/versions/3.12.1/lib/python3.12/site-packages']);
    expect(findPythonEnv({ ...q, cwd: '/work/p', env: { PYENV_VERSION: '3.10.13' } }, fs)).toMatchObject({ kind: 'pyenv', version: '3.10' });
  });
  it('no interpreter anywhere: undefined, not a guess', () => {
    expect(findPythonEnv({ pathEnv: '/nothing' }, fakeFs({}))).toBeUndefined();
  });
});
