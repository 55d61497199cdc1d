// The Inspector panel: one webview per model beside the editor (static viewType, createOrShow, revive, a
// disposables list). The host sends the model's source files, the weights and images the user picks, and
// cursor moves; it reveals lines the webview asks for. It does no tensor work: the webview's worker does.
import * as vscode from 'vscode';
import { PROTOCOL_VERSION, assertNever, describeBad, parseFromWebview, type FileEntry, type FromWebview, type ModelInfo, type ToWebview, type WebviewStatus } from '../../webview/protocol';
import type { AnalysisService } from '../analysis/service';
import { copySummary, type CopyFormat, type SummaryDocumentProvider } from '../commands/showSummary';
import { enginePath } from '../analysis/workspaceHost';
import { inspectorHtml, makeNonce } from './inspectorHtml';

export interface PanelDeps { extensionUri: vscode.Uri; service: AnalysisService; summaries: SummaryDocumentProvider }

const WEIGHTS = /\.(safetensors|pt|pth|bin)$/i;
const IMAGES = /\.(png|jpe?g|bmp|gif|webp)$/i;

const keyOf = (uri: vscode.Uri, expr: string): string => `${uri.toString()}\u0000${expr}`;

export class InspectorPanel implements vscode.Disposable {
  static readonly viewType = 'layerlens.inspector';
  private static readonly open = new Map<string, InspectorPanel>();
  private static readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a panel opens, closes or reports a new status (the test API waits on it). */
  static readonly onDidChange = InspectorPanel.changed.event;

  private readonly disposables: vscode.Disposable[] = [];
  private status?: WebviewStatus;
  private ready = false;
  private queue: ToWebview[] = [];
  private paths = new Set<string>();
  /** Source files the webview's engine asked for beyond the host analysis's own (package markers, imports). */
  private readonly extra = new Map<string, string>();
  private offered = new Set<string>();
  private readonly picked = new Set<string>();
  private echo?: { path: string; line: number };
  private sendTimer?: ReturnType<typeof setTimeout>;
  private reported = new Set<string>();

