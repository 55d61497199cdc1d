// Extension entry: wiring only (config, analysis service, providers, commands, status bar, the Inspector's
// panel serializer).
// Everything registered is pushed onto context.subscriptions; activation failures are shown to the user.
import * as vscode from 'vscode';
import { configureL10n } from './l10n';
import { createRunner } from './analysis/runner';
import { canStartWebWorker, WebAnalysisWorker } from './analysis/webWorkerHost';
import { readExtensionFile } from './commands/openExample';
import { AnalysisService, type Hops } from './analysis/service';
import { registerCommands } from './commands';
import { SUMMARY_SCHEME, SummaryDocumentProvider } from './commands/showSummary';
import { onDidChangeConfig } from './config';
import { ModelChoices } from './analysis/modelChoices';
import { PythonEnvironments } from './analysis/pythonEnvironment';
import { ModelCodeLensProvider } from './providers/codeLens';
import { DiagnosticsPublisher, FixCodeActionProvider } from './providers/diagnostics';
import { LayerHoverProvider } from './providers/hover';
import { ShapeInlayHintsProvider } from './providers/inlayHints';
import { InspectorPanel, type PanelDeps } from './panel/inspectorPanel';
import { ModelStatusBar } from './providers/statusBar';
import type { ToWebview, WebviewStatus } from '../webview/protocol';
import type { Report } from '../engine';

/** What activate() returns: read-only views the integration tests use. */
export interface LayerLensApi {
  statusBar(): { visible: boolean; text: string; tooltip: string; accessibilityLabel: string };
  /** The lines the LayerLens output channel was given (one per analysis). */
  logLines(): string[];
  /** Where analyses run: isolated from the host (worker), or inline where nothing can start (browser). */
  analysisThread(): 'worker' | 'inline';
  /** How the analysis is isolated (a child process on desktop, a Web Worker in the browser), and its process id while one runs. */
  analysisIsolation(): { kind: 'process' | 'thread' | 'web-worker' | 'inline'; pid?: number };
  /** The open Inspector panels and what each webview last reported it shows. */
  inspectors(): Array<{ uri: string; expr: string; visible: boolean; active: boolean; status?: WebviewStatus }>;
  /** Sends a panel's webview a message as a user action would (select a row, show a view, run). */
  inspectorPost(uri: string, expr: string, msg: ToWebview): boolean;
  /** Resolves on the next change of any panel (opened, closed, new status). */
  inspectorChanged(): Promise<void>;
  /** The latest analysis of the document's active model: what was analysed, its report, when each hop happened (bench/editor.mjs). */
  latestAnalysis(uri: string): { expr: string; input: number[][]; report?: Report; hops?: Hops } | undefined;
}

const PYTHON: vscode.DocumentSelector = { language: 'python' };

export function activate(context: vscode.ExtensionContext): LayerLensApi | undefined {
  try {
    configureL10n(vscode.l10n.bundle);
    const worker = vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysisWorker.js');
    const webWorker = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'analysisWorker.js');
    const runner = createRunner(worker.scheme === 'file' ? worker.fsPath : undefined,
      { webWorker: canStartWebWorker() ? () => new WebAnalysisWorker(webWorker, readExtensionFile) : undefined });
    // One line per analysis (file, model, input, time, files read, diagnostics): what a bug report needs.
    const channel = vscode.window.createOutputChannel('LayerLens', { log: true });
    const logLines: string[] = [];
    const log = { info: (m: string) => { channel.info(m); logLines.push(m); if (logLines.length > 200) logLines.shift(); } };
    const environments = new PythonEnvironments();
    const service = new AnalysisService(new ModelChoices(context.workspaceState), runner, environments, log);
    const summaries = new SummaryDocumentProvider(service);
    const inlay = new ShapeInlayHintsProvider(service);
    const lenses = new ModelCodeLensProvider(service);
    const diagnostics = new DiagnosticsPublisher(service);
    const statusBar = new ModelStatusBar(service);
    const panels: PanelDeps = { extensionUri: context.extensionUri, service, summaries };
    context.subscriptions.push(
      channel, environments, service, summaries, inlay, lenses, diagnostics, statusBar,
      vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
      vscode.languages.registerHoverProvider(PYTHON, new LayerHoverProvider(service)),
      vscode.languages.registerInlayHintsProvider(PYTHON, inlay),
      vscode.languages.registerCodeLensProvider(PYTHON, lenses),
      vscode.languages.registerCodeActionsProvider(PYTHON, new FixCodeActionProvider(service, diagnostics), FixCodeActionProvider.metadata),
      ...registerCommands(panels, context.globalStorageUri),
      vscode.window.registerWebviewPanelSerializer(InspectorPanel.viewType, { deserializeWebviewPanel: (panel, state) => InspectorPanel.revive(panel, panels, state) }),
      { dispose: () => InspectorPanel.disposeAll() },
      service.onDidChange(() => { inlay.refresh(); lenses.refresh(); }),
      onDidChangeConfig(() => { service.invalidateAll(); inlay.refresh(); lenses.refresh(); statusBar.update(); }),
    );
    return {
      statusBar: () => statusBar.state,
      logLines: () => [...logLines],
      analysisThread: () => runner.kind,
      analysisIsolation: () => ({ kind: runner.isolation ?? 'inline', pid: runner.pid }),
      inspectors: () => InspectorPanel.all().map((p) => ({ uri: p.uri.toString(), expr: p.expr, visible: p.panel.visible, active: p.panel.active, status: p.lastStatus })),
      inspectorPost: (uri, expr, msg) => { const p = InspectorPanel.all().find((x) => x.uri.toString() === uri && x.expr === expr); p?.post(msg); return !!p; },
      inspectorChanged: () => new Promise<void>((ok) => { const d = InspectorPanel.onDidChange(() => { d.dispose(); ok(); }); }),
      latestAnalysis: (uri) => {
        const a = service.latest(vscode.Uri.parse(uri));
        return a && { expr: a.expr, input: a.input, report: a.report, hops: a.hops };
      },
    };
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('LayerLens failed to start: {0}', e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

export function deactivate(): void {}
