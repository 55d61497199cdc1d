// The editor's providers (hover, inlay hints, CodeLens, diagnostics, status bar text) over the fake
// `vscode` module with the real AnalysisService and an inline runner, on test/integration/workspace/
// editor_cases.py: shapes and parameter counts compared with PyTorch's (test/fixtures/editor/
// editor_cases.json, scripts/gen_editor_expected.py), and what a half-typed line must not change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as code from 'vscode';

vi.mock('vscode', () => import('./support/fakeVscode'));

import * as vscode from './support/fakeVscode';
import { createRunner } from '../../extension/analysis/runner';
import { AnalysisService } from '../../extension/analysis/service';
import { ModelChoices } from '../../extension/analysis/modelChoices';
import { LayerHoverProvider } from '../../extension/providers/hover';
import { ShapeInlayHintsProvider } from '../../extension/providers/inlayHints';
import { ModelCodeLensProvider } from '../../extension/providers/codeLens';
import { DiagnosticsPublisher } from '../../extension/providers/diagnostics';

const ROOT = join(__dirname, '..', '..');
const SRC = readFileSync(join(ROOT, 'test/integration/workspace/editor_cases.py'), 'utf8');
const REF = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/editor/editor_cases.json'), 'utf8')) as {
  calls: Record<string, Array<{ input: number[]; output: number[] }>>; params: Record<string, number>; output: number[];
};
const fmt = (n: number) => n.toLocaleString('en-US');
const shape = (s: number[]) => `[${s.join(', ')}]`;

function setup(text = SRC) {
  const log: string[] = [];
  const service = new AnalysisService(new ModelChoices(vscode.memento() as never), createRunner(undefined), undefined, { info: (m) => void log.push(m) });
  const doc = vscode.openDocument(vscode.Uri.file(`/ws/editor_${Math.random().toString(36).slice(2)}.py`), text) as unknown as code.TextDocument;
  const hover = new LayerHoverProvider(service);
  const inlay = new ShapeInlayHintsProvider(service);
  const lenses = new ModelCodeLensProvider(service);
  const diags = new DiagnosticsPublisher(service);
  const token = vscode.CancellationTokenNone as unknown as code.CancellationToken;
  const at = (needle: string, offset = 0, after?: string) => {
    const t = doc.getText();
    const i = t.indexOf(needle, after ? t.indexOf(after) : 0);
    expect(i, needle).toBeGreaterThanOrEqual(0);
    return doc.positionAt(i + offset);
  };
  const hoverText = async (needle: string, offset = 0, after?: string) => {
    const h = await hover.provideHover(doc, at(needle, offset, after), token);
    return h ? (h.contents as unknown as { value: string }).value : '';
  };
  const hints = async () => (await inlay.provideInlayHints(doc, new vscode.Range(0, 0, doc.lineCount, 0) as never, token))
    .map((h) => ({ line: h.position.line, label: h.label as string, tooltip: (h.tooltip as unknown as { value: string }).value }));
  const lens = async (line: number) => {
    const all = await lenses.provideCodeLenses(doc, token);
    const l = all.find((x) => x.range.start.line === line && !x.command);
    return l ? (await lenses.resolveCodeLens(l)).command! : undefined;
  };
  const published = () => diags.publishedOn(doc.uri).map((p) => ({ message: p.diagnostic.message, line: p.diagnostic.range.start.line, col: p.diagnostic.range.start.character, code: p.diagnostic.code }));
  return { service, doc, at, hoverText, hints, lens, lenses, published, log, dispose: () => { diags.dispose(); service.dispose(); } };
}

const lineOf = (doc: code.TextDocument, needle: string) => doc.getText().split('\n').findIndex((l) => l.includes(needle));

