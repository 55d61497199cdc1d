// The Inspector's one app element: the run controls (weights, input, mode, seed, batch size, Run/Cancel
// with progress), the problems of the last analysis or run, and the views as tabs. Renders the store; every
// action goes through the controller. Light DOM, so VS Code's CSS variables and the codicon font apply.
import { LitElement, html, nothing } from 'lit';
import { CancelledError, PATTERNS, type PatternName } from '../protocol';
import { VIEWS } from '../views';
import type { ViewContext } from '../views/view';
import type { Controller } from './controller';
import { normalizeLabel } from './imageInput';
import { currentReport, currentTensors, type InputChoice, type Normalize, type Store, type WeightsChoice } from './store';
import { l10n } from './l10n';

const PATTERN_LABEL: Record<PatternName, string> = { gradient: l10n.t('Gradient'), checkerboard: l10n.t('Checkerboard'), edges: l10n.t('Edges'), disc: l10n.t('Disc') };
const BROWSE = '\u0000browse';

export class InspectorApp extends LitElement {
  static override properties = { store: { attribute: false }, controller: { attribute: false } };
  declare store: Store;
  declare controller: Controller;
  private unsubscribe?: () => void;
  private seedTimer?: ReturnType<typeof setTimeout>;

  protected override createRenderRoot(): HTMLElement { return this; }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.store.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private ctx(): ViewContext {
    const s = this.store.state, c = this.controller;
    return {
      state: s, report: currentReport(s), tensors: currentTensors(s),
      select: (row, reveal = true) => c.select(row, reveal),
      reveal: (loc) => c.reveal(loc),
      setUi: (key, patch) => this.store.ui(key, patch as never),
      copy: (f) => c.copy(f),
      rendered: (v, rows) => c.rendered(v, rows),
      run: () => void c.run(),
      wantBatchNoise: (b) => c.wantBatchNoise(b),
      wantWhatIf: (v) => c.wantWhatIf(v),
      setLoss: (loss) => c.changeSettings({ loss }),
    };
  }

  override render() {
    const s = this.store.state;
    const ctx = this.ctx();
    const index = Math.max(0, VIEWS.findIndex((v) => v.id === s.ui.view));
    return html`
      ${this.controls()}
      ${this.problems()}
      <vscode-tabs class="ll-tabs" .selectedIndex=${index} @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => this.store.update({ ui: { ...this.store.state.ui, view: VIEWS[e.detail.selectedIndex].id } })}>
        ${VIEWS.map((v) => html`<vscode-tab-header slot="header" data-tab=${v.id}><vscode-icon name=${v.icon}></vscode-icon> ${v.title}</vscode-tab-header>
          <vscode-tab-panel class="ll-panel" data-view=${v.id}>${v.render(ctx)}</vscode-tab-panel>`)}
      </vscode-tabs>`;
  }

