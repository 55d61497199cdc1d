// Runs the engine for Python documents and caches the results per document version and model.
// Owns the model choice and input-shape resolution, debouncing while the user types, loading imported
// workspace files (Report.missingFiles) and re-running when they change. Presentation lives in providers/.
import * as vscode from 'vscode';
import * as engine from '../engine';
import type { DiscoveryResult, Loc, ModelCandidate, Report } from '../engine';
import type { AnalysisRunner } from './analysisRunner';
import { readConfig } from './config';
import { ModelChoices } from './modelChoices';
import { enginePath, WorkspaceHost } from './workspaceHost';

export type InputSource = 'comment' | 'example' | 'user' | 'setting';

/** One finished analysis of one model of one document version. */
export interface Analysis {
  uri: vscode.Uri;
  version: number;
  /** The model expression analysed (candidate expr or the user's own expression). */
  expr: string;
  candidate?: ModelCandidate;
  input: number[][];
  inputSource: InputSource;
  report?: Report;
  /** Set when the engine threw (a bug on our side, shown once, never a crash of the host). */
  error?: string;
  /** The text of every file the engine read, split in lines, to map locations onto later versions. */
  sources: Map<string, string[]>;
  ms: number;
}

interface DocState {
  version: number;
  discovery: DiscoveryResult;
  /** Analyses of this version, by model expression (single-flight). */
  runs: Map<string, Promise<Analysis>>;
  /** The latest finished analysis of the active model (any version). */
  latest?: Analysis;
  /** The latest analysis of the active model that produced rows (kept while a file is half typed). */
  lastGood?: Analysis;
}

const MAX_LOAD_ROUNDS = 8;

export class AnalysisService implements vscode.Disposable {
  private readonly docs = new Map<string, DocState>();
  /** Debounce timers by document URI: present while the user is typing. */
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly host = new WorkspaceHost();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private reportedErrors = new Set<string>();

  /** Fires after a document's active analysis was (re)computed or its inputs changed. */
  readonly onDidChange = this.changed.event;

