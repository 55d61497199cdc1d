// Activations and gradients: for each activation the model uses, f and f′ (the engine's kernels, evaluated
// in the worker) over the histogram of the call's actual inputs, saturated regions (|f′| < 0.05) shaded,
// the saturated (for ReLU: dead) share per channel; then the gradient flow — per-layer ‖∂L/∂y‖ of the run's
// backward pass on a log scale, for loss = sum of outputs or cross-entropy against a class — and "what if"
// switches whose re-run (every activation replaced, or BatchNorm removed) is drawn beside the original.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type uPlot from 'uplot';
import type { ActivationData, ActivationName, RunVariant } from '../../protocol';
import { viewInputsChanged } from '../changed';
import { ChartSlot, alpha, axis, bars, palette } from '../chart';
import type { ViewContext, ViewDef } from '../view';
import { cssom } from '../../app/cssom';
import { formulaOf } from './formulas';
import { l10n, withParts } from '../../app/l10n';

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toPrecision(5));
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const WHAT_IF: Array<[ActivationName, string]> = [['sigmoid', 'Sigmoid'], ['tanh', 'Tanh'], ['relu', 'ReLU'], ['leaky_relu', 'Leaky ReLU'], ['elu', 'ELU'], ['gelu', 'GELU']];

/** [from, to] ranges of xs where |f′| < threshold. */
function saturatedRanges(a: ActivationData): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start: number | null = null;
  for (let i = 0; i < a.xs.length; i++) {
    const sat = Math.abs(a.df[i]) < a.threshold;
    if (sat && start === null) start = a.xs[i];
    if (!sat && start !== null) { out.push([start, a.xs[i - 1]]); start = null; }
  }
  if (start !== null) out.push([start, a.xs[a.xs.length - 1]]);
  return out;
}

export class ActivationsView extends LitElement {
  static override properties = { ctx: { attribute: false } };
  declare ctx: ViewContext;
  private readonly curve = new ChartSlot();
  private readonly flow = new ChartSlot();
  private drawnCurve = '';
  private drawnFlow = '';

  protected override createRenderRoot(): HTMLElement { return this; }

