// *LayerLens: Show Model Summary as Text*: the torchinfo-like table in a read-only editor (a virtual document
// of scheme `layerlens-summary`, re-rendered when the analysis changes; the Inspector's Summary view is the
// rich one), and Copy as Markdown / CSV / JSON of the same data for both.
import * as vscode from 'vscode';
import * as engine from '../../engine';
import type { Report } from '../../engine';
import type { Analysis, AnalysisService } from '../analysis/service';
import { resolveTarget } from './target';

export const SUMMARY_SCHEME = 'layerlens-summary';

export function summaryUri(source: vscode.Uri, expr: string): vscode.Uri {
  const base = source.path.split('/').pop() ?? 'model.py';
  const title = `${expr.replace(/[/\\]/g, '∕')} — ${base}.txt`;
  const query = new URLSearchParams({ src: source.toString(), model: expr }).toString();
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${title}`, query });
}

function parseSummaryUri(uri: vscode.Uri): { source: vscode.Uri; expr: string } | undefined {
  const q = new URLSearchParams(uri.query);
  const src = q.get('src');
  const model = q.get('model');
  return src && model ? { source: vscode.Uri.parse(src), expr: model } : undefined;
}

export class SummaryDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly service: AnalysisService) {
    this.sub = service.onDidChange((src) => {
      for (const d of vscode.workspace.textDocuments) {
        if (d.uri.scheme === SUMMARY_SCHEME && parseSummaryUri(d.uri)?.source.toString() === src.toString()) this.changed.fire(d.uri);
      }
    });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const a = await this.analysisFor(uri);
    if (!a) return 'LayerLens: the source file of this summary is not available.\n';
    return summaryText(a);
  }

  async analysisFor(uri: vscode.Uri): Promise<Analysis | undefined> {
    const p = parseSummaryUri(uri);
    if (!p) return undefined;
    const doc = await vscode.workspace.openTextDocument(p.source);
    return this.service.analysis(doc, p.expr);
  }
}

function summaryText(a: Analysis): string {
  const file = a.uri.path.split('/').pop();
  const head = [
    `LayerLens summary — ${a.expr} in ${file}`,
    `input ${a.input.map(engine.fmtShape).join(', ')} (${inputSourceText(a.inputSource)})`,
    '',
  ];
  if (!a.report) return [...head, `The analysis failed: ${a.error ?? 'unknown error'}`].join('\n') + '\n';
  const diags = a.report.diagnostics.map((d) => {
    const where = d.loc ? `${d.loc.file.split('/').pop()}:${d.loc.line + 1}:${d.loc.col + 1} ` : '';
    return `  ${where}${d.severity}: ${d.message}`;
  });
  return [...head, engine.formatTable(a.report), ...(diags.length > 0 ? ['', 'Diagnostics:', ...diags] : [])].join('\n') + '\n';
}

function inputSourceText(s: Analysis['inputSource']): string {
  switch (s) {
    case 'comment': return 'from the `# layerlens: input=` comment';
    case 'example': return 'from the example tensor in the file';
    case 'user': return 'set with LayerLens: Set Input Shape';
    case 'setting': return 'from the layerlens.defaultInputShape setting';
  }
}

export async function showSummary(service: AnalysisService, uri?: vscode.Uri, expr?: string): Promise<vscode.Uri | undefined> {
  const target = await resolveTarget(service, uri, expr);
  if (!target) return undefined;
  const su = summaryUri(target.doc.uri, target.expr);
  const doc = await vscode.workspace.openTextDocument(su);
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return su;
}

export type CopyFormat = 'markdown' | 'csv' | 'json';

/** Copies the summary (of the summary editor, or of the active Python file's model) and returns the text. */
export async function copySummary(service: AnalysisService, provider: SummaryDocumentProvider, format: CopyFormat, uri?: vscode.Uri, expr?: string): Promise<string | undefined> {
  const su = uri ?? vscode.window.activeTextEditor?.document.uri;
  let a: Analysis | undefined;
  if (su?.scheme === SUMMARY_SCHEME) a = await provider.analysisFor(su);
  else {
    const target = await resolveTarget(service, su, expr);
    if (target) a = await service.analysis(target.doc, target.expr);
  }
  if (!a?.report) {
    void vscode.window.showWarningMessage(vscode.l10n.t('LayerLens: no summary to copy (open a Python model file first).'));
    return undefined;
  }
  const text = formatReport(a.report, format);
  try {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(vscode.l10n.t('LayerLens: summary copied as {0}', format.toUpperCase()), 3000);
  } catch (e) {
    void vscode.window.showWarningMessage(vscode.l10n.t('LayerLens: could not write the clipboard ({0}).', e instanceof Error ? e.message : String(e)));
  }
  return text;
}

function formatReport(r: Report, format: CopyFormat): string {
  switch (format) {
    case 'markdown': return engine.toMarkdown(r) + '\n';
    case 'csv': return engine.toCsv(r) + '\n';
    case 'json': return engine.toContractJson(r) + '\n';
  }
}
