// The Inspector's logic between the host, the store and the engine worker: validates and routes the host's
// messages, asks the worker for analyses and runs (latest settings win; the previous result stays on screen
// until the next arrives), fetches weights and images through the host, and reports status back.
import type { Diagnostic, Loc } from '../../engine';
import { CancelledError, PROTOCOL_VERSION, assertNever, describeBad, parseToWebview, type FromWebview, type InputSpec, type ModelInfo, type RunVariant, type ToWebview } from '../protocol';
import type { EngineClient } from './engineClient';
import { LayoutClient, layoutKey } from './layoutClient';
import { imageTensor } from './imageInput';
import { currentReport, type RunSettings, type Store } from './store';
import type { GraphLayout } from '../views/graph/graphModel';

/** Models whose forward is at most this many MACs run as soon as they are analysed. */
export const AUTO_RUN_MACS = 5e9;

export interface PickedFile { name: string; path: string; bytes: Uint8Array }

export interface HostApi { postMessage(msg: FromWebview): void; setState(s: unknown): void }

export class Controller {
  private fileId = 1;
  private readonly files = new Map<number, { resolve(f: PickedFile): void; reject(e: Error): void }>();
  private readonly bytes = new Map<string, Uint8Array>();
  private analysisSeq = 0;
  private running = false;
  private rerun = false;
  private autoRan = false;
  private statusTimer?: ReturnType<typeof setTimeout>;
  private readonly renderedViews = new Set<string>();
  /** Source paths already asked of the host (each once: an absent file stays absent). */
  private readonly askedSources = new Set<string>();
  private renderedRows = 0;
  /** Bumped by every main run's result: the side runs (batch size, what-if) belong to one. */
  private runSeq = 0;
  private side = { batch: { busy: false, want: null as null | (() => Promise<void>) }, whatIf: { busy: false, want: null as null | (() => Promise<void>) } };

  private readonly layouts?: LayoutClient;
  private layoutFor?: { report: unknown; collapsed: string[]; key: string };

  constructor(private readonly store: Store, private readonly host: HostApi, private readonly engine: EngineClient, layoutWorkerUri?: string) {
    if (layoutWorkerUri) this.layouts = new LayoutClient(layoutWorkerUri, (key, layout, error) => this.laidOut(key, layout, error));
    store.subscribe(() => { host.setState(store.persisted()); this.scheduleStatus(); this.wantLayout(); });
  }

  /** Asks the layout worker for the graph's layout when its structure, counts or folds changed. */
  private wantLayout(): void {
    const s = this.store.state;
    const report = currentReport(s);
    const g = report?.dataflow;
    if (!this.layouts || !report || !g) return;
    const collapsed = s.ui.graph.collapsed;
    if (this.layoutFor && this.layoutFor.report === report && this.layoutFor.collapsed === collapsed) return;
    const key = layoutKey(g, collapsed);
    const same = this.layoutFor?.key === key;
    this.layoutFor = { report, collapsed, key };
    if (same) return;
    const font = `12px ${getComputedStyle(document.body).getPropertyValue('--vscode-font-family') || 'sans-serif'}`;
    this.layouts.request(key, { graph: g, report: { rows: report.rows.map((r) => ({ macs: r.macs, outputBytes: r.outputBytes })), modules: report.modules }, collapsed, font });
    this.store.update({ graphLayout: { ...(s.graphLayout ?? { key: '' }), pending: true } });
  }

  private laidOut(key: string, layout: GraphLayout | undefined, error?: string): void {
    if (this.layoutFor?.key !== key) return; // a newer one is coming
    performance.mark('layerlens:layout');
    this.store.update({ graphLayout: { key, layout, error, pending: false } });
  }

  start(): void {
    this.host.postMessage({ type: 'ready', version: PROTOCOL_VERSION });
    // the article's worked example needs no model: the engine's conv2d of its numbers
    void this.engine.request({ type: 'convDemo/request' }).then((a) => { if (a.type === 'convDemo/result') this.store.update({ convDemo: a.conv }); });
  }

