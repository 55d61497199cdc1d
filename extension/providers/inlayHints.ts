// Inlay hints: the output shape after each layer call in `forward` and after each item of an
// `nn.Sequential(...)`. Uses the cached (or, while typing, last good) analysis; never blocks on typing.
import * as vscode from 'vscode';
import { fmtShape } from '../../engine';
import type { Row } from '../../engine';
import type { AnalysisService } from '../analysis/service';
import { readConfig } from '../config';

export class ShapeInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly service: AnalysisService) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideInlayHints(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    if (!readConfig(doc.uri).inlayHintsEnabled) return [];
    const a = await this.service.active(doc);
    if (!a?.report || token.isCancellationRequested) return [];
    const types = new Map(a.report.modules.map((m) => [m.name, m.type]));
    const at = new Map<string, { pos: vscode.Position; rows: Row[] }>();
    for (const row of a.report.rows) {
      const parent = row.name.includes('.') ? row.name.slice(0, row.name.lastIndexOf('.')) : '';
      // Items of a Sequential are called by torch, not by the user's code: the hint goes after the item.
      const inSequential = types.get(parent) === 'Sequential' && row.name !== parent;
      const r = inSequential ? this.service.mapLoc(a, row.defLoc, doc) : this.service.mapLoc(a, row.callLoc, doc);
      if (!r || !range.contains(r.end)) continue;
      const key = `${r.end.line}:${r.end.character}`;
      const slot = at.get(key) ?? { pos: r.end, rows: [] };
      slot.rows.push(row);
      at.set(key, slot);
    }
    return [...at.values()].map(({ pos, rows }) => hint(pos, rows));
  }
}

function hint(pos: vscode.Position, rows: Row[]): vscode.InlayHint {
  const shapes = [...new Set(rows.map((r) => fmtShape(r.output)))];
  const label = `→ ${shapes[0]}${shapes.length > 1 ? vscode.l10n.t(' (+{0} more)', shapes.length - 1) : ''}`;
  const h = new vscode.InlayHint(pos, label, vscode.InlayHintKind.Type);
  h.paddingLeft = true;
  const lines = rows.slice(0, 12).map((r) => `- \`${r.name}\` (${r.type}) → \`${fmtShape(r.output)}\``);
  if (rows.length > 12) lines.push(vscode.l10n.t('- …and {0} more', rows.length - 12));
  h.tooltip = new vscode.MarkdownString([vscode.l10n.t('LayerLens output shape'), ...lines].join('\n'));
  return h;
}
