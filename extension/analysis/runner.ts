// Where analyses and discovery run: in a child process on desktop (a fatal V8 error, an out-of-memory abort
// or an endless loop there cannot take the extension host down), else a worker thread with resourceLimits,
// a Web Worker in the browser extension host (webWorkerHost.ts), else inline. A watchdog stops a request that runs too long or grows too
// big; a dead analysis is restarted for the next request, and the request that killed it is answered
// with what happened (`Failure.fatal`) — the others queued behind it run again on the fresh one.
import * as engine from '../../engine';
import type { Report } from '../../engine';
import {
  type AnalyzeRequest, type AnalyzeResponse, type DiscoverRequest, type DiscoverResponse, type FatalKind, handleRequest,
  type UnsentRequest, type WorkerRequest, type WorkerResponse,
} from './protocol';
import { applyDelta } from './reportDelta';

type Body<R extends WorkerRequest> = Omit<R, 'id' | 'type'>;

export interface AnalysisRunner {
  readonly kind: 'worker' | 'inline';
  run(req: Body<AnalyzeRequest>): Promise<AnalyzeResponse>;
  discover(req: Body<DiscoverRequest>): Promise<DiscoverResponse>;
  dispose(): void;
}

export interface RunnerOptions {
  /** 'process' (default on desktop), 'thread', or 'inline'. */
  isolation?: Isolation;
  /** A request running longer than this is stopped (the engine's own budget is ~1 s; this is the backstop). */
  timeoutMs?: number;
  /** V8 heap limit of the analysis (child: --max-old-space-size; thread: maxOldGenerationSizeMb). */
  heapMb?: number;
  /** Resident memory above which the child process is stopped (Linux, where /proc tells it). */
  rssMb?: number;
  /** Extra environment of the child or thread (tests enable the worker's probes with it). */
  env?: Record<string, string>;
  /** The browser extension host's analysis: starts a Web Worker (webWorkerHost.ts). */
  webWorker?: () => Channel;
}

export type Isolation = 'process' | 'thread' | 'inline';

export const DEFAULTS = { timeoutMs: 15_000, heapMb: 1024, rssMb: 2048 } as const;

/** What the host says to the user when an analysis died, by cause. */
export function fatalMessage(kind: FatalKind, o: { timeoutMs?: number; heapMb?: number; rssMb?: number } = {}): string {
  switch (kind) {
    case 'memory': return `LayerLens stopped analysing this file: the analysis ran out of memory (its limit is ${o.heapMb ?? DEFAULTS.heapMb} MB); nothing else was affected. Results come back after the next edit.`;
    case 'time': return `LayerLens stopped analysing this file: the analysis took longer than ${Math.round((o.timeoutMs ?? DEFAULTS.timeoutMs) / 1000)} s; nothing else was affected. Results come back after the next edit.`;
    case 'crash': return 'LayerLens stopped analysing this file: the analysis process crashed twice on it; nothing else was affected. Results come back after the next edit.';
  }
}

class InlineRunner implements AnalysisRunner {
  readonly kind = 'inline';
  private next = 1;
  async run(req: Body<AnalyzeRequest>): Promise<AnalyzeResponse> {
    return handleRequest(engine, { ...req, type: 'analyze', id: this.next++ }) as AnalyzeResponse;
  }
  async discover(req: Body<DiscoverRequest>): Promise<DiscoverResponse> {
    return handleRequest(engine, { ...req, type: 'discover', id: this.next++ }) as DiscoverResponse;
  }
  dispose(): void {}
}

/** How a child process or a worker thread ended. */
interface Death { code: number | null; signal: string | null; stderr: string; outOfMemory?: boolean }

/** One running analysis process, thread or Web Worker. */
export interface Channel {
  readonly pid?: number;
  send(m: unknown): void;
  onMessage(f: (m: WorkerResponse) => void): void;
  onDeath(f: (d: Death) => void): void;
  kill(): void;
  /** Resident bytes, where the platform tells (Linux child processes). */
  rss?(): number | undefined;
}

type Spawn = () => Channel;

interface Pending {
  req: WorkerRequest;
  resolve: (r: WorkerResponse) => void;
  /** Sent again once after a plain crash (someone killed the process): a second crash blames it. */
  retried: boolean;
  /** An analysis: its options (what its report is kept under) and the report its answer may be the changes from. */
  reports?: { key: string; base?: KeptReport };
}

