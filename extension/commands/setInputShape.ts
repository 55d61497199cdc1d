// *LayerLens: Set Input Shape*: asks for the input shape(s) of the active model and remembers it per file
// and model in workspace state. An explicit choice wins over the file's comment or example tensor; an empty
// shape resets it. While the user types, the shape is checked against the model's forward and first layer.
import * as vscode from 'vscode';
import { type AnalysisService } from '../analysis/service';
import { inputSourceLabel } from '../analysis/inputSource';
import { checkInputShapes } from '../analysis/inputCheck';
import { formatShapes, normalizeShapeSetting, parseShapes } from '../analysis/shapes';
import { resolveTarget } from './target';

/** `shape`: the shape(s) to use, or '' / null to reset to the file's shape (or the default). */
export async function setInputShape(
  service: AnalysisService, shape?: string | number[] | number[][] | null, uri?: vscode.Uri, expr?: string,
): Promise<number[][] | undefined> {
  const target = await resolveTarget(service, uri, expr);
  if (!target) return undefined;
  const { doc } = target;
  const current = service.resolveInput(doc, target.expr);
  if (shape === null || (typeof shape === 'string' && shape.trim() === '')) return reset(service, doc, target.expr);
  let shapes = shape === undefined ? undefined : normalizeShapeSetting(shape);
  if (shape !== undefined && !shapes) throw new Error(`LayerLens: not an input shape: ${JSON.stringify(shape)}`);
  if (!shapes) {
    const a = service.latest(doc.uri);
    const report = a?.expr === target.expr ? a.report : undefined;
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('LayerLens: input shape of {0}', target.expr),
      prompt: vscode.l10n.t("Now {0}, {1}. Dimensions separated by commas, e.g. 1, 3, 224, 224; several inputs: (1, 3, 32, 32), (1, 10). Empty: use the file's shape.", formatShapes(current.input), inputSourceLabel(current.source).long),
      value: formatShapes(current.input),
      validateInput: (t) => {
        if (t.trim() === '') return undefined;
        const parsed = parseShapes(t);
        if (!parsed) return vscode.l10n.t('Positive integers separated by commas, e.g. 1, 3, 224, 224');
        const problem = checkInputShapes(parsed, report);
        return problem ? { message: problem, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
      },
    });
    if (text === undefined) return undefined;
    if (text.trim() === '') return reset(service, doc, target.expr);
    shapes = parseShapes(text);
    if (!shapes) return undefined;
  }
  await service.choices.setInput(doc.uri, target.expr, shapes);
  service.invalidate(doc.uri);
  return shapes;
}

async function reset(service: AnalysisService, doc: vscode.TextDocument, expr: string): Promise<undefined> {
  await service.choices.setInput(doc.uri, expr, undefined);
  service.invalidate(doc.uri);
  return undefined;
}
