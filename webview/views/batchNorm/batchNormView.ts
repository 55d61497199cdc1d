// The BatchNorm view: for a BN layer and one channel, histograms of the values before BN, after normalising
// (x̂ ≈ N(0, 1)) and after γ/β; the batch's mean and variance against the running buffers (and the buffers
// after a train-mode step); BN's four steps with this channel's numbers; a batch-size slider (2 … 64) whose
// re-run (in the worker) shows how much the batch statistics wander between batches of that size, and the
// train/eval output difference. Draws the worker's numbers; computes none.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type uPlot from 'uplot';
import type { BatchNormData, ChannelHistograms } from '../../protocol';
import { viewInputsChanged } from '../changed';
import { ChartSlot, alpha, axis, bars, palette } from '../chart';
import type { ViewContext, ViewDef } from '../view';
import { l10n, withParts } from '../../app/l10n';

const fmt = (x: number | null | undefined): string => (x === null || x === undefined || Number.isNaN(x) ? '—' : x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toPrecision(5));

export class BatchNormView extends LitElement {
  static override properties = { ctx: { attribute: false } };
  declare ctx: ViewContext;
  private readonly hist = [new ChartSlot(), new ChartSlot(), new ChartSlot()];
  private readonly noiseChart = new ChartSlot();
  private drawn = '';
  private slider?: ReturnType<typeof setTimeout>;

  protected override createRenderRoot(): HTMLElement { return this; }

