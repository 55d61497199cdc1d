// Python operators on plain values: arithmetic, comparison, truthiness, hashing, str/repr, formatting.
// Tensors and user classes with dunder methods are dispatched by the evaluator before reaching here.
import {
  InterpError, PyDict, PyEllipsis, PyException, PyFloat, PyList, PyRange, PySet, PyTuple, Unknown, typeName,
  PyClass, PyInstance, PyFunction, Builtin, PyModule, BoundMethod, Partial, PySlice,
  type Value,
} from './values';
import { floatToInt, intOp, intToFloat, type PyInt } from './intMath';
import { MAX_ITEMS, MAX_STR, charge, checkSize, countText } from './budget';
import { sliceSpan } from '../util/numeric';

export function isNum(v: Value): v is number | bigint | boolean | PyFloat {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v instanceof PyFloat;
}
/** A number's value as a JS number (an int beyond 2^53 rounded, as float() would; use numOf for exactness). */
export function numVal(v: number | bigint | boolean | PyFloat): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyFloat) return v.v;
  throw notANumber(v);
}

/** CPython's TypeError for a value where an integer (`__index__`) belongs; undefined: an argument not passed (None). */
export function notAnInteger(v: Value | undefined): PyException {
  return new PyException('TypeError', `'${typeName(v ?? null)}' object cannot be interpreted as an integer`);
}