  private controls() {
    const s = this.store.state, set = s.settings, m = s.model, c = this.controller;
    const weightsValue = set.weights.kind === 'init' ? 'init' : set.weights.path;
    const inputValue = set.input.kind === 'noise' ? 'noise' : set.input.kind === 'pattern' ? `pattern:${set.input.pattern}` : `image:${set.input.path}`;
    const picked = (k: 'weights' | 'input', path: string, name: string) => !(m && (k === 'weights' ? m.weightsFiles : m.sampleFiles).some((f) => f.path === path)) ? html`<vscode-option value=${k === 'weights' ? path : `image:${path}`}>${name}</vscode-option>` : nothing;
    const shape = c.inputShapes()[0];
    const batch = set.batch ?? shape?.[0] ?? 1;
    const run = s.run;
    return html`<header class="ll-controls" role="toolbar" aria-label="Run settings">
      <span class="ll-model" title=${m?.uri ?? ''}><vscode-icon name="symbol-class"></vscode-icon> <b>${m?.expr ?? '…'}</b> ${shape ? `[${shape.join(', ')}]` : ''}</span>
      <vscode-label for="ll-weights">${l10n.t('Weights')}</vscode-label>
      <vscode-single-select id="ll-weights" class="ll-weights" .value=${weightsValue} @change=${(e: Event) => void this.onWeights((e.target as HTMLSelectElement).value)}>
        <vscode-option value="init" description=${l10n.t("PyTorch's default initialisation from the seed")}>${l10n.t('Default init (seeded)')}</vscode-option>
        ${(m?.weightsFiles ?? []).map((f) => html`<vscode-option value=${f.path}>${f.name}</vscode-option>`)}
        ${set.weights.kind === 'file' ? picked('weights', set.weights.path, set.weights.name) : nothing}
        <vscode-option value=${BROWSE}>${l10n.t('Browse…')}</vscode-option>
      </vscode-single-select>
      <vscode-label for="ll-input">${l10n.t('Input')}</vscode-label>
      <vscode-single-select id="ll-input" class="ll-input-select" .value=${inputValue} @change=${(e: Event) => void this.onInput((e.target as HTMLSelectElement).value)}>
        <vscode-option value="noise" description=${l10n.t('N(0, 1) from the seed, as layerlens run uses')}>${l10n.t('Noise (seeded)')}</vscode-option>
        ${PATTERNS.map((p) => html`<vscode-option value=${`pattern:${p}`}>${PATTERN_LABEL[p]}</vscode-option>`)}
        ${(m?.sampleFiles ?? []).map((f) => html`<vscode-option value=${`image:${f.path}`} description=${l10n.t('an image next to the model')}>${f.name}</vscode-option>`)}
        ${set.input.kind === 'image' ? picked('input', set.input.path, set.input.name) : nothing}
        <vscode-option value=${BROWSE}>${l10n.t('Image file…')}</vscode-option>
      </vscode-single-select>
      ${set.input.kind === 'image' ? html`<vscode-single-select class="ll-normalize" aria-label="Normalisation" .value=${set.normalize} @change=${(e: Event) => c.changeSettings({ normalize: (e.target as HTMLSelectElement).value as Normalize })}>
        ${(['none', 'imagenet', 'mnist'] as Normalize[]).map((n) => html`<vscode-option value=${n}>${normalizeLabel(n)}</vscode-option>`)}</vscode-single-select>` : nothing}
      <vscode-single-select class="ll-mode" aria-label="Mode" .value=${set.mode} @change=${(e: Event) => c.changeSettings({ mode: (e.target as HTMLSelectElement).value as 'eval' | 'train' })}>
        <vscode-option value="eval" description=${l10n.t('model.eval(): BatchNorm uses its running statistics, dropout is off')}>eval</vscode-option>
        <vscode-option value="train" description=${l10n.t("model.train(): BatchNorm uses the batch's statistics")}>train</vscode-option>
      </vscode-single-select>
      <vscode-label for="ll-seed">${l10n.t('Seed')}</vscode-label>
      <vscode-textfield id="ll-seed" class="ll-seed" type="number" min="0" .value=${String(set.seed)} @input=${(e: Event) => this.onSeed((e.target as HTMLInputElement).value)}></vscode-textfield>
      <label class="ll-batch">${l10n.t('Batch')} <input type="range" min="1" max="64" .value=${String(batch)} aria-label="Batch size"
        @input=${(e: Event) => c.changeSettings({ batch: Number((e.target as HTMLInputElement).value) })} /> <output>${batch}</output></label>
      <span class="ll-spacer"></span>
      ${s.job?.kind === 'run'
        ? html`<vscode-button secondary icon="debug-stop" class="ll-cancel" @click=${() => c.cancel()}>${l10n.t('Cancel')}</vscode-button>`
        : html`<vscode-button icon="play" class="ll-run" ?disabled=${!m} @click=${() => void c.run()}>${l10n.t('Run')}</vscode-button>`}
    </header>
    <div class="ll-status" aria-live="polite">
      ${s.job ? html`<vscode-progress-bar indeterminate aria-label="Working"></vscode-progress-bar><span>${s.job.phase}… <ll-elapsed .since=${s.job.startedAt}></ll-elapsed></span>` : nothing}
      ${!s.job && run ? html`<span class="ll-muted ll-timing">${run.report.loss !== undefined && set.loss.kind === 'crossEntropy'
        ? l10n.t('{0} run: forward {1} ms · backward {2} ms · {3} s in all (loss = cross-entropy against class {4}: {5})', run.report.mode, run.report.timings.forwardMs.toFixed(0), run.report.timings.backwardMs.toFixed(0), (run.ms / 1000).toFixed(2), set.loss.target, run.report.loss.toFixed(4))
        : l10n.t('{0} run: forward {1} ms · backward {2} ms · {3} s in all (loss = sum of the output)', run.report.mode, run.report.timings.forwardMs.toFixed(0), run.report.timings.backwardMs.toFixed(0), (run.ms / 1000).toFixed(2))}</span>` : nothing}
      ${s.runStale && run ? html`<span class="ll-muted">${l10n.t('(showing the previous run)')}</span>` : nothing}
    </div>`;
  }

