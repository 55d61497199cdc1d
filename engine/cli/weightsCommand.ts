// `layerlens weights FILE`: every tensor of a weights file (safetensors or a PyTorch checkpoint) with
// its dtype, shape, numel and statistics, and — given the model's source — the load_state_dict
// comparison against the analysed model. Reads bytes through the CLI's host; runs no Python.
import { runAnalysis } from '../analysis/analyze';
import { fmtInt } from '../analysis/format';
import { loadStateDict, type StateDictReport } from '../io/stateDict';
import { readWeights, summarizeTensor, type TensorSummary, type WeightsFile } from '../io/weights';
import { WeightsError } from '../io/weightsError';
import { stateDictTensors } from '../run/run';
import { numel } from '../torch/tensor';
import type { SourceHost } from '../api';

export interface WeightsArgs {
  file: string;
  json: boolean;
  key?: string;
  modelFile?: string;
  model?: string;
  paths: string[];
}

export interface WeightsIO {
  host: SourceHost;
  readBytes(path: string): Uint8Array | undefined;
  out(s: string): void;
  err(s: string): void;
}

interface ModelCheck { expr: string; parameters: number; buffers: number; report: StateDictReport }

/** Builds the model (no forward trace) and lists its state_dict shapes; a message string on failure. */
function modelStateDict(a: WeightsArgs, modelFile: string, io: WeightsIO, searchPaths: string[]) {
  const an = runAnalysis({ file: modelFile, host: io.host, model: a.model, searchPaths, buildOnly: true });
  const err = an.report.diagnostics.find((d) => d.severity === 'error');
  if (!an.model || err) return err?.message ?? `could not build a model from ${a.modelFile}`;
  const keyed = stateDictTensors(an.rt, an.model);
  const params = new Set(an.rt.namedParameters(an.model).map(([k]) => k));
  let parameters = 0, buffers = 0;
  for (const [k, t] of keyed) { const n = numel(t.shape) ?? 0; if (params.has(k)) parameters += n; else buffers += n; }
  return { expr: an.report.model, keyed, parameters, buffers };
}

const num = (x: number): string => (Number.isNaN(x) ? '-' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4));
const shapeText = (s: number[]) => `[${s.join(', ')}]`;

function table(name: string, w: WeightsFile, rows: TensorSummary[], check?: ModelCheck): string {
  const what = w.format === 'safetensors' ? 'safetensors' : `PyTorch checkpoint${w.key ? `, state_dict under '${w.key}'` : ''}`;
  const head = ['Tensor', 'dtype', 'Shape', 'numel', 'min', 'max', 'mean', 'std'];
  const body = rows.map((r) => [r.name, r.dtype, shapeText(r.shape), fmtInt(r.numel), num(r.min), num(r.max), num(r.mean), num(r.std)]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) => c.map((s, i) => (i < 2 ? s.padEnd(width[i]) : s.padStart(width[i]))).join('  ');
  const sep = '='.repeat(width.reduce((a, b) => a + b, 0) + 2 * (width.length - 1));
  const total = rows.reduce((s, r) => s + r.numel, 0), floats = rows.filter((r) => r.dtype.startsWith('float') || r.dtype === 'bfloat16').reduce((s, r) => s + r.numel, 0);
  const out = [`Weights: ${name} (${what})`, ...w.notes.map((n) => `note: ${n}`), sep, line(head), sep, ...body.map(line), sep,
    `Tensors: ${rows.length}    Total values: ${fmtInt(total)} (${fmtInt(floats)} floating point)`];
  if (w.extras.length) out.push(`Other entries: ${w.extras.map((e) => `${e.key} = ${e.value}`).join(', ')}`);
  if (check) {
    out.push(`Model: ${check.expr}    parameters ${fmtInt(check.parameters)}, buffers ${fmtInt(check.buffers)}`);
    out.push(check.report.messages.length ? `load_state_dict(strict=True) would fail:\n  ${check.report.messages.join('\n  ')}` : 'load_state_dict(strict=True): <All keys matched successfully>');
  }
  return out.join('\n');
}

const jsonNum = (x: number) => (Number.isFinite(x) ? x : null);

function json(name: string, w: WeightsFile, rows: TensorSummary[], check?: ModelCheck): string {
  return JSON.stringify({
    file: name, format: w.format, key: w.key, notes: w.notes, extras: Object.fromEntries(w.extras.map((e) => [e.key, e.value])),
    tensors: rows.map((r) => ({ ...r, min: jsonNum(r.min), max: jsonNum(r.max), mean: jsonNum(r.mean), std: jsonNum(r.std) })),
    totals: { tensors: rows.length, numel: rows.reduce((s, r) => s + r.numel, 0) },
    ...(check ? {
      model: {
        expr: check.expr, parameters: check.parameters, buffers: check.buffers, missing: check.report.missing, unexpected: check.report.unexpected,
        mismatched: check.report.mismatched, messages: check.report.messages, ok: check.report.messages.length === 0,
      },
    } : {}),
  }, null, 2);
}

/** Runs `layerlens weights`; exit status 0 ok, 1 refused file or state_dict mismatch, 2 unreadable input. */
export function weightsCommand(a: WeightsArgs, abs: (p: string) => string, io: WeightsIO): number {
  const bytes = io.readBytes(abs(a.file));
  if (!bytes) { io.err(`layerlens: cannot read ${a.file}\n`); return 2; }
  if (a.modelFile && io.host.readFile(abs(a.modelFile)) === undefined) { io.err(`layerlens: cannot read ${a.modelFile}\n`); return 2; }
  const model = a.modelFile ? modelStateDict(a, abs(a.modelFile), io, a.paths.map(abs)) : undefined;
  if (typeof model === 'string') { io.err(`layerlens: ${model}\n`); return 2; }
  let w: WeightsFile;
  try {
    w = readWeights(bytes, a.file, { key: a.key, expected: model?.keyed });
  } catch (e) {
    if (!(e instanceof WeightsError)) throw e;
    io.err(`layerlens: ${a.file}: ${e.message}\n`);
    return 1;
  }
  const rows = [...w.tensors.values()].map(summarizeTensor);
  const check = model ? {
    expr: model.expr, parameters: model.parameters, buffers: model.buffers,
    report: loadStateDict(new Map([...model.keyed].map(([k, t]) => [k, t.shape as number[]])), w.tensors),
  } : undefined;
  io.out((a.json ? json(a.file, w, rows, check) : table(a.file, w, rows, check)) + '\n');
  return check && check.report.messages.length ? 1 : 0;
}
