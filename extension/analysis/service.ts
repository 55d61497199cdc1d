// Runs discovery and the engine for Python documents (on the worker) and caches the results per document
// version and model. Owns the model choice and input-shape resolution, debouncing while the user types,
// loading imported workspace files (Report.missingFiles) and re-running when they change. Presentation
// lives in providers/. Nothing here parses or analyses on the host's thread: it only maps results.
import * as vscode from 'vscode';
import * as engine from '../../engine';
import type { Diagnostic, DiscoveryResult, Loc, ModelCandidate, Report } from '../../engine';
import type { AnalysisRunner } from './runner';
import { readConfig, resolveImportRoots } from '../config';
import { LineMap } from './lineMap';
import { ModelChoices } from './modelChoices';
import { enginePath, WorkspaceHost } from './workspaceHost';
import { epochMs } from './protocol';
import type { InputSource } from './inputSource';

/** Where installed packages are read from (the selected Python environment's site-packages). */
export interface SitePackagesSource {
  /** Engine paths of the site-packages for this document. */
  sitePackages(uri: vscode.Uri): Promise<string[]>;
  /** Fires when the selected interpreter changed. */
  readonly onDidChange: vscode.Event<void>;
}

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
  /** Set when the analysis died on this file (out of memory, too long, crashed): the diagnostic that says so. */
  fatal?: Diagnostic;
  /** The text of every file the engine read, split in lines, to map locations onto later versions. */
  sources: Map<string, string[]>;
  ms: number;
  /** When each hop of this analysis happened (epochMs): what bench/editor.mjs breaks an edit's wait into. */
  hops?: Hops;
}

/**
 * Times (epochMs) from the edit to the finished analysis: the last edit event, the debounced refresh, the
 * request sent, the analysis's start and end where it ran, its answer encoded there and received here, and the
 * Analysis built.
 */
export interface Hops { edit?: number; refresh?: number; sent: number; start?: number; end?: number; encoded?: number; received: number; done: number }

/** A finished discovery and the text it read (its locations map onto later versions through it). */
interface Discovered {
  version: number;
  result: DiscoveryResult;
  lines: string[];
}

interface DocState {
  version: number;
  /** This version's discovery, on the worker (single-flight). */
  discovery?: Promise<DiscoveryResult>;
  /** Analyses of this version, by model expression and input (single-flight). */
  runs: Map<string, Promise<Analysis>>;
  /** The latest finished discovery (any version): what the model choice uses until this version's arrives. */
  known?: Discovered;
  /**
   * The latest finished discovery of a version without syntax errors: while a line is half typed, the
   * model and its input come from here (an unclosed bracket hides everything below it from discovery).
   */
  stable?: Discovered;
  /** The latest finished analysis per model expression and input (any version; shared by all versions). */
  finished: Map<string, Analysis>;
  /** The latest finished analysis of the active model (any version). */
  latest?: Analysis;
  /** The latest analysis of the active model without a syntax error (kept while a file is half typed). */
  lastGood?: Analysis;
  /** The latest analysis without a syntax error, per model expression (CodeLens of every model). */
  good: Map<string, Analysis>;
}

/** What to show for an analysis: itself, or the last good one while the file has a syntax error. */
export interface Shown {
  analysis: Analysis;
  /** Set when `analysis` is an earlier version's: why (the syntax error) and where. */
  stale?: { message: string; line: number };
}

export interface AnalysisLog {
  info(message: string): void;
}

const MAX_LOAD_ROUNDS = 8;
/** Finished analyses kept per document for reuse (the active model and the CodeLens models last shown). */
const MAX_FINISHED = 16;
const NO_MODELS: DiscoveryResult = { candidates: [], diagnostics: [] };

export class AnalysisService implements vscode.Disposable {
  private readonly docs = new Map<string, DocState>();
  /** Debounce timers by document URI (their cancel functions): present while the user is typing. */
  private readonly timers = new Map<string, () => void>();
  /** When each document was last edited and its debounced refresh ran (epochMs, for Analysis.hops). */
  private readonly stamps = new Map<string, { edit?: number; refresh?: number }>();
  private readonly host = new WorkspaceHost();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private reportedErrors = new Set<string>();
  private disposed = false;
  /** Line maps by analysed text (Analysis.sources, Discovered.lines), for the version last asked about. */
  private readonly lineMaps = new WeakMap<string[], { uri: string; version: number; map: LineMap }>();