  /** One side run at a time per kind; a newer wish replaces a waiting one (latest wins), the result on screen stays until the next. */
  private async sideRun(kind: 'batch' | 'whatIf', job: () => Promise<void>): Promise<void> {
    const q = this.side[kind];
    if (q.busy) { q.want = job; return; }
    q.busy = true;
    try { await job(); } finally { q.busy = false; }
    const next = q.want;
    q.want = null;
    if (next) void this.sideRun(kind, next);
  }

  private runKey(extra: string): string { return `${this.runSeq}|${extra}`; }

  /** The batch-size slider: BatchNorm's batch statistics over 8 seeded batches of `batch`, and train vs eval. */
  wantBatchNoise(batch: number): void {
    const s = this.store.state, m = s.model;
    const key = this.runKey(String(batch));
    if (!m || !s.run || s.batchNoise?.key === key) return;
    this.store.update({ batchNoise: { ...(s.batchNoise ?? {}), key, pending: true } });
    void this.sideRun('batch', async () => {
      if (this.store.state.batchNoise?.key !== key) return;
      const settings = this.store.state.settings;
      const weights = await this.weightBytes(settings).catch(() => undefined);
      const a = await this.engine.request({ type: 'bn/request', file: m.file, files: m.files, model: m.expr, input: this.inputShapes(), seed: settings.seed, ...(weights ? { weights: weights.bytes, weightsName: weights.name } : {}), batch, draws: 8 });
      if (this.store.state.batchNoise?.key !== key) return;
      performance.mark('layerlens:batchNoise');
      if (a.type === 'bn/result') this.store.update({ batchNoise: { key, value: a.noise, pending: false } });
      else if (a.type === 'error') this.store.update({ batchNoise: { ...this.store.state.batchNoise!, pending: false, error: a.message } });
    });
  }

  /** The what-if switches: the same run with every activation replaced or BatchNorm removed (null: none). */
  wantWhatIf(variant: RunVariant | null): void {
    const s = this.store.state, m = s.model;
    if (!variant || (!variant.activation && !variant.removeBatchNorm)) { if (s.whatIf) this.store.update({ whatIf: undefined }); return; }
    const key = this.runKey(JSON.stringify(variant));
    if (!m || !s.run || s.whatIf?.key === key) return;
    this.store.update({ whatIf: { ...(s.whatIf ?? {}), key, pending: true } });
    void this.sideRun('whatIf', async () => {
      if (this.store.state.whatIf?.key !== key) return;
      const settings = this.store.state.settings;
      const t0 = performance.now();
      const [weights, inputSpec] = await Promise.all([this.weightBytes(settings), this.inputSpec(settings)]);
      const a = await this.engine.request({
        type: 'run/request', file: m.file, files: m.files, model: m.expr, input: this.inputShapes(), mode: settings.mode, seed: settings.seed,
        ...(weights ? { weights: weights.bytes, weightsName: weights.name } : {}), inputSpec, variant, loss: settings.loss,
      });
      if (this.store.state.whatIf?.key !== key) return;
      performance.mark('layerlens:whatIf');
      if (a.type === 'run/result') {
        const error = errorOf(a.report.diagnostics);
        this.store.update({ whatIf: error ? { ...this.store.state.whatIf!, pending: false, error: error.message } : { key, pending: false, value: { variant, gradNorm: a.report.rows.map((r) => r.gradNorm), outputStd: a.report.outputStats?.std ?? null, ms: performance.now() - t0 } } });
      } else if (a.type === 'error') this.store.update({ whatIf: { ...this.store.state.whatIf!, pending: false, error: a.message } });
    });
  }

