// The extension reads nothing outside the workspace (issue 9.7): the AnalysisService over a workspace on the
// real disk (with real links) — a crafted absolute, relative or linked import reads no file outside the
// workspace folder; `layerlens.importRoots` and the Python environment's site-packages are read.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as code from 'vscode';
import { promises as fsp, realpathSync } from 'node:fs';
import { join } from 'node:path';

/** Every path the extension read from disk through vscode.workspace.fs. */
const diskReads: string[] = [];

vi.mock('vscode', async () => {
  const fake = await import('./support/fakeVscode');
  const workspace = Object.create(Object.getPrototypeOf(fake.workspace), Object.getOwnPropertyDescriptors(fake.workspace));
  workspace.fs = {
    async readFile(uri: { fsPath: string }) { const b = await fsp.readFile(uri.fsPath); diskReads.push(uri.fsPath); return new Uint8Array(b); },
    async stat(uri: { fsPath: string }) { const s = await fsp.stat(uri.fsPath); return { type: s.isDirectory() ? 2 : 1, size: s.size, ctime: 0, mtime: 0 }; },
  };
  return { ...fake, workspace };
});

import * as vscode from 'vscode';
import * as fake from './support/fakeVscode';
import { createRunner } from '../../extension/analysis/runner';
import { AnalysisService } from '../../extension/analysis/service';
import { ModelChoices } from '../../extension/analysis/modelChoices';
import { isWithin } from '../../engine/env/importScope';
import { escapeModel, escapeTree, packages } from '../engine/support/escapeTree';

const T = escapeTree('ll-ws-escape-', {
  ...packages('', 'outside', 'ws', 'outside/tmp', 'outside/tmp/secret', 'site/pkg', 'ws/lib'),
  'secret.py': 'SECRET = 7\n', 'outside/secret.py': 'SECRET = 7\n', 'outside/tmp/secret/cfg.py': 'SECRET = 7\n',
  'site/pkg/layers.py': 'SECRET = 5\n', 'ws/lib/ok.py': 'OK = 3\n',
}, { 'ws/link.py': 'outside/secret.py', 'ws/linkdir': 'outside' });
const ws = join(T, 'ws');

const model = (imp: string): string => escapeModel(imp, '\n\nmodel = Net()  # layerlens: input=(1, 4)\n');

let n = 0;
async function analyse(imp: string, site: string[] = []): Promise<{ params: number | undefined; messages: string[] }> {
  const service = new AnalysisService(new ModelChoices(fake.memento() as never), createRunner(undefined), { sitePackages: async () => site, onDidChange: new fake.EventEmitter<void>().event as never });
  const doc = fake.openDocument(fake.Uri.file(join(ws, `model_${n++}.py`)), model(imp)) as unknown as code.TextDocument;
  const a = await service.active(doc);
  return { params: a?.report?.totals.params, messages: a?.report?.diagnostics.map((d) => d.message) ?? [] };
}

describe('the extension reads nothing outside the workspace', () => {
  beforeEach(() => {
    fake.settings.set('layerlens.debounceMs', 0);
    fake.settings.delete('layerlens.importRoots');
    (vscode.workspace as unknown as typeof fake.workspace).workspaceFolders = [{ uri: fake.Uri.file(ws), name: 'ws', index: 0 }];
    diskReads.length = 0;
  });

  it.each([
    ['absolute, beside the workspace (the root above its package)', 'from secret import SECRET'],
    ['relative, climbing many levels', 'from .......outside.tmp.secret.cfg import SECRET'],
    ['relative, into the package above the workspace', 'from ..outside.secret import SECRET'],
    ['through a file link', 'from link import SECRET'],
    ['through a folder link', 'from linkdir.secret import SECRET'],
  ])('%s: %s', async (_what, imp) => {
    const r = await analyse(imp);
    expect(diskReads.filter((p) => !isWithin(realpathSync(p), ws))).toEqual([]);
    expect(r.params).not.toBe(35);
    expect(r.messages.join('\n')).toMatch(/cannot resolve module|beyond top-level package|cannot import name/);
  });

  it('what is inside resolves, and so do layerlens.importRoots and site-packages', async () => {
    expect((await analyse('from lib.ok import OK as SECRET')).params).toBe(15);
    fake.settings.set('layerlens.importRoots', [join(T, 'outside')]);
    expect((await analyse('from tmp.secret.cfg import SECRET')).params).toBe(35);
    fake.settings.delete('layerlens.importRoots');
    expect((await analyse('from pkg.layers import SECRET', [join(T, 'site')])).params).toBe(25);
    expect(diskReads.some((p) => p.startsWith(join(T, 'site')))).toBe(true);
  });
});
