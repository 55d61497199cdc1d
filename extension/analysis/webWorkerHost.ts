// The browser extension host's analysis: a Web Worker started from dist/web/analysisWorker.js's text through
// a blob: URL (the extension's files are not on the host's origin: vscode.dev serves them over HTTPS,
// code-server through its remote file system), as one of runner.ts's Channels (its watchdog, restart and
// queue apply unchanged). Messages sent before the script has loaded wait for it; a failure to load or
// start is a death, which the runner answers like any other.
import type * as vscode from 'vscode';
import type { Channel } from './runner';
import type { WorkerResponse } from './protocol';

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
type Death = Parameters<Parameters<Channel['onDeath']>[0]>[0];

/** True where a Web Worker can be started (the browser extension host is itself a worker that may nest one). */
export function canStartWebWorker(): boolean {
  const g = globalThis as unknown as Partial<WorkerGlobals>;
  return typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function';
}

/** The worker script's text, read once per host (every restart after a death reuses it). */
const scripts = new Map<string, Promise<Uint8Array>>();

export class WebAnalysisWorker implements Channel {
  private worker?: DomWorker;
  private queue: unknown[] | undefined = [];
  private dead = false;
  private readonly messageFns: Array<(m: WorkerResponse) => void> = [];
  private readonly deathFns: Array<(d: Death) => void> = [];

  constructor(script: vscode.Uri, read: (uri: vscode.Uri) => Promise<Uint8Array>) {
    const key = script.toString();
    let text = scripts.get(key);
    if (!text) { text = read(script); scripts.set(key, text); text.catch(() => scripts.delete(key)); }
    text.then((bytes) => this.start(bytes), (e) => this.die(`cannot load ${script.path.split('/').pop()}: ${e instanceof Error ? e.message : String(e)}`));
  }

  send(m: unknown): void {
    if (this.dead) throw new Error('the analysis worker is gone');
    if (this.queue) this.queue.push(m);
    else this.worker!.postMessage(m);
  }

  onMessage(f: (m: WorkerResponse) => void): void { this.messageFns.push(f); }

  onDeath(f: (d: Death) => void): void { this.deathFns.push(f); }

  kill(): void {
    this.dead = true;
    this.worker?.terminate();
    this.worker = undefined;
    this.queue = undefined;
  }

  private start(bytes: Uint8Array): void {
    if (this.dead) return;
    const g = globalThis as unknown as WorkerGlobals;
    const url = g.URL.createObjectURL(new g.Blob([bytes], { type: 'text/javascript' }));
    let w: DomWorker;
    try {
      w = new g.Worker!(url);
    } catch (e) {
      this.die(e instanceof Error ? e.message : String(e));
      return;
    }
    this.worker = w;
    // an uncaught error or a failed load ends the worker for us: the runner restarts a fresh one
    w.onerror = (e) => { e.preventDefault?.(); this.die(e.message ?? 'the analysis worker failed'); };
    w.onmessage = (e) => {
      const m = e.data as WorkerResponse;
      if (m.type === 'ready') {
        // the script has loaded: what was sent meanwhile goes now; the runner hears 'ready' too (its watchdog)
        g.URL.revokeObjectURL(url);
        const q = this.queue ?? [];
        this.queue = undefined;
        for (const x of q) w.postMessage(x);
      }
      for (const f of this.messageFns) f(m);
    };
  }

  private die(why: string): void {
    if (this.dead) return;
    this.kill();
    // NOTE: a Web Worker that runs out of memory reports an error like any other; the runner calls it a crash
    const d: Death = { code: null, signal: null, stderr: why, outOfMemory: /out of memory/i.test(why) };
    for (const f of this.deathFns) f(d);
  }
}