  /** Fires after a document's active analysis was (re)computed or its inputs changed. */
  readonly onDidChange = this.changed.event;

  constructor(readonly choices: ModelChoices, private readonly runner: AnalysisRunner, private readonly environments?: SitePackagesSource, private readonly log?: AnalysisLog) {
    if (environments) this.disposables.push(environments.onDidChange(() => this.invalidateAll()));
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
    this.disposed = true;
    for (const cancel of this.timers.values()) cancel();
    this.runner.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  static isPython(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'python' && doc.uri.scheme !== 'layerlens-summary';
  }

  /** Models the document defines (class, factory, assignment) in this version, found on the worker. */
  discovery(doc: vscode.TextDocument): Promise<DiscoveryResult> {
    const s = this.state(doc);
    if (s.discovery) return s.discovery;
    const key = doc.uri.toString();
    const { version } = doc;
    const source = doc.getText();
    // An edit of comments and blank lines only: the same models, their locations moved with the lines.
    const known = s.known;
    const map = known && this.lineMapOf(known.lines, doc);
    if (known && map?.onlyCommentsChanged()) {
      const result = moveDiscovery(known.result, map, enginePath(doc.uri));
      s.known = { version, result, lines: source.split(/\r?\n/) };
      if (!result.syntaxError) s.stable = s.known;
      return (s.discovery = Promise.resolve(result));
    }
    s.discovery = this.runner.discover({ file: enginePath(doc.uri), source }).then((res) => {
      if (!res.ok && !res.fatal) this.reportEngineError(res.error);
      const fatal = !res.ok && res.fatal ? fatalDiagnostic(res.fatal, res.error) : undefined;
      const result = res.ok ? res.discovery : fatal ? { candidates: [], diagnostics: [fatal] } : NO_MODELS;
      const cur = this.docs.get(key);
      if (cur && (!cur.known || cur.known.version <= version)) {
        cur.known = { version, result, lines: source.split(/\r?\n/) };
        if (res.ok && !result.syntaxError) cur.stable = cur.known;
      }
      if (cur && fatal) {
        // no model to analyse: the death is this version's outcome, shown like a failed analysis
        cur.latest = { uri: doc.uri, version, expr: '', input: [], inputSource: 'setting', error: fatal.message, fatal, sources: new Map(), ms: 0 };
        this.changed.fire(doc.uri);
      }
      return result;
    });
    return s.discovery;
  }

  /**
   * The latest discovery that has finished (of this or an earlier version): for synchronous callers.
   * While the file has a syntax error, the last one without (the model and input do not change source).
   */
  knownDiscovery(doc: vscode.TextDocument): DiscoveryResult {
    const s = this.docs.get(doc.uri.toString());
    return (s && this.choiceOf(s)?.result) ?? NO_MODELS;
  }

  /** The discovery the model choice and input come from: this one, or the last without a syntax error. */
  private choiceOf(s: DocState): Discovered | undefined {
    return s.known?.result.syntaxError && s.stable ? s.stable : s.known;
  }

  private chosen(doc: vscode.TextDocument, disc: DiscoveryResult): DiscoveryResult {
    const st = disc.syntaxError ? this.docs.get(doc.uri.toString())?.stable : undefined;
    return st ? st.result : disc;
  }

  /** True once a discovery of some version of `doc` has finished. */
  hasDiscovery(doc: vscode.TextDocument): boolean {
    return this.docs.get(doc.uri.toString())?.known !== undefined;
  }

  /**
   * The models of the document with their current ranges: while the user types, the last discovery's,
   * mapped onto unchanged lines; otherwise this version's.
   */
  async models(doc: vscode.TextDocument): Promise<Array<{ candidate: ModelCandidate; range: vscode.Range }>> {
    let known = this.docs.get(doc.uri.toString())?.known;
    if (!known || !this.isPending(doc)) {
      const result = await this.discovery(doc);
      const s = this.docs.get(doc.uri.toString());
      if (!result.syntaxError || !s?.stable) {
        return result.candidates.map((c) => ({ candidate: c, range: new vscode.Range(c.loc.line, c.loc.col, c.loc.endLine, c.loc.endCol) }));
      }
      known = s.stable; // half typed: the models of the last version that parsed, on their current lines
    } else {
      known = this.docs.get(doc.uri.toString())?.stable ?? known;
    }
    const map = this.lineMapOf(known.lines, doc);
    return known.result.candidates.flatMap((c) => {
      const line = map.line(c.loc.line);
      return line === undefined ? [] : [{ candidate: c, range: new vscode.Range(line, c.loc.col, line, c.loc.endCol) }];
    });
  }

  /** The model expression analysed for this document: the user's choice, else the obvious one. */
  activeExpr(doc: vscode.TextDocument): string | undefined {
    return this.activeExprIn(doc, this.knownDiscovery(doc));
  }

  /** The input shape for `expr` in `doc`, in the documented order: the user's choice, comment/example, setting. */
  resolveInput(doc: vscode.TextDocument, expr: string): { input: number[][]; source: InputSource } {
    return this.resolveInputIn(doc, expr, this.knownDiscovery(doc));
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
    // Until this version's discovery arrives, the model the last one named is analysed (it rarely changes;
    // when it does, refresh() analyses the new one).
    const disc = this.choiceOf(s)?.result ?? this.chosen(doc, await this.discovery(doc));
    const expr = this.activeExprIn(doc, disc);
    if (!expr) return undefined;
    // A block class picked only because nothing else is there (`ConvBlock(cin=…, cout=…)`) cannot be built;
    // its instances are shown from the files that import it, and its CodeLens offers Select Model.
    if (!this.runnable(doc, expr, disc)) return undefined;
    const a = await this.analysisIn(doc, expr, disc);
    return this.shown(doc, a).analysis;
  }

  /**
   * What the providers show for `a`: while the file has a syntax error, the last analysis of the same model
   * without one (its numbers marked stale; its locations map onto the unchanged lines).
   */
  shown(doc: vscode.TextDocument, a: Analysis): Shown {
    const syntax = a.report?.diagnostics.find((d) => d.code === 'syntax');
    const good = syntax ? this.docs.get(doc.uri.toString())?.good.get(a.expr) : undefined;
    if (!syntax || !good || good === a) return { analysis: a };
    return { analysis: good, stale: { message: syntax.message, line: (syntax.loc?.line ?? 0) + 1 } };
  }

  /** The latest finished analysis of the active model, without starting one (status bar). */
  latest(uri: vscode.Uri): Analysis | undefined {
    return this.docs.get(uri.toString())?.latest;
  }

  /** Analysis of any model expression of this document version (CodeLens of each candidate, summaries). */
  analysis(doc: vscode.TextDocument, expr: string): Promise<Analysis> {
    const s = this.docs.get(doc.uri.toString());
    const known = s && this.choiceOf(s);
    if (known) return this.analysisIn(doc, expr, known.result);
    return this.discovery(doc).then((disc) => this.analysisIn(doc, expr, this.chosen(doc, disc)));
  }

  /** `sent`: called once the analysis's request is on its way to the worker (or no request is needed). */
  private analysisIn(doc: vscode.TextDocument, expr: string, disc: DiscoveryResult, sent?: () => void): Promise<Analysis> {
    const s = this.state(doc);
    const { input, source } = this.resolveInputIn(doc, expr, disc);
    const key = `${expr}\u0000${JSON.stringify(input)}`;
    let run = s.runs.get(key);
    if (!run) {
      // An edit of comments and blank lines only changes no number: the last analysis stays, mapped.
      const { finished } = s;
      const prev = finished.get(key);
      const own = prev?.sources.get(enginePath(doc.uri));
      const reuse = prev?.report && own && this.lineMapOf(own, doc).onlyCommentsChanged();
      run = reuse ? Promise.resolve(prev) : this.run(doc, expr, input, source, disc, sent);
      if (reuse) sent?.();
      s.runs.set(key, run);
      void run.then((a) => {
        // kept for reuse unless the results were dropped meanwhile (an imported file or a setting changed)
        const before = finished.get(key);
        if (!before || before.version <= a.version) {
          finished.delete(key);
          finished.set(key, a);
          if (finished.size > MAX_FINISHED) finished.delete(finished.keys().next().value!);
        }
        if (this.docs.get(doc.uri.toString()) !== s) return;
        const good = a.report !== undefined && !hasSyntaxError(a.report);
        if (good) s.good.set(expr, a);
        if (expr !== this.activeExpr(doc)) return;
        s.latest = a;
        if (good) s.lastGood = a;
        this.changed.fire(doc.uri);
      });
    } else sent?.();
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
    if (s) { clearResults(s); s.good.clear(); }
    this.changed.fire(uri);
  }

  /** Drops every cached result (a setting changed). */
  invalidateAll(): void {
    for (const [k, s] of this.docs) {
      clearResults(s);
      s.good.clear();
      this.changed.fire(vscode.Uri.parse(k));
    }
  }

  /**
   * Maps a location of analysed text onto the document's current text: kept when the line is unchanged,
   * shifted when lines were inserted/removed above it, dropped otherwise (never a hint on the wrong line).
   */
  /** The line of `a`'s analysed text that `line` of the document is now; undefined when that line changed. */
  analysedLine(a: Analysis, doc: vscode.TextDocument, line: number): number | undefined {
    const lines = a.sources.get(enginePath(doc.uri));
    if (!lines) return doc.version === a.version && enginePath(a.uri) === enginePath(doc.uri) ? line : undefined;
    const map = this.lineMapOf(lines, doc);
    for (const c of map.delta === 0 ? [line] : [line, line - map.delta]) if (c >= 0 && c < lines.length && map.line(c) === line) return c;
    return undefined;
  }

  mapLoc(a: Analysis, loc: Loc | undefined, doc: vscode.TextDocument): vscode.Range | undefined {
    if (!loc || loc.file !== enginePath(doc.uri)) return undefined;
    const lines = a.sources.get(loc.file);
    if (!lines) return doc.version === a.version && enginePath(a.uri) === loc.file ? new vscode.Range(loc.line, loc.col, loc.endLine, loc.endCol) : undefined;
    const map = this.lineMapOf(lines, doc);
    const first = map.line(loc.line);
    const last = map.line(loc.endLine);
    if (first === undefined || last === undefined || last - first !== loc.endLine - loc.line) return undefined;
    return new vscode.Range(first, loc.col, last, loc.endCol);
  }

  // ---------- internals ----------

  /** The line map from analysed text onto `doc`'s current version, built once per (text, version). */
  private lineMapOf(lines: string[], doc: vscode.TextDocument): LineMap {
    const c = this.lineMaps.get(lines);
    if (c && c.uri === doc.uri.toString() && c.version === doc.version) return c.map;
    const map = new LineMap(lines, doc);
    this.lineMaps.set(lines, { uri: doc.uri.toString(), version: doc.version, map });
    return map;
  }

  private activeExprIn(doc: vscode.TextDocument, disc: DiscoveryResult): string | undefined {
    const chosen = this.choices.model(doc.uri);
    if (chosen) return chosen;
    const cands = disc.candidates;
    // The engine's choice of the obvious model; when there are several, the first that is not a block of
    // another and needs no constructor arguments.
    const plain = (c: ModelCandidate) => !(c as { nested?: boolean }).nested && !needsArguments(c);
    const pick = engine.pickModel(cands) ?? cands.find((c) => c.input && plain(c)) ?? cands.find(plain) ?? cands[0];
    return pick?.expr;
  }

  private resolveInputIn(doc: vscode.TextDocument, expr: string, disc: DiscoveryResult): { input: number[][]; source: InputSource } {
    // An explicit choice wins over the file's own shape (Set Input Shape with an empty text resets it).
    const user = this.choices.input(doc.uri, expr);
    if (user) return { input: user, source: 'user' };
    const cand = disc.candidates.find((c) => c.expr === expr);
    const fileInput = cand?.input ?? disc.candidates.find((c) => c.input && c.inputSource === 'comment')?.input;
    if (fileInput) return { input: fileInput, source: (cand?.input ? cand.inputSource : 'comment') ?? 'comment' };
    return { input: readConfig(doc.uri).defaultInputShape, source: 'setting' };
  }

  /** False for a block class that needs constructor arguments the user did not give. */
  private runnable(doc: vscode.TextDocument, expr: string, disc: DiscoveryResult): boolean {
    const cand = disc.candidates.find((c) => c.expr === expr);
    return !(cand && needsArguments(cand) && !this.choices.model(doc.uri));
  }

  private state(doc: vscode.TextDocument): DocState {
    const key = doc.uri.toString();
    let s = this.docs.get(key);
    if (!s || s.version !== doc.version) {
      s = { version: doc.version, runs: new Map(), known: s?.known, stable: s?.stable, finished: s?.finished ?? new Map(), latest: s?.latest, lastGood: s?.lastGood, good: s?.good ?? new Map() };
      this.docs.set(key, s);
    }
    return s;
  }

  private async run(doc: vscode.TextDocument, expr: string, input: number[][], inputSource: InputSource, disc: DiscoveryResult, sent?: () => void): Promise<Analysis> {
    const file = enginePath(doc.uri);
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === doc.uri.scheme).map((f) => enginePath(f.uri));
    const config = readConfig(doc.uri);
    // Nothing outside the workspace, the file's package, the Python environment and the configured roots is read.
    const importRoots = resolveImportRoots(config.importRoots, doc.uri);
    const sitePackages = (await this.environments?.sitePackages(doc.uri).catch(() => [])) ?? [];
    const scope = await this.host.scopeFor(doc.uri, [...importRoots, ...sitePackages]);
    const searchPaths = [...folders, ...importRoots.filter((r) => !folders.includes(r))];
    const candidate = disc.candidates.find((c) => c.expr === expr);
    const t0 = performance.now();
    let report: Report | undefined;
    let error: string | undefined;
    let fatal: Diagnostic | undefined;
    let sources = new Map<string, string[]>();
    let version = doc.version;
    const stamps = this.stamps.get(doc.uri.toString());
    let hops: Hops | undefined;
    for (let round = 0; round < MAX_LOAD_ROUNDS; round++) {
      version = doc.version;
      const files = await this.host.snapshot(scope, file);
      const sentAt = epochMs();
      const answer = this.runner.run({ opts: { file, model: expr, input, searchPaths, sitePackages, torchVersion: config.torchVersion, callSites: true }, files });
      sent?.();
      const res = await answer;
      hops = { ...stamps, sent: sentAt, received: epochMs(), done: 0, ...(res.ok ? res.timing : undefined) };
      if (!res.ok) {
        error = res.error.split('\n')[0];
        report = undefined;
        // a death of the analysis on this file is said on the file; anything else is a bug to report
        if (res.fatal) fatal = fatalDiagnostic(res.fatal, res.error);
        else this.reportEngineError(res.error);
        break;
      }
      const r = res.report;
      report = r;
      error = undefined;
      sources = new Map([...new Set([file, ...r.filesRead])].filter((p) => files[p] !== undefined).map((p) => [p, files[p].split(/\r?\n/)]));
      // What the engine lists as missing, and what it asked for and did not get (the same, normally).
      const toLoad = [...new Set([...r.missingFiles, ...res.misses])].filter((p) => this.host.isUnknown(p));
      if (toLoad.length === 0 || (await this.host.load(toLoad, doc.uri, scope)) === 0) break;
    }
    const ms = performance.now() - t0;
    this.log?.info(`${file} · model ${expr} · input ${input.map((d) => `[${d.join(', ')}]`).join(', ')} (${inputSource}) · ${ms.toFixed(0)} ms`
      + (report ? ` · ${report.filesRead.length} files read · ${report.diagnostics.length} diagnostics${report.totals.incomplete ? ' · totals incomplete' : ''}` : ` · failed: ${fatal?.message ?? error ?? 'unknown error'}`));
    if (hops) hops.done = epochMs();
    return { uri: doc.uri, version, expr, candidate, input, inputSource, report, error, fatal, sources, ms, hops };
  }

