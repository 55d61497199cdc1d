// Built-in numeric functions: abs, round (half to even, as Python), divmod, pow, chr/ord, hex/bin.
// Tensors go to the torch extension; an unknown number stays Unknown.
import type { Interp } from '../interp';
import { PyException, PyFloat, PyInstance, PyTuple, Unknown, type Value } from '../values';
import { isIntLike, notAnInteger, numOf, numVal } from '../ops';
import { floatToInt, intNeg, normInt, type PyInt } from '../intMath';
import { defineFn, numArg, roundHalfEven } from './define';
import { NO_KWARGS } from '../calls';

export function installNumericFunctions(it: Interp): void {
  defineFn(it, 'abs', (a, _k, ctx) => {
    const v = a[0];
    if (v instanceof Unknown) return v;
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('abs', v, ctx);
    if (isIntLike(v)) { const x = numOf(v); return x < 0 ? intNeg(x) : x; }
    if (v instanceof PyInstance) { const f = v.cls.lookup('__abs__'); if (f) return it.call(f, [v], NO_KWARGS, ctx); }
    return new PyFloat(Math.abs(numArg(v, 'abs()')));
  });
  defineFn(it, 'round', (a, kw, ctx) => {
    const v = a[0];
    if (v instanceof Unknown) return v;
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('round', v, {});
    if (v instanceof PyInstance) { const f = v.cls.lookup('__round__'); if (f) return it.call(f, [v, ...a.slice(1)], kw, {}); }
    const nd = a[1] ?? kw.get('ndigits') ?? null;
    if (isIntLike(v)) {
      if (nd === null || numVal(nd as number) >= 0) return numOf(v);
      // round(1250, -2): to a multiple of 10^k, ties to even, exactly
      const m = it.binop('**', 10, -numVal(nd as number), ctx) as PyInt;
      const q = it.binop('//', v, m, ctx) as PyInt, r = it.binop('%', v, m, ctx) as PyInt;
      const twice = it.binop('*', r, 2, ctx) as PyInt;
      const up = twice > m || (twice == m && it.binop('%', q, 2, ctx) !== 0); // eslint-disable-line eqeqeq
      return it.binop('*', up ? it.binop('+', q, 1, ctx) : q, m, ctx);
    }
    const x = numArg(v, 'round()');
    if (nd === null) return floatToInt(roundHalfEven(x));
    const d = numVal(nd as number);
    const f = 10 ** d;
    return new PyFloat(roundHalfEven(x * f) / f);
  });
  defineFn(it, 'divmod', (a, _k, ctx) => new PyTuple([it.binop('//', a[0], a[1], ctx), it.binop('%', a[0], a[1], ctx)]));
  defineFn(it, 'pow', (a, kw, ctx) => {
    const mod = a[2] ?? kw.get('mod') ?? null;
    if (mod === null) return it.binop('**', a[0], a[1], ctx);
    if (!isIntLike(a[0]) || !isIntLike(a[1]) || !isIntLike(mod)) throw new PyException('TypeError', 'pow() 3rd argument not allowed unless all arguments are integers');
    return modPow(BigInt(numOf(a[0])), BigInt(numOf(a[1])), BigInt(numOf(mod)));
  });
  defineFn(it, 'chr', (a) => String.fromCodePoint(numArg(a[0], 'chr')));
  defineFn(it, 'ord', (a) => String(a[0]).codePointAt(0) ?? 0);
  const radix = (prefix: string, k: number) => (a: Value[]): Value => {
    if (!isIntLike(a[0])) throw notAnInteger(a[0]);
    const x = BigInt(numOf(a[0]));
    return (x < 0n ? '-' : '') + prefix + (x < 0n ? -x : x).toString(k);
  };
  defineFn(it, 'hex', radix('0x', 16));
  defineFn(it, 'oct', radix('0o', 8));
  defineFn(it, 'bin', radix('0b', 2));
}

/** pow(b, e, m) exactly; a negative exponent is the modular inverse's power, as Python 3.8+. */
function modPow(b: bigint, e: bigint, m: bigint): Value {
  if (m === 0n) throw new PyException('ValueError', 'pow() 3rd argument cannot be 0');
  const mod = (x: bigint): bigint => { const r = x % m; return r !== 0n && (r < 0n) !== (m < 0n) ? r + m : r; };
  if (e < 0n) {
    let [r0, r1, s0, s1] = [mod(b), m < 0n ? -m : m, 1n, 0n];
    while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
    if (r0 !== 1n) throw new PyException('ValueError', 'base is not invertible for the given modulus');
    b = s0;
    e = -e;
  }
  let result = mod(1n), base = mod(b);
  while (e > 0n) { if (e & 1n) result = mod(result * base); base = mod(base * base); e >>= 1n; }
  return normInt(result);
}
