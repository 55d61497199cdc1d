// where (torch.where(condition, input, other)), broadcasting; the gradient goes to the operand each
// element was taken from.
import { broadcastShapes, broadcastTo, sumToShape, type NdArray } from './tensor';

export interface WhereArgs { condition: NdArray; input: NdArray; other: NdArray }

function plan(args: WhereArgs): { shape: number[]; c: Float32Array; x: Float32Array; y: Float32Array } {
  const shape = broadcastShapes(broadcastShapes(args.condition.shape, args.input.shape), args.other.shape);
  return { shape, c: broadcastTo(args.condition, shape).data, x: broadcastTo(args.input, shape).data, y: broadcastTo(args.other, shape).data };
}

export function where(args: WhereArgs, _attrs: object = {}): NdArray {
  const { shape, c, x, y } = plan(args);
  const out = new Float32Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] ? x[i] : y[i];
  return { shape, data: out };
}

export function whereBackward(g: NdArray, args: WhereArgs, _attrs: object = {}): { input: NdArray; other: NdArray } {
  const { shape, c } = plan(args);
  const gx = new Float32Array(c.length), gy = new Float32Array(c.length);
  for (let i = 0; i < c.length; i++) if (c[i]) gx[i] = g.data[i]; else gy[i] = g.data[i];
  return { input: sumToShape({ shape, data: gx }, args.input.shape), other: sumToShape({ shape, data: gy }, args.other.shape) };
}
