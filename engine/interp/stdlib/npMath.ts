// numpy's arithmetic on NdArray: the operators with numpy 1.24's result dtypes (true division to
// float, integer powers, Python-style // and %), the float and same-dtype ufuncs, and reductions that
// add in numpy's order (pairwise along a contiguous axis) and in the result dtype. Pure.
import { InterpError, PyException } from '../values';
import { floatFloorDiv } from '../ops';
import { NdArray, binary, castValue, contiguousStrides, floatOf, kind, normAxis, promote, resultType, unary, type DType, type Operand } from './ndarray';
import { roundHalfEven } from '../../util/numeric';

/** numpy's floor_divide for floats: Python's float floor division, with inf/nan for a zero divisor. */
function floorDivF(x: number, y: number): number {
  if (y === 0) return x === 0 || Number.isNaN(x) ? NaN : (x > 0) === !Object.is(y, -0) ? Infinity : -Infinity;
  return floatFloorDiv(x, y);
}

function modF(x: number, y: number): number {
  if (y === 0) return NaN;
  const m = x % y;
  return m !== 0 && (y < 0) !== (m < 0) ? m + y : m === 0 ? 0 * y : m;
}

function intBits(op: string, x: number, y: number): number {
  if ((x | 0) === x && (y | 0) === y && op !== '<<' && op !== '>>') return op === '&' ? x & y : op === '|' ? x | y : x ^ y;
  const a = BigInt(x), b = BigInt(y);
  const r = op === '&' ? a & b : op === '|' ? a | b : op === '^' ? a ^ b : op === '<<' ? a << b : a >> b;
  return Number(r);
}

/** `a OP b` for numpy operands (Python scalars marked `py`, weak as numpy 1.x treats them). */
export function arithmetic(op: string, a: Operand, b: Operand): NdArray {
  const dt = resultType([a, b]);
  const x = a.arr, y = b.arr;
  const isInt = kind(dt) === 'i' || kind(dt) === 'u';
  switch (op) {
    case '+': return dt === 'bool' ? binary(x, y, dt, (p, q) => (p || q ? 1 : 0)) : binary(x, y, dt, (p, q) => p + q);
    case '-':
      if (dt === 'bool') throw new PyException('TypeError', 'numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.');
      return binary(x, y, dt, (p, q) => p - q);
    case '*': return dt === 'bool' ? binary(x, y, dt, (p, q) => (p && q ? 1 : 0)) : binary(x, y, dt, (p, q) => p * q);
    case '/': return binary(x, y, kind(dt) === 'f' ? dt : 'float64', (p, q) => p / q);
    case '//': return isInt || dt === 'bool' ? binary(x, y, dt === 'bool' ? 'int8' : dt, (p, q) => (q === 0 ? 0 : Math.floor(p / q))) : binary(x, y, dt, floorDivF);
    case '%': return isInt || dt === 'bool' ? binary(x, y, dt === 'bool' ? 'int8' : dt, (p, q) => (q === 0 ? 0 : p - Math.floor(p / q) * q)) : binary(x, y, dt, modF);
    case '**':
      if (isInt && [...y.values()].some((v) => v < 0)) throw new PyException('ValueError', 'Integers to negative integer powers are not allowed.');
      return binary(x, y, dt === 'bool' ? 'int8' : dt, (p, q) => p ** q);
    case '&': case '|': case '^': case '<<': case '>>':
      if (kind(dt) === 'f') throw new PyException('TypeError', `ufunc '${{ '&': 'bitwise_and', '|': 'bitwise_or', '^': 'bitwise_xor', '<<': 'left_shift', '>>': 'right_shift' }[op]}' not supported for the input types`);
      return binary(x, y, dt, (p, q) => intBits(op, p, q));
    case '@': return matmul(x, y, dt);
  }
  throw new InterpError(`numpy operator ${op} is not modelled`);
}

const COMPARE: Record<string, (p: number, q: number) => boolean> = {
  '==': (p, q) => p === q, '!=': (p, q) => p !== q, '<': (p, q) => p < q, '<=': (p, q) => p <= q, '>': (p, q) => p > q, '>=': (p, q) => p >= q,
};

export function comparison(op: string, a: NdArray, b: NdArray): NdArray {
  const f = COMPARE[op];
  return binary(a, b, 'bool', (p, q) => (f(p, q) ? 1 : 0));
}

/** Float ufuncs: an integer or bool input gives numpy's smallest float that holds it. */
export const FLOAT_UFUNCS: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, arcsinh: Math.asinh, arccosh: Math.acosh, arctanh: Math.atanh,
  exp: Math.exp, exp2: (x) => 2 ** x, expm1: Math.expm1, log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p,
  sqrt: Math.sqrt, cbrt: Math.cbrt, floor: Math.floor, ceil: Math.ceil, trunc: Math.trunc, rint: roundHalfEven,
  deg2rad: (x) => (x * Math.PI) / 180, rad2deg: (x) => (x * 180) / Math.PI, radians: (x) => (x * Math.PI) / 180, degrees: (x) => (x * 180) / Math.PI,
};

/** Ufuncs that keep the input dtype. */
export const SAME_UFUNCS: Record<string, (x: number) => number> = {
  absolute: Math.abs, abs: Math.abs, negative: (x) => -x, positive: (x) => x, square: (x) => x * x, sign: Math.sign,
};

export { roundHalfEven };

export function floatUfunc(name: string, a: NdArray): NdArray { return unary(a, floatOf(a.dtype), FLOAT_UFUNCS[name]); }