  receive(raw: unknown): void {
    const msg = parseToWebview(normalizeBytes(raw));
    if (!msg) {
      this.host.postMessage({ type: 'error', message: `the Inspector got ${describeBad(raw)}` });
      // a file answer that does not validate still ends its request (no run waits for it for ever)
      const id = (raw as { type?: unknown; id?: unknown } | null)?.id;
      const f = typeof id === 'number' && (raw as { type?: unknown }).type === 'file/result' ? this.files.get(id) : undefined;
      if (f) { this.files.delete(id as number); f.reject(new Error(`the file from the host was ${describeBad(raw)}`)); }
      return;
    }
    this.handle(msg);
  }

  private handle(msg: ToWebview): void {
    switch (msg.type) {
      case 'model': return this.setModel(msg.model);
      case 'cursor': return this.cursor(msg.file, msg.line);
      case 'file/result': { const f = this.files.get(msg.id); this.files.delete(msg.id); this.bytes.set(msg.path, msg.bytes); f?.resolve({ name: msg.name, path: msg.path, bytes: msg.bytes }); return; }
      case 'file/error': { const f = this.files.get(msg.id); this.files.delete(msg.id); f?.reject(new Error(msg.message)); return; }
      case 'cancelled': { const f = this.files.get(msg.id); this.files.delete(msg.id); f?.reject(new CancelledError()); return; }
      case 'select': return this.select(msg.rowIndex, true);
      case 'settings': {
        this.changeSettings(msg.settings);
        if (!this.store.state.run && !this.running) void this.run();
        return;
      }
      case 'show': return this.store.update({ ui: { ...this.store.state.ui, view: msg.view } });
      case 'run': return void this.run();
      default: assertNever(msg);
    }
  }

  /** The input shapes of analyses and runs: the model's, with the batch size the user chose. */
  inputShapes(): number[][] {
    const m = this.store.state.model;
    const b = this.store.state.settings.batch;
    return (m?.input ?? []).map((s) => (b && s.length ? [b, ...s.slice(1)] : s));
  }

  private setModel(model: ModelInfo): void {
    const prev = this.store.state.model;
    const same = prev && prev.uri === model.uri && prev.expr === model.expr && JSON.stringify(prev.input) === JSON.stringify(model.input) && sameFiles(prev.files, model.files);
    this.store.update({ model, runStale: this.store.state.run ? !same || this.store.state.runStale : false, error: model.problem ? { message: model.problem } : undefined });
    if (same && this.store.state.analysis) return;
    void this.analyse().then(() => { if (this.store.state.run || this.shouldAutoRun()) void this.run(); });
  }

  private shouldAutoRun(): boolean {
    const a = this.store.state.analysis;
    if (this.autoRan || !a || a.diagnostics.some((d) => d.severity === 'error')) return false;
    this.autoRan = true;
    return (a.totals.macs ?? Infinity) <= AUTO_RUN_MACS;
  }

  async analyse(): Promise<void> {
    const m = this.store.state.model;
    if (!m) return;
    const seq = ++this.analysisSeq;
    if (!this.running) this.store.update({ job: { kind: 'analysis', phase: 'analysing', startedAt: performance.now() } });
    const a = await this.engine.request({ type: 'analysis/request', file: m.file, files: m.files, model: m.expr, input: this.inputShapes(), dataflow: true });
    if (seq !== this.analysisSeq) return;
    if (!this.running) this.store.update({ job: undefined });
    if (a.type === 'analysis/result') {
      this.askForSources(a.report.missingFiles);
      const sel = this.store.state.ui.selectedRow;
      this.store.update({ analysis: a.report, error: errorOf(a.report.diagnostics), ui: { ...this.store.state.ui, selectedRow: sel !== null && sel < a.report.rows.length ? sel : firstConv(a.report.rows) } });
    } else if (a.type === 'error') this.store.update({ error: { message: a.message } });
  }

