// flatten (torch.flatten): merges dims start_dim..end_dim into one (a reshape; data copied).
// Defaults follow torch.flatten (start_dim=0); nn.Flatten passes start_dim=1 itself.

import { reshapeBackward } from './reshape';
import { normDim, type NdArray } from './tensor';

export interface FlattenAttrs {
  start_dim?: number;
  end_dim?: number;
}

export function flattenShape(shape: readonly number[], a: FlattenAttrs): number[] {
  if (shape.length === 0) return [1];
  const s = normDim(a.start_dim ?? 0, shape.length), e = normDim(a.end_dim ?? -1, shape.length);
  if (s > e) throw new Error('flatten: start_dim cannot come after end_dim');
  const merged = shape.slice(s, e + 1).reduce((m, d) => m * d, 1);
  return [...shape.slice(0, s), merged, ...shape.slice(e + 1)];
}

export function flatten(args: { input: NdArray }, attrs: FlattenAttrs = {}): NdArray {
  return { shape: flattenShape(args.input.shape, attrs), data: args.input.data.slice() };
}

export function flattenBackward(gradOutput: NdArray, args: { input: NdArray }, _attrs: FlattenAttrs = {}): { input: NdArray } {
  return reshapeBackward(gradOutput, args, { shape: args.input.shape });
}
