// CodeLens above each model the file defines: `11.69 M params · 1.81 GMACs · out [1, 1000]` and *Inspect*.
// Each lens is resolved lazily (only visible ones are analysed), from AnalysisService's cache. One lens per
// model (the class, not again above `model = Net()`); while a line is half typed the last good numbers
// stay, marked stale; an incomplete total reads `≥ … (incomplete)` with the reasons in the tooltip.
import { CommandId } from '../commands/commandIds';
import * as vscode from 'vscode';
import { fmtShape, fmtSI } from '../../engine';
import type { ModelCandidate, Report } from '../../engine';
import { type AnalysisService, needsArguments, type Shown } from '../analysis/service';
import { type FlopsConvention, readConfig } from '../config';

class ModelLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly doc: vscode.TextDocument, readonly candidate: ModelCandidate) {
    super(range);
  }
}

export class ModelCodeLensProvider implements vscode.CodeLensProvider<vscode.CodeLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly service: AnalysisService) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readConfig(doc.uri).codeLensEnabled) return [];
    const models = await this.service.models(doc);
    if (token?.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const { candidate: c, range: at } of onePerModel(models)) {
      const line = Math.min(at.start.line, doc.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new ModelLens(range, doc, c));
      lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Inspect'), command: CommandId.openInspector, arguments: [doc.uri, c.expr], tooltip: vscode.l10n.t('Open the LayerLens Inspector on {0}: summary, graph, feature maps', c.expr) }));
    }
    return lenses;
  }

  async resolveCodeLens(lens: vscode.CodeLens): Promise<vscode.CodeLens> {
    if (!(lens instanceof ModelLens)) return lens;
    if (needsArguments(lens.candidate)) {
      lens.command = { title: vscode.l10n.t('LayerLens: {0} needs constructor arguments — Select Model…', lens.candidate.name), command: CommandId.selectModel, arguments: [undefined, lens.doc.uri] };
      return lens;
    }
    const a = await this.service.analysis(lens.doc, lens.candidate.expr);
    lens.command = lensCommand(this.service.shown(lens.doc, a), readConfig(lens.doc.uri).flopsConvention);
    return lens;
  }
}

/** The models to put a lens above: an assignment `model = Net()` of a class the file defines is that class. */
export function onePerModel<T extends { candidate: ModelCandidate }>(models: T[]): T[] {
  const exprs = new Set(models.filter((m) => m.candidate.kind !== 'assignment').map((m) => m.candidate.expr.replace(/\s+/g, '')));
  const seen = new Set<string>();
  return models.filter((m) => {
    const e = m.candidate.expr.replace(/\s+/g, '');
    if (m.candidate.kind === 'assignment' && exprs.has(e)) return false;
    if (seen.has(`${m.candidate.kind}|${e}`)) return false;
    seen.add(`${m.candidate.kind}|${e}`);
    return true;
  });
}

/** The tooltip's account of an incomplete total: each reason on its own line. */
export function incompleteText(r: Report): string {
  const why = r.totals.incomplete;
  return why?.length ? `${vscode.l10n.t('Incomplete total — the count is a lower bound because:')}\n${why.map((w) => `- ${w}`).join('\n')}` : '';
}

/** `· stale (syntax error, line 17)` after the numbers of the last version that parsed. */
export function staleSuffix(shown: Shown): string {
  return shown.stale ? ` · ${vscode.l10n.t('stale (syntax error, line {0})', shown.stale.line)}` : '';
}

function lensCommand(shown: Shown, convention: FlopsConvention): vscode.Command {
  const a = shown.analysis;
  const args = [a.uri, a.expr];
  const r = a.report;
  if (!r) return { title: a.error ? vscode.l10n.t('LayerLens: analysis failed ({0})', a.error) : vscode.l10n.t('LayerLens: analysis failed'), command: CommandId.selectModel, arguments: [undefined, a.uri] };
  const problem = r.diagnostics.find((d) => d.severity === 'error');
  if (r.rows.length === 0 && problem) {
    return { title: `LayerLens: ${truncate(problem.message, 90)}`, command: CommandId.selectModel, arguments: [undefined, a.uri], tooltip: vscode.l10n.t('Choose the model expression to analyse') };
  }
  const why = r.totals.incomplete ? `\n\n${incompleteText(r)}` : '';
  const stale = shown.stale ? `\n\n${vscode.l10n.t('The numbers of the last version that parsed: line {0} has a syntax error ({1}).', shown.stale.line, shown.stale.message)}` : '';
  return { title: `${lensTitle(r, convention)}${staleSuffix(shown)}`, command: CommandId.showSummary, arguments: args, tooltip: `${vscode.l10n.t('{0} with input {1}: the summary in the Inspector', a.expr, a.input.map(fmtShape).join(', '))}${stale}${why}` };
}

/** `11.69 M params · 1.81 GMACs · out [1, 1000]`; an incomplete total reads `≥ 44.83 MMACs (incomplete)`. */
export function lensTitle(r: Report, convention: FlopsConvention): string {
  const count = convention === 'flops' ? r.totals.flops : r.totals.macs;
  const bound = convention === 'flops' ? r.totals.flopsLowerBound : r.totals.macsLowerBound;
  const unit = convention === 'flops' ? 'FLOPs' : 'MACs';
  const fmt = (n: number): string => (n >= 1000 ? `${fmtSI(n)}${unit}` : `${n} ${unit}`);
  const cost = count === null ? `≥ ${fmt(bound ?? 0)} (incomplete)` : fmt(count);
  const params = r.totals.params >= 1000 ? `${fmtSI(r.totals.params)} params` : `${r.totals.params} params`;
  return `${params} · ${cost} · out ${fmtShape(r.output)}`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
