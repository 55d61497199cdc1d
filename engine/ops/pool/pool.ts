// A pool of kernel workers beside the calling thread: the engine-side interface and its one
// implementation over platform ports. Node (node/nodePool.ts) and browsers (pool/browserPool.ts) only
// supply the ports; parallel kernels (parallelGemm.ts, conv2dAsync.ts) split work over `threads`.

import { runTaskHere, type Task, type TaskReply, type TaskRequest } from './tasks';

export interface ComputePool {
  /** Threads a parallel kernel may use: the caller plus the workers. */
  readonly threads: number;
  /** True when alloc() returns SharedArrayBuffer memory that workers read and write in place. */
  readonly shared: boolean;
  /**
   * Runs `task` on worker `i` (0 ≤ i < threads − 1) and resolves with its outputs. With `into` (arrays
   * from alloc() on a shared pool) the outputs are written there instead and the result is empty.
   * `handOver`: arrays of the task the caller gives up; without shared memory their buffers move to the
   * worker instead of being copied (they are unusable afterwards; release() ignores them).
   */
  run(i: number, task: Task, into?: Float32Array[], handOver?: Float32Array[]): Promise<Float32Array[]>;
  /**
   * An array of n floats for task operands (contents undefined): shared with the workers when `shared`,
   * a plain one otherwise. Recycled from release()d arrays, so repeated calls touch no fresh memory.
   */
  alloc(n: number): Float32Array;
  /** Returns arrays from alloc() for reuse once no task reads them any more. */
  release(...arrays: Float32Array[]): void;
  /** Stops the workers; pending tasks reject. */
  dispose(): void;
}

/** One worker as the pool sees it; the platform implementations adapt their worker objects to this. */
export interface WorkerPort {
  postMessage(m: TaskRequest, transfer: ArrayBuffer[]): void;
  onMessage(f: (m: TaskReply) => void): void;
  onError(f: (e: Error) => void): void;
  /** Tells the port whether replies are awaited (Node unrefs idle workers so they never hold the process). */
  setBusy?(busy: boolean): void;
  terminate(): void;
}

interface Pending { resolve(o: Float32Array[]): void; reject(e: Error): void; task: Task; into?: Float32Array[] }

/**
 * Bytes of released arrays a pool keeps for reuse; beyond this they are left to the garbage collector.
 * NOTE: with parameters shared in place (layerlens run), a call's operands are activation slices: a few MB.
 */
const KEEP_BYTES = 24 << 20;

/** Worker failures in a row (no reply in between) after which the pool stops starting workers. */
const MAX_FAILURES = 2;

/**
 * The pool over `threads − 1` ports made on demand. A worker that fails is replaced on its next task, and
 * the tasks it held run on the calling thread instead; after repeated failures (say, the worker script
 * is missing) every task runs there, so a broken pool is only slower, never wrong.
 */
export class PortPool implements ComputePool {
  private readonly ports: Array<{ port: WorkerPort; pending: Map<number, Pending> } | undefined>;
  private next = 1;
  private disposed = false;
  private failures = 0;
  private free: Float32Array[] = [];
  /** Buffers alloc() made: release() takes back only these, never a caller's own (shared) arrays. */
  private readonly owned = new WeakSet<ArrayBufferLike>();

  constructor(readonly threads: number, readonly shared: boolean, private readonly makePort: (i: number) => WorkerPort) {
    this.ports = new Array(Math.max(0, threads - 1)).fill(undefined);
  }

  /**
   * Starts every worker now instead of at its first task: a worker's start (loading its bundle, compiling
   * the WebAssembly) then overlaps what the caller does meanwhile (`layerlens run`: the analysis).
   */
  prestart(): void {
    this.ports.forEach((_, i) => {
      if (this.disposed || this.failures >= MAX_FAILURES) return;
      try { this.worker(i); } catch { this.failures++; }
    });
  }

  run(i: number, task: Task, into?: Float32Array[], handOver: Float32Array[] = []): Promise<Float32Array[]> {
    if (this.disposed) return Promise.reject(new Error('the compute pool was disposed'));
    if (i < 0 || i >= this.ports.length) return Promise.reject(new Error(`no pool worker ${i} (pool of ${this.threads} threads)`));
    if (this.failures >= MAX_FAILURES) return inline(task, into);
    let w: { port: WorkerPort; pending: Map<number, Pending> };
    try {
      w = this.worker(i);
    } catch {
      this.failures++;
      return inline(task, into);
    }
    const id = this.next++;
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject, task, into });
      w.port.setBusy?.(true);
      // NOTE: Chromium copies a cloned 1 MB array at well under 1 GB/s; moving the buffer is free.
      const transfer = this.shared ? [] : [...new Set(handOver.map((a) => a.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
      w.port.postMessage(into ? { id, task, into } : { id, task }, transfer);
    });
  }

  alloc(n: number): Float32Array {
    // The smallest kept buffer that fits and is not more than twice too big.
    let best = -1;
    this.free.forEach((f, i) => { if (f.length >= n && f.length <= 2 * n + 1024 && (best < 0 || f.length < this.free[best].length)) best = i; });
    if (best >= 0) return this.free.splice(best, 1)[0].subarray(0, n);
    const a = this.shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
    this.owned.add(a.buffer);
    return a;
  }

  release(...arrays: Float32Array[]): void {
    for (const a of arrays) {
      if (a.buffer.byteLength === 0 || !this.owned.has(a.buffer)) continue; // moved to a worker, or not ours
      const whole = new Float32Array(a.buffer);
      if (this.free.some((f) => f.buffer === whole.buffer)) continue;
      this.free.push(whole);
    }
    let bytes = 0;
    this.free = this.free.sort((a, b) => b.length - a.length).filter((f) => (bytes += f.byteLength) <= KEEP_BYTES);
  }

  dispose(): void {
    this.disposed = true;
    this.free = [];
    this.ports.forEach((_, i) => this.fail(i, new Error('the compute pool was disposed')));
  }

  /** Whether the pool gave up on workers and runs every task on the calling thread. */
  get degraded(): boolean {
    return this.failures >= MAX_FAILURES;
  }

  private worker(i: number): { port: WorkerPort; pending: Map<number, Pending> } {
    const have = this.ports[i];
    if (have) return have;
    const w = { port: this.makePort(i), pending: new Map<number, Pending>() };
    w.port.onMessage((m) => {
      const p = w.pending.get(m.id);
      if (!p) return;
      w.pending.delete(m.id);
      if (w.pending.size === 0) w.port.setBusy?.(false);
      this.failures = 0;
      if (m.ok) p.resolve(m.outputs);
      else p.reject(new Error(m.error));
    });
    w.port.onError((e) => { if (this.ports[i] === w) { this.failures++; this.fail(i, e); } });
    w.port.setBusy?.(false);
    this.ports[i] = w;
    return w;
  }

  private fail(i: number, e: Error): void {
    const w = this.ports[i];
    this.ports[i] = undefined;
    if (!w) return;
    w.port.terminate();
    for (const p of w.pending.values()) {
      if (this.disposed) p.reject(e);
      else inline(p.task, p.into).then(p.resolve, p.reject);
    }
  }
}

/** A task on the calling thread, answered as a worker would answer it. */
function inline(task: Task, into?: Float32Array[]): Promise<Float32Array[]> {
  try {
    return Promise.resolve(runTaskHere(task, into));
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
