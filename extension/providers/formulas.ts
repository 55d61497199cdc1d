// Text of the formulas a hover shows, written with the user's own numbers
// (`H_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112`). Pure: no vscode import.
// Never does shape arithmetic itself: output sizes come from engine/ops/convShape.ts, and every line is
// checked against the row the engine computed; a line that would disagree is left out, never shown.
import { ACTIVATIONS, convOutputSize, convTransposeOutputSize, fmtInt, poolOutputSize, samePadding } from '../../engine';
import type { ConfigValue, Row, Shape } from '../../engine';
import { l10n } from '../l10n';

const SPATIAL_NAMES: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };
/** Kernel factor names per spatial dim (`K_h·K_w`). */
const KERNEL_NAMES: Record<number, string[]> = { 1: ['K'], 2: ['K_h', 'K_w'], 3: ['K_d', 'K_h', 'K_w'] };

/** `name = factors = values = total`: each factor labelled, then the user's numbers (`MACs = N·C_out·… = 8·32·… = …`). */
function labelled(name: string, factors: string[], values: Array<number | string>, total: number, extra?: [string, number]): string {
  const tail = extra ? [` + ${extra[0]}`, ` + ${extra[1]}`] : ['', ''];
  return `${name} = ${factors.join('·')}${tail[0]} = ${values.join('·')}${tail[1]} = ${fmtInt(total)}`;
}

/** Formula lines for a row (output size per spatial dim, MACs, params); empty when none applies. */
export function layerFormulas(row: Row): string[] {
  const conv = /^Conv(\d)d$/.exec(row.type);
  if (conv) return convFormulas(row, Number(conv[1]));
  const convT = /^ConvTranspose(\d)d$/.exec(row.type);
  if (convT) return convTransposeFormulas(row, Number(convT[1]));
  const pool = /^(Max|Avg)Pool(\d)d$/.exec(row.type);
  if (pool) return poolFormulas(row, Number(pool[2]), pool[1] === 'Max');
  if (row.type === 'Linear') return linearFormulas(row);
  return [];
}

// ---------- config access (values may be scalars or tuples, as PyTorch accepts both) ----------

function cfg(row: Row, ...keys: string[]): ConfigValue | undefined {
  for (const k of keys) if (row.config[k] !== undefined) return row.config[k];
  return undefined;
}

