// The Convolution step-through: the article's worked example (CS231n's demo: 5×5×3 input padded to 7×7×3,
// two 3×3×3 filters, stride 2) or a Conv2d of the user's model with the run's input and weights — the window
// moving over the padded input, each channel's products and sum, the bias, the output cell beside the
// engine's value; play / step / scrub (requestAnimationFrame, a frame's work is one small re-render), and the
// output-size formula with the geometry the worker resolved through engine/ops (never recomputed here).
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { ConvStepData } from '../../protocol';
import { viewInputsChanged } from '../changed';
import type { ViewContext, ViewDef } from '../view';
import { cssom } from '../../app/cssom';
import { cells, windowAt, type WindowCalc } from './convStepModel';
import { l10n, withParts } from '../../app/l10n';

const STEP_MS = 650;
const MAX_CHANNELS = 3;

/** A grid cell's number: integers as they are, others to two significant digits. */
const fmtN = (x: number): string => {
  if (x === 0) return '0';
  const s = Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 || Math.abs(x) < 0.01 ? x.toExponential(0) : x.toPrecision(2);
  return s.replace('-', '−');
};
/** A sum's number: integers as they are, others to six significant digits. */
const fmtV = (x: number): string => (x === 0 ? '0' : Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(3) : x.toPrecision(6)).replace('-', '−');
const intsOf = new WeakMap<ConvStepData, boolean>();
/** Cell width: the article's small integers fit 24 px; real activations need room for "−0.96". */
function cellOf(d: ConvStepData): number {
  let ints = intsOf.get(d);
  if (ints === undefined) { ints = d.input.data.every(Number.isInteger) && d.weight.data.every(Number.isInteger); intsOf.set(d, ints); }
  return ints ? 24 : 40;
}
const list = (xs: number[], k: number): string => `[${xs.map((x, i) => `${i && i % k === 0 ? ' ' : ''}${fmtN(x)}`).join(',')}]`;

export class ConvStepView extends LitElement {
  static override properties = { ctx: { attribute: false }, playing: { state: true } };
  declare ctx: ViewContext;
  declare playing: boolean;
  private raf = 0;
  private lastStep = 0;
  private drawnData?: ConvStepData;
  private drawnRun?: unknown;

  constructor() {
    super();
    this.playing = false;
    this.addEventListener('keydown', (e) => {
      if ((e.target as HTMLElement).closest('input, vscode-single-select, vscode-textfield')) return;
      if (e.key === 'ArrowRight') { e.preventDefault(); this.step(1); } else if (e.key === 'ArrowLeft') { e.preventDefault(); this.step(-1); } else if (e.key === ' ') { e.preventDefault(); this.toggle(); }
    });
  }

  protected override createRenderRoot(): HTMLElement { return this; }

