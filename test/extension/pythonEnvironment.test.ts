// The extension's Python environment (issue 7.8): the interpreter selected in the Python extension (its
// public environments API, a stand-in here) → site-packages found from the files on disk, nothing run;
// python3 on PATH without it; a new selection re-derives them and tells the service. And
// `layerlens.importRoots` resolved against the workspace folder.
import { describe, expect, it, vi } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

vi.mock('vscode', () => import('./support/fakeVscode'));

import * as vscode from './support/fakeVscode';
import { nodeEnvFs, PythonEnvironments, selectedInterpreter, sitePackagesOf, type PythonExtensionApi } from '../../extension/analysis/pythonEnvironment';
import { resolveImportRoots } from '../../extension/config';

/** A venv (pyvenv.cfg, bin/python → a base interpreter, lib/python3.11/site-packages) and a conda prefix without a python link. */
function envs(): { venvPython: string; venvSite: string; condaPrefix: string; condaSite: string; pathDir: string; pathSite: string } {
  const T = realpathSync(mkdtempSync(join(tmpdir(), 'll-pyenv-')));
  const mk = (p: string) => { mkdirSync(join(T, p), { recursive: true }); return join(T, p); };
  const file = (p: string, t = '') => { mkdirSync(join(T, p, '..'), { recursive: true }); writeFileSync(join(T, p), t); return join(T, p); };
  const base = file('base/bin/python3.11');
  chmodSync(base, 0o755);
  file('proj/.venv/pyvenv.cfg', `home = ${join(T, 'base/bin')}\ninclude-system-site-packages = false\nversion = 3.11.4\n`);
  mkdirSync(join(T, 'proj/.venv/bin'), { recursive: true });
  symlinkSync(base, join(T, 'proj/.venv/bin/python'));
  const venvSite = mk('proj/.venv/lib/python3.11/site-packages');
  mk('conda/envs/ml/conda-meta');
  const condaSite = mk('conda/envs/ml/lib/python3.10/site-packages');
  // a venv whose python is first on PATH
  file('other/pyvenv.cfg', 'version = 3.12.1\n');
  mkdirSync(join(T, 'other/bin'), { recursive: true });
  symlinkSync(base, join(T, 'other/bin/python3'));
  const pathSite = mk('other/lib/python3.12/site-packages');
  return { venvPython: join(T, 'proj/.venv/bin/python'), venvSite, condaPrefix: join(T, 'conda/envs/ml'), condaSite, pathDir: join(T, 'other/bin'), pathSite };
}

/** A stand-in for ms-python.python's exports: a selected environment per call, and its change event. */
function pythonApi(sel: { path: string; exe?: string; sysPrefix?: string; version?: [number, number] }) {
  const changed = new vscode.EventEmitter<unknown>();
  const api: PythonExtensionApi & { select(s: typeof sel): void } = {
    environments: {
      getActiveEnvironmentPath: () => ({ id: sel.path, path: sel.path }),
      resolveEnvironment: async () => ({
        path: sel.path,
        executable: { uri: sel.exe ? (vscode.Uri.file(sel.exe) as never) : undefined, sysPrefix: sel.sysPrefix },
        version: sel.version && { major: sel.version[0], minor: sel.version[1] },
      }),
      onDidChangeActiveEnvironmentPath: changed.event as never,
    },
    select(s) { sel = s; changed.fire({}); },
  };
  return api;
}

describe('site-packages of the selected interpreter', () => {
  const e = envs();
  const fs = nodeEnvFs()!;

  it('a venv selected in the Python extension: its own site-packages (found from pyvenv.cfg, not by running it)', async () => {
    const sel = await selectedInterpreter(pythonApi({ path: e.venvPython, exe: e.venvPython, version: [3, 11] }));
    expect(sel).toMatchObject({ executable: e.venvPython, version: '3.11', source: 'python-extension' });
    expect(sitePackagesOf(sel!, fs)).toEqual([e.venvSite]);
  });

  it('a conda environment known only by its prefix (no python link): the prefix\'s site-packages', async () => {
    const sel = await selectedInterpreter(pythonApi({ path: e.condaPrefix, sysPrefix: e.condaPrefix }));
    expect(sitePackagesOf(sel!, fs)).toEqual([e.condaSite]);
  });

  it('PythonEnvironments: asks the Python extension when installed, re-derives on a new selection and says so; python3 on PATH otherwise', async () => {
    const api = pythonApi({ path: e.venvPython, exe: e.venvPython });
    vscode.installExtension('ms-python.python', api);
    const envsOf = new PythonEnvironments(fs, undefined, `${e.pathDir}:/nonexistent`);
    const doc = vscode.Uri.file('/ws/model.py') as never;
    try {
      let fired = 0;
      envsOf.onDidChange(() => fired++);
      // the first analysis does not wait for the Python extension to activate: python3 on PATH meanwhile,
      // then the selected interpreter's site-packages, with a change event (the service re-analyses)
      expect(await envsOf.sitePackages(doc)).toEqual([e.pathSite]);
      await new Promise((ok) => setTimeout(ok, 20));
      expect(fired).toBe(1);
      expect(await envsOf.sitePackages(doc)).toEqual([e.venvSite]);
      api.select({ path: e.condaPrefix, sysPrefix: e.condaPrefix });
      expect(fired).toBe(2);
      expect(await envsOf.sitePackages(doc)).toEqual([e.condaSite]);
    } finally {
      vscode.uninstallExtension('ms-python.python');
      envsOf.dispose();
    }
    const noExt = new PythonEnvironments(fs, undefined, `${e.pathDir}:/nonexistent`);
    expect(await noExt.sitePackages(doc)).toEqual([e.pathSite]);
    expect((await noExt.selection(doc))?.source).toBe('path');
    // no file system (the browser) or a virtual document: none
    expect(await new PythonEnvironments(null).sitePackages(doc)).toEqual([]);
    expect(await noExt.sitePackages(vscode.Uri.parse('vscode-vfs://github/x/model.py') as never)).toEqual([]);
  });
});

describe('layerlens.importRoots', () => {
  it('absolute, relative to the workspace folder, ${workspaceFolder}/…, ~/…', () => {
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file('/home/u/proj'), name: 'proj', index: 0 }];
    const prevHome = process.env.HOME;
    process.env.HOME = '/home/u';
    try {
      const roots = resolveImportRoots(['src', '${workspaceFolder}/third_party', '/opt/models', '~/lib', '', 'src'], vscode.Uri.file('/home/u/proj/a.py') as never);
      expect(roots).toEqual(['/home/u/proj/src', '/home/u/proj/third_party', '/opt/models', '/home/u/lib']);
    } finally {
      process.env.HOME = prevHome;
      vscode.workspace.workspaceFolders = undefined;
    }
  });
});