  /** Runs with the current settings; a call while one runs makes one more run afterwards (latest wins). */
  async run(): Promise<void> {
    const m = this.store.state.model;
    if (!m) return;
    if (this.running) { this.rerun = true; return; }
    this.running = true;
    const t0 = performance.now();
    // user-timing marks: DevTools' performance panel and bench/inspector.mjs read them
    performance.mark('layerlens:run');
    const settings = this.store.state.settings;
    this.store.update({ job: { kind: 'run', phase: 'preparing', startedAt: t0 }, runStale: !!this.store.state.run });
    try {
      const [weights, inputSpec] = await Promise.all([this.weights(settings), this.inputSpec(settings)]);
      const phase = (p: string) => this.store.update({ job: { kind: 'run', phase: p, startedAt: t0 } });
      const a = await this.engine.request({
        type: 'run/request', file: m.file, files: m.files, model: m.expr, input: this.inputShapes(), mode: settings.mode, seed: settings.seed,
        ...(weights ? { weights: weights.bytes, weightsName: weights.name } : {}), inputSpec, keepTensors: true, dataflow: true, capture: true, loss: settings.loss,
      }, phase);
      if (a.type === 'run/result') {
        // a run that failed (weights that do not load, an op without kernel) says why and shows no stale numbers
        const error = errorOf(a.report.diagnostics);
        performance.mark('layerlens:result');
        this.runSeq++;
        this.store.update({ run: error ? undefined : { report: a.report, tensors: a.tensors ?? [], ms: performance.now() - t0 }, analysis: a.report, runStale: false, error });
      } else if (a.type === 'error' || a.type === 'cancelled') {
        this.store.update({ error: a.type === 'cancelled' ? undefined : { message: a.message }, runStale: false });
      }
    } catch (e) {
      this.store.update({ error: { message: e instanceof Error ? e.message : String(e) } });
    } finally {
      this.running = false;
      this.store.update({ job: undefined });
    }
    if (this.rerun) { this.rerun = false; void this.run(); }
  }

  /** Imports the host did not send: asked for once; a `model` with them starts a new analysis. */
  private askForSources(missing: string[]): void {
    const paths = missing.filter((p) => !this.askedSources.has(p));
    if (!paths.length) return;
    for (const p of paths) this.askedSources.add(p);
    this.host.postMessage({ type: 'sources/request', paths });
  }

  cancel(): void {
    this.rerun = false;
    this.engine.cancel();
  }

  /** Settings changed: re-analyse when the shape changed, and re-run when there is a run on screen. */
  changeSettings(patch: Partial<RunSettings>): void {
    const batchChanged = patch.batch !== undefined && patch.batch !== this.store.state.settings.batch;
    this.store.settings(patch);
    if (batchChanged && !this.store.state.run) void this.analyse();
    if (this.store.state.run || this.running) void this.run();
  }

  select(row: number | null, reveal = true): void {
    this.store.update({ ui: { ...this.store.state.ui, selectedRow: row } });
    if (!reveal || row === null) return;
    const r = currentReport(this.store.state)?.rows[row];
    const loc = r?.callLoc ?? r?.defLoc;
    if (loc) this.reveal(loc);
  }

  reveal(loc: Loc): void { this.host.postMessage({ type: 'reveal', loc }); }

  copy(format: 'markdown' | 'csv' | 'json'): void { this.host.postMessage({ type: 'copy', format }); }

  /** A view drew real data. */
  rendered(view: string, rows?: number): void {
    performance.mark(`layerlens:rendered:${view}`);
    const before = this.renderedViews.size + this.renderedRows;
    this.renderedViews.add(view);
    if (view === 'summary' && rows !== undefined) this.renderedRows = rows;
    if (this.renderedViews.size + this.renderedRows !== before) this.scheduleStatus();
  }

  /** Asks the host for a file's bytes: one it offered (`path`), or one the user picks in a dialog. */
  requestFile(purpose: 'weights' | 'image', path?: string): Promise<PickedFile> {
    const id = this.fileId++;
    return new Promise((resolve, reject) => {
      this.files.set(id, { resolve, reject });
      this.host.postMessage({ type: 'file/request', id, purpose, ...(path ? { path } : {}) });
    });
  }

