/// <reference types="mocha" />
// A model built from a class imported from another workspace file (netlib/blocks.py): analysed through
// vscode.workspace.fs, hovers in the imported file list the importer's instances, and an edit of the
// imported file refreshes the importer.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverText, modelLensTitle, openWorkspaceFile, positionOf, waitFor } from './helpers';

suite('multi-file import', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  suiteTeardown(async () => {
    await closeAllEditors();
  });

  test('the imported block is analysed', async () => {
    const doc = await openWorkspaceFile('multi_file.py');
    const line = positionOf(doc, 'class TwoBlocks').line;
    const title = await modelLensTitle(doc, line);
    // b1.conv 3·8·9 + 8 = 224, b2.conv 8·12·9 + 12 = 876
    assert.strictEqual(title, '1.10 K params · 1.11 MMACs · out [1, 12, 32, 32]');
    const hover = await hoverText(doc, positionOf(doc, 'ConvBlock(3, 8)', 2));
    assert.ok(!hover.includes('Traceback'));
  });

  test('hover in the imported file shows the instances of the importing model', async () => {
    await openWorkspaceFile('multi_file.py');
    const blocks = await openWorkspaceFile('netlib/blocks.py');
    const text = await hoverText(blocks, positionOf(blocks, 'nn.Conv2d(cin', 4));
    console.log('IMPORTED HOVER:', JSON.stringify(text));
    assert.match(text, /\*\*Conv2d\*\*/);
    assert.match(text, /TwoBlocks\(\)/);
    assert.match(text, /\*\*2 instances\*\*/);
    assert.ok(text.includes('| `b1.conv` | [1, 3, 32, 32] | [1, 8, 32, 32] |'));
    assert.ok(text.includes('| `b2.conv` | [1, 8, 32, 32] | [1, 12, 32, 32] |'));
  });

  test('editing the imported file refreshes the importer', async () => {
    const main = await openWorkspaceFile('multi_file.py');
    const blocks = await vscode.workspace.openTextDocument(positionOfUri(main, 'netlib/blocks.py'));
    const at = positionOf(blocks, 'padding=1');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(blocks.uri, new vscode.Range(at, at.translate(0, 'padding=1'.length)), 'padding=0');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const line = positionOf(main, 'class TwoBlocks').line;
      await waitFor(async () => (await modelLensTitle(main, line))?.endsWith('out [1, 12, 28, 28]'), 20000, 'refreshed CodeLens');
    } finally {
      const undo = new vscode.WorkspaceEdit();
      const at2 = positionOf(blocks, 'padding=0');
      undo.replace(blocks.uri, new vscode.Range(at2, at2.translate(0, 'padding=0'.length)), 'padding=1');
      await vscode.workspace.applyEdit(undo);
      await blocks.save();
    }
  });
});

function positionOfUri(doc: vscode.TextDocument, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(doc.uri, '..', ...rel.split('/'));
}
