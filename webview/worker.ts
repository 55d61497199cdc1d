// The engine in a Web Worker: the webview posts files and a request, the worker answers with the report
// (and, for runs, each row's output and gradient tensors, their buffers transferred). Runs nothing but
// the engine; every failure is an `error` message, never an uncaught exception.
import { analyze, runModel } from '../engine';
import { PROTOCOL_VERSION, assertNever, type FromWorker, type ToWorker } from './protocol';

// Only what this file uses of a worker's global scope (the engine's tsconfig has no DOM library).
interface WorkerScope {
  postMessage(msg: FromWorker, transfer?: ArrayBufferLike[]): void;
  onmessage: ((e: { data: ToWorker }) => void) | null;
}
declare const self: WorkerScope;

function handle(msg: ToWorker): void {
  const host = { readFile: (p: string) => msg.files[p] };
  try {
    switch (msg.type) {
      case 'analysis/request': {
        const report = analyze({ file: msg.file, host, model: msg.model, input: msg.input });
        self.postMessage({ type: 'analysis/result', id: msg.id, report });
        return;
      }
      case 'run/request': {
        const { tensors, ...report } = runModel({ file: msg.file, host, model: msg.model, input: msg.input, mode: msg.mode, seed: msg.seed, weights: msg.weights, weightsName: msg.weightsName, weightsKey: msg.weightsKey, inputFile: msg.inputFile, keepTensors: msg.keepTensors });
        const transfer: ArrayBufferLike[] = [];
        const out = tensors?.map((t) => {
          transfer.push(t.output.data.buffer);
          if (t.grad) transfer.push(t.grad.data.buffer);
          return { output: { shape: t.output.shape, data: t.output.data }, grad: t.grad ? { shape: t.grad.shape, data: t.grad.data } : null };
        });
        self.postMessage({ type: 'run/result', id: msg.id, report, ...(out ? { tensors: out } : {}) }, [...new Set(transfer)]);
        return;
      }
      default:
        assertNever(msg);
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: (msg as { id: number }).id, message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (e) => handle(e.data);
self.postMessage({ type: 'ready', version: PROTOCOL_VERSION });
