// safetensors reading and writing: 8-byte LE header length, JSON header, raw little-endian tensor bytes.
// Every structural check runs on the header before any tensor buffer is allocated, so a hostile or
// truncated file fails fast with a message naming the problem. Pure bytes in, bytes out: no I/O here.

import { DTYPE_SIZE, decodeElements, isDtype, type Dtype, type SafeTensor } from './dtypes';
import { isUtf8, parseHeaderJson, type RawEntry } from './safetensorsHeader';
import { fail, quote } from './weightsError';

export type { Dtype, SafeTensor } from './dtypes';

/** Headers beyond this are refused outright: the reference implementation's own limit (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface HeaderEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte range relative to the start of the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** Absolute offset of the data section (8 + header length). */
  dataStart: number;
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function headerBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 8) fail(`safetensors: file is ${bytes.length} bytes, too short to hold the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`safetensors: header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n > BigInt(bytes.length - 8)) fail(`safetensors: header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  const h = bytes.subarray(8, 8 + Number(n));
  if (!isUtf8(h)) fail('safetensors: header is not valid UTF-8');
  return h;
}

/** Checks a parsed entry against the data section; the same object comes back typed. */
function checkEntry(e: RawEntry, dataLen: number): HeaderEntry {
  const { name, dtype, shape, begin, end } = e;
  const bad = (what: string): never => fail(`safetensors: ${what.replace('@', `'${quote(name)}'`)}`);
  if (!isDtype(dtype)) bad(`unknown dtype ${quote(JSON.stringify(dtype))} for tensor @`);
  if (begin > end || end > dataLen) bad(`data_offsets [${begin}, ${end}] of @ lie outside the data section (${dataLen} bytes)`);
  let elems = 1;
  for (const d of shape) elems *= d;
  const want = elems * DTYPE_SIZE[dtype as Dtype];
  if (!Number.isSafeInteger(want)) bad(`@ has shape ${fmt(shape)}: more elements than any file can hold`);
  if (want !== end - begin) bad(`@ has shape ${fmt(shape)} of ${dtype} = ${want} bytes, but data_offsets cover ${end - begin}`);
  return e as HeaderEntry;
}

/**
 * Parses and validates the header only; allocates nothing proportional to the tensors. The reference
 * implementation's rules: no duplicate names, tensors tile the data section exactly (no overlap, no
 * unindexed hole, nothing after the last tensor).
 */
export function parseSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const h = headerBytes(bytes);
  const parsed = parseHeaderJson(h);
  const dataStart = 8 + h.length, dataLen = bytes.length - dataStart;
  const entries = parsed.entries.map((e) => checkEntry(e, dataLen));
  const byStart = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0, prev: HeaderEntry | undefined;
  for (const e of byStart) {
    if (e.begin < at) fail(`safetensors: tensors '${quote(prev!.name)}' and '${quote(e.name)}' overlap in the data section`);
    if (e.begin > at) fail(`safetensors: bytes [${at}, ${e.begin}) of the data section belong to no tensor (a hole before '${quote(e.name)}')`);
    at = e.end;
    prev = e;
  }
  if (at !== dataLen) fail(`safetensors: ${dataLen - at} bytes after the last tensor's data (the data section is ${dataLen} bytes, the tensors cover ${at})`);
  return { entries, metadata: parsed.metadata, dataStart };
}

/** All tensors of a safetensors file, in header order, converted to float32 (I64 also kept exactly). */
export function parseSafetensors(bytes: Uint8Array): Map<string, SafeTensor> {
  const h = parseSafetensorsHeader(bytes);
  const out = new Map<string, SafeTensor>();
  for (const e of h.entries) {
    const n = (e.end - e.begin) / DTYPE_SIZE[e.dtype];
    out.set(e.name, { dtype: e.dtype, shape: e.shape, ...decodeElements(bytes, h.dataStart + e.begin, n, e.dtype) });
  }
  return out;
}

export interface WriteTensor {
  /** Defaults to F32. */
  dtype?: Dtype;
  shape: number[];
  /** Values to store; BigInt64Array for exact I64. */
  data: ArrayLike<number> | BigInt64Array;
}

function floatToHalf(v: number): number {
  const f = new Float32Array([v]), x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000, e = (x >>> 23) & 0xff, m = x & 0x7fffff;
  if (e === 0xff) return sign | 0x7c00 | (m ? 0x200 : 0);
  const he = e - 127 + 15;
  if (he >= 31) return sign | 0x7c00;
  if (he <= 0) {
    if (he < -10) return sign;
    const mm = m | 0x800000, shift = 14 - he;
    const half = mm >> shift, rest = mm & ((1 << shift) - 1), mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (he << 10) | (m >> 13), rest = m & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

function encodeTensor(view: DataView, at: number, t: WriteTensor, dtype: Dtype): void {
  const n = t.data.length, big = t.data instanceof BigInt64Array;
  const num = (i: number) => (big ? Number((t.data as BigInt64Array)[i]) : (t.data as ArrayLike<number>)[i]);
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'F32': view.setFloat32(at + i * 4, num(i), true); break;
      case 'F64': view.setFloat64(at + i * 8, num(i), true); break;
      case 'F16': view.setUint16(at + i * 2, floatToHalf(num(i)), true); break;
      case 'BF16': {
        f32[0] = num(i);
        const x = u32[0];
        // round to nearest even on the dropped 16 bits; NaN stays a quiet NaN
        view.setUint16(at + i * 2, f32[0] !== f32[0] ? 0x7fc0 : (x + 0x7fff + ((x >>> 16) & 1)) >>> 16, true);
        break;
      }
      case 'I64': view.setBigInt64(at + i * 8, big ? (t.data as BigInt64Array)[i] : BigInt(Math.trunc(num(i))), true); break;
      case 'I32': view.setInt32(at + i * 4, num(i), true); break;
      case 'I16': view.setInt16(at + i * 2, num(i), true); break;
      case 'I8': view.setInt8(at + i, num(i)); break;
      case 'U8': view.setUint8(at + i, num(i)); break;
      case 'BOOL': view.setUint8(at + i, num(i) ? 1 : 0); break;
    }
  }
}

/** Serialises tensors (sorted by name, stored back to back) with the header space-padded to 8 bytes. */
export function writeSafetensors(
  tensors: Map<string, WriteTensor> | Record<string, WriteTensor>, metadata?: Record<string, string>,
): Uint8Array {
  const list = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of list) {
    const dtype = t.dtype ?? 'F32', n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`writeSafetensors: '${name}' has ${t.data.length} values for shape ${fmt(t.shape)}`);
    const size = n * DTYPE_SIZE[dtype];
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  if (metadata) header.__metadata__ = metadata;
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - ((8 + json.length) % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of list) {
    const dtype = t.dtype ?? 'F32';
    encodeTensor(view, at, t, dtype);
    at += t.data.length * DTYPE_SIZE[dtype];
  }
  return out;
}
