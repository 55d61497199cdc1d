// conv2d forward and backward over the threads of a compute pool. Splits the batch when it has a sample
// per thread, else the output channels (forward, when the weights outweigh the column buffer) or the
// output rows into bands; every part is an ordinary conv2d call on a slice (a band reads its input rows
// with adjusted top/bottom padding), so workers run the same synchronous kernel.

import {
  conv2d, conv2dBackward, conv2dBiasGrad, conv2dInto, conv2dOutputShape, conv2dWeightGrad, convGeometry,
  type Conv2dAttrs, type ConvArgs, type ConvEpilogue, type ConvGradsInto,
} from '../conv2d';
import { numel, type NdArray } from '../tensor';
import { splitRange } from './parallelGemm';
import type { ComputePool } from './pool';

/** Below this many MACs one thread is faster than splitting (messages, copies). */
const PARALLEL_MIN_MACS = 1 << 21;

/**
 * One part of the work: batch samples [n0, n1), output channels [c0, c1) and output rows [oy0, oy1),
 * which read input rows [iy0, iy1).
 */
interface Part { n0: number; n1: number; c0: number; c1: number; oy0: number; oy1: number; iy0: number; iy1: number; attrs: Conv2dAttrs }

function parts(x: readonly number[], w: readonly number[], attrs: Conv2dAttrs, threads: number, channels: boolean): Part[] | null {
  const out = conv2dOutputShape(x, w, attrs);
  const [N, , H] = x, [, Co, Ho, Wo] = out;
  if (threads <= 1 || numel(out) * numel(w.slice(1)) < PARALLEL_MIN_MACS) return null;
  const whole = { n0: 0, n1: N, c0: 0, c1: Co, oy0: 0, oy1: Ho, iy0: 0, iy1: H, attrs };
  if (N >= threads) return splitRange(N, threads).map(([n0, n1]) => ({ ...whole, n0, n1 }));
  // Rows repeat the weight packing per thread, channels repeat im2col: split the smaller repeat.
  if (channels && N === 1 && (attrs.groups ?? 1) === 1 && Ho * Wo < Co) {
    return splitRange(Co, threads, 4).map(([c0, c1]) => ({ ...whole, c0, c1 }));
  }
  if (Ho < threads) return null;
  const geo = convGeometry(w.slice(2), attrs);
  const [sh, dh, kh, [pt]] = [geo.stride[0], geo.dilation[0], geo.kernel[0], geo.padding[0]];
  const bands: Part[] = [];
  for (const [oy0, oy1] of splitRange(Ho, threads)) {
    const iy0 = Math.max(0, oy0 * sh - pt), iy1 = Math.min(H, (oy1 - 1) * sh - pt + (kh - 1) * dh + 1);
    if (iy1 <= iy0) return null;
    // The band's own padding: what its first output row reads above iy0, and what its last reads below iy1.
    const top = pt - oy0 * sh + iy0, bottom = (oy1 - oy0 - 1) * sh + (kh - 1) * dh + 1 - (iy1 - iy0) - top;
    const padding: Array<[number, number]> = [[top, bottom], geo.padding[1]];
    bands.push({ ...whole, oy0, oy1, iy0, iy1, attrs: { stride: geo.stride, dilation: geo.dilation, groups: attrs.groups, padding } });
  }
  return bands;
}

/** Rows [r0, r1) of every [n, c] plane (H×W) of an [N, C, H, W] array for samples [n0, n1), compact. */
function rowsOf(t: NdArray, n0: number, n1: number, r0: number, r1: number, dst: Float32Array): NdArray {
  const [, C, H, W] = t.shape, len = (r1 - r0) * W;
  if (r0 === 0 && r1 === H) dst.set(t.data.subarray(n0 * C * H * W, n1 * C * H * W));
  else for (let p = 0; p < (n1 - n0) * C; p++) {
    const s = ((n0 * C + p) * H + r0) * W;
    dst.set(t.data.subarray(s, s + len), p * len);
  }
  return { shape: [n1 - n0, C, r1 - r0, W], data: dst };
}

/**
 * Adds (or, with `set`, copies) a compact [n1−n0, c1−c0, r1−r0, W] part into samples [n0, n1), channels
 * [c0, c1) (all by default) and rows [r0, r1) of an [N, C, H, W] array.
 */
