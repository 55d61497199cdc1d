// Publishes the engine's diagnostics (shape mismatches at the exact argument, unknown constructs, syntax
// and import problems) for the active model of each open Python file, and offers their fixes as Quick
// Fixes. Also what makes analysis start when a file is opened or shown.
import * as vscode from 'vscode';
import type { Diagnostic, Fix } from '../../engine';
import { type Analysis, AnalysisService } from '../analysis/service';
import { readConfig } from '../config';
import { enginePath } from '../analysis/workspaceHost';
import { localizeDiagnostic, localizeFixTitle } from './diagnosticText';

const SOURCE = 'LayerLens';

interface Published {
  diagnostic: vscode.Diagnostic;
  fix?: Fix;
  analysis: Analysis;
}

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('layerlens');
  /** owner document → (target file URI → what it published there). */
  private readonly byOwner = new Map<string, Map<string, Published[]>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly service: AnalysisService) {
    this.disposables.push(
      service.onDidChange((uri) => this.publish(uri)),
      vscode.workspace.onDidOpenTextDocument((d) => this.touch(d)),
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.touch(e.document))),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
    vscode.window.visibleTextEditors.forEach((e) => this.touch(e.document));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Published diagnostics (with their fixes) on `uri`. */
  publishedOn(uri: vscode.Uri): Published[] {
    const out: Published[] = [];
    for (const targets of this.byOwner.values()) out.push(...(targets.get(uri.toString()) ?? []));
    return out;
  }

  /** Starts the analysis of a Python document (its results arrive through onDidChange). */
  private touch(doc: vscode.TextDocument): void {
    if (AnalysisService.isPython(doc)) void this.service.active(doc);
  }

  private publish(uri: vscode.Uri): void {
    const a = this.service.latest(uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || !a || !readConfig(uri).diagnosticsEnabled) {
      this.setOwner(uri, new Map());
      return;
    }
    const all: Diagnostic[] = dedupe([...this.service.knownDiscovery(doc).diagnostics, ...(a.report?.diagnostics ?? []), ...(a.fatal ? [a.fatal] : [])]);
    // A problem without a place in the code belongs to the model as a whole: show it on its name.
    const modelRange = this.service.mapLoc(a, a.candidate?.loc, doc) ?? new vscode.Range(0, 0, 0, 0);
    const targets = new Map<string, Published[]>();
    for (const d of all) {
      const file = d.loc?.file ?? enginePath(uri);
      const own = file === enginePath(uri);
      const target = own ? uri : uri.with({ path: file });
      // In this file the analysis may be of an earlier version (comments edited since): its lines, moved.
      const range = !d.loc ? modelRange : own ? this.service.mapLoc(a, d.loc, doc) : new vscode.Range(d.loc.line, d.loc.col, d.loc.endLine, d.loc.endCol);
      if (!range) continue;
      const vd = new vscode.Diagnostic(range, localizeDiagnostic(d.message), severity(d.severity));
      vd.source = SOURCE;
      vd.code = d.code;
      const list = targets.get(target.toString()) ?? [];
      list.push({ diagnostic: vd, fix: d.fix, analysis: a });
      targets.set(target.toString(), list);
    }
    this.setOwner(uri, targets);
  }

  private clear(uri: vscode.Uri): void {
    this.setOwner(uri, new Map());
  }

  private setOwner(owner: vscode.Uri, targets: Map<string, Published[]>): void {
    const before = this.byOwner.get(owner.toString());
    this.byOwner.set(owner.toString(), targets);
    const affected = new Set([...(before?.keys() ?? []), ...targets.keys()]);
    for (const t of affected) {
      const uri = vscode.Uri.parse(t);
      this.collection.set(uri, this.publishedOn(uri).map((p) => p.diagnostic));
    }
  }
}

function severity(s: Diagnostic['severity']): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
  }
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.message}|${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Quick Fixes: replace the wrong literal with the number the analysis computed. */
export class FixCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly service: AnalysisService, private readonly publisher: DiagnosticsPublisher) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const published = this.publisher.publishedOn(doc.uri).filter((p) => p.fix);
    const actions: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.source !== SOURCE) continue;
      const p = published.find((x) => x.diagnostic.message === diag.message && x.diagnostic.code === diag.code);
      if (!p?.fix) continue;
      const range = this.service.mapLoc(p.analysis, p.fix.loc, doc);
      if (!range) continue; // the literal moved or changed since the analysis: offer nothing rather than a wrong edit
      const action = new vscode.CodeAction(localizeFixTitle(p.fix.title), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, range, p.fix.text);
      action.diagnostics = [diag];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
