// Where analyses and discovery run: a worker thread in the Node extension host (desktop, remote,
// code-server), a Web Worker in the browser extension host (vscode.dev; webWorkerHost.ts), or inline only
// where neither can start.
// Requests are answered in order; a worker that crashes or hangs is replaced, never waited on forever.
import * as engine from '../../engine';
import {
  type AnalyzeRequest, type AnalyzeResponse, type DiscoverRequest, type DiscoverResponse, handleRequest, type WorkerRequest,
  type WorkerResponse,
} from './protocol';

type Body<R extends WorkerRequest> = Omit<R, 'id' | 'type'>;

export interface AnalysisRunner {
  readonly kind: 'worker' | 'web-worker' | 'inline';
  run(req: Body<AnalyzeRequest>): Promise<AnalyzeResponse>;
  discover(req: Body<DiscoverRequest>): Promise<DiscoverResponse>;
  dispose(): void;
}

const TIMEOUT_MS = 30_000;

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

export interface NodeWorker {
  postMessage(m: unknown): void;
  on(ev: 'message', f: (m: WorkerResponse) => void): void;
  on(ev: 'error', f: (e: Error) => void): void;
  on(ev: 'exit', f: (code: number) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

class WorkerRunner implements AnalysisRunner {
  private worker: NodeWorker | undefined;
  private next = 1;
  private readonly pending = new Map<number, { type: WorkerRequest['type']; resolve: (r: WorkerResponse) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly script: string, private readonly WorkerCtor: new (path: string) => NodeWorker, readonly kind: 'worker' | 'web-worker' = 'worker') {}

  run(req: Body<AnalyzeRequest>): Promise<AnalyzeResponse> {
    return this.request({ ...req, type: 'analyze' }) as Promise<AnalyzeResponse>;
  }

  discover(req: Body<DiscoverRequest>): Promise<DiscoverResponse> {
    return this.request({ ...req, type: 'discover' }) as Promise<DiscoverResponse>;
  }

  private request(req: Omit<WorkerRequest, 'id'>): Promise<WorkerResponse> {
    const id = this.next++;
    const w = this.ensure();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail(`the analysis took longer than ${TIMEOUT_MS / 1000} s and was stopped`, true), TIMEOUT_MS);
      this.pending.set(id, { type: req.type, resolve, timer });
      w.postMessage({ ...req, id });
    });
  }

  dispose(): void {
    this.fail('LayerLens is shutting down', true);
  }

  private ensure(): NodeWorker {
    if (this.worker) return this.worker;
    const w = new this.WorkerCtor(this.script);
    w.unref();
    w.on('message', (res) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(res.id);
      p.resolve(res);
    });
    w.on('error', (e) => this.fail(`the analysis worker failed: ${e.message}`, false));
    w.on('exit', () => { if (this.worker === w) this.fail('the analysis worker exited', false); });
    this.worker = w;
    return w;
  }

  /** Answers every pending request with an error and drops the worker (a fresh one starts on demand). */
  private fail(error: string, terminate: boolean): void {
    const w = this.worker;
    this.worker = undefined;
    if (w && terminate) void w.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ type: p.type, id, ok: false, error });
    }
    this.pending.clear();
  }
}

/**
 * `workerScript`: absolute file path of dist/analysisWorker.js (undefined where there is no file system).
 * `webWorker`: in the browser extension host, starts a Web Worker (webWorkerHost.ts) that the runner drives.
 */
export function createRunner(workerScript: string | undefined, webWorker?: () => NodeWorker): AnalysisRunner {
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (isNode && workerScript && process.env.LAYERLENS_INLINE_ANALYSIS !== '1') {
    try {
      // Only the Node bundle reaches this; the browser bundle marks the module external and never loads it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Worker } = require('node:worker_threads') as { Worker: new (path: string) => NodeWorker };
      return new WorkerRunner(workerScript, Worker);
    } catch {
      // fall through to inline
    }
  }
  if (!isNode && webWorker) {
    // WorkerRunner constructs its worker with `new`: a plain function returning the object does for that
    const WebCtor = function () { return webWorker(); } as unknown as new (path: string) => NodeWorker;
    return new WorkerRunner('', WebCtor, 'web-worker');
  }
  return new InlineRunner();
}
