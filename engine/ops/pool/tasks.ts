// What a pool worker can be asked to do: a discriminated union of kernel calls on plain data, and
// runTask, which runs one synchronously on the worker's own thread (its own WebAssembly instance).
// Tasks carry Float32Arrays; on a SharedArrayBuffer they are seen in place, else they arrive as copies.

import { conv2d, conv2dBackward, conv2dInputGrad, conv2dInto, type Conv2dAttrs, type ConvArgs, type ConvEpilogue } from '../conv2d';
import { numel } from '../tensor';
import { gemm } from '../gemm';
import { setGemmBackend, type GemmBackend } from '../wasm/wasmKernels';
import { assertNever } from '../../util/messages';

export type Task =
  | { op: 'backend'; backend: GemmBackend | 'auto' }
  | {
    op: 'gemm'; transA: boolean; transB: boolean; M: number; N: number; K: number; alpha: number;
    A: Float32Array; lda: number; B: Float32Array; ldb: number; beta: number; C: Float32Array; ldc: number;
  }
  | { op: 'conv2d'; args: ConvArgs; attrs: Conv2dAttrs; epilogue?: ConvEpilogue }
  | { op: 'conv2dBackward'; gradOutput: ConvArgs['input']; args: ConvArgs; attrs: Conv2dAttrs }
  | { op: 'conv2dInputGrad'; gradOutput: ConvArgs['input']; weight: ConvArgs['weight']; inputShape: number[]; attrs: Conv2dAttrs };

/**
 * Runs a task here and returns its outputs in a fixed order per op (gemm: C; conv2d: output;
 * conv2dBackward: input, weight[, bias]; conv2dInputGrad: input). With `into`, ops that can write there directly do.
 */
export function runTask(t: Task, into?: Float32Array[]): Float32Array[] {
  switch (t.op) {
    case 'backend':
      setGemmBackend(t.backend);
      return [];
    case 'gemm':
      gemm(t.transA, t.transB, t.M, t.N, t.K, t.alpha, t.A, t.lda, t.B, t.ldb, t.beta, t.C, t.ldc);
      return [t.C];
    case 'conv2d':
      if (into) { conv2dInto(t.args, t.attrs, into[0], 0, Infinity, t.epilogue); return [into[0]]; }
      return [conv2d(t.args, t.attrs, t.epilogue).data];
    case 'conv2dBackward': {
      // into the caller's shared arrays when given: a worker that allocated its outputs would hold them
      // until its own (rare: it allocates little else) garbage collection
      const g = conv2dBackward(t.gradOutput, t.args, t.attrs, into && { input: into[0], weight: into[1], bias: into[2] });
      return g.bias ? [g.input.data, g.weight.data, g.bias.data] : [g.input.data, g.weight.data];
    }
    case 'conv2dInputGrad': {
      const gx = into ? into[0].fill(0) : new Float32Array(numel(t.inputShape));
      conv2dInputGrad(t.gradOutput, t.weight, t.inputShape, t.attrs, gx);
      return [gx];
    }
    default:
      return assertNever(t, 'pool task');
  }
}


/** Requests and replies between a pool and its workers. `into`: shared arrays the outputs are copied into. */
export interface TaskRequest { id: number; task: Task; into?: Float32Array[] }
export type TaskReply = { id: number; ok: true; outputs: Float32Array[] } | { id: number; ok: false; error: string };

/** runTask with the reply's conventions: with `into`, outputs are copied there and the result is empty. */
export function runTaskHere(task: Task, into?: Float32Array[]): Float32Array[] {
  const outs = runTask(task, into);
  if (!into) return outs;
  outs.forEach((o, i) => { if (into[i] !== o) into[i].set(o); });
  return [];
}

/** The worker side of the protocol, over whatever port the platform gives (worker_threads or a Web Worker). */
export function serveTasks(port: {
  postMessage(m: TaskReply, transfer: ArrayBuffer[]): void;
  onMessage(f: (m: TaskRequest) => void): void;
}): void {
  port.onMessage(({ id, task, into }) => {
    try {
      const outs = runTaskHere(task, into);
      const transfer = outs.map((o) => o.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      port.postMessage({ id, ok: true, outputs: outs }, [...new Set(transfer)]);
    } catch (e) {
      port.postMessage({ id, ok: false, error: e instanceof Error ? e.message : String(e) }, []);
    }
  });
}
