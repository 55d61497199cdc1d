// Broadcasting binary math without a kernel file of its own: pow (`**`), maximum/minimum, and the ops
// whose result takes no gradient (floor_divide, remainder, comparisons). f and its partial derivatives
// ∂y/∂a, ∂y/∂b sit side by side; backward sums each gradient back to its operand's shape.
import { broadcastShapes, broadcastTo, sumToShape, type NdArray } from './tensor';
import type { BinaryArgs } from './add';

type Partial = (a: number, b: number, y: number) => number;
type Binary = [f: (a: number, b: number) => number, da: Partial, db: Partial];

export const BINARY_MATH = {
  pow: [(a, b) => a ** b, (a, b) => b * a ** (b - 1), (a, _b, y) => y * Math.log(a)],
  maximum: [Math.max, (a, b) => (a >= b ? 1 : 0), (a, b) => (a >= b ? 0 : 1)],
  minimum: [Math.min, (a, b) => (a <= b ? 1 : 0), (a, b) => (a <= b ? 0 : 1)],
} satisfies Record<string, Binary>;

/** Ops with no gradient: their results are constants of the graph. */
export const BINARY_CONST = {
  floor_divide: (a: number, b: number) => Math.floor(a / b),
  remainder: (a: number, b: number) => a - Math.floor(a / b) * b,
  lt: (a: number, b: number) => +(a < b),
  le: (a: number, b: number) => +(a <= b),
  gt: (a: number, b: number) => +(a > b),
  ge: (a: number, b: number) => +(a >= b),
  eq: (a: number, b: number) => +(a === b),
  ne: (a: number, b: number) => +(a !== b),
} satisfies Record<string, (a: number, b: number) => number>;

function broadcastPair(args: BinaryArgs): { shape: number[]; a: Float32Array; b: Float32Array } {
  const shape = broadcastShapes(args.input.shape, args.other.shape);
  return { shape, a: broadcastTo(args.input, shape).data, b: broadcastTo(args.other, shape).data };
}

function mapPair(args: BinaryArgs, f: (a: number, b: number) => number): NdArray {
  const { shape, a, b } = broadcastPair(args);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], b[i]);
  return { shape, data: out };
}

type BinaryKernel = { forward: (args: BinaryArgs, attrs?: object) => NdArray; backward: (g: NdArray, args: BinaryArgs, attrs?: object) => { input?: NdArray; other?: NdArray } };

/** The kernel pair of a differentiable entry. NOTE: backward recomputes y rounded to float32, as forward stored it. */
export function binaryKernel([f, da, db]: Binary): BinaryKernel {
  return {
    forward: (args) => mapPair(args, f),
    backward: (g, args) => {
      const { shape, a, b } = broadcastPair(args);
      const ga = new Float32Array(a.length), gb = new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) {
        const y = Math.fround(f(a[i], b[i]));
        ga[i] = g.data[i] * da(a[i], b[i], y); gb[i] = g.data[i] * db(a[i], b[i], y);
      }
      return { input: sumToShape({ shape, data: ga }, args.input.shape), other: sumToShape({ shape, data: gb }, args.other.shape) };
    },
  };
}

/** The kernel pair of a gradient-free entry (backward gives nothing). */
export function constBinaryKernel(f: (a: number, b: number) => number): BinaryKernel {
  return { forward: (args) => mapPair(args, f), backward: () => ({}) };
}
