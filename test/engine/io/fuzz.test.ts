// Seeded mutation fuzzing of the weights readers over the reference checkpoints and safetensors fixtures:
// byte-level damage, and structure-aware damage (data.pkl mutated then re-zipped, safetensors headers
// edited). Every input must be read or refused with a WeightsError: no other exception, no hang, and no
// result beyond the reader's element budget. LAYERLENS_FUZZ_N / LAYERLENS_FUZZ_SEED run more or other seeds.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readWeights } from '../../../engine/io/weights';
import { mulberry32 } from '../../../engine/util/random';
import { WeightsError } from '../../../engine/io/weightsError';
import { f32Bytes, writeCheckpoint } from '../support/weightsWriter';

const N = Number(process.env.LAYERLENS_FUZZ_N ?? 3000);
const SEED = Number(process.env.LAYERLENS_FUZZ_SEED ?? 0x11a7e5);
const fixtures = join(__dirname, '../../fixtures');

function corpus(): Array<{ name: string; bytes: Uint8Array }> {
  const ck = join(fixtures, 'checkpoints');
  const out = readdirSync(ck).filter((f) => /\.(pth|pt|bin)$/.test(f)).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(ck, f))) }));
  for (const c of ['simple_cnn', 'mlp_tanh']) out.push({ name: `${c}.safetensors`, bytes: new Uint8Array(readFileSync(join(fixtures, 'cases', c, 'weights.safetensors'))) });
  return out;
}

/** mulberry32 (engine/util/random.ts): small, seedable, good enough to spread mutations. */
const rng = mulberry32;

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];
/** Opcodes worth inserting into a pickle: containers, memo, globals, calls, persistent ids, stops. */
const OPCODES = [0x28, 0x29, 0x2e, 0x30, 0x31, 0x32, 0x4e, 0x51, 0x52, 0x5d, 0x61, 0x62, 0x63, 0x65, 0x68, 0x71, 0x73, 0x74, 0x75, 0x7d, 0x81, 0x85, 0x86, 0x87, 0x93, 0x94];

type Mutator = (b: Uint8Array, r: () => number) => Uint8Array;
const at = (b: Uint8Array, r: () => number) => Math.floor(r() * Math.max(1, b.length));

const BYTE_MUTATORS: Record<string, Mutator> = {
  flip: (b, r) => { const o = b.slice(); for (let k = 1 + Math.floor(r() * 8); k > 0; k--) o[at(o, r)] = Math.floor(r() * 256); return o; },
  interesting: (b, r) => {
    const o = b.slice(), v = new DataView(o.buffer), p = at(o, r), w = [1, 2, 4][Math.floor(r() * 3)], x = INTERESTING[Math.floor(r() * INTERESTING.length)];
    if (p + w <= o.length) { if (w === 1) v.setUint8(p, x & 0xff); else if (w === 2) v.setUint16(p, x & 0xffff, true); else v.setUint32(p, x >>> 0, true); }
    return o;
  },
  truncate: (b, r) => b.slice(0, at(b, r)),
  insert: (b, r) => { const p = at(b, r), n = 1 + Math.floor(r() * 64), o = new Uint8Array(b.length + n); o.set(b.subarray(0, p)); for (let k = 0; k < n; k++) o[p + k] = Math.floor(r() * 256); o.set(b.subarray(p), p + n); return o; },
  remove: (b, r) => { const p = Math.min(at(b, r), b.length), n = Math.min(Math.floor(r() * 64), b.length - p); const o = new Uint8Array(b.length - n); o.set(b.subarray(0, p)); o.set(b.subarray(p + n), p); return o; },
  duplicate: (b, r) => { const p = at(b, r), n = 1 + Math.floor(r() * 128), q = at(b, r); const chunk = b.slice(p, p + n); const o = new Uint8Array(b.length + chunk.length); o.set(b.subarray(0, q)); o.set(chunk, q); o.set(b.subarray(q), q + chunk.length); return o; },
};
const PICKLE_MUTATORS: Record<string, Mutator> = {
  ...BYTE_MUTATORS,
  opcode: (b, r) => { const p = at(b, r), o = new Uint8Array(b.length + 1); o.set(b.subarray(0, p)); o[p] = OPCODES[Math.floor(r() * OPCODES.length)]; o.set(b.subarray(p), p + 1); return o; },
};
const byteMutators = Object.entries(BYTE_MUTATORS), pickleMutators = Object.entries(PICKLE_MUTATORS);
const pick = <T,>(xs: T[], r: () => number): T => xs[Math.floor(r() * xs.length)];

/** data.pkl of a zip checkpoint mutated, everything re-zipped (so the damage reaches the unpickler). */
function mutatePickle(b: Uint8Array, r: () => number): [string, Uint8Array] | undefined {
  let files: Record<string, Uint8Array>;
  try { files = unzipSync(b); } catch { return undefined; }
  const pkl = Object.keys(files).find((k) => k.endsWith('/data.pkl'));
  if (!pkl) return undefined;
  const [m, f] = pick(pickleMutators, r);
  let data = files[pkl];
  for (let k = 1 + Math.floor(r() * 3); k > 0; k--) data = f(data, r);
  files[pkl] = data;
  return [`pickle:${m}`, zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: r() < 0.8 ? 0 : 6 }]])))];
}

