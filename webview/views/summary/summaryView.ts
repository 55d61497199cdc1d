// The Summary view: the report's rows in a vscode-table with sortable columns, share-of-total bars for
// params and MACs, a depth control folding rows into their blocks, a filter, honest totals and Copy as
// Markdown / CSV / JSON. Selecting a line (click, arrows, Enter) selects the row everywhere and reveals it.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { fmtBytes, fmtInt, fmtSI, fmtShape } from '../../../engine/analysis/format';
import { cssom } from '../../app/cssom';
import type { SortKey } from '../../app/store';
import { viewInputsChanged } from '../changed';
import type { ViewContext, ViewDef } from '../view';
import { filterRows, maxDepth, share, sortRows, tableRows, totalsOf, type TableRow } from './summaryModel';
import { l10n } from '../../app/l10n';

interface Column { id: string; key: SortKey | null; label: string; numeric: boolean; width: string; title?: string }

const COLUMNS: Column[] = [
  { id: 'order', key: 'order', label: '#', numeric: true, width: '4%', title: l10n.t('Order of the calls in forward') },
  { id: 'name', key: 'name', label: l10n.t('Layer'), numeric: false, width: '19%' },
  { id: 'type', key: 'type', label: l10n.t('Type'), numeric: false, width: '11%' },
  { id: 'output', key: null, label: l10n.t('Output'), numeric: false, width: '12%', title: l10n.t('Output shape') },
  { id: 'params', key: 'params', label: l10n.t('Params'), numeric: true, width: '10%' },
  { id: 'macs', key: 'macs', label: 'MACs', numeric: true, width: '12%', title: l10n.t('Multiply-accumulates, batch included') },
  { id: 'memory', key: 'memory', label: l10n.t('Activations'), numeric: true, width: '8%', title: l10n.t('Bytes of the output tensor(s)') },
  { id: 'mean', key: 'mean', label: l10n.t('Mean'), numeric: true, width: '8%', title: l10n.t('Mean of the output in the last run (— before a run)') },
  { id: 'std', key: 'std', label: l10n.t('Std'), numeric: true, width: '8%', title: l10n.t('Standard deviation of the output in the last run (— before a run)') },
  { id: 'gradNorm', key: 'gradNorm', label: '‖∂L/∂y‖', numeric: true, width: '8%', title: l10n.t('L2 norm of the gradient of loss = sum(output) w.r.t. this output, in the last run (— before a run)') },
];
// one array for every render: vscode-table lays its columns out again whenever it gets a new one
const WIDTHS = COLUMNS.map((c) => c.width);

const num = (x: number | null): string => (x === null ? '—' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4));

export class SummaryView extends LitElement {
  static override properties = { ctx: { attribute: false } };
  declare ctx: ViewContext;
  private lines: TableRow[] = [];

