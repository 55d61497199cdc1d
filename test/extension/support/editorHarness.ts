// The real extension (activate(), AnalysisService, providers, the worker runner) over the fake `vscode`
// module, for bench/editor.mjs and unit tests. Bundled with `vscode` aliased to ./fakeVscode.ts, so the
// extension and the harness share one fake. Nothing here measures; callers time what they need.
import * as vscode from './fakeVscode';
import { activate } from '../../../extension/extension';

export { vscode };

/** Activates the extension with `root` as its install folder (dist/analysisWorker.js is the worker). */
export function activateExtension(root: string) {
  const context = { extensionUri: vscode.Uri.file(root), workspaceState: vscode.memento(), subscriptions: [] as Array<{ dispose(): unknown }> };
  const api = activate(context as never);
  if (!api) throw new Error(`activation failed: ${vscode.shownErrors.join('; ')}`);
  const p = vscode.providers();
  return {
    api,
    hover: p.hover[0],
    inlay: p.inlay[0],
    codeLens: p.codeLens[0],
    dispose: () => context.subscriptions.forEach((d) => d.dispose()),
  };
}