  private onEdit(doc: vscode.TextDocument): void {
    if (!AnalysisService.isPython(doc)) return;
    const path = enginePath(doc.uri);
    this.stamps.set(doc.uri.toString(), { edit: epochMs() });
    if (this.docs.has(doc.uri.toString())) this.schedule(doc);
    // Files that import this one see the unsaved text too: refresh them after the same quiet time.
    for (const other of vscode.workspace.textDocuments) {
      const os = this.docs.get(other.uri.toString());
      if (other !== doc && os?.latest?.report?.filesRead.includes(path)) this.schedule(other, true);
    }
  }

  private schedule(doc: vscode.TextDocument, clearRuns = false): void {
    const key = doc.uri.toString();
    this.timers.get(key)?.();
    const due = () => {
      if (this.timers.get(key) !== cancel) return;
      this.timers.delete(key);
      if (doc.isClosed) return;
      if (clearRuns) clearResults(this.state(doc));
      void this.refresh(doc);
    };
    const ms = readConfig(doc.uri).debounceMs;
    let cancel: () => void;
    if (ms > 0) {
      const t = setTimeout(due, ms);
      cancel = () => clearTimeout(t);
    } else {
      // no quiet time: at once, after the edits of this task (a timer would wait for the next turn of the loop)
      cancel = () => undefined;
      queueMicrotask(due);
    }
    this.timers.set(key, cancel);
  }

