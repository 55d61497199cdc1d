/// <reference types="mocha" />
// The extension loads in a real VS Code and activates on a Python file.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, openWorkspaceFile } from './helpers';

suite('activation', () => {
  test('activates when a Python file is opened', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is loaded`);
    const doc = await openWorkspaceFile('simple_cnn.py');
    assert.strictEqual(doc.languageId, 'python');
    await ext!.activate();
    assert.ok(ext!.isActive);
  });
});
