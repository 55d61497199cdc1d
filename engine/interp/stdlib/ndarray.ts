// numpy's n-d array as the analysis holds it: a strided view (shape, strides, offset) over float64
// storage, with numpy 1.24's dtypes, casting, type promotion (value-based for Python scalars),
// broadcasting and element-wise kernels. Sizes are bounded (MAX_ELEMENTS); int64 values beyond 2^53
// are refused rather than rounded. Pure: no interpreter values here (numpy.ts wraps these).
import { InterpError, PyException } from '../values';
import { formatFloat } from '../ops';
import { charge } from '../budget';

export type DType = 'bool' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'float16' | 'float32' | 'float64';
export const DTYPES: DType[] = ['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64'];

/** The analysis refuses arrays beyond this many elements (a budget: nothing it models needs more). */
export const MAX_ELEMENTS = 1 << 22;

export type Kind = 'b' | 'i' | 'u' | 'f';
export const kind = (d: DType): Kind => (d === 'bool' ? 'b' : d[0] === 'i' ? 'i' : d[0] === 'u' ? 'u' : 'f');
export const itemsize = (d: DType): number => (d === 'bool' ? 1 : Number(/\d+/.exec(d)![0]) / 8);
const KIND_RANK: Record<Kind, number> = { b: 0, u: 1, i: 1, f: 2 };

export function checkSize(n: number, what: string): void {
  if (n > MAX_ELEMENTS) {
    throw new InterpError(`numpy: ${what} would have ${n.toLocaleString('en-US')} elements; the analysis keeps numpy arrays under ${MAX_ELEMENTS.toLocaleString('en-US')}`, undefined, undefined, undefined, 'budget');
  }
  charge(n); // each element built is work of the interpreter's budget (budget.ts)
}

// ---------------------------------------------------------------- values and casting
/** Nearest IEEE half-precision value (round half to even), as numpy's float16. */
export function fround16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const q = 2 ** (Math.max(e, -14) - 10); // the spacing of halves in this binade (subnormals below 2^-14)
  const t = a / q; // exact: q is a power of two
  let r = Math.floor(t);
  const frac = t - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 === 1)) r += 1;
  return Math.sign(x) * r * q;
}

const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1],
};

/** A value stored into an array of dtype d, as numpy's C casts do (wrapping small ints, rounding floats). */
export function castValue(x: number, d: DType): number {
  switch (d) {
    case 'float64': return x;
    case 'float32': return Math.fround(x);
    case 'float16': return fround16(x);
    case 'bool': return x !== 0 ? 1 : 0;
  }
  if (!Number.isFinite(x)) throw new InterpError(`numpy: casting ${x} to ${d} is undefined in numpy (platform-dependent); not modelled`);
  const t = Math.trunc(x);
  if (d === 'int64' || d === 'uint64') {
    if (Math.abs(t) > Number.MAX_SAFE_INTEGER) throw new InterpError(`numpy: ${d} value ${t} is beyond 2^53, which the analysis holds exactly; not modelled`);
    return d === 'uint64' && t < 0 ? (() => { throw new InterpError('numpy: negative value cast to uint64 is not modelled'); })() : t;
  }
  const [lo, hi] = INT_RANGE[d];
  const span = hi - lo + 1;
  return ((((t - lo) % span) + span) % span) + lo;
}

/** numpy.promote_types. */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  const ka = kind(a), kb = kind(b);
  if (ka === 'b') return b;
  if (kb === 'b') return a;
  if (ka === 'f' || kb === 'f') {
    const fl = (d: DType): number => (kind(d) === 'f' ? itemsize(d) : itemsize(d) === 1 ? 2 : itemsize(d) === 2 ? 4 : 8);
    return `float${Math.max(fl(a), fl(b)) * 8}` as DType;
  }
  if (ka === kb) return itemsize(a) >= itemsize(b) ? a : b;
  const [s, u] = ka === 'i' ? [a, b] : [b, a];
  if (itemsize(s) > itemsize(u)) return s;
  return itemsize(u) >= 8 ? 'float64' : (`int${itemsize(u) * 16}` as DType);
}

/** numpy.min_scalar_type for a Python scalar, as 1.x's value-based casting uses it. */
function minScalarType(v: number, isFloat: boolean, isBool: boolean, signedContext: boolean): DType {
  if (isBool) return 'bool';
  if (isFloat) return !Number.isFinite(v) || Math.abs(v) <= 65504 ? 'float16' : Math.abs(v) <= 3.4028234663852886e38 ? 'float32' : 'float64';
  if (v >= 0 && !signedContext) return v <= 255 ? 'uint8' : v <= 65535 ? 'uint16' : v <= 2 ** 32 - 1 ? 'uint32' : 'uint64';
  return v >= -128 && v <= 127 ? 'int8' : v >= -32768 && v <= 32767 ? 'int16' : v >= -(2 ** 31) && v <= 2 ** 31 - 1 ? 'int32' : 'int64';
}

export interface Operand { arr: NdArray; py?: { v: number; float: boolean; bool: boolean } }

