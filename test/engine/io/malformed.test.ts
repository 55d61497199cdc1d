// One malformed-file suite over both readers: each kind of damage is applied to a safetensors file and to
// a PyTorch zip checkpoint of the same tensors, and both must refuse with a WeightsError naming the problem
// (before any large allocation). A kind that exists in one format only says why for the other.
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../engine/io/safetensors';
import { readWeights } from '../../../engine/io/weights';
import { WeightsError } from '../../../engine/io/weightsError';
import { f32Bytes, PickleWriter, rawSafetensors, stateDictPickle, writeCheckpoint, type CkptTensor } from '../support/weightsWriter';

const TENSORS: Record<string, CkptTensor> = { 'fc.weight': { shape: [2, 3], bytes: f32Bytes([1, 2, 3, 4, 5, 6]) }, 'fc.bias': { shape: [2], bytes: f32Bytes([7, 8]) } };
const goodSt = () => writeSafetensors({ 'fc.weight': { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, 'fc.bias': { shape: [2], data: [7, 8] } });
const goodPt = () => writeCheckpoint(TENSORS);

const st = rawSafetensors;
const entry = (name: string, shape: unknown, off: [number, number], dtype = 'F32') => `"${name}":{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(off)}}`;
const pt = (t: CkptTensor, name = 'w') => writeCheckpoint({ [name]: t });
const cat = (a: Uint8Array, b: Uint8Array) => { const o = new Uint8Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };

/** Offset of the central directory's first entry (PK\1\2); the test archives' data never contains it. */
function centralDir(z: Uint8Array): number {
  for (let i = 0; i + 4 <= z.length; i++) if (z[i] === 0x50 && z[i + 1] === 0x4b && z[i + 2] === 1 && z[i + 3] === 2) return i;
  throw new Error('no central directory');
}

/** Renames an entry in place (same length) in its local header and the central directory. */
function rename(z: Uint8Array, from: string, to: string): Uint8Array {
  const a = new TextEncoder().encode(from), b = new TextEncoder().encode(to);
  for (let i = 0; i + a.length <= z.length; i++) if (a.every((c, k) => z[i + k] === c)) z.set(b, i);
  return z;
}

interface Case {
  name: string;
  safetensors: (() => Uint8Array) | string;
  pytorch: (() => Uint8Array) | string;
  error: { safetensors?: RegExp; pytorch?: RegExp };
}

const deepList = (n: number) => { const w = new PickleWriter(); for (let i = 0; i < n; i++) w.op(0x5d); for (let i = 0; i < n - 1; i++) w.op(0x61); return w.bytes(); };

const CASES: Case[] = [
  { name: 'empty file', safetensors: () => new Uint8Array(0), pytorch: () => new Uint8Array(0), error: { safetensors: /not a weights file|too short/, pytorch: /not a weights file/ } },
  { name: 'truncated to half', safetensors: () => goodSt().slice(0, 60), pytorch: () => goodPt().slice(0, goodPt().length >> 1), error: { safetensors: /header length \d+ runs past the end/, pytorch: /no end-of-archive record.*truncated/ } },
  { name: 'last byte missing', safetensors: () => goodSt().slice(0, -1), pytorch: () => goodPt().slice(0, -1), error: { safetensors: /lie outside the data section|bytes after the last|hole/, pytorch: /no end-of-archive record/ } },
  { name: 'bytes appended', safetensors: () => cat(goodSt(), new Uint8Array(16)), pytorch: () => cat(goodPt(), new Uint8Array(16)), error: { safetensors: /16 bytes after the last tensor/, pytorch: /bytes appended/ } },
  {
    name: 'tensor larger than its data (storage shorter than the tensor)',
    safetensors: () => st(`{${entry('w', [1000], [0, 8])}}`, 8),
    pytorch: () => pt({ shape: [2], override: { size: [1000], stride: [1] } }),
    error: { safetensors: /shape \[1000\] of F32 = 4000 bytes, but data_offsets cover 8/, pytorch: /reaches element 999 of a storage of 2: the storage is shorter than the tensor/ },
  },
  {
    name: 'declared data size beyond what the file holds',
    safetensors: () => st(`{${entry('w', [2], [0, 8])}}`, 4),
    pytorch: () => pt({ shape: [2], override: { numel: 1_000_000 } }),
    error: { safetensors: /lie outside the data section \(4 bytes\)/, pytorch: /holds 1000000 F32 elements .* but its entry has 8 bytes: the storage is shorter than its tensors/ },
  },
  {
    name: 'absurd shape',
    safetensors: () => st(`{${entry('w', [2 ** 40, 2 ** 40], [0, 4])}}`, 4),
    pytorch: () => pt({ shape: [1], override: { size: [2 ** 40, 2 ** 40], stride: [0, 0] } }),
    error: { safetensors: /more elements than any file can hold/, pytorch: /more elements than any file holds/ },
  },
  {
    name: 'absurd shape within the index range (stride 0)',
    safetensors: 'safetensors has no strides: every element is stored, so the size check above covers it',
    pytorch: () => pt({ shape: [1], override: { size: [100_000, 100_000], stride: [0, 0] } }),
    error: { pytorch: /would take 10000000000 values, more than this file can hold/ },
  },
  {
    name: 'negative dimension',
    safetensors: () => st(`{${entry('w', [-1], [0, 4])}}`, 4),
    pytorch: () => pt({ shape: [1], override: { size: [-1], stride: [1] } }),
    error: { safetensors: /shape of 'w' must be a list of non-negative integers/, pytorch: /size\[0\] must be a non-negative integer/ },
  },
  {
    name: 'more than 64 dimensions',
    safetensors: () => st(`{${entry('w', Array(100).fill(1), [0, 4])}}`, 4),
    pytorch: () => pt({ shape: [1], override: { size: Array(100).fill(1), stride: Array(100).fill(1) } }),
    error: { safetensors: /more than 64 dimensions/, pytorch: /100 dimensions \(more than 64\)/ },
  },
  {
    name: 'unsupported element type',
    safetensors: () => st(`{${entry('w', [1], [0, 1], 'F8_E4M3')}}`, 1),
    pytorch: () => pt({ shape: [1], dtype: 'float32', override: { storageClass: 'ComplexFloatStorage' } }),
    error: { safetensors: /unknown dtype "F8_E4M3"/, pytorch: /complex64 tensors are not supported/ },
  },
  {
    name: 'duplicate names',
    safetensors: () => st(`{${entry('w', [1], [0, 4])},${entry('w', [1], [4, 8])}}`, 8),
    pytorch: () => rename(writeCheckpoint({ w: { shape: [1] }, v: { shape: [1] } }), 'archive/data/1', 'archive/data/0'),
    error: { safetensors: /tensor "w" appears twice/, pytorch: /entry 'archive\/data\/0' appears twice/ },
  },
  {
    name: 'overlapping tensors',
    safetensors: () => st(`{${entry('a', [2], [0, 8])},${entry('b', [2], [4, 12])}}`, 12),
    pytorch: 'a checkpoint may legitimately view one storage from several tensors (shared storage); overlap is not damage there',
    error: { safetensors: /'a' and 'b' overlap/ },
  },
  {
    name: 'unindexed hole',
    safetensors: () => st(`{${entry('a', [1], [0, 4])},${entry('b', [1], [8, 12])}}`, 12),
    pytorch: 'storage bytes a tensor does not view are normal in a checkpoint (a saved slice keeps its whole storage)',
    error: { safetensors: /bytes \[4, 8\) of the data section belong to no tensor/ },
  },
  {
    name: 'an entry pointing outside the file',
    safetensors: () => st(`{${entry('w', [4], [1000, 1016])}}`, 16),
    pytorch: () => {
      const z = goodPt(), cd = centralDir(z), v = new DataView(z.buffer);
      v.setUint32(cd + 42, z.length + 1000, true); // the first entry's local header offset
      return z;
    },
    error: { safetensors: /data_offsets \[1000, 1016\] of 'w' lie outside/, pytorch: /lies outside the file|could not be located|cannot extract/ },
  },
  {
    name: 'declared size that deflate cannot produce (a zip bomb)',
    safetensors: () => st('{}', 0, 1n << 40n),
    pytorch: () => {
      const z = zipSync({ 'archive/data.pkl': [new Uint8Array(1 << 20), { level: 9 }], 'archive/version': [new Uint8Array(2), { level: 0 }] });
      const cd = centralDir(z), v = new DataView(z.buffer);
      v.setUint32(cd + 24, 0x7fffffff, true); // uncompressed size in the central directory
      return z;
    },
    error: { safetensors: /header length 1099511627776 exceeds the 100000000-byte limit/, pytorch: /claims 2147483647 bytes from \d+ compressed ones, more than deflate can produce \(a zip bomb\)/ },
  },
  {
    name: 'declared size smaller than the real data',
    safetensors: () => st(`{${entry('w', [1], [0, 4])}}`, 8),
    pytorch: () => {
      const z = zipSync({ 'archive/data.pkl': [stateDictPickle({}), { level: 9 }], 'archive/version': [new Uint8Array(2), { level: 0 }] });
      const cd = centralDir(z), v = new DataView(z.buffer);
      v.setUint32(cd + 24, v.getUint32(cd + 24, true) + 100, true);
      return z;
    },
    error: { safetensors: /4 bytes after the last tensor/, pytorch: /declares \d+ bytes but \d+ are there|cannot extract/ },
  },
  {
    name: 'nesting 100,000 deep',
    safetensors: () => st(`{"w":{"dtype":"F32","shape":${'['.repeat(100_000)}${']'.repeat(100_000)},"data_offsets":[0,4]}}`, 4),
    pytorch: () => writeCheckpoint({}, { pickle: deepList(100_000) }),
    error: { safetensors: /shape of 'w' must be a list of non-negative integers/, pytorch: /holds no dictionary of tensors/ },
  },
  {
    name: 'millions of tiny objects (memory amplification)',
    safetensors: () => st(`{${Array.from({ length: 270_000 }, (_, i) => entry(`t${i}`, [0], [0, 0])).join(',')}}`),
    pytorch: () => writeCheckpoint({}, { pickle: new Uint8Array(4_100_000).fill(0x28), level: 6 }),
    error: { safetensors: /more than 262144 tensors in one header/, pytorch: /builds more than 4000000 objects/ },
  },
  {
    name: 'not the format at all',
    safetensors: () => new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n'),
    pytorch: () => zipSync({ 'weights/a.npy': new Uint8Array(8) }),
    error: { safetensors: /Git LFS pointer, not the weights: fetch them with git lfs pull/, pytorch: /without weights\/data\.pkl .*NumPy \.npz file/ },
  },
];

describe('malformed weights files: the same suite over safetensors and PyTorch checkpoints', () => {
  it('the undamaged files read to the same tensors', () => {
    const a = readWeights(goodSt(), 'x.safetensors').tensors, b = readWeights(goodPt(), 'x.pth').tensors;
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [k, t] of a) expect(Array.from(b.get(k)!.data)).toEqual(Array.from(t.data));
  });
  for (const c of CASES) {
    for (const fmt of ['safetensors', 'pytorch'] as const) {
      const make = c[fmt];
      if (typeof make === 'string') {
        it(`${c.name} [${fmt}]: not applicable — ${make}`, () => expect(make.length).toBeGreaterThan(20));
        continue;
      }
      it(`${c.name} [${fmt}]`, () => {
        const bytes = make();
        let err: unknown;
        try { readWeights(bytes, fmt === 'safetensors' ? 'x.safetensors' : 'x.pth'); } catch (e) { err = e; }
        expect(err, 'must be refused').toBeInstanceOf(WeightsError);
        expect((err as Error).message).toMatch(c.error[fmt]!);
      });
    }
  }
});
