// Extension entry: wiring only (config, analysis service, providers, commands, status bar).
// Everything registered is pushed onto context.subscriptions; activation failures are shown to the user.
import * as vscode from 'vscode';
import { createRunner } from './analysisRunner';
import { AnalysisService } from './analysisService';
import { registerCommands } from './commands';
import { SUMMARY_SCHEME, SummaryDocumentProvider } from './commands/showSummary';
import { onDidChangeConfig } from './config';
import { ModelChoices } from './modelChoices';
import { ModelCodeLensProvider } from './providers/codeLens';
import { DiagnosticsPublisher, FixCodeActionProvider } from './providers/diagnostics';
import { LayerHoverProvider } from './providers/hover';
import { ShapeInlayHintsProvider } from './providers/inlayHints';
import { ModelStatusBar } from './statusBar';

/** What activate() returns: read-only views the integration tests use. */
export interface LayerLensApi {
  statusBar(): { visible: boolean; text: string; tooltip: string };
  /** Where analyses run: a worker thread, or inline where none can start (browser). */
  analysisThread(): 'worker' | 'inline';
}

const PYTHON: vscode.DocumentSelector = { language: 'python' };

export function activate(context: vscode.ExtensionContext): LayerLensApi | undefined {
  try {
    const worker = vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysisWorker.js');
    const runner = createRunner(worker.scheme === 'file' ? worker.fsPath : undefined);
    const service = new AnalysisService(new ModelChoices(context.workspaceState), runner);
    const summaries = new SummaryDocumentProvider(service);
    const inlay = new ShapeInlayHintsProvider(service);
    const lenses = new ModelCodeLensProvider(service);
    const diagnostics = new DiagnosticsPublisher(service);
    const statusBar = new ModelStatusBar(service);
    context.subscriptions.push(
      service, summaries, inlay, lenses, diagnostics, statusBar,
      vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
      vscode.languages.registerHoverProvider(PYTHON, new LayerHoverProvider(service)),
      vscode.languages.registerInlayHintsProvider(PYTHON, inlay),
      vscode.languages.registerCodeLensProvider(PYTHON, lenses),
      vscode.languages.registerCodeActionsProvider(PYTHON, new FixCodeActionProvider(service, diagnostics), FixCodeActionProvider.metadata),
      ...registerCommands(service, summaries),
      service.onDidChange(() => { inlay.refresh(); lenses.refresh(); }),
      onDidChangeConfig(() => { service.invalidateAll(); inlay.refresh(); lenses.refresh(); statusBar.update(); }),
    );
    return { statusBar: () => statusBar.state, analysisThread: () => runner.kind };
  } catch (e) {
    void vscode.window.showErrorMessage(`LayerLens failed to start: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

export function deactivate(): void {}
