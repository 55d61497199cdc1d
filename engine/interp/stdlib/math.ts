// Python's math module: constants and real functions over ints and floats (float results boxed as
// PyFloat). An unknown argument stops the computation with a diagnostic, never a made-up number.
import type { Interp } from '../interp';
import { InterpError, PyException, Unknown, type Value } from '../values';
import { isIntLike, notAnInteger, numOf } from '../ops';
import { MAX_INT_BITS, bitLength as bitLengthOf, floatToInt, normInt, tooLarge } from '../intMath';
import { fn, realArg, flt, kwOr } from './native';
import { erf } from '../../util/numeric';

export function math(it: Interp): Record<string, Value> {
  return {
    pi: flt(Math.PI), e: flt(Math.E), inf: flt(Infinity), nan: flt(NaN), tau: flt(2 * Math.PI),
    sqrt: fn('sqrt', (a) => flt(Math.sqrt(realArg(a[0])))),
    ceil: fn('ceil', (a) => intRound(a[0], Math.ceil)),
    floor: fn('floor', (a) => intRound(a[0], Math.floor)),
    trunc: fn('trunc', (a) => intRound(a[0], Math.trunc)),
    log: fn('log', (a) => flt(a.length > 1 ? logOf(a[0]) / logOf(a[1]) : logOf(a[0]))),
    log2: fn('log2', (a) => flt(logOf(a[0]) / Math.LN2)),
    log10: fn('log10', (a) => flt(logOf(a[0]) / Math.LN10)),
    exp: fn('exp', (a) => flt(Math.exp(realArg(a[0])))),
    pow: fn('pow', (a) => flt(realArg(a[0]) ** realArg(a[1]))),
    fabs: fn('fabs', (a) => flt(Math.abs(realArg(a[0])))),
    sin: fn('sin', (a) => flt(Math.sin(realArg(a[0])))), cos: fn('cos', (a) => flt(Math.cos(realArg(a[0])))),
    tan: fn('tan', (a) => flt(Math.tan(realArg(a[0])))), atan: fn('atan', (a) => flt(Math.atan(realArg(a[0])))),
    tanh: fn('tanh', (a) => flt(Math.tanh(realArg(a[0])))),
    erf: fn('erf', (a) => flt(erf(realArg(a[0])))),
    isclose: fn('isclose', (a, kw) => { const x = realArg(a[0]), y = realArg(a[1]); const rt = realArg(kwOr(kw, 'rel_tol', flt(1e-9))), at = realArg(kwOr(kw, 'abs_tol', flt(0))); return Math.abs(x - y) <= Math.max(rt * Math.max(Math.abs(x), Math.abs(y)), at); }),
    isfinite: fn('isfinite', (a) => Number.isFinite(realArg(a[0]))),
    isnan: fn('isnan', (a) => Number.isNaN(realArg(a[0]))),
    isinf: fn('isinf', (a) => !Number.isFinite(realArg(a[0])) && !Number.isNaN(realArg(a[0]))),
    gcd: fn('gcd', (a) => normInt(a.map((v) => bigArg(v, 'gcd')).reduce((x, y) => { x = x < 0n ? -x : x; y = y < 0n ? -y : y; while (y) [x, y] = [y, x % y]; return x; }, 0n))),
    lcm: fn('lcm', (a) => normInt(a.map((v) => bigArg(v, 'lcm')).reduce((x, y) => { if (x === 0n || y === 0n) return 0n; let [p, q] = [x, y]; while (q) [p, q] = [q, p % q]; const l = (x * y) / p; return l < 0n ? -l : l; }, 1n))),
    isqrt: fn('isqrt', (a) => { const n = bigArg(a[0], 'isqrt'); if (n < 0n) throw new PyException('ValueError', 'isqrt() argument must be nonnegative'); return normInt(isqrt(n)); }),
    prod: fn('prod', (a, kw, ctx) => it.iterate(a[0], ctx).reduce<Value>((acc, v) => it.binop('*', acc, v, ctx), kwOr(kw, 'start', 1))),
    factorial: fn('factorial', (a) => {
      const n = bigArg(a[0], 'factorial');
      if (n < 0n) throw new PyException('ValueError', 'factorial() not defined for negative values');
      // log2(n!) by Stirling, checked before the product is built
      const nn = Number(n);
      const bits = nn > 20 ? nn * Math.log2(nn / Math.E) + 0.5 * Math.log2(2 * Math.PI * nn) : 0;
      if (bits > MAX_INT_BITS) throw tooLarge(bits);
      let r = 1n;
      for (let i = 2n; i <= n; i++) r *= i;
      return normInt(r);
    }),
    comb: fn('comb', (a) => {
      const n = bigArg(a[0], 'comb'), k = bigArg(a[1], 'comb');
      if (n < 0n || k < 0n) throw new PyException('ValueError', `${n < 0n ? 'n' : 'k'} must be a non-negative integer`);
      if (k > n) return 0;
      const kk = k > n - k ? n - k : k;
      let r = 1n;
      for (let i = 1n; i <= kk; i++) { r = (r * (n - kk + i)) / i; if (bitLengthOf(r) > MAX_INT_BITS) throw tooLarge(bitLengthOf(r)); }
      return normInt(r);
    }),
    perm: fn('perm', (a) => {
      const n = bigArg(a[0], 'perm'), k = a.length > 1 && a[1] !== null ? bigArg(a[1], 'perm') : n;
      if (n < 0n || k < 0n) throw new PyException('ValueError', `${n < 0n ? 'n' : 'k'} must be a non-negative integer`);
      if (k > n) return 0;
      let r = 1n;
      for (let i = n - k + 1n; i <= n; i++) { r *= i; if (bitLengthOf(r) > MAX_INT_BITS) throw tooLarge(bitLengthOf(r)); }
      return normInt(r);
    }),
    radians: fn('radians', (a) => flt((realArg(a[0]) * Math.PI) / 180)),
  };
}

/** math.floor/ceil/trunc: an int, exact for floats beyond 2^53. */
function intRound(v: Value, f: (x: number) => number): Value {
  if (v instanceof Unknown) return v;
  if (isIntLike(v)) return numOf(v);
  return floatToInt(f(realArg(v)));
}

/** Natural log, also of ints beyond the float range (as Python's math.log takes them). */
function logOf(v: Value): number {
  if (typeof v === 'bigint' && v > 0n) {
    const bits = bitLengthOf(v);
    const top = Number(v >> BigInt(Math.max(0, bits - 60)));
    return Math.log(top) + Math.max(0, bits - 60) * Math.LN2;
  }
  const x = realArg(v);
  if (x <= 0) throw new PyException('ValueError', 'math domain error');
  return Math.log(x);
}

function bigArg(v: Value, what: string): bigint {
  if (v instanceof Unknown) throw new InterpError(`math.${what} of an unknown value (${v.reason})`);
  if (!isIntLike(v)) throw notAnInteger(v);
  return BigInt(numOf(v));
}

/** Integer square root by Newton's method from above. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLengthOf(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
