// Publishes the engine's diagnostics (shape mismatches at the exact argument, unknown constructs, syntax
// and import problems) for the active model of each open Python file, and offers their fixes as Quick
// Fixes. Also what makes analysis start when a file is opened or shown. Only where the user can act: in
// open files, one syntax error per file, each construct once, and no notes inside imported files that
// change no number. While a line is half typed the last good analysis's diagnostics stay on unchanged lines.
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
      vscode.workspace.onDidOpenTextDocument((d) => { this.touch(d); this.show(d.uri); }),
      vscode.window.onDidChangeVisibleTextEditors((eds) => eds.forEach((e) => this.touch(e.document))),
      vscode.workspace.onDidCloseTextDocument((d) => { this.clear(d.uri); this.collection.delete(d.uri); }),
    );
    vscode.window.visibleTextEditors.forEach((e) => this.touch(e.document));
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Published diagnostics (with their fixes) on `uri`: each construct once, whichever models report it. */
  publishedOn(uri: vscode.Uri): Published[] {
    const out: Published[] = [];
    const seen = new Set<string>();
    for (const targets of this.byOwner.values()) {
      for (const p of targets.get(uri.toString()) ?? []) {
        const r = p.diagnostic.range;
        const k = `${p.diagnostic.code}|${p.diagnostic.message}|${r.start.line}:${r.start.character}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(p);
      }
    }
    return out;
  }

  /** Starts the analysis of a Python document (its results arrive through onDidChange). */
  private touch(doc: vscode.TextDocument): void {
    if (AnalysisService.isPython(doc)) void this.service.active(doc);
  }

  private publish(uri: vscode.Uri, cascade = true): void {
    const latest = this.service.latest(uri);
    // the files this model reads may have published a guess of their own before it was known they are imported
    if (cascade) {
      for (const p of latest?.report?.filesRead ?? []) {
        const other = vscode.workspace.textDocuments.find((d) => d.uri.toString() !== uri.toString() && enginePath(d.uri) === p && this.byOwner.has(d.uri.toString()));
        if (other) this.publish(other.uri, false);
      }
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // A file another model imports, analysed on its own only with the default input (no example, no
    // choice): that guess is not the user's model; the importer's analysis reports on this file.
    const guessed = latest?.inputSource === 'setting' && !latest.fatal && this.service.importers(enginePath(uri)).length > 0;
    if (!doc || !latest || guessed || !readConfig(uri).diagnosticsEnabled) {
      this.setOwner(uri, new Map());
      return;
    }
    // Half typed: the syntax error of this version, and the last good analysis's problems on unchanged lines.
    const { analysis: a, stale } = this.service.shown(doc, latest);
    const syntax = stale ? firstSyntaxErrors(latest.report?.diagnostics ?? []) : [];
    const all = relevant(dedupe([...this.service.knownDiscovery(doc).diagnostics, ...(a.report?.diagnostics ?? []), ...(a.fatal ? [a.fatal] : [])]), a, enginePath(uri));
    // A problem without a place in the code belongs to the model as a whole: show it on its name.
    const modelRange = this.service.mapLoc(a, a.candidate?.loc, doc) ?? new vscode.Range(0, 0, 0, 0);
    const targets = new Map<string, Published[]>();
    for (const [d, from] of [...syntax.map((x) => [x, latest] as const), ...all.map((x) => [x, a] as const)]) {
      const file = d.loc?.file ?? enginePath(uri);
      const own = file === enginePath(uri);
      const target = own ? uri : uri.with({ path: file });
      // In this file the analysis may be of an earlier version (comments edited since): its lines, moved.
      const range = !d.loc ? modelRange : own ? this.service.mapLoc(from, d.loc, doc) : new vscode.Range(d.loc.line, d.loc.col, d.loc.endLine, d.loc.endCol);
      if (!range) continue;
      const vd = new vscode.Diagnostic(range, localizeDiagnostic(d.message), severity(d.severity));
      vd.source = SOURCE;
      vd.code = d.code;
      const list = targets.get(target.toString()) ?? [];
      list.push({ diagnostic: vd, fix: d.fix, analysis: from });
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
    for (const t of affected) this.show(vscode.Uri.parse(t));
  }

  /** Puts what the models report on `uri` into the collection: only while `uri` is open in the editor. */
  private show(uri: vscode.Uri): void {
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    if (open) this.collection.set(uri, this.publishedOn(uri).map((p) => p.diagnostic));
    else this.collection.delete(uri);
  }
}

function severity(s: Diagnostic['severity']): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
  }
}

/** One syntax error per file (Python reports the first and stops; the rest follow from it). */
export function firstSyntaxErrors(ds: readonly Diagnostic[]): Diagnostic[] {
  const files = new Set<string>();
  return ds.filter((d) => {
    if (d.code !== 'syntax') return false;
    const f = d.loc?.file ?? '';
    if (files.has(f)) return false;
    files.add(f);
    return true;
  });
}

/**
 * The diagnostics worth showing: one syntax error per file, and no note inside another file (an imported
 * library's `_log_api_usage_once`) when the analysis is complete anyway (the note changed no number).
 */
export function relevant(ds: Diagnostic[], a: Pick<Analysis, 'report'>, ownFile: string): Diagnostic[] {
  const complete = !!a.report && !a.report.totals.incomplete && a.report.output !== null;
  const syntax = new Set(firstSyntaxErrors(ds));
  return ds.filter((d) => {
    if (d.code === 'syntax') return syntax.has(d);
    return !(complete && d.severity === 'info' && d.loc !== undefined && d.loc.file !== ownFile);
  });
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
