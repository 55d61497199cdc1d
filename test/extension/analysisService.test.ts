// AnalysisService over the fake `vscode` module with a counting inline runner: discovery and analysis go
// through the runner (never on the host's thread), results are cached per version, an edit of comments
// only reuses the last analysis with its locations moved, and a half-typed file keeps the last good one.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as code from 'vscode';

vi.mock('vscode', () => import('./support/fakeVscode'));

import * as vscode from './support/fakeVscode';
import { createRunner } from '../../extension/analysis/runner';
import { AnalysisService } from '../../extension/analysis/service';
import { ModelChoices } from '../../extension/analysis/modelChoices';

const SRC = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        x = self.conv(x)
        return self.bn(x)


model = Net()
y = model(torch.randn(1, 3, 32, 32))
`;

function setup() {
  const inline = createRunner(undefined);
  const calls = { analyze: 0, discover: 0 };
  const runner = {
    kind: inline.kind,
    run: (r: Parameters<typeof inline.run>[0]) => { calls.analyze++; return inline.run(r); },
    discover: (r: Parameters<typeof inline.discover>[0]) => { calls.discover++; return inline.discover(r); },
    dispose: () => inline.dispose(),
  };
  const service = new AnalysisService(new ModelChoices(vscode.memento() as never), runner);
  const doc = vscode.openDocument(vscode.Uri.file(`/ws/net_${Math.random().toString(36).slice(2)}.py`), SRC) as unknown as code.TextDocument;
  return { service, doc, calls };
}

const lineOf = (doc: code.TextDocument, needle: string) => doc.getText().split('\n').findIndex((l) => l.includes(needle));
const edit = (doc: code.TextDocument, line: number, col: number, text: string, endCol = col) =>
  vscode.editDocument(doc as unknown as vscode.TextDocument, new vscode.Range(line, col, line, endCol), text);
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('AnalysisService', () => {
  beforeEach(() => vscode.settings.set('layerlens.debounceMs', 0));

  it('discovers and analyses through the runner, once per version', async () => {
    const { service, doc, calls } = setup();
    const a = await service.active(doc);
    expect(a?.report?.rows.map((r) => r.name)).toEqual(['conv', 'bn']);
    expect(a?.input).toEqual([[1, 3, 32, 32]]);
    await service.active(doc);
    expect(calls).toEqual({ analyze: 1, discover: 1 });
    service.dispose();
  });

  it('the layerlens.torchVersion setting is the PyTorch release the analysis models (default 2.9)', async () => {
    const seen: unknown[] = [];
    const inline = createRunner(undefined);
    const runner = { ...inline, kind: inline.kind, run: (r: Parameters<typeof inline.run>[0]) => { seen.push(r.opts.torchVersion); return inline.run(r); }, discover: inline.discover.bind(inline), dispose: () => inline.dispose() };
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), runner);
    const doc = vscode.openDocument(vscode.Uri.file('/ws/version_probe.py'), SRC) as unknown as code.TextDocument;
    await service.active(doc);
    vscode.settings.set('layerlens.torchVersion', '1.13');
    service.invalidateAll();
    await service.active(doc);
    vscode.settings.delete('layerlens.torchVersion');
    expect(seen).toEqual(['2.9', '1.13']);
    service.dispose();
  });

  it('an edit of comments only reuses the analysis, its locations moved with the lines', async () => {
    const { service, doc, calls } = setup();
    const before = await service.active(doc);
    const conv = before!.report!.rows[0];
    edit(doc, lineOf(doc, 'def __init__'), 0, '    # the stem\n');
    await settle();
    const after = await service.active(doc);
    expect(after).toBe(before);
    expect(calls).toEqual({ analyze: 1, discover: 1 });
    expect(service.mapLoc(after!, conv.defLoc, doc)?.start.line).toBe(conv.defLoc!.line + 1);
    expect((await service.models(doc)).map((m) => m.range.start.line)).toContain(lineOf(doc, 'class Net'));
    service.dispose();
  });

  it('a code edit is analysed again; while it is half typed the last good results stay', async () => {
    const { service, doc, calls } = setup();
    await service.active(doc);
    vscode.settings.set('layerlens.debounceMs', 50);
    const l = lineOf(doc, 'nn.Conv2d(3, 8');
    const col = doc.lineAt(l).text.indexOf('8,');
    edit(doc, l, col, '', col + 1); // `nn.Conv2d(3, , 3, …)`
    expect(service.isPending(doc)).toBe(true);
    const typing = await service.active(doc);
    expect(typing?.report?.rows[0].output).toEqual([1, 8, 32, 32]);
    edit(doc, l, col, '16');
    vscode.settings.set('layerlens.debounceMs', 0);
    await new Promise((r) => setTimeout(r, 80));
    const fresh = await service.active(doc);
    expect(fresh?.version).toBe(doc.version);
    expect(fresh?.report?.rows[0].output).toEqual([1, 16, 32, 32]);
    expect(calls.analyze).toBe(2);
    service.dispose();
  });

  it('with no quiet time, an edit is analysed at once (before any timer), the model\'s analysis requested before the discovery', async () => {
    const inline = createRunner(undefined);
    const order: string[] = [];
    const runner = {
      kind: inline.kind,
      run: (r: Parameters<typeof inline.run>[0]) => { order.push('analyze'); return inline.run(r); },
      discover: (r: Parameters<typeof inline.discover>[0]) => { order.push('discover'); return inline.discover(r); },
      dispose: () => inline.dispose(),
    };
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), runner);
    const doc = vscode.openDocument(vscode.Uri.file('/ws/order_probe.py'), SRC) as unknown as code.TextDocument;
    await service.active(doc);
    order.length = 0;
    const l = lineOf(doc, 'nn.Conv2d(3, 8');
    const col = doc.lineAt(l).text.indexOf('8,');
    edit(doc, l, col, '16', col + 1);
    let timerRan = false;
    setTimeout(() => { timerRan = true; }, 0);
    await Promise.resolve(); // the edit's task is over (a hover comes in a later one)
    expect(service.isPending(doc)).toBe(false);
    const a = await service.active(doc);
    expect(timerRan).toBe(false);
    expect(order).toEqual(['analyze', 'discover']);
    expect(a?.version).toBe(doc.version);
    expect(a?.report?.rows[0].output).toEqual([1, 16, 32, 32]);
    // the timestamps of the way there, in order (what bench/editor.mjs reports per hop)
    const h = a!.hops!;
    const steps = [h.edit, h.refresh, h.sent, h.start, h.end, h.received, h.done];
    expect(steps.every((t) => typeof t === 'number')).toBe(true);
    expect(steps).toEqual([...steps].sort((x, y) => x! - y!));
    service.dispose();
  });
});
