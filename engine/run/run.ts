// `layerlens run`: analyse the model in the requested mode, load or initialise its state, replay the
// trace with real numbers, back-propagate loss = sum(output), and report per-row statistics and gradient
// norms (the contract of test/fixtures/README.md). Bad weights files become diagnostics, never crashes.
import type { AnalyzeOptions, Diagnostic, Report, Row, RunReport, RunRow, Shape, Stats } from '../api';
import { runAnalysis, firstTensor } from '../analysis/analyze';
import { totalsJson } from '../analysis/format';
import { TensorV, numel } from '../torch/tensor';
import { PyInstance, type Value } from '../interp/values';
import type { SafeTensor } from '../io/dtypes';
import { loadStateDict } from '../io/stateDict';
import { readWeights } from '../io/weights';
import type { TorchRuntime } from '../torch/runtime';
import { Executor, ExecError, tensorsOf, type Mode } from './execute';
import { backward, backwardAsync, type GradNode, type Keep } from '../autograd/graph';
import type { ComputePool } from '../ops/pool/pool';
import type { NdArray } from '../ops/tensor';
import { initialState, Rng } from './init';
import { applyVariant, captureRow, lossSeed, type LossSpec, type RowCapture, type RunVariant } from './inspect';
import { now } from '../util/clock';

export interface RunOptions extends AnalyzeOptions {
  mode: Mode;
  /** The full state_dict: a safetensors file or a PyTorch checkpoint (.pth/.pt/.bin), detected by content. */
  weights?: Uint8Array;
  /** The weights file's name (messages only). */
  weightsName?: string;
  /** Dotted key of the state_dict inside a nested checkpoint; omitted: found by the model's keys. */
  weightsKey?: string;
  /** A weights-format file (safetensors or a torch.save dict) holding the input tensor(s) (`input`, or `input0`, `input1`, …). */
  inputFile?: Uint8Array;
  seed?: number;
  /** Keep every row's output and gradient tensors in `RunReport.tensors` (the Inspector shows them). */
  keepTensors?: boolean;
  /** Keep, per row, its own op's arguments (conv, batch_norm, activations) in `RunReport.captures` (the Inspector's article views). */
  capture?: boolean;
  /** A "what if" run: the trace rewritten before it is replayed (every activation replaced, BatchNorm removed). */
  variant?: RunVariant;
  /** The loss back-propagated (default: sum of the output). */
  loss?: LossSpec;
  /** false: forward only (no gradNorm); for re-runs that need only forward statistics. */
  backward?: boolean;
  /**
   * Asked with the static analysis before any tensor is allocated: a message refuses the run (an error
   * diagnostic 'run.memory'), e.g. when it would need more memory than `layerlens run --max-memory`.
   */
  admit?: (analysis: Report) => string | undefined;
  /** Passes run again after the first (same state and seed, results discarded) for warm timings; default 0. */
  repeat?: number;
}


export function stats(a: NdArray): Stats {
  const d = a.data;
  let sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < d.length; i++) { const v = d[i]; sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = sum / d.length;
  let sq = 0;
  for (let i = 0; i < d.length; i++) { const e = d[i] - mean; sq += e * e; }
  return { mean, std: Math.sqrt(sq / d.length), min, max };
}

export function l2(a: NdArray): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * a.data[i];
  return Math.sqrt(s);
}

function toNd(t: SafeTensor): NdArray { return { shape: [...t.shape], data: t.data }; }

interface Prepared {
  out: RunReport;
  exec: Executor;
  /** A fresh executor over the same state, seed and pool (a repeated pass). */
  fresh: () => Executor;
  analysis: ReturnType<typeof runAnalysis>;
  outputT?: TensorV;
  rowOutputs: TensorV[];
}