describe('hovers on every call in forward (issue 10 item 2)', () => {
  beforeEach(() => vscode.settings.set('layerlens.debounceMs', 0));

  it('a container call shows its aggregate, not its first child', async () => {
    const t = setup();
    const md = await t.hoverText('self.features(x)', 6);
    expect(md).toContain('**Sequential** `features`');
    expect(md).toContain(`input \`${shape(REF.calls.features[0].input)}\` → output \`${shape(REF.calls.features[0].output)}\``);
    expect(md).toContain(`params **${fmt(REF.params.features)}** (over its children)`);
    expect(md).toContain('expands to 5 rows: Conv2d ×2, ReLU ×2, MaxPool2d');
    expect(md).not.toMatch(/instances/);
    t.dispose();
  });

  it('a custom block call in forward lists each instance with its own shapes and params', async () => {
    const t = setup();
    const md = await t.hoverText('self.shortcut(x)', 6);
    expect(md).toContain('**2 calls** here, one per instance');
    expect(md).toContain(`| \`layer1.0.shortcut\` | ${shape(REF.calls['layer1.0.shortcut'][0].input)} | ${shape(REF.calls['layer1.0.shortcut'][0].output)} | 0 | 0 |`);
    expect(md).toContain(`| \`layer1.1.shortcut\` | ${shape(REF.calls['layer1.1.shortcut'][0].input)} | ${shape(REF.calls['layer1.1.shortcut'][0].output)} | ${fmt(REF.params['layer1.1.shortcut'])} |`);
    const layer1 = await t.hoverText('self.layer1(x)', 6);
    expect(layer1).toContain(`params **${fmt(REF.params.layer1)}** (over its children)`);
    expect(layer1).toContain(`→ output \`${shape(REF.calls.layer1[0].output)}\``);
    t.dispose();
  });

  it('the word under the cursor: relu in F.relu(self.bn1(...)) is the relu, not the BatchNorm', async () => {
    const t = setup();
    const md = await t.hoverText('F.relu(self.bn1', 3);
    expect(md).toMatch(/^\*\*F\.relu\*\*/);
    expect(md).toContain('**called 2 times**');
    expect(md).not.toContain('BatchNorm');
    expect(await t.hoverText('self.bn1(self.conv1', 6)).toMatch(/^\*\*BatchNorm2d\*\* `layer1\.0\.bn1`/);
    t.dispose();
  });

  it('functional ops and tensor methods: shapes, and a reshape\'s arithmetic', async () => {
    const t = setup();
    const pool = await t.hoverText('F.avg_pool2d', 4);
    expect(pool).toContain('**F.avg_pool2d**');
    expect(pool).toContain(`input \`${shape(REF.calls['layer1'][0].output)}\` → output \`[8, 24, 4, 4]\``);
    const view = await t.hoverText('x.view(x.size(0), -1)', 3);
    expect(view).toContain('**x.view**');
    expect(view).toContain('`[8, 24, 4, 4] → [8, 384]` (384 = 24·4·4)');
    expect(REF.calls.fc[0].input).toEqual([8, 384]);
    const flat = await t.hoverText('torch.flatten(x, 2)', 8);
    expect(flat).toContain('`[8, 24, 4, 4] → [8, 24, 16]` (16 = 4·4)');
    t.dispose();
  });

  it('nn.MultiheadAttention shows its totals; the model class and `model = X()` the model totals', async () => {
    const t = setup();
    const attn = await t.hoverText('self.attn(t, t, t)', 6);
    expect(attn).toContain('**MultiheadAttention** `attn`');
    expect(attn).toContain(`params **${fmt(REF.params.attn)}**`);
    expect(attn).toContain(`→ output \`${shape(REF.calls.attn[0].output)}\``);
    // 3 input projections, Q·Kᵀ and A·V over 4 heads of 6, the output projection: 8·16·24·24·4 + 2·8·4·16·16·6
    expect(attn).toContain(`**MACs ${fmt(8 * 16 * 24 * 24 * 4 + 2 * 8 * 4 * 16 * 16 * 6)}**`);
    for (const [needle, offset] of [['class EditorNet', 7], ['model = EditorNet()', 2]] as const) {
      const md = await t.hoverText(needle, offset);
      expect(md, needle).toContain('**EditorNet()** — model');
      expect(md).toContain(`params **${fmt(REF.params['(model)'])}**`);
      expect(md).toContain(`→ output \`${shape(REF.output)}\``);
      expect(md).toContain('from the example tensor');
    }
    t.dispose();
  });
});

