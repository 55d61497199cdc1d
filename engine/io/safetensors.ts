// safetensors reading and writing: 8-byte LE header length, JSON header, raw little-endian tensor bytes.
// Every structural check runs on the header before any tensor buffer is allocated, so a hostile or
// truncated file fails fast with a message naming the problem. Pure bytes in, bytes out: no I/O here.

export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const DTYPE_SIZE: Record<Dtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** Headers beyond this are refused outright (the reference implementation's own limit is 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafeTensor {
  dtype: Dtype;
  shape: number[];
  /** Values converted to float32 (integers beyond 2^24 lose precision here; see `int64`). */
  data: Float32Array;
  /** The exact values of an I64 tensor (e.g. BatchNorm's num_batches_tracked). */
  int64?: BigInt64Array;
}

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
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isDtype(s: unknown): s is Dtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, s);
}

function decodeHeader(bytes: Uint8Array): unknown {
  if (bytes.length < 8) throw new Error(`safetensors: file is ${bytes.length} bytes, too short to hold the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new Error(`safetensors: header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n > BigInt(bytes.length - 8)) {
    throw new Error(`safetensors: header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + Number(n)));
  } catch {
    throw new Error('safetensors: header is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`safetensors: header is not valid JSON (${(e as Error).message})`);
  }
}

function checkEntry(name: string, v: unknown, dataLen: number): HeaderEntry {
  if (!isObject(v)) throw new Error(`safetensors: entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: off } = v;
  if (!isDtype(dtype)) throw new Error(`safetensors: unknown dtype ${JSON.stringify(dtype)} for tensor '${name}'`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`safetensors: shape of '${name}' must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`safetensors: data_offsets of '${name}' must be [begin, end], got ${JSON.stringify(off)}`);
  }
  const [begin, end] = off as [number, number];
  if (begin > end || end > dataLen) {
    throw new Error(`safetensors: data_offsets [${begin}, ${end}] of '${name}' lie outside the data section (${dataLen} bytes)`);
  }
  const elems = (shape as number[]).reduce((a, b) => a * b, 1);
  const want = elems * DTYPE_SIZE[dtype];
  if (want !== end - begin) {
    throw new Error(`safetensors: '${name}' has shape ${fmt(shape as number[])} of ${dtype} = ${want} bytes, but data_offsets cover ${end - begin}`);
  }
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/** Parses and validates the header only; allocates nothing proportional to the tensors. */
export function parseSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const header = decodeHeader(bytes);
  if (!isObject(header)) throw new Error('safetensors: header must be a JSON object');
  const dataStart = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isObject(v) || !Object.values(v).every((s) => typeof s === 'string')) {
        throw new Error('safetensors: __metadata__ must map strings to strings');
      }
      Object.assign(metadata, v);
      continue;
    }
    entries.push(checkEntry(name, v, dataLen));
  }
  const byStart = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < byStart.length; i++) {
    const a = byStart[i - 1], b = byStart[i];
    if (b.begin < a.end) throw new Error(`safetensors: tensors '${a.name}' and '${b.name}' overlap in the data section`);
  }
  return { entries, metadata, dataStart };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** An aligned copy of `n` bytes (typed arrays over it need their element alignment). */
function copyBytes(bytes: Uint8Array, at: number, n: number): ArrayBuffer {
  const buf = new ArrayBuffer(n);
  new Uint8Array(buf).set(bytes.subarray(at, at + n));
  return buf;
}

/** IEEE half → float. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function decodeTensor(bytes: Uint8Array, e: HeaderEntry, dataStart: number): SafeTensor {
  const at = dataStart + e.begin, nbytes = e.end - e.begin, n = nbytes / DTYPE_SIZE[e.dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, nbytes);
  const out: SafeTensor = { dtype: e.dtype, shape: e.shape, data: new Float32Array(n) };
  const d = out.data;
  switch (e.dtype) {
    case 'F32':
      if (LITTLE_ENDIAN) d.set(new Float32Array(copyBytes(bytes, at, nbytes)));
      else for (let i = 0; i < n; i++) d[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64': for (let i = 0; i < n; i++) d[i] = view.getFloat64(i * 8, true); break;
    case 'F16': for (let i = 0; i < n; i++) d[i] = halfToFloat(view.getUint16(i * 2, true)); break;
    case 'BF16': {
      const bits = new Uint32Array(1), f = new Float32Array(bits.buffer);
      for (let i = 0; i < n; i++) {
        bits[0] = view.getUint16(i * 2, true) << 16;
        d[i] = f[0];
      }
      break;
    }
    case 'I64': {
      const raw = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        raw[i] = view.getBigInt64(i * 8, true);
        d[i] = Number(raw[i]);
      }
      out.int64 = raw;
      break;
    }
    case 'I32': for (let i = 0; i < n; i++) d[i] = view.getInt32(i * 4, true); break;
    case 'I16': for (let i = 0; i < n; i++) d[i] = view.getInt16(i * 2, true); break;
    case 'I8': for (let i = 0; i < n; i++) d[i] = view.getInt8(i); break;
    case 'U8': for (let i = 0; i < n; i++) d[i] = view.getUint8(i); break;
    case 'BOOL': for (let i = 0; i < n; i++) d[i] = view.getUint8(i) ? 1 : 0; break;
  }
  return out;
}

/** All tensors of a safetensors file, in header order, converted to float32 (I64 also kept exactly). */
export function parseSafetensors(bytes: Uint8Array): Map<string, SafeTensor> {
  const h = parseSafetensorsHeader(bytes);
  const out = new Map<string, SafeTensor>();
  for (const e of h.entries) out.set(e.name, decodeTensor(bytes, e, h.dataStart));
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

export interface SizeMismatch {
  key: string;
  checkpoint: number[];
  model: number[];
}

export interface StateDictReport {
  /** Tensors whose key and shape both match the model. */
  loaded: Map<string, SafeTensor>;
  missing: string[];
  unexpected: string[];
  mismatched: SizeMismatch[];
  /** PyTorch's load_state_dict wording, one line per problem kind; empty when everything matched. */
  messages: string[];
}

/**
 * Matches a checkpoint against the model's expected parameter/buffer shapes the way
 * `model.load_state_dict(strict=True)` does, returning the problems as data rather than throwing.
 */
export function loadStateDict(expected: Map<string, readonly number[]>, file: Uint8Array | Map<string, SafeTensor>): StateDictReport {
  const tensors = file instanceof Uint8Array ? parseSafetensors(file) : file;
  const report: StateDictReport = { loaded: new Map(), missing: [], unexpected: [], mismatched: [], messages: [] };
  for (const [key, shape] of expected) {
    const t = tensors.get(key);
    if (!t) report.missing.push(key);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      report.mismatched.push({ key, checkpoint: t.shape, model: [...shape] });
    } else report.loaded.set(key, t);
  }
  for (const key of tensors.keys()) if (!expected.has(key)) report.unexpected.push(key);
  const quoted = (keys: string[]) => keys.map((k) => `"${k}"`).join(', ');
  if (report.missing.length) report.messages.push(`Missing key(s) in state_dict: ${quoted(report.missing)}.`);
  if (report.unexpected.length) report.messages.push(`Unexpected key(s) in state_dict: ${quoted(report.unexpected)}.`);
  for (const m of report.mismatched) {
    report.messages.push(
      `size mismatch for ${m.key}: copying a param with shape ${fmt(m.checkpoint)} from checkpoint, the shape in current model is ${fmt(m.model)}.`,
    );
  }
  return report;
}