/** Analyses the model in the requested mode and builds its state; a report alone when that failed. */
function prepare(opts: RunOptions, pool?: ComputePool): Prepared | RunReport {
  const diagnostics: Diagnostic[] = [];
  let inputs = opts.input;
  let inputData: NdArray[] | undefined;
  if (opts.inputFile) {
    try {
      const file = readWeights(opts.inputFile).tensors;
      const named = file.get('input') ? [file.get('input')!] : [...file.keys()].filter((k) => /^input\d+$/.test(k)).sort().map((k) => file.get(k)!);
      if (!named.length) throw new Error(`the input file holds no tensor named 'input' (it has: ${[...file.keys()].join(', ') || 'none'})`);
      inputData = named.map(toNd);
      inputs = inputData.map((t) => t.shape);
    } catch (e) {
      diagnostics.push({ severity: 'error', code: 'input.file', message: `bad input file: ${(e as Error).message}` });
    }
  }
  const analysis = runAnalysis({ ...opts, input: inputs, training: opts.mode === 'train' });
  const base = analysis.report;
  const out: RunReport = {
    ...base, mode: opts.mode, rows: base.rows.map((r) => ({ ...r, stats: null, gradNorm: null })), outputStats: null,
    diagnostics: [...base.diagnostics, ...diagnostics],
    timings: { ...base.timings, forwardMs: 0, backwardMs: 0 },
  };
  const model = analysis.model;
  const rt = analysis.rt;
  if (!model || diagnostics.length || out.diagnostics.some((d) => d.severity === 'error')) return out;
  const refusal = opts.admit?.(base);
  if (refusal) { out.diagnostics.push({ severity: 'error', code: 'run.memory', message: refusal }); return out; }
  const keyed = stateDictTensors(rt, model);
  const state = new Map<TensorV, NdArray>();
  const shared = !!pool?.shared && typeof SharedArrayBuffer === 'function';
  const rng = new Rng(opts.seed ?? 0);
  if (opts.weights) {
    let report;
    try {
      const file = readWeights(opts.weights, opts.weightsName, { key: opts.weightsKey, expected: keyed });
      for (const note of file.notes) out.diagnostics.push({ severity: 'info', code: 'weights', message: `weights: ${note}` });
      report = loadStateDict(new Map([...keyed].map(([k, t]) => [k, t.shape as number[]])), file.tensors);
    } catch (e) {
      out.diagnostics.push({ severity: 'error', code: 'weights', message: `bad weights file: ${(e as Error).message}` });
      return out;
    }
    if (report.messages.length) {
      out.diagnostics.push({ severity: 'error', code: 'weights', message: `Error(s) in loading state_dict for ${model.cls.name}:\n\t${report.messages.join('\n\t')}` });
      return out;
    }
    for (const [k, t] of report.loaded) { const tv = keyed.get(k); if (tv) state.set(tv, toNd(t)); }
  } else {
    const alloc = shared ? (n: number) => new Float32Array(new SharedArrayBuffer(n * 4)) : undefined;
    for (const [tv, v] of initialState(rt, model, rng, alloc)) state.set(tv, v);
  }
  analysis.inputs.forEach((t, i) => {
    state.set(t, inputData?.[i] ?? { shape: t.shape as number[], data: rng.normalArray(numel(t.shape) ?? 0) });
  });
  const outputT = firstTensor(analysis.outputValue ?? null);
  const rowOutputs = rt.records.map((r) => tensorsOf(r.output)[0]).filter((t): t is TensorV => !!t);
  if (opts.variant) applyVariant([...rowOutputs, ...(outputT ? [outputT] : [])], opts.variant);
  if (shared && opts.weights) shareParameters(state);
  // the report holds no parameter gradient (only the rows' norms and, with keepTensors, the rows' gradients)
  const fresh = (): Executor => new Executor(opts.mode, state, opts.seed ?? 0, pool, true);
  return { out, exec: fresh(), fresh, analysis, outputT, rowOutputs };
}

/**
 * Moves loaded parameters into SharedArrayBuffers, once: the pool's workers then read conv weights in place
 * instead of getting a copy of every weight on every call, forward and backward (44 MB per pass on ResNet-18).
 * (Initialised parameters are made there directly: initialState's alloc.)
 */
function shareParameters(state: Map<TensorV, NdArray>): void {
  for (const [t, v] of state) {
    if (!t.isParam || v.data.buffer instanceof SharedArrayBuffer) continue;
    const data = new Float32Array(new SharedArrayBuffer(v.data.byteLength));
    data.set(v.data);
    state.set(t, { shape: v.shape, data });
  }
}

