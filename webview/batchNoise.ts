// The batch-size slider's re-run, in the engine worker: BatchNorm's per-channel batch statistics over several
// seeded noise batches of one size (train mode, forward only, the weights fixed), and the train/eval output
// difference of the first batch. Plain engine calls; exported for the harness tests to run the same in Node.
import { runForwardPasses, runModel, type RunOptions, type RunReport } from '../engine';
import { writeSafetensors } from '../engine/io/safetensors';
import type { NdArray } from '../engine/ops/tensor';
import { Rng } from '../engine/run/init';
import type { BatchNoise, ToWorker } from './protocol';

export type BnRequest = Omit<Extract<ToWorker, { type: 'bn/request' }>, 'type' | 'id'>;

/** Each row's output (undefined where the run kept none: a row whose call returned no tensor). */
export function rowOutputs(report: Pick<RunReport, 'rows'>, tensors: RunReport['tensors']): NdArray[] {
  const out: NdArray[] = [];
  let k = 0;
  report.rows.forEach((r, i) => { out[i] = r.stats && tensors?.[k] ? tensors[k++].output : (undefined as unknown as NdArray); });
  return out;
}

/**
 * Samples the re-run's train passes spend in all (draws × batch), at least MIN_DRAWS batches: 8 batches of
 * 2 or 4, 4 of 8, 2 of 16 … 64. NOTE: the cost is the forwards' MACs (one analysis serves every batch), so
 * the budget is what keeps a small-batch re-run of examples/resnet_cifar.py near 0.5 s on this machine.
 */
export const SAMPLE_BUDGET = 32;
export const MIN_DRAWS = 2;
/** Samples of the first batch run again in eval mode (eval mode treats each sample alone, so a few of them suffice). */
export const EVAL_SAMPLES = 4;
export const drawsFor = (batch: number, most: number): number => Math.max(Math.min(MIN_DRAWS, most), Math.min(most, Math.floor(SAMPLE_BUDGET / batch)));

/**
 * The batch-size slider's re-run: seeded N(0, 1) batches of `batch` samples (the weights fixed) through one
 * train-mode forward each — one analysis for all of them — giving each BatchNorm's batch mean and variance
 * per channel; and the first batch's first samples in eval mode, for the train/eval difference (in eval mode a
 * sample's output does not depend on the rest of its batch). Forward only.
 */
export function batchNoise(msg: BnRequest): BatchNoise {
  const shape = msg.input?.[0];
  if (!shape || shape.length < 2) throw new Error('the batch-size re-run needs the model\'s input shape');
  const inShape = [msg.batch, ...shape.slice(1)];
  const n = inShape.reduce((a, b) => a * b, 1);
  const draws = drawsFor(msg.batch, msg.draws);
  const base: Omit<RunOptions, 'mode'> = { file: msg.file, host: { readFile: (p) => msg.files[p] }, model: msg.model, input: [inShape], seed: msg.seed, weights: msg.weights, weightsName: msg.weightsName, backward: false };
  const noise = (d: number): NdArray => ({ shape: inShape, data: new Rng(1000 + (msg.seed ?? 0) * 7919 + d).normalArray(n) });
  const passes = runForwardPasses({ ...base, mode: 'train', capture: true, keepTensors: true }, Array.from({ length: draws }, (_, d) => [noise(d)]));
  const err = passes.flatMap((r) => r.diagnostics).find((x) => x.severity === 'error');
  if (err) throw new Error(err.message);
  const layers: BatchNoise['layers'] = [];
  passes.forEach((r, d) => r.captures?.forEach((c, row) => {
    if (c?.op !== 'batch_norm' || !c.batchStats) return;
    let l = layers.find((x) => x.row === row);
    const C = c.batchStats.mean.length;
    if (!l) { l = { row, channels: C, mean: new Float32Array(draws * C), var: new Float32Array(draws * C) }; layers.push(l); }
    l.mean.set(c.batchStats.mean, d * C);
    l.var.set(c.batchStats.var, d * C);
  }));
  const first = passes[0];
  const k = Math.min(msg.batch, EVAL_SAMPLES), x0 = noise(0);
  const ev = runModel({ ...base, input: [[k, ...inShape.slice(1)]], mode: 'eval', inputFile: writeSafetensors({ input: { shape: [k, ...inShape.slice(1)], data: x0.data.slice(0, (x0.data.length / msg.batch) * k) } }), keepTensors: true });
  const trainOut = rowOutputs(first, first.tensors), evalOut = rowOutputs(ev, ev.tensors);
  // the train output's first k samples against the eval output of the same k samples
  const diff = (a?: NdArray, b?: NdArray) => {
    if (!a || !b || a.shape.slice(1).join() !== b.shape.slice(1).join() || b.data.length > a.data.length) return { meanAbs: NaN, maxAbs: NaN };
    let s = 0, m = 0;
    for (let i = 0; i < b.data.length; i++) { const e = Math.abs(a.data[i] - b.data[i]); s += e; if (e > m) m = e; }
    return { meanAbs: s / b.data.length, maxAbs: m };
  };
  const last = (r: RunReport) => r.tensors?.[r.tensors.length - 1]?.output;
  return {
    batch: msg.batch, draws, layers,
    trainEval: layers.map((l) => ({ row: l.row, ...diff(trainOut[l.row], evalOut[l.row]) })),
    output: diff(last(first), last(ev)),
  };
}