/** A safetensors header edited as text, its length field kept consistent. */
function mutateHeader(b: Uint8Array, r: () => number): [string, Uint8Array] | undefined {
  if (b.length < 8 || b[8] !== 0x7b) return undefined;
  const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  let h = new TextDecoder().decode(b.subarray(8, 8 + n));
  const edits: Array<[string, () => string]> = [
    ['number', () => h.replace(/\d+/g, (d) => (r() < 0.1 ? String(INTERESTING[Math.floor(r() * INTERESTING.length)] * (r() < 0.5 ? 1 : 1e6)) : d))],
    ['dtype', () => h.replace(/"(F32|I64)"/, `"${pick(['F16', 'BF16', 'I8', 'BOOL', 'F64', 'X9'], r)}"`)],
    ['dup', () => { const m = /"[^"]+":\{[^{}]*\}/.exec(h); return m ? h.replace('{', `{${m[0]},`) : h; }],
    ['nest', () => h.replace(/\[/, '['.repeat(1 + Math.floor(r() * 5000)))],
  ];
  const [name, edit] = pick(edits, r);
  h = edit();
  const json = new TextEncoder().encode(h), out = new Uint8Array(8 + json.length + (b.length - 8 - n));
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(b.subarray(8 + n), 8 + json.length);
  return [`header:${name}`, out];
}

describe('weights readers under mutation', () => {
  it(`${N} mutated files (seed ${SEED}): read or refused with a WeightsError, never another exception, a hang or an outsized result`, () => {
    const files = corpus(), r = rng(SEED);
    const failures: string[] = [];
    let refused = 0, read = 0, worstMs = 0, worstName = '', peakBuffers = 0;
    for (let i = 0; i < N; i++) {
      const base = pick(files, r);
      const choice = r();
      let made: [string, Uint8Array] | undefined;
      if (choice < 0.45) made = mutatePickle(base.bytes, r) ?? mutateHeader(base.bytes, r);
      else if (choice < 0.6) made = mutateHeader(base.bytes, r);
      if (!made) { const [m, f] = pick(byteMutators, r); made = [m, f(base.bytes, r)]; }
      const [how, bytes] = made;
      const t0 = performance.now();
      try {
        const w = readWeights(bytes, base.name, r() < 0.3 ? { expected: new Set(['conv.weight', 'fc.bias']) } : {});
        let values = 0;
        for (const t of w.tensors.values()) values += t.data.length;
        if (values > 2 * bytes.length + (1 << 20)) failures.push(`#${i} ${base.name} ${how}: ${values} values from ${bytes.length} bytes`);
        read++;
      } catch (e) {
        if (e instanceof WeightsError) refused++;
        else failures.push(`#${i} ${base.name} ${how}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
      const ms = performance.now() - t0;
      if (ms > worstMs) { worstMs = ms; worstName = `#${i} ${base.name} ${how}`; }
      if (i % 64 === 0) peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers);
    }
    console.log(`fuzz: ${read} read, ${refused} refused, slowest ${worstMs.toFixed(1)} ms (${worstName}), peak array buffers ${(peakBuffers / 1e6).toFixed(0)} MB`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(read + refused).toBe(N);
    expect(refused).toBeGreaterThan(N / 10);
    // hang and memory guards (generous: a hang or a blow-up is orders of magnitude beyond these)
    expect(worstMs).toBeLessThan(5000);
    expect(peakBuffers).toBeLessThan(1e9);
  });
  it('random views (sizes, strides incl. 0, offsets) of a storage read exactly as a naive gather computes them, or are refused', () => {
    const r = rng(SEED ^ 0x5eed);
    let read = 0, refused = 0;
    for (let i = 0; i < 600; i++) {
      const numel = 1 + Math.floor(r() * 40), values = Array.from({ length: numel }, (_, k) => k + 0.5);
      const nd = Math.floor(r() * 4), size = Array.from({ length: nd }, () => Math.floor(r() * 5)), stride = size.map(() => Math.floor(r() * 6));
      const offset = Math.floor(r() * (numel + 2));
      const bytes = writeCheckpoint({ w: { shape: [numel], bytes: f32Bytes(values), override: { size, stride, offset } } });
      let got: Float32Array | undefined;
      try { got = readWeights(bytes).tensors.get('w')!.data; } catch (e) { expect(e, `view ${size}/${stride}/${offset} of ${numel}`).toBeInstanceOf(WeightsError); refused++; continue; }
      // naive reference: every multi-index, row-major
      const want: number[] = [];
      const total = size.reduce((a, b) => a * b, 1);
      for (let flat = 0; flat < total; flat++) {
        let rest = flat, at = offset;
        for (let d = nd - 1; d >= 0; d--) { at += (rest % size[d]) * stride[d]; rest = Math.floor(rest / size[d]); }
        want.push(values[at]);
      }
      expect(Array.from(got), `view ${size}/${stride}/${offset} of ${numel}`).toEqual(want);
      read++;
    }
    expect(read).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
  });
});