/** The model's state_dict as load_state_dict sees it: parameters and persistent buffers by key. */
export function stateDictTensors(rt: TorchRuntime, model: PyInstance): Map<string, TensorV> {
  const keyed = new Map<string, TensorV>();
  for (const [k, p] of rt.namedParameters(model)) keyed.set(k, p);
  for (const [k, b] of rt.namedBuffers(model)) if (!(b as TensorV & { nonPersistent?: boolean }).nonPersistent) keyed.set(k, b);
  return keyed;
}

function fail(out: RunReport, e: unknown): RunReport {
  out.diagnostics.push({ severity: 'error', code: 'run', message: e instanceof ExecError || e instanceof Error ? e.message : String(e) });
  return out;
}

const onesLike = (v: NdArray): NdArray => ({ shape: v.shape, data: new Float32Array(v.data.length).fill(1) });

/**
 * The output's and every row's statistics, taken when the forward is done: a releasing backward then
 * frees each forward value as soon as its gradient rule has used it (nothing is written in between, so
 * the figures are the ones the end of the run would see).
 */
function takeStats(p: Prepared): void {
  const { out, exec, analysis } = p;
  out.outputStats = stats(exec.value(p.outputT!).value);
  analysis.rt.records.forEach((r, i) => {
    const t = tensorsOf(r.output)[0];
    if (t) out.rows[i].stats = stats(exec.value(t).value);
  });
}

/** Whether backward may free forward values as it goes: not when the report hands out values (tensors, captures). */
const releasing = (opts: RunOptions): { release: boolean } => ({ release: !opts.keepTensors && !opts.capture });

/** Gradient norms, tensors, captures and BatchNorm buffers once forward (takeStats) and backward have run. */
function finish(p: Prepared, opts: RunOptions, grads: Map<unknown, NdArray>, norms: Map<GradNode, number>): RunReport {
  const { out, exec, analysis } = p;
  if (opts.keepTensors) out.tensors = [];
  if (opts.capture) out.captures = [];
  analysis.rt.records.forEach((r, i) => {
    const t = tensorsOf(r.output)[0];
    const row = out.rows[i];
    if (out.captures) out.captures[i] = t ? captureRow(exec, t) : undefined;
    if (!t) return;
    const n = exec.value(t);
    row.gradNorm = opts.backward === false ? null : norms.get(n) ?? 0;
    out.tensors?.push({ output: n.value, grad: grads.get(n) ?? null });
    const upd = opts.mode === 'train' ? exec.bnUpdates.get(r.inst) : undefined;
    if (upd) {
      row.runningMean = Array.from(exec.buffersAfter.get(upd.mean)!.data);
      row.runningVar = Array.from(exec.buffersAfter.get(upd.var)!.data);
    }
  });
  return out;
}

export function runModel(opts: RunOptions): RunReport {
  const p = prepare(opts);
  return 'exec' in p ? runPrepared(p, opts) : p;
}

function runPrepared(p: Prepared, opts: RunOptions): RunReport {
  const t0 = now();
  try { p.exec.run(roots(p)); } catch (e) { return fail(p.out, e); }
  markForward(p, t0);
  if (!p.outputT) return fail(p.out, new Error('the model returned no tensor'));
  takeStats(p);
  let grads: Map<unknown, NdArray>;
  if (opts.backward === false) return finish(p, opts, new Map(), new Map());
  const sink = normSink(opts), t1 = now();
  try { grads = backward(...backwardArgs(p, sink, opts.loss), releasing(opts)); } catch (e) { return fail(p.out, e); }
  p.out.timings.backwardMs = round2(now() - t1 - sink.ms);
  const out = finish(p, opts, grads, sink.norms);
  p.exec.nodes.clear(); // the first pass's graph is reported: free it before the repeats
  const warm: Array<[number, number]> = [];
  for (let i = 0; i < (opts.repeat ?? 0); i++) {
    // NOTE: the executor never writes its state (BatchNorm updates go to buffersAfter), so a fresh one
    // over the same state and seed repeats the first pass exactly; only its timings are kept.
    const q = { ...p, exec: p.fresh() };
    const s0 = now();
    try { q.exec.run(roots(q)); } catch (e) { return fail(out, e); }
    const s1 = now();
    try { backward(...backwardArgs(q, undefined, opts.loss), { release: true }); } catch (e) { return fail(out, e); }
    warm.push([s1 - s0, now() - s1]);
  }
  setWarm(out, warm);
  return out;
}

