// The compute pool on Node's worker_threads (extension host, CLI, benchmark): SharedArrayBuffer always.
// Node-only (imports node:*), so the engine never imports it; the hosts create a pool and pass it in.
// Workers run the bundled entry dist/opsWorker.js (node/opsWorker.ts) and never hold the process open when idle.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PortPool, type ComputePool, type WorkerPort } from '../ops/pool/pool';
import type { TaskReply } from '../ops/pool/tasks';

export interface NodePoolOptions {
  /** Threads including the caller (default: every core). 1 makes a pool without workers. */
  threads?: number;
  /** The bundled worker entry (default: opsWorker.js beside the running bundle). */
  script?: string;
  /** false: operands travel as copies, as in a browser that is not cross-origin isolated (tests use it). */
  shared?: boolean;
  /** Start the workers now (PortPool.prestart), not at their first task. */
  prestart?: boolean;
}

export function createNodePool(opts: NodePoolOptions = {}): ComputePool {
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  const script = opts.script ?? join(__dirname, 'opsWorker.js');
  const pool = new PortPool(threads, opts.shared ?? true, () => nodePort(new Worker(script)));
  if (opts.prestart) pool.prestart();
  return pool;
}

function nodePort(w: Worker): WorkerPort {
  return {
    postMessage: (m, transfer) => w.postMessage(m, transfer),
    onMessage: (f) => { w.on('message', (m: TaskReply) => f(m)); },
    onError: (f) => {
      w.on('error', f);
      w.on('exit', (code) => f(new Error(`the compute worker exited (code ${code})`)));
    },
    setBusy: (busy) => { if (busy) w.ref(); else w.unref(); },
    terminate: () => { void w.terminate(); },
  };
}
