// The engine in a Web Worker: the webview posts files and a request, the worker answers with the report
// (and, for runs, each row's output and gradient tensors with per-channel statistics, buffers transferred).
// Runs nothing but the engine; every failure is an `error` message, never an uncaught exception.
import { analyze, runModel } from '../engine';
import { writeSafetensors } from '../engine/io/safetensors';
import { channelStats } from './channelStats';
import { patternTensor } from './inputPatterns';
import { PROTOCOL_VERSION, describeBad, dispatch, parseToWorker, type FromWorker, type Handlers, type RowTensors, type ToWorker } from './protocol';

// Only what this file uses of a worker's global scope (the engine's tsconfig has no DOM library).
interface WorkerScope {
  postMessage(msg: FromWorker, transfer?: ArrayBufferLike[]): void;
  onmessage: ((e: { data: unknown }) => void) | null;
}
declare const self: WorkerScope;

type RunRequest = Extract<ToWorker, { type: 'run/request' }>;

/** The input as the run takes it: a safetensors file of `input`, or nothing (the engine's seeded noise). */
function inputFileOf(msg: RunRequest): Uint8Array | undefined {
  const spec = msg.inputSpec;
  if (!spec || spec.kind === 'noise') return msg.inputFile;
  const shape = msg.input?.[0];
  if (spec.kind === 'tensor') return writeSafetensors({ input: { shape: spec.tensor.shape, data: spec.tensor.data } });
  if (!shape) throw new Error('a pattern input needs the model\'s input shape');
  return writeSafetensors({ input: { shape, data: patternTensor(shape, spec.pattern) } });
}

function run(msg: RunRequest): void {
  self.postMessage({ type: 'progress', id: msg.id, phase: 'forward + backward' });
  const { tensors, ...report } = runModel({
    file: msg.file, host: { readFile: (p: string) => msg.files[p] }, model: msg.model, input: msg.input, mode: msg.mode, seed: msg.seed,
    weights: msg.weights, weightsName: msg.weightsName, weightsKey: msg.weightsKey, inputFile: inputFileOf(msg), keepTensors: msg.keepTensors, dataflow: msg.dataflow,
  });
  const transfer: ArrayBufferLike[] = [];
  const out: RowTensors[] | undefined = tensors?.map((t) => {
    transfer.push(t.output.data.buffer);
    if (t.grad) transfer.push(t.grad.data.buffer);
    const output = { shape: t.output.shape, data: t.output.data };
    const channels = channelStats(output);
    transfer.push(channels.mean.buffer, channels.std.buffer, channels.min.buffer, channels.max.buffer);
    return { output, grad: t.grad ? { shape: t.grad.shape, data: t.grad.data } : null, channels };
  });
  self.postMessage({ type: 'run/result', id: msg.id, report, ...(out ? { tensors: out } : {}) }, [...new Set(transfer)]);
}

const HANDLERS: Handlers<ToWorker> = {
  'analysis/request': (msg) => {
    const report = analyze({ file: msg.file, host: { readFile: (p: string) => msg.files[p] }, model: msg.model, input: msg.input, dataflow: msg.dataflow });
    self.postMessage({ type: 'analysis/result', id: msg.id, report });
  },
  'run/request': run,
};

function handle(data: unknown): void {
  const msg = parseToWorker(data);
  if (!msg) {
    self.postMessage({ type: 'error', id: typeof (data as { id?: unknown })?.id === 'number' ? (data as { id: number }).id : -1, message: `the engine worker got ${describeBad(data)}` });
    return;
  }
  try {
    dispatch(HANDLERS, msg);
  } catch (e) {
    self.postMessage({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (e) => handle(e.data);
self.postMessage({ type: 'ready', version: PROTOCOL_VERSION });