  private problems() {
    const e = this.store.state.error;
    if (!e) return nothing;
    const more = (e.diagnostics?.length ?? 0) - 1;
    return html`<div class="ll-error" role="alert"><span class="codicon codicon-error" aria-hidden="true"></span>
      <pre class="ll-error-text">${e.message}${more > 0 ? `\n(and ${more} more problem${more > 1 ? 's' : ''})` : ''}</pre></div>`;
  }

  private async onWeights(v: string): Promise<void> {
    const c = this.controller;
    let w: WeightsChoice;
    if (v === 'init') w = { kind: 'init' };
    else if (v === BROWSE) {
      try { const f = await c.requestFile('weights'); w = { kind: 'file', path: f.path, name: f.name }; } catch (err) { this.fail(err); this.requestUpdate(); return; }
    } else w = { kind: 'file', path: v, name: v.split('/').pop() ?? v };
    c.changeSettings({ weights: w });
    if (!this.store.state.run) void c.run();
  }

  private async onInput(v: string): Promise<void> {
    const c = this.controller;
    let input: InputChoice;
    if (v === 'noise') input = { kind: 'noise' };
    else if (v.startsWith('pattern:')) input = { kind: 'pattern', pattern: v.slice(8) as PatternName };
    else if (v === BROWSE) {
      try { const f = await c.requestFile('image'); input = { kind: 'image', path: f.path, name: f.name }; } catch (err) { this.fail(err); this.requestUpdate(); return; }
    } else input = { kind: 'image', path: v.slice(6), name: v.slice(6).split('/').pop() ?? v };
    c.changeSettings({ input });
    if (!this.store.state.run) void c.run();
  }

  private onSeed(v: string): void {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) return;
    clearTimeout(this.seedTimer);
    this.seedTimer = setTimeout(() => this.controller.changeSettings({ seed: n }), 150);
  }

  private fail(err: unknown): void {
    if (err instanceof CancelledError) return;
    this.store.update({ error: { message: err instanceof Error ? err.message : String(err) } });
  }
}
customElements.define('ll-inspector', InspectorApp);

/** Seconds since `since`, ticking on its own (the rest of the panel does not re-render while a job runs). */
class Elapsed extends LitElement {
  static override properties = { since: { type: Number } };
  declare since: number;
  private timer?: ReturnType<typeof setInterval>;
  protected override createRenderRoot(): HTMLElement { return this; }
  override connectedCallback(): void { super.connectedCallback(); this.timer = setInterval(() => this.requestUpdate(), 250); }
  override disconnectedCallback(): void { super.disconnectedCallback(); clearInterval(this.timer); }
  override render() { return `${((performance.now() - this.since) / 1000).toFixed(1)} s`; }
}
customElements.define('ll-elapsed', Elapsed);
