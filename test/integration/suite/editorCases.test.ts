/// <reference types="mocha" />
// Issue 10 in a real VS Code: hovers on every call of forward and on constructions through helpers, inlay
// hints (one per statement, ×N calls, never cut), the status bar (input source, plain accessibility
// label), a half-typed line and back (diagnostics, stale CodeLens), diagnostics only where one can act,
// and the LayerLens output channel. Numbers are PyTorch's (test/fixtures/editor/editor_cases.json).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverText, inlayLabels, type LayerLensApi, modelLensTitle, openWorkspaceFile, positionOf, scratchCopy, waitFor, workspaceUri } from './helpers';

const errorsOf = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'LayerLens');

suite('issue 10: hovers, hints and the status bar on editor_cases.py', () => {
  let api: LayerLensApi;
  suiteSetup(async () => {
    api = await activateExtension();
  });
  suiteTeardown(closeAllEditors);

  test('hover on every call in forward: container, block, op, method, attention, model', async () => {
    const doc = await openWorkspaceFile('editor_cases.py');
    const features = await waitFor(async () => { const t = await hoverText(doc, positionOf(doc, 'self.features(x)', 6)); return t.includes('LayerLens') ? t : undefined; }, 20000, 'features hover');
    console.log('FEATURES HOVER:', JSON.stringify(features));
    // PyTorch: features [8, 3, 32, 32] → [8, 16, 16, 16], 2,768 params
    assert.ok(features.includes('**Sequential** `features`'), features);
    assert.ok(features.includes('input `[8, 3, 32, 32]` → output `[8, 16, 16, 16]`'), features);
    assert.ok(features.includes('params **2,768** (over its children)'), features);
    assert.ok(!/instances/.test(features), 'not its first child with "instances"');
    const shortcut = await hoverText(doc, positionOf(doc, 'self.shortcut(x)', 6));
    assert.ok(shortcut.includes('| `layer1.1.shortcut` | [8, 16, 16, 16] | [8, 24, 8, 8] | 432 |'), shortcut);
    const relu = await hoverText(doc, positionOf(doc, 'F.relu(self.bn1', 3));
    assert.ok(relu.startsWith('**F.relu**') && !relu.includes('BatchNorm'), relu);
    const pool = await hoverText(doc, positionOf(doc, 'F.avg_pool2d', 4));
    assert.ok(pool.includes('input `[8, 24, 8, 8]` → output `[8, 24, 4, 4]`'), pool);
    const view = await hoverText(doc, positionOf(doc, 'x.view(x.size(0), -1)', 3));
    console.log('VIEW HOVER:', JSON.stringify(view));
    assert.ok(view.includes('`[8, 24, 4, 4] → [8, 384]` (384 = 24·4·4)'), view);
    const flatten = await hoverText(doc, positionOf(doc, 'torch.flatten(x, 2)', 8));
    assert.ok(flatten.includes('(16 = 4·4)'), flatten);
    const attn = await hoverText(doc, positionOf(doc, 'self.attn(t, t, t)', 6));
    assert.ok(attn.includes('**MultiheadAttention** `attn`') && attn.includes('params **2,400**'), attn);
    for (const [needle, at] of [['class EditorNet', 7], ['model = EditorNet()', 2]] as const) {
      const m = await hoverText(doc, positionOf(doc, needle, at));
      assert.ok(m.includes('**EditorNet()** — model') && m.includes('params **22,858**') && m.includes('→ output `[8, 10]`'), `${needle}: ${m}`);
    }
  });

  test('hover on constructions through helpers: conv3x3(...) and make_layers(cfg)', async () => {
    const doc = await openWorkspaceFile('editor_cases.py');
    const conv = await hoverText(doc, positionOf(doc, 'conv3x3(in_planes, planes, stride)', 2));
    console.log('CONV3X3 HOVER:', JSON.stringify(conv));
    assert.ok(conv.startsWith('**Conv2d** `layer1.0.conv1`') && conv.includes('**2 instances**'), conv);
    assert.ok(conv.includes('| `layer1.1.conv1` | [8, 16, 16, 16] | [8, 24, 8, 8] |'), conv);
    const layers = await hoverText(doc, positionOf(doc, 'make_layers([16', 2));
    assert.ok(layers.includes('builds Sequential `features`') && layers.includes('5 layers (Conv2d ×2, ReLU ×2, MaxPool2d)'), layers);
  });

  test('inlay hints: one per statement, ×N calls with a tooltip, activations hidden, never cut', async () => {
    const doc = await openWorkspaceFile('editor_cases.py');
    const hints = await inlayLabels(doc);
    console.log('EDITOR INLAY:', JSON.stringify(hints));
    const on = (needle: string) => hints.filter((h) => h.line === positionOf(doc, needle).line).map((h) => h.label);
    assert.deepStrictEqual(on('out = F.relu(self.bn1(self.conv1(x)))'), ['→ ×2 calls: [8, 16, 16, 16] … [8, 24, 8, 8]']);
    assert.deepStrictEqual(on('x = self.layer1(x)'), ['→ [8, 24, 8, 8]']);
    assert.deepStrictEqual(on('x = x.view(x.size(0), -1)'), ['→ [8, 384]']);
    assert.deepStrictEqual(on('return F.relu(out)'), []);
    const max = vscode.workspace.getConfiguration('editor.inlayHints').get<number>('maximumLength', 43);
    assert.ok(hints.every((h) => max === 0 || h.label.length <= max), `labels within ${max}`);
    const full = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
    const relu = full.find((h) => h.position.line === positionOf(doc, 'out = F.relu(self.bn1').line)!;
    const tip = typeof relu.tooltip === 'string' ? relu.tooltip : relu.tooltip?.value ?? '';
    assert.ok(tip.includes('each of the 2 calls') && tip.includes('`layer1.1`'), tip);
  });

  test('status bar: where the input comes from, a plain-text accessibility label', async () => {
    await openWorkspaceFile('editor_cases.py');
    const s = await waitFor(() => { const x = api.statusBar(); return x.text.includes('EditorNet()') && x.tooltip.includes('params') ? x : undefined; }, 20000, 'status bar');
    console.log('STATUS:', JSON.stringify(s));
    assert.strictEqual(s.text, '$(layers) EditorNet() · 8×3×32×32 (example)');
    assert.ok(s.tooltip.includes('from the example tensor'), s.tooltip);
    assert.ok(s.accessibilityLabel.startsWith('LayerLens model EditorNet(), input 8 by 3 by 32 by 32, example.'), s.accessibilityLabel);
    assert.ok(!/\$\(|\*\*|`|·|≥|\[/.test(s.accessibilityLabel), s.accessibilityLabel);
    const log = api.logLines().find((l) => l.includes('editor_cases.py · model EditorNet()'));
    assert.ok(log && /input \[8, 3, 32, 32\] \(example\) · \d+ ms · 1 files read · \d+ diagnostics/.test(log), `output channel line: ${log}`);
  });

  test('Set Input Shape wins over the example tensor and resets with an empty shape', async () => {
    const doc = await openWorkspaceFile('editor_cases.py');
    await vscode.commands.executeCommand('layerlens.setInputShape', '2, 3, 32, 32', doc.uri, 'EditorNet()');
    await waitFor(() => api.statusBar().text === '$(layers) EditorNet() · 2×3×32×32 (your choice)', 20000, 'status bar with the choice');
    const line = positionOf(doc, 'class EditorNet').line;
    await waitFor(async () => (await modelLensTitle(doc, line))?.endsWith('out [2, 10]'), 20000, 'CodeLens with the chosen batch');
    await vscode.commands.executeCommand('layerlens.setInputShape', '', doc.uri, 'EditorNet()');
    await waitFor(() => api.statusBar().text === '$(layers) EditorNet() · 8×3×32×32 (example)', 20000, 'status bar after reset');
  });
});

suite('issue 10: typing a half line and back', () => {
  let uri: vscode.Uri;
  suiteSetup(async () => {
    await activateExtension();
    uri = await scratchCopy('half_typed.py', 'scratch_half_typed.py');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('no error on correct lines, one syntax error at the bracket, the input and numbers kept (stale)', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const classLine = positionOf(doc, 'class Net').line;
    // params 8,806, MACs 3,041,280 (conv 32·6·24·24·25 + fc 32·864·10)
    const good = '8.81 K params · 3.04 MMACs · out [32, 10]';
    await waitFor(async () => (await modelLensTitle(doc, classLine)) === good, 20000, 'first CodeLens');
    const flat = positionOf(doc, 'x = torch.flatten(x, 1)').line;
    await editor.edit((e) => e.insert(doc.lineAt(flat).range.end, '\n        x = torch.cat([x, self.fc1('));
    const syntax = await waitFor(() => { const ds = errorsOf(uri); return ds.some((d) => d.code === 'syntax') ? ds : undefined; }, 20000, 'the syntax error');
    console.log('HALF-TYPED DIAGNOSTICS:', JSON.stringify(syntax.map((d) => [d.message, d.range.start.line, d.range.start.character])));
    assert.strictEqual(syntax.length, 1, 'one diagnostic, nothing on correct lines');
    assert.strictEqual(syntax[0].range.start.line, flat + 1, 'on the half-typed line, not past the end');
    assert.strictEqual(syntax[0].range.start.character, doc.lineAt(flat + 1).text.lastIndexOf('('), 'at the unclosed bracket');
    const lens = await waitFor(async () => { const t = await modelLensTitle(doc, classLine); return t?.includes('stale') ? t : undefined; }, 20000, 'stale CodeLens');
    assert.strictEqual(lens, `${good} · stale (syntax error, line ${flat + 2})`);
    const hover = await hoverText(doc, positionOf(doc, 'self.fc1(x)', 6));
    assert.ok(hover.includes('input `[32, 864]` → output `[32, 10]`'), hover);
    // and back: the numbers are fresh, nothing is reported
    await editor.edit((e) => e.delete(new vscode.Range(doc.lineAt(flat).range.end, doc.lineAt(flat + 1).range.end)));
    await waitFor(async () => errorsOf(uri).length === 0 && (await modelLensTitle(doc, classLine)) === good, 20000, 'clean again');
    await doc.save();
  });
});

suite('issue 10: diagnostics only where the user can act', () => {
  let api: LayerLensApi;
  suiteSetup(async () => {
    api = await activateExtension();
  });
  suiteTeardown(closeAllEditors);

  test("a library file's note that changes no number is not reported, even when that file is opened", async () => {
    const doc = await openWorkspaceFile('noisy_import.py');
    const line = positionOf(doc, 'class Wrapper').line;
    await waitFor(async () => (await modelLensTitle(doc, line))?.endsWith('out [2, 4]'), 20000, 'the model is analysed');
    const lib = workspaceUri('netlib/noisy.py');
    console.log('OPEN DOCUMENTS:', JSON.stringify(vscode.workspace.textDocuments.map((d) => d.uri.path.split('/').pop())));
    console.log('ANALYSES:', JSON.stringify(api.logLines().slice(-6)));
    assert.deepStrictEqual(errorsOf(lib).map((d) => d.message), []);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(lib), { preview: false, viewColumn: vscode.ViewColumn.Beside });
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(errorsOf(lib).map((d) => d.message), []);
    assert.deepStrictEqual(errorsOf(doc.uri).map((d) => d.message), []);
  });
});
