/// <reference types="mocha" />
// Inlay hints: output shape after each layer call in forward and after each layer in a Sequential.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, inlayLabels, openWorkspaceFile, positionOf } from './helpers';

suite('inlay hints', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('after each call in forward and each Sequential item', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const hints = await inlayLabels(doc);
    console.log('INLAY:', JSON.stringify(hints));
    const at = (needle: string) => hints.filter((h) => h.line === positionOf(doc, needle).line).map((h) => h.label);
    assert.deepStrictEqual(at('x = self.conv1(x)'), ['→ [1, 64, 112, 112]']);
    assert.deepStrictEqual(at('x = self.pool(x)'), ['→ [1, 64, 56, 56]']);
    assert.deepStrictEqual(at('nn.AdaptiveAvgPool2d(1)'), ['→ [1, 64, 1, 1]']);
    assert.deepStrictEqual(at('nn.Flatten()'), ['→ [1, 64]']);
    assert.deepStrictEqual(at('nn.Linear(64, num_classes)'), ['→ [1, 10]']);
  });

  test('the setting turns them off', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const cfg = vscode.workspace.getConfiguration('layerlens');
    await cfg.update('inlayHints.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      assert.deepStrictEqual(await inlayLabels(doc), []);
    } finally {
      await cfg.update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok((await inlayLabels(doc)).length > 0);
  });
});