  /**
   * After the debounce: the model the last discovery named is analysed at once (a hover waits for this),
   * then this version's discovery runs; a different model or input from it (rare) is analysed when it arrives.
   */
  private async refresh(doc: vscode.TextDocument): Promise<void> {
    const { version } = doc;
    const st = this.stamps.get(doc.uri.toString());
    if (st) st.refresh = epochMs();
    const cur = this.docs.get(doc.uri.toString());
    const before = cur && this.choiceOf(cur);
    const predicted = before && this.activeExpr(doc);
    if (before && predicted && this.runnable(doc, predicted, before.result)) {
      // its request goes first: the worker answers in order, and the hover waits for the analysis, not for discovery
      await new Promise<void>((sent) => { void this.analysisIn(doc, predicted, before.result, sent).finally(sent); });
    }
    const disc = this.chosen(doc, await this.discovery(doc));
    if (doc.isClosed || doc.version !== version) return;
    const expr = this.activeExprIn(doc, disc);
    if (expr && this.runnable(doc, expr, disc)) {
      void this.analysisIn(doc, expr, disc); // the same model and input: the run already started
      if (expr === predicted && sameModels(before?.result, disc)) return;
    }
    this.changed.fire(doc.uri);
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
    this.timers.get(uri.toString())?.();
    this.timers.delete(uri.toString());
    this.stamps.delete(uri.toString());
    this.docs.delete(uri.toString());
  }