  private async fileBytes(purpose: 'weights' | 'image', path: string): Promise<Uint8Array> {
    let b = this.bytes.get(path);
    if (!b) { b = (await this.requestFile(purpose, path)).bytes; this.bytes.set(path, b); }
    return b;
  }

  private async weights(s: RunSettings): Promise<{ name: string; bytes: Uint8Array } | undefined> {
    if (s.weights.kind === 'init') return undefined;
    this.store.update({ job: { kind: 'run', phase: `reading ${s.weights.name}`, startedAt: performance.now() } });
    return this.weightBytes(s);
  }

  /** The chosen weights' bytes without a progress phase (the side runs: the file is already read). */
  private async weightBytes(s: RunSettings): Promise<{ name: string; bytes: Uint8Array } | undefined> {
    if (s.weights.kind === 'init') return undefined;
    return { name: s.weights.name, bytes: await this.fileBytes('weights', s.weights.path) };
  }

  private async inputSpec(s: RunSettings): Promise<InputSpec> {
    switch (s.input.kind) {
      case 'noise': return { kind: 'noise' };
      case 'pattern': return { kind: 'pattern', pattern: s.input.pattern };
      case 'image': {
        const shape = this.inputShapes()[0];
        // a tensor file (the trained example's samples.safetensors) is the input itself, as `layerlens run --input-file` takes it
        if (/\.(safetensors|pt|pth|bin)$/i.test(s.input.name)) return { kind: 'file', bytes: await this.fileBytes('image', s.input.path) };
        if (!shape) throw new Error('the model has no input shape for an image');
        return { kind: 'tensor', tensor: await imageTensor(await this.fileBytes('image', s.input.path), s.input.name, shape, s.normalize) };
      }
    }
  }

  private cursor(file: string, line: number): void {
    const rows = currentReport(this.store.state)?.rows;
    if (!rows) return;
    const within = (l: Loc | undefined) => !!l && l.file === file && line >= l.line && line <= l.endLine;
    const sel = this.store.state.ui.selectedRow;
    if (sel !== null && (within(rows[sel]?.callLoc) || within(rows[sel]?.defLoc))) return; // already one of them
    let i = rows.findIndex((r) => within(r.callLoc));
    if (i < 0) i = rows.findIndex((r) => within(r.defLoc));
    if (i >= 0) this.select(i, false);
  }

  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      const s = this.store.state;
      const r = currentReport(s);
      const sel = s.ui.selectedRow;
      this.host.postMessage({
        type: 'status', status: {
          view: s.ui.view, rows: this.renderedRows, selectedRow: sel, selectedName: sel !== null ? r?.rows[sel]?.name ?? null : null,
          analysed: !!s.analysis, ran: !!s.run, busy: !!s.job, error: s.error?.message ?? null, rendered: [...this.renderedViews],
        },
      });
    }, 30);
  }
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

function errorOf(diags: Diagnostic[]): { message: string; diagnostics: Diagnostic[] } | undefined {
  const errors = diags.filter((d) => d.severity === 'error');
  return errors.length ? { message: errors[0].message, diagnostics: errors } : undefined;
}

function firstConv(rows: Array<{ type: string }>): number | null {
  const i = rows.findIndex((r) => /^Conv/.test(r.type));
  return i >= 0 ? i : rows.length ? 0 : null;
}

/** VS Code may deliver a posted Uint8Array as an ArrayBuffer (or a plain view of another type). */
function normalizeBytes(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !('bytes' in raw)) return raw;
  const b = (raw as { bytes: unknown }).bytes;
  if (b instanceof ArrayBuffer) return { ...raw, bytes: new Uint8Array(b) };
  if (ArrayBuffer.isView(b) && !(b instanceof Uint8Array)) return { ...raw, bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
  return raw;
}
