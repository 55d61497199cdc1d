/// <reference types="mocha" />
// The extension loads in a real VS Code, activates on a Python file and contributes its commands.
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

  test('registers every contributed command', async () => {
    const ids = await vscode.commands.getCommands(true);
    const contributed = (vscode.extensions.getExtension(EXT_ID)!.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length >= 6);
    for (const id of contributed) assert.ok(ids.includes(id), `${id} is registered`);
  });

  test('analyses run on a worker thread in the Node extension host', async () => {
    const api = await vscode.extensions.getExtension<{ analysisThread(): string }>(EXT_ID)!.activate();
    assert.strictEqual(api.analysisThread(), 'worker');
  });

  test('declares untrusted-workspace support and documents its settings', () => {
    const pkg = vscode.extensions.getExtension(EXT_ID)!.packageJSON;
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, true);
    const props = pkg.contributes.configuration.properties as Record<string, { markdownDescription?: string; description?: string }>;
    for (const key of ['layerlens.defaultInputShape', 'layerlens.flopsConvention', 'layerlens.inlayHints.enabled', 'layerlens.codeLens.enabled', 'layerlens.maxInstancesInHover']) {
      assert.ok(props[key]?.markdownDescription || props[key]?.description, `${key} has a description`);
    }
  });
});
