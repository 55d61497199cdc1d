// Python's int arithmetic, exact at any size: a JS number while the value is a safe integer, a BigInt
// beyond 2^53 (and back to a number when it fits again). A result over MAX_INT_BITS is refused before it
// is computed (no hang, no Infinity); conversion to float rounds as Python's does and overflows as it does.
import { InterpError, PyException } from './values';

export type PyInt = number | bigint;

/** Ints larger than this are "too large for the analysis" (Python would compute them; no model needs them). */
export const MAX_INT_BITS = 10_000;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The canonical form: a number when safe, else a bigint. */
export function normInt(b: bigint): PyInt {
  return b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b;
}

export function bitLength(x: PyInt): number {
  if (typeof x === 'number') return x === 0 ? 0 : Math.abs(Math.trunc(x)).toString(2).length;
  const h = (x < 0n ? -x : x).toString(16);
  return (h.length - 1) * 4 + (parseInt(h[0], 16).toString(2).length);
}

export function tooLarge(bits: number): InterpError {
  return new InterpError(`integer too large for the analysis (at least ${Math.round(bits).toLocaleString('en-US')} bits; it keeps ints under ${MAX_INT_BITS.toLocaleString('en-US')} bits)`, undefined, undefined, undefined, 'budget');
}

function checked(b: bigint): PyInt {
  const bits = bitLength(b);
  if (bits > MAX_INT_BITS) throw tooLarge(bits);
  return normInt(b);
}

/** int → float as Python converts it (round half to even), OverflowError past the float range. */
export function intToFloat(x: PyInt): number {
  if (typeof x === 'number') return x;
  const f = Number(x);
  if (!Number.isFinite(f)) throw new PyException('OverflowError', 'int too large to convert to float');
  return f;
}

