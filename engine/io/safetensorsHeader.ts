// The safetensors JSON header, parsed by its schema straight from the bytes: a top-level object of
// tensor entries {dtype, shape, data_offsets} and an optional __metadata__ of strings. Iterative and
// linear, so a 100 MB header costs about its own size and a 100,000-deep array one clear error (no
// generic JSON.parse tree, no recursion). Checks only syntax and types; sizes are checked by the caller.
import { fail, quote } from './weightsError';

/** One tensor's header entry, syntax-checked only (data_offsets as begin/end). */
export interface RawEntry { name: string; dtype: string; shape: number[]; begin: number; end: number }

/** More dimensions than any PyTorch tensor has; a longer shape is refused before it is stored. */
export const MAX_DIMS = 64;
/**
 * More tensors than any real file holds in one shard (large checkpoints have thousands); refused early so
 * a header of millions of tiny entries costs a fraction of a second, not seconds and gigabytes.
 */
export const MAX_TENSORS = 262_144;
/** Unknown fields in an entry are skipped, but only this deep. */
const MAX_SKIP_DEPTH = 64;

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/** True when `b` is well-formed UTF-8 (checked without building a string). */
export function isUtf8(b: Uint8Array): boolean {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return false;
    const c1 = b[i + 1];
    if (c === 0xe0 && c1 < 0xa0 || c === 0xed && c1 > 0x9f || c === 0xf0 && c1 < 0x90 || c === 0xf4 && c1 > 0x8f) return false;
    for (let k = 1; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return false;
    i += n + 1;
  }
  return true;
}

const decoder = new TextDecoder('utf-8');

/** Bytes [a, e) as a string: short ASCII runs without a decoder call (they are most of a header). */
function text(b: Uint8Array, a: number, e: number): string {
  if (e - a <= 64) {
    let ascii = true;
    for (let k = a; k < e; k++) if (b[k] >= 0x80) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, b.subarray(a, e) as unknown as number[]);
  }
  return decoder.decode(b.subarray(a, e));
}
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const K_DTYPE = ascii('dtype'), K_SHAPE = ascii('shape'), K_OFFSETS = ascii('data_offsets');

class Cursor {
  i = 0;
  constructor(readonly b: Uint8Array) {}

  ws(): void { while (this.i < this.b.length && WS[this.b[this.i]]) this.i++; }

  bad(what: string): never {
    const at = this.i < this.b.length ? `'${quote(String.fromCharCode(this.b[this.i]), 4)}' at byte ${this.i}` : `end of header at byte ${this.i}`;
    fail(`safetensors: header is not valid JSON (expected ${what}, found ${at})`);
  }

  peek(): number { this.ws(); return this.i < this.b.length ? this.b[this.i] : -1; }

  expect(c: number, what: string): void { if (this.peek() !== c) this.bad(what); this.i++; }

  /** `,` then true, or `close` then false. */
  more(close: number, what: string): boolean {
    const c = this.peek();
    if (c === 0x2c) { this.i++; return true; }
    if (c === close) { this.i++; return false; }
    return this.bad(what);
  }

  string(): string {
    if (this.peek() !== 0x22) this.bad('a string');
    const b = this.b;
    let start = ++this.i, out = '';
    for (;;) {
      if (this.i >= b.length) this.bad('the end of a string');
      const c = b[this.i];
      if (c === 0x22) { out += text(b, start, this.i++); return out; }
      if (c < 0x20) this.bad('no control character inside a string');
      if (c !== 0x5c) { this.i++; continue; }
      out += text(b, start, this.i);
      out += this.escape();
      start = this.i;
    }
  }

  private escape(): string {
    const e = this.b[++this.i];
    this.i++;
    const simple: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
    if (e in simple) return simple[e];
    if (e !== 0x75) { this.i--; this.bad('a valid escape'); }
    const hex = decoder.decode(this.b.subarray(this.i, this.i + 4));
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.bad('four hex digits after \\u');
    this.i += 4;
    return String.fromCharCode(parseInt(hex, 16));
  }

