// The engine in a Web Worker: the webview posts files and a request, the worker answers with the report
// (and, for runs, each row's output and gradient tensors with per-channel statistics, buffers transferred).
// Runs nothing but the engine; every failure is an `error` message, never an uncaught exception.
import { analyze, runModel, type RunOptions, type RunReport } from '../engine';
import { writeSafetensors } from '../engine/io/safetensors';
import { Rng } from '../engine/run/init';
import type { NdArray } from '../engine/ops/tensor';
import { articleData } from './articleData';
import { channelStats } from './channelStats';
import { convDemo } from './convDemo';
import { patternTensor } from './inputPatterns';
import { PROTOCOL_VERSION, assertNever, describeBad, parseToWorker, type BatchNoise, type ConvStepData, type FromWorker, type RowTensors, type ToWorker } from './protocol';

// Only what this file uses of a worker's global scope (the engine's tsconfig has no DOM library).
interface WorkerScope {
  postMessage(msg: FromWorker, transfer?: ArrayBufferLike[]): void;
  onmessage: ((e: { data: unknown }) => void) | null;
}
declare const self: WorkerScope;

type RunRequest = Extract<ToWorker, { type: 'run/request' }>;
type BnRequest = Extract<ToWorker, { type: 'bn/request' }>;

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
  self.postMessage({ type: 'run/result', id: msg.id, report, ...(out ? { tensors: out } : {}) }, [...new Set(transfer)]);
}

/** Each row's output (undefined where the run kept none: a row whose call returned no tensor). */
function rowOutputs(report: Pick<RunReport, 'rows'>, tensors: RunReport['tensors']): NdArray[] {
  const out: NdArray[] = [];
  let k = 0;
  report.rows.forEach((r, i) => { out[i] = r.stats && tensors?.[k] ? tensors[k++].output : (undefined as unknown as NdArray); });
  return out;
}

/** Every typed array's buffer in an article-data object (they are transferred, not copied). */
function buffersOf(o: unknown, acc: ArrayBufferLike[] = [], depth = 0): ArrayBufferLike[] {
  if (ArrayBuffer.isView(o)) acc.push(o.buffer);
  else if (o && typeof o === 'object' && depth < 4) for (const v of Object.values(o)) buffersOf(v, acc, depth + 1);
  return acc;
}

/**
 * The batch-size slider's re-run: `draws` train-mode forwards of seeded N(0, 1) batches of `batch` samples
 * (the weights fixed), each BatchNorm's batch mean and variance per channel; and the first batch in eval mode,
 * for the train/eval difference. Forward only.
 */
function batchNoise(msg: BnRequest): BatchNoise {
  const shape = msg.input?.[0];
  if (!shape || shape.length < 2) throw new Error('the batch-size re-run needs the model\'s input shape');
  const inShape = [msg.batch, ...shape.slice(1)];
  const n = inShape.reduce((a, b) => a * b, 1);
  const base: Omit<RunOptions, 'mode'> = { file: msg.file, host: { readFile: (p: string) => msg.files[p] }, model: msg.model, input: [inShape], seed: msg.seed, weights: msg.weights, weightsName: msg.weightsName, backward: false, capture: true };
  const noise = (d: number) => writeSafetensors({ input: { shape: inShape, data: new Rng(1000 + (msg.seed ?? 0) * 7919 + d).normalArray(n) } });
  const layers: BatchNoise['layers'] = [];
  let first: RunReport | undefined;
  for (let d = 0; d < msg.draws; d++) {
    const r = runModel({ ...base, mode: 'train', inputFile: noise(d), keepTensors: d === 0 });
    const err = r.diagnostics.find((x) => x.severity === 'error');
    if (err) throw new Error(err.message);
    if (d === 0) first = r;
    r.captures?.forEach((c, row) => {
      if (c?.op !== 'batch_norm' || !c.batchStats) return;
      let l = layers.find((x) => x.row === row);
      const C = c.batchStats.mean.length;
      if (!l) { l = { row, channels: C, mean: new Float32Array(msg.draws * C), var: new Float32Array(msg.draws * C) }; layers.push(l); }
      l.mean.set(c.batchStats.mean, d * C);
      l.var.set(c.batchStats.var, d * C);
    });
  }
  const ev = runModel({ ...base, mode: 'eval', inputFile: noise(0), keepTensors: true, capture: false });
  const trainOut = rowOutputs(first!, first!.tensors), evalOut = rowOutputs(ev, ev.tensors);
  const diff = (a?: NdArray, b?: NdArray) => {
    if (!a || !b || a.data.length !== b.data.length) return { meanAbs: NaN, maxAbs: NaN };
    let s = 0, m = 0;
    for (let i = 0; i < a.data.length; i++) { const e = Math.abs(a.data[i] - b.data[i]); s += e; if (e > m) m = e; }
    return { meanAbs: s / a.data.length, maxAbs: m };
  };
  const last = (r: RunReport) => r.tensors?.[r.tensors.length - 1]?.output;
  return {
    batch: msg.batch, draws: msg.draws, layers,
    trainEval: layers.map((l) => ({ row: l.row, ...diff(trainOut[l.row], evalOut[l.row]) })),
    output: diff(last(first!), last(ev)),
  };
}

function handle(data: unknown): void {
  const msg = parseToWorker(data);
  if (!msg) {
    self.postMessage({ type: 'error', id: typeof (data as { id?: unknown })?.id === 'number' ? (data as { id: number }).id : -1, message: `the engine worker got ${describeBad(data)}` });
    return;
  }
  try {
    switch (msg.type) {
      case 'analysis/request': {
        const report = analyze({ file: msg.file, host: { readFile: (p: string) => msg.files[p] }, model: msg.model, input: msg.input, dataflow: msg.dataflow });
        self.postMessage({ type: 'analysis/result', id: msg.id, report });
        return;
      }
      case 'run/request':
        run(msg);
        return;
      case 'convDemo/request': {
        const conv: ConvStepData = convDemo();
        self.postMessage({ type: 'convDemo/result', id: msg.id, conv });
        return;
      }
      case 'bn/request': {
        const noise = batchNoise(msg);
        self.postMessage({ type: 'bn/result', id: msg.id, noise }, buffersOf(noise.layers));
        return;
      }
      default:
        assertNever(msg);
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (e) => handle(e.data);
self.postMessage({ type: 'ready', version: PROTOCOL_VERSION });