  /** Opens (or shows) the Inspector for `expr` in `doc`, beside the editor. */
  static createOrShow(deps: PanelDeps, doc: vscode.TextDocument, expr: string, view?: string): InspectorPanel {
    const key = keyOf(doc.uri, expr);
    const existing = InspectorPanel.open.get(key);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn, false);
      if (view) existing.post({ type: 'show', view });
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(InspectorPanel.viewType, titleOf(expr), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(deps.extensionUri));
    const p = new InspectorPanel(panel, deps, doc.uri, expr);
    if (view) p.post({ type: 'show', view });
    return p;
  }

  /** Restores a panel after a reload from the state its webview saved (WebviewPanelSerializer). */
  static async revive(panel: vscode.WebviewPanel, deps: PanelDeps, state: unknown): Promise<void> {
    const s = state as { uri?: unknown; expr?: unknown } | undefined;
    panel.webview.options = webviewOptions(deps.extensionUri);
    if (typeof s?.uri !== 'string' || typeof s.expr !== 'string') {
      panel.dispose(); // nothing to restore: a panel that never received its model
      return;
    }
    new InspectorPanel(panel, deps, vscode.Uri.parse(s.uri), s.expr);
  }

  static all(): InspectorPanel[] { return [...InspectorPanel.open.values()]; }

  /** The panel the user is looking at, if an Inspector is the active editor tab. */
  static active(): InspectorPanel | undefined { return InspectorPanel.all().find((p) => p.panel.active); }

  static disposeAll(): void { for (const p of InspectorPanel.all()) p.dispose(); }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly deps: PanelDeps, readonly uri: vscode.Uri, readonly expr: string) {
    InspectorPanel.open.set(keyOf(uri, expr), this);
    panel.title = titleOf(expr);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => void this.receive(m)),
      deps.service.onDidChange((u) => { if (u.toString() === uri.toString() || this.paths.has(enginePath(u))) this.scheduleModel(); }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
    );
    InspectorPanel.changed.fire();
  }

  dispose(): void {
    if (InspectorPanel.open.get(keyOf(this.uri, this.expr)) !== this) return;
    InspectorPanel.open.delete(keyOf(this.uri, this.expr));
    clearTimeout(this.sendTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    InspectorPanel.changed.fire();
  }

  /** What the webview last reported it shows. */
  get lastStatus(): WebviewStatus | undefined { return this.status; }

  /** Sends a message to the webview (queued until it is ready). */
  post(msg: ToWebview): void {
    if (!this.ready) { this.queue.push(msg); return; }
    void this.panel.webview.postMessage(msg);
  }

  copy(format: CopyFormat): Promise<string | undefined> {
    return copySummary(this.deps.service, this.deps.summaries, format, this.uri, this.expr);
  }

  private html(): string {
    const w = this.panel.webview;
    const res = (f: string) => w.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview', ...f.split('/'))).toString();
    return inspectorHtml({ cspSource: w.cspSource, nonce: makeNonce(), title: titleOf(this.expr), main: res('main.js'), worker: res('worker.js'), layoutWorker: res('layoutWorker.js'), css: res('inspector.css'), codicons: res('codicons/codicon.css'), lang: vscode.env.language, l10n: vscode.l10n.bundle });
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parseFromWebview(raw);
    if (!msg) { this.report(`the Inspector sent ${describeBad(raw)}`); return; }
    await this.handle(msg);
  }

  private async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (msg.version !== PROTOCOL_VERSION) { this.report(`the Inspector's page speaks protocol ${msg.version}, the extension ${PROTOCOL_VERSION}: reload the window`); return; }
        this.ready = true;
        await this.sendModel();
        for (const m of this.queue.splice(0)) void this.panel.webview.postMessage(m);
        return;
      case 'reveal': return this.reveal(msg.loc);
      case 'file/request': return this.sendFile(msg.id, msg.purpose, msg.path);
      case 'sources/request': return this.sendSources(msg.paths);
      case 'copy': await this.copy(msg.format); return;
      case 'status':
        this.status = msg.status;
        InspectorPanel.changed.fire();
        return;
      case 'error': this.report(msg.message); return;
      default: assertNever(msg);
    }
  }

  private report(message: string): void {
    console.warn(`LayerLens Inspector: ${message}`);
    if (this.reported.has(message)) return;
    this.reported.add(message);
    void vscode.window.showWarningMessage(vscode.l10n.t('LayerLens Inspector: {0}', message));
  }

  private scheduleModel(): void {
    clearTimeout(this.sendTimer);
    this.sendTimer = setTimeout(() => void this.sendModel(), 50);
  }

  /** The model's source files as the host's analysis read them (unsaved edits included), and the files beside it. */
  private async sendModel(): Promise<void> {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(this.uri);
    } catch {
      this.post({ type: 'model', model: { ...this.emptyModel(), problem: `${this.uri.path.split('/').pop()} cannot be opened any more` } });
      return;
    }
    const a = await this.deps.service.analysis(doc, this.expr);
    const file = enginePath(this.uri);
    const files: Record<string, string> = {};
    for (const [p, text] of this.extra) files[p] = text;
    for (const [p, lines] of a.sources) files[p] = lines.join('\n');
    files[file] ??= doc.getText();
    this.paths = new Set(Object.keys(files));
    const near = await this.filesNear();
    this.offered = new Set([...near.weightsFiles, ...near.sampleFiles].map((f) => f.path));
    const model: ModelInfo = { uri: this.uri.toString(), file, expr: this.expr, input: a.input, inputSource: a.inputSource, files, ...near, ...(a.error ? { problem: `the analysis failed: ${a.error}` } : {}) };
    this.post({ type: 'model', model });
  }

  /** Reads the Python files the engine looked for (open documents first, unsaved edits included); absent ones stay absent. */
  private async sendSources(paths: string[]): Promise<void> {
    let added = 0;
    await Promise.all(paths.filter((p) => /\.pyi?$/.test(p) && !p.split('/').includes('..')).map(async (p) => {
      const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.scheme === this.uri.scheme && enginePath(d.uri) === p);
      try {
        this.extra.set(p, open ? open.getText() : new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(this.uri.with({ path: p, query: '', fragment: '' }))));
        added++;
      } catch { /* not there: the engine says what it could not resolve */ }
    }));
    if (added) await this.sendModel();
  }

  private emptyModel(): ModelInfo {
    return { uri: this.uri.toString(), file: enginePath(this.uri), expr: this.expr, input: [], inputSource: 'setting', files: {}, weightsFiles: [], sampleFiles: [] };
  }

  /** State dicts and images in the model's folder (and a `samples/` folder beside it): offered first. */
  private async filesNear(): Promise<{ weightsFiles: FileEntry[]; sampleFiles: FileEntry[] }> {
    const dir = vscode.Uri.joinPath(this.uri, '..');
    const entries = async (d: vscode.Uri): Promise<Array<[string, vscode.FileType]>> => {
      try { return await vscode.workspace.fs.readDirectory(d); } catch { return []; }
    };
    const files = (d: vscode.Uri, es: Array<[string, vscode.FileType]>, prefix = ''): FileEntry[] =>
      es.filter(([, t]) => t === vscode.FileType.File).map(([n]) => ({ path: vscode.Uri.joinPath(d, n).path, name: prefix + n }));
    const top = await entries(dir);
    const here = files(dir, top);
    // only a folder that is there is listed (reading a missing one logs an error in some hosts)
    const sdir = vscode.Uri.joinPath(dir, 'samples');
    const samples = top.some(([n, t]) => n === 'samples' && t === vscode.FileType.Directory) ? files(sdir, await entries(sdir), 'samples/') : [];
    const sort = (xs: FileEntry[]) => xs.sort((x, y) => x.name.localeCompare(y.name, undefined, { numeric: true }));
    return { weightsFiles: sort(here.filter((f) => WEIGHTS.test(f.name))), sampleFiles: sort([...here, ...samples].filter((f) => IMAGES.test(f.name))) };
  }

  /** Files the webview may read: those offered, those the user picked, and state dicts or images in the workspace. */
  private allowed(path: string, purpose: 'weights' | 'image'): boolean {
    if (this.offered.has(path) || this.picked.has(path)) return true;
    const kind = purpose === 'weights' ? WEIGHTS : IMAGES;
    const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === this.uri.scheme && path.startsWith(f.uri.path.endsWith('/') ? f.uri.path : `${f.uri.path}/`));
    return kind.test(path) && inWorkspace && !path.split('/').includes('..');
  }

  private async sendFile(id: number, purpose: 'weights' | 'image', path?: string): Promise<void> {
    let uri: vscode.Uri;
    if (path) {
      if (!this.allowed(path, purpose)) { this.post({ type: 'file/error', id, message: `${path} is not a file the Inspector offered` }); return; }
      uri = this.uri.with({ path, query: '', fragment: '' });
    } else {
      const pick = await vscode.window.showOpenDialog({
        canSelectMany: false, defaultUri: vscode.Uri.joinPath(this.uri, '..'), openLabel: purpose === 'weights' ? vscode.l10n.t('Load Weights') : vscode.l10n.t('Use as Input'),
        filters: purpose === 'weights' ? { [vscode.l10n.t('State dicts')]: ['safetensors', 'pt', 'pth', 'bin'] } : { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'], [vscode.l10n.t('Input tensors')]: ['safetensors', 'pt', 'pth'] },
      });
      if (!pick?.[0]) { this.post({ type: 'cancelled', id }); return; }
      uri = pick[0];
      this.picked.add(uri.path);
    }
    try {
      // a plain Uint8Array of its own: Node's fs gives a Buffer (often a view on a shared pool), which the
      // webview message channel does not carry as the Uint8Array the protocol promises
      const bytes = new Uint8Array(await vscode.workspace.fs.readFile(uri));
      this.post({ type: 'file/result', id, name: uri.path.split('/').pop() ?? uri.path, path: uri.path, bytes });
    } catch (e) {
      this.post({ type: 'file/error', id, message: `cannot read ${uri.path.split('/').pop()}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Shows a source line of the model in an editor (not over the panel), keeping the focus in the panel. */
  private async reveal(loc: { file: string; line: number; col: number; endLine: number; endCol: number }): Promise<void> {
    if (!this.paths.has(loc.file)) return; // only the model's own files
    const uri = this.uri.with({ path: loc.file, query: '', fragment: '' });
    const range = new vscode.Range(loc.line, loc.col, loc.endLine, loc.endCol);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const model = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const column = shown?.viewColumn ?? model?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    this.echo = { path: loc.file, line: loc.line };
    const doc = await vscode.workspace.openTextDocument(uri);
    const ed = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: true, preview: false, selection: new vscode.Range(range.start, range.start) });
    ed.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** The editor's cursor moved in one of the model's files: the webview selects the row there. */
  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    const doc = e.textEditor.document;
    if (doc.uri.scheme !== this.uri.scheme || doc.uri.authority !== this.uri.authority) return;
    const path = enginePath(doc.uri);
    if (!this.paths.has(path)) return;
    const line = e.selections[0].active.line;
    if (this.echo && this.echo.path === path && this.echo.line === line) { this.echo = undefined; return; } // our own reveal
    this.echo = undefined;
    this.post({ type: 'cursor', file: path, line });
  }
}

function titleOf(expr: string): string { return vscode.l10n.t('Inspector: {0}', expr); }

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    // a run's tensors (tens of MB for ResNet-18) stay in the page while its tab is hidden instead of re-running
    retainContextWhenHidden: true,
  };
}
