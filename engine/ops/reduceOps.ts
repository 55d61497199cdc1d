// Reductions over arbitrary dims without a kernel file of their own: max/min/amax/amin (values; ties go
// to the first), std/var (unbiased unless told), logsumexp. Each forward keeps what its backward needs
// by recomputing it from the input; sum and mean have their own files.
import type { NdArray } from './tensor';

export interface ReduceDimsAttrs {
  /** Dims to reduce (null: all). */
  dim: number[] | null;
  keepdim?: boolean;
  /** std/var only (default true). */
  unbiased?: boolean;
}

interface Index { map: Int32Array; outShape: number[]; count: number; m: number }

/** For each input element, the flat index of the output element it reduces into. */
function reduceIndex(shape: number[], dims: number[] | null, keepdim: boolean): Index {
  const red = shape.map((_, i) => dims === null || dims.includes(i));
  const outFull = shape.map((d, i) => (red[i] ? 1 : d));
  const outShape = keepdim ? outFull : shape.filter((_, i) => !red[i]);
  const n = shape.reduce((p, q) => p * q, 1);
  const map = new Int32Array(n);
  const strides = outFull.map((_, i) => outFull.slice(i + 1).reduce((p, q) => p * q, 1));
  const idx = shape.map(() => 0);
  for (let f = 0; f < n; f++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (!red[d]) o += idx[d] * strides[d];
    map[f] = o;
    for (let d = shape.length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  const count = shape.reduce((p, d, i) => (red[i] ? p * d : p), 1);
  return { map, outShape, count, m: outShape.reduce((p, q) => p * q, 1) };
}

const indexOf = (x: NdArray, a: ReduceDimsAttrs): Index => reduceIndex(x.shape, a.dim, a.keepdim === true);

function extreme(x: NdArray, ix: Index, isMax: boolean): { out: Float32Array; arg: Int32Array } {
  const xs = x.data, out = new Float32Array(ix.m), arg = new Int32Array(ix.m).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    const o = ix.map[i];
    if (arg[o] < 0 || (isMax ? xs[i] > out[o] : xs[i] < out[o])) { out[o] = xs[i]; arg[o] = i; }
  }
  return { out, arg };
}

type Kernel = { forward: (args: { input: NdArray }, attrs: ReduceDimsAttrs) => NdArray; backward: (g: NdArray, args: { input: NdArray }, attrs: ReduceDimsAttrs) => { input: NdArray } };

/**
 * max/min(dim) give the gradient to the index they return; amax/amin share it evenly among tied
 * elements. NOTE: both as PyTorch does.
 */
function extremeKernel(isMax: boolean, even: boolean): Kernel {
  return {
    forward: (args, a) => { const ix = indexOf(args.input, a); return { shape: ix.outShape, data: extreme(args.input, ix, isMax).out }; },
    backward: (g, args, a) => {
      const x = args.input, ix = indexOf(x, a), { out, arg } = extreme(x, ix, isMax), xs = x.data;
      const r = new Float32Array(xs.length);
      if (!even) { for (let o = 0; o < ix.m; o++) r[arg[o]] += g.data[o]; return { input: { shape: [...x.shape], data: r } }; }
      const ties = new Int32Array(ix.m);
      for (let i = 0; i < xs.length; i++) if (xs[i] === out[ix.map[i]]) ties[ix.map[i]]++;
      for (let i = 0; i < xs.length; i++) if (xs[i] === out[ix.map[i]]) r[i] = g.data[ix.map[i]] / ties[ix.map[i]];
      return { input: { shape: [...x.shape], data: r } };
    },
  };
}

function moments(x: NdArray, ix: Index, unbiased: boolean): { mean: Float64Array; sq: Float64Array; div: number } {
  const xs = x.data, mean = new Float64Array(ix.m), sq = new Float64Array(ix.m);
  for (let i = 0; i < xs.length; i++) mean[ix.map[i]] += xs[i] / ix.count;
  for (let i = 0; i < xs.length; i++) { const e = xs[i] - mean[ix.map[i]]; sq[ix.map[i]] += e * e; }
  return { mean, sq, div: unbiased ? ix.count - 1 : ix.count };
}

function spreadKernel(isVar: boolean): Kernel {
  const values = (x: NdArray, a: ReduceDimsAttrs): { ix: Index; mo: ReturnType<typeof moments>; out: Float32Array } => {
    const ix = indexOf(x, a), mo = moments(x, ix, a.unbiased !== false), out = new Float32Array(ix.m);
    for (let o = 0; o < ix.m; o++) out[o] = isVar ? mo.sq[o] / mo.div : Math.sqrt(mo.sq[o] / mo.div);
    return { ix, mo, out };
  };
  return {
    forward: (args, a) => { const v = values(args.input, a); return { shape: v.ix.outShape, data: v.out }; },
    backward: (g, args, a) => {
      const x = args.input, { ix, mo, out } = values(x, a), xs = x.data, r = new Float32Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const o = ix.map[i], dv = (2 * (xs[i] - mo.mean[o])) / mo.div;
        r[i] = g.data[o] * (isVar ? dv : dv / (2 * out[o]));
      }
      return { input: { shape: [...x.shape], data: r } };
    },
  };
}

function logsumexpValues(x: NdArray, a: ReduceDimsAttrs): { ix: Index; out: Float32Array } {
  const ix = indexOf(x, a), xs = x.data;
  const mx = new Float64Array(ix.m).fill(-Infinity), s = new Float64Array(ix.m), out = new Float32Array(ix.m);
  for (let i = 0; i < xs.length; i++) mx[ix.map[i]] = Math.max(mx[ix.map[i]], xs[i]);
  for (let i = 0; i < xs.length; i++) s[ix.map[i]] += Math.exp(xs[i] - mx[ix.map[i]]);
  for (let o = 0; o < ix.m; o++) out[o] = mx[o] + Math.log(s[o]);
  return { ix, out };
}

const logsumexp: Kernel = {
  forward: (args, a) => { const v = logsumexpValues(args.input, a); return { shape: v.ix.outShape, data: v.out }; },
  backward: (g, args, a) => {
    const x = args.input, { ix, out } = logsumexpValues(x, a), xs = x.data, r = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) r[i] = g.data[ix.map[i]] * Math.exp(xs[i] - out[ix.map[i]]);
    return { input: { shape: [...x.shape], data: r } };
  },
};

export const REDUCTIONS = {
  max: extremeKernel(true, false),
  min: extremeKernel(false, false),
  amax: extremeKernel(true, true),
  amin: extremeKernel(false, true),
  std: spreadKernel(false),
  var: spreadKernel(true),
  logsumexp,
};
