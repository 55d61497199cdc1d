// Per-channel statistics of a row's output (channel = dim 1, over the batch and every other dim), computed
// in the engine worker beside the run so the feature-map view only formats them. One flat pass per tensor.
import type { ChannelStats, TensorMessage } from './protocol';

export function channelStats(t: TensorMessage): ChannelStats {
  const { shape, data } = t;
  const batch = shape.length >= 2 ? shape[0] : 1;
  const c = shape.length >= 2 ? shape[1] : 1;
  const inner = shape.length >= 2 ? shape.slice(2).reduce((a, b) => a * b, 1) : data.length;
  const mean = new Float32Array(c), std = new Float32Array(c), min = new Float32Array(c).fill(Infinity), max = new Float32Array(c).fill(-Infinity);
  const sum = new Float64Array(c), sq = new Float64Array(c);
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (b * c + ch) * inner;
      let s = 0, lo = min[ch], hi = max[ch];
      for (let i = 0; i < inner; i++) { const v = data[base + i]; s += v; if (v < lo) lo = v; if (v > hi) hi = v; }
      sum[ch] += s; min[ch] = lo; max[ch] = hi;
    }
  }
  const count = batch * inner;
  for (let ch = 0; ch < c; ch++) mean[ch] = sum[ch] / count;
  // NOTE: two passes (mean, then squared deviations) as run.ts's stats() does, so a channel's std matches it.
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (b * c + ch) * inner, m = mean[ch];
      let s = 0;
      for (let i = 0; i < inner; i++) { const e = data[base + i] - m; s += e * e; }
      sq[ch] += s;
    }
  }
  for (let ch = 0; ch < c; ch++) std[ch] = Math.sqrt(sq[ch] / count);
  return { mean, std, min, max };
}