  private reportEngineError(e: unknown): void {
    if (this.disposed) return; // requests in flight are answered with an error when the worker stops
    const full = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
    const msg = full.split('\n')[0];
    console.error('[LayerLens] engine error:', full);
    if (this.reportedErrors.has(msg)) return;
    this.reportedErrors.add(msg);
    void vscode.window.showErrorMessage(vscode.l10n.t('LayerLens: the analysis failed ({0}). Please report this with the file that caused it.', msg));
  }
}

/** A class whose __init__ has required parameters (discovery writes them as `X(a=…)`). */
export function needsArguments(c: ModelCandidate): boolean {
  return (c as { needsArgs?: boolean }).needsArgs === true || c.expr.includes('…');
}

/** The diagnostic on a file whose analysis died (no location: it is shown on the model, else the first line). */
function fatalDiagnostic(kind: 'memory' | 'time' | 'crash', error: string): Diagnostic {
  if (kind === 'crash') console.error('[LayerLens] the analysis process died:', error);
  return { severity: 'warning', code: `analysis.${kind}`, message: error.split('\n')[0] };
}

function clearResults(s: DocState): void {
  s.runs.clear();
  s.finished = new Map(); // runs still in flight keep the old map: their results are not reused
}

/** Same candidates, input shapes included (their locations may differ). */
function sameModels(a: DiscoveryResult | undefined, b: DiscoveryResult): boolean {
  const sig = (d: DiscoveryResult) => JSON.stringify(d.candidates.map((c) => [c.expr, c.kind, c.input, c.inputSource]));
  return a !== undefined && sig(a) === sig(b);
}

/** A discovery with its locations in `file` moved onto the current lines (those on edited lines keep theirs). */
function moveDiscovery(d: DiscoveryResult, map: LineMap, file: string): DiscoveryResult {
  const move = <T extends { loc?: Loc }>(x: T): T => {
    if (!x.loc || x.loc.file !== file) return x;
    const line = map.line(x.loc.line);
    const endLine = map.line(x.loc.endLine);
    return line === undefined || endLine === undefined ? x : { ...x, loc: { ...x.loc, line, endLine } };
  };
  return { candidates: d.candidates.map(move), diagnostics: d.diagnostics.map(move) };
}

function hasSyntaxError(r: Report): boolean {
  return r.diagnostics.some((d) => d.code === 'syntax');
}
