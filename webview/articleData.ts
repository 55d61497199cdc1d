// The engine worker's side of the article views (convolution step-through, BatchNorm, activations): turns a
// run's per-row captures (engine/run/inspect.ts) into the plain data the views draw — one sample's conv
// input, weights and output with the geometry resolved by engine/ops (convGeometry, convOutputSize), BN's
// statistics and per-channel histograms, activation curves through the kernels. Runs in the worker only.
import { activationCurve, activationGrad, type RowCapture, type RunReport } from '../engine';
import { convOutputSize } from '../engine/ops/convShape';
import { convGeometry } from '../engine/ops/conv2d';
import type { NdArray } from '../engine/ops/tensor';
import type { ActivationData, BatchNormData, ChannelHistograms, ConvGeometryMsg, ConvStepData, RowTensors } from './protocol';

export const BINS = 48;
/** |f′(x)| below this is a saturated (for ReLU: dead) input. */
export const SATURATION = 0.05;
const SAMPLE_XS = [-3, -1, 0, 1, 3];

/** Sample `n` of an [N, ...] tensor as its own [...] tensor (a copy: its buffer is transferred). */
function sampleOf(a: NdArray, n: number): { shape: number[]; data: Float32Array } {
  const inner = a.shape.slice(1).reduce((p, q) => p * q, 1);
  return { shape: a.shape.slice(1), data: a.data.slice(n * inner, (n + 1) * inner) };
}

/**
 * The array itself when it is a whole buffer of its own (a parameter the run initialised: nothing uses it
 * after the run, so its buffer can be transferred), else a copy (a view into a weights file's bytes).
 */
function own(a: Float32Array): Float32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

export function convStep(cap: RowCapture, output: NdArray, sample = 0): ConvStepData | undefined {
  const [x, w, b] = cap.args;
  if (cap.op !== 'conv2d' || !x || !w || x.shape.length !== 4) return undefined;
  const kernel = w.shape.slice(2);
  const g = convGeometry(kernel, cap.attrs as never);
  const [inH, inW] = x.shape.slice(2);
  const geometry: ConvGeometryMsg = {
    inChannels: x.shape[1], inH, inW, outChannels: w.shape[0],
    outH: convOutputSize(inH, kernel[0], g.stride[0], g.padding[0][0] + g.padding[0][1], g.dilation[0]),
    outW: convOutputSize(inW, kernel[1], g.stride[1], g.padding[1][0] + g.padding[1][1], g.dilation[1]),
    kernel, stride: g.stride, padding: g.padding.map(([a, c]) => [a, c] as [number, number]), dilation: g.dilation, groups: Number(cap.attrs.groups ?? 1),
  };
  const s = Math.min(sample, x.shape[0] - 1);
  return { input: sampleOf(x, s), weight: { shape: [...w.shape], data: own(w.data) }, bias: b ? b.data.slice() : null, output: sampleOf(output, s), geometry, sample: s };
}

/** Per-channel histograms of an [N, C, *] tensor: one pass for the range and the mean, one for the counts and the spread. */
function histograms(a: NdArray): ChannelHistograms {
  const N = a.shape[0], C = a.shape[1], S = a.shape.slice(2).reduce((p, q) => p * q, 1), d = a.data;
  const lo = new Float32Array(C), hi = new Float32Array(C), mean = new Float32Array(C), std = new Float32Array(C), counts = new Uint32Array(C * BINS);
  for (let c = 0; c < C; c++) {
    let l = Infinity, h = -Infinity, s = 0;
    for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) { const x = d[i]; if (x < l) l = x; if (x > h) h = x; s += x; }
    const m = s / (N * S);
    if (!(h > l)) h = l + 1;
    const k = BINS / (h - l), base = c * BINS, top = BINS - 1;
    let q = 0;
    for (let n = 0; n < N; n++) for (let i = (n * C + c) * S, e = i + S; i < e; i++) {
      const x = d[i], b = ((x - l) * k) | 0;
      q += (x - m) * (x - m);
      counts[base + (b > top ? top : b)]++;
    }
    lo[c] = l; hi[c] = h; mean[c] = m; std[c] = Math.sqrt(q / (N * S));
  }
  return { bins: BINS, lo, hi, counts, mean, std };
}

/**
 * x̂ = (x − μ)·s per channel with s = 1/√(σ² + ε) > 0: an increasing affine map, so x̂'s histogram is x's
 * with the bin edges mapped (the same counts), and its mean and std are x's mapped.
 */
function mapped(h: ChannelHistograms, mu: ArrayLike<number>, scale: ArrayLike<number>): ChannelHistograms {
  const C = h.lo.length, lo = new Float32Array(C), hi = new Float32Array(C), mean = new Float32Array(C), std = new Float32Array(C);
  for (let c = 0; c < C; c++) { lo[c] = (h.lo[c] - mu[c]) * scale[c]; hi[c] = (h.hi[c] - mu[c]) * scale[c]; mean[c] = (h.mean[c] - mu[c]) * scale[c]; std[c] = h.std[c] * scale[c]; }
  return { bins: h.bins, lo, hi, counts: h.counts.slice(), mean, std };
}