function putRows(part: Float32Array, t: NdArray, n0: number, n1: number, r0: number, r1: number, set: boolean, c0 = 0, c1 = t.shape[1]): void {
  const [, C, H, W] = t.shape, len = (r1 - r0) * W;
  let s = 0;
  for (let n = n0; n < n1; n++) for (let c = c0; c < c1; c++, s += len) {
    const d = ((n * C + c) * H + r0) * W;
    if (set) t.data.set(part.subarray(s, s + len), d);
    else for (let i = 0; i < len; i++) t.data[d + i] += part[s + i];
  }
}

/** Output channels [c0, c1) of the weight and bias (all of them by default). */
function channelSlice(args: ConvArgs, c0 = 0, c1 = args.weight.shape[0]): Pick<ConvArgs, 'weight' | 'bias'> {
  const per = numel(args.weight.shape.slice(1));
  return {
    weight: { shape: [c1 - c0, ...args.weight.shape.slice(1)], data: args.weight.data.subarray(c0 * per, c1 * per) },
    bias: args.bias && { shape: [c1 - c0], data: args.bias.data.subarray(c0, c1) },
  };
}

/**
 * Weight and bias (channels [c0, c1)) for a worker: copies from the pool, except arrays that already live
 * in a SharedArrayBuffer on a shared pool — those go as they are (a runner that keeps its parameters in
 * shared memory saves a weight copy per call).
 */
function shareArgs(pool: ComputePool, args: ConvArgs, c0?: number, c1?: number): Pick<ConvArgs, 'weight' | 'bias'> {
  const copy = (t: NdArray): NdArray => {
    if (pool.shared && typeof SharedArrayBuffer === 'function' && t.data.buffer instanceof SharedArrayBuffer) return t;
    const d = pool.alloc(t.data.length);
    d.set(t.data);
    return { shape: t.shape, data: d };
  };
  const s = channelSlice(args, c0, c1);
  return { weight: copy(s.weight), bias: s.bias && copy(s.bias) };
}

const argData = (a: Pick<ConvArgs, 'weight' | 'bias'>) => (a.bias ? [a.weight.data, a.bias.data] : [a.weight.data]);

function releaseArgs(pool: ComputePool, a: Pick<ConvArgs, 'weight' | 'bias'>): void {
  pool.release(...argData(a));
}


/** conv2d(args, attrs, epilogue) on up to pool.threads threads; without a pool or for small convolutions, conv2d itself. */
export async function conv2dAsync(args: ConvArgs, attrs: Conv2dAttrs, pool?: ComputePool, epilogue: ConvEpilogue = {}): Promise<NdArray> {
  const ps = pool ? parts(args.input.shape, args.weight.shape, attrs, pool.threads, true) : null;
  if (!pool || !ps) return conv2d(args, attrs, epilogue);
  const x = args.input, shape = conv2dOutputShape(x.shape, args.weight.shape, attrs);
  const y: NdArray = { shape, data: new Float32Array(numel(shape)) };
  const jobs = ps.slice(1).map(async (p, i) => {
    const input = rowsOf(x, p.n0, p.n1, p.iy0, p.iy1, pool.alloc((p.n1 - p.n0) * x.shape[1] * (p.iy1 - p.iy0) * x.shape[3]));
    const wb = shareArgs(pool, args, p.c0, p.c1);
    const out = pool.alloc(numel([p.n1 - p.n0, p.c1 - p.c0, p.oy1 - p.oy0, shape[3]]));
    try {
      const outs = await pool.run(i, { op: 'conv2d', args: { input, ...wb }, attrs: p.attrs, epilogue }, pool.shared ? [out] : undefined, [input.data, ...argData(wb)]);
      putRows(pool.shared ? out : outs[0], y, p.n0, p.n1, p.oy0, p.oy1, true, p.c0, p.c1);
    } finally {
      pool.release(input.data, out);
      releaseArgs(pool, wb);
    }
  });
  // The caller's part straight from the whole input into y: no slices, no copies (N = 1 when channels split).
  const p = ps[0], sample = numel(x.shape.slice(1)), outSample = numel(shape.slice(1)), P = shape[2] * shape[3];
  const mine = { ...channelSlice(args, p.c0, p.c1), input: { shape: [p.n1 - p.n0, ...x.shape.slice(1)], data: x.data.subarray(p.n0 * sample, p.n1 * sample) } };
  conv2dInto(mine, attrs, y.data.subarray(p.n0 * outSample + p.c0 * P, p.n1 * outSample), p.oy0, p.oy1, epilogue);
  await Promise.all(jobs);
  return y;
}

