// *LayerLens: Open Inspector* (palette, editor title, CodeLens "Inspect") and *Show Model Summary* (the
// Inspector on its Summary view): the model of the given or active file, in a panel beside the editor.
import type * as vscode from 'vscode';
import { InspectorPanel, type PanelDeps } from '../panel/inspectorPanel';
import { resolveTarget } from './target';

/** Opens the Inspector; returns the model expression it shows (undefined when there is no model to show). */
export async function openInspector(deps: PanelDeps, uri?: vscode.Uri, expr?: string, view?: string): Promise<string | undefined> {
  const active = !uri ? InspectorPanel.active() : undefined;
  const target = await resolveTarget(deps.service, uri ?? active?.uri, expr ?? active?.expr);
  if (!target) return undefined;
  InspectorPanel.createOrShow(deps, target.doc, target.expr, view);
  return target.expr;
}
