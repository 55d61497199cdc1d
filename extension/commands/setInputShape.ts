// *LayerLens: Set Input Shape*: asks for the input shape(s) of the active model and remembers it per file
// and model in workspace state. A shape written in the file (comment or example tensor) still wins.
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { formatShapes, normalizeShapeSetting, parseShapes } from '../analysis/shapes';
import { resolveTarget } from './target';

export async function setInputShape(
  service: AnalysisService, shape?: string | number[] | number[][], uri?: vscode.Uri, expr?: string,
): Promise<number[][] | undefined> {
  const target = await resolveTarget(service, uri, expr);
  if (!target) return undefined;
  const { doc } = target;
  const current = service.resolveInput(doc, target.expr);
  let shapes = shape === undefined ? undefined : normalizeShapeSetting(shape);
  if (shape !== undefined && !shapes) throw new Error(`LayerLens: not an input shape: ${JSON.stringify(shape)}`);
  if (!shapes) {
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('LayerLens: input shape of {0}', target.expr),
      prompt: vscode.l10n.t('Dimensions separated by commas, e.g. 1, 3, 224, 224. Several inputs: (1, 3, 32, 32), (1, 10)'),
      value: formatShapes(current.input),
      validateInput: (t) => (parseShapes(t) ? undefined : vscode.l10n.t('Positive integers separated by commas, e.g. 1, 3, 224, 224')),
    });
    if (text === undefined) return undefined;
    shapes = parseShapes(text);
    if (!shapes) return undefined;
  }
  await service.choices.setInput(doc.uri, target.expr, shapes);
  if (current.source === 'comment' || current.source === 'example') {
    void vscode.window.showInformationMessage(
      current.source === 'comment'
        ? vscode.l10n.t('LayerLens: {0} gives the input of {1} itself (`# layerlens: input=` comment); that shape is used while it is there.', doc.uri.path.split('/').pop() ?? '', target.expr)
        : vscode.l10n.t('LayerLens: {0} gives the input of {1} itself (example tensor); that shape is used while it is there.', doc.uri.path.split('/').pop() ?? '', target.expr),
    );
  }
  service.invalidate(doc.uri);
  return shapes;
}
