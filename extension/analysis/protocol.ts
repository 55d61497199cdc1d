// Messages between the extension host and the analysis worker: one request, one response, matched by id.
// Plain JSON-able data only (reports and discoveries are plain data by design, see engine/api.ts).
import type { AnalyzeOptions, DiscoveryResult, Report } from '../../engine';

/** Analyse one model: the engine's options, with the texts it may read instead of a SourceHost. */
export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  opts: Omit<AnalyzeOptions, 'host'>;
  /** The texts the analysis may read, by engine path; anything else it asks for is a miss. */
  files: Record<string, string>;
}

/** Find the models of one file (parsing 2,000 lines takes longer than the host may be blocked). */
export interface DiscoverRequest {
  type: 'discover';
  id: number;
  file: string;
  source: string;
}

/**
 * Test-only misbehaviour of the analysis itself, answered only where the worker was started with
 * LAYERLENS_ANALYSIS_PROBES=1: spin for `ms` (a hang), grow the heap until it dies, abort the process.
 */
export interface ProbeRequest {
  type: 'probe';
  id: number;
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
export type AnalyzeResponse = { type: 'analyze'; id: number; ok: true; report: Report; misses: string[] } | (Failure & { type: 'analyze' });
export type DiscoverResponse = { type: 'discover'; id: number; ok: true; discovery: DiscoveryResult } | (Failure & { type: 'discover' });
export type ProbeResponse = { type: 'probe'; id: number; ok: true } | (Failure & { type: 'probe' });
/** Sent once by a started worker when the engine is loaded (not an answer to a request). */
export type ReadyMessage = { type: 'ready'; id: 0; ok: true };
export type WorkerResponse = AnalyzeResponse | DiscoverResponse | ProbeResponse | ReadyMessage;

/** The engine entry points a worker (or the inline runner) answers requests with. */
export interface EngineEntry {
  analyze(o: AnalyzeOptions): Report;
  findModels(file: string, source: string): DiscoveryResult;
}

/** Answers one request with the engine (in the worker, or inline where no worker can be started). */
export function handleRequest(engine: EngineEntry, req: WorkerRequest): WorkerResponse {
  switch (req.type) {
    case 'analyze': return runAnalyze(engine, req);
    case 'discover':
      try {
        return { type: 'discover', id: req.id, ok: true, discovery: engine.findModels(req.file, req.source) };
      } catch (e) {
        return { type: 'discover', id: req.id, ok: false, error: errorText(e) };
      }
    case 'probe': return { type: 'probe', id: req.id, ok: false, error: 'probes are not enabled here' };
    default: return assertNever(req);
  }
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
    return { type: 'analyze', id: req.id, ok: true, report: engine.analyze({ ...req.opts, host }), misses: [...misses] };
  } catch (e) {
    return { type: 'analyze', id: req.id, ok: false, error: errorText(e) };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
}

function assertNever(x: never): never {
  throw new Error(`unknown worker request ${JSON.stringify(x)}`);
}