interface KeptReport { id: number; report: Report }

/** Reports kept per analysis options (the active model and the CodeLens models of a few files). */
const MAX_KEPT = 8;

/** Requests answered in order by one isolated analysis at a time; the head of the queue is the one running. */
class IsolatedRunner implements AnalysisRunner {
  readonly kind = 'worker';
  private ch: Channel | undefined;
  /** True once the current channel said it is ready (its engine loaded): the watchdog counts from then. */
  private ready = false;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private next = 1;
  private queue: Pending[] = [];
  private watch: { timer: ReturnType<typeof setTimeout>; poll?: ReturnType<typeof setInterval>; id: number } | undefined;
  private disposed = false;
  /** How many times the analysis died (tests and the output channel). */
  deaths = 0;
  /** How many answers were the changes from a kept report (tests). */
  deltas = 0;

  /**
   * Consecutive deaths before the analysis was even ready: three mean this kind of isolation does not work
   * here (the next is tried). Deaths on a request never count: a hostile file must not downgrade isolation.
   */
  private streak = 0;

  constructor(private readonly spawns: Array<{ kind: 'process' | 'thread' | 'web-worker'; spawn: Spawn }>, private readonly o: Required<Omit<RunnerOptions, 'env' | 'isolation' | 'webWorker'>>) {}

  get isolation(): 'process' | 'thread' | 'web-worker' { return this.spawns[0].kind; }

  get pid(): number | undefined { return this.ch?.pid; }

  /** The last report per analysis options (the answer to the next request with them may be its changes). */
  private readonly kept = new Map<string, KeptReport>();

  run(req: Body<AnalyzeRequest>): Promise<AnalyzeResponse> {
    const key = JSON.stringify(req.opts);
    const base = this.kept.get(key);
    return this.request({ ...req, type: 'analyze', base: base?.id }, { key, base }) as Promise<AnalyzeResponse>;
  }

  discover(req: Body<DiscoverRequest>): Promise<DiscoverResponse> {
    return this.request({ ...req, type: 'discover' }) as Promise<DiscoverResponse>;
  }