/** numpy.result_type of the operands: Python scalars and 0-d arrays count by value when arrays of at least
 *  their category are present (numpy 1.24), else by their default dtype. */
export function resultType(ops: Operand[]): DType {
  const arrays = ops.filter((o) => !o.py && o.arr.ndim > 0);
  const scalars = ops.filter((o) => o.py || o.arr.ndim === 0);
  if (!arrays.length) return ops.map((o) => o.arr.dtype).reduce(promote);
  let dt = arrays.map((o) => o.arr.dtype).reduce(promote);
  const maxScalarRank = Math.max(...scalars.map((o) => KIND_RANK[kind(o.arr.dtype)]), -1);
  if (maxScalarRank > KIND_RANK[kind(dt)]) return [dt, ...scalars.map((o) => o.arr.dtype)].reduce(promote);
  for (const s of scalars) {
    const vals = s.py ? [s.py.v] : [...s.arr.values()];
    for (const v of vals) dt = promote(dt, minScalarType(v, kind(s.arr.dtype) === 'f', s.arr.dtype === 'bool', kind(dt) === 'i'));
  }
  return dt;
}

// ---------------------------------------------------------------- the array
export class NdArray {
  /** numpy scalar (np.float32(1.5)): a 0-d array that prints and behaves as a scalar. */
  scalar = false;
  constructor(
    readonly buf: Float64Array, readonly dtype: DType, readonly shape: number[], readonly strides: number[], readonly offset = 0,
    /** elements of np.empty not yet written (shared by views); reading one is refused */
    readonly unset: Uint8Array | null = null,
  ) {}

  static of(shape: number[], dtype: DType, data?: ArrayLike<number>): NdArray {
    const n = shape.reduce((p, q) => p * q, 1);
    checkSize(n, `an array of shape (${shape.join(', ')})`);
    const buf = new Float64Array(n);
    if (data) for (let i = 0; i < n; i++) buf[i] = castValue(data[i], dtype);
    return new NdArray(buf, dtype, shape, contiguousStrides(shape));
  }

  get ndim(): number { return this.shape.length; }
  get size(): number { return this.shape.reduce((p, q) => p * q, 1); }

  /** Buffer offsets of the elements in C order. */
  offsets(): Int32Array {
    const n = this.size, nd = this.ndim;
    charge(n);
    const out = new Int32Array(n);
    if (n === 0) return out;
    const idx = new Array<number>(nd).fill(0);
    let off = this.offset;
    for (let k = 0; k < n; k++) {
      out[k] = off;
      for (let d = nd - 1; d >= 0; d--) {
        idx[d]++;
        off += this.strides[d];
        if (idx[d] < this.shape[d]) break;
        off -= this.strides[d] * this.shape[d];
        idx[d] = 0;
      }
    }
    return out;
  }

  /** The elements in C order (a copy); unset np.empty elements are refused. */
  values(): Float64Array {
    const offs = this.offsets();
    const out = new Float64Array(offs.length);
    for (let k = 0; k < offs.length; k++) {
      if (this.unset && this.unset[offs[k]]) throw new InterpError('numpy: an element of np.empty(...) is read before it is set (its value is whatever memory held)');
      out[k] = this.buf[offs[k]];
    }
    return out;
  }

  isContiguous(): boolean {
    const c = contiguousStrides(this.shape);
    return this.shape.every((s, i) => s === 1 || this.strides[i] === c[i]);
  }

  view(shape: number[], strides: number[], offset: number): NdArray { return new NdArray(this.buf, this.dtype, shape, strides, offset, this.unset); }

  copy(dtype: DType = this.dtype): NdArray { return NdArray.of([...this.shape], dtype, this.values()); }

  reshape(shape: number[]): NdArray {
    const n = this.size;
    const neg = shape.indexOf(-1);
    if (neg >= 0) {
      if (shape.lastIndexOf(-1) !== neg) throw new PyException('ValueError', 'can only specify one unknown dimension');
      const rest = shape.reduce((p, q, i) => (i === neg ? p : p * q), 1);
      if (rest === 0 || n % rest !== 0) throw new PyException('ValueError', `cannot reshape array of size ${n} into shape ${shapeText(shape)}`);
      shape = shape.map((s, i) => (i === neg ? n / rest : s));
    }
    if (shape.some((s) => s < 0) || shape.reduce((p, q) => p * q, 1) !== n) throw new PyException('ValueError', `cannot reshape array of size ${n} into shape ${shapeText(shape)}`);
    const src = this.isContiguous() ? this : this.copy();
    return src.view(shape, contiguousStrides(shape), src.offset);
  }

  transpose(axes?: number[]): NdArray {
    const ax = axes ?? this.shape.map((_, i) => this.ndim - 1 - i);
    if (ax.length !== this.ndim || new Set(ax.map((a) => normAxis(a, this.ndim))).size !== this.ndim) throw new PyException('ValueError', 'axes don\'t match array');
    const a = ax.map((x) => normAxis(x, this.ndim));
    return this.view(a.map((i) => this.shape[i]), a.map((i) => this.strides[i]), this.offset);
  }

