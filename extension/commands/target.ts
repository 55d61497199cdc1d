// Which document and model a command acts on: the arguments if given, else the active Python editor
// (or the source of the active summary editor) and its active model.
import * as vscode from 'vscode';
import { AnalysisService } from '../analysis/service';

export interface Target {
  doc: vscode.TextDocument;
  expr: string;
}

export async function targetDocument(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri && uri.scheme !== 'layerlens-summary') return vscode.workspace.openTextDocument(uri);
  const su = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (su?.scheme === 'layerlens-summary') {
    const src = new URLSearchParams(su.query).get('src');
    if (src) return vscode.workspace.openTextDocument(vscode.Uri.parse(src));
  }
  const active = vscode.window.activeTextEditor;
  if (active && AnalysisService.isPython(active.document)) return active.document;
  return vscode.window.visibleTextEditors.find((e) => AnalysisService.isPython(e.document))?.document;
}

export async function resolveTarget(service: AnalysisService, uri?: vscode.Uri, expr?: string): Promise<Target | undefined> {
  const doc = await targetDocument(uri);
  if (!doc) {
    void vscode.window.showInformationMessage(vscode.l10n.t('LayerLens: open a Python file that defines a PyTorch model first.'));
    return undefined;
  }
  await service.discovery(doc); // the model choice and the input shape of this version
  const e = expr ?? (uri?.scheme === 'layerlens-summary' ? new URLSearchParams(uri.query).get('model') ?? undefined : undefined) ?? service.activeExpr(doc);
  if (!e) {
    void vscode.window.showInformationMessage(vscode.l10n.t('LayerLens: no nn.Module model found in {0}. Use "LayerLens: Select Model" to enter an expression.', doc.uri.path.split('/').pop() ?? ''));
    return undefined;
  }
  return { doc, expr: e };
}