/** What a native reading a number gets for something else (an argument not passed, None, a tensor). */
function notANumber(v: unknown): Error {
  if (v instanceof Unknown) return new InterpError(`a number the analysis cannot know (${v.reason})`, v.file, v.s, v.e, 'unknown');
  return notAnInteger(v as Value | undefined);
}
/** A number's exact value: ints as number or bigint, floats as number. */
export function numOf(v: number | bigint | boolean | PyFloat): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.v;
  throw notANumber(v);
}
export function isIntLike(v: Value): v is number | bigint | boolean { return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint'; }
export function mkFloat(x: number): PyFloat { return new PyFloat(x); }
/** A number as a float operand: ints converted as Python converts them (OverflowError when too large). */
export function floatOf(v: number | bigint | boolean | PyFloat): number { return v instanceof PyFloat ? v.v : intToFloat(numOf(v) as PyInt); }

function typeErr(op: string, a: Value, b: Value): PyException {
  return new PyException('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/** Python's float floor division (divmod's quotient), which is not Math.floor(a / b) near integers. */
export function floatFloorDiv(x: number, y: number): number {
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && (y < 0) !== (mod < 0)) div -= 1;
  if (div === 0) return 0 * (x / y);
  const fl = Math.floor(div);
  return div - fl > 0.5 ? fl + 1 : fl;
}

/** How many times a repetition `seq * n` repeats, refused (budget.ts) when the result would be too large. */
function repeatCount(n: number | bigint | boolean, len: number, kind: string): number {
  if (typeof n === 'bigint' ? n <= 0n : numVal(n) <= 0 || len === 0) return 0;
  const k = typeof n === 'bigint' ? n : BigInt(numVal(n));
  const total = k * BigInt(len);
  const max = kind === 'str' ? MAX_STR : MAX_ITEMS;
  if (total > BigInt(max)) {
    throw new InterpError(`${kind} of ${countText(total)} ${kind === 'str' ? 'characters' : 'items'} (${len} × ${countText(k)}) exceeds the analysis budget (${max.toLocaleString('en-US')})`, undefined, undefined, undefined, 'budget');
  }
  checkSize(kind, Number(total));
  return Number(k);
}

/** a + b of sequences, refused before it is built when too large. */
function concat<T>(kind: string, a: readonly T[], b: readonly T[]): T[] {
  checkSize(kind, a.length + b.length);
  const out = a.slice();
  for (let i = 0; i < b.length; i++) out.push(b[i]);
  return out;
}

/** Arithmetic on numbers, strings, lists and tuples. Returns undefined when the types do not apply. */
export function arith(op: string, a: Value, b: Value): Value | undefined {
  if (isNum(a) && isNum(b)) {
    if (isIntLike(a) && isIntLike(b)) {
      if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '&' || op === '|' || op === '^')) return op === '&' ? a && b : op === '|' ? a || b : a !== b;
      const r = intOp(op, numOf(a) as PyInt, numOf(b) as PyInt);
      if (r === undefined) throw typeErr(op, a, b);
      return typeof r === 'object' ? mkFloat(r.float) : r;
    }
    const x = floatOf(a), y = floatOf(b);
    switch (op) {
      case '+': return mkFloat(x + y);
      case '-': return mkFloat(x - y);
      case '*': return mkFloat(x * y);
      case '/':
        if (y === 0) throw new PyException('ZeroDivisionError', 'float division by zero');
        return mkFloat(x / y);
      case '//':
        if (y === 0) throw new PyException('ZeroDivisionError', 'float floor division by zero');
        return mkFloat(floatFloorDiv(x, y));
      case '%':
        if (y === 0) throw new PyException('ZeroDivisionError', 'float modulo');
        return mkFloat(pyMod(x, y));
      case '**':
        if (x === 0 && y < 0) throw new PyException('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        if (x < 0 && !Number.isInteger(y)) throw new InterpError('a negative number to a fractional power is a complex number, which the analysis does not model');
        // Python's float power overflows with an error, not to inf
        if (!Number.isFinite(x ** y) && Number.isFinite(x) && Number.isFinite(y)) throw new PyException('OverflowError', "(34, 'Numerical result out of range')");
        return mkFloat(x ** y);
    }
    throw typeErr(op, a, b);
  }
  if (typeof a === 'string') {
    // NOTE: JS concatenates strings as ropes: the size is checked, no copy is charged
    if (op === '+' && typeof b === 'string') { checkSize('str', a.length + b.length, 0); return a + b; }
    if (op === '*' && isIntLike(b)) return a.repeat(repeatCount(b, a.length, 'str'));
    if (op === '%') return percentFormat(a, b);
  }
  if (op === '*' && isIntLike(a) && typeof b === 'string') return b.repeat(repeatCount(a, b.length, 'str'));
  if (a instanceof PyList) {
    if (op === '+' && b instanceof PyList) return new PyList(concat('list', a.items, b.items));
    if (op === '*' && isIntLike(b)) return new PyList(repeat(a.items, repeatCount(b, a.items.length, 'list')));
  }
  if (a instanceof PyTuple) {
    if (op === '+' && b instanceof PyTuple) return new PyTuple(concat('tuple', a.items, b.items));
    if (op === '*' && isIntLike(b)) return new PyTuple(repeat(a.items, repeatCount(b, a.items.length, 'tuple')));
  }
  if (isIntLike(a) && op === '*' && (b instanceof PyList || b instanceof PyTuple)) {
    const items = repeat(b.items, repeatCount(a, b.items.length, b instanceof PyList ? 'list' : 'tuple'));
    return b instanceof PyList ? new PyList(items) : new PyTuple(items);
  }
  if (a instanceof PySet && b instanceof PySet) {
    const out = new PySet();
    if (op === '|') { for (const [k, v] of a.map) out.map.set(k, v); for (const [k, v] of b.map) out.map.set(k, v); return out; }
    if (op === '&') { for (const [k, v] of a.map) if (b.map.has(k)) out.map.set(k, v); return out; }
    if (op === '-') { for (const [k, v] of a.map) if (!b.map.has(k)) out.map.set(k, v); return out; }
  }
  if (a instanceof PyDict && b instanceof PyDict && op === '|') {
    const out = new PyDict();
    for (const [k, v] of a.map) out.map.set(k, v);
    for (const [k, v] of b.map) out.map.set(k, v);
    return out;
  }
  return undefined;
}

function repeat(items: Value[], n: number): Value[] {
  const out: Value[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < items.length; j++) out.push(items[j]);
  return out;
}

// NOTE: attribute and module dict lookups hash the same short names (`conv1`, `weight`) millions of
// times: their keys are kept (a fresh 's:' + name string is hashed anew on every lookup)
const strKeys = new Map<string, string>();

function strKey(v: string): string {
  if (v.length > 64) return 's:' + v;
  let k = strKeys.get(v);
  if (k === undefined) {
    if (strKeys.size >= 50_000) strKeys.clear();
    strKeys.set(v, k = 's:' + v);
  }
  return k;
}

export function hashKey(v: Value): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'string': return strKey(v);
    case 'number': return 'n:' + v;
    case 'bigint': return 'n:' + v.toString();
    case 'boolean': return 'n:' + (v ? 1 : 0);
  }
  // an integral float hashes as the int it equals (2.0**60 and 2**60 are one key)
  if (v instanceof PyFloat) return 'n:' + (Number.isInteger(v.v) && !Number.isSafeInteger(v.v) ? BigInt(v.v).toString() : v.v);
  if (v instanceof PyTuple) { charge(16 * v.items.length); return 't(' + v.items.map(hashKey).join(',') + ')'; } // a key string per item
  if (v instanceof PyList || v instanceof PyDict || v instanceof PySet) throw new PyException('TypeError', `unhashable type: '${typeName(v)}'`);
  if (v instanceof Unknown) throw new PyException('TypeError', 'unknown value used as a key');
  if (v instanceof PyInstance) {
    if (v.cls.lookup('__hash__') === null) throw new PyException('TypeError', `unhashable type: '${v.cls.name}'`);
    // frozen dataclasses hash by their fields (dataclasses.ts sets the names)
    const hf = v.cls.lookup('__hash_fields_native__');
    if (hf instanceof PyTuple) return `h${v.cls.id}(${hf.items.map((n) => hashKey(v.dict.get(String(n)) ?? null)).join(',')})`;
  }
  const id = (v as { id?: number }).id;
  if (id !== undefined) return 'o:' + id;
  if (v instanceof PyEllipsis) return 'E';
  return 'o?' + typeName(v);
}

