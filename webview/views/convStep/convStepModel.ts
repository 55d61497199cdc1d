// What one convolution window computes, from the plain data the worker sent (one sample's input, the
// weights, the geometry the engine resolved): the window's values per input channel (zeros in the padding),
// the filter's weights, their products and sums, plus the bias. This is the picture the step-through draws;
// the engine's own output for the cell comes with the data and is shown beside it, never replaced.
import type { ConvStepData } from '../../protocol';

export interface ChannelWindow { c: number; values: number[]; weights: number[]; products: number[]; sum: number }

export interface WindowCalc {
  filter: number;
  /** Output cell. */
  oy: number; ox: number;
  /** Top-left input coordinate of the window (negative inside the padding). */
  iy: number; ix: number;
  channels: ChannelWindow[];
  bias: number;
  /** Σ channels + bias. */
  total: number;
  /** The engine's conv2d output at this cell. */
  engine: number;
}

export function cells(d: ConvStepData): number { return d.geometry.outH * d.geometry.outW; }

export function windowAt(d: ConvStepData, filter: number, position: number): WindowCalc {
  const g = d.geometry;
  const [kh, kw] = g.kernel, [sh, sw] = g.stride, [dh, dw] = g.dilation;
  const oy = Math.floor(position / g.outW), ox = position % g.outW;
  const iy = oy * sh - g.padding[0][0], ix = ox * sw - g.padding[1][0];
  const perGroup = g.inChannels / g.groups, group = Math.floor(filter / (g.outChannels / g.groups));
  const channels: ChannelWindow[] = [];
  let total = 0;
  for (let j = 0; j < perGroup; j++) {
    const c = group * perGroup + j;
    const values: number[] = [], weights: number[] = [], products: number[] = [];
    let sum = 0;
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const y = iy + a * dh, x = ix + b * dw;
        const v = y >= 0 && y < g.inH && x >= 0 && x < g.inW ? d.input.data[(c * g.inH + y) * g.inW + x] : 0;
        const w = d.weight.data[((filter * perGroup + j) * kh + a) * kw + b];
        values.push(v); weights.push(w); products.push(v * w);
        sum += v * w;
      }
    }
    channels.push({ c, values, weights, products, sum });
    total += sum;
  }
  const bias = d.bias ? d.bias[filter] : 0;
  return { filter, oy, ox, iy, ix, channels, bias, total: total + bias, engine: d.output.data[(filter * g.outH + oy) * g.outW + ox] };
}