export function batchNormData(cap: RowCapture, output: NdArray, training: boolean): BatchNormData | undefined {
  const [x, w, b, rm, rv] = cap.args;
  if (cap.op !== 'batch_norm' || !x || !cap.batchStats) return undefined;
  const eps = Number(cap.attrs.eps ?? 1e-5);
  const useBatch = training || !rm || !rv;
  const mu = useBatch ? cap.batchStats.mean : rm!.data, va = useBatch ? cap.batchStats.var : rv!.data;
  const C = x.shape[1];
  const scale = new Float64Array(C);
  for (let c = 0; c < C; c++) scale[c] = 1 / Math.sqrt(va[c] + eps);
  const f = (a: NdArray | null | undefined) => (a ? Float32Array.from(a.data) : null);
  return {
    training: useBatch, eps, momentum: cap.attrs.momentum === null ? null : Number(cap.attrs.momentum ?? 0.1),
    count: x.data.length / C,
    batchMean: Float32Array.from(cap.batchStats.mean), batchVar: Float32Array.from(cap.batchStats.var),
    runningMean: f(rm), runningVar: f(rv), runningMeanAfter: f(cap.buffersAfter?.mean), runningVarAfter: f(cap.buffersAfter?.var),
    weight: f(w), bias: f(b),
    ...((pre) => ({ pre, norm: mapped(pre, mu, scale), post: histograms(output) }))(histograms(x)),
  };
}

export function activationData(cap: RowCapture): ActivationData | undefined {
  const x = cap.args[0];
  if (!x || cap.op === 'conv2d' || cap.op === 'batch_norm' || /^conv/.test(cap.op)) return undefined;
  const d = x.data;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < d.length; i++) { if (d[i] < lo) lo = d[i]; if (d[i] > hi) hi = d[i]; }
  if (!(hi > lo)) hi = lo + 1;
  // the curve over the inputs' range and at least [−6, 6], where the saturating activations flatten out
  const a = Math.min(-6, lo), z = Math.max(6, hi), n = 241;
  const xs = Float32Array.from({ length: n }, (_, i) => a + ((z - a) * i) / (n - 1));
  const attrs = Object.fromEntries(Object.entries(cap.attrs).filter(([, v]) => typeof v === 'number' || typeof v === 'string')) as Record<string, number | string>;
  const { f, df } = activationCurve(cap.op, attrs, xs);
  const counts = new Uint32Array(BINS), k = BINS / (hi - lo), top = BINS - 1;
  for (let i = 0; i < d.length; i++) { const b = ((d[i] - lo) * k) | 0; counts[b > top ? top : b]++; }
  // f′ at the actual inputs, through the same kernel
  const grad = activationGrad(cap.op, attrs, d);
  const C = x.shape.length >= 2 ? x.shape[1] : 1, N = x.shape.length >= 2 ? x.shape[0] : 1, S = d.length / (N * C);
  const per = new Float32Array(C);
  let sat = 0;
  for (let n0 = 0; n0 < N; n0++) {
    for (let c = 0; c < C; c++) {
      let k0 = 0;
      for (let i = (n0 * C + c) * S, e = i + S; i < e; i++) { const g = grad[i]; if (g < SATURATION && g > -SATURATION) k0++; }
      per[c] += k0; sat += k0;
    }
  }
  let dead = 0;
  for (let c = 0; c < C; c++) { per[c] /= N * S; if (per[c] === 1) dead++; }
  const at = activationCurve(cap.op, attrs, Float32Array.from(SAMPLE_XS));
  return {
    op: cap.op, attrs, xs, f, df, hist: { lo, hi, counts }, threshold: SATURATION, saturatedShare: sat / d.length, channelSaturated: per, deadChannels: dead,
    samples: SAMPLE_XS.map((x0, i) => ({ x: x0, f: at.f[i], df: at.df[i] })),
  };
}

/** The article views' data for each row of a run with captures (undefined entries for other rows). */
export function articleData(report: Pick<RunReport, 'captures' | 'mode' | 'rows'>, outputs: NdArray[]): Array<Pick<RowTensors, 'conv' | 'batchNorm' | 'activation'>> {
  return report.rows.map((_, i) => {
    const cap = report.captures?.[i], out = outputs[i];
    if (!cap || !out) return {};
    if (cap.op === 'conv2d') return { conv: convStep(cap, out) };
    if (cap.op === 'batch_norm') return { batchNorm: batchNormData(cap, out, report.mode === 'train' || cap.attrs.training === true) };
    return { activation: activationData(cap) };
  });
}
