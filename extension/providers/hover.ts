// Hover on a layer's construction or call: what hoverContent.ts writes for the rows at the position.
// Must stay cheap: uses the cached analysis (AnalysisService) and never analyses other files itself.
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysis/service';
import { readConfig } from '../config';
import { enginePath } from '../analysis/workspaceHost';
import { hoverMarkdown } from './hoverContent';
import { rowsAt } from './rowLookup';

export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: AnalysisService) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const hit = await rowsAt(this.service, doc, pos);
    if (!hit || token.isCancellationRequested) return undefined;
    const cfg = readConfig(doc.uri);
    const foreign = enginePath(hit.analysis.uri) !== enginePath(doc.uri);
    const md = new vscode.MarkdownString(hoverMarkdown(hit.rows, {
      flopsConvention: cfg.flopsConvention,
      maxInstances: cfg.maxInstancesInHover,
      modelLabel: foreign ? `${hit.analysis.expr} (${hit.analysis.uri.path.split('/').pop()})` : undefined,
    }));
    md.isTrusted = false;
    return new vscode.Hover(md, hit.range);
  }
}

