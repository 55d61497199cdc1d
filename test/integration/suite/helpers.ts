// Shared helpers for the integration suite: workspace paths, opening files, positions by text, provider
// results as plain strings, polling for asynchronous results.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXT_ID = 'layerlens.layerlens';

export interface LayerLensApi {
  statusBar(): { visible: boolean; text: string; tooltip: string };
  analysisThread(): 'worker' | 'inline';
}

export async function activateExtension(): Promise<LayerLensApi> {
  const ext = vscode.extensions.getExtension<LayerLensApi>(EXT_ID);
  assert.ok(ext, `${EXT_ID} is loaded`);
  return ext!.activate();
}

export function workspaceUri(rel: string): vscode.Uri {
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (!ws) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(ws.uri, ...rel.split('/'));
}

export async function openWorkspaceFile(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Position of the `at`-th character of the first occurrence of `needle` (after `after`, if given). */
export function positionOf(doc: vscode.TextDocument, needle: string, at = 0, after?: string): vscode.Position {
  const text = doc.getText();
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `"${after}" is in ${doc.uri.path}`);
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `"${needle}" is in ${doc.uri.path}`);
  return doc.positionAt(i + at);
}

export async function hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c))))
    .join('\n');
}

export async function inlayLabels(doc: vscode.TextDocument): Promise<Array<{ line: number; label: string }>> {
  const range = new vscode.Range(0, 0, doc.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range);
  return hints.map((h) => ({ line: h.position.line, label: typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('') }));
}

export async function codeLensTitles(doc: vscode.TextDocument): Promise<Array<{ line: number; title: string; command: string; args: unknown[] }>> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
  return lenses.map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '', command: l.command?.command ?? '', args: l.command?.arguments ?? [] }));
}

/** Polls `fn` until it returns a truthy value (or throws the last assertion error after `ms`). */
export async function waitFor<T>(fn: () => T | Promise<T>, ms = 15000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw last instanceof Error ? last : new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Writes a scratch copy of a workspace file (tests that edit must not touch the fixtures). */
export async function scratchCopy(rel: string, name: string): Promise<vscode.Uri> {
  const src = await vscode.workspace.fs.readFile(workspaceUri(rel));
  const dest = workspaceUri(name);
  await vscode.workspace.fs.writeFile(dest, src);
  return dest;
}

/** The stats lens of the model declared on `line` (the other lens there is "Inspect"). */
export async function modelLensTitle(doc: vscode.TextDocument, line: number): Promise<string | undefined> {
  return (await codeLensTitles(doc)).find((l) => l.line === line && l.title !== 'Inspect')?.title;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