  /** A JSON number that must be a non-negative integer below 2^53; `null` (cursor unmoved) for anything else. */
  uint(): number | null {
    const b = this.b, start = (this.ws(), this.i);
    let v = 0, n = 0;
    while (this.i < b.length && b[this.i] >= 0x30 && b[this.i] <= 0x39 && n <= 16) { v = v * 10 + (b[this.i++] - 0x30); n++; }
    const c = b[this.i];
    if (n === 0 || n > 16 || (n > 1 && b[start] === 0x30) || c === 0x2e || c === 0x65 || c === 0x45 || (c >= 0x30 && c <= 0x39) || !Number.isSafeInteger(v)) {
      this.i = start;
      return null;
    }
    return v;
  }

  /** True (and past it) when the next token is exactly the string `"word"` (ASCII, no escapes). */
  isKey(word: Uint8Array): boolean {
    const b = this.b, at = this.i;
    if (b[at] !== 0x22 || b[at + word.length + 1] !== 0x22) return false;
    for (let k = 0; k < word.length; k++) if (b[at + 1 + k] !== word[k]) return false;
    this.i = at + word.length + 2;
    return true;
  }

  /** Skips one JSON value of any kind, iteratively, at most MAX_SKIP_DEPTH containers deep. */
  skip(): void {
    const open: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c === 0x7b || c === 0x5b) {
        if (open.length >= MAX_SKIP_DEPTH) fail(`safetensors: header nests deeper than ${MAX_SKIP_DEPTH} levels`);
        this.i++;
        if (this.peek() === c + 2) this.i++; // {} or []
        else {
          open.push(c);
          if (c === 0x7b) { this.string(); this.expect(0x3a, "':'"); }
          continue;
        }
      } else if (c === 0x22) this.string();
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.number();
      else if (!this.literal()) this.bad('a JSON value');
      // a value ended: close every container that ends here, or go on after a comma
      for (;;) {
        if (!open.length) return;
        const top = open[open.length - 1], n = this.peek();
        if (n === 0x2c) {
          this.i++;
          if (top === 0x7b) { this.string(); this.expect(0x3a, "':'"); }
          break;
        }
        if (n !== top + 2) this.bad("',' or a closing bracket");
        this.i++;
        open.pop();
      }
    }
  }

  private number(): void {
    const b = this.b, start = this.i;
    while (this.i < b.length && (b[this.i] === 0x2b || b[this.i] === 0x2d || b[this.i] === 0x2e || b[this.i] === 0x65 || b[this.i] === 0x45 || (b[this.i] >= 0x30 && b[this.i] <= 0x39))) this.i++;
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(decoder.decode(b.subarray(start, this.i)))) { this.i = start; this.bad('a JSON number'); }
  }

  private literal(): boolean {
    for (const w of ['true', 'false', 'null']) {
      if (decoder.decode(this.b.subarray(this.i, this.i + w.length)) === w) { this.i += w.length; return true; }
    }
    return false;
  }
}

export interface ParsedHeader { entries: RawEntry[]; metadata: Record<string, string> }

/** Parses the header bytes (already checked to be UTF-8); throws WeightsError on any deviation. */
export function parseHeaderJson(bytes: Uint8Array): ParsedHeader {
  const c = new Cursor(bytes);
  if (c.peek() !== 0x7b) fail('safetensors: header must be a JSON object');
  c.i++;
  const names = new Set<string>(), entries: RawEntry[] = [];
  let metadata: Record<string, string> | undefined;
  if (c.peek() === 0x7d) c.i++;
  else {
    do {
      const name = c.string();
      c.expect(0x3a, "':'");
      if (names.has(name)) fail(`safetensors: tensor ${quote(JSON.stringify(name))} appears twice in the header`);
      names.add(name);
      if (entries.length >= MAX_TENSORS) fail(`safetensors: more than ${MAX_TENSORS} tensors in one header`);
      if (name === '__metadata__') metadata = parseMetadata(c);
      else entries.push(parseEntry(c, name));
    } while (c.more(0x7d, "',' or '}'"));
  }
  if (c.peek() !== -1) c.bad('the end of the header');
  return { entries, metadata: metadata ?? {} };
}