/** d[k] = v as Python does it: an existing equal key keeps its original key object ({1: 'a', True: 'b'} is {1: 'b'}). */
export function dictSet(d: PyDict, k: Value, v: Value): void {
  const h = hashKey(k);
  const e = d.map.get(h);
  d.map.set(h, { k: e ? e.k : k, v });
}

/** s.add(v): an equal element already there stays. */
export function setAdd(s: PySet, v: Value): void {
  const h = hashKey(v);
  if (!s.map.has(h)) s.map.set(h, v);
}

export function pyEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  // eslint-disable-next-line eqeqeq -- number == bigint compares the exact values
  if (isNum(a) && isNum(b)) return numOf(a) == numOf(b);
  if (a instanceof PyTuple && b instanceof PyTuple || a instanceof PyList && b instanceof PyList) {
    if (a.items.length !== b.items.length) return false;
    charge(a.items.length);
    return a.items.every((x, i) => pyEquals(x, b.items[i]));
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, e] of a.map) { const o = b.map.get(k); if (!o || !pyEquals(e.v, o.v)) return false; }
    return true;
  }
  if (a instanceof PySet && b instanceof PySet) {
    if (a.map.size !== b.map.size) return false;
    for (const k of a.map.keys()) if (!b.map.has(k)) return false;
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) return a.start === b.start && a.stop === b.stop && a.step === b.step;
  return false;
}

