// reshape (torch.reshape / view): same elements, new shape, one −1 inferred. Copies the data so results
// never alias their input (the engine has no views). Backward reshapes dy back.

import { fmtShape, numel, type NdArray } from './tensor';

export interface ReshapeAttrs {
  shape: number[];
}

export function reshapeShape(from: readonly number[], to: readonly number[]): number[] {
  const n = numel(from), free = to.indexOf(-1);
  if (to.filter((d) => d === -1).length > 1) throw new Error(`reshape: only one dimension can be inferred in ${fmtShape(to)}`);
  const known = to.reduce((m, d) => (d === -1 ? m : m * d), 1);
  const out = [...to];
  if (free >= 0) {
    if (known === 0 || n % known !== 0) throw new Error(`reshape: shape ${fmtShape(to)} is invalid for input of size ${n}`);
    out[free] = n / known;
  }
  if (numel(out) !== n || out.some((d) => d < 0)) throw new Error(`reshape: shape ${fmtShape(to)} is invalid for input of size ${n}`);
  return out;
}

export function reshape(args: { input: NdArray }, attrs: ReshapeAttrs): NdArray {
  return { shape: reshapeShape(args.input.shape, attrs.shape), data: args.input.data.slice() };
}

export function reshapeBackward(gradOutput: NdArray, args: { input: NdArray }, _attrs: ReshapeAttrs): { input: NdArray } {
  return { input: { shape: [...args.input.shape], data: gradOutput.data.slice() } };
}