export function sameUfunc(name: string, a: NdArray): NdArray {
  if (a.dtype === 'bool' && name === 'negative') throw new PyException('TypeError', 'The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.');
  const out = a.dtype === 'bool' && (name === 'square' || name === 'sign') ? 'int8' : a.dtype;
  return unary(a, out, SAME_UFUNCS[name]);
}

/** np.round(a, decimals): half to even at the decimal position, ints unchanged for decimals >= 0. */
export function roundArray(a: NdArray, decimals: number): NdArray {
  if (kind(a.dtype) !== 'f' && decimals >= 0) return a.copy();
  const f = 10 ** decimals;
  return unary(a, a.dtype, (x) => (decimals >= 0 ? roundHalfEven(x * f) / f : roundHalfEven(x / 10 ** -decimals) * 10 ** -decimals));
}

function matmul(a: NdArray, b: NdArray, dt: DType): NdArray {
  if (a.ndim === 0 || b.ndim === 0) throw new PyException('ValueError', "matmul: Input operand does not have enough dimensions");
  if (a.ndim > 2 || b.ndim > 2) throw new InterpError('numpy: batched matmul of arrays with more than 2 dimensions is not modelled');
  const A = a.ndim === 1 ? a.reshape([1, a.shape[0]]) : a, B = b.ndim === 1 ? b.reshape([b.shape[0], 1]) : b;
  const [n, k] = A.shape, [k2, m] = B.shape;
  if (k !== k2) throw new PyException('ValueError', `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size ${k2} is different from ${k})`);
  const x = A.values(), y = B.values();
  const r = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s = castValue(s + castValue(x[i * k + t] * y[t * m + j], dt), dt);
    r[i * m + j] = s;
  }
  const shape = [...(a.ndim === 2 ? [n] : []), ...(b.ndim === 2 ? [m] : [])];
  return new NdArray(r, dt, shape, contiguousStrides(shape));
}

// ---------------------------------------------------------------- reductions
/** numpy's pairwise summation (PW_BLOCKSIZE 128, eight accumulators), rounding to `dt` after each add. */
function pairwise(v: Float64Array, start: number, n: number, stride: number, dt: DType): number {
  const add = (p: number, q: number): number => castValue(p + q, dt);
  if (n < 8) {
    let s = -0;
    for (let i = 0; i < n; i++) s = add(s, v[start + i * stride]);
    return s;
  }
  if (n <= 128) {
    const r = Array.from({ length: 8 }, (_, j) => v[start + j * stride]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = add(r[j], v[start + (i + j) * stride]);
    let s = add(add(add(r[0], r[1]), add(r[2], r[3])), add(add(r[4], r[5]), add(r[6], r[7])));
    for (; i < n; i++) s = add(s, v[start + i * stride]);
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return add(pairwise(v, start, n2, stride, dt), pairwise(v, start + n2 * stride, n - n2, stride, dt));
}

/** The dtype np.sum/np.prod give: small ints widen to int64 (uint64), bools to int64. */
export function sumDtype(d: DType): DType {
  if (d === 'bool') return 'int64';
  if (kind(d) === 'i') return 'int64';
  if (kind(d) === 'u') return 'uint64';
  return d;
}

/** A sum over `axes` (null: all) in numpy's order: pairwise along the last axis or over a whole array, else in sequence. */
export function sumArray(a: NdArray, axes: number[] | null, keepdims: boolean, dt: DType, scale?: (s: number, n: number) => number): NdArray {
  const nd = a.ndim;
  const ax = axes === null ? a.shape.map((_, i) => i) : [...new Set(axes.map((x) => normAxis(x, nd)))].sort();
  const vals = a.values();
  const keep = a.shape.map((s, i) => (ax.includes(i) ? 1 : s));
  const outShape = keepdims ? keep : a.shape.filter((_, i) => !ax.includes(i));
  const count = ax.reduce((p, i) => p * a.shape[i], 1);
  const fin = (s: number): number => castValue(scale ? scale(s, count) : s, dt);
  const contiguousTail = ax.every((d, i) => d === nd - ax.length + i);
  if (contiguousTail) {
    const rows = vals.length / Math.max(count, 1);
    const r = new Float64Array(count === 0 ? keep.reduce((p, q) => p * q, 1) : rows);
    for (let i = 0; i < r.length; i++) r[i] = fin(count === 0 ? 0 : pairwise(vals, i * count, count, 1, dt));
    return new NdArray(r, dt, outShape, contiguousStrides(outShape));
  }
  // other axes: numpy adds whole slices in index order
  const inStrides = contiguousStrides(a.shape), outStrides = contiguousStrides(keep);
  const acc = new Float64Array(keep.reduce((p, q) => p * q, 1));
  for (let k = 0; k < vals.length; k++) {
    let o = 0, rem = k;
    for (let d = 0; d < nd; d++) { const i = Math.floor(rem / inStrides[d]); rem -= i * inStrides[d]; if (!ax.includes(d)) o += i * outStrides[d]; }
    acc[o] = castValue(acc[o] + vals[k], dt);
  }
  return new NdArray(acc.map(fin), dt, outShape, contiguousStrides(outShape));
}

/** np.mean's accumulator (ints and bools in float64, float16 in float32, as numpy's _mean) and its result dtype. */
export function meanDtypes(d: DType): [DType, DType] { return kind(d) !== 'f' ? ['float64', 'float64'] : d === 'float16' ? ['float32', 'float16'] : [d, d]; }

/** The dtype of an operation on arrays of these dtypes (np.concatenate, np.stack, np.where). */
export function commonDtype(ds: DType[]): DType { return ds.reduce(promote); }
