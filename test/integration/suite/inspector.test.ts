/// <reference types="mocha" />
// The Inspector in a real VS Code: opened from the command and from the CodeLens, the message round trip
// (the webview analyses the sources the host sent and reports the rows it rendered), a row selected in the
// panel reveals its line, the editor's cursor selects the row. Restore after a reload: test/integration/uiInspector.js.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { writeSafetensors } from '../../../engine/io/safetensors';
import { activateExtension, closeAllEditors, codeLensTitles, LayerLensApi, openWorkspaceFile, positionOf, waitFor, workspaceUri } from './helpers';

interface Status { view: string; rows: number; selectedRow: number | null; selectedName: string | null; analysed: boolean; ran: boolean; busy: boolean; error: string | null; rendered: string[] }
interface PanelInfo { uri: string; expr: string; visible: boolean; active: boolean; status?: Status }
type InspectorApi = LayerLensApi & {
  inspectors(): PanelInfo[];
  inspectorPost(uri: string, expr: string, msg: unknown): boolean;
};

async function panel(api: InspectorApi, expr: string, ok: (p: PanelInfo) => boolean, what: string): Promise<PanelInfo> {
  return waitFor(() => api.inspectors().find((p) => p.expr === expr && ok(p)), 45000, what);
}

suite('Inspector', () => {
  let api: InspectorApi;

  suiteSetup(async () => {
    api = (await activateExtension()) as InspectorApi;
  });

  suiteTeardown(async () => {
    await closeAllEditors();
  });

  test('Open Inspector: the webview analyses the model and reports its rendered rows', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const expr = await vscode.commands.executeCommand<string>('layerlens.openInspector');
    assert.strictEqual(expr, 'StemNet()');
    const p = await panel(api, 'StemNet()', (x) => (x.status?.rows ?? 0) > 0 && !!x.status?.rendered.includes('graph'), 'the Inspector to render rows');
    console.log('INSPECTOR STATUS:', JSON.stringify(p.status));
    assert.strictEqual(p.uri, doc.uri.toString());
    // StemNet: conv1, bn1, act, pool, head.0, head.1, head.2
    assert.strictEqual(p.status!.rows, 7);
    assert.strictEqual(p.status!.error, null);
    assert.deepStrictEqual(api.inspectors().filter((x) => x.expr === 'StemNet()').length, 1, 'one panel per model');
    // opening again shows the same panel
    await vscode.commands.executeCommand('layerlens.openInspector', doc.uri, 'StemNet()');
    assert.strictEqual(api.inspectors().filter((x) => x.expr === 'StemNet()').length, 1);
  });

  test('the CodeLens Inspect action opens the Inspector on that model', async () => {
    const doc = await openWorkspaceFile('tiny_resnet.py');
    const line = positionOf(doc, 'class TinyResNet').line;
    const lens = await waitFor(async () => (await codeLensTitles(doc)).find((l) => l.line === line && l.title === 'Inspect'), 20000, 'the Inspect lens');
    assert.strictEqual(lens.command, 'layerlens.openInspector');
    await vscode.commands.executeCommand(lens.command, ...lens.args);
    const p = await panel(api, 'TinyResNet()', (x) => (x.status?.rows ?? 0) > 0, 'the TinyResNet Inspector');
    assert.ok(p.status!.rows >= 20, `TinyResNet has ${p.status!.rows} rows`);
  });

  test('selecting a row in the Inspector reveals its call in the editor', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    await vscode.commands.executeCommand('layerlens.openInspector', doc.uri, 'StemNet()');
    await panel(api, 'StemNet()', (x) => (x.status?.rows ?? 0) > 0, 'rows');
    const want = positionOf(doc, 'self.bn1(x)');
    assert.ok(api.inspectorPost(doc.uri.toString(), 'StemNet()', { type: 'select', rowIndex: 1 }));
    await panel(api, 'StemNet()', (x) => x.status?.selectedName === 'bn1', 'bn1 selected');
    const ed = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString() && e.selection.active.line === want.line), 15000, 'the editor at self.bn1(x)');
    assert.strictEqual(ed.selection.active.character, want.character);
  });

  test('moving the cursor in the editor selects the row there', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    await vscode.commands.executeCommand('layerlens.openInspector', doc.uri, 'StemNet()');
    await panel(api, 'StemNet()', (x) => (x.status?.rows ?? 0) > 0, 'rows');
    const ed = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    const at = positionOf(doc, 'self.pool(x)');
    ed.selection = new vscode.Selection(at, at);
    await panel(api, 'StemNet()', (x) => x.status?.selectedName === 'pool', 'pool selected from the cursor');
    const at2 = positionOf(doc, 'nn.Sigmoid()');
    ed.selection = new vscode.Selection(at2, at2);
    await panel(api, 'StemNet()', (x) => x.status?.selectedName === 'act', 'act selected from its constructor line');
  });

  test('Copy Summary as Markdown with the Inspector in front copies its model', async () => {
    const doc = await openWorkspaceFile('tiny_resnet.py');
    await vscode.commands.executeCommand('layerlens.openInspector', doc.uri, 'TinyResNet()');
    await panel(api, 'TinyResNet()', (x) => x.active && (x.status?.rows ?? 0) > 0, 'the TinyResNet Inspector in front');
    const md = await vscode.commands.executeCommand<string>('layerlens.copySummaryAsMarkdown');
    assert.match(md, /\*\*TinyResNet\(\)\*\*/);
    assert.match(md, /\| layer1\.0\.conv1 \| Conv2d \|/);
  });

  test('a weights file next to the model reaches the webview\'s engine; one that does not fit says so in load_state_dict\'s words', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const w = workspaceUri('stem_partial.safetensors');
    await vscode.workspace.fs.writeFile(w, writeSafetensors({ 'conv1.weight': { shape: [64, 3, 7, 7], data: new Float32Array(64 * 3 * 49) } }));
    try {
      await vscode.commands.executeCommand('layerlens.openInspector', doc.uri, 'StemNet()');
      await panel(api, 'StemNet()', (x) => !!x.status && x.status.rows > 0 && !x.status.busy, 'rows');
      // as choosing it in the Weights list does (the host reads the bytes, the worker loads them)
      api.inspectorPost(doc.uri.toString(), 'StemNet()', { type: 'settings', settings: { weights: { kind: 'file', path: w.path, name: 'stem_partial.safetensors' } } });
      const p = await panel(api, 'StemNet()', (x) => !!x.status && !x.status.busy && !!x.status.error, 'the load error');
      assert.match(p.status!.error!, /^Error\(s\) in loading state_dict for StemNet:\n\tMissing key\(s\) in state_dict: "conv1\.bias"/);
    } finally {
      await vscode.workspace.fs.delete(w);
      api.inspectorPost(doc.uri.toString(), 'StemNet()', { type: 'settings', settings: { weights: { kind: 'init' } } });
    }
  });

  test('the Inspector runs the model in its worker (forward + backward) and draws the feature maps', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    await vscode.commands.executeCommand('layerlens.openInspector', doc.uri, 'StemNet()', 'featureMaps');
    // StemNet at 1x3x224x224 is 0.12 GMACs: it runs as soon as it is analysed
    const p = await panel(api, 'StemNet()', (x) => !!x.status?.ran && x.status.view === 'featureMaps' && x.status.rendered.includes('featureMaps'), 'a run with feature maps');
    assert.strictEqual(p.status!.view, 'featureMaps');
    assert.strictEqual(p.status!.error, null);
  });
});
