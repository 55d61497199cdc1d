// Messages between the extension host and the analysis worker: one request, one response, matched by id
// (the Envelope of engine/util/messages.ts, which webview/protocol.ts shares); the worker answers through
// one handler table (dispatch). Plain JSON-able data only (reports and discoveries are plain data by
// design, see engine/api.ts). After an edit a report travels as its changes from the last one (reportDelta.ts).
import { assertNever, dispatch, type AnalyzeOptions, type DiscoveryResult, type Envelope, type Handlers, type Report } from '../../engine';
import { diffValues, type Delta } from './reportDelta';

/** Analyse one model: the engine's options, with the texts it may read instead of a SourceHost. */
export interface AnalyzeRequest extends Envelope {
  type: 'analyze';
  opts: Omit<AnalyzeOptions, 'host'>;
  /** The texts the analysis may read, by engine path; anything else it asks for is a miss. */
  files: Record<string, string>;
  /**
   * The id of an earlier answer to the same `opts` whose report the host keeps: the answer may then be the
   * changes from that report (ReportDelta) instead of the whole report.
   */
  base?: number;
}

/** Find the models of one file (parsing 2,000 lines takes longer than the host may be blocked). */
export interface DiscoverRequest extends Envelope {
  type: 'discover';
  file: string;
  source: string;
}

/**
 * Test-only misbehaviour of the analysis itself, answered only where the worker was started with
 * LAYERLENS_ANALYSIS_PROBES=1: spin for `ms` (a hang), grow the heap until it dies, abort the process.
 */
export interface ProbeRequest extends Envelope {
  type: 'probe';
  what: 'spin' | 'grow' | 'abort';
  ms?: number;
}

export type WorkerRequest = AnalyzeRequest | DiscoverRequest | ProbeRequest;
/** A request before the runner numbers it. */
export type UnsentRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** Why the analysis died while answering a request: out of memory, past the watchdog's time, or a crash. */
export type FatalKind = 'memory' | 'time' | 'crash';

/** `fatal`: the analysis died on this request (the runner restarted it for the next one). */
export type Failure = { id: number; ok: false; error: string; fatal?: FatalKind };
export type AnalyzeResponse = { type: 'analyze'; id: number; ok: true; report: Report; misses: string[]; timing?: WorkerTiming } | (Failure & { type: 'analyze' });
/** An analysis answered as the changes from the report of answer `base` (null: the same report). The runner makes it an AnalyzeResponse. */
export type ReportDelta = { type: 'analyze'; id: number; ok: true; base: number; delta: Delta | null; misses: string[]; timing?: WorkerTiming };
export type DiscoverResponse = { type: 'discover'; id: number; ok: true; discovery: DiscoveryResult } | (Failure & { type: 'discover' });
export type ProbeResponse = { type: 'probe'; id: number; ok: true } | (Failure & { type: 'probe' });
/** When the analysis began and ended where it ran, and its answer was ready to send (epochMs): bench/editor.mjs's hops. */
export interface WorkerTiming { start: number; end: number; encoded?: number }

/** Milliseconds since the epoch with sub-ms resolution: comparable between the host and its child process. */
export function epochMs(): number {
  // engine/platform.d.ts declares only performance.now(); every host of this file (Node, a Web Worker) has timeOrigin
  const p = performance as { now(): number; timeOrigin?: number };
  return (p.timeOrigin ?? 0) + p.now();
}

/** Sent once by a started worker when the engine is loaded (not an answer to a request). */
export type ReadyMessage = { type: 'ready'; id: 0; ok: true };
export type WorkerResponse = AnalyzeResponse | ReportDelta | DiscoverResponse | ProbeResponse | ReadyMessage;

/** The engine entry points a worker (or the inline runner) answers requests with. */
export interface EngineEntry {
  analyze(o: AnalyzeOptions): Report;
  findModels(file: string, source: string): DiscoveryResult;
}

/**
 * The last report sent per analysis options, by the id of its answer: what a later answer to the same
 * options is the changes from (a worker keeps one; the inline runner sends nothing and keeps none).
 */
export class SentReports {
  private readonly byOpts = new Map<string, { id: number; report: Report; lines: Map<string, number> }>();
  constructor(private readonly max = 8) {}

  /** The answer to `req`: its report whole, or its changes from the one the host says it keeps. */
  answer(req: AnalyzeRequest, res: AnalyzeResponse): AnalyzeResponse | ReportDelta {
    if (!res.ok) return res;
    const key = JSON.stringify(req.opts);
    const last = this.byOpts.get(key);
    const lines = new Map(Object.entries(req.files).map(([p, t]) => [p, lineCount(t)]));
    this.byOpts.delete(key);
    this.byOpts.set(key, { id: req.id, report: res.report, lines });
    if (this.byOpts.size > this.max) this.byOpts.delete(this.byOpts.keys().next().value!);
    if (!last || req.base === undefined || last.id !== req.base) return res;
    // locations can only have moved by what a file grew or shrank by (0: a number changed, nothing moved)
    const moves = new Set<number>();
    for (const [p, n] of lines) { const before = last.lines.get(p); if (before !== undefined && before !== n) moves.add(n - before); }
    const { report, ...rest } = res;
    const delta = diffValues(last.report, report, [...moves]) ?? null;
    return { ...rest, base: last.id, delta, timing: res.timing && { ...res.timing, encoded: epochMs() } };
  }
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Answers one request with the engine (in the worker, or inline where no worker can be started). */
export function handleRequest(engine: EngineEntry, req: WorkerRequest, sent?: SentReports): WorkerResponse {
  const handlers: Handlers<WorkerRequest, WorkerResponse> = {
    analyze: (r) => (sent ? sent.answer(r, runAnalyze(engine, r)) : runAnalyze(engine, r)),
    discover: (r) => {
      try {
        return { type: 'discover', id: r.id, ok: true, discovery: engine.findModels(r.file, r.source) };
      } catch (e) {
        return { type: 'discover', id: r.id, ok: false, error: errorText(e) };
      }
    },
    probe: (r) => ({ type: 'probe', id: r.id, ok: false, error: 'probes are not enabled here' }),
  };
  if (!Object.prototype.hasOwnProperty.call(handlers, (req as { type?: unknown }).type as string)) assertNever(req as never, 'worker request');
  return dispatch(handlers, req);
}

function runAnalyze(engine: EngineEntry, req: AnalyzeRequest): AnalyzeResponse {
  const misses = new Set<string>();
  const host = {
    readFile: (p: string): string | undefined => {
      const t = Object.prototype.hasOwnProperty.call(req.files, p) ? req.files[p] : undefined;
      if (t === undefined) misses.add(p);
      return t;
    },
  };
  try {
    const start = epochMs();
    const report = engine.analyze({ ...req.opts, host });
    return { type: 'analyze', id: req.id, ok: true, report, misses: [...misses], timing: { start, end: epochMs() } };
  } catch (e) {
    return { type: 'analyze', id: req.id, ok: false, error: errorText(e) };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
}
