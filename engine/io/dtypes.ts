// Element types of weights files and their conversion to the engine's float32 tensors, shared by the
// safetensors and PyTorch checkpoint readers. Reads only the byte range it is given; allocates exactly
// the output (the caller has checked sizes against the file and its element budget first).

export type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_SIZE: Record<Dtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** PyTorch's spelling, for messages and the `weights` command. */
export const TORCH_DTYPE: Record<Dtype, string> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

export function isDtype(s: unknown): s is Dtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, s);
}

/** A tensor as the engine consumes it (run.ts's state): float32 values, I64 also exactly. */
export interface SafeTensor {
  dtype: Dtype;
  shape: number[];
  /** Values converted to float32 (integers beyond 2^24 lose precision here; see `int64`). */
  data: Float32Array;
  /** The exact values of an I64 tensor (e.g. BatchNorm's num_batches_tracked). */
  int64?: BigInt64Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE half → float. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * `n` little-endian elements of `dtype` starting at byte `at` of `bytes`, as float32 (and exact int64).
 * `shareable`: the caller owns `bytes`, so aligned float32 data may be returned as a view into it (no copy).
 */
export function decodeElements(bytes: Uint8Array, at: number, n: number, dtype: Dtype, shareable = false): { data: Float32Array; int64?: BigInt64Array } {
  const nbytes = n * DTYPE_SIZE[dtype];
  if (shareable && dtype === 'F32' && LITTLE_ENDIAN && (bytes.byteOffset + at) % 4 === 0) return { data: new Float32Array(bytes.buffer, bytes.byteOffset + at, n) };
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, nbytes);
  const d = new Float32Array(n);
  switch (dtype) {
    case 'F32':
      if (LITTLE_ENDIAN) {
        // typed arrays need their element alignment: copy the bytes into a fresh buffer
        new Uint8Array(d.buffer).set(bytes.subarray(at, at + nbytes));
      } else for (let i = 0; i < n; i++) d[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64': for (let i = 0; i < n; i++) d[i] = view.getFloat64(i * 8, true); break;
    case 'F16': for (let i = 0; i < n; i++) d[i] = halfToFloat(view.getUint16(i * 2, true)); break;
    case 'BF16': {
      const u = new Uint32Array(d.buffer);
      for (let i = 0; i < n; i++) u[i] = view.getUint16(i * 2, true) << 16;
      break;
    }
    case 'I64': {
      const raw = new BigInt64Array(n);
      for (let i = 0; i < n; i++) { raw[i] = view.getBigInt64(i * 8, true); d[i] = Number(raw[i]); }
      return { data: d, int64: raw };
    }
    case 'I32': for (let i = 0; i < n; i++) d[i] = view.getInt32(i * 4, true); break;
    case 'I16': for (let i = 0; i < n; i++) d[i] = view.getInt16(i * 2, true); break;
    case 'I8': for (let i = 0; i < n; i++) d[i] = view.getInt8(i); break;
    case 'U8': d.set(bytes.subarray(at, at + n)); break;
    case 'BOOL': for (let i = 0; i < n; i++) d[i] = bytes[at + i] ? 1 : 0; break;
  }
  return { data: d };
}