/** Ordering comparison of plain values: returns negative/zero/positive. */
export function pyCompare(a: Value, b: Value): number {
  if (isNum(a) && isNum(b)) {
    const x = numOf(a), y = numOf(b); // JS orders number and bigint by their exact values
    return x < y ? -1 : x > y ? 1 : x == y ? 0 : NaN; // eslint-disable-line eqeqeq
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    const n = Math.min(a.items.length, b.items.length);
    charge(n);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a.items[i], b.items[i])) return pyCompare(a.items[i], b.items[i]);
    }
    return a.items.length - b.items.length;
  }
  throw new PyException('TypeError', `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** repr(float) as Python writes it: the shortest digits that round back, exponent form below 1e-4 and from 1e16. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expS] = x.toExponential().split('e');
  const exp = Number(expS);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const neg = mant.startsWith('-');
  const digits = mant.replace(/^-/, '').replace('.', '');
  let out: string;
  if (exp >= 0) out = digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : `${digits.padEnd(exp + 1, '0')}.0`;
  else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return (neg ? '-' : '') + out;
}

export function pyRepr(v: Value): string {
  if (typeof v === 'string') return strRepr(v);
  return pyStr(v, true);
}

/** repr() of a str as CPython writes it: single quotes unless the text has ' and no ", escapes for controls. */
function strRepr(v: string): string {
  const q = v.includes("'") && !v.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

export function pyStr(v: Value, inner = false): string {
  // NOTE: an argument a native did not get is undefined: shown as None (as typeName names it), never a crash
  if (v === null || v === undefined) return 'None';
  switch (typeof v) {
    case 'boolean': return v ? 'True' : 'False';
    case 'number': return String(v);
    case 'bigint': return v.toString();
    case 'string': return inner ? pyRepr(v) : v;
  }
  if (v instanceof PyFloat) return formatFloat(v.v);
  // NOTE: repr of a big or shared structure (`[[0] * 10**6] * 10**6`) is charged per item, so it ends in the budget
  if (v instanceof PyList || v instanceof PyTuple) charge(8 * v.items.length);
  if (v instanceof PyDict || v instanceof PySet) charge(8 * v.map.size);
  if (v instanceof PyList) return '[' + v.items.map(pyRepr).join(', ') + ']';
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : '(' + v.items.map(pyRepr).join(', ') + ')';
  if (v instanceof PyDict) return '{' + [...v.map.values()].map((e) => `${pyRepr(e.k)}: ${pyRepr(e.v)}`).join(', ') + '}';
  if (v instanceof PySet) return v.map.size ? '{' + [...v.map.values()].map(pyRepr).join(', ') + '}' : 'set()';
  if (v instanceof PyRange) return `range(${v.start}, ${v.stop}${v.step !== 1 ? ', ' + v.step : ''})`;
  if (v instanceof PyClass) return `<class '${v.moduleName ? v.moduleName + '.' : ''}${v.name}'>`;
  // a str subclass made natively (torch's TorchVersion) keeps its text as its native payload
  if (v instanceof PyInstance) return typeof v.native === 'string' ? v.native : `<${v.cls.name} object>`;
  if (v instanceof PyFunction) return `<function ${v.code.qualname}>`;
  if (v instanceof Builtin) return `<built-in function ${v.name}>`;
  if (v instanceof BoundMethod) return `<bound method>`;
  if (v instanceof Partial) return `functools.partial(${pyStr(v.fn)})`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof Unknown) return `<unknown: ${v.reason}>`;
  if (v instanceof PySlice) return `slice(${pyRepr(v.lo)}, ${pyRepr(v.hi)}, ${pyRepr(v.step)})`;
  if (v instanceof PyEllipsis) return 'Ellipsis';
  const t = v as { shape?: unknown[] };
  if (t.shape) return `tensor(shape=[${t.shape.map((d) => (d === null ? '?' : d)).join(', ')}])`;
  return '<object>';
}

/** str.format / f-string format spec: [[fill]align][sign][#][0][width][,_][.precision][type] */
export function formatSpec(v: Value, spec: string): string {
  if (!spec) return pyStr(v);
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) return pyStr(v);
  const [, fillCh, align, sign, , zero, widthS, group, precS, type] = m;
  let s: string;
  const prec = precS !== undefined ? Number(precS) : undefined;
  if (isNum(v) && type !== 's') {
    const x = numVal(v);
    // an int's digits come from its exact value (a bigint beyond 2^53); a float spec converts it
    const exact = isIntLike(v) ? BigInt(numOf(v)) : BigInt(Number.isFinite(x) ? Math.trunc(x) : 0);
    const base = (k: number): string => (exact < 0n ? '-' + (-exact).toString(k) : exact.toString(k));
    if ((type === 'x' || type === 'X' || type === 'b' || type === 'o' || type === 'd' || type === 'n') && !isIntLike(v)) {
      throw new PyException('ValueError', `Unknown format code '${type}' for object of type 'float'`);
    }
    switch (type) {
      case 'f': case 'F': s = x.toFixed(prec ?? 6); break;
      case 'e': case 'E': s = x.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); break;
      case '%': s = (x * 100).toFixed(prec ?? 6) + '%'; break;
      case 'g': case 'G': s = prec !== undefined ? String(Number(x.toPrecision(prec || 1))) : String(x); break;
      case 'x': s = base(16); break;
      case 'X': s = base(16).toUpperCase(); break;
      case 'b': s = base(2); break;
      case 'o': s = base(8); break;
      case 'd': case 'n': s = base(10); break;
      default: s = prec !== undefined && !isIntLike(v) ? String(Number(x.toPrecision(prec || 1))) : pyStr(v);
    }
    if (group) {
      const [ip, fp] = s.split('.');
      s = ip.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (fp !== undefined ? '.' + fp : '');
    }
    if (sign === '+' && x >= 0) s = '+' + s;
    else if (sign === ' ' && x >= 0) s = ' ' + s;
  } else {
    s = pyStr(v);
    if (prec !== undefined) s = s.slice(0, prec);
  }
  const width = widthS ? Number(widthS) : 0;
  if (width > s.length) checkSize('str', width);
  if (s.length >= width) return s;
  const fill = fillCh ?? (zero ? '0' : ' ');
  const al = align ?? (zero ? '=' : isNum(v) ? '>' : '<');
  const pad = width - s.length;
  switch (al) {
    case '<': return s + fill.repeat(pad);
    case '>': return fill.repeat(pad) + s;
    case '^': return fill.repeat(Math.floor(pad / 2)) + s + fill.repeat(pad - Math.floor(pad / 2));
    case '=': {
      const sg = /^[+\- ]/.test(s) ? s[0] : '';
      return sg + fill.repeat(pad) + s.slice(sg.length);
    }
  }
  return s;
}

/** printf-style `'%d_%s' % args`. */
export function percentFormat(fmt: string, args: Value): string {
  const list = args instanceof PyTuple ? args.items : [args];
  let i = 0;
  return fmt.replace(/%(\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g, (all, _m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let v: Value;
    if (key !== undefined && args instanceof PyDict) v = args.map.get(hashKey(key))?.v ?? null;
    else v = list[i++];
    let spec = '';
    if (flags.includes('-')) spec += '<';
    if (flags.includes('+')) spec += '+';
    if (flags.includes('0') && !flags.includes('-')) spec += '0';
    if (width) spec += width;
    if (prec) spec += '.' + prec;
    switch (conv) {
      case 'd': case 'i': case 'u': return formatSpec(isIntLike(v) ? v : v instanceof PyFloat ? floatToInt(v.v) : v, spec + 'd');
      case 's': return formatSpec(pyStr(v), spec.replace(/^0/, ''));
      case 'r': case 'a': return formatSpec(pyRepr(v), spec);
      default: return formatSpec(v, spec + conv);
    }
  });
}

/** `a is b` for plain values (floats are boxed, so equal floats are the same object to Python code). */
export function identical(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof PyFloat && b instanceof PyFloat) return a.v === b.v;
  return false;
}

/** Where `v` is in the range (`range.index`, `in`) by arithmetic, never by listing it; -1 when absent. */
export function rangeIndexOf(r: PyRange, v: Value): number {
  const x = typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : v instanceof PyFloat ? v.v : typeof v === 'bigint' ? Number(v) : NaN;
  if (!Number.isInteger(x) || (typeof v === 'bigint' && !Number.isSafeInteger(x))) return -1;
  const k = (x - r.start) / r.step;
  return Number.isInteger(k) && k >= 0 && k < rangeLen(r) ? k : -1;
}

export function rangeLen(r: PyRange): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
}

/** What `seq[sl]` selects from a sequence of length n, as Python's slice.indices: start, step and the count. */
export function sliceBounds(sl: PySlice, n: number): { start: number; step: number; count: number } {
  const num = (v: Value): number | null => (v === null ? null : numVal(v as number));
  if (sl.step !== null && num(sl.step) === 0) throw new PyException('ValueError', 'slice step cannot be zero');
  return sliceSpan(num(sl.lo), num(sl.hi), num(sl.step), n);
}

/** The indices `seq[sl]` selects from a sequence of length n, in order (refused past the size budget). */
export function sliceIndices(sl: PySlice, n: number): number[] {
  const { start, step, count } = sliceBounds(sl, n);
  checkSize('slice', count);
  const out: number[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = start + k * step;
  return out;
}
