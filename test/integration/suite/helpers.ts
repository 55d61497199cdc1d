// Shared helpers for the integration suite: workspace paths, opening files, reading provider results.
import * as vscode from 'vscode';

export const EXT_ID = 'layerlens.layerlens';

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