  constructor(readonly choices: ModelChoices, private readonly runner: AnalysisRunner) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
    try {
      const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
      this.disposables.push(
        watcher,
        watcher.onDidChange((u) => this.onFileChanged(u)),
        watcher.onDidCreate((u) => this.onFileChanged(u)),
        watcher.onDidDelete((u) => this.onFileChanged(u)),
      );
    } catch {
      // virtual file systems without watching: imported files refresh when edited in the editor
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.runner.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  static isPython(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'python' && doc.uri.scheme !== 'layerlens-summary';
  }

  /** Models the document defines (class, factory, assignment), cached per version. */
  discover(doc: vscode.TextDocument): DiscoveryResult {
    return this.state(doc).discovery;
  }

  /** The model expression analysed for this document: the user's choice, else the obvious one. */
  activeExpr(doc: vscode.TextDocument): string | undefined {
    const cands = this.discover(doc).candidates;
    const chosen = this.choices.model(doc.uri);
    if (chosen) return chosen;
    // The engine's choice of the obvious model; when there are several, the first that is not a block of
    // another and needs no constructor arguments.
    const plain = (c: ModelCandidate) => !(c as { nested?: boolean }).nested && !needsArguments(c);
    const pick = engine.pickModel(cands) ?? cands.find((c) => c.input && plain(c)) ?? cands.find(plain) ?? cands[0];
    return pick?.expr;
  }

  /** The input shape for `expr` in `doc`, in the documented order: comment/example, user choice, setting. */
  resolveInput(doc: vscode.TextDocument, expr: string): { input: number[][]; source: InputSource } {
    const cand = this.discover(doc).candidates.find((c) => c.expr === expr);
    const fileInput = cand?.input ?? this.discover(doc).candidates.find((c) => c.input && c.inputSource === 'comment')?.input;
    if (fileInput) return { input: fileInput, source: (cand?.input ? cand.inputSource : 'comment') ?? 'comment' };
    const user = this.choices.input(doc.uri, expr);
    if (user) return { input: user, source: 'user' };
    return { input: readConfig(doc.uri).defaultInputShape, source: 'setting' };
  }

  /** True while the user is typing and a re-analysis is scheduled. */
  isPending(doc: vscode.TextDocument): boolean {
    return this.timers.has(doc.uri.toString());
  }

  /**
   * The active model's analysis for presentation. While the user is typing this is the last good one
   * (locations are mapped onto the current text by `mapLoc`); otherwise it is computed for this version.
   */
  async active(doc: vscode.TextDocument): Promise<Analysis | undefined> {
    const s = this.state(doc);
    if (this.isPending(doc) && s.lastGood) return s.lastGood;
    const expr = this.activeExpr(doc);
    if (!expr) return undefined;
    // A block class picked only because nothing else is there (`ConvBlock(cin=…, cout=…)`) cannot be built;
    // its instances are shown from the files that import it, and its CodeLens offers Select Model.
    const cand = s.discovery.candidates.find((c) => c.expr === expr);
    if (cand && needsArguments(cand) && !this.choices.model(doc.uri)) return undefined;
    const a = await this.analysis(doc, expr);
    return a.report && a.report.rows.length === 0 && s.lastGood && hasSyntaxError(a.report) ? s.lastGood : a;
  }

  /** The latest finished analysis of the active model, without starting one (status bar). */
  latest(uri: vscode.Uri): Analysis | undefined {
    return this.docs.get(uri.toString())?.latest;
  }

  /** Analysis of any model expression of this document version (CodeLens of each candidate, summaries). */
  analysis(doc: vscode.TextDocument, expr: string): Promise<Analysis> {
    const s = this.state(doc);
    const { input, source } = this.resolveInput(doc, expr);
    const key = `${expr}\u0000${JSON.stringify(input)}`;
    let run = s.runs.get(key);
    if (!run) {
      run = this.run(doc, expr, input, source);
      s.runs.set(key, run);
      void run.then((a) => {
        if (this.docs.get(doc.uri.toString()) !== s || expr !== this.activeExpr(doc)) return;
        s.latest = a;
        if (a.report && (a.report.rows.length > 0 || !hasSyntaxError(a.report))) s.lastGood = a;
        this.changed.fire(doc.uri);
      });
    }
    return run;
  }

  /** Analyses from other documents that read `path` (hover in an imported file shows its instances). */
  importers(path: string): Analysis[] {
    const out: Analysis[] = [];
    for (const s of this.docs.values()) {
      const a = s.latest;
      if (a?.report && enginePath(a.uri) !== path && a.report.filesRead.includes(path)) out.push(a);
    }
    return out;
  }

  /** Drops cached results of `uri` (model choice or input changed) and tells the providers. */
  invalidate(uri: vscode.Uri): void {
    const s = this.docs.get(uri.toString());
    if (s) s.runs.clear();
    this.changed.fire(uri);
  }

  /** Drops every cached result (a setting changed). */
  invalidateAll(): void {
    for (const [k, s] of this.docs) {
      s.runs.clear();
      this.changed.fire(vscode.Uri.parse(k));
    }
  }

  /**
   * Maps a location of analysed text onto the document's current text: kept when the line is unchanged,
   * shifted when lines were inserted/removed above it, dropped otherwise (never a hint on the wrong line).
   */
  mapLoc(a: Analysis, loc: Loc | undefined, doc: vscode.TextDocument): vscode.Range | undefined {
    if (!loc || loc.file !== enginePath(doc.uri)) return undefined;
    const lines = a.sources.get(loc.file);
    const range = new vscode.Range(loc.line, loc.col, loc.endLine, loc.endCol);
    if (!lines) return doc.version === a.version && enginePath(a.uri) === loc.file ? range : undefined;
    const delta = doc.lineCount - lines.length;
    for (const shift of delta === 0 ? [0] : [0, delta]) {
      const first = loc.line + shift;
      const last = loc.endLine + shift;
      if (first < 0 || last >= doc.lineCount) continue;
      if (doc.lineAt(first).text === lines[loc.line] && doc.lineAt(last).text === lines[loc.endLine]) {
        return new vscode.Range(first, loc.col, last, loc.endCol);
      }
    }
    return undefined;
  }

  // ---------- internals ----------

  private state(doc: vscode.TextDocument): DocState {
    const key = doc.uri.toString();
    let s = this.docs.get(key);
    if (!s || s.version !== doc.version) {
      const discovery = this.safeDiscover(doc);
      s = { version: doc.version, discovery, runs: new Map(), latest: s?.latest, lastGood: s?.lastGood };
      this.docs.set(key, s);
    }
    return s;
  }

  private safeDiscover(doc: vscode.TextDocument): DiscoveryResult {
    try {
      return engine.findModels(enginePath(doc.uri), doc.getText());
    } catch (e) {
      this.reportEngineError(e);
      return { candidates: [], diagnostics: [] };
    }
  }

  private async run(doc: vscode.TextDocument, expr: string, input: number[][], inputSource: InputSource): Promise<Analysis> {
    const file = enginePath(doc.uri);
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === doc.uri.scheme).map((f) => enginePath(f.uri));
    const candidate = this.discover(doc).candidates.find((c) => c.expr === expr);
    const t0 = performance.now();
    let report: Report | undefined;
    let error: string | undefined;
    let sources = new Map<string, string[]>();
    let version = doc.version;
    for (let round = 0; round < MAX_LOAD_ROUNDS; round++) {
      version = doc.version;
      const files = this.host.snapshot();
      const res = await this.runner.run({ opts: { file, model: expr, input, searchPaths: folders }, files });
      if (!res.ok) {
        error = res.error.split('\n')[0];
        report = undefined;
        this.reportEngineError(res.error);
        break;
      }
      const r = res.report;
      report = r;
      error = undefined;
      sources = new Map([...new Set([file, ...r.filesRead])].filter((p) => files[p] !== undefined).map((p) => [p, files[p].split(/\r?\n/)]));
      // What the engine lists as missing, and what it asked for and did not get (the same, normally).
      const toLoad = [...new Set([...r.missingFiles, ...res.misses])].filter((p) => this.host.isUnknown(p));
      if (toLoad.length === 0 || (await this.host.load(toLoad, doc.uri)) === 0) break;
    }
    return { uri: doc.uri, version, expr, candidate, input, inputSource, report, error, sources, ms: performance.now() - t0 };
  }

