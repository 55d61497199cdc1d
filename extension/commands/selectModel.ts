// *LayerLens: Select Model*: which model of the file the hovers, hints and summary describe — one the file
// defines, or any expression (`ResNet(BasicBlock, [2, 2, 2, 2])`). Remembered per file in workspace state.
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { targetDocument } from './target';

interface ModelItem extends vscode.QuickPickItem {
  expr?: string;
}

export async function selectModel(service: AnalysisService, expr?: string, uri?: vscode.Uri): Promise<string | undefined> {
  const doc = await targetDocument(uri);
  if (!doc) {
    void vscode.window.showInformationMessage(vscode.l10n.t('LayerLens: open a Python file that defines a PyTorch model first.'));
    return undefined;
  }
  let chosen = expr;
  if (chosen === undefined) {
    const { candidates } = await service.discovery(doc);
    const active = service.activeExpr(doc);
    const items: ModelItem[] = candidates.map((c) => ({
      label: `${c.expr === active ? '$(check) ' : ''}${c.expr}`,
      description: c.kind,
      detail: c.input ? `input ${c.input.map((s) => `(${s.join(', ')})`).join(', ')} from the file's ${c.inputSource ?? 'comment'}` : undefined,
      expr: c.expr,
    }));
    items.push({ label: '$(edit) Other expression…', description: 'e.g. ResNet(BasicBlock, [2, 2, 2, 2])' });
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('LayerLens: model in {0}', doc.uri.path.split('/').pop() ?? ''), placeHolder: vscode.l10n.t('Model to analyse') });
    if (!pick) return undefined;
    chosen = pick.expr ?? (await vscode.window.showInputBox({
      title: vscode.l10n.t('LayerLens: model expression'),
      prompt: "A Python expression in the file's scope; a bare class name means calling it with no arguments",
      value: active,
      validateInput: (t) => (t.trim() ? undefined : vscode.l10n.t('Enter an expression such as Net() or make_model(width=16)')),
    }));
    if (!chosen) return undefined;
  }
  chosen = chosen.trim();
  await service.choices.setModel(doc.uri, chosen);
  service.invalidate(doc.uri);
  return chosen;
}
