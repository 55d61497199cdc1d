// The compute pool on Web Workers (webview worker, browser extension host). Shares memory through
// SharedArrayBuffer only when the page is cross-origin isolated; otherwise operands travel as copies
// and the parallel kernels partition work so each worker gets just its part. No DOM types: the
// caller passes a factory for its worker (the URL of dist/webview/opsWorker.js, a blob URL, …).

import { PortPool, type ComputePool, type WorkerPort } from './pool';
import type { TaskReply, TaskRequest } from './tasks';

/** The slice of a Web Worker the pool uses. */
export interface WebWorkerLike {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: { message?: string }) => void) | null;
  terminate(): void;
}

export function createBrowserPool(makeWorker: () => WebWorkerLike, threads?: number): ComputePool {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const shared = g.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  const n = Math.max(1, Math.floor(threads ?? g.navigator?.hardwareConcurrency ?? 1));
  return new PortPool(n, shared, () => webPort(makeWorker()));
}

function webPort(w: WebWorkerLike): WorkerPort {
  return {
    postMessage: (m: TaskRequest, transfer) => w.postMessage(m, transfer),
    onMessage: (f) => { w.onmessage = (ev) => f(ev.data as TaskReply); },
    onError: (f) => { w.onerror = (ev) => f(new Error(ev.message ?? 'the compute worker failed')); },
    terminate: () => w.terminate(),
  };
}