  override disconnectedCallback(): void { super.disconnectedCallback(); this.curve.destroy(); this.flow.destroy(); this.drawnCurve = this.drawnFlow = ''; }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return !changed.has('ctx') || changed.size > 1 || viewInputsChanged(changed.get('ctx') as ViewContext | undefined, this.ctx, [(s) => s.ui.activations, (s) => s.whatIf, (s) => s.settings.loss]);
  }

  private actRows(): number[] { return (this.ctx.tensors ?? []).flatMap((t, i) => (t?.activation ? [i] : [])); }

  private variant(): RunVariant | null {
    const ui = this.ctx.state.ui.activations;
    if (ui.whatIf === 'original' && !ui.removeBatchNorm) return null;
    return { ...(ui.whatIf !== 'original' ? { activation: ui.whatIf } : {}), ...(ui.removeBatchNorm ? { removeBatchNorm: true } : {}) };
  }

  override render() {
    const { report, tensors, state } = this.ctx;
    if (!report) return html`<p class="ll-empty">${l10n.t('No analysis yet.')}</p>`;
    if (!tensors) return html`<p class="ll-empty">${state.job?.kind === 'run' ? l10n.t('Running…') : l10n.t('Run the model to see its activations and gradients.')}</p>${!state.job ? html`<vscode-button icon="play" @click=${() => this.ctx.run()}>${l10n.t('Run')}</vscode-button>` : nothing}`;
    const rows = this.actRows();
    const sel = state.ui.selectedRow;
    const row = sel !== null && rows.includes(sel) ? sel : rows[0];
    return html`${row === undefined ? html`<p class="ll-empty">${l10n.t('This model has no activation layer (nn.ReLU, nn.GELU, …; functional F.relu calls have no row to show).')}</p>` : this.activation(row, tensors[row].activation!)}
      ${this.gradientFlow()}`;
  }

  private activation(row: number, a: ActivationData) {
    const report = this.ctx.report!, fm = formulaOf(a.op, a.attrs);
    const C = a.channelSaturated.length;
    const relu = a.op === 'relu' || a.op === 'relu6';
    return html`<section class="ll-act" aria-label=${l10n.t('Activation')}>
      <div class="ll-toolbar" role="toolbar" aria-label=${l10n.t('Activation layer')}>
        <vscode-single-select class="ll-act-row" aria-label=${l10n.t('Activation layer')} .value=${String(row)} @change=${(e: Event) => this.ctx.select(Number((e.target as HTMLSelectElement).value))}>
          ${this.actRows().map((i) => html`<vscode-option value=${String(i)}>${report.rows[i].name} (${report.rows[i].type})</vscode-option>`)}</vscode-single-select>
        <span class="ll-muted">${l10n.t('inputs: {0} values, {1} … {2}', a.hist.counts.reduce((p, q) => p + q, 0).toLocaleString('en-US'), fmt(a.hist.lo), fmt(a.hist.hi))}</span>
      </div>
      <div class="ll-act-body">
        <div class="ll-chart ll-act-chart"></div>
        <div class="ll-words">
          <p class="ll-act-f"><b>${fm.name}</b>: ${fm.f}</p>
          <p class="ll-act-df">${fm.df}</p>
          <p class="ll-act-headline" data-share=${String(a.saturatedShare)}>${withParts(this.headline(relu, C > 1), html`<b>${pct(a.saturatedShare)}</b>`, report.rows[row].name, a.threshold, html`<b>${a.deadChannels}</b>`, C)}</p>
          <table class="ll-act-samples"><thead><tr><th>x</th>${a.samples.map((s) => html`<th>${s.x}</th>`)}</tr></thead><tbody>
            <tr><td>f(x)</td>${a.samples.map((s) => html`<td data-x=${String(s.x)} data-f=${String(s.f)}>${fmt(s.f)}</td>`)}</tr>
            <tr><td>f′(x)</td>${a.samples.map((s) => html`<td data-x=${String(s.x)} data-df=${String(s.df)}>${fmt(s.df)}</td>`)}</tr></tbody></table>
          <p class="ll-muted">${l10n.t("Shaded: |f′| < {0}. Bars: the histogram of this call's actual inputs (right axis).", a.threshold)}</p>
        </div>
      </div>
      ${C > 1 ? html`<figure class="ll-act-channels"><figcaption>${relu ? l10n.t('Dead share per channel (|f′| < {0})', a.threshold) : l10n.t('Saturated share per channel (|f′| < {0})', a.threshold)}</figcaption>
        <div class="ll-act-bars" role="list">${Array.from(a.channelSaturated, (v, c) => html`<span class="ll-act-bar" role="listitem" data-ch=${c} data-share=${String(v)} title=${l10n.t('channel {0}: {1}', c, pct(v))}><span ${cssom({ height: `${(100 * v).toFixed(1)}%` })}></span></span>`)}</div></figure>` : nothing}
    </section>`;
  }

  /** The headline sentence, one whole sentence per case (ReLU or saturating; one channel or several). */
  private headline(relu: boolean, channels: boolean): string {
    if (relu) {
      return channels
        ? l10n.t("{0} of {1}'s inputs are where |f′(x)| < {2} (x ≤ 0: the ReLU passes no gradient back there); {3} of {4} channels have every input there (dead ReLUs).")
        : l10n.t("{0} of {1}'s inputs are where |f′(x)| < {2} (x ≤ 0: the ReLU passes no gradient back there).");
    }
    return channels
      ? l10n.t("{0} of {1}'s inputs are where |f′(x)| < {2} (saturated: almost no gradient passes back); {3} of {4} channels have every input there.")
      : l10n.t("{0} of {1}'s inputs are where |f′(x)| < {2} (saturated: almost no gradient passes back).");
  }

  private gradientFlow() {
    const { report, state } = this.ctx;
    const ui = state.ui.activations, loss = state.settings.loss, w = state.whatIf;
    const rows = report!.rows as Array<{ name: string; type: string; gradNorm?: number | null }>;
    const classes = (report!.rows.at(-1)?.output ?? []).at(-1);
    return html`<section class="ll-flow" aria-label=${l10n.t('Gradient flow')}>
      <h3>${l10n.t('Gradient flow: ‖∂L/∂y‖ per layer')}</h3>
      <div class="ll-toolbar" role="toolbar" aria-label=${l10n.t('Gradient flow')}>
        <label>${l10n.t('Loss')} <select class="ll-flow-loss" .value=${loss.kind} @change=${(e: Event) => this.ctx.setLoss((e.target as HTMLSelectElement).value === 'sum' ? { kind: 'sum' } : { kind: 'crossEntropy', target: 0 })}>
          <option value="sum">${l10n.t('sum of the outputs')}</option><option value="crossEntropy">${l10n.t('cross-entropy against class')}</option></select></label>
        ${loss.kind === 'crossEntropy' ? html`<input class="ll-flow-class" type="number" min="0" max=${typeof classes === 'number' ? classes - 1 : 999} .value=${String(loss.target)} aria-label=${l10n.t('Target class')}
          @change=${(e: Event) => this.ctx.setLoss({ kind: 'crossEntropy', target: Math.max(0, Number((e.target as HTMLInputElement).value) | 0) })} />` : nothing}
        <label>${l10n.t('What if every activation were')} <select class="ll-whatif-act" .value=${ui.whatIf} @change=${(e: Event) => this.setWhatIf({ whatIf: (e.target as HTMLSelectElement).value as ActivationName | 'original' })}>
          <option value="original">${l10n.t('as in the model')}</option>${WHAT_IF.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select></label>
        <label><input class="ll-whatif-nobn" type="checkbox" .checked=${ui.removeBatchNorm} @change=${(e: Event) => this.setWhatIf({ removeBatchNorm: (e.target as HTMLInputElement).checked })} /> ${l10n.t('without BatchNorm')}</label>
        ${w?.pending ? html`<span class="ll-muted">${l10n.t('re-running…')}</span>` : nothing}
        ${w?.value && !w.pending ? html`<span class="ll-muted">${l10n.t('what-if run {0} s', (w.value.ms / 1000).toFixed(2))}</span>` : nothing}
      </div>
      ${w?.error ? html`<p class="ll-error-text">${w.error}</p>` : nothing}
      <div class="ll-chart ll-flow-chart"></div>
      <p class="ll-muted">${loss.kind === 'sum'
        ? l10n.t('One backward pass of loss = sum of the outputs, on a log scale; a norm that shrinks layer by layer towards the input is a vanishing gradient. Layers whose gradient is 0 are gaps.')
        : l10n.t('One backward pass of cross-entropy against class {0} (mean over the batch), on a log scale; a norm that shrinks layer by layer towards the input is a vanishing gradient. Layers whose gradient is 0 are gaps.', loss.target)}</p>
      <details class="ll-flow-data"><summary>${l10n.t('Numbers')}</summary>
        <table class="ll-flow-table"><thead><tr><th>#</th><th>${l10n.t('layer')}</th><th>‖∂L/∂y‖</th>${w?.value ? html`<th>${l10n.t('what if')}</th>` : nothing}</tr></thead><tbody>
          ${rows.map((r, i) => html`<tr data-row=${i}><td>${i}</td><td>${r.name} <span class="ll-muted">${r.type}</span></td><td class="ll-flow-norm" data-value=${String(r.gradNorm ?? '')}>${fmt(r.gradNorm)}</td>${w?.value ? html`<td class="ll-flow-whatif" data-value=${String(w.value.gradNorm[i] ?? '')}>${fmt(w.value.gradNorm[i])}</td>` : nothing}</tr>`)}
        </tbody></table></details>
    </section>`;
  }

  private setWhatIf(patch: Partial<{ whatIf: ActivationName | 'original'; removeBatchNorm: boolean }>): void {
    this.ctx.setUi('activations', patch);
  }

  protected override updated(): void {
    const { tensors, state } = this.ctx;
    if (!tensors) { this.curve.destroy(); this.flow.destroy(); this.drawnCurve = this.drawnFlow = ''; return; }
    if (state.ui.view === 'activations') this.ctx.wantWhatIf(this.variant());
    const rows = this.actRows();
    const sel = state.ui.selectedRow;
    const row = sel !== null && rows.includes(sel) ? sel : rows[0];
    // charts only while shown (see the BatchNorm view: uPlot in a hidden tab forces whole-panel layouts)
    const shown = state.ui.view === 'activations';
    const ck = `${row}|${state.theme}|${state.run?.ms}|${shown}`;
    if (row !== undefined && ck !== this.drawnCurve) { this.drawnCurve = ck; if (shown) this.drawCurve(tensors[row].activation!); }
    const fk = `${state.theme}|${state.run?.ms}|${state.whatIf?.value ? state.whatIf.key : ''}|${shown}`;
    if (fk !== this.drawnFlow) { this.drawnFlow = fk; if (shown) this.drawFlow(); this.ctx.rendered('activations'); }
  }

  private drawCurve(a: ActivationData): void {
    const p = palette();
    const ranges = saturatedRanges(a);
    const binW = (a.hist.hi - a.hist.lo) / a.hist.counts.length;
    // the histogram on the curve's x grid: each grid point takes the count of the bin it falls in
    const hist = Array.from(a.xs, (x) => { const b = Math.floor((x - a.hist.lo) / binW); return b >= 0 && b < a.hist.counts.length ? a.hist.counts[b] : null; });
    const shade = alpha(p.red, 0.14);
    const opts: uPlot.Options = {
      width: 520, height: 260, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: {}, count: { range: (_u, _lo, hi) => [0, hi * 1.05] } },
      axes: [axis(p), axis(p, { size: 44 }), axis(p, { side: 1, scale: 'count', grid: { show: false }, size: 50 })],
      series: [{ label: 'x', value: (_u, v) => fmt(v) },
        { label: l10n.t('inputs'), scale: 'count', stroke: alpha(p.muted, 0.6), fill: alpha(p.muted, 0.25), paths: bars(), points: { show: false } },
        { label: 'f(x)', stroke: p.blue, width: 2, points: { show: false }, value: (_u, v) => fmt(v) },
        { label: 'f′(x)', stroke: p.orange, width: 2, dash: [5, 3], points: { show: false }, value: (_u, v) => fmt(v) }],
      hooks: {
        drawClear: [(u) => {
          const g = u.ctx, { top, height } = u.bbox;
          g.save(); g.fillStyle = shade;
          for (const [x0, x1] of ranges) { const l = u.valToPos(x0, 'x', true), r = u.valToPos(x1, 'x', true); g.fillRect(l, top, Math.max(1, r - l), height); }
          g.restore();
        }],
      },
    };
    this.curve.draw(this.querySelector('.ll-act-chart'), opts, [Array.from(a.xs), hist, Array.from(a.f), Array.from(a.df)]);
  }

  private drawFlow(): void {
    const p = palette();
    const rows = this.ctx.report!.rows as Array<{ gradNorm?: number | null }>;
    const w = this.ctx.state.whatIf?.value;
    const pos = (v: number | null | undefined) => (v && v > 0 ? v : null);
    const xs = rows.map((_, i) => i);
    const names = this.ctx.report!.rows.map((r) => r.name);
    const series: uPlot.Series[] = [{ label: l10n.t('layer'), value: (_u, v) => (v === null ? '' : `${v}: ${names[v] ?? ''}`) },
      { label: l10n.t('this model'), stroke: p.blue, width: 2, points: { show: true, size: 5, fill: p.blue }, value: (_u, v) => fmt(v) }];
    const data: uPlot.AlignedData = [xs, rows.map((r) => pos(r.gradNorm))];
    if (w) {
      const v = w.variant;
      const label = v.activation
        ? (v.removeBatchNorm ? l10n.t('what if: every activation {0}, no BatchNorm', v.activation) : l10n.t('what if: every activation {0}', v.activation))
        : v.removeBatchNorm ? l10n.t('what if: no BatchNorm') : l10n.t('what if');
      series.push({ label, stroke: p.orange, width: 2, dash: [6, 3], points: { show: true, size: 5, fill: p.orange }, value: (_u, x) => fmt(x) });
      data.push(w.gradNorm.map(pos));
    }
    const opts: uPlot.Options = {
      width: 720, height: 240, scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [axis(p, { label: l10n.t('layer (call order)'), values: (_u, t) => t.map((x) => (Number.isInteger(x) ? String(x) : '')) }), axis(p, { size: 60, values: (_u, t) => t.map((x) => fmt(x)) })],
      series,
    };
    this.flow.draw(this.querySelector('.ll-flow-chart'), opts, data);
  }
}
customElements.define('ll-activations-view', ActivationsView);

export const activationsView: ViewDef = {
  id: 'activations',
  // NOTE: the key has a comment: the Summary's column 'Activations' (activation memory) is another word in Chinese
  get title() { return l10n.t({ message: 'Activations', comment: ['the Inspector tab on activation functions and gradients'] }); }, icon: 'pulse', needs: 'run',
  render: (ctx) => html`<ll-activations-view .ctx=${ctx}></ll-activations-view>`,
};