/** The medians of the repeated passes beside the first pass's timings. */
function setWarm(out: RunReport, warm: Array<[number, number]>): void {
  if (!warm.length) return;
  out.timings.warmForwardMs = round2(median(warm.map((w) => w[0])));
  out.timings.warmBackwardMs = round2(median(warm.map((w) => w[1])));
  out.timings.warmPasses = warm.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const roots = (p: Prepared): TensorV[] => [...p.rowOutputs, ...(p.outputT ? [p.outputT] : [])];

function markForward(p: Prepared, t0: number): void {
  p.out.timings.forwardMs = round2(now() - t0);
}

/** The rows' gradient norms, taken as backward reaches each row (and the time that took, not the model's). */
interface NormSink { norms: Map<GradNode, number>; ms: number; tensors: boolean }

const normSink = (opts: RunOptions): NormSink => ({ norms: new Map(), ms: 0, tensors: !!opts.keepTensors });

/**
 * loss = sum(output): the seed is ones. With a sink, each row's gradient norm is taken when backward
 * reaches it and the gradient itself is dropped there (kept only for keepTensors): holding every row's
 * gradient to the end would add another copy of the activations to the peak memory.
 */
function backwardArgs(p: Prepared, sink?: NormSink, loss?: LossSpec): [GradNode, NdArray, Keep] {
  const outNode = p.exec.value(p.outputT!);
  const rowNodes = new Set(p.rowOutputs.map((t) => p.exec.value(t)));
  let seed = onesLike(outNode.value);
  // another loss than the sum (the Inspector's cross-entropy against a class): its gradient at the output seeds backward
  if (loss && loss.kind !== 'sum') { const l = lossSeed(outNode.value, loss); seed = l.seed; p.out.loss = l.value; }
  return [outNode, seed, (n, g) => {
    if (!sink || !rowNodes.has(n)) return false;
    const t0 = now();
    sink.norms.set(n, l2(g));
    sink.ms += now() - t0;
    return sink.tensors;
  }];
}

/**
 * Forward MACs below which a run stays on the calling thread. A worker's start (bundle load, WebAssembly
 * compile, ~250 ms of the other core) overlaps the analysis when the host prestarts the pool, as the CLI
 * does, so what remains is the per-call cost of splitting (messages, copies), which a 1 GMAC model
 * (ResNet-18 is 1.8) outweighs: its convolutions, forward and backward, run on both cores.
 */
export const POOL_MIN_MACS = 1e9;

/**
 * Forward-only passes of one model over several inputs (`inputs[pass][i]` for the model's i-th input): one
 * analysis and one state, a fresh executor per pass (the Inspector's batch-size re-run: eight batches cost
 * eight forwards, not eight analyses). Each pass gets its own report, with captures when `opts.capture`.
 */
export function runForwardPasses(opts: RunOptions, inputs: NdArray[][]): RunReport[] {
  const p = prepare(opts);
  if (!('exec' in p)) return [p];
  const base = p.out;
  return inputs.map((xs, k) => {
    xs.forEach((x, i) => { const t = p.analysis.inputs[i]; if (t) p.exec.state.set(t, x); });
    const q: Prepared = { ...p, exec: p.fresh(), out: { ...base, rows: base.rows.map((r) => ({ ...r })), diagnostics: [...base.diagnostics], timings: { ...base.timings } } };
    const t0 = now();
    try { q.exec.run(roots(q)); } catch (e) { return fail(q.out, e); }
    markForward(q, t0);
    if (!q.outputT) return fail(q.out, new Error('the model returned no tensor'));
    takeStats(q);
    return finish(q, { ...opts, backward: false, keepTensors: k === 0 && opts.keepTensors }, new Map(), new Map());
  });
}

/** runModel with 2-d convolutions split over the threads of a compute pool (both cores) when the model is big enough. */
export async function runModelAsync(opts: RunOptions, pool: ComputePool, minMacs = POOL_MIN_MACS): Promise<RunReport> {
  const p = prepare(opts, pool);
  if (!('exec' in p)) return p;
  if ((p.out.totals.macs ?? Infinity) < minMacs) return runPrepared(p, opts);
  const t0 = now();
  try { await p.exec.runAsync(roots(p)); } catch (e) { return fail(p.out, e); }
  markForward(p, t0);
  if (!p.outputT) return fail(p.out, new Error('the model returned no tensor'));
  takeStats(p);
  let grads: Map<unknown, NdArray>;
  if (opts.backward === false) return finish(p, opts, new Map(), new Map());
  const sink = normSink(opts), t1 = now();
  try { grads = await backwardAsync(...backwardArgs(p, sink, opts.loss), releasing(opts)); } catch (e) { return fail(p.out, e); }
  p.out.timings.backwardMs = round2(now() - t1 - sink.ms);
  const out = finish(p, opts, grads, sink.norms);
  p.exec.nodes.clear();
  const warm: Array<[number, number]> = [];
  for (let i = 0; i < (opts.repeat ?? 0); i++) {
    const q = { ...p, exec: p.fresh() };
    const s0 = now();
    try { await q.exec.runAsync(roots(q)); } catch (e) { return fail(out, e); }
    const s1 = now();
    try { await backwardAsync(...backwardArgs(q, undefined, opts.loss), { release: true }); } catch (e) { return fail(out, e); }
    warm.push([s1 - s0, now() - s1]);
  }
  setWarm(out, warm);
  return out;
}

function round2(x: number): number { return Math.round(x * 100) / 100; }

/** The `layerlens run --json` document: the summary contract plus stats, gradNorm and buffers. */
export function runJson(r: RunReport): string {
  const num = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : String(x));
  const st = (s: Stats | null): string => (s ? `{"mean": ${num(s.mean)}, "std": ${num(s.std)}, "min": ${num(s.min)}, "max": ${num(s.max)}}` : 'null');
  const shape = (s: Shape | null): string => (s ? `[${s.map((d) => (d === null ? 'null' : d)).join(', ')}]` : 'null');
  const layers = r.rows.map((row) => {
    const lines = [
      `"name": ${JSON.stringify(row.name)}`, `"type": ${JSON.stringify(row.type)}`, `"output": ${shape(row.output)}`,
      `"params": ${row.params}`, `"macs": ${row.macs}`, `"stats": ${st(row.stats)}`, `"gradNorm": ${row.gradNorm === null ? 'null' : num(row.gradNorm)}`,
    ];
    if (row.runningMean) lines.push(`"runningMean": [${row.runningMean.map(num).join(', ')}]`, `"runningVar": [${row.runningVar!.map(num).join(', ')}]`);
    return `    {\n      ${lines.join(',\n      ')}\n    }`;
  });
  return [
    '{',
    `  "model": ${JSON.stringify(r.model)},`,
    `  "inputs": ${JSON.stringify(r.inputs).replace(/,/g, ', ')},`,
    `  "mode": "${r.mode}",`,
    `  "layers": [\n${layers.join(',\n')}\n  ],`,
    `  "totals": ${totalsJson(r.totals)},`,
    `  "outputStats": ${st(r.outputStats)},`,
    `  "timings": {"parseMs": ${r.timings.parseMs}, "analysisMs": ${r.timings.analysisMs}, "forwardMs": ${r.timings.forwardMs}, "backwardMs": ${r.timings.backwardMs}${warmJson(r)}}`,
    '}',
  ].join('\n');
}

function warmJson(r: RunReport): string {
  const t = r.timings;
  return t.warmPasses ? `, "warmForwardMs": ${t.warmForwardMs}, "warmBackwardMs": ${t.warmBackwardMs}, "warmPasses": ${t.warmPasses}` : '';
}

export type { Value, PyInstance };
export type { RunReport, RunRow, Stats } from '../api';