function num(v: ConfigValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A per-dim tuple of `n` ints from a scalar, a 1-tuple or an n-tuple; `dflt` when absent or None. */
function tuple(v: ConfigValue | undefined, n: number, dflt?: number[]): number[] | undefined {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return Array(n).fill(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
    if (v.length === n) return v as number[];
    if (v.length === 1) return Array(n).fill(v[0]);
  }
  return undefined;
}

/** Padding before/after per dim; handles 'same' and 'valid' the way PyTorch does. */
function paddingPairs(v: ConfigValue | undefined, kernel: number[], dilation: number[]): Array<[number, number]> | undefined {
  if (v === 'valid') return kernel.map(() => [0, 0]);
  if (v === 'same') return kernel.map((k, i) => samePadding(k, dilation[i]));
  const p = tuple(v, kernel.length, kernel.map(() => 0));
  return p?.map((x) => [x, x]);
}

function known(shape: Shape | null | undefined): shape is number[] {
  return !!shape && shape.every((d) => d !== null);
}

/** Splits an input shape into batch, channels and spatial dims (unbatched inputs count as N = 1). */
function splitInput(shape: Shape | undefined, nSpatial: number): { n: number; c: number; spatial: number[] } | undefined {
  if (!known(shape) || shape.length < nSpatial + 1) return undefined;
  const off = shape.length - nSpatial;
  return { n: off >= 2 ? shape.slice(0, off - 1).reduce((a, b) => a * b, 1) : 1, c: shape[off - 1], spatial: shape.slice(off) };
}

function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

function padText([before, after]: [number, number]): string {
  return before === after ? `2·${before}` : `(${before} + ${after})`;
}

// ---------- layers ----------

function convFormulas(row: Row, nd: number): string[] {
  const inp = splitInput(row.inputs[0], nd);
  const out = row.output;
  const kernel = tuple(cfg(row, 'kernel_size'), nd);
  if (!inp || !known(out) || !kernel) return [];
  const stride = tuple(cfg(row, 'stride'), nd, Array(nd).fill(1));
  const dilation = tuple(cfg(row, 'dilation'), nd, Array(nd).fill(1));
  if (!stride || !dilation) return [];
  const pads = paddingPairs(cfg(row, 'padding'), kernel, dilation);
  const groups = num(cfg(row, 'groups')) ?? 1;
  if (!pads) return [];
  const outSpatial = out.slice(out.length - nd);
  const cout = num(cfg(row, 'out_channels')) ?? out[out.length - nd - 1];
  const lines: string[] = [];
  const names = SPATIAL_NAMES[nd];
  for (let i = 0; i < nd; i++) {
    const value = convOutputSize(inp.spatial[i], kernel[i], stride[i], pads[i][0] + pads[i][1], dilation[i]);
    if (value !== outSpatial[i]) return []; // our reading of the config disagrees with the engine: show nothing
    lines.push(`${names[i]}_out = ⌊(${inp.spatial[i]} + ${padText(pads[i])} − ${dilation[i]}·(${kernel[i]} − 1) − 1) / ${stride[i]}⌋ + 1 = ${value}`);
  }
  const macs = inp.n * cout * prod(outSpatial) * (inp.c / groups) * prod(kernel);
  if (row.macs !== null && macs === row.macs) {
    lines.push(labelled('MACs', ['N', 'C_out', ...names.map((n) => `${n}_out`), '(C_in/groups)', ...KERNEL_NAMES[nd]], [inp.n, cout, ...outSpatial, `(${inp.c}/${groups})`, ...kernel], macs));
  }
  const hasBias = row.paramShapes.some((p) => p.name === 'bias');
  const params = cout * (inp.c / groups) * prod(kernel) + (hasBias ? cout : 0);
  if (params === row.params) {
    lines.push(labelled('params', ['C_out', '(C_in/groups)', ...KERNEL_NAMES[nd]], [cout, `(${inp.c}/${groups})`, ...kernel], params, hasBias ? ['C_out', cout] : undefined));
  }
  return lines;
}

function convTransposeFormulas(row: Row, nd: number): string[] {
  const inp = splitInput(row.inputs[0], nd);
  const out = row.output;
  const kernel = tuple(cfg(row, 'kernel_size'), nd);
  if (!inp || !known(out) || !kernel) return [];
  const stride = tuple(cfg(row, 'stride'), nd, Array(nd).fill(1));
  const dilation = tuple(cfg(row, 'dilation'), nd, Array(nd).fill(1));
  const padding = tuple(cfg(row, 'padding'), nd, Array(nd).fill(0));
  const outPad = tuple(cfg(row, 'output_padding'), nd, Array(nd).fill(0));
  const groups = num(cfg(row, 'groups')) ?? 1;
  if (!stride || !dilation || !padding || !outPad) return [];
  const outSpatial = out.slice(out.length - nd);
  const cout = num(cfg(row, 'out_channels')) ?? out[out.length - nd - 1];
  const names = SPATIAL_NAMES[nd];
  const lines: string[] = [];
  for (let i = 0; i < nd; i++) {
    const value = convTransposeOutputSize(inp.spatial[i], kernel[i], stride[i], padding[i], dilation[i], outPad[i]);
    if (value !== outSpatial[i]) return [];
    lines.push(`${names[i]}_out = (${inp.spatial[i]} − 1)·${stride[i]} − 2·${padding[i]} + ${dilation[i]}·(${kernel[i]} − 1) + ${outPad[i]} + 1 = ${value}`);
  }
  const macs = inp.n * inp.c * prod(inp.spatial) * (cout / groups) * prod(kernel);
  if (row.macs !== null && macs === row.macs) {
    lines.push(labelled('MACs', ['N', 'C_in', ...names.map((n) => `${n}_in`), '(C_out/groups)', ...KERNEL_NAMES[nd]], [inp.n, inp.c, ...inp.spatial, `(${cout}/${groups})`, ...kernel], macs));
  }
  const hasBias = row.paramShapes.some((p) => p.name === 'bias');
  const params = inp.c * (cout / groups) * prod(kernel) + (hasBias ? cout : 0);
  if (params === row.params) {
    lines.push(labelled('params', ['C_in', '(C_out/groups)', ...KERNEL_NAMES[nd]], [inp.c, `(${cout}/${groups})`, ...kernel], params, hasBias ? ['C_out', cout] : undefined));
  }
  return lines;
}

function poolFormulas(row: Row, nd: number, isMax: boolean): string[] {
  const inp = splitInput(row.inputs[0], nd);
  const out = row.output;
  const kernel = tuple(cfg(row, 'kernel_size'), nd);
  if (!inp || !known(out) || !kernel) return [];
  const stride = tuple(cfg(row, 'stride'), nd, kernel); // PyTorch: stride defaults to kernel_size
  const padding = tuple(cfg(row, 'padding'), nd, Array(nd).fill(0));
  const dilation = isMax ? tuple(cfg(row, 'dilation'), nd, Array(nd).fill(1)) : Array(nd).fill(1);
  const ceil = cfg(row, 'ceil_mode') === true;
  if (!stride || !padding || !dilation) return [];
  const outSpatial = out.slice(out.length - nd);
  const names = SPATIAL_NAMES[nd];
  const [lo, hi] = ceil ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const lines: string[] = [];
  for (let i = 0; i < nd; i++) {
    const value = poolOutputSize(inp.spatial[i], kernel[i], stride[i], padding[i], dilation[i], ceil);
    if (value !== outSpatial[i]) return [];
    const naive = Math.ceil((inp.spatial[i] + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1) / stride[i]) + 1;
    // NOTE: with ceil_mode PyTorch drops a last window that would start inside the right padding.
    const dropped = ceil && naive !== value ? ' (last window would start in the padding: dropped)' : '';
    lines.push(`${names[i]}_out = ${lo}(${inp.spatial[i]} + 2·${padding[i]} − ${dilation[i]}·(${kernel[i]} − 1) − 1) / ${stride[i]}${hi} + 1 = ${value}${dropped}`);
  }
  return lines;
}

function linearFormulas(row: Row): string[] {
  const inShape = row.inputs[0];
  const out = row.output;
  if (!known(inShape) || !known(out) || out.length === 0) return [];
  const inF = num(cfg(row, 'in_features')) ?? inShape[inShape.length - 1];
  const outF = num(cfg(row, 'out_features')) ?? out[out.length - 1];
  const rows = prod(out) / outF;
  const lines: string[] = [];
  const macs = rows * inF * outF;
  if (row.macs !== null && macs === row.macs) {
    // N: every dim before the features (batch, sequence, …)
    lines.push(labelled('MACs', ['N', 'in_features', 'out_features'], [rows, inF, outF], macs));
  }
  const hasBias = row.paramShapes.some((p) => p.name === 'bias');
  const params = outF * inF + (hasBias ? outF : 0);
  if (params === row.params) lines.push(labelled('params', ['out_features', 'in_features'], [outF, inF], params, hasBias ? ['out_features', outF] : undefined));
  return lines;
}

// ---------- normalization ----------

/** What a BatchNorm row normalizes over, its parameters and buffers, with the user's numbers. */
export function batchNormNotes(row: Row): string[] {
  const m = /^BatchNorm(\d)d$/.exec(row.type);
  const shape = row.inputs[0];
  if (!m || !known(shape) || shape.length < 2) return [];
  const c = num(cfg(row, 'num_features')) ?? shape[1];
  const rest = [shape[0], ...shape.slice(2)];
  const names = ['N', ...(SPATIAL_NAMES[shape.length - 2] ?? shape.slice(2).map((_, i) => `d${i}`))];
  const perChannel = prod(rest);
  const eps = num(cfg(row, 'eps')) ?? 1e-5;
  const momentum = cfg(row, 'momentum');
  const affine = cfg(row, 'affine') !== false;
  const track = cfg(row, 'track_running_stats') !== false;
  const lines = [
    // one factor (BatchNorm1d over [N, C]): `over N = 32 values`, not `N = 32 = 32`
    rest.length === 1 ? `normalizes each of C = ${c} channels over N = ${fmtInt(perChannel)} values` : l10n.t('normalizes each of C = {0} channels over {1} = {2} = {3} values', c, names.join('·'), rest.join('·'), fmtInt(perChannel)),
    affine ? l10n.t('params = 2·{0} = {1} (γ = weight [{0}], β = bias [{0}])', c, fmtInt(2 * c)) : l10n.t('params = 0 (affine=False)'),
  ];
  if (track) {
    lines.push(l10n.t('buffers (not parameters): running_mean [{0}], running_var [{0}], num_batches_tracked []', c));
    lines.push(`eval: y = (x − running_mean) / √(running_var + ε)${affine ? ' · γ + β' : ''},  ε = ${eps}`);
    lines.push(l10n.t('train: batch mean and biased variance over those {0} values; running stats move by momentum {1}', fmtInt(perChannel), momentum === null ? l10n.t('None (cumulative average)') : String(num(momentum) ?? 0.1)));
  } else {
    lines.push(l10n.t('{0} with batch statistics in train and eval,  ε = {1}', `y = (x − mean) / √(var + ε)${affine ? ' · γ + β' : ''}`, eps));
  }
  return lines;
}

// ---------- dropout ----------

/** What a Dropout row does with its p (identity in the eval-mode trace the numbers come from). */
export function dropoutNotes(row: Row): string[] {
  if (!/^(Alpha|FeatureAlpha)?Dropout(\d?d)?$/.test(row.type)) return [];
  const p = num(cfg(row, 'p')) ?? 0.5;
  const what = /\dd$/.test(row.type) ? 'each whole channel' : 'each element';
  const scale = p < 1 ? ` and the rest scaled by 1/(1 − p) = ${+(1 / (1 - p)).toFixed(4)}` : '';
  return [`p = ${p}: in training ${what} is zeroed with probability ${p}${row.type.includes('Alpha') ? ' (kept self-normalizing)' : scale}`, 'in eval (what these numbers are): the identity'];
}

// ---------- activations ----------

export interface ActivationNote {
  f: string;
  df: string;
  caution: string;
}

// The engine's layer catalogue holds f, f′ and the caution of each element-wise activation; the two
// normalizing ones are not element-wise and are described here.
const SOFTMAX_NOTES: Record<string, ActivationNote> = {
  Softmax: { f: 'softmax(x)_i = e^(x_i) / Σ_j e^(x_j) along `dim`', df: '∂s_i/∂x_j = s_i(δ_ij − s_j)', get caution() { return l10n.t('do not put it before nn.CrossEntropyLoss: that loss applies log-softmax itself.'); } },
  LogSoftmax: { f: 'logsoftmax(x)_i = x_i − ln Σ_j e^(x_j) along `dim`', df: '∂f_i/∂x_j = δ_ij − softmax(x)_j', get caution() { return l10n.t('pair it with nn.NLLLoss, not nn.CrossEntropyLoss.'); } },
};

export function activationNote(type: string): ActivationNote | undefined {
  const a = ACTIVATIONS.find((x) => x.name === type);
  // the caution is the catalogue's English text, translated by the bundle (test/release/l10n.test.ts adds
  // the catalogue's notes to the keys every bundle must have)
  if (a) return { f: a.f.includes('=') ? a.f : `${type}(x) = ${a.f}`, df: a.df.includes('=') || !a.df ? a.df : `${type}′(x) = ${a.df}`, caution: a.note ? l10n.t(a.note) : '' };
  return SOFTMAX_NOTES[type];
}
