// Symbolic tensors: a shape (dims may be unknown), a dtype, and, for small constant tensors built from
// literals (torch.arange, torch.tensor), their values. Shape rules shared by torch.*, F.* and methods.
// No numeric kernels here: those live in engine/ops.
import { PyException, freshId, type NativeValue, type Value } from '../interp/values';
import { checkSize } from '../interp/budget';
import type { Dim, Shape } from '../api';

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool' | 'complex64' | 'complex128';

export const DTYPE_BYTES: Record<DType, number> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1, complex64: 8, complex128: 16,
};

export function isFloatDtype(d: DType): boolean { return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16'; }
export function isComplexDtype(d: DType): boolean { return d === 'complex64' || d === 'complex128'; }

import type { TraceOp } from './trace';
export type { TraceOp } from './trace';

export class TensorV implements NativeValue {
  readonly id = freshId();
  requiresGrad = false;
  isParam = false;
  /** The operation that produced this tensor (absent for inputs, parameters and constants). */
  src?: TraceOp;
  /** For parameters: the op that made the initial tensor (`zeros`, `randn`, …), used for default initialisation. */
  init?: TraceOp;
  constructor(public shape: Shape, public dtype: DType = 'float32', public data?: number[]) {}
  get pyTypeName(): string { return 'Tensor'; }
}

export const MAX_CONST_ELEMENTS = 1 << 16;

import { numel, fmtShape as shapeStr } from '../util/shape';
export { numel, shapeStr };

export function shapeError(msg: string): PyException { return new PyException('RuntimeError', msg); }

export function normDim(dim: number, ndim: number): number {
  const d = dim < 0 ? dim + ndim : dim;
  if (d < 0 || d >= Math.max(ndim, 1)) throw new PyException('IndexError', `Dimension out of range (expected to be in range of [${-Math.max(ndim, 1)}, ${Math.max(ndim, 1) - 1}], but got ${dim})`);
  return d;
}

export function broadcastShapes(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    // NOTE: a missing leading dim is 1; an unknown one (null) stays unknown, so no `??` here
    const ia = a.length - n + i, ib = b.length - n + i;
    const x = ia < 0 ? 1 : a[ia];
    const y = ib < 0 ? 1 : b[ib];
    if (x === null || y === null) { out.push(x === 1 ? y : y === 1 ? x : x ?? y); continue; }
    if (x !== y && x !== 1 && y !== 1) {
      throw shapeError(`The size of tensor a (${x}) must match the size of tensor b (${y}) at non-singleton dimension ${i}`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function reduceShape(shape: Shape, dims: number[] | null, keepdim: boolean): Shape {
  if (dims === null) return keepdim ? shape.map(() => 1) : [];
  const nd = dims.map((d) => normDim(d, shape.length));
  const out: Dim[] = [];
  shape.forEach((d, i) => { if (nd.includes(i)) { if (keepdim) out.push(1); } else out.push(d); });
  return out;
}

/** view/reshape target shape with one -1 inferred. */
export function viewShape(shape: Shape, target: Dim[]): Shape {
  const total = numel(shape);
  const neg = target.filter((d) => d === -1).length;
  if (neg > 1) throw shapeError('only one dimension can be inferred');
  if (neg === 0) {
    const t = numel(target);
    if (total !== null && t !== null && t !== total) {
      throw shapeError(`shape '${shapeStr(target)}' is invalid for input of size ${total}`);
    }
    return target;
  }
  const known = target.filter((d) => d !== -1);
  const k = numel(known);
  if (total === null || k === null) return target.map((d) => (d === -1 ? null : d));
  if (k === 0 || total % k !== 0) throw shapeError(`shape '${shapeStr(target)}' is invalid for input of size ${total}`);
  return target.map((d) => (d === -1 ? total / k : d));
}

export function flattenShape(shape: Shape, start: number, end: number): Shape {
  if (shape.length === 0) return [1];
  const s = normDim(start, shape.length), e = normDim(end, shape.length);
  if (s > e) throw shapeError('flatten() has invalid args: start_dim cannot come after end_dim');
  const mid = numel(shape.slice(s, e + 1));
  return [...shape.slice(0, s), mid, ...shape.slice(e + 1)];
}

export function catShape(shapes: Shape[], dim: number): Shape {
  const nonEmpty = shapes.filter((s) => !(s.length === 1 && s[0] === 0));
  if (!nonEmpty.length) return shapes[0] ?? [0];
  const ref = nonEmpty[0];
  const d = normDim(dim, ref.length);
  let total: Dim = 0;
  for (const [i, s] of nonEmpty.entries()) {
    if (s.length !== ref.length) throw shapeError(`Tensors must have same number of dimensions: got ${ref.length} and ${s.length}`);
    for (let j = 0; j < s.length; j++) {
      if (j === d) continue;
      if (s[j] !== null && ref[j] !== null && s[j] !== ref[j]) {
        throw shapeError(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref[j]} but got size ${s[j]} for tensor number ${i} in the list.`);
      }
    }
    total = total === null || s[d] === null ? null : total + (s[d] as number);
  }
  const out = [...ref];
  out[d] = total;
  return out;
}

export function matmulShape(a: Shape, b: Shape): Shape {
  if (a.length === 0 || b.length === 0) throw shapeError('both arguments to matmul need to be at least 1D');
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const k1 = a2[a2.length - 1], k2 = b2[b2.length - 2];
  if (k1 !== null && k2 !== null && k1 !== k2) {
    throw shapeError(`mat1 and mat2 shapes cannot be multiplied (${shapeStr(a2.slice(-2))} and ${shapeStr(b2.slice(-2))})`);
  }
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch, a2[a2.length - 2], b2[b2.length - 1]];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

export function permuteShape(shape: Shape, dims: number[]): Shape {
  if (dims.length !== shape.length) throw shapeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${shape.length} is not equal to len(dims) = ${dims.length}`);
  return dims.map((d) => shape[normDim(d, shape.length)]);
}

export function transposeShape(shape: Shape, a: number, b: number): Shape {
  if (shape.length === 0) return [];
  const out = [...shape];
  const x = normDim(a, shape.length), y = normDim(b, shape.length);
  [out[x], out[y]] = [out[y], out[x]];
  return out;
}

export function squeezeShape(shape: Shape, dim: number | null): Shape {
  if (dim === null) return shape.filter((d) => d !== 1);
  const d = normDim(dim, shape.length);
  return shape[d] === 1 ? shape.filter((_, i) => i !== d) : shape;
}

export function unsqueezeShape(shape: Shape, dim: number): Shape {
  const d = normDim(dim, shape.length + 1);
  return [...shape.slice(0, d), 1, ...shape.slice(d)];
}

export function expandShape(shape: Shape, sizes: Dim[]): Shape {
  const n = sizes.length;
  if (n < shape.length) throw shapeError(`expand: the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`);
  return sizes.map((s, i) => {
    const src = shape[i - (n - shape.length)];
    if (s === -1 && i < n - shape.length) throw shapeError(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
    if (s === -1) return src ?? null;
    if (s !== null && s < -1) throw shapeError('numel: integer multiplication overflow');
    if (src !== undefined && src !== null && s !== null && src !== 1 && src !== s) {
      throw shapeError(`The expanded size of the tensor (${s}) must match the existing size (${src}) at non-singleton dimension ${i}`);
    }
    return s;
  });
}

/** Sizes of the pieces of `torch.split(x, size_or_sections, dim)` along a dim of length n. */
export function splitSizes(n: number, sizeOrSections: number | number[]): number[] {
  if (Array.isArray(sizeOrSections)) {
    if (sizeOrSections.some((s) => s < 0)) throw shapeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[${sizeOrSections.join(', ')}]`);
    const sum = sizeOrSections.reduce((a, b) => a + b, 0);
    if (sum !== n) throw shapeError(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension), but got split_sizes=[${sizeOrSections.join(', ')}]`);
    return sizeOrSections;
  }
  if (sizeOrSections < 0) throw shapeError(`split expects split_size be non-negative, but got split_size=${sizeOrSections}`);
  if (sizeOrSections === 0) {
    if (n === 0) return [0];
    throw shapeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
  }
  // one tensor per piece: refused past the size budget before the list is built
  checkSize('tuple', Math.ceil(n / sizeOrSections));
  const out: number[] = [];
  for (let i = 0; i < n; i += sizeOrSections) out.push(Math.min(sizeOrSections, n - i));
  return out.length ? out : [0];
}

export function chunkSizes(n: number, chunks: number): number[] {
  if (chunks <= 0) throw shapeError(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const size = Math.ceil(n / chunks);
  return splitSizes(n, Math.max(size, 1));
}

export function resultDtype(a: DType, b: DType): DType {
  if (a === b) return a;
  const rank = (d: DType): number => (d === 'bool' ? 0 : d.startsWith('int') || d === 'uint8' ? 1 : isComplexDtype(d) ? 3 : 2);
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
  const size = (d: DType): number => DTYPE_BYTES[d];
  return size(a) >= size(b) ? a : b;
}
