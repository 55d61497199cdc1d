// numpy indexing on NdArray: basic indexing (ints, slices with steps, None, ...) gives views that
// share storage, as numpy's do; integer and boolean arrays (advanced indexing) gather copies by
// numpy's placement rule (adjacent advanced indices stay in place, separated ones go first).
// Assignment writes through either kind. Pure: numpy.ts turns Python index values into `Idx`.
import { PyException } from '../values';
import { NdArray, broadcastShapes, castValue, checkSize, contiguousStrides } from './ndarray';

export type Idx =
  | { k: 'int'; v: number }
  | { k: 'slice'; lo: number | null; hi: number | null; step: number | null }
  | { k: 'new' }
  | { k: 'ell' }
  | { k: 'arr'; a: NdArray };

/** Python's slice.indices for a dimension of length n: start, step and count. */
export function sliceRange(sl: Idx & { k: 'slice' }, n: number): [number, number, number] {
  const step = sl.step ?? 1;
  if (step === 0) throw new PyException('ValueError', 'slice step cannot be zero');
  const norm = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const i = v < 0 ? v + n : v;
    return Math.min(Math.max(i, lo), hi);
  };
  const start = step > 0 ? norm(sl.lo, 0, 0, n) : norm(sl.lo, n - 1, -1, n - 1);
  const stop = step > 0 ? norm(sl.hi, n, 0, n) : norm(sl.hi, -1, -1, n - 1);
  const count = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return [start, step, count];
}

function checkInt(i: number, n: number, axis: number): number {
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) throw new PyException('IndexError', `index ${i} is out of bounds for axis ${axis} with size ${n}`);
  return j;
}

/** The index with its ellipsis expanded, missing trailing dims as full slices, boolean arrays as integer arrays. */
function normalise(a: NdArray, items: Idx[]): Idx[] {
  const consumes = (x: Idx): number => (x.k === 'int' || x.k === 'slice' ? 1 : x.k === 'arr' ? (x.a.dtype === 'bool' ? x.a.ndim : 1) : 0);
  const used = items.reduce((p, x) => p + consumes(x), 0);
  if (items.filter((x) => x.k === 'ell').length > 1) throw new PyException('IndexError', "an index can only have a single ellipsis ('...')");
  if (used > a.ndim) throw new PyException('IndexError', `too many indices for array: array is ${a.ndim}-dimensional, but ${used} were indexed`);
  const full = (): Idx => ({ k: 'slice', lo: null, hi: null, step: null });
  const out: Idx[] = [];
  let dim = 0;
  for (const x of items) {
    if (x.k === 'ell') { for (let i = 0; i < a.ndim - used; i++) out.push(full()); dim += a.ndim - used; continue; }
    if (x.k === 'arr' && x.a.dtype === 'bool') { out.push(...nonzero(x.a, a.shape.slice(dim, dim + x.a.ndim), dim)); dim += x.a.ndim; continue; }
    out.push(x);
    dim += consumes(x);
  }
  while (dim++ < a.ndim) out.push(full());
  return out;
}

/** A boolean mask as the integer index arrays of its True elements (numpy's nonzero). */
function nonzero(mask: NdArray, dims: number[], at: number): Idx[] {
  mask.shape.forEach((s, i) => {
    if (s !== dims[i]) throw new PyException('IndexError', `boolean index did not match indexed array along dimension ${at + i}; dimension is ${dims[i]} but corresponding boolean dimension is ${s}`);
  });
  const vals = mask.values();
  const strides = contiguousStrides(mask.shape);
  const cols: number[][] = mask.shape.map(() => []);
  vals.forEach((v, k) => {
    if (!v) return;
    let rem = k;
    strides.forEach((st, d) => { const i = Math.floor(rem / st); rem -= i * st; cols[d].push(i); });
  });
  if (mask.ndim === 0) return [];
  return cols.map((c) => ({ k: 'arr', a: NdArray.of([c.length], 'int64', c) }));
}

