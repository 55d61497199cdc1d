// The browser extension host's analysis thread: a Web Worker started from dist/web/analysisWorker.js's text
// through a blob: URL (the extension's files are not on the host's origin, and vscode.dev serves them over
// HTTPS, code-server through its remote file system), wrapped in the small Node-worker interface runner.ts
// drives. Messages posted before the script has loaded wait for it; a failure to start is an 'error' event.
import type * as vscode from 'vscode';
import type { WorkerRequest, WorkerResponse } from './protocol';

// Only the DOM worker API used here (the extension's tsconfig has no DOM library).
interface DomWorker {
  postMessage(m: unknown): void;
  terminate(): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string; preventDefault?(): void }) => void) | null;
}
interface WorkerGlobals {
  Worker?: new (url: string) => DomWorker;
  Blob: new (parts: Uint8Array[], opts: { type: string }) => unknown;
  URL: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
}

/** True where a Web Worker can be started (the browser extension host is itself a worker that may nest one). */
export function canStartWebWorker(): boolean {
  const g = globalThis as unknown as Partial<WorkerGlobals>;
  return typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function';
}

type Listener = { message: (m: WorkerResponse) => void; error: (e: Error) => void; exit: (code: number) => void };

/** A Web Worker that looks like a worker_threads Worker to WorkerRunner. */
export class WebAnalysisWorker {
  private worker?: DomWorker;
  private queue: unknown[] | undefined = [];
  private terminated = false;
  private readonly on_: { [K in keyof Listener]: Listener[K][] } = { message: [], error: [], exit: [] };

  constructor(script: vscode.Uri, read: (uri: vscode.Uri) => Promise<Uint8Array>) {
    void read(script).then((bytes) => this.start(bytes), (e) => this.emit('error', new Error(`cannot load ${script.path.split('/').pop()}: ${e instanceof Error ? e.message : String(e)}`)));
  }

  postMessage(m: WorkerRequest): void {
    if (this.queue) this.queue.push(m);
    else this.worker?.postMessage(m);
  }

  on<K extends keyof Listener>(ev: K, f: Listener[K]): void {
    (this.on_[ev] as Listener[K][]).push(f);
  }

  async terminate(): Promise<number> {
    this.terminated = true;
    this.worker?.terminate();
    this.worker = undefined;
    this.queue = undefined;
    return 0;
  }

  /** Nothing holds a browser host open: a no-op, as worker_threads' unref is for the Node host. */
  unref(): void {}

  private start(bytes: Uint8Array): void {
    if (this.terminated) return;
    const g = globalThis as unknown as WorkerGlobals;
    const url = g.URL.createObjectURL(new g.Blob([bytes], { type: 'text/javascript' }));
    let w: DomWorker;
    try {
      w = new g.Worker!(url);
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      return;
    }
    this.worker = w;
    w.onerror = (e) => { e.preventDefault?.(); this.emit('error', new Error(e.message ?? 'the analysis worker failed')); };
    w.onmessage = (e) => {
      const m = e.data as WorkerResponse | { type: 'ready' };
      if (m.type === 'ready') {
        g.URL.revokeObjectURL(url);
        const q = this.queue ?? [];
        this.queue = undefined;
        for (const x of q) w.postMessage(x);
        return;
      }
      this.emit('message', m);
    };
  }

  private emit<K extends keyof Listener>(ev: K, arg: Parameters<Listener[K]>[0]): void {
    for (const f of this.on_[ev]) (f as (a: typeof arg) => void)(arg);
  }
}
