/// <reference types="mocha" />
// The browser entry (dist/web/extension.js) in VS Code's web worker extension host: analyses run in a Web
// Worker, files come through vscode.workspace.fs, and hover, CodeLens, diagnostics and the Inspector give
// the desktop's numbers. The first hover asked for while the first analysis runs is answered.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, codeLensTitles, EXT_ID, hoverText, openWorkspaceFile, positionOf, waitFor } from '../suite/helpers';

interface WebApi {
  analysisIsolation(): { kind: string };
  inspectors(): Array<{ expr: string; status?: { rows: number; error: string | null; rendered: string[] } }>;
}

suite('web extension host', () => {
  let api: WebApi;

  test('runs the browser entry, analyses in a Web Worker', async () => {
    const ext = vscode.extensions.getExtension<WebApi>(EXT_ID);
    assert.ok(ext, `${EXT_ID} is loaded`);
    assert.strictEqual(ext!.packageJSON.main, undefined, 'the extension under test has no Node entry');
    // no Node here: the browser extension host is a web worker
    assert.strictEqual(typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node, 'undefined');
    const doc = await openWorkspaceFile('simple_cnn.py');
    api = await ext!.activate();
    // the first hover, asked for at once: the first analysis (and the worker's start) is still running
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 64', 4));
    assert.strictEqual(api.analysisIsolation().kind, 'web-worker');
    console.log('FIRST WEB HOVER:', JSON.stringify(text.slice(0, 300)));
    assert.match(text, /\*\*Conv2d\*\* `conv1`/);
    assert.ok(text.includes('H_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112'), 'H_out formula');
    assert.ok(text.includes('MACs = 64 · 112 · 112 · (3/1) · 7 · 7 = 118,013,952'), 'MACs formula');
  });

  test('hover on BatchNorm2d and on a call in forward', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const bn = await hoverText(doc, positionOf(doc, 'nn.BatchNorm2d(64)', 4));
    assert.ok(bn.includes('params = 2·64 = 128'), bn);
    const call = await hoverText(doc, positionOf(doc, 'self.conv1(x)', 6));
    assert.match(call, /→ output `\[1, 64, 112, 112\]`/);
  });

  test('CodeLens above the model', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const line = positionOf(doc, 'class StemNet').line;
    const here = await waitFor(async () => {
      const l = (await codeLensTitles(doc)).filter((x) => x.line === line);
      return l.length === 2 ? l : undefined;
    }, 20000, 'both lenses');
    assert.deepStrictEqual(here.map((l) => l.title).sort(), ['10.25 K params · 118.01 MMACs · out [1, 10]', 'Inspect']);
  });

  test('a shape mismatch is a diagnostic on the literal', async () => {
    const doc = await openWorkspaceFile('mismatch.py');
    const start = positionOf(doc, '400');
    const diag = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'LayerLens' && d.severity === vscode.DiagnosticSeverity.Error), 20000, 'a LayerLens error');
    assert.match(diag.message, /3136|3,136/);
    assert.ok(diag.range.start.isEqual(start), `range ${JSON.stringify(diag.range)} starts at the literal`);
  });

  test('imports resolve through vscode.workspace.fs', async () => {
    const doc = await openWorkspaceFile('multi_file.py');
    const line = positionOf(doc, 'class TwoBlocks').line;
    // b1.conv 3·8·9 + 8 = 224, b2.conv 8·12·9 + 12 = 876: netlib/blocks.py was read
    const lens = await waitFor(async () => (await codeLensTitles(doc)).find((l) => l.line === line && l.title !== 'Inspect'), 20000, 'the stats lens');
    assert.strictEqual(lens.title, '1.10 K params · 1.11 MMACs · out [1, 12, 32, 32]');
  });

  test('the Inspector renders the model', async () => {
    await openWorkspaceFile('simple_cnn.py');
    const expr = await vscode.commands.executeCommand<string>('layerlens.openInspector');
    assert.strictEqual(expr, 'StemNet()');
    const p = await waitFor(() => api.inspectors().find((x) => x.expr === 'StemNet()' && (x.status?.rows ?? 0) > 0), 45000, 'the Inspector rows');
    assert.strictEqual(p.status!.rows, 7);
    assert.strictEqual(p.status!.error, null);
    await closeAllEditors();
  });
});
