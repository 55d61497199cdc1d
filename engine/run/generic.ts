// Replay of the trace's simple ops that have no kernel file of their own: element-wise maps with their
// derivatives, broadcasting binary maps, masked selection, and reductions over arbitrary dims.
// Each returns a graph node whose backward is written next to its forward.
import { broadcastShapes, broadcastTo, sumToShape, type NdArray } from '../ops/tensor';
import { leaf, node, type GradNode } from '../autograd/graph';

const nd = (shape: number[], data: Float32Array): NdArray => ({ shape, data });

/** y = f(x) element-wise; df(x, y) is dy/dx. */
export function mapNode(op: string, x: GradNode, f: (v: number) => number, df: (v: number, y: number) => number): GradNode {
  const xs = x.value.data;
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = f(xs[i]);
  return node(op, nd(x.value.shape, out), [x], (g) => {
    const r = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) r[i] = g.data[i] * df(xs[i], out[i]);
    return [nd(x.value.shape, r)];
  });
}

export const UNARY: Record<string, [(v: number) => number, (v: number, y: number) => number]> = {
  exp: [Math.exp, (_v, y) => y],
  log: [Math.log, (v) => 1 / v],
  log2: [Math.log2, (v) => 1 / (v * Math.LN2)],
  sqrt: [Math.sqrt, (_v, y) => 0.5 / y],
  rsqrt: [(v) => 1 / Math.sqrt(v), (v, y) => -0.5 * y / v],
  sin: [Math.sin, Math.cos],
  cos: [Math.cos, (v) => -Math.sin(v)],
  reciprocal: [(v) => 1 / v, (_v, y) => -y * y],
  square: [(v) => v * v, (v) => 2 * v],
  neg: [(v) => -v, () => -1],
  abs: [Math.abs, (v) => Math.sign(v)],
  sign: [Math.sign, () => 0],
  floor: [Math.floor, () => 0],
  ceil: [Math.ceil, () => 0],
  round: [(v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; }, () => 0],
  trunc: [Math.trunc, () => 0],
  hardtanh: [(v) => Math.min(1, Math.max(-1, v)), (v) => (v > -1 && v < 1 ? 1 : 0)],
  softsign: [(v) => v / (1 + Math.abs(v)), (v) => 1 / (1 + Math.abs(v)) ** 2],
  tanhshrink: [(v) => v - Math.tanh(v), (v) => Math.tanh(v) ** 2],
  logsigmoid: [(v) => (v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v))), (v) => 1 / (1 + Math.exp(v))],
  erf: [erf, (v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v)],
};

function erf(x: number): number {
  const t = Math.abs(x);
  let sum = t, term = t;
  if (t < 3) { for (let n = 1; n < 80; n++) { term *= (-t * t) / n; sum += term / (2 * n + 1); } return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum; }
  return Math.sign(x);
}

export interface Operand { n: GradNode | null; a: NdArray }

/** out = f(a, b) with broadcasting; da/db are ∂out/∂a and ∂out/∂b. */
export function binaryNode(op: string, A: Operand, B: Operand, f: (a: number, b: number) => number,
  da: (a: number, b: number, y: number) => number, db: (a: number, b: number, y: number) => number): GradNode {
  const shape = broadcastShapes(A.a.shape, B.a.shape);
  const a = broadcastTo(A.a, shape).data, b = broadcastTo(B.a, shape).data;
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], b[i]);
  return node(op, nd(shape, out), [A.n, B.n], (g) => {
    const ga = new Float32Array(a.length), gb = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) { ga[i] = g.data[i] * da(a[i], b[i], out[i]); gb[i] = g.data[i] * db(a[i], b[i], out[i]); }
    return [A.n ? sumToShape(nd(shape, ga), A.a.shape) : null, B.n ? sumToShape(nd(shape, gb), B.a.shape) : null];
  });
}

/** A value that takes no gradient (comparison results, masks, index tensors). */
export function constNode(op: string, value: NdArray): GradNode { return leaf(op, value, false); }

