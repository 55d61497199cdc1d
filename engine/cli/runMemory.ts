// What `layerlens run` will allocate, from the static analysis alone (before any tensor exists), and the
// `--max-memory` sizes it is compared with. A lower bound: intermediate values of functional calls are
// not counted, so a run refused here would certainly not fit.
import type { InputDtype, Report } from '../api';

export interface RunMemory {
  /** Parameters and buffers, and the parameters' gradients. */
  weightBytes: number;
  /** Inputs and every layer's output (kept for the backward pass), and their gradients. */
  activationBytes: number;
  total: number;
  /** False when some layer's output size is unknown (the figure then counts only the known ones). */
  complete: boolean;
}

const DTYPE_BYTES: Record<InputDtype, number> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

/** The run's memory as the static analysis sees it: weights + their gradients, activations + their gradients. */
export function runMemory(r: Report): RunMemory {
  const t = r.totals;
  const inputBytes = r.inputs.reduce((s, shape, i) => s + shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[r.inputDtypes?.[i] ?? 'float32'], 0);
  const lowerAct = t.activationBytes ?? r.rows.reduce((s, row) => s + (typeof row.outputBytes === 'number' ? row.outputBytes : 0), 0);
  const weightBytes = 2 * t.paramBytes + t.bufferBytes;
  const activationBytes = 2 * (lowerAct + inputBytes);
  return { weightBytes, activationBytes, total: weightBytes + activationBytes, complete: t.activationBytes !== null };
}

const UNITS: Record<string, number> = {
  b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/** `8GB`, `512MB`, `1.5GiB`, `4000000000` (bytes): a byte count, or undefined when it is not one of these. */
export function parseByteSize(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(v);
  if (!m) return undefined;
  const unit = UNITS[(m[2] || 'b').toLowerCase()];
  const n = Number(m[1]) * (unit ?? NaN);
  return Number.isFinite(n) && n >= 1 && n <= 2 ** 60 ? Math.floor(n) : undefined;
}

/** 8.59 GB (decimal units, as `--max-memory 8GB` reads). */
export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0, x = n;
  while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
  return i === 0 ? `${n} B` : `${x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)} ${units[i]}`;
}

/** The refusal message when the run would need more than `limit` bytes; undefined when it fits. */
export function memoryRefusal(r: Report, limit: number, limitSource: string): string | undefined {
  const m = runMemory(r);
  if (m.total <= limit) return undefined;
  const atLeast = m.complete ? '' : 'at least ';
  return `this run needs ${atLeast}${fmtBytes(m.total)} (parameters, buffers and gradients ${fmtBytes(m.weightBytes)}; `
    + `inputs, layer outputs and their gradients ${fmtBytes(m.activationBytes)}), more than the limit of ${fmtBytes(limit)} ${limitSource}; `
    + `nothing was allocated. Use a smaller --input, or raise the limit with --max-memory (e.g. --max-memory ${suggest(m.total)})`;
}

function suggest(total: number): string {
  const gb = Math.ceil((total * 1.1) / 1e9);
  return gb >= 1000 ? `${Math.ceil(gb / 1000)}TB` : `${gb}GB`;
}
