// The engine in a Web Worker: the webview posts files and a request, the worker answers with the report
// (and, for runs, each row's output and gradient tensors with per-channel statistics, buffers transferred).
// Runs nothing but the engine; every failure is an `error` message, never an uncaught exception.
import { analyze, runModel } from '../engine';
import { writeSafetensors } from '../engine/io/safetensors';
import { articleData } from './articleData';
import { channelStats } from './channelStats';
import { convDemo } from './convDemo';
import { batchNoise, rowOutputs } from './batchNoise';
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
  if (spec.kind === 'file') return spec.bytes;
  if (spec.kind === 'tensor') return writeSafetensors({ input: { shape: spec.tensor.shape, data: spec.tensor.data } });
  if (!shape) throw new Error('a pattern input needs the model\'s input shape');
  return writeSafetensors({ input: { shape, data: patternTensor(shape, spec.pattern) } });
}

function run(msg: RunRequest): void {
  self.postMessage({ type: 'progress', id: msg.id, phase: 'forward + backward' });
  const { tensors, captures, ...report } = runModel({
    file: msg.file, host: { readFile: (p: string) => msg.files[p] }, model: msg.model, input: msg.input, mode: msg.mode, seed: msg.seed,
    weights: msg.weights, weightsName: msg.weightsName, weightsKey: msg.weightsKey, inputFile: inputFileOf(msg), keepTensors: msg.keepTensors, dataflow: msg.dataflow,
    capture: msg.capture && msg.keepTensors, variant: msg.variant, loss: msg.loss,
  });
  const transfer: ArrayBufferLike[] = [];
  // rows without a kept tensor are skipped by `tensors`: line the outputs up with the rows again
  const outputs = rowOutputs(report, tensors);
  const extra = captures ? articleData({ ...report, captures }, outputs) : [];
  let k = 0;
  const out: RowTensors[] | undefined = tensors?.map((t) => {
    while (k < outputs.length && outputs[k] !== t.output) k++;
    const more = extra[k++] ?? {};
    transfer.push(...buffersOf(more));
    transfer.push(t.output.data.buffer);
    if (t.grad) transfer.push(t.grad.data.buffer);
    const output = { shape: t.output.shape, data: t.output.data };
    const channels = channelStats(output);
    transfer.push(channels.mean.buffer, channels.std.buffer, channels.min.buffer, channels.max.buffer);
    return { output, grad: t.grad ? { shape: t.grad.shape, data: t.grad.data } : null, channels, ...more };
  });
  const result: FromWorker = { type: 'run/result', id: msg.id, report, ...(out ? { tensors: out } : {}) };
  // NOTE: a buffer that cannot be detached (one a kernel shares with WebAssembly memory) fails the transfer: copy then
  try { self.postMessage(result, [...new Set(transfer)]); } catch { self.postMessage(result); }
}

/** Every typed array's buffer in an article-data object (they are transferred, not copied). */
function buffersOf(o: unknown, acc: ArrayBufferLike[] = [], depth = 0): ArrayBufferLike[] {
  if (ArrayBuffer.isView(o)) acc.push(o.buffer);
  else if (o && typeof o === 'object' && depth < 4) for (const v of Object.values(o)) buffersOf(v, acc, depth + 1);
  return acc;
}

const HANDLERS: Handlers<ToWorker> = {
  'analysis/request': (msg) => {
    const report = analyze({ file: msg.file, host: { readFile: (p: string) => msg.files[p] }, model: msg.model, input: msg.input, dataflow: msg.dataflow });
    self.postMessage({ type: 'analysis/result', id: msg.id, report });
  },
  'run/request': run,
  'convDemo/request': (msg) => { self.postMessage({ type: 'convDemo/result', id: msg.id, conv: convDemo() }); },
  'bn/request': (msg) => {
    const noise = batchNoise(msg);
    self.postMessage({ type: 'bn/result', id: msg.id, noise }, buffersOf(noise.layers));
  },
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
