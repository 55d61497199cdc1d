// Status bar item for the active Python editor: the active model and its input shape; clicking it opens a
// menu to change them (Select Model / Set Input Shape / Summary).
import { CommandId } from '../commands/commandIds';
import * as vscode from 'vscode';
import { AnalysisService } from '../analysis/service';
import { readConfig } from '../config';
import { lensTitle } from './codeLens';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('layerlens.model', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly service: AnalysisService) {
    this.item.name = vscode.l10n.t('LayerLens model');
    this.item.command = CommandId.statusMenu;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      service.onDidChange(() => this.update()),
    );
    this.update();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** What the item shows now (the integration tests read it through the extension's exports). */
  get state(): { visible: boolean; text: string; tooltip: string } {
    const t = this.item.tooltip;
    return { visible: this.visible, text: this.item.text, tooltip: typeof t === 'string' ? t : t?.value ?? '' };
  }

  private visible = false;

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !AnalysisService.isPython(doc)) {
      this.item.hide();
      this.visible = false;
      return;
    }
    if (!this.service.hasDiscovery(doc)) {
      // Discovery runs on the worker: show the item once it is known which models the file has.
      void this.service.discovery(doc).then(() => this.update());
      return;
    }
    const expr = this.service.activeExpr(doc);
    if (!expr) {
      this.item.text = `$(layers) ${vscode.l10n.t('LayerLens: no model')}`;
      this.item.tooltip = vscode.l10n.t('No nn.Module model found in this file. Click to enter a model expression.');
    } else {
      const { input, source } = this.service.resolveInput(doc, expr);
      this.item.text = `$(layers) ${expr} · ${input.map((s) => s.join('×')).join(', ')}`;
      const latest = this.service.latest(doc.uri);
      const totals = latest?.report && latest.expr === expr ? `\n\n${lensTitle(latest.report, readConfig(doc.uri).flopsConvention)}` : '';
      this.item.tooltip = new vscode.MarkdownString(`**LayerLens** — ${vscode.l10n.t('model {0}, input {1} ({2})', `\`${expr}\``, input.map((s) => `\`[${s.join(', ')}]\``).join(', '), source)}${totals}\n\n${vscode.l10n.t('Click to change the model or the input shape.')}`);
    }
    this.item.show();
    this.visible = true;
  }
}