/** torch.where(cond, x, y) with broadcasting. */
export function whereNode(cond: NdArray, X: Operand, Y: Operand): GradNode {
  const shape = broadcastShapes(broadcastShapes(cond.shape, X.a.shape), Y.a.shape);
  const c = broadcastTo(cond, shape).data, x = broadcastTo(X.a, shape).data, y = broadcastTo(Y.a, shape).data;
  const out = new Float32Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] ? x[i] : y[i];
  return node('where', nd(shape, out), [X.n, Y.n], (g) => {
    const gx = new Float32Array(c.length), gy = new Float32Array(c.length);
    for (let i = 0; i < c.length; i++) if (c[i]) gx[i] = g.data[i]; else gy[i] = g.data[i];
    return [X.n ? sumToShape(nd(shape, gx), X.a.shape) : null, Y.n ? sumToShape(nd(shape, gy), Y.a.shape) : null];
  });
}

/** For each input element, the flat index of the output element it reduces into. */
function reduceIndex(shape: number[], dims: number[] | null, keepdim: boolean): { map: Int32Array; outShape: number[]; count: number } {
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
  return { map, outShape, count };
}

/** max/min/amax/amin (values; ties go to the first), std/var (unbiased unless told), logsumexp, prod. */
export function reduceNode(op: string, x: GradNode, dims: number[] | null, keepdim: boolean, unbiased = true): GradNode {
  const { map, outShape, count } = reduceIndex(x.value.shape, dims, keepdim);
  const xs = x.value.data;
  const m = outShape.reduce((p, q) => p * q, 1);
  const out = new Float32Array(m);
  if (op === 'max' || op === 'amax' || op === 'min' || op === 'amin') {
    const isMax = op === 'max' || op === 'amax';
    const arg = new Int32Array(m).fill(-1);
    for (let i = 0; i < xs.length; i++) {
      const o = map[i];
      if (arg[o] < 0 || (isMax ? xs[i] > out[o] : xs[i] < out[o])) { out[o] = xs[i]; arg[o] = i; }
    }
    // NOTE: amax/amin share the gradient evenly among tied elements (as PyTorch does); max/min(dim) give it to the index they return
    const even = op === 'amax' || op === 'amin';
    return node(op, nd(outShape, out), [x], (g) => {
      const r = new Float32Array(xs.length);
      if (!even) { for (let o = 0; o < m; o++) r[arg[o]] += g.data[o]; return [nd(x.value.shape, r)]; }
      const ties = new Int32Array(m);
      for (let i = 0; i < xs.length; i++) if (xs[i] === out[map[i]]) ties[map[i]]++;
      for (let i = 0; i < xs.length; i++) if (xs[i] === out[map[i]]) r[i] = g.data[map[i]] / ties[map[i]];
      return [nd(x.value.shape, r)];
    });
  }
  if (op === 'std' || op === 'var') {
    const mean = new Float64Array(m), sq = new Float64Array(m);
    for (let i = 0; i < xs.length; i++) mean[map[i]] += xs[i] / count;
    for (let i = 0; i < xs.length; i++) { const e = xs[i] - mean[map[i]]; sq[map[i]] += e * e; }
    const div = unbiased ? count - 1 : count;
    for (let o = 0; o < m; o++) out[o] = op === 'var' ? sq[o] / div : Math.sqrt(sq[o] / div);
    return node(op, nd(outShape, out), [x], (g) => {
      const r = new Float32Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const o = map[i], dv = (2 * (xs[i] - mean[o])) / div;
        r[i] = g.data[o] * (op === 'var' ? dv : dv / (2 * out[o]));
      }
      return [nd(x.value.shape, r)];
    });
  }
  if (op === 'logsumexp') {
    const mx = new Float64Array(m).fill(-Infinity), s = new Float64Array(m);
    for (let i = 0; i < xs.length; i++) mx[map[i]] = Math.max(mx[map[i]], xs[i]);
    for (let i = 0; i < xs.length; i++) s[map[i]] += Math.exp(xs[i] - mx[map[i]]);
    for (let o = 0; o < m; o++) out[o] = mx[o] + Math.log(s[o]);
    return node(op, nd(outShape, out), [x], (g) => { const r = new Float32Array(xs.length); for (let i = 0; i < xs.length; i++) r[i] = g.data[map[i]] * Math.exp(xs[i] - out[map[i]]); return [nd(x.value.shape, r)]; });
  }
  throw new Error(`no numeric kernel for reduction '${op}'`);
}
