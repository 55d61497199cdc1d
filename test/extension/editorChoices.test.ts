// Set Input Shape's checks (forward's inputs, the first layer), the input-shape precedence (an explicit
// choice wins over the file's example tensor and can be reset), the status bar's source and plain-text
// accessibility label, honest totals, one CodeLens per model, and which diagnostics are worth showing.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as code from 'vscode';

vi.mock('vscode', () => import('./support/fakeVscode'));

import * as vscode from './support/fakeVscode';
import type { Diagnostic, ModelCandidate, Report } from '../../engine';
import { analyze } from '../../engine';
import { createRunner } from '../../extension/analysis/runner';
import { AnalysisService } from '../../extension/analysis/service';
import { ModelChoices } from '../../extension/analysis/modelChoices';
import { checkInputShapes } from '../../extension/analysis/inputCheck';
import { ModelStatusBar } from '../../extension/providers/statusBar';
import { incompleteText, lensTitle, onePerModel } from '../../extension/providers/codeLens';
import { DiagnosticsPublisher, firstSyntaxErrors, relevant } from '../../extension/providers/diagnostics';
import { calleeOf, LayerHoverProvider } from '../../extension/providers/hover';

import { reshapeArithmetic } from '../../extension/providers/hoverContent';

const CNN = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8 * 30 * 30, 10)

    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))


