// Python's math module: constants and real functions over ints and floats (float results boxed as
// PyFloat). An unknown argument stops the computation with a diagnostic, never a made-up number.
import type { Interp } from '../interp';
import { Unknown, type Value } from '../values';
import { fn, realArg, flt, kwOr } from './native';

export function math(it: Interp): Record<string, Value> {
  return {
    pi: flt(Math.PI), e: flt(Math.E), inf: flt(Infinity), nan: flt(NaN), tau: flt(2 * Math.PI),
    sqrt: fn('sqrt', (a) => flt(Math.sqrt(realArg(a[0])))),
    ceil: fn('ceil', (a) => (a[0] instanceof Unknown ? a[0] : Math.ceil(realArg(a[0])))),
    floor: fn('floor', (a) => (a[0] instanceof Unknown ? a[0] : Math.floor(realArg(a[0])))),
    trunc: fn('trunc', (a) => Math.trunc(realArg(a[0]))),
    log: fn('log', (a) => flt(a.length > 1 ? Math.log(realArg(a[0])) / Math.log(realArg(a[1])) : Math.log(realArg(a[0])))),
    log2: fn('log2', (a) => flt(Math.log2(realArg(a[0])))),
    log10: fn('log10', (a) => flt(Math.log10(realArg(a[0])))),
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
    gcd: fn('gcd', (a) => a.map(realArg).reduce((x, y) => { x = Math.abs(x); y = Math.abs(y); while (y) [x, y] = [y, x % y]; return x; }, 0)),
    prod: fn('prod', (a, kw, ctx) => it.iterate(a[0], ctx).reduce<Value>((acc, v) => it.binop('*', acc, v, ctx), kwOr(kw, 'start', 1))),
    factorial: fn('factorial', (a) => { let r = 1; for (let i = 2; i <= realArg(a[0]); i++) r *= i; return r; }),
    comb: fn('comb', (a) => { const n = realArg(a[0]), k = realArg(a[1]); let r = 1; for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i; return Math.round(r); }),
    radians: fn('radians', (a) => flt((realArg(a[0]) * Math.PI) / 180)),
  };
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for golden checks; use a series/continued-fraction pair.
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t, term = t;
    for (let n = 1; n < 60; n++) { term *= (-t * t) / n; sum += term / (2 * n + 1); }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
}
