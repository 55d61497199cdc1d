// The batch-size slider's re-run, in the engine worker: BatchNorm's per-channel batch statistics over several
// seeded noise batches of one size (train mode, forward only, the weights fixed), and the train/eval output
// difference of the first batch. Plain engine calls; exported for the harness tests to run the same in Node.
import { runModel, type RunOptions, type RunReport } from '../engine';
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
 * The batch-size slider's re-run: `draws` train-mode forwards of seeded N(0, 1) batches of `batch` samples
 * (the weights fixed), each BatchNorm's batch mean and variance per channel; and the first batch in eval mode,
 * for the train/eval difference. Forward only.
 */
export function batchNoise(msg: BnRequest): BatchNoise {
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

