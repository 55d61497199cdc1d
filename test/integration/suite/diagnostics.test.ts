/// <reference types="mocha" />
// A shape diagnostic at the exact argument, and its Quick Fix applied (on a scratch copy of mismatch.py).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverText, modelLensTitle, openWorkspaceFile, positionOf, scratchCopy, waitFor } from './helpers';

suite('diagnostics and quick fix', () => {
  let uri: vscode.Uri;

  suiteSetup(async () => {
    await activateExtension();
    uri = await scratchCopy('mismatch.py', 'scratch_mismatch.py');
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  test('Linear in_features mismatch is reported on the literal and fixed by the Quick Fix', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const start = positionOf(doc, '400');
    const literal = new vscode.Range(start, start.translate(0, 3));
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'LayerLens' && d.severity === vscode.DiagnosticSeverity.Error),
      20000, 'a LayerLens error on scratch_mismatch.py');
    console.log('DIAGNOSTIC:', JSON.stringify({ message: diag.message, code: diag.code, range: diag.range }));
    assert.match(diag.message, /400/);
    assert.match(diag.message, /3136|3,136/);
    assert.ok(diag.range.isEqual(literal), `range ${JSON.stringify(diag.range)} is the literal 400`);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', uri, literal, vscode.CodeActionKind.QuickFix.value);
    console.log('QUICK FIXES:', JSON.stringify(actions.map((a) => [a.title, a.kind?.value, a.isPreferred])));
    const fix = actions.find((a) => a.kind?.value === 'quickfix' && a.edit?.get(uri).some((e) => e.newText === '3136' && e.range.isEqual(literal)));
    assert.ok(fix?.edit, `a quick fix for "${diag.message}" (got ${actions.map((a) => a.title).join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.ok(doc.getText().includes('self.fc = nn.Linear(3136, 10)'), doc.getText());

    await waitFor(() => !vscode.languages.getDiagnostics(uri).some((d) => d.source === 'LayerLens' && d.severity === vscode.DiagnosticSeverity.Error),
      20000, 'the error to go away after the fix');
    await doc.save();
  });
});

suite('diagnostics for what the analysis cannot follow', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('an unreadable import gives a warning and the unknown output an information, never a number', async () => {
    const doc = await openWorkspaceFile('unknown_op.py');
    const diags = await waitFor(() => {
      const ds = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'LayerLens');
      return ds.some((d) => d.severity === vscode.DiagnosticSeverity.Information) ? ds : undefined;
    }, 20000, 'an information diagnostic on unknown_op.py');
    console.log('UNKNOWN DIAGNOSTICS:', JSON.stringify(diags.map((d) => [d.severity, d.message, d.range.start.line])));
    const imp = diags.find((d) => d.severity === vscode.DiagnosticSeverity.Warning);
    assert.ok(imp, 'a warning for the import');
    assert.strictEqual(imp!.range.start.line, positionOf(doc, 'import fancy_ops').line);
    const lens = await modelLensTitle(doc, positionOf(doc, 'class Mystery').line);
    assert.match(lens ?? '', /out \?$/);
    const fc = await hoverText(doc, positionOf(doc, 'self.fc(x)', 6));
    assert.match(fc, /→ output `\?`/);
    assert.match(fc, /MACs unknown/);
    const conv = await hoverText(doc, positionOf(doc, 'self.conv(x)', 6));
    assert.match(conv, /→ output `\[1, 8, 30, 30\]`/);
  });
});
