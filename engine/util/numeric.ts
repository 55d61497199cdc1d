// Number helpers the interpreter, the torch layer and the kernels share: Python's rounding and slice
// arithmetic on plain numbers. Imports nothing, so every part of the engine may use it.

/** Python's round-half-to-even (round(2.5) == 2), as round(), numpy.rint and torch.round do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * What a slice lo:hi:step selects from a sequence of length n (null: omitted), clamped as Python's
 * slice.indices() does: the first index, the step and how many. Throws on step 0 (the caller raises
 * Python's ValueError).
 */
export function sliceSpan(lo: number | null, hi: number | null, step: number | null, n: number): { start: number; step: number; count: number } {
  const st = step ?? 1;
  if (st === 0) throw new RangeError('slice step cannot be zero');
  const norm = (v: number | null, def: number, min: number, max: number): number => {
    if (v === null) return def;
    const i = v < 0 ? v + n : v;
    return Math.min(Math.max(i, min), max);
  };
  if (st > 0) {
    const start = norm(lo, 0, 0, n), stop = norm(hi, n, 0, n);
    return { start, step: st, count: stop > start ? Math.ceil((stop - start) / st) : 0 };
  }
  const start = norm(lo, n - 1, -1, n - 1), stop = norm(hi, -1, -1, n - 1);
  return { start, step: st, count: start > stop ? Math.ceil((start - stop) / -st) : 0 };
}

/** The indices of sliceSpan, in order. */
export function sliceRange(lo: number | null, hi: number | null, step: number | null, n: number): number[] {
  const { start, step: st, count } = sliceSpan(lo, hi, step, n);
  const out: number[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = start + k * st;
  return out;
}

/** Python's math.erf (JavaScript has none), used by math.erf, torch.erf and GELU. */
// Maclaurin series for |x| < 2 and a Lentz continued fraction for erfc beyond: within 1.2e-15 of CPython's.
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax < 2) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = ax, C = ax, D = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    D = ax + a * D;
    D = Math.abs(D) < tiny ? tiny : D;
    C = ax + a / C;
    C = Math.abs(C) < tiny ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}