/** Where the elements `a[items]` come from: result shape and buffer offsets, or a view for basic indexing. */
function locate(a: NdArray, raw: Idx[]): { view: NdArray } | { shape: number[]; offsets: Int32Array } {
  const items = normalise(a, raw);
  const anyArr = items.some((x) => x.k === 'arr');
  if (!anyArr) return { view: basicView(a, items) };
  // ints join the advanced indices once an array is present (numpy treats them as 0-d arrays)
  const adv: Array<{ dim: number; idx: NdArray }> = [];
  const basic: Array<{ dim: number; start: number; step: number; count: number } | { newAxis: true }> = [];
  const order: Array<'adv' | 'basic'> = [];
  let dim = 0;
  for (const x of items) {
    if (x.k === 'new') { basic.push({ newAxis: true }); order.push('basic'); continue; }
    if (x.k === 'arr' || x.k === 'int') {
      adv.push({ dim, idx: x.k === 'arr' ? x.a : NdArray.of([], 'int64', [x.v]) });
      order.push('adv');
    } else if (x.k === 'slice') {
      const [start, step, count] = sliceRange(x, a.shape[dim]);
      basic.push({ dim, start, step, count });
      order.push('basic');
    }
    dim++;
  }
  const bshape = broadcastShapes(adv.map((x) => x.idx.shape));
  const firstAdv = order.indexOf('adv'), lastAdv = order.lastIndexOf('adv');
  const adjacent = order.slice(firstAdv, lastAdv + 1).every((o) => o === 'adv');
  const basicShape = basic.map((b) => ('newAxis' in b ? 1 : b.count));
  const before = adjacent ? order.slice(0, firstAdv).length : 0;
  const shape = [...basicShape.slice(0, before), ...bshape, ...basicShape.slice(before)];
  const n = shape.reduce((p, q) => p * q, 1);
  checkSize(n, 'the indexed result');
  const advVals = adv.map((x) => x.idx.broadcastTo(bshape).values());
  const bStrides = contiguousStrides(bshape);
  const offsets = new Int32Array(n);
  const outStrides = contiguousStrides(shape);
  for (let k = 0; k < n; k++) {
    let rem = k, off = a.offset;
    const coords = outStrides.map((st) => { const i = Math.floor(rem / st); rem -= i * st; return i; });
    const bk = coords.slice(before, before + bshape.length).reduce((p, c, i) => p + c * bStrides[i], 0);
    const bcoords = [...coords.slice(0, before), ...coords.slice(before + bshape.length)];
    basic.forEach((b, i) => { if (!('newAxis' in b)) off += (b.start + bcoords[i] * b.step) * a.strides[b.dim]; });
    adv.forEach((x, i) => { off += checkInt(advVals[i][bk], a.shape[x.dim], x.dim) * a.strides[x.dim]; });
    offsets[k] = off;
  }
  return { shape, offsets };
}

function basicView(a: NdArray, items: Idx[]): NdArray {
  const shape: number[] = [], strides: number[] = [];
  let off = a.offset, dim = 0;
  for (const x of items) {
    if (x.k === 'new') { shape.push(1); strides.push(0); continue; }
    if (x.k === 'int') { off += checkInt(x.v, a.shape[dim], dim) * a.strides[dim]; dim++; continue; }
    if (x.k === 'slice') {
      const [start, step, count] = sliceRange(x, a.shape[dim]);
      if (count > 0) off += start * a.strides[dim];
      shape.push(count);
      strides.push(step * a.strides[dim]);
      dim++;
    }
  }
  return a.view(shape, strides, off);
}

/** `a[items]`: a view for basic indexing, a copy for advanced indexing. */
export function getIndex(a: NdArray, items: Idx[]): NdArray {
  const loc = locate(a, items);
  if ('view' in loc) return loc.view;
  const r = new Float64Array(loc.offsets.length);
  loc.offsets.forEach((o, k) => {
    if (a.unset && a.unset[o]) throw new PyException('ValueError', 'numpy: an element of np.empty(...) is read before it is set');
    r[k] = a.buf[o];
  });
  return new NdArray(r, a.dtype, loc.shape, contiguousStrides(loc.shape));
}

/** `a[items] = value`: value broadcast to the indexed shape and cast to a's dtype. */
export function setIndex(a: NdArray, items: Idx[], value: NdArray): void {
  const loc = locate(a, items);
  if ('view' in loc) { loc.view.assign(value); return; }
  const vals = value.broadcastTo(loc.shape).values();
  loc.offsets.forEach((o, k) => { a.buf[o] = castValue(vals[k], a.dtype); if (a.unset) a.unset[o] = 0; });
}