  override disconnectedCallback(): void { super.disconnectedCallback(); cancelAnimationFrame(this.raf); this.playing = false; }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return !changed.has('ctx') || changed.size > 1 || viewInputsChanged(changed.get('ctx') as ViewContext | undefined, this.ctx, [(s) => s.ui.convStep, (s) => s.convDemo]);
  }

  /** The conv rows the run has step-through data for. */
  private convRows(): number[] {
    const t = this.ctx.tensors ?? [];
    return t.flatMap((x, i) => (x?.conv ? [i] : []));
  }

  private source(): { data?: ConvStepData; row?: number; why?: string } {
    const ui = this.ctx.state.ui.convStep;
    if (ui.source === 'article') return this.ctx.state.convDemo ? { data: this.ctx.state.convDemo } : { why: l10n.t('Preparing the example…') };
    if (!this.ctx.tensors) return { why: this.ctx.state.job?.kind === 'run' ? l10n.t('Running…') : l10n.t('Run the model to step through its convolutions.') };
    const rows = this.convRows();
    if (!rows.length) return { why: l10n.t('This model has no Conv2d the run could step through (Conv1d, Conv3d and transposed convolutions are not stepped through).') };
    const sel = this.ctx.state.ui.selectedRow;
    const row = sel !== null && rows.includes(sel) ? sel : rows[0];
    return { data: this.ctx.tensors[row].conv, row };
  }

  private clamp(d: ConvStepData): { filter: number; position: number } {
    const ui = this.ctx.state.ui.convStep;
    return { filter: Math.min(Math.max(0, ui.filter), d.geometry.outChannels - 1), position: Math.min(Math.max(0, ui.position), cells(d) - 1) };
  }

  private go(filter: number, position: number): void { this.ctx.setUi('convStep', { filter, position }); }

  /** One cell on (or back); the article's example runs on into the next filter, as the demo does. */
  private step(dir: 1 | -1): boolean {
    const { data } = this.source();
    if (!data) return false;
    const { filter, position } = this.clamp(data);
    const n = cells(data), article = this.ctx.state.ui.convStep.source === 'article';
    let f = filter, p = position + dir;
    if (p >= n) { if (article && f + 1 < data.geometry.outChannels) { f++; p = 0; } else return false; }
    if (p < 0) { if (article && f > 0) { f--; p = n - 1; } else return false; }
    this.go(f, p);
    return true;
  }

  private toggle(): void {
    this.playing = !this.playing;
    if (!this.playing) { cancelAnimationFrame(this.raf); return; }
    const { data } = this.source();
    if (data) {
      const { filter, position } = this.clamp(data);
      const atEnd = position === cells(data) - 1 && (this.ctx.state.ui.convStep.source !== 'article' || filter === data.geometry.outChannels - 1);
      if (atEnd) this.go(0, 0);
    }
    this.lastStep = performance.now();
    const frame = (now: number) => {
      if (!this.playing) return;
      // a frame does nothing but compare times; a step is one small re-render of this view
      if (now - this.lastStep >= STEP_MS) { this.lastStep = now; if (!this.step(1)) { this.playing = false; return; } }
      this.raf = requestAnimationFrame(frame);
    };
    this.raf = requestAnimationFrame(frame);
  }

  override render() {
    const ui = this.ctx.state.ui.convStep;
    const src = this.source();
    const rows = this.ctx.tensors ? this.convRows() : [];
    const report = this.ctx.report;
    const head = html`<div class="ll-toolbar" role="toolbar" aria-label=${l10n.t('Convolution step-through')}>
      <vscode-button class="ll-conv-article" ?secondary=${ui.source !== 'article'} @click=${() => this.ctx.setUi('convStep', { source: 'article', filter: 0, position: 0 })}>${l10n.t('Article example')}</vscode-button>
      <vscode-button class="ll-conv-layer" ?secondary=${ui.source !== 'layer'} @click=${() => this.ctx.setUi('convStep', { source: 'layer', filter: 0, position: 0 })}>${l10n.t('A layer of this model')}</vscode-button>
      ${ui.source === 'layer' && rows.length ? html`<vscode-single-select class="ll-conv-row" aria-label=${l10n.t('Conv layer')} .value=${String(src.row ?? '')}
          @change=${(e: Event) => { this.ctx.select(Number((e.target as HTMLSelectElement).value)); this.ctx.setUi('convStep', { position: 0, filter: 0 }); }}>
        ${rows.map((i) => html`<vscode-option value=${String(i)}>${report?.rows[i]?.name ?? i}</vscode-option>`)}</vscode-single-select>` : nothing}
    </div>`;
    if (!src.data) {
      return html`${head}<p class="ll-empty">${src.why}</p>${!this.ctx.tensors && ui.source === 'layer' && this.ctx.report && !this.ctx.state.job ? html`<vscode-button icon="play" @click=${() => this.ctx.run()}>${l10n.t('Run')}</vscode-button>` : nothing}`;
    }
    const d = src.data, g = d.geometry;
    const { filter, position } = this.clamp(d);
    const w = windowAt(d, filter, position);
    const n = cells(d);
    const name = ui.source === 'article' ? `w${filter}` : `weight[${filter}]`;
    return html`${head}
      <div class="ll-toolbar ll-conv-controls" role="toolbar" aria-label=${l10n.t('Step controls')}>
        <label>${withParts(l10n.t('Filter {0} of {1}'), html`<input class="ll-conv-filter" type="number" min="0" max=${g.outChannels - 1} .value=${String(filter)} aria-label=${l10n.t('Filter (output channel)')}
          @change=${(e: Event) => this.go(Math.max(0, Math.min(g.outChannels - 1, Number((e.target as HTMLInputElement).value) | 0)), position)} />`, g.outChannels)}</label>
        <vscode-toolbar-button icon="debug-restart" label=${l10n.t('First cell')} @click=${() => this.go(filter, 0)}></vscode-toolbar-button>
        <vscode-toolbar-button class="ll-conv-prev" icon="chevron-left" label=${l10n.t('Previous cell')} @click=${() => this.step(-1)}></vscode-toolbar-button>
        <vscode-toolbar-button class="ll-conv-play" icon=${this.playing ? 'debug-pause' : 'play'} label=${this.playing ? l10n.t('Pause') : l10n.t('Play')} @click=${() => this.toggle()}></vscode-toolbar-button>
        <vscode-toolbar-button class="ll-conv-next" icon="chevron-right" label=${l10n.t('Next cell')} @click=${() => this.step(1)}></vscode-toolbar-button>
        <input class="ll-conv-scrub" type="range" min="0" max=${n - 1} .value=${String(position)} aria-label=${l10n.t('Output cell')}
          @input=${(e: Event) => this.go(filter, Number((e.target as HTMLInputElement).value))} />
        <span class="ll-muted">${l10n.t('cell ({0}, {1}) · {2} of {3}', w.oy, w.ox, position + 1, n)}</span>
      </div>
      <div class="ll-conv-stage">
        ${w.channels.slice(0, MAX_CHANNELS).map((ch) => this.channel(d, w, ch.c, name))}
        ${w.channels.length > MAX_CHANNELS ? html`<p class="ll-muted ll-conv-more">${l10n.t('channels {0} … {1}: Σ = {2}', w.channels[MAX_CHANNELS].c, w.channels[w.channels.length - 1].c, fmtV(w.channels.slice(MAX_CHANNELS).reduce((a, c) => a + c.sum, 0)))}</p>` : nothing}
      </div>
      <p class="ll-conv-result" aria-live="polite">${l10n.t('output[{0}, {1}, {2}] = {3} + bias {4} =', filter, w.oy, w.ox, w.channels.length <= 6 ? w.channels.map((c) => fmtV(c.sum)).join(' + ') : l10n.t('Σ over {0} channels', w.channels.length), fmtV(w.bias))}
        <b class="ll-conv-total" data-value=${String(w.total)}>${fmtV(w.total)}</b>
        <span class="ll-muted">${withParts(l10n.t("· the engine's conv2d: {0}"), html`<span class="ll-conv-engine" data-value=${String(w.engine)}>${fmtV(w.engine)}</span>`)}
        ${Math.abs(w.total - w.engine) <= 1e-4 * Math.max(1, Math.abs(w.engine)) ? html`<span class="codicon codicon-check" aria-label=${l10n.t('equal')}></span>` : html`<span class="codicon codicon-warning" aria-label=${l10n.t('differs')}></span>`}</span></p>
      ${this.outputs(d, filter, position)}
      ${this.words(d, ui.source === 'article', src.row)}`;
  }

  /** One input channel: the padded input around the window, the filter's slice, and the dot product. */
  private channel(d: ConvStepData, w: WindowCalc, c: number, name: string) {
    const g = d.geometry;
    const [kh, kw] = g.kernel;
    const spanH = (kh - 1) * g.dilation[0] + 1, spanW = (kw - 1) * g.dilation[1] + 1;
    const top = -g.padding[0][0], left = -g.padding[1][0], bottom = g.inH - 1 + g.padding[0][1], right = g.inW - 1 + g.padding[1][1];
    const whole = bottom - top + 1 <= 12 && right - left + 1 <= 12;
    const r0 = whole ? top : Math.max(top, w.iy - 2), r1 = whole ? bottom : Math.min(bottom, w.iy + spanH + 1);
    const c0 = whole ? left : Math.max(left, w.ix - 2), c1 = whole ? right : Math.min(right, w.ix + spanW + 1);
    const ch = w.channels.find((x) => x.c === c)!;
    const CELL = cellOf(d);
    const inWin = (y: number, x: number) => y >= w.iy && y < w.iy + spanH && x >= w.ix && x < w.ix + spanW && (y - w.iy) % g.dilation[0] === 0 && (x - w.ix) % g.dilation[1] === 0;
    const grid = [];
    for (let y = r0; y <= r1; y++) {
      for (let x = c0; x <= c1; x++) {
        const pad = y < 0 || y >= g.inH || x < 0 || x >= g.inW;
        const v = pad ? 0 : d.input.data[(c * g.inH + y) * g.inW + x];
        grid.push(html`<span class="ll-conv-cell${pad ? ' ll-conv-pad' : ''}${inWin(y, x) ? ' ll-conv-in' : ''}">${fmtN(v)}</span>`);
      }
    }
    const j = c % (g.inChannels / g.groups);
    return html`<section class="ll-conv-ch" data-ch=${c} aria-label=${l10n.t('Input channel {0}', c)}>
      <div class="ll-conv-col"><h4>x[${c}] ${whole ? l10n.t('(zero-padded)') : l10n.t('rows {0}…{1}, cols {2}…{3}', r0, r1, c0, c1)}</h4>
        <div class="ll-conv-gridwrap">
          <div class="ll-conv-grid" ${cssom({ 'grid-template-columns': `repeat(${c1 - c0 + 1}, ${CELL}px)` })}>${grid}</div>
          <div class="ll-conv-win" ${cssom({ width: `${spanW * CELL}px`, height: `${spanH * CELL}px`, transform: `translate(${(w.ix - c0) * CELL}px, ${(w.iy - r0) * CELL}px)` })}></div>
        </div></div>
      <div class="ll-conv-col"><h4>${name}[${j}]</h4>
        <div class="ll-conv-grid ll-conv-weights-grid" ${cssom({ 'grid-template-columns': `repeat(${kw}, ${CELL}px)` })}>${ch.weights.map((x) => html`<span class="ll-conv-cell ll-conv-w">${fmtN(x)}</span>`)}</div></div>
      <div class="ll-conv-col ll-conv-math">
        <p><span class="ll-conv-values" data-values=${ch.values.join(',')}>${list(ch.values, kw)}</span> · <span class="ll-conv-weights" data-values=${ch.weights.join(',')}>${list(ch.weights, kw)}</span>
          = <b class="ll-conv-sum" data-value=${String(ch.sum)}>${fmtV(ch.sum)}</b></p>
        <p class="ll-muted">${withParts(l10n.t('products {0}'), html`<span class="ll-conv-products" data-values=${ch.products.join(',')}>${list(ch.products, kw)}</span>`)}</p>
      </div>
    </section>`;
  }

  /** The output map(s): every cell computed so far (the article's two 3×3 maps), or where the window is. */
  private outputs(d: ConvStepData, filter: number, position: number) {
    const g = d.geometry;
    const n = cells(d);
    if (n > 16 * 16) return html`<p class="ll-muted">${l10n.t('output map {0} × {1}: cell {2} of {3}.', g.outH, g.outW, position + 1, n)}</p>`;
    const article = this.ctx.state.ui.convStep.source === 'article';
    const maps = article ? Array.from({ length: g.outChannels }, (_, f) => f) : [filter];
    const small = g.outW <= 8;
    const CELL = cellOf(d);
    return html`<div class="ll-conv-outputs">${maps.map((f) => html`<div class="ll-conv-col"><h4>output[${f}]</h4>
      <div class="ll-conv-grid ll-conv-out${small ? '' : ' ll-conv-out-tiny'}" data-filter=${f} ${cssom({ 'grid-template-columns': `repeat(${g.outW}, ${small ? CELL : 10}px)` })}>
        ${Array.from({ length: n }, (_, p) => {
          const done = f < filter || (f === filter && p <= position);
          const v = d.output.data[f * n + p];
          return html`<span class="ll-conv-cell${f === filter && p === position ? ' ll-conv-now' : ''}${done ? '' : ' ll-conv-todo'}" title=${done ? fmtV(v) : ''}
            @click=${() => this.go(f, p)}>${small && done ? fmtN(Number(v.toPrecision(3))) : ''}</span>`;
        })}</div></div>`)}</div>`;
  }

  /** The formula with this layer's numbers, the cost, and where the article slips. */
  private words(d: ConvStepData, article: boolean, row?: number) {
    const g = d.geometry;
    const dims = [['H', g.inH, g.outH, 0], ['W', g.inW, g.outW, 1]] as const;
    const same = g.inH === g.inW && g.kernel[0] === g.kernel[1] && g.stride[0] === g.stride[1] && g.padding[0].join() === g.padding[1].join() && g.dilation[0] === g.dilation[1];
    const formula = (label: string, size: number, out: number, i: number) => {
      const k = g.kernel[i], dil = g.dilation[i], [pb, pa] = g.padding[i];
      const f = dil === 1 ? `${k}` : `${dil}·(${k} − 1) + 1`;
      const p = pb === pa ? `2·${pb}` : `${pb} + ${pa}`;
      return html`<li class="ll-conv-formula" data-dim=${label}>${label}<sub>out</sub> = ⌊(${label} − F + 2P)/S⌋ + 1 = ⌊(${size} − ${f} + ${p})/${g.stride[i]}⌋ + 1 = <b>${out}</b></li>`;
    };
    const perGroup = g.inChannels / g.groups;
    const macs = g.outH * g.outW * g.outChannels * perGroup * g.kernel[0] * g.kernel[1];
    return html`<section class="ll-words" aria-label=${l10n.t('What the step-through shows')}>
      <p>${article
        ? l10n.t("Each output cell is the dot product of the {0} window of the zero-padded input with one filter, plus that filter's bias: the {1} products of each channel are summed, then the channels' sums and the bias.", `${g.kernel.join('×')}×${perGroup}`, g.kernel[0] * g.kernel[1])
        : l10n.t("Each output cell is the dot product of the {0} window of the input with one filter, plus that filter's bias: the {1} products of each channel are summed, then the channels' sums and the bias.", `${g.kernel.join('×')}×${perGroup}`, g.kernel[0] * g.kernel[1])}
        ${l10n.t('The window moves by the stride ({0}) from one cell to the next.', g.stride.join(' × '))}</p>
      <ul>${same ? formula('W', g.inW, g.outW, 1) : dims.map(([l, s, o, i]) => formula(l, s, o, i))}</ul>
      <p class="ll-conv-cost">${withParts(l10n.t("Cost: every one of the {0} = {1} output positions of each of the {2} filters takes {3} multiply-adds: {4} = {5} MACs per sample{6}. The count uses the output's H × W, not the input's."),
        html`H<sub>out</sub>·W<sub>out</sub>`, `${g.outH}·${g.outW}`, g.outChannels, `${perGroup}·${g.kernel.join('·')}`, `${g.outH}·${g.outW}·${g.outChannels}·${perGroup}·${g.kernel.join('·')}`, html`<b>${macs.toLocaleString('en-US')}</b>`,
        row !== undefined && this.ctx.report?.rows[row]?.macs != null ? l10n.t(' (the analysis: {0})', (this.ctx.report!.rows[row].macs! / (this.ctx.report!.rows[row].output?.[0] ?? 1)).toLocaleString('en-US')) : '')}</p>
      ${article ? html`<p class="ll-muted ll-conv-slip">${l10n.t('Where the article slips: with W = 640, F = 3, P = 0, S = 2, ⌊(640 − 3 + 2·0)/2⌋ + 1 = ⌊318.5⌋ + 1 = 319, not 320.')}</p>` : nothing}
    </section>`;
  }

  protected override updated(): void {
    const { data } = this.source();
    if (!data) return;
    // once per new data (a new run, another layer or the example), not per step
    if (data !== this.drawnData || this.ctx.tensors !== this.drawnRun) { this.drawnData = data; this.drawnRun = this.ctx.tensors; this.ctx.rendered('convStep'); }
  }
}
customElements.define('ll-conv-step-view', ConvStepView);

export const convStepView: ViewDef = {
  id: 'convStep', get title() { return l10n.t('Convolution'); }, icon: 'symbol-array', needs: 'analysis',
  render: (ctx) => html`<ll-conv-step-view .ctx=${ctx}></ll-conv-step-view>`,
};
