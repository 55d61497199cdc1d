// cat (torch.cat): joins tensors along `dim`; all other dims must agree. Backward slices dy back into
// one gradient per input.

import { axisSplit, fmtShape, normDim, type NdArray } from './tensor';

export interface CatArgs {
  tensors: NdArray[];
}

export interface CatAttrs {
  dim?: number;
}

export function catShape(shapes: ReadonlyArray<readonly number[]>, dim = 0): number[] {
  if (shapes.length === 0) throw new Error('cat expects a non-empty list of tensors');
  const first = shapes[0], d = normDim(dim, first.length);
  let size = 0;
  for (const s of shapes) {
    if (s.length !== first.length || s.some((v, i) => i !== d && v !== first[i])) {
      throw new Error(`cat: sizes must match except in dimension ${d}, got ${shapes.map(fmtShape).join(' and ')}`);
    }
    size += s[d];
  }
  return first.map((v, i) => (i === d ? size : v));
}

export function cat(args: CatArgs, attrs: CatAttrs = {}): NdArray {
  const shape = catShape(args.tensors.map((t) => t.shape), attrs.dim ?? 0);
  const d = normDim(attrs.dim ?? 0, shape.length), [outer, total, inner] = axisSplit(shape, d);
  const y = new Float32Array(outer * total * inner);
  let at = 0;
  for (const t of args.tensors) {
    const chunk = t.shape[d] * inner;
    for (let o = 0; o < outer; o++) y.set(t.data.subarray(o * chunk, (o + 1) * chunk), o * total * inner + at);
    at += chunk;
  }
  return { shape, data: y };
}

export function catBackward(gradOutput: NdArray, args: CatArgs, attrs: CatAttrs = {}): { tensors: NdArray[] } {
  const d = normDim(attrs.dim ?? 0, gradOutput.shape.length), [outer, total, inner] = axisSplit(gradOutput.shape, d);
  let at = 0;
  const grads = args.tensors.map((t) => {
    const chunk = t.shape[d] * inner, g = new Float32Array(t.data.length);
    for (let o = 0; o < outer; o++) g.set(gradOutput.data.subarray(o * total * inner + at, o * total * inner + at + chunk), o * chunk);
    at += chunk;
    return { shape: [...t.shape], data: g };
  });
  return { tensors: grads };
}
