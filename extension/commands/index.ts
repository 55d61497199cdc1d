// The command table: every `layerlens.*` command id and its handler, registered in one place.
// Handlers accept optional arguments (used by menus, CodeLens and tests) and fall back to asking the user.
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysisService';
import { selectModel } from './selectModel';
import { setInputShape } from './setInputShape';
import { copySummary, showSummary, SummaryDocumentProvider } from './showSummary';

export function registerCommands(service: AnalysisService, summaries: SummaryDocumentProvider): vscode.Disposable[] {
  const table: Record<string, (...args: any[]) => unknown> = {
    'layerlens.showSummary': (uri?: vscode.Uri, expr?: string) => showSummary(service, uri, expr),
    'layerlens.setInputShape': (shape?: string | number[] | number[][], uri?: vscode.Uri, expr?: string) =>
      setInputShape(service, shape instanceof vscode.Uri ? undefined : shape, shape instanceof vscode.Uri ? shape : uri, expr),
    'layerlens.selectModel': (expr?: string | vscode.Uri, uri?: vscode.Uri) =>
      selectModel(service, typeof expr === 'string' ? expr : undefined, expr instanceof vscode.Uri ? expr : uri),
    'layerlens.copySummaryAsMarkdown': (uri?: vscode.Uri) => copySummary(service, summaries, 'markdown', uri),
    'layerlens.copySummaryAsCsv': (uri?: vscode.Uri) => copySummary(service, summaries, 'csv', uri),
    'layerlens.copySummaryAsJson': (uri?: vscode.Uri) => copySummary(service, summaries, 'json', uri),
    'layerlens.statusMenu': () => statusMenu(),
  };
  return Object.entries(table).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

async function statusMenu(): Promise<void> {
  const items = [
    { label: '$(symbol-class) Select Model…', command: 'layerlens.selectModel' },
    { label: '$(symbol-array) Set Input Shape…', command: 'layerlens.setInputShape' },
    { label: '$(table) Show Model Summary', command: 'layerlens.showSummary' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'LayerLens' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}
