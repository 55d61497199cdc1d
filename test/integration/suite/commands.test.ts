/// <reference types="mocha" />
// Each command: Show Model Summary as Text (read-only editor) with Copy as Markdown / CSV / JSON, Set Input Shape
// (remembered in workspace state), Select Model; and the status bar that shows the choice.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, LayerLensApi, modelLensTitle, openWorkspaceFile, positionOf, waitFor, workspaceUri } from './helpers';

suite('commands', () => {
  let api: LayerLensApi;

  suiteSetup(async () => {
    api = await activateExtension();
  });

  suiteTeardown(async () => {
    await closeAllEditors();
  });

  test('Show Model Summary as Text opens the table in a read-only editor', async () => {
    await openWorkspaceFile('simple_cnn.py');
    const su = await vscode.commands.executeCommand<vscode.Uri>('layerlens.showSummaryText');
    assert.ok(su, 'returns the summary URI');
    assert.strictEqual(su.scheme, 'layerlens-summary');
    const ed = await waitFor(() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === su.toString()), 10000, 'summary editor');
    const text = ed.document.getText();
    console.log('SUMMARY:\n' + text);
    assert.match(text, /LayerLens summary — StemNet\(\) in simple_cnn\.py/);
    assert.match(text, /conv1/);
    assert.match(text, /Conv2d/);
    assert.match(text, /9,472|9472/);
    // Read-only: typing into the focused summary editor changes nothing.
    await vscode.window.showTextDocument(ed.document, { viewColumn: ed.viewColumn, preserveFocus: false });
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), su.toString());
    await vscode.commands.executeCommand('type', { text: 'typed' });
    assert.strictEqual(ed.document.getText(), text, 'the summary cannot be edited');
  });

  test('Copy as Markdown / CSV / JSON', async () => {
    const su = await vscode.commands.executeCommand<vscode.Uri>('layerlens.showSummaryText', workspaceUri('simple_cnn.py'));
    const md = await vscode.commands.executeCommand<string>('layerlens.copySummaryAsMarkdown', su);
    assert.match(md, /\| Layer \| Type \| Output \| Params \| MACs \|/);
    assert.match(md, /\| conv1 \| Conv2d \| \[1, 64, 112, 112\] \| 9,472 \| 118,013,952 \|/);
    const csv = await vscode.commands.executeCommand<string>('layerlens.copySummaryAsCsv', su);
    assert.strictEqual(csv.split('\n')[0], 'name,type,output,params,trainable_params,macs,flops,output_bytes');
    assert.match(csv, /^conv1,Conv2d,"\[1, 64, 112, 112\]",9472,9472,118013952,/m);
    const json = await vscode.commands.executeCommand<string>('layerlens.copySummaryAsJson', su);
    const parsed = JSON.parse(json);
    assert.strictEqual(parsed.model, 'StemNet()');
    assert.deepStrictEqual(parsed.inputs, [[1, 3, 224, 224]]);
    assert.deepStrictEqual(parsed.layers[0], { name: 'conv1', type: 'Conv2d', output: [1, 64, 112, 112], params: 9472, macs: 118013952 });
    assert.strictEqual(parsed.totals.params, 10250);
    const clip = await vscode.env.clipboard.readText();
    assert.strictEqual(clip, json, 'the last copy is on the clipboard');
  });

  test('Select Model switches the analysed model; the status bar shows it', async () => {
    const doc = await openWorkspaceFile('two_models.py');
    const expr = await vscode.commands.executeCommand<string>('layerlens.selectModel', 'Small()');
    assert.strictEqual(expr, 'Small()');
    const status = await waitFor(() => { const s = api.statusBar(); return s.visible && s.text.includes('Small()') ? s : undefined; }, 10000, 'status bar');
    assert.match(status.text, /Small\(\) · 1×3×224×224/); // defaultInputShape until the user sets one
    await vscode.commands.executeCommand('layerlens.selectModel', 'make_mlp(width=8)');
    await waitFor(() => api.statusBar().text.includes('make_mlp(width=8)'), 10000, 'status bar after select');
    const su = await vscode.commands.executeCommand<vscode.Uri>('layerlens.showSummaryText', doc.uri);
    const md = await vscode.commands.executeCommand<string>('layerlens.copySummaryAsMarkdown', su);
    assert.match(md, /\*\*make_mlp\(width=8\)\*\*/);
  });

  test('Set Input Shape is used and remembered per model', async () => {
    const doc = await openWorkspaceFile('two_models.py');
    await vscode.commands.executeCommand('layerlens.selectModel', 'Small()');
    const shapes = await vscode.commands.executeCommand<number[][]>('layerlens.setInputShape', '4, 20');
    assert.deepStrictEqual(shapes, [[4, 20]]);
    await waitFor(() => api.statusBar().text.includes('Small() · 4×20'), 10000, 'status bar with the new shape');
    const line = positionOf(doc, 'class Small').line;
    const title = await waitFor(async () => { const t = await modelLensTitle(doc, line); return t?.includes('out [4, 5]') ? t : undefined; }, 10000, 'CodeLens with [4, 5]');
    assert.strictEqual(title, '105 params · 400 MACs · out [4, 5]');
    // Another model of the file keeps its own shape; coming back to Small() finds 4×20 again.
    await vscode.commands.executeCommand('layerlens.selectModel', 'make_mlp()');
    await waitFor(() => api.statusBar().text.includes('make_mlp() · 1×3×224×224'), 10000, 'other model uses the default');
    await vscode.commands.executeCommand('layerlens.selectModel', 'Small()');
    await waitFor(() => api.statusBar().text.includes('Small() · 4×20'), 10000, 'remembered shape');
  });
});