  protected override createRenderRoot(): HTMLElement { return this; }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return !changed.has('ctx') || changed.size > 1 || viewInputsChanged(changed.get('ctx') as ViewContext | undefined, this.ctx, [(s) => s.ui.summary]);
  }

  override render() {
    const { report, state } = this.ctx;
    if (!report) return html`<p class="ll-empty">${state.job ? l10n.t('Analysing…') : l10n.t('No analysis yet.')}</p>`;
    const ui = state.ui.summary;
    const cols = COLUMNS;
    const totals = totalsOf(report);
    this.lines = sortRows(filterRows(tableRows(report, ui.depth), ui.filter), ui.sort, ui.descending);
    const deepest = maxDepth(report.rows);
    return html`
      <div class="ll-toolbar" role="toolbar" aria-label="Summary">
        <vscode-textfield class="ll-filter" placeholder="Filter layers by name or type" aria-label="Filter layers" .value=${ui.filter}
          @input=${(e: Event) => this.ctx.setUi('summary', { filter: (e.target as HTMLInputElement).value })}>
          <vscode-icon slot="content-before" name="filter"></vscode-icon>
        </vscode-textfield>
        <vscode-label for="ll-depth">${l10n.t('Depth')}</vscode-label>
        <vscode-single-select id="ll-depth" class="ll-depth" aria-label="Depth" .value=${ui.depth === null ? 'all' : String(ui.depth)}
          @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; this.ctx.setUi('summary', { depth: v === 'all' ? null : Number(v) }); }}>
          <vscode-option value="all">${l10n.t('All layers')}</vscode-option>
          ${Array.from({ length: deepest }, (_, i) => html`<vscode-option value=${String(i + 1)}>${i + 1}</vscode-option>`)}
        </vscode-single-select>
        <span class="ll-spacer"></span>
        <vscode-button secondary icon="markdown" @click=${() => this.ctx.copy('markdown')} title=${l10n.t('Copy the summary as Markdown')}>Markdown</vscode-button>
        <vscode-button secondary icon="list-flat" @click=${() => this.ctx.copy('csv')} title=${l10n.t('Copy the summary as CSV')}>CSV</vscode-button>
        <vscode-button secondary icon="json" @click=${() => this.ctx.copy('json')} title=${l10n.t('Copy the summary as JSON')}>JSON</vscode-button>
      </div>
      <div class="ll-totals" aria-live="polite">
        <span><b>${report.model}</b> · input ${report.inputs.map((s) => fmtShape(s)).join(', ')}</span>
        <span title=${l10n.t('{0} parameters', fmtInt(totals.params))}>${l10n.t('Params')} <b class="ll-total-params">${fmtInt(totals.params)}</b> (${fmtSI(totals.params)})</span>
        <span class="ll-total-macs" title=${totals.macsIncomplete ? l10n.t('{0} row(s) have unknown MACs: the total is a lower bound', totals.macsUnknownRows) : l10n.t('Total multiply-accumulates')}>
          MACs <b>${totals.macsIncomplete ? `≥ ${fmtInt(totals.macs)} (incomplete)` : fmtInt(totals.macs)}</b> (${fmtSI(totals.macs)})</span>
        <span>${l10n.t('Activations')} <b>${fmtBytes(totals.activationBytes)}</b></span>
        <span class="ll-count">${this.lines.length} of ${report.rows.length} rows</span>
      </div>
      <vscode-table class="ll-table" zebra bordered-columns resizable .columns=${WIDTHS}>
        <vscode-table-header slot="header">
          ${cols.map((c) => this.header(c))}
        </vscode-table-header>
        <vscode-table-body slot="body" @keydown=${this.onKey}>
          ${this.lines.map((l) => this.row(l, cols, totals.params, totals.macs))}
        </vscode-table-body>
      </vscode-table>`;
  }

  private header(c: Column) {
    const ui = this.ctx.state.ui.summary;
    if (!c.key) return html`<vscode-table-header-cell title=${c.title ?? c.label}>${c.label}</vscode-table-header-cell>`;
    const key = c.key;
    const active = ui.sort === key;
    const sort = active ? (ui.descending ? 'descending' : 'ascending') : 'none';
    // first click: largest first for numbers, A→Z for names; second: the other way; third: forward order
    const first = key !== 'order' && c.numeric;
    const next = () => this.ctx.setUi('summary', !active ? { sort: key, descending: first } : key === 'order' || ui.descending === first ? { descending: !ui.descending } : { sort: 'order', descending: false });
    return html`<vscode-table-header-cell class=${c.numeric ? 'll-num' : ''} aria-sort=${sort}>
      <button class="ll-sort" data-sort=${key} title=${c.title ?? l10n.t('Sort by {0}', c.label)} @click=${next}>${c.label}
        <span class="codicon ${sort === 'ascending' ? 'codicon-arrow-up' : sort === 'descending' ? 'codicon-arrow-down' : ''}" aria-hidden="true"></span></button>
    </vscode-table-header-cell>`;
  }

  private row(l: TableRow, cols: Column[], params: number, macs: number) {
    const selected = this.ctx.state.ui.selectedRow;
    const isSel = selected !== null && (l.index === selected || (l.folded && selected >= l.index && selected < l.index + l.count));
    const cell = (c: Column) => {
      switch (c.id) {
        case 'order': return String(l.index + 1);
        case 'name': return html`<span class="ll-name" ${cssom({ 'padding-left': `${Math.max(0, l.depth - 1) * 12}px` })}>${l.folded ? html`<span class="codicon codicon-symbol-namespace" aria-hidden="true"></span>` : nothing}${l.name || '(model)'}${l.count > 1 ? html` <vscode-badge>${l.count}</vscode-badge>` : nothing}</span>`;
        case 'type': return l.type;
        case 'output': return fmtShape(l.output);
        case 'params': return this.bar(fmtInt(l.params), share(l.params, params), l10n.t('{0} % of the parameters', (100 * share(l.params, params)).toFixed(1)));
        case 'macs': return this.bar(l.macs === null ? '?' : l.incomplete ? `≥ ${fmtInt(l.macs)}` : fmtInt(l.macs), share(l.macs, macs), l.macs === null ? l10n.t('unknown') : l10n.t('{0} % of the MACs', (100 * share(l.macs, macs)).toFixed(1)));
        case 'memory': return fmtBytes(l.outputBytes);
        case 'mean': return num(l.mean);
        case 'std': return num(l.std);
        case 'gradNorm': return num(l.gradNorm);
      }
    };
    return html`<vscode-table-row class=${isSel ? 'll-row selected' : 'll-row'} data-index=${l.index} tabindex=${isSel || (selected === null && l === this.lines[0]) ? '0' : '-1'}
        aria-selected=${isSel ? 'true' : 'false'} @click=${() => this.ctx.select(l.index)}>
      ${cols.map((c) => html`<vscode-table-cell class=${c.numeric ? 'll-num' : ''}>${cell(c)}</vscode-table-cell>`)}
    </vscode-table-row>`;
  }

  private bar(text: string, part: number, title: string) {
    return html`<span class="ll-bar" title=${title}><span class="ll-bar-fill" ${cssom({ width: `${(100 * part).toFixed(2)}%` })}></span><span class="ll-bar-text">${text}</span></span>`;
  }

  private onKey = (e: KeyboardEvent): void => {
    const rows = this.lines;
    if (!rows.length) return;
    const cur = rows.findIndex((l) => l.index === this.ctx.state.ui.selectedRow);
    const to = (i: number) => { e.preventDefault(); this.ctx.select(rows[Math.max(0, Math.min(rows.length - 1, i))].index); };
    switch (e.key) {
      case 'ArrowDown': return to(cur + 1);
      case 'ArrowUp': return to(cur <= 0 ? 0 : cur - 1);
      case 'Home': return to(0);
      case 'End': return to(rows.length - 1);
      case 'Enter': case ' ': return cur >= 0 ? to(cur) : to(0);
    }
  };

  protected override updated(changed: PropertyValues<this>): void {
    const { report, state } = this.ctx;
    if (!report) return;
    const sel = this.querySelector<HTMLElement>('vscode-table-row.selected');
    const prev = changed.get('ctx') as ViewContext | undefined;
    if (sel && prev?.state.ui.selectedRow !== state.ui.selectedRow) {
      sel.scrollIntoView({ block: 'nearest' });
      if (this.contains(document.activeElement) && document.activeElement !== sel) sel.focus();
    }
    this.ctx.rendered('summary', this.lines.length);
  }
}
customElements.define('ll-summary-view', SummaryView);

export const summaryView: ViewDef = {
  id: 'summary', get title() { return l10n.t('Summary'); }, icon: 'table', needs: 'analysis',
  render: (ctx) => html`<ll-summary-view .ctx=${ctx}></ll-summary-view>`,
};
