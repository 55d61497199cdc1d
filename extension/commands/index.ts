// The command table: every `layerlens.*` command id and its handler, registered in one place.
// Handlers accept optional arguments (used by menus, CodeLens and tests) and fall back to asking the user.
import { CommandId } from './commandIds';
import * as vscode from 'vscode';
import { InspectorPanel, type PanelDeps } from '../panel/inspectorPanel';
import { openExample } from './openExample';
import { openInspector } from './openInspector';
import { selectModel } from './selectModel';
import { setInputShape } from './setInputShape';
import { copySummary, showSummary, type CopyFormat } from './showSummary';

/** `globalStorageUri`: where the trained example is copied to (context.globalStorageUri). */
export function registerCommands(deps: PanelDeps, globalStorageUri: vscode.Uri): vscode.Disposable[] {
  const { service, summaries } = deps;
  // with an Inspector in front and no file given, a copy is of the Inspector's model
  const copy = (format: CopyFormat, uri?: vscode.Uri, expr?: string) => {
    const panel = !uri && !vscode.window.activeTextEditor ? InspectorPanel.active() : undefined;
    return panel ? panel.copy(format) : copySummary(service, summaries, format, uri, expr);
  };
  const table: Record<string, (...args: any[]) => unknown> = {
    [CommandId.openInspector]: (uri?: vscode.Uri, expr?: string, view?: string) => openInspector(deps, uri instanceof vscode.Uri ? uri : undefined, expr, view),
    [CommandId.showSummary]: (uri?: vscode.Uri, expr?: string) => openInspector(deps, uri instanceof vscode.Uri ? uri : undefined, expr, 'summary'),
    [CommandId.showSummaryText]: (uri?: vscode.Uri, expr?: string) => showSummary(service, uri, expr),
    [CommandId.setInputShape]: (shape?: string | number[] | number[][], uri?: vscode.Uri, expr?: string) =>
      setInputShape(service, shape instanceof vscode.Uri ? undefined : shape, shape instanceof vscode.Uri ? shape : uri, expr),
    [CommandId.selectModel]: (expr?: string | vscode.Uri, uri?: vscode.Uri) =>
      selectModel(service, typeof expr === 'string' ? expr : undefined, expr instanceof vscode.Uri ? expr : uri),
    [CommandId.copySummaryAsMarkdown]: (uri?: vscode.Uri, expr?: string) => copy('markdown', uri, expr),
    [CommandId.copySummaryAsCsv]: (uri?: vscode.Uri, expr?: string) => copy('csv', uri, expr),
    [CommandId.copySummaryAsJson]: (uri?: vscode.Uri, expr?: string) => copy('json', uri, expr),
    [CommandId.statusMenu]: () => statusMenu(),
    [CommandId.openExample]: () => openExample({ extensionUri: deps.extensionUri, globalStorageUri }),
  };
  return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

async function statusMenu(): Promise<void> {
  const items = [
    { label: `$(symbol-class) ${vscode.l10n.t('Select Model…')}`, command: CommandId.selectModel },
    { label: `$(symbol-array) ${vscode.l10n.t('Set Input Shape…')}`, command: CommandId.setInputShape },
    { label: `$(inspect) ${vscode.l10n.t('Open Inspector')}`, command: CommandId.openInspector },
    { label: `$(table) ${vscode.l10n.t('Show Model Summary as Text')}`, command: CommandId.showSummaryText },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'LayerLens' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}