  broadcastTo(shape: number[]): NdArray {
    const pad = shape.length - this.ndim;
    const strides = shape.map((s, i) => {
      const d = i - pad;
      if (d < 0) return 0;
      if (this.shape[d] === s) return this.strides[d];
      if (this.shape[d] === 1) return 0;
      throw new PyException('ValueError', `operands could not be broadcast together with shapes ${shapeText(this.shape)} ${shapeText(shape)} `);
    });
    return this.view([...shape], strides, this.offset);
  }

  /** Writes `src` (already broadcast to this shape) into this view, cast to this dtype. */
  assign(src: NdArray): void {
    const to = this.offsets(), vals = src.broadcastTo(this.shape).values();
    for (let k = 0; k < to.length; k++) { this.buf[to[k]] = castValue(vals[k], this.dtype); if (this.unset) this.unset[to[k]] = 0; }
  }
}

/** A shape as numpy's messages write it: (3,) (2,4) */
export function shapeText(shape: number[]): string { return `(${shape.join(',')}${shape.length === 1 ? ',' : ''})`; }

export function contiguousStrides(shape: number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { out[i] = s; s *= shape[i]; }
  return out;
}

export function normAxis(a: number, nd: number): number {
  const x = a < 0 ? a + nd : a;
  if (x < 0 || x >= nd) throw new PyException('AxisError', `axis ${a} is out of bounds for array of dimension ${nd}`);
  return x;
}

export function broadcastShapes(shapes: number[][]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < nd; i++) {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - nd + i] ?? 1;
      if (x === 1) continue;
      if (d !== 1 && d !== x) throw new PyException('ValueError', `operands could not be broadcast together with shapes ${shapes.map(shapeText).join(' ')} `);
      d = x;
    }
    out.push(d);
  }
  return out;
}

// ---------------------------------------------------------------- kernels
export type BinFn = (x: number, y: number) => number;

/** An element-wise binary kernel over broadcast operands: computed in float64, stored as `out`. */
export function binary(a: NdArray, b: NdArray, out: DType, f: BinFn): NdArray {
  const shape = broadcastShapes([a.shape, b.shape]);
  const n = shape.reduce((p, q) => p * q, 1);
  checkSize(n, 'the result');
  const x = a.broadcastTo(shape).values(), y = b.broadcastTo(shape).values();
  const r = new Float64Array(n);
  for (let k = 0; k < n; k++) r[k] = castValue(f(x[k], y[k]), out);
  return new NdArray(r, out, shape, contiguousStrides(shape));
}

export function unary(a: NdArray, out: DType, f: (x: number) => number): NdArray {
  const x = a.values();
  const r = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) r[k] = castValue(f(x[k]), out);
  return new NdArray(r, out, [...a.shape], contiguousStrides(a.shape));
}

/** A reduction over `axes` (all when null): fold from `init` per output element. */
export function reduce(a: NdArray, axes: number[] | null, keepdims: boolean, out: DType, init: number, f: BinFn, finish?: (acc: number, count: number) => number): NdArray {
  const ax = axes === null ? a.shape.map((_, i) => i) : [...new Set(axes.map((x) => normAxis(x, a.ndim)))];
  const keepShape = a.shape.map((s, i) => (ax.includes(i) ? 1 : s));
  const outShape = keepdims ? keepShape : a.shape.filter((_, i) => !ax.includes(i));
  const count = ax.reduce((p, i) => p * a.shape[i], 1);
  const vals = a.values();
  const outStrides = contiguousStrides(keepShape);
  const acc = new Float64Array(keepShape.reduce((p, q) => p * q, 1)).fill(init);
  const inStrides = contiguousStrides(a.shape);
  for (let k = 0; k < vals.length; k++) {
    let o = 0, rem = k;
    for (let d = 0; d < a.ndim; d++) { const i = Math.floor(rem / inStrides[d]); rem -= i * inStrides[d]; if (!ax.includes(d)) o += i * outStrides[d]; }
    acc[o] = f(acc[o], vals[k]);
  }
  if (count === 0 && init !== 0 && init !== 1) throw new PyException('ValueError', 'zero-size array to reduction operation which has no identity');
  const r = acc.map((v) => castValue(finish ? finish(v, count) : v, out));
  return new NdArray(r, out, outShape, contiguousStrides(outShape));
}

/** The float dtype numpy's float ufuncs (sin, exp, sqrt, true division) give for an input dtype. */
export function floatOf(d: DType): DType {
  if (kind(d) === 'f') return d;
  return d === 'bool' || itemsize(d) === 1 ? 'float16' : itemsize(d) === 2 ? 'float32' : 'float64';
}

/** numpy's repr of a float32/float16 scalar: the fewest digits that round back to it, in Python's notation. */
export function shortFloat(x: number, d: DType): string {
  if (!Number.isFinite(x)) return formatFloat(x);
  const round = d === 'float32' ? Math.fround : d === 'float16' ? fround16 : (v: number) => v;
  for (let p = 1; p <= 17; p++) {
    const v = Number(x.toPrecision(p));
    if (round(v) === x) return formatFloat(v);
  }
  return formatFloat(x);
}
