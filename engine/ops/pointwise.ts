// Element-wise math without a kernel file of its own (torch.exp, log, sqrt, …, F.hardtanh, softsign):
// each entry is f and its derivative f′(x, y) side by side; forward maps f, backward is dy · f′.
// NOTE: backward recomputes y = f(x) rounded to float32, exactly the value forward stored.
import { erf, roundHalfEven } from '../util/numeric';
import { mapUnary, type UnaryArgs } from './unary';
import type { NdArray } from './tensor';

type Pointwise = [f: (v: number) => number, df: (v: number, y: number) => number];


export const POINTWISE = {
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
  round: [roundHalfEven, () => 0],
  trunc: [Math.trunc, () => 0],
  hardtanh: [(v) => Math.min(1, Math.max(-1, v)), (v) => (v > -1 && v < 1 ? 1 : 0)],
  softsign: [(v) => v / (1 + Math.abs(v)), (v) => 1 / (1 + Math.abs(v)) ** 2],
  tanhshrink: [(v) => v - Math.tanh(v), (v) => Math.tanh(v) ** 2],
  logsigmoid: [(v) => (v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v))), (v) => 1 / (1 + Math.exp(v))],
  erf: [erf, (v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v)],
} satisfies Record<string, Pointwise>;

export type PointwiseName = keyof typeof POINTWISE;

/** The kernel pair (forward, backward) of one entry. */
export function pointwiseKernel([f, df]: Pointwise): { forward: (args: UnaryArgs, attrs?: object) => NdArray; backward: (g: NdArray, args: UnaryArgs, attrs?: object) => { input: NdArray } } {
  return {
    forward: (args) => mapUnary(args.input, f),
    backward: (g, args) => {
      const xs = args.input.data, r = new Float32Array(xs.length);
      for (let i = 0; i < xs.length; i++) r[i] = g.data[i] * df(xs[i], Math.fround(f(xs[i])));
      return { input: { shape: [...args.input.shape], data: r } };
    },
  };
}
