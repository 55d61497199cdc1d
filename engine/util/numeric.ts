// Number helpers the interpreter, the torch layer and the kernels share: Python's rounding and slice
// arithmetic on plain numbers. Imports nothing, so every part of the engine may use it.

/** Python's round-half-to-even (round(2.5) == 2), as round(), numpy.rint and torch.round do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The indices a slice lo:hi:step selects from a sequence of length n (null: omitted), clamped as
 * Python's slice.indices() does. Throws on step 0 (the caller raises Python's ValueError).
 */
export function sliceRange(lo: number | null, hi: number | null, step: number | null, n: number): number[] {
  const st = step ?? 1;
  if (st === 0) throw new RangeError('slice step cannot be zero');
  const norm = (v: number | null, def: number, min: number, max: number): number => {
    if (v === null) return def;
    const i = v < 0 ? v + n : v;
    return Math.min(Math.max(i, min), max);
  };
  const out: number[] = [];
  if (st > 0) {
    const start = norm(lo, 0, 0, n), stop = norm(hi, n, 0, n);
    for (let i = start; i < stop; i += st) out.push(i);
  } else {
    const start = norm(lo, n - 1, -1, n - 1), stop = norm(hi, -1, -1, n - 1);
    for (let i = start; i > stop; i += st) out.push(i);
  }
  return out;
}