function parseMetadata(c: Cursor): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const bad = (): never => fail('safetensors: __metadata__ must map strings to strings');
  if (c.peek() === 0x6e) { c.skip(); return out; } // null
  if (c.peek() !== 0x7b) bad();
  c.i++;
  if (c.peek() === 0x7d) { c.i++; return out; }
  do {
    const k = c.string();
    c.expect(0x3a, "':'");
    if (c.peek() !== 0x22) bad();
    if (Object.prototype.hasOwnProperty.call(out, k)) fail(`safetensors: __metadata__ key ${quote(JSON.stringify(k))} appears twice`);
    out[k] = c.string();
  } while (c.more(0x7d, "',' or '}'"));
  return out;
}

function parseEntry(c: Cursor, name: string): RawEntry {
  // messages are built only on failure: this runs once per tensor of headers with a million tensors
  const bad = (what: string): never => fail(`safetensors: ${what.replace('@', `'${quote(name)}'`)}`);
  if (c.peek() === -1) c.bad('a value');
  if (c.peek() !== 0x7b) bad('entry @ is not an object');
  c.i++;
  let dtype: string | undefined, shape: number[] | undefined, offsets: number[] | undefined, others: Set<string> | undefined;
  if (c.peek() === 0x7d) c.i++;
  else {
    do {
      c.ws();
      if (c.isKey(K_DTYPE)) {
        c.expect(0x3a, "':'");
        if (dtype !== undefined) bad('entry @ has the field "dtype" twice');
        if (c.peek() !== 0x22) bad('dtype of @ must be a string');
        dtype = c.string();
      } else if (c.isKey(K_SHAPE)) {
        c.expect(0x3a, "':'");
        if (shape) bad('entry @ has the field "shape" twice');
        shape = intList(c, MAX_DIMS, bad, 'shape of @ must be a list of non-negative integers', `shape of @ has more than ${MAX_DIMS} dimensions`);
      } else if (c.isKey(K_OFFSETS)) {
        c.expect(0x3a, "':'");
        if (offsets) bad('entry @ has the field "data_offsets" twice');
        offsets = intList(c, 2, bad, 'data_offsets of @ must be [begin, end]', 'data_offsets of @ must be [begin, end]');
      } else {
        const k = c.string();
        c.expect(0x3a, "':'");
        others ??= new Set();
        // a repeat, or an escaped spelling of a known field
        if (others.has(k) || k === 'dtype' || k === 'shape' || k === 'data_offsets') bad(`entry @ has the field ${quote(JSON.stringify(k))} twice`);
        others.add(k);
        c.skip();
      }
    } while (c.more(0x7d, "',' or '}'"));
  }
  if (dtype === undefined) bad('entry @ has no dtype');
  if (shape === undefined) bad('shape of @ must be a list of non-negative integers, got nothing');
  if (offsets === undefined || offsets.length !== 2) bad('data_offsets of @ must be [begin, end]');
  return { name, dtype: dtype!, shape: shape!, begin: offsets![0], end: offsets![1] };
}

/** `[int, ...]` of at most `max` non-negative integers; `bad(msg)` at the first element that is not one. */
function intList(c: Cursor, max: number, bad: (what: string) => never, msg: string, tooLong: string): number[] {
  if (c.peek() !== 0x5b) bad(msg);
  c.i++;
  const out: number[] = [];
  if (c.peek() === 0x5d) { c.i++; return out; }
  do {
    const v = c.uint();
    if (v === null) bad(msg);
    if (out.length >= max) bad(tooLong);
    out.push(v!);
  } while (c.more(0x5d, "',' or ']'"));
  return out;
}