type ConvGrads = { input: NdArray; weight: NdArray; bias?: NdArray };

/**
 * conv2dBackward on up to pool.threads threads: parts' input gradients added into place, weight and bias
 * gradients summed (batch or row parts) or placed (output-channel parts, whose input gradients are partial sums).
 * `into`: arrays of the input's and the weight's sizes the gradients are written into instead of fresh ones.
 */
export async function conv2dBackwardAsync(gradOutput: NdArray, args: ConvArgs, attrs: Conv2dAttrs, pool?: ComputePool, into: ConvGradsInto = {}): Promise<ConvGrads> {
  const ps = pool ? parts(args.input.shape, args.weight.shape, attrs, pool.threads, true) : null;
  if (!pool || !ps) return conv2dBackward(gradOutput, args, attrs, { input: into.input, weight: into.weight });
  if (pool.threads === 2) return backwardOnTwo(gradOutput, args, attrs, pool, into);
  const x = args.input, [, C, , W] = x.shape, Co = args.weight.shape[0], per = numel(args.weight.shape.slice(1));
  const grads: ConvGrads = {
    input: { shape: [...x.shape], data: into.input ? into.input.fill(0) : new Float32Array(x.data.length) },
    weight: { shape: [...args.weight.shape], data: into.weight ? into.weight.fill(0) : new Float32Array(args.weight.data.length) },
  };
  if (args.bias) grads.bias = { shape: [...args.bias.shape], data: new Float32Array(args.bias.data.length) };
  const byChannel = (p: Part) => p.c0 > 0 || p.c1 < Co;
  const add = (p: Part, outs: Float32Array[]) => {
    putRows(outs[0], grads.input, p.n0, p.n1, p.iy0, p.iy1, false);
    if (byChannel(p)) {
      // (a worker that wrote its rows of a shared weight gradient in place: nothing to copy)
      if (outs[1].buffer !== grads.weight.data.buffer) grads.weight.data.set(outs[1], p.c0 * per);
      if (grads.bias && outs[2]) grads.bias.data.set(outs[2], p.c0);
      return;
    }
    for (const [k, o] of [[grads.weight, outs[1]], [grads.bias, outs[2]]] as const) if (k && o) for (let i = 0; i < o.length; i++) k.data[i] += o[i];
  };
  const slices = (p: Part, alloc: (n: number) => Float32Array) => ({
    input: rowsOf(x, p.n0, p.n1, p.iy0, p.iy1, alloc((p.n1 - p.n0) * C * (p.iy1 - p.iy0) * W)),
    gy: byChannel(p)
      ? channelsOf(gradOutput, p.c0, p.c1, alloc(numel([1, p.c1 - p.c0, ...gradOutput.shape.slice(2)])))
      : rowsOf(gradOutput, p.n0, p.n1, p.oy0, p.oy1, alloc((p.n1 - p.n0) * gradOutput.shape[1] * (p.oy1 - p.oy0) * gradOutput.shape[3])),
  });
  const jobs = ps.slice(1).map(async (p, i) => {
    const s = slices(p, (n) => pool.alloc(n));
    const wb = shareArgs(pool, args, p.c0, p.c1);
    // an output-channel part's weight-gradient rows are contiguous: written in place when the result is shared memory
    const inPlace = pool.shared && byChannel(p) && typeof SharedArrayBuffer === 'function' && grads.weight.data.buffer instanceof SharedArrayBuffer;
    const gwInto = inPlace ? grads.weight.data.subarray(p.c0 * per, p.c1 * per) : pool.alloc(wb.weight.data.length);
    const into = pool.shared ? [pool.alloc(s.input.data.length), gwInto, ...(wb.bias ? [pool.alloc(wb.bias.data.length)] : [])] : undefined;
    try {
      const outs = await pool.run(i, { op: 'conv2dBackward', gradOutput: s.gy, args: { input: s.input, ...wb }, attrs: p.attrs }, into, [s.input.data, s.gy.data]);
      add(p, into ?? outs);
    } finally {
      pool.release(s.input.data, s.gy.data, ...(into ?? []));
      releaseArgs(pool, wb);
    }
  });
  // The caller's part: an output-channel part reads the whole input and its channels of dy in place and,
  // running before any worker's part is added, writes its gradients straight into the results; a batch or
  // row part writes into recycled pool arrays. Either way no fresh array is left for the garbage collector.
  const p = ps[0];
  if (byChannel(p)) {
    const gy = { shape: [1, p.c1 - p.c0, ...gradOutput.shape.slice(2)], data: gradOutput.data.subarray(p.c0 * gradOutput.shape[2] * gradOutput.shape[3], p.c1 * gradOutput.shape[2] * gradOutput.shape[3]) };
    conv2dBackward(gy, { ...channelSlice(args, p.c0, p.c1), input: x }, attrs, {
      input: grads.input.data, weight: grads.weight.data.subarray(p.c0 * per, p.c1 * per), bias: grads.bias?.data.subarray(p.c0, p.c1),
    });
  } else {
    const s = slices(p, (n) => pool.alloc(n));
    const into = { input: pool.alloc(s.input.data.length), weight: pool.alloc(args.weight.data.length), bias: args.bias && pool.alloc(args.bias.data.length) };
    conv2dBackward(s.gy, { ...args, input: s.input }, p.attrs, into);
    add(p, into.bias ? [into.input, into.weight, into.bias] : [into.input, into.weight]);
    pool.release(s.input.data, s.gy.data, into.input, into.weight, ...(into.bias ? [into.bias] : []));
  }
  await Promise.all(jobs);
  return grads;
}

