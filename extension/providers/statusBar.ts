// Status bar item for the active Python editor: the active model, its input shape and where the shape comes
// from; the tooltip has the totals (honest: `≥ … (incomplete)` with the reasons, stale while half typed).
// Clicking it opens a menu to change them (Select Model / Set Input Shape / Summary).
import { CommandId } from '../commands/commandIds';
import * as vscode from 'vscode';
import { AnalysisService } from '../analysis/service';
import { inputSourceLabel } from '../analysis/inputSource';
import { readConfig } from '../config';
import { incompleteText, lensTitle, staleSuffix } from './codeLens';

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
  get state(): { visible: boolean; text: string; tooltip: string; accessibilityLabel: string } {
    const t = this.item.tooltip;
    return { visible: this.visible, text: this.item.text, tooltip: typeof t === 'string' ? t : t?.value ?? '', accessibilityLabel: this.item.accessibilityInformation?.label ?? '' };
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
      this.item.accessibilityInformation = { label: vscode.l10n.t('LayerLens: no model found in this file. Activate to enter a model expression.') };
    } else {
      const { input, source } = this.service.resolveInput(doc, expr);
      const label = inputSourceLabel(source);
      const dims = input.map((s) => s.join('×')).join(', ');
      this.item.text = `$(layers) ${expr} · ${dims} (${label.short})`;
      const latest = this.service.latest(doc.uri);
      const shown = latest?.report && latest.expr === expr ? this.service.shown(doc, latest) : undefined;
      const r = shown?.analysis.report;
      const summary = r ? `${lensTitle(r, readConfig(doc.uri).flopsConvention)}${staleSuffix(shown!)}` : '';
      const why = r?.totals.incomplete ? `\n\n${incompleteText(r)}` : '';
      this.item.tooltip = new vscode.MarkdownString(`${vscode.l10n.t('**LayerLens** — model {0}, input {1}, {2}', `\`${expr}\``, input.map((s) => `\`[${s.join(', ')}]\``).join(', '), label.long)}${summary ? `\n\n${summary}` : ''}${why}\n\n${vscode.l10n.t('Click to change the model or the input shape.')}`);
      // Screen readers read this instead of the text: plain words, no icon syntax or symbols.
      this.item.accessibilityInformation = {
        label: `${vscode.l10n.t('LayerLens model {0}, input {1}, {2}', expr, input.map((s) => s.join(vscode.l10n.t(' by '))).join(vscode.l10n.t(' and ')), label.short)}${summary ? `. ${summary.replace(/ · /g, ', ').replace(/≥/g, vscode.l10n.t('at least')).replace(/\[|\]/g, '')}` : ''}. ${vscode.l10n.t('Activate to change the model or the input shape.')}`,
      };
    }
    this.item.show();
    this.visible = true;
  }
}