  /** For tests: any request type the worker knows (its probes included). */
  request(body: UnsentRequest, reports?: Pending['reports']): Promise<WorkerResponse> {
    const req = { ...body, id: this.next++ } as WorkerRequest;
    if (this.disposed) return Promise.resolve(failure(req, 'LayerLens is shutting down'));
    return new Promise((resolve) => {
      const p: Pending = { req, resolve, retried: false, reports };
      this.queue.push(p);
      try {
        this.ensure().send(req);
      } catch (e) {
        this.queue.splice(this.queue.indexOf(p), 1);
        resolve(failure(req, `the analysis could not be started: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      this.arm();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
    clearTimeout(this.startTimer);
    const ch = this.ch;
    this.ch = undefined;
    ch?.kill();
    for (const p of this.queue) p.resolve(failure(p.req, 'LayerLens is shutting down'));
    this.queue = [];
  }

  private ensure(): Channel {
    if (this.ch) return this.ch;
    let ch: Channel | undefined;
    while (!ch) {
      try {
        ch = this.spawns[0].spawn();
      } catch (e) {
        if (this.spawns.length === 1) throw e;
        this.spawns.shift();
      }
    }
    ch.onMessage((res) => {
      if (this.ch !== ch) return;
      if (res.type === 'ready') { this.ready = true; this.streak = 0; clearTimeout(this.startTimer); this.arm(); } else this.answered(res);
    });
    ch.onDeath((d) => { if (this.ch === ch) this.died(d); });
    this.ch = ch;
    this.ready = false;
    clearTimeout(this.startTimer);
    // a process that never gets ready (a broken install, an exhausted machine) is a crash
    this.startTimer = setTimeout(() => { if (this.ch === ch && !this.ready) { this.ch = undefined; ch.kill(); this.died({ code: null, signal: null, stderr: 'the analysis did not start within 60 s' }); } }, START_MS);
    (this.startTimer as { unref?(): void }).unref?.();
    return ch;
  }

  private answered(res: WorkerResponse): void {
    const i = this.queue.findIndex((p) => p.req.id === res.id);
    if (i < 0) return;
    const [p] = this.queue.splice(i, 1);
    if (this.watch?.id === res.id) this.disarm();
    p.resolve(this.whole(p, res));
    this.arm();
  }

  /** An analysis's answer with its whole report (rebuilt from the kept one when the answer is its changes); kept for the next. */
  private whole(p: Pending, res: WorkerResponse): WorkerResponse {
    if (res.type !== 'analyze' || !res.ok || !p.reports) return res;
    let full: AnalyzeResponse;
    if ('delta' in res) {
      const { base, delta, ...rest } = res;
      const kept = p.reports.base;
      if (kept?.id !== base) return failure(p.req, `the analysis answered with the changes from report ${base}, which this host does not keep`);
      try {
        full = { ...rest, report: delta ? (applyDelta(kept.report, delta) as Report) : { ...kept.report } };
        this.deltas++;
      } catch (e) {
        return failure(p.req, `the analysis's changes do not apply: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else full = res;
    this.kept.delete(p.reports.key);
    this.kept.set(p.reports.key, { id: res.id, report: full.report });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return full;
  }

  /** Watches the head of the queue (the request the analysis is working on): time, and memory where it can be read. */
  private arm(): void {
    const head = this.queue[0];
    if (!head || !this.ready || this.watch?.id === head.req.id) return;
    this.disarm();
    const timer = setTimeout(() => this.stop('time'), this.o.timeoutMs);
    const ch = this.ch;
    const poll = ch?.rss ? setInterval(() => { const r = ch.rss!(); if (r !== undefined && r > this.o.rssMb * 2 ** 20) this.stop('memory'); }, 200) : undefined;
    this.watch = { timer, poll, id: head.req.id };
  }

  private disarm(): void {
    if (!this.watch) return;
    clearTimeout(this.watch.timer);
    if (this.watch.poll) clearInterval(this.watch.poll);
    this.watch = undefined;
  }

  /** The watchdog's verdict: stop the analysis now and blame the request it is working on. */
  private stop(kind: FatalKind): void {
    const ch = this.ch;
    this.ch = undefined;
    ch?.kill();
    this.afterDeath(kind);
  }

  private died(d: Death): void {
    this.ch = undefined;
    if (!this.ready && ++this.streak >= 3 && this.spawns.length > 1) { this.spawns.shift(); this.streak = 0; }
    this.afterDeath(d.outOfMemory || OOM_TEXT.test(d.stderr) ? 'memory' : 'crash', d);
  }

  /** Answers the request that was running (or sends it once more after a plain crash) and restarts the rest. */
  private afterDeath(kind: FatalKind, d?: Death): void {
    this.deaths++;
    this.disarm();
    const [head, ...rest] = this.queue;
    this.queue = [];
    const again: Pending[] = [];
    if (head) {
      if (kind === 'crash' && !head.retried) again.push({ ...head, retried: true });
      else head.resolve(failure(head.req, fatalMessage(kind, this.o) + (d ? `\n${describe(d)}` : ''), kind));
    }
    again.push(...rest);
    if (this.disposed) { for (const p of again) p.resolve(failure(p.req, 'LayerLens is shutting down')); return; }
    for (const p of again) {
      this.queue.push(p);
      try { this.ensure().send(p.req); } catch { /* the next death answers it */ }
    }
    this.arm();
  }
}

const START_MS = 60_000;

const OOM_TEXT = /out of memory|allocation failed|invalid size error|invalid array length|ERR_WORKER_OUT_OF_MEMORY/i;

function describe(d: Death): string {
  const how = d.signal ? `signal ${d.signal}` : `exit code ${d.code}`;
  const tail = d.stderr.trim().split('\n').slice(-3).join(' | ');
  return `(${how}${tail ? `: ${tail}` : ''})`;
}

function failure(req: WorkerRequest, error: string, fatal?: FatalKind): WorkerResponse {
  return { type: req.type, id: req.id, ok: false, error, ...(fatal ? { fatal } : {}) } as WorkerResponse;
}

// ---------- the two kinds of isolation (Node only; the browser bundle never reaches them) ----------

/* eslint-disable @typescript-eslint/no-require-imports */
function processSpawn(script: string, o: Required<Omit<RunnerOptions, 'isolation' | 'webWorker'>>): Spawn {
  const cp = require('node:child_process') as typeof import('node:child_process');
  const fs = require('node:fs') as typeof import('node:fs');
  return () => {
    // NOTE: in VS Code's extension host process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
    const child = cp.fork(script, [], {
      execArgv: [`--max-old-space-size=${o.heapMb}`],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...o.env },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    (child.stderr as unknown as { unref?(): void } | null)?.unref?.();
    const deathFns: Array<(d: Death) => void> = [];
    let dead = false;
    const die = (d: Death) => { if (dead) return; dead = true; deathFns.forEach((f) => f(d)); };
    child.on('exit', (code, signal) => die({ code, signal, stderr }));
    child.on('error', (e) => die({ code: null, signal: null, stderr: `${stderr}\n${e.message}` }));
    const page = 4096;
    return {
      pid: child.pid,
      send: (m) => { if (!child.connected) throw new Error('the analysis process is gone'); child.send(m as never); },
      onMessage: (f) => { child.on('message', (m) => f(m as WorkerResponse)); },
      onDeath: (f) => { deathFns.push(f); },
      kill: () => { dead = true; child.kill('SIGKILL'); },
      rss: process.platform === 'linux' && child.pid !== undefined ? () => {
        try { return Number(fs.readFileSync(`/proc/${child.pid}/statm`, 'utf8').split(' ')[1]) * page; } catch { return undefined; }
      } : undefined,
    };
  };
}

function threadSpawn(script: string, o: Required<Omit<RunnerOptions, 'isolation' | 'webWorker'>>): Spawn {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  return () => {
    const w = new Worker(script, {
      resourceLimits: { maxOldGenerationSizeMb: o.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
      env: { ...process.env, ...o.env },
    });
    w.unref();
    const deathFns: Array<(d: Death) => void> = [];
    let dead = false, oom = false, why = '';
    const die = (d: Death) => { if (dead) return; dead = true; deathFns.forEach((f) => f(d)); };
    w.on('error', (e: Error & { code?: string }) => { oom ||= e.code === 'ERR_WORKER_OUT_OF_MEMORY'; why = e.message; });
    w.on('exit', (code) => die({ code, signal: null, stderr: why, outOfMemory: oom }));
    return {
      send: (m) => w.postMessage(m),
      onMessage: (f) => { w.on('message', (m: WorkerResponse) => f(m)); },
      onDeath: (f) => { deathFns.push(f); },
      kill: () => { dead = true; void w.terminate(); },
    };
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * `workerScript`: absolute file path of dist/analysisWorker.js (undefined where there is no file system).
 * LAYERLENS_ANALYSIS=process|thread|inline overrides the choice (LAYERLENS_INLINE_ANALYSIS=1 is inline).
 */
export function createRunner(workerScript: string | undefined, opts: RunnerOptions = {}): AnalysisRunner & { isolation?: 'process' | 'thread' | 'web-worker'; pid?: number } {
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  const env = isNode ? process.env : {};
  const asked = opts.isolation ?? (env.LAYERLENS_INLINE_ANALYSIS === '1' ? 'inline' : (env.LAYERLENS_ANALYSIS as Isolation | undefined));
  const o = { timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs, heapMb: opts.heapMb ?? DEFAULTS.heapMb, rssMb: opts.rssMb ?? DEFAULTS.rssMb, env: opts.env ?? {} };
  if (isNode && workerScript && asked !== 'inline') {
    const spawns: Array<{ kind: 'process' | 'thread'; spawn: Spawn }> = [];
    for (const kind of asked === 'thread' ? ['thread' as const] : ['process' as const, 'thread' as const]) {
      try {
        spawns.push({ kind, spawn: kind === 'process' ? processSpawn(workerScript, o) : threadSpawn(workerScript, o) });
      } catch {
        // this kind of isolation is not available here: the next one
      }
    }
    if (spawns.length) return new IsolatedRunner(spawns, o);
  }
  // the browser extension host: never inline while a Web Worker can start
  if (!isNode && opts.webWorker && asked !== 'inline') return new IsolatedRunner([{ kind: 'web-worker', spawn: opts.webWorker }], o);
  return new InlineRunner();
}