describe('hovers on constructions through helpers (issue 10 item 3)', () => {
  beforeEach(() => vscode.settings.set('layerlens.debounceMs', 0));

  it('conv3x3(...) shows the Conv2d built there, every instance', async () => {
    const t = setup();
    const md = await t.hoverText('conv3x3(in_planes, planes, stride)', 2);
    expect(md).toMatch(/^\*\*Conv2d\*\* `layer1\.0\.conv1`/);
    expect(md).toContain('**2 instances**');
    expect(md).toContain('| `layer1.1.conv1` | [8, 16, 16, 16] | [8, 24, 8, 8] |');
    const lhs = await t.hoverText('self.conv2 = conv3x3', 6);
    expect(lhs).toMatch(/^\*\*Conv2d\*\* `layer1\.0\.conv2`/);
    t.dispose();
  });

  it('make_layers(cfg) shows the Sequential and every layer built there', async () => {
    const t = setup();
    const md = await t.hoverText('make_layers([16', 2);
    expect(md).toContain('builds Sequential `features`');
    expect(md).toContain('5 layers (Conv2d ×2, ReLU ×2, MaxPool2d)');
    expect(md).toContain('| `features.3` | Conv2d | [8, 16, 16, 16] | [8, 16, 16, 16] |');
    t.dispose();
  });
});

describe('inlay hints (issue 10 item 4)', () => {
  beforeEach(() => vscode.settings.set('layerlens.debounceMs', 0));

  it('one per statement at the outermost call, the right call\'s shapes, norms and activations hidden', async () => {
    const t = setup();
    const hints = await t.hints();
    const on = (needle: string) => hints.filter((h) => h.line === lineOf(t.doc, needle)).map((h) => h.label);
    expect(on('out = F.relu(self.bn1(self.conv1(x)))')).toEqual(['→ ×2 calls: [8, 16, 16, 16] … [8, 24, 8, 8]']);
    expect(on('out = out + self.shortcut(x)')).toEqual(['→ ×2 calls: [8, 16, 16, 16] … [8, 24, 8, 8]']);
    expect(on('x = self.layer1(x)')).toEqual([`→ ${shape(REF.calls.layer1[0].output)}`]);
    expect(on('x = x.view(x.size(0), -1)')).toEqual(['→ [8, 384]']);
    expect(on('return F.relu(out)')).toEqual([]); // an activation: hidden by default
    const relu = hints.find((h) => h.line === lineOf(t.doc, 'out = F.relu(self.bn1'))!;
    expect(relu.tooltip).toContain('each of the 2 calls');
    expect(relu.tooltip).toContain('`layer1.1`');
    vscode.settings.set('layerlens.inlayHints.shapePreserving', true);
    expect((await t.hints()).filter((h) => h.line === lineOf(t.doc, 'return F.relu(out)')).map((h) => h.label)).toEqual(['→ ×2 calls: [8, 16, 16, 16] … [8, 24, 8, 8]']);
    vscode.settings.delete('layerlens.inlayHints.shapePreserving');
    t.dispose();
  });

  it('a label never exceeds editor.inlayHints.maximumLength and never cuts a shape', async () => {
    const t = setup();
    vscode.settings.set('editor.inlayHints.maximumLength', 36);
    const labels = (await t.hints()).map((h) => h.label);
    vscode.settings.delete('editor.inlayHints.maximumLength');
    expect(labels.every((l) => l.length <= 36)).toBe(true);
    expect(labels).toContain('→ ×2 calls: [8, 16, …] … [8, 24, …]');
    expect(labels.every((l) => !/\d…|, \d+$/.test(l))).toBe(true);
    t.dispose();
  });
});

