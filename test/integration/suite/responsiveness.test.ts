/// <reference types="mocha" />
// While a file is being typed (and is briefly invalid), the last good results stay on unchanged lines,
// and the new results arrive after the debounce (on a scratch copy of simple_cnn.py).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, inlayLabels, positionOf, scratchCopy, waitFor } from './helpers';

suite('typing', () => {
  let uri: vscode.Uri;

  suiteSetup(async () => {
    await activateExtension();
    uri = await scratchCopy('simple_cnn.py', 'scratch_typing.py');
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('a half-typed line keeps the last good hints on the other lines', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const convLine = positionOf(doc, 'x = self.conv1(x)').line;
    await waitFor(async () => (await inlayLabels(doc)).some((h) => h.line === convLine), 20000, 'first hints');

    // Insert a broken line above forward's body: lines below shift by one, the file does not parse.
    const at = positionOf(doc, '        x = self.conv1(x)');
    await editor.edit((e) => e.insert(at, '        y = self.conv1(\n'));
    const during = await inlayLabels(doc);
    console.log('HINTS WHILE TYPING:', JSON.stringify(during));
    assert.ok(during.some((h) => h.line === convLine + 1 && h.label === '→ [1, 64, 112, 112]'), 'conv1 hint moved with its line');
    assert.ok(!during.some((h) => h.line === convLine), 'no hint on the half-typed line');

    // Finish the line: after the debounce the new call gets its own hint.
    await editor.edit((e) => e.insert(new vscode.Position(convLine, '        y = self.conv1('.length), 'x)'));
    await waitFor(async () => (await inlayLabels(doc)).filter((h) => h.label === '→ [1, 64, 112, 112]' && (h.line === convLine || h.line === convLine + 1)).length === 2,
      20000, 'hints for both calls after the debounce');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