  private onEdit(doc: vscode.TextDocument): void {
    if (!AnalysisService.isPython(doc)) return;
    const path = enginePath(doc.uri);
    if (this.docs.has(doc.uri.toString())) this.schedule(doc);
    // Files that import this one see the unsaved text too: refresh them after the same quiet time.
    for (const other of vscode.workspace.textDocuments) {
      const os = this.docs.get(other.uri.toString());
      if (other !== doc && os?.latest?.report?.filesRead.includes(path)) this.schedule(other, true);
    }
  }

  private schedule(doc: vscode.TextDocument, clearRuns = false): void {
    const key = doc.uri.toString();
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (doc.isClosed) return;
      if (clearRuns) this.state(doc).runs.clear();
      const expr = this.activeExpr(doc);
      if (expr) void this.analysis(doc, expr);
      else this.changed.fire(doc.uri);
    }, readConfig(doc.uri).debounceMs));
  }

  private onFileChanged(uri: vscode.Uri): void {
    const path = enginePath(uri);
    this.host.invalidate(path);
    for (const doc of vscode.workspace.textDocuments) {
      if (enginePath(doc.uri) === path) continue; // its own edits arrive through onDidChangeTextDocument
      const s = this.docs.get(doc.uri.toString());
      const r = s?.latest?.report;
      if (r && (r.filesRead.includes(path) || r.missingFiles.includes(path))) this.schedule(doc, true);
    }
  }

  private forget(uri: vscode.Uri): void {
    const t = this.timers.get(uri.toString());
    if (t) clearTimeout(t);
    this.timers.delete(uri.toString());
    this.docs.delete(uri.toString());
  }

  private reportEngineError(e: unknown): void {
    const full = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
    const msg = full.split('\n')[0];
    console.error('[LayerLens] engine error:', full);
    if (this.reportedErrors.has(msg)) return;
    this.reportedErrors.add(msg);
    void vscode.window.showErrorMessage(`LayerLens: the analysis failed (${msg}). Please report this with the file that caused it.`);
  }
}

/** A class whose __init__ has required parameters (discovery writes them as `X(a=…)`). */
export function needsArguments(c: ModelCandidate): boolean {
  return (c as { needsArgs?: boolean }).needsArgs === true || c.expr.includes('…');
}

function hasSyntaxError(r: Report): boolean {
  return r.diagnostics.some((d) => d.code === 'syntax');
}