describe('typing never changes what is right (issue 10 item 1)', () => {
  const HALF = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(6 * 12 * 12, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = torch.flatten(x, 1)
        return self.fc1(x)


model = Net()
out = model(torch.randn(32, 1, 28, 28))
`;
  beforeEach(() => vscode.settings.set('layerlens.debounceMs', 0));

  it('a half-typed line in forward keeps the model input, the last good numbers (stale) and no new errors', async () => {
    const t = setup(HALF);
    await t.service.active(t.doc);
    const classLine = lineOf(t.doc, 'class Net');
    const good = await t.lens(classLine);
    // params 1·6·5·5 + 6 + 864·10 + 10 = 8,806; MACs 32·6·24·24·25 + 32·864·10 = 3,041,280
    expect(good?.title).toBe('8.81 K params · 3.04 MMACs · out [32, 10]');
    expect(t.published()).toEqual([]);
    const l = lineOf(t.doc, 'x = torch.flatten(x, 1)');
    const typed = '\n        x = torch.cat([x, self.fc1(';
    vscode.editDocument(t.doc as unknown as vscode.TextDocument, new vscode.Range(l, t.doc.lineAt(l).text.length, l, t.doc.lineAt(l).text.length), typed);
    await new Promise((r) => setTimeout(r, 30));
    await t.service.active(t.doc);
    await new Promise((r) => setTimeout(r, 30));
    // the input still comes from the example tensor below the unclosed bracket
    expect(t.service.resolveInput(t.doc, 'Net()')).toEqual({ input: [[32, 1, 28, 28]], source: 'example' });
    expect(t.service.latest(t.doc.uri)?.input).toEqual([[32, 1, 28, 28]]);
    // one syntax error, at the bracket; nothing on the correct lines
    const ds = t.published();
    expect(ds).toEqual([{ message: "'(' was never closed", line: l + 1, col: t.doc.lineAt(l + 1).text.lastIndexOf('('), code: 'syntax' }]);
    // the CodeLens keeps the last good numbers, marked stale; the hover on an unchanged line too
    const stale = await t.lens(classLine);
    expect(stale?.title).toBe(`8.81 K params · 3.04 MMACs · out [32, 10] · stale (syntax error, line ${l + 2})`);
    expect(stale?.tooltip).toContain('last version that parsed');
    expect(await t.hoverText('self.fc1(x)', 6)).toContain('input `[32, 864]` → output `[32, 10]`');
    expect((await t.lenses.provideCodeLenses(t.doc, vscode.CancellationTokenNone as never)).length).toBe(2); // one model: its lens and Inspect
    // back to the correct text: fresh numbers, no error, not stale
    vscode.editDocument(t.doc as unknown as vscode.TextDocument, new vscode.Range(l, t.doc.lineAt(l).text.length, l + 1, t.doc.lineAt(l + 1).text.length), '');
    await new Promise((r) => setTimeout(r, 30));
    await t.service.active(t.doc);
    await new Promise((r) => setTimeout(r, 30));
    expect(t.published()).toEqual([]);
    expect((await t.lens(classLine))?.title).toBe('8.81 K params · 3.04 MMACs · out [32, 10]');
    t.dispose();
  });

  it('logs each analysis to the output channel: file, model, input, time, files read, diagnostics', async () => {
    const t = setup(HALF);
    await t.service.active(t.doc);
    expect(t.log.at(-1)).toMatch(new RegExp(`^${t.doc.uri.path.replace(/[.]/g, '\\.')} · model Net\\(\\) · input \\[32, 1, 28, 28\\] \\(example\\) · \\d+ ms · 1 files read · 0 diagnostics$`));
    t.dispose();
  });
});