/**
 * Two threads: the input gradient on the worker (it needs dy and the weight), the weight and bias
 * gradients here (dy and the input). Each costs about one forward, no thread repeats the other's im2col,
 * and nothing is summed across threads, so the gradients are conv2dBackward's to the bit.
 */
async function backwardOnTwo(gradOutput: NdArray, args: ConvArgs, attrs: Conv2dAttrs, pool: ComputePool, into: ConvGradsInto): Promise<ConvGrads> {
  const x = args.input, w = args.weight;
  const gy = inPool(pool, gradOutput), weight = inPool(pool, w);
  // The worker's input gradient: in place in `into.input` when that is shared memory; in a recycled pool
  // array copied into `into.input` (a plain one) after; else a fresh array the worker fills and moves here
  // (its page faults taken there, beside its GEMM, not here after the wait).
  const shared = pool.shared && typeof SharedArrayBuffer === 'function';
  const direct = shared && into.input !== undefined && into.input.buffer instanceof SharedArrayBuffer;
  const staged = shared && !direct && into.input ? pool.alloc(x.data.length) : undefined;
  const target = direct ? into.input : staged;
  const job = pool.run(0, { op: 'conv2dInputGrad', gradOutput: gy, weight, inputShape: [...x.shape], attrs }, target && [target], [gy.data, weight.data]);
  try {
    const gw = into.weight ?? new Float32Array(w.data.length);
    conv2dWeightGrad(gradOutput, x, w.shape, attrs, gw);
    const grads: ConvGrads = { input: { shape: [...x.shape], data: new Float32Array(0) }, weight: { shape: [...w.shape], data: gw } };
    if (args.bias) grads.bias = { shape: [...args.bias.shape], data: conv2dBiasGrad(gradOutput, args.bias.shape[0]) };
    const outs = await job;
    const gx = target ?? outs[0];
    grads.input.data = into.input && gx !== into.input ? (into.input.set(gx), into.input) : gx;
    return grads;
  } finally {
    await job.catch(() => undefined);
    pool.release(gy.data, weight.data, ...(staged ? [staged] : []));
  }
}

/** An operand for a worker: as it is when it already lives in the pool's shared memory, else a pool copy. */
function inPool(pool: ComputePool, t: NdArray): NdArray {
  if (pool.shared && typeof SharedArrayBuffer === 'function' && t.data.buffer instanceof SharedArrayBuffer) return t;
  const d = pool.alloc(t.data.length);
  d.set(t.data);
  return { shape: t.shape, data: d };
}

/** Channels [c0, c1) of a one-sample [1, C, H, W] array (contiguous), copied into `dst`. */
function channelsOf(t: NdArray, c0: number, c1: number, dst: Float32Array): NdArray {
  const P = t.shape[2] * t.shape[3];
  dst.set(t.data.subarray(c0 * P, c1 * P));
  return { shape: [1, c1 - c0, t.shape[2], t.shape[3]], data: dst };
}
