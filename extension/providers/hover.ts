// Hover on a layer's construction or call, a block call, a functional op or tensor method, a helper call
// that builds layers, or the model (class name, `model = Net()`): what hoverContent.ts writes for it.
// Must stay cheap: uses the cached analysis (AnalysisService) and never analyses other files itself.
import * as vscode from 'vscode';
import { type AnalysisService, needsArguments } from '../analysis/service';
import { inputSourceLabel } from '../analysis/inputSource';
import { readConfig } from '../config';
import { enginePath } from '../analysis/workspaceHost';
import { blockHoverMarkdown, builtHoverMarkdown, type HoverOptions, hoverMarkdown, modelHoverMarkdown, opHoverMarkdown } from './hoverContent';
import { modelAt, type RowHit, rowsAt } from './rowLookup';

export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: AnalysisService) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const cfg = readConfig(doc.uri);
    const model = modelAt(this.service, doc, pos);
    if (model && !needsArguments(model.candidate)) {
      const a = await this.service.analysis(doc, model.candidate.expr);
      const { analysis, stale } = this.service.shown(doc, a);
      if (!analysis.report || token.isCancellationRequested) return undefined;
      return hover(modelHoverMarkdown(analysis.expr, analysis.input, inputSourceLabel(analysis.inputSource).long, analysis.report, {
        flopsConvention: cfg.flopsConvention, maxInstances: cfg.maxInstancesInHover,
        stale: stale ? vscode.l10n.t('numbers of the last version that parsed: line {0} has a syntax error ({1})', stale.line, stale.message) : undefined,
      }), model.range);
    }
    const hit = await rowsAt(this.service, doc, pos);
    if (!hit || token.isCancellationRequested) return undefined;
    const foreign = enginePath(hit.analysis.uri) !== enginePath(doc.uri);
    const opts: HoverOptions = {
      flopsConvention: cfg.flopsConvention,
      maxInstances: cfg.maxInstancesInHover,
      modelLabel: foreign ? `${hit.analysis.expr} (${hit.analysis.uri.path.split('/').pop()})` : undefined,
    };
    return hover(markdownFor(hit, calleeText(doc, hit.range), opts), hit.range);
  }
}

function markdownFor(hit: RowHit, callee: string, opts: HoverOptions): string {
  const report = hit.analysis.report!;
  switch (hit.kind) {
    case 'block': return blockHoverMarkdown(hit.blocks, hit.rows, report, opts);
    case 'op': return opHoverMarkdown(hit.ops, callee, opts);
    case 'built': return builtHoverMarkdown(hit.rows, hit.blocks, callee, opts);
    case 'row': {
      // A layer kind's caution is said once: on the first layer of that kind in the model.
      const first = report.rows.find((r) => r.type === hit.rows[0].type);
      return hoverMarkdown(hit.rows, { ...opts, caution: first?.name === hit.rows[0].name });
    }
  }
}

/** The callee as written (`F.relu`, `x.view`, `conv3x3`): the call's text before its argument list. */
function calleeText(doc: vscode.TextDocument, range: vscode.Range): string {
  return calleeOf(doc.getText(range));
}

/** `torch.flatten(x, 2)` → `torch.flatten`; a chained call `f(x).transpose(1, 2)` → `.transpose`. */
export function calleeOf(call: string): string {
  const text = call.trimEnd();
  if (!text.endsWith(')')) return text.trim();
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') depth--;
    if (depth === 0) {
      const callee = text.slice(0, i).trim();
      return /[)\]]/.test(callee) ? callee.slice(callee.lastIndexOf('.')) : callee;
    }
  }
  return text.trim();
}

function hover(text: string, range: vscode.Range): vscode.Hover {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  return new vscode.Hover(md, range);
}
