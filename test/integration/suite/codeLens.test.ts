/// <reference types="mocha" />
// CodeLens above each model: `params · MACs · out [...]` and the Inspect action.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeLensTitles, modelLensTitle, openWorkspaceFile, positionOf } from './helpers';

suite('CodeLens', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('totals above the model, and an Inspect action', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const lenses = await codeLensTitles(doc);
    console.log('LENSES:', JSON.stringify(lenses.map((l) => [l.line, l.title])));
    const line = positionOf(doc, 'class StemNet').line;
    const here = lenses.filter((l) => l.line === line);
    assert.deepStrictEqual(here.map((l) => l.title).sort(), ['10.25 K params · 118.01 MMACs · out [1, 10]', 'Inspect']);
    const inspect = here.find((l) => l.title === 'Inspect')!;
    assert.strictEqual(inspect.command, 'layerlens.openInspector');
    assert.deepStrictEqual(inspect.args[1], 'StemNet()');
  });

  test('flopsConvention switches the count', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const cfg = vscode.workspace.getConfiguration('layerlens');
    await cfg.update('flopsConvention', 'flops', vscode.ConfigurationTarget.Global);
    try {
      const line = positionOf(doc, 'class StemNet').line;
      const title = await modelLensTitle(doc, line);
      assert.match(title ?? '', /^10\.25 K params · [\d.]+ [KMG]FLOPs · out \[1, 10\]$/);
    } finally {
      await cfg.update('flopsConvention', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