/** An integral float as a Python int (int(1e20) is exact). */
export function floatToInt(x: number): PyInt {
  if (Number.isNaN(x)) throw new PyException('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
  const t = Math.trunc(x);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : normInt(BigInt(t));
}

const floorDivBig = (a: bigint, b: bigint): bigint => { const q = a / b; return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q; };
const modBig = (a: bigint, b: bigint): bigint => { const r = a % b; return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r; };

function pyModNum(a: number, b: number): number {
  const r = a % b;
  const m = r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
  return m === 0 ? 0 : m;
}

/** a / b for ints, correctly rounded as CPython's long true division. */
export function trueDivide(a: PyInt, b: PyInt): number {
  if (b === 0 || b === 0n) throw new PyException('ZeroDivisionError', 'division by zero');
  if (typeof a === 'number' && typeof b === 'number') return a / b;
  const A = BigInt(a), B = BigInt(b);
  const neg = (A < 0n) !== (B < 0n);
  const n = A < 0n ? -A : A, d = B < 0n ? -B : B;
  // scale so the quotient has at least 55 significant bits, keep a sticky bit for exact ties
  const shift = Math.max(0, 55 - (bitLength(n) - bitLength(d)));
  const q = (n << BigInt(shift)) / d;
  const sticky = (n << BigInt(shift)) % d !== 0n ? 1n : 0n;
  const f = Number(q | sticky) * 2 ** -shift;
  if (!Number.isFinite(f)) throw new PyException('OverflowError', 'integer division result too large for a float');
  return neg ? -f : f;
}

/** x ** y for ints (y >= 0 gives an int; a negative y a float, as Python). */
export function intPow(x: PyInt, y: PyInt): PyInt | { float: number } {
  if (y < 0) return { float: intToFloat(x) ** intToFloat(y) };
  const ax = typeof x === 'bigint' ? (x < 0n ? -x : x) : Math.abs(x);
  if (ax === 0 || ax === 0n || ax === 1 || ax === 1n) {
    const yOdd = typeof y === 'bigint' ? y % 2n === 1n : y % 2 === 1;
    return y === 0 || y === 0n ? 1 : ax === 0 || ax === 0n ? 0 : (x < 0 && yOdd ? -1 : 1);
  }
  const bits = Number(y) * (typeof ax === 'number' ? Math.log2(ax) : bitLength(ax));
  if (bits > MAX_INT_BITS) throw tooLarge(bits);
  if (bits < 40) return Math.round(Number(x) ** Number(y)); // exact: an integer below 2^40, pow's error far under 0.5
  return checked(BigInt(x) ** BigInt(y));
}

/** An integer binary operator; undefined when `op` is not one (the caller's TypeError). */
export function intOp(op: string, x: PyInt, y: PyInt): PyInt | { float: number } | undefined {
  if (typeof x === 'number' && typeof y === 'number') {
    const fast = numberOp(op, x, y);
    if (fast !== undefined) return fast;
  }
  const X = BigInt(x), Y = BigInt(y);
  switch (op) {
    case '+': return checked(X + Y);
    case '-': return checked(X - Y);
    case '*': {
      const bits = bitLength(X) + bitLength(Y);
      if (bits > MAX_INT_BITS + 1) throw tooLarge(bits);
      return checked(X * Y);
    }
    case '//': if (Y === 0n) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero'); return normInt(floorDivBig(X, Y));
    case '%': if (Y === 0n) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero'); return normInt(modBig(X, Y));
    case '/': return { float: trueDivide(x, y) };
    case '**': return intPow(x, y);
    case '<<': {
      if (Y < 0n) throw new PyException('ValueError', 'negative shift count');
      if (X === 0n) return 0;
      const bits = bitLength(X) + Number(Y);
      if (bits > MAX_INT_BITS) throw tooLarge(bits);
      return checked(X << Y);
    }
    case '>>':
      if (Y < 0n) throw new PyException('ValueError', 'negative shift count');
      return normInt(Y > BigInt(MAX_INT_BITS + 64) ? (X < 0n ? -1n : 0n) : X >> Y);
    case '&': return normInt(X & Y);
    case '|': return normInt(X | Y);
    case '^': return normInt(X ^ Y);
  }
  return undefined;
}

/** The exact cases of safe-integer arithmetic; undefined sends the operation to BigInt. */
function numberOp(op: string, x: number, y: number): PyInt | { float: number } | undefined {
  const safe = (r: number): number | undefined => (Number.isSafeInteger(r) ? (r === 0 ? 0 : r) : undefined);
  const int32 = (x | 0) === x && (y | 0) === y;
  switch (op) {
    case '+': return safe(x + y);
    case '-': return safe(x - y);
    case '*': return safe(x * y);
    case '//':
      if (y === 0) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero');
      return safe((x - pyModNum(x, y)) / y); // exact: x - (x mod y) is a multiple of y
    case '%':
      if (y === 0) throw new PyException('ZeroDivisionError', 'integer division or modulo by zero');
      return pyModNum(x, y);
    case '/': return { float: trueDivide(x, y) };
    case '**': return intPow(x, y);
    case '>>':
      if (y < 0) throw new PyException('ValueError', 'negative shift count');
      return y > 64 ? (x < 0 ? -1 : 0) : safe(Math.floor(x / 2 ** y));
    case '&': return int32 ? x & y : undefined;
    case '|': return int32 ? x | y : undefined;
    case '^': return int32 ? x ^ y : undefined;
  }
  return undefined;
}

/** -x and ~x of an int. */
export function intNeg(x: PyInt): PyInt { return typeof x === 'number' ? (x === 0 ? 0 : -x) : normInt(-x); }
export function intInvert(x: PyInt): PyInt { return typeof x === 'number' && (x | 0) === x ? ~x : normInt(~BigInt(x)); }

/** Python's str(int) limit (3.11: 4,300 digits); the analysis's own bound is far below it. */
export function parseIntText(text: string, base: number): PyInt | undefined {
  if (!(base === 0 || (Number.isInteger(base) && base >= 2 && base <= 36))) throw new PyException('ValueError', 'int() base must be >= 2 and <= 36, or 0');
  const t = text.trim().replace(/_/g, '').toLowerCase();
  const sign = t.startsWith('-') ? -1n : 1n;
  let body = t.replace(/^[+-]/, '');
  if (base === 0) base = /^0x/.test(body) ? 16 : /^0o/.test(body) ? 8 : /^0b/.test(body) ? 2 : 10;
  if (base === 16) body = body.replace(/^0x/, ''); else if (base === 8) body = body.replace(/^0o/, ''); else if (base === 2) body = body.replace(/^0b/, '');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (!body.length || [...body].some((c) => !digits.includes(c))) return undefined;
  if (base === 10 && body.length > 4300) throw new PyException('ValueError', `Exceeds the limit (4300 digits) for integer string conversion: value has ${body.length} digits; use sys.set_int_max_str_digits() to increase the limit`);
  let v = 0n;
  const B = BigInt(base);
  for (const c of body) v = v * B + BigInt(digits.indexOf(c));
  return checked(sign * v);
}