model = Net()
y = model(torch.randn(2, 3, 32, 32))
`;

function report(src: string, input: number[][], model = 'Net()'): Report {
  return analyze({ file: '/ws/m.py', host: { readFile: (p) => (p === '/ws/m.py' ? src : undefined) }, model, input });
}

describe('Set Input Shape checks what is typed (issue 10 item 5)', () => {
  const r = report(CNN, [[2, 3, 32, 32]]);

  it('a Conv2d first layer needs 4-D (or 3-D unbatched) with its in_channels', () => {
    expect(checkInputShapes([[2, 3, 32, 32]], r)).toBeUndefined();
    expect(checkInputShapes([[3, 32, 32]], r)).toBeUndefined();
    expect(checkInputShapes([[32, 32]], r)).toBe('the first layer conv is a Conv2d: it needs a 4-D input [N, C, H, W] (or 3-D unbatched), not 2-D');
    expect(checkInputShapes([[2, 1, 32, 32]], r)).toBe('the first layer conv (Conv2d) expects 3 input channels at dim 1, not 1');
  });

  it('the number of forward inputs', () => {
    expect(checkInputShapes([[2, 3, 32, 32], [2, 10]], r)).toBe('forward takes 1 input (x); 2 shapes given');
  });

  it('a Linear first layer: in_features in the last dim', () => {
    const mlp = report('import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(20, 5)\n    def forward(self, x, mask=None):\n        return self.fc(x)\n', [[4, 20]], 'M()');
    expect(checkInputShapes([[4, 20]], mlp)).toBeUndefined();
    expect(checkInputShapes([[4, 20], [4, 20]], mlp)).toBeUndefined(); // mask is optional
    expect(checkInputShapes([[4, 21]], mlp)).toBe('the first layer fc (Linear) expects 20 input features in the last dim, not 21');
    expect(checkInputShapes([[4, 20], [4], [4]], mlp)).toBe('forward takes 1 to 2 inputs (x, mask); 3 shapes given');
  });
});

describe('input shape precedence and the status bar (issue 10 items 5, 7, 9)', () => {
  it('an explicit choice wins over the example tensor and can be reset; the status bar says where it comes from', async () => {
    vscode.settings.set('layerlens.debounceMs', 0);
    const choices = new ModelChoices(vscode.memento() as never);
    const service = new AnalysisService(choices, createRunner(undefined));
    const doc = vscode.openDocument(vscode.Uri.file('/ws/choice_net.py'), CNN) as unknown as code.TextDocument;
    const bar = new ModelStatusBar(service);
    await service.active(doc);
    bar.update();
    expect(service.resolveInput(doc, 'Net()')).toEqual({ input: [[2, 3, 32, 32]], source: 'example' });
    expect(bar.state.text).toBe('$(layers) Net() · 2×3×32×32 (example)');
    expect(bar.state.tooltip).toContain('from the example tensor passed to the model in the file');
    // params 8·3·3·3 + 8 + 7200·10 + 10 = 72,234; MACs 2·8·30·30·27 + 2·7200·10 = 532,800
    expect(bar.state.tooltip).toContain('72.23 K params · 532.80 KMACs · out [2, 10]');
    // plain words for screen readers: no `$(icon)`, no markdown, no symbols
    expect(bar.state.accessibilityLabel).toBe('LayerLens model Net(), input 2 by 3 by 32 by 32, example. 72.23 K params, 532.80 KMACs, out 2, 10. Activate to change the model or the input shape.');
    await choices.setInput(doc.uri, 'Net()', [[1, 3, 32, 32]]);
    service.invalidate(doc.uri);
    expect(service.resolveInput(doc, 'Net()')).toEqual({ input: [[1, 3, 32, 32]], source: 'user' });
    expect((await service.active(doc))?.report?.output).toEqual([1, 10]);
    bar.update();
    expect(bar.state.text).toBe('$(layers) Net() · 1×3×32×32 (your choice)');
    await choices.setInput(doc.uri, 'Net()', undefined);
    service.invalidate(doc.uri);
    expect(service.resolveInput(doc, 'Net()').source).toBe('example');
    bar.dispose();
    service.dispose();
  });
});

describe('honest totals and one CodeLens per model (issue 10 items 7, 9)', () => {
  it('a forward that stopped reads ≥ … (incomplete), the reasons listed', () => {
    const broken = CNN.replace('nn.Linear(8 * 30 * 30, 10)', 'nn.Linear(7, 10)');
    const r = report(broken, [[2, 3, 32, 32]]);
    expect(r.totals.macs).toBeNull();
    // conv: 2·8·30·30·3·3·3 = 388,800 MACs counted before the Linear failed; params 8·3·9 + 8 + 7·10 + 10
    expect(lensTitle(r, 'macs')).toBe('304 params · ≥ 388.80 KMACs (incomplete) · out ?');
    expect(incompleteText(r)).toMatch(/^Incomplete total — the count is a lower bound because:\n- the forward pass stopped: Linear expects 7 input features, gets 7200/);
  });

  it('one lens per model: not again above `model = Net()`', () => {
    const c = (expr: string, kind: ModelCandidate['kind'], line: number) => ({ candidate: { expr, kind, name: expr, loc: { file: '/ws/m.py', line, col: 0, endLine: line, endCol: 3 } } });
    const models = [c('Net()', 'class', 4), c('Net()', 'assignment', 14), c('Net(width=2)', 'assignment', 15)];
    expect(onePerModel(models).map((m) => [m.candidate.expr, m.candidate.kind])).toEqual([['Net()', 'class'], ['Net(width=2)', 'assignment']]);
  });
});

describe('diagnostics where the user can act (issue 10 items 1, 6)', () => {
  const loc = (file: string, line: number) => ({ file, line, col: 0, endLine: line, endCol: 1 });
  const d = (severity: Diagnostic['severity'], code: string, file: string, line: number, message = code): Diagnostic => ({ severity, code, message, loc: loc(file, line) });
  const complete = { report: { totals: { incomplete: undefined }, output: [1, 10] } as unknown as Report };
  const incomplete = { report: { totals: { incomplete: ['x unknown'] }, output: null } as unknown as Report };

  it('one syntax error per file', () => {
    const ds = [d('error', 'syntax', '/ws/m.py', 3, "'(' was never closed"), d('error', 'syntax', '/ws/m.py', 9, 'invalid syntax'), d('error', 'syntax', '/ws/lib.py', 1)];
    expect(firstSyntaxErrors(ds).map((x) => [x.loc!.file, x.loc!.line])).toEqual([['/ws/m.py', 3], ['/ws/lib.py', 1]]);
  });

  it("a note inside an imported file is dropped when it changed no number (torchvision's _log_api_usage_once)", () => {
    const note = d('info', 'unknown', '/ws/torchvision/utils.py', 40, 'torch._C is not modelled');
    const own = d('info', 'unknown', '/ws/m.py', 5);
    const warn = d('warning', 'import', '/ws/torchvision/utils.py', 2);
    expect(relevant([note, own, warn], complete, '/ws/m.py')).toEqual([own, warn]);
    expect(relevant([note, own, warn], incomplete, '/ws/m.py')).toEqual([note, own, warn]);
  });
});

describe('hover wording helpers (issue 10 items 2, 8)', () => {
  it('the callee as written, a chained method by its own name', () => {
    expect(calleeOf('torch.flatten(x, 2)')).toBe('torch.flatten');
    expect(calleeOf('torch.flatten(x, 2).transpose(1, 2)')).toBe('.transpose');
    expect(calleeOf('x.view(x.size(0), -1)')).toBe('x.view');
    expect(calleeOf('conv3x3(in_planes, planes,\n        stride)')).toBe('conv3x3');
  });

  it("a reshape's arithmetic: merged and split dims", () => {
    expect(reshapeArithmetic([8, 64, 8, 8], [8, 4096])).toBe('(4096 = 64·8·8)');
    expect(reshapeArithmetic([8, 6144], [8, 256, 24])).toBe('(6144 = 256·24)');
    expect(reshapeArithmetic([2, 3, 4], [6, 4])).toBe('(6 = 2·3)');
    expect(reshapeArithmetic([8, 10], [8, 10])).toBeUndefined();
    expect(reshapeArithmetic([8, null, 4], [8, 16])).toBeUndefined();
    expect(reshapeArithmetic([8, 6, 4], [8, 4, 6])).toBe('(6·4 = 4·6)');
  });
});

describe('an imported file opened in the editor (issue 10 item 6)', () => {
  it('is described by its importer, not by a guess with the default input', async () => {
    vscode.settings.set('layerlens.debounceMs', 0);
    const W = realpathSync(join(__dirname, '..', 'integration', 'workspace'));
    // the integration workspace itself: imports are read only where real paths stay inside the workspace
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(W), name: 'workspace', index: 0 }];
    vscode.putFile(`${W}/netlib/noisy.py`, readFileSync(join(W, 'netlib/noisy.py'), 'utf8'));
    vscode.putFile(`${W}/netlib/__init__.py`, '');
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), createRunner(undefined));
    const diags = new DiagnosticsPublisher(service);
    const main = vscode.openDocument(vscode.Uri.file(`${W}/noisy_import.py`), readFileSync(join(W, 'noisy_import.py'), 'utf8')) as unknown as code.TextDocument;
    await service.active(main);
    const lib = vscode.openDocument(vscode.Uri.file(`${W}/netlib/noisy.py`), readFileSync(join(W, 'netlib/noisy.py'), 'utf8')) as unknown as code.TextDocument;
    await service.active(lib);
    await new Promise((r) => setTimeout(r, 20));
    expect(service.latest(lib.uri)?.inputSource).toBe('setting'); // Head() alone would get 1×3×224×224
    expect(diags.publishedOn(lib.uri).map((p) => p.diagnostic.message)).toEqual([]);
    expect(diags.publishedOn(main.uri).map((p) => p.diagnostic.message)).toEqual([]);
    const hover = await new LayerHoverProvider(service).provideHover(lib, lib.positionAt(lib.getText().indexOf('nn.Linear(16') + 4), vscode.CancellationTokenNone as never);
    expect((hover?.contents as unknown as { value: string }).value).toContain('input `[2, 16]` → output `[2, 4]`');
    vscode.workspace.workspaceFolders = undefined;
    diags.dispose();
    service.dispose();
  });
});

describe('a layer built through a variable holding its class (issue 10 item 3)', () => {
  it('`self.bn1 = norm_layer(planes)` hovers as the BatchNorm2d built there', async () => {
    vscode.settings.set('layerlens.debounceMs', 0);
    const src = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, planes=8, norm_layer=None):
        super().__init__()
        if norm_layer is None:
            norm_layer = nn.BatchNorm2d
        self.conv = nn.Conv2d(3, planes, 3, padding=1, bias=False)
        self.bn1 = norm_layer(planes)

    def forward(self, x):
        return self.bn1(self.conv(x))


model = Block()
y = model(torch.randn(2, 3, 16, 16))
`;
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), createRunner(undefined));
    const doc = vscode.openDocument(vscode.Uri.file('/ws/norm_layer.py'), src) as unknown as code.TextDocument;
    await service.active(doc);
    const hover = await new LayerHoverProvider(service).provideHover(doc, doc.positionAt(src.indexOf('norm_layer(planes)') + 3), vscode.CancellationTokenNone as never);
    const md = (hover?.contents as unknown as { value: string }).value;
    expect(md).toMatch(/^\*\*BatchNorm2d\*\* `bn1`/);
    expect(md).toContain('input `[2, 8, 16, 16]` → output `[2, 8, 16, 16]`');
    expect(md).toContain('params = 2·8 = 16');
    service.dispose();
  });
});
