// Text of the formulas a hover shows, written with the user's own numbers
// (`H_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112`). Pure: no vscode import.
// Only formats what the engine resolved and put on the row (row.geometry, row.cost): no shape arithmetic,
// no reading of the constructor config. A line that would disagree with the row is left out, never shown.
import { ACTIVATIONS, fmtInt } from '../../engine';
import type { ConfigValue, CostFactor, CostTerms, LayerGeometry, Row, Shape } from '../../engine';
import { l10n } from '../l10n';

const SPATIAL_NAMES: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/** Formula lines for a row (output size per spatial dim, MACs, params); empty when none applies. */
export function layerFormulas(row: Row): string[] {
  const g = row.geometry;
  if (g) {
    const sizes = outputSizeLines(row, g);
    return sizes.length ? [...sizes, ...costLines(row, row.cost)] : [];
  }
  return costLines(row, row.cost);
}

function known(shape: Shape | null | undefined): shape is number[] {
  return !!shape && shape.every((d) => d !== null);
}

function padText([before, after]: [number, number]): string {
  return before === after ? `2·${before}` : `(${before} + ${after})`;
}

/** One line per spatial dim; none when a size is unknown or disagrees with the row's output shape. */
function outputSizeLines(row: Row, g: LayerGeometry): string[] {
  const nd = g.kernel.length;
  const out = row.output;
  if (!known(out) || !known(g.inputSize) || !known(g.outputSize)) return [];
  const outSpatial = out.slice(out.length - nd);
  const names = SPATIAL_NAMES[nd];
  const lines: string[] = [];
  for (let i = 0; i < nd; i++) {
    const [w, k, s, d, v] = [g.inputSize[i], g.kernel[i], g.stride[i], g.dilation[i], g.outputSize[i]];
    if (v !== outSpatial[i]) return [];
    if (g.op === 'conv') {
      lines.push(`${names[i]}_out = ⌊(${w} + ${padText(g.padding[i])} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1 = ${v}`);
    } else if (g.op === 'conv_transpose') {
      lines.push(`${names[i]}_out = (${w} − 1)·${s} − 2·${g.padding[i][0]} + ${d}·(${k} − 1) + ${g.outputPadding?.[i] ?? 0} + 1 = ${v}`);
    } else {
      const [lo, hi] = g.ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
      // NOTE: with ceil_mode PyTorch drops a last window that would start inside the right padding.
      const dropped = g.droppedLastWindow?.[i] ? ' (last window would start in the padding: dropped)' : '';
      lines.push(`${names[i]}_out = ${lo}(${w} + ${padText(g.padding[i])} − ${d}·(${k} − 1) − 1) / ${s}${hi} + 1 = ${v}${dropped}`);
    }
  }
  return lines;
}

/** `(3/1)` in a MAC product: the per-group quotient is always written out. */
function macFactor(f: CostFactor): string {
  return f.den !== undefined ? `(${f.num}/${f.den})` : String(f.value);
}

function product(fs: readonly CostFactor[]): number {
  return fs.reduce((p, f) => p * f.value, 1);
}

/** A factor's label in a formula: `(C_in/groups)` for a quotient, else its name (`C_out`, `K_h`, `N`). */
function label(f: CostFactor): string {
  if (f.name.includes('/')) return `(${f.name})`;
  return f.name === 'K_L' ? 'K' : f.name.replace(/^K_([DHW])$/, (_, c: string) => `K_${c.toLowerCase()}`);
}

/**
 * `MACs = N·C_out·H_out·W_out·(C_in/groups)·K_h·K_w = 8·32·32·32·(3/1)·3·3 = …` and `params = …`: each
 * factor labelled, then the user's numbers; each line only when it equals the row's count.
 */
function costLines(row: Row, cost: CostTerms | undefined): string[] {
  if (!cost) return [];
  const lines: string[] = [];
  const macs = product(cost.macs);
  if (row.macs !== null && macs === row.macs) {
    lines.push(`MACs = ${cost.macs.map(label).join('·')} = ${cost.macs.map(macFactor).join('·')} = ${fmtInt(macs)}`);
  }
  const params = product(cost.weight) + cost.bias;
  if (params === row.params) {
    // the bias has one element per output channel / feature
    const biasName = cost.weight.some((f) => f.name === 'C_out' || f.name === 'C_out/groups') ? 'C_out' : label(cost.weight[0]);
    const bias = cost.bias ? [` + ${biasName}`, ` + ${cost.bias}`] : ['', ''];
    lines.push(`params = ${cost.weight.map(label).join('·')}${bias[0]} = ${cost.weight.map(macFactor).join('·')}${bias[1]} = ${fmtInt(params)}`);
  }
  return lines;
}

// ---------- config access for the notes (values may be scalars or tuples, as PyTorch accepts both) ----------

function cfg(row: Row, ...keys: string[]): ConfigValue | undefined {
  for (const k of keys) if (row.config[k] !== undefined) return row.config[k];
  return undefined;
}

function num(v: ConfigValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function prod(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
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
    rest.length === 1 ? l10n.t('normalizes each of C = {0} channels over N = {1} values', c, fmtInt(perChannel)) : l10n.t('normalizes each of C = {0} channels over {1} = {2} = {3} values', c, names.join('·'), rest.join('·'), fmtInt(perChannel)),
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
  const channel = /\dd$/.test(row.type), k = +(1 / (1 - p)).toFixed(4);
  // whole sentences per case, for the translations
  const training = row.type.includes('Alpha')
    ? (channel ? l10n.t('p = {0}: in training each whole channel is zeroed with probability {0} (kept self-normalizing)', p) : l10n.t('p = {0}: in training each element is zeroed with probability {0} (kept self-normalizing)', p))
    : p < 1
      ? (channel ? l10n.t('p = {0}: in training each whole channel is zeroed with probability {0} and the rest scaled by 1/(1 − p) = {1}', p, k) : l10n.t('p = {0}: in training each element is zeroed with probability {0} and the rest scaled by 1/(1 − p) = {1}', p, k))
      : (channel ? l10n.t('p = {0}: in training each whole channel is zeroed with probability {0}', p) : l10n.t('p = {0}: in training each element is zeroed with probability {0}', p));
  return [training, l10n.t('in eval (what these numbers are): the identity')];
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
