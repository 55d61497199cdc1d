// Test helpers that write weights files byte by byte so tests can craft exactly the malformed file they
// need: torch.save-style zip checkpoints (protocol-2 data.pkl + stored storages, as torch writes an
// OrderedDict of tensors; `override` bends one declared field per tensor) and raw safetensors.
import { zipSync } from 'fflate';

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';
const STORAGE: Record<TorchDtype, [string, number]> = {
  float32: ['FloatStorage', 4], float64: ['DoubleStorage', 8], float16: ['HalfStorage', 2], bfloat16: ['BFloat16Storage', 2], int64: ['LongStorage', 8],
  int32: ['IntStorage', 4], int16: ['ShortStorage', 2], int8: ['CharStorage', 1], uint8: ['ByteStorage', 1], bool: ['BoolStorage', 1],
};

export interface CkptTensor {
  dtype?: TorchDtype;
  shape: number[];
  /** Raw little-endian bytes of the storage; default: zeros of the right size. */
  bytes?: Uint8Array;
  /** Bends what data.pkl declares, leaving the storage bytes as they are. */
  override?: { numel?: number; size?: number[]; stride?: number[]; offset?: number; storageClass?: string; key?: string };
}

/** Pickle opcodes for the small subset we write. */
export class PickleWriter {
  private out: number[] = [0x80, 0x02];
  op(...b: number[]): this { this.out.push(...b); return this; }
  str(s: string): this {
    const u = new TextEncoder().encode(s);
    this.out.push(0x58, u.length & 0xff, (u.length >> 8) & 0xff, (u.length >> 16) & 0xff, u.length >>> 24, ...u);
    return this;
  }
  int(n: number): this {
    if (n >= 0 && n < 256) this.out.push(0x4b, n);
    else if (n >= -(2 ** 31) && n < 2 ** 31) this.out.push(0x4a, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
    else { // LONG1, 8 bytes two's complement
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, BigInt(n), true);
      this.out.push(0x8a, 8, ...b);
    }
    return this;
  }
  global(mod: string, name: string): this { this.out.push(0x63, ...new TextEncoder().encode(`${mod}\n${name}\n`)); return this; }
  tuple(items: number[]): this { this.op(0x28); for (const x of items) this.int(x); return this.op(0x74); }
  bytes(): Uint8Array { return Uint8Array.from([...this.out, 0x2e]); }
}

/** data.pkl for an OrderedDict of tensors, storages keyed '0', '1', … */
export function stateDictPickle(tensors: Record<string, CkptTensor>): Uint8Array {
  const w = new PickleWriter().global('collections', 'OrderedDict').op(0x29, 0x52, 0x28);
  Object.entries(tensors).forEach(([name, t], i) => {
    const dtype = t.dtype ?? 'float32', o = t.override ?? {};
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const stride = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    w.str(name).global('torch._utils', '_rebuild_tensor_v2').op(0x28);
    w.op(0x28).str('storage').global('torch', o.storageClass ?? STORAGE[dtype][0]).str(o.key ?? String(i)).str('cpu').int(o.numel ?? numel).op(0x74, 0x51);
    w.int(o.offset ?? 0).tuple(o.size ?? t.shape).tuple(o.stride ?? stride).op(0x89).global('collections', 'OrderedDict').op(0x29, 0x52, 0x74, 0x52);
  });
  return w.op(0x75).bytes();
}

/** A whole checkpoint archive; `pickle` replaces data.pkl, `extra` adds entries. */
export function writeCheckpoint(tensors: Record<string, CkptTensor>, opts: { pickle?: Uint8Array; extra?: Record<string, Uint8Array>; level?: 0 | 6 } = {}): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  const level = opts.level ?? 0;
  files['archive/data.pkl'] = [opts.pickle ?? stateDictPickle(tensors), { level }];
  Object.values(tensors).forEach((t, i) => {
    const n = t.shape.reduce((a, b) => a * b, 1) * STORAGE[t.dtype ?? 'float32'][1];
    files[`archive/data/${i}`] = [t.bytes ?? new Uint8Array(n), { level }];
  });
  for (const [k, v] of Object.entries(opts.extra ?? {})) files[k] = [v, { level }];
  files['archive/version'] = [new TextEncoder().encode('3\n'), { level }];
  return zipSync(files);
}

export const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

/** A safetensors file with this header text, `dataLen` zero bytes of data and optionally a false header length. */
export function rawSafetensors(header: string, dataLen = 0, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + dataLen);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}
