// The Feature maps view: the selected row's output channels as heatmaps (diverging RdBu for signed values,
// viridis when nothing is negative; one scale for the layer or one per channel; a colour bar), each
// channel's statistics on hover or focus, click to enlarge, and a strip following one channel through the
// Conv → norm → activation chain. Draws the run's tensors; the statistics are the engine worker's.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { RunRow } from '../../../engine';
import type { RowTensors } from '../../protocol';
import { viewInputsChanged } from '../changed';
import type { ViewContext, ViewDef } from '../view';
import { chainAround, type ChainStep } from './chain';
import { drawColorBar, drawHeatmap, scaleFor, type ColorScale, type Limits } from './heatmap';
import { l10n } from '../../app/l10n';

interface Planes { batch: number; channels: number; h: number; w: number }

/** How a row's output is drawn: channels of H × W pictures, a 1-d signal per channel, or one row of features. */
function planesOf(shape: number[]): Planes | undefined {
  if (shape.length === 4) return { batch: shape[0], channels: shape[1], h: shape[2], w: shape[3] };
  if (shape.length === 3) return { batch: shape[0], channels: shape[1], h: 1, w: shape[2] };
  if (shape.length === 2) return { batch: shape[0], channels: 1, h: 1, w: shape[1] };
  return undefined;
}

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(4));
const PREVIEW = 64;

export class FeatureMapsView extends LitElement {
  static override properties = { ctx: { attribute: false }, hovered: { state: true } };
  declare ctx: ViewContext;
  declare hovered: number | null;
  private drawn = '';
  private drawnChain = '';
  private generation = 0;
  private static ids = new WeakMap<object, number>();
  private static nextId = 1;

  constructor() {
    super();
    this.hovered = null;
    // Escape closes the enlarged channel and the arrows page through channels, wherever the focus is in the view
    this.addEventListener('keydown', (e) => this.onKey(e));
  }

  private onKey(e: KeyboardEvent): void {
    const ui = this.ctx?.state.ui.featureMaps;
    const s = this.sel;
    if (!ui || ui.enlarged === null || 'why' in s) return;
    const go = (d: number) => { e.preventDefault(); this.ctx.setUi('featureMaps', { enlarged: (ui.enlarged! + d + s.p.channels) % s.p.channels }); };
    if (e.key === 'Escape') { e.preventDefault(); this.ctx.setUi('featureMaps', { enlarged: null }); }
    else if (e.key === 'ArrowRight' && (e.target as HTMLElement).closest('.ll-enlarged')) go(1);
    else if (e.key === 'ArrowLeft' && (e.target as HTMLElement).closest('.ll-enlarged')) go(-1);
  }

