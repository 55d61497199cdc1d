/// <reference types="mocha" />
// The analysis runs in a child process of the real extension host (issue 9.2): killed mid-run from outside,
// it is restarted and the hover comes back with its numbers; the extension host never notices.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXT_ID, hoverText, openWorkspaceFile, positionOf, waitFor } from './helpers';

interface Api { analysisIsolation(): { kind: string; pid?: number } }

suite('analysis isolation', () => {
  test('a child process: killed while the analysis runs, the hover still comes back', async () => {
    const api = await vscode.extensions.getExtension<Api>(EXT_ID)!.activate();
    const doc = await openWorkspaceFile('simple_cnn.py');
    assert.match(await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 64', 4)), /params \*\*9,472\*\*/);
    const iso = api.analysisIsolation();
    assert.strictEqual(iso.kind, 'process');
    assert.ok(iso.pid, 'the analysis process is running');
    // an edit starts a fresh analysis; the process is killed while it runs
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '# edited\n');
    await vscode.workspace.applyEdit(edit);
    process.kill(iso.pid!, 'SIGKILL');
    const text = await waitFor(async () => {
      const t = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 64', 4));
      // the hover alone could come from the last good results mapped onto the edited text: wait for the
      // fresh process too, so the numbers are the restarted analysis's
      return /params \*\*9,472\*\*/.test(t) && api.analysisIsolation().pid !== iso.pid ? t : undefined;
    }, 30000, 'the hover after the kill, from a restarted analysis');
    assert.match(text, /→ output `\[1, 64, 112, 112\]`/);
    assert.notStrictEqual(api.analysisIsolation().pid, iso.pid);
    const revert = new vscode.WorkspaceEdit();
    revert.delete(doc.uri, new vscode.Range(0, 0, 1, 0));
    await vscode.workspace.applyEdit(revert);
  });
});
