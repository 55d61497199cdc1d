// The safetensors JSON header, parsed by its schema straight from the bytes: a top-level object of
// tensor entries {dtype, shape, data_offsets} and an optional __metadata__ of strings. Iterative and
// linear, so a 100 MB header costs about its own size and a 100,000-deep array one clear error (no
// generic JSON.parse tree, no recursion). Checks only syntax and types; sizes are checked by the caller.
import { fail, quote } from './weightsError';

export interface RawEntry { name: string; dtype: string; shape: number[]; offsets: number[] }

/** More dimensions than any PyTorch tensor has; a longer shape is refused before it is stored. */
export const MAX_DIMS = 64;
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
      if (c === 0x22) { out += decoder.decode(b.subarray(start, this.i++)); return out; }
      if (c < 0x20) this.bad('no control character inside a string');
      if (c !== 0x5c) { this.i++; continue; }
      out += decoder.decode(b.subarray(start, this.i));
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

  /** A JSON number that must be a non-negative integer below 2^53; `null` for any other JSON value start. */
  uint(): number | null {
    const b = this.b, start = (this.ws(), this.i);
    if (b[this.i] === 0x2d) this.i++;
    while (this.i < b.length && b[this.i] >= 0x30 && b[this.i] <= 0x39) this.i++;
    const c = b[this.i];
    const text = decoder.decode(b.subarray(start, this.i));
    if (c === 0x2e || c === 0x65 || c === 0x45 || !/^(0|[1-9]\d*)$/.test(text) || text.length > 16) { this.i = start; return null; }
    const v = Number(text);
    if (!Number.isSafeInteger(v)) { this.i = start; return null; }
    return v;
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
  const q = quote(name);
  if (c.peek() === -1) c.bad('a value');
  if (c.peek() !== 0x7b) fail(`safetensors: entry '${q}' is not an object`);
  c.i++;
  const e: Partial<RawEntry> = { name };
  const seen = new Set<string>();
  if (c.peek() === 0x7d) c.i++;
  else {
    do {
      const k = c.string();
      c.expect(0x3a, "':'");
      if (seen.has(k)) fail(`safetensors: entry '${q}' has the field ${quote(JSON.stringify(k))} twice`);
      seen.add(k);
      if (k === 'dtype') {
        if (c.peek() !== 0x22) fail(`safetensors: dtype of '${q}' must be a string`);
        e.dtype = c.string();
      } else if (k === 'shape') e.shape = intList(c, `shape of '${q}' must be a list of non-negative integers`, MAX_DIMS, `shape of '${q}' has more than ${MAX_DIMS} dimensions`);
      else if (k === 'data_offsets') e.offsets = intList(c, `data_offsets of '${q}' must be [begin, end]`, 2, `data_offsets of '${q}' must be [begin, end]`);
      else c.skip();
    } while (c.more(0x7d, "',' or '}'"));
  }
  if (e.dtype === undefined) fail(`safetensors: entry '${q}' has no dtype`);
  if (e.shape === undefined) fail(`safetensors: shape of '${q}' must be a list of non-negative integers, got nothing`);
  if (e.offsets === undefined || e.offsets.length !== 2) fail(`safetensors: data_offsets of '${q}' must be [begin, end]`);
  return e as RawEntry;
}

/** `[int, ...]` of at most `max` non-negative integers; fails with `msg` at the first element that is not one. */
function intList(c: Cursor, msg: string, max: number, tooLong: string): number[] {
  if (c.peek() !== 0x5b) fail(`safetensors: ${msg}`);
  c.i++;
  const out: number[] = [];
  if (c.peek() === 0x5d) { c.i++; return out; }
  do {
    const v = c.uint();
    if (v === null) fail(`safetensors: ${msg}`);
    if (out.length >= max) fail(`safetensors: ${tooLong}`);
    out.push(v);
  } while (c.more(0x5d, "',' or ']'"));
  return out;
}