  protected override createRenderRoot(): HTMLElement { return this; }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return !changed.has('ctx') || changed.size > 1 || viewInputsChanged(changed.get('ctx') as ViewContext | undefined, this.ctx, [(s) => s.ui.featureMaps]);
  }

  private get sel(): { index: number; row: RunRow; t: RowTensors; p: Planes } | { index: number | null; why: string } {
    const { report, tensors, state } = this.ctx;
    const index = state.ui.selectedRow;
    if (!report) return { index, why: l10n.t('No analysis yet.') };
    if (!tensors) return { index, why: state.job?.kind === 'run' ? l10n.t('Running…') : l10n.t('Run the model to see what each layer makes of the input.') };
    if (index === null || !report.rows[index]) return { index, why: l10n.t('Select a layer in the Summary or the Graph.') };
    const t = tensors[index];
    const row = report.rows[index] as RunRow;
    if (!t) return { index, why: `${row.name} returned no tensor in the run.` };
    const p = planesOf(t.output.shape);
    if (!p) return { index, why: `${row.name}'s output has shape [${t.output.shape.join(', ')}]: rank ${t.output.shape.length} is not drawn as feature maps.` };
    return { index, row, t, p };
  }

  override render() {
    const s = this.sel;
    if ('why' in s) {
      return html`<p class="ll-empty">${s.why}</p>${!this.ctx.tensors && this.ctx.report && !this.ctx.state.job ? html`<vscode-button icon="play" @click=${() => this.ctx.run()}>${l10n.t('Run')}</vscode-button>` : nothing}`;
    }
    const { row, t, p } = s;
    const ui = this.ctx.state.ui.featureMaps;
    const sample = Math.min(ui.sample, p.batch - 1);
    const shown = ui.showAll ? p.channels : Math.min(p.channels, PREVIEW);
    const { scale, limits } = this.limits(row, t, null);
    const focus = ui.enlarged ?? this.hovered;
    return html`
      <div class="ll-toolbar" role="toolbar" aria-label="Feature maps">
        <span class="ll-layer"><b>${row.name}</b> ${row.type} · output [${t.output.shape.join(', ')}]</span>
        ${p.batch > 1 ? html`<vscode-label for="ll-sample">${l10n.t('Sample')}</vscode-label>
          <vscode-single-select id="ll-sample" .value=${String(sample)} @change=${(e: Event) => this.ctx.setUi('featureMaps', { sample: Number((e.target as HTMLSelectElement).value) })}>
            ${Array.from({ length: p.batch }, (_, i) => html`<vscode-option value=${String(i)}>${i}</vscode-option>`)}</vscode-single-select>` : nothing}
        <vscode-label for="ll-scale">${l10n.t('Scale')}</vscode-label>
        <vscode-single-select id="ll-scale" .value=${ui.scale} @change=${(e: Event) => this.ctx.setUi('featureMaps', { scale: (e.target as HTMLSelectElement).value as 'shared' | 'channel' })}>
          <vscode-option value="shared">${l10n.t('One for the layer')}</vscode-option>
          <vscode-option value="channel">${l10n.t('One per channel')}</vscode-option>
        </vscode-single-select>
        <span class="ll-spacer"></span>
        ${p.channels > PREVIEW ? html`<vscode-button secondary @click=${() => this.ctx.setUi('featureMaps', { showAll: !ui.showAll })}>${ui.showAll ? `First ${PREVIEW}` : `All ${p.channels} channels`}</vscode-button>` : nothing}
      </div>
      <div class="ll-colorbar">
        <span>${ui.scale === 'channel' ? 'per channel' : fmt(limits.lo)}</span>
        <canvas class="ll-colorbar-ramp" data-scale=${scale} aria-hidden="true"></canvas>
        <span>${ui.scale === 'channel' ? '' : fmt(limits.hi)}</span>
        <span class="ll-muted">${scale === 'diverging' ? l10n.t('RdBu, centred on 0 (blue < 0 < red)') : l10n.t('viridis (no negative values)')} · ${l10n.t('layer mean {0}, std {1}', fmt(row.stats!.mean), fmt(row.stats!.std))}</span>
      </div>
      <p class="ll-channel-stats" aria-live="polite">${focus !== null && focus < p.channels ? this.statsText(t, focus) : `${p.channels} channel${p.channels > 1 ? 's' : ''} of ${p.h} × ${p.w}; hover or focus a channel for its statistics, click to enlarge.`}</p>
      ${ui.enlarged !== null && ui.enlarged < p.channels ? this.enlarged(ui.enlarged, p) : nothing}
      <div class="ll-maps ${p.h === 1 ? 'll-maps-1d' : ''}" role="list" aria-label="Channels of ${row.name}">
        ${Array.from({ length: shown }, (_, c) => html`<button class="ll-map${ui.enlarged === c ? ' selected' : ''}" role="listitem" data-ch=${c} title=${this.statsText(t, c)}
            @mouseenter=${() => { this.hovered = c; }} @focus=${() => { this.hovered = c; }} @mouseleave=${() => { this.hovered = null; }}
            @click=${() => this.ctx.setUi('featureMaps', { enlarged: ui.enlarged === c ? null : c })}>
          <canvas class="ll-tile" data-ch=${c}></canvas><span class="ll-map-label">${c}</span></button>`)}
      </div>
      ${this.chain(s.index!, focus ?? 0)}`;
  }

  private enlarged(c: number, p: Planes) {
    const close = () => this.ctx.setUi('featureMaps', { enlarged: null });
    const go = (d: number) => this.ctx.setUi('featureMaps', { enlarged: (c + d + p.channels) % p.channels });
    return html`<div class="ll-enlarged" role="dialog" aria-label="Channel ${c}" tabindex="-1">
      <div class="ll-enlarged-head"><b>${l10n.t('Channel {0}', c)}</b>
        <vscode-toolbar-button icon="arrow-left" label=${l10n.t('Previous channel')} @click=${() => go(-1)}></vscode-toolbar-button>
        <vscode-toolbar-button icon="arrow-right" label=${l10n.t('Next channel')} @click=${() => go(1)}></vscode-toolbar-button>
        <vscode-toolbar-button class="ll-close" icon="close" label=${l10n.t('Close')} @click=${close}></vscode-toolbar-button></div>
      <canvas class="ll-big" data-ch=${c}></canvas>
    </div>`;
  }

  private chain(index: number, channel: number) {
    const report = this.ctx.report!;
    const steps = chainAround(report, index);
    if (steps.length < 2) return nothing;
    return html`<section class="ll-chain" aria-label="Channel ${channel} through the chain">
      <h3>${l10n.t('Channel {0} through {1}', channel, steps.map((s) => s.type).join(' → '))}</h3>
      <div class="ll-chain-steps">${steps.map((st, i) => html`${i ? html`<span class="codicon codicon-arrow-right" aria-hidden="true"></span>` : nothing}${this.chainStep(st, channel)}`)}</div>
    </section>`;
  }

  private chainStep(st: ChainStep, channel: number) {
    const t = st.rowIndex !== undefined ? this.ctx.tensors?.[st.rowIndex] : undefined;
    if (!t) {
      return html`<div class="ll-chain-step ll-muted" title=${l10n.t("A functional call has no row, so the run keeps no tensor for it; its output is the next layer's input.")}>
        <div class="ll-chain-none">${st.label}<br />${l10n.t('no tensor kept')}</div><span>${st.type}</span></div>`;
    }
    return html`<button class="ll-chain-step" title=${this.statsText(t, channel)} @click=${() => this.ctx.select(st.rowIndex!)}>
      <canvas class="ll-chain-tile" data-row=${st.rowIndex} data-ch=${channel}></canvas>
      <span><b>${st.label}</b> ${st.type}</span>
      <span class="ll-muted">${t.channels ? `mean ${fmt(t.channels.mean[channel])} · std ${fmt(t.channels.std[channel])}` : ''}</span></button>`;
  }

  private statsText(t: RowTensors, c: number): string {
    const s = t.channels;
    if (!s || c >= s.mean.length) return `channel ${c}`;
    return `channel ${c}: mean ${fmt(s.mean[c])}, std ${fmt(s.std[c])}, min ${fmt(s.min[c])}, max ${fmt(s.max[c])}`;
  }

  /** The layer's limits (its run statistics) or, per channel, the channel's. */
  private limits(row: RunRow, t: RowTensors, c: number | null): { scale: ColorScale; limits: Limits } {
    const layer = scaleFor(row.stats!.min, row.stats!.max);
    if (c === null || this.ctx.state.ui.featureMaps.scale === 'shared' || !t.channels) return layer;
    const own = scaleFor(t.channels.min[c], t.channels.max[c]);
    // one colormap for the whole layer, so that colours mean the same sign in every tile
    return { scale: layer.scale, limits: layer.scale === 'diverging' ? { lo: -Math.max(-own.limits.lo, own.limits.hi), hi: Math.max(-own.limits.lo, own.limits.hi) } : own.limits };
  }

  protected override updated(_changed: PropertyValues<this>): void {
    const s = this.sel;
    if ('why' in s) { this.drawn = this.drawnChain = ''; return; }
    const ui = this.ctx.state.ui.featureMaps;
    const key = [FeatureMapsView.idOf(s.t), s.index, ui.sample, ui.scale, ui.showAll, ui.enlarged, this.ctx.state.theme].join('|');
    if (key !== this.drawn) {
      this.drawn = key;
      this.drawGrid(s.row, s.t, s.p, () => this.ctx.rendered('featureMaps'));
    }
    // the strip follows the hovered channel: redrawn alone (a few tiles), not the grid
    const chainKey = `${key}|${this.hovered ?? ''}`;
    if (chainKey !== this.drawnChain) { this.drawnChain = chainKey; this.drawChain(Math.min(ui.sample, s.p.batch - 1)); }
  }

  /**
   * Draws the tiles in slices of about 8 ms, yielding between them, so that a layer of many large channels
   * never holds the main thread for long; `done` runs after the last tile.
   */
  private drawGrid(row: RunRow, t: RowTensors, p: Planes, done: () => void): void {
    const gen = ++this.generation;
    const sample = Math.min(this.ctx.state.ui.featureMaps.sample, p.batch - 1);
    const plane = p.h * p.w;
    const offset = (c: number) => (sample * p.channels + c) * plane;
    const tileW = p.h === 1 ? 180 : Math.max(40, Math.min(96, 4 * p.w));
    const tiles = [...this.querySelectorAll<HTMLCanvasElement>('canvas.ll-tile')];
    const slice = (from: number): void => {
      if (gen !== this.generation) return; // a newer drawing started
      const end = performance.now() + 8;
      let i = from;
      for (; i < tiles.length && (i === from || performance.now() < end); i++) {
        const cv = tiles[i], c = Number(cv.dataset.ch);
        const { scale, limits } = this.limits(row, t, c);
        drawHeatmap(cv, t.output.data, offset(c), p.h, p.w, scale, limits);
        cv.style.width = `${tileW}px`;
        cv.style.height = `${p.h === 1 ? 14 : (tileW * p.h) / p.w}px`;
      }
      if (i < tiles.length) setTimeout(() => slice(i), 0);
      else done();
    };
    slice(0);
    const big = this.querySelector<HTMLCanvasElement>('canvas.ll-big');
    if (big) {
      const c = Number(big.dataset.ch);
      const { scale, limits } = this.limits(row, t, c);
      drawHeatmap(big, t.output.data, offset(c), p.h, p.w, scale, limits);
      big.style.width = `${p.h === 1 ? 640 : 320}px`;
      big.style.height = `${p.h === 1 ? 40 : (320 * p.h) / p.w}px`;
    }
    const bar = this.querySelector<HTMLCanvasElement>('canvas.ll-colorbar-ramp');
    if (bar) drawColorBar(bar, bar.dataset.scale as ColorScale);
  }

  private drawChain(sample: number): void {
    for (const cv of this.querySelectorAll<HTMLCanvasElement>('canvas.ll-chain-tile')) {
      const r = Number(cv.dataset.row), c = Number(cv.dataset.ch);
      const rt = this.ctx.tensors![r], rr = this.ctx.report!.rows[r] as RunRow;
      const rp = planesOf(rt.output.shape);
      if (!rp || !rr.stats || c >= rp.channels) continue;
      const { scale, limits } = scaleFor(rr.stats.min, rr.stats.max);
      drawHeatmap(cv, rt.output.data, (Math.min(sample, rp.batch - 1) * rp.channels + c) * rp.h * rp.w, rp.h, rp.w, scale, limits);
      cv.style.width = '96px';
      cv.style.height = `${rp.h === 1 ? 14 : (96 * rp.h) / rp.w}px`;
    }
  }

  private static idOf(o: object): number {
    let id = FeatureMapsView.ids.get(o);
    if (!id) { id = FeatureMapsView.nextId++; FeatureMapsView.ids.set(o, id); }
    return id;
  }
}
customElements.define('ll-feature-maps-view', FeatureMapsView);

export const featureMapsView: ViewDef = {
  id: 'featureMaps', get title() { return l10n.t('Feature maps'); }, icon: 'symbol-color', needs: 'run',
  render: (ctx) => html`<ll-feature-maps-view .ctx=${ctx}></ll-feature-maps-view>`,
};