  override disconnectedCallback(): void { super.disconnectedCallback(); for (const h of this.hist) h.destroy(); this.noiseChart.destroy(); this.drawn = ''; }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return !changed.has('ctx') || changed.size > 1 || viewInputsChanged(changed.get('ctx') as ViewContext | undefined, this.ctx, [(s) => s.ui.batchNorm, (s) => s.batchNoise]);
  }

  private bnRows(): number[] { return (this.ctx.tensors ?? []).flatMap((t, i) => (t?.batchNorm ? [i] : [])); }

  private sel(): { row: number; bn: BatchNormData; c: number } | { why: string } {
    const { report, tensors, state } = this.ctx;
    if (!report) return { why: l10n.t('No analysis yet.') };
    if (!tensors) return { why: state.job?.kind === 'run' ? l10n.t('Running…') : l10n.t('Run the model to see what its BatchNorm layers do to the values.') };
    const rows = this.bnRows();
    if (!rows.length) return { why: l10n.t('This model has no BatchNorm layer.') };
    const s = state.ui.selectedRow;
    const row = s !== null && rows.includes(s) ? s : rows[0];
    const bn = tensors[row].batchNorm!;
    return { row, bn, c: Math.min(state.ui.batchNorm.channel, bn.batchMean.length - 1) };
  }

  override render() {
    const s = this.sel();
    if ('why' in s) return html`<p class="ll-empty">${s.why}</p>${!this.ctx.tensors && this.ctx.report && !this.ctx.state.job ? html`<vscode-button icon="play" @click=${() => this.ctx.run()}>${l10n.t('Run')}</vscode-button>` : nothing}`;
    const { row, bn, c } = s;
    const report = this.ctx.report!, ui = this.ctx.state.ui.batchNorm;
    const C = bn.batchMean.length;
    const mu = bn.training ? bn.batchMean[c] : bn.runningMean![c], va = bn.training ? bn.batchVar[c] : bn.runningVar![c];
    const g = bn.weight?.[c] ?? 1, b = bn.bias?.[c] ?? 0;
    return html`
      <div class="ll-toolbar" role="toolbar" aria-label="BatchNorm">
        <vscode-single-select class="ll-bn-row" aria-label=${l10n.t('BatchNorm layer')} .value=${String(row)} @change=${(e: Event) => this.ctx.select(Number((e.target as HTMLSelectElement).value))}>
          ${this.bnRows().map((i) => html`<vscode-option value=${String(i)}>${report.rows[i].name}</vscode-option>`)}</vscode-single-select>
        <label>${withParts(l10n.t('Channel {0} of {1}'), html`<input class="ll-bn-channel" type="number" min="0" max=${C - 1} .value=${String(c)} aria-label=${l10n.t('Channel')}
          @change=${(e: Event) => this.ctx.setUi('batchNorm', { channel: Math.max(0, Math.min(C - 1, Number((e.target as HTMLInputElement).value) | 0)) })} />`, C)}</label>
        <span class="ll-muted">${bn.training
          ? l10n.t("{0} · {1} values per channel · {2} run: normalised with the batch's statistics", report.rows[row].type, bn.count.toLocaleString('en-US'), String(this.ctx.state.run?.report.mode))
          : l10n.t('{0} · {1} values per channel · {2} run: normalised with the running buffers', report.rows[row].type, bn.count.toLocaleString('en-US'), String(this.ctx.state.run?.report.mode))}</span>
      </div>
      <p class="ll-bn-headline" data-mean=${String(bn.batchMean[c])} data-var=${String(bn.batchVar[c])}>${withParts(l10n.t('channel {0}: batch mean μ{1} = {2}, batch variance σ²{3} = {4}'), c, html`<sub>B</sub>`, html`<b>${fmt(bn.batchMean[c])}</b>`, html`<sub>B</sub>`, html`<b>${fmt(bn.batchVar[c])}</b>`)}
        ${bn.runningMean ? html` ${withParts(l10n.t('· running mean {0}, running variance {1}'), html`<b>${fmt(bn.runningMean[c])}</b>`, html`<b>${fmt(bn.runningVar![c])}</b>`)}` : html` ${l10n.t('· no running buffers (track_running_stats=False)')}`}</p>
      <div class="ll-bn-hists">
        ${[[l10n.t('x (before BatchNorm)'), 'pre'], ['x̂ = (x − μ)/√(σ² + ε)', 'norm'], ['y = γ·x̂ + β', 'post']].map(([t, k]) => html`<figure class="ll-chart-fig"><figcaption>${t}</figcaption><div class="ll-chart ll-bn-hist" data-kind=${k}></div>
          <figcaption class="ll-muted">${l10n.t('mean {0} · std {1}', fmt(bn[k as 'pre'].mean[c]), fmt(bn[k as 'pre'].std[c]))}</figcaption></figure>`)}
      </div>
      <table class="ll-bn-table"><thead><tr><th>${l10n.t('channel {0}', c)}</th><th>${l10n.t('mean')}</th><th>${l10n.t('variance')}</th></tr></thead><tbody>
        <tr class="ll-bn-batch"><td>${l10n.t('this batch (biased variance)')}</td><td>${fmt(bn.batchMean[c])}</td><td>${fmt(bn.batchVar[c])}</td></tr>
        ${bn.runningMean ? html`<tr class="ll-bn-running" data-mean=${String(bn.runningMean[c])} data-var=${String(bn.runningVar![c])}><td>${bn.runningMeanAfter ? l10n.t('running buffers before this step') : l10n.t('running buffers')}</td><td>${fmt(bn.runningMean[c])}</td><td>${fmt(bn.runningVar![c])}</td></tr>` : nothing}
        ${bn.runningMeanAfter ? html`<tr class="ll-bn-after" data-mean=${String(bn.runningMeanAfter[c])} data-var=${String(bn.runningVarAfter![c])}><td>${l10n.t('running buffers after (momentum {0}; variance unbiased, ×n/(n − 1))', bn.momentum ?? l10n.t('cumulative'))}</td><td>${fmt(bn.runningMeanAfter[c])}</td><td>${fmt(bn.runningVarAfter![c])}</td></tr>` : nothing}
      </tbody></table>
      <section class="ll-words" aria-label=${l10n.t("BatchNorm's four steps")}>
        <ol class="ll-bn-steps">
          <li>μ = ${bn.training ? l10n.t("(1/m)·Σ x over the batch's m = {0} values of channel {1}", bn.count.toLocaleString('en-US'), c) : l10n.t('the running mean')} = <b>${fmt(mu)}</b></li>
          <li>σ² = ${bn.training ? html`(1/m)·Σ (x − μ)²` : l10n.t('the running variance')} = <b>${fmt(va)}</b></li>
          <li>x̂ = (x − μ)/√(σ² + ε) = (x − ${mu < 0 ? `(${fmt(mu)})` : fmt(mu)})/√(${fmt(va)} + ${bn.eps}) — ${bn.training ? l10n.t('mean {0}, std {1} (≈ N(0, 1) by construction)', fmt(bn.norm.mean[c]), fmt(bn.norm.std[c])) : l10n.t('mean {0}, std {1}', fmt(bn.norm.mean[c]), fmt(bn.norm.std[c]))}</li>
          <li>y = γ·x̂ + β = ${fmt(g)}·x̂ ${b < 0 ? '−' : '+'} ${fmt(Math.abs(b))}${bn.weight ? '' : ' (affine=False)'}</li>
        </ol>
        <p class="ll-muted">${l10n.t("In train mode the batch's own statistics normalise it, so one sample's output depends on the others in its batch; eval mode uses the running buffers, which training updated as (1 − momentum)·old + momentum·batch.")}</p>
      </section>
      ${this.noise(row, c)}`;
  }

  private noise(row: number, c: number) {
    const ui = this.ctx.state.ui.batchNorm, side = this.ctx.state.batchNoise, v = side?.value;
    const l = v?.layers.find((x) => x.row === row);
    const report = this.ctx.report!;
    let spread = nothing as unknown;
    if (v && l) {
      const means = Array.from({ length: v.draws }, (_, d) => l.mean[d * l.channels + c]), vars = Array.from({ length: v.draws }, (_, d) => l.var[d * l.channels + c]);
      const range = (xs: number[]) => `${fmt(Math.min(...xs))} … ${fmt(Math.max(...xs))}`;
      spread = html`<p class="ll-bn-spread" data-batch=${String(v.batch)} data-means=${means.join(",")} data-vars=${vars.join(",")}>${withParts(l10n.t("Over {0} batches of {1} (seeded N(0, 1) inputs): channel {2}'s batch mean ranges {3}, its variance {4}."), v.draws, html`<b>${v.batch}</b>`, c, html`<b>${range(means)}</b>`, html`<b>${range(vars)}</b>`)}</p>`;
    }
    const te = v?.trainEval.find((x) => x.row === row);
    return html`<section class="ll-bn-noise" aria-label=${l10n.t('Batch size')}>
      <h3>${l10n.t('Batch size and noisy statistics')}</h3>
      <label class="ll-bn-batch-label">${l10n.t('Batch size')} <input class="ll-bn-batch-size" type="range" min="2" max="64" .value=${String(ui.batch)} aria-label=${l10n.t('Batch size of the re-run')}
        @input=${(e: Event) => this.onBatch(Number((e.target as HTMLInputElement).value))} /> <output>${ui.batch}</output></label>
      ${side?.pending ? html`<span class="ll-muted">${l10n.t('re-running…')}</span>` : nothing}
      ${side?.error ? html`<p class="ll-error-text">${side.error}</p>` : nothing}
      ${v && v.batch !== ui.batch ? html`<span class="ll-muted">${l10n.t('(showing batch {0})', v.batch)}</span>` : nothing}
      <div class="ll-chart ll-bn-noise-chart"></div>
      ${spread}
      ${v ? html`<p class="ll-bn-traineval">${withParts(l10n.t("Train minus eval output of the same samples in a batch of {0}: {1} mean |Δ| {2} (max {3}); at the model's output mean |Δ| {4} (max {5})."),
          v.batch, report.rows[row].name, html`<b>${fmt(te?.meanAbs)}</b>`, fmt(te?.maxAbs), html`<b>${fmt(v.output.meanAbs)}</b>`, fmt(v.output.maxAbs))}
        ${l10n.t('The smaller the batch, the further its statistics stray from the running ones, and the more a model trained that way differs at inference.')}</p>` : nothing}
    </section>`;
  }

  private onBatch(b: number): void {
    this.ctx.setUi('batchNorm', { batch: b });
    clearTimeout(this.slider);
    this.slider = setTimeout(() => this.ctx.wantBatchNoise(b), 60);
  }

  protected override updated(): void {
    const s = this.sel();
    if ('why' in s) { this.drawn = ''; for (const h of this.hist) h.destroy(); this.noiseChart.destroy(); return; }
    if (this.ctx.state.ui.view === 'batchNorm' && !this.ctx.state.batchNoise?.pending) this.ctx.wantBatchNoise(this.ctx.state.ui.batchNorm.batch);
    // NOTE: charts are drawn only while the view is shown: uPlot measures its box, and in a hidden tab each
    // chart would force a layout of the whole panel (hundreds of ms beside ResNet's table and graph)
    const shown = this.ctx.state.ui.view === 'batchNorm';
    const key = [s.row, s.c, this.ctx.state.theme, this.ctx.tensors?.length, this.ctx.state.run?.ms, shown].join('|');
    if (key !== this.drawn) {
      this.drawn = key;
      if (shown) {
        const p = palette();
        ([['pre', p.blue], ['norm', p.purple], ['post', p.green]] as const).forEach(([k, col], i) => this.drawHist(this.hist[i], this.querySelector(`.ll-bn-hist[data-kind="${k}"]`), s.bn[k], s.c, col));
      }
      this.ctx.rendered('batchNorm');
    }
    if (shown) this.drawNoise(s.row, s.c);
  }

  private drawHist(slot: ChartSlot, el: HTMLElement | null, h: ChannelHistograms, c: number, color: string): void {
    const p = palette();
    const w = (h.hi[c] - h.lo[c]) / h.bins;
    const xs = Array.from({ length: h.bins }, (_, i) => h.lo[c] + i * w);
    const ys = Array.from(h.counts.subarray(c * h.bins, (c + 1) * h.bins));
    const opts: uPlot.Options = {
      width: 260, height: 150, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: false, range: [h.lo[c], h.hi[c]] } },
      axes: [axis(p), axis(p, { size: 40 })],
      series: [{}, { stroke: color, fill: alpha(color, 0.45), paths: bars() }],
    };
    slot.draw(el, opts, [xs, ys]);
  }

  private noiseKey = '';
  private drawNoise(row: number, c: number): void {
    const v = this.ctx.state.batchNoise?.value, l = v?.layers.find((x) => x.row === row);
    const bn = (this.ctx.tensors ?? [])[row]?.batchNorm;
    const el = this.querySelector<HTMLElement>('.ll-bn-noise-chart');
    const key = `${this.ctx.state.batchNoise?.key}|${!!v}|${row}|${c}|${this.ctx.state.theme}|${!!el?.firstChild}`;
    if (key === this.noiseKey) return;
    this.noiseKey = key;
    if (!v || !l || !el) { this.noiseChart.destroy(); return; }
    const p = palette();
    const xs = Array.from({ length: v.draws }, (_, d) => d + 1);
    const means = xs.map((_, d) => l.mean[d * l.channels + c]);
    const run = bn?.runningMean ? xs.map(() => bn.runningMean![c]) : xs.map(() => null);
    const opts: uPlot.Options = {
      width: 420, height: 160, cursor: { show: false }, legend: { show: true },
      scales: { x: { time: false } },
      axes: [axis(p, { label: l10n.t('batch'), values: (_u, t) => t.map((x) => (Number.isInteger(x) ? String(x) : '')) }), axis(p, { size: 64, values: (_u, t) => t.map((x) => fmt(x)) })],
      series: [{ label: l10n.t('batch') }, { label: l10n.t('batch mean, channel {0}', c), stroke: p.blue, points: { show: true, size: 7, fill: p.blue }, width: 0 }, { label: l10n.t('running mean'), stroke: p.orange, dash: [6, 4] }],
    };
    this.noiseChart.draw(el, opts, [xs, means, run]);
  }
}
customElements.define('ll-batch-norm-view', BatchNormView);

export const batchNormView: ViewDef = {
  id: 'batchNorm', title: 'BatchNorm', icon: 'graph', needs: 'run',
  render: (ctx) => html`<ll-batch-norm-view .ctx=${ctx}></ll-batch-norm-view>`,
};
