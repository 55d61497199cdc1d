// PyTorch checkpoints written by real torch (scripts/gen_checkpoints.py): every file reads to the tensors
// torch.load returns (names, dtypes, shapes, exact values, shared and strided views), or is refused with
// its message; and the unpickler provably invokes nothing but the allowlist's own implementations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TORCH_DTYPE, type SafeTensor } from '../../../engine/io/dtypes';
import { PyDict, PyList, PyTuple, type GlobalImpl, type PickleValue } from '../../../engine/io/pickle';
import { readCheckpoint } from '../../../engine/io/pytorchCheckpoint';
import { TORCH_GLOBALS, TensorRef } from '../../../engine/io/torchGlobals';
import { readWeights, walk } from '../../../engine/io/weights';
import { WeightsError } from '../../../engine/io/weightsError';

const dir = join(__dirname, '../../fixtures/checkpoints');
const files = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as string[];
const bytesOf = (f: string) => new Uint8Array(readFileSync(join(dir, f)));

interface T { dtype: string; shape: number[]; data: Array<number | string | boolean> }
type Expect = { read: true; stateDict: string; tensors: Record<string, T>; scalars: Record<string, unknown> } | { read: false; error: string };
const expected = (f: string) => JSON.parse(readFileSync(join(dir, `${f}.json`), 'utf8')) as { expect: Expect; torch: { weightsOnly: string } };

/** Every tensor and scalar leaf of the unpickled object by dotted path (the generator's convention). */
function leaves(root: PickleValue): { tensors: Map<string, TensorRef>; scalars: Map<string, unknown> } {
  const tensors = new Map<string, TensorRef>(), scalars = new Map<string, unknown>();
  walk(root, (path, v) => {
    const key = path.join('.');
    if (v instanceof TensorRef) tensors.set(key, v);
    else if (!(v instanceof PyDict || v instanceof PyList || v instanceof PyTuple)) scalars.set(key, typeof v === 'bigint' ? String(v) : v);
    return !(v instanceof TensorRef);
  });
  return { tensors, scalars };
}

const special = (v: number | string | boolean): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));

/** Differences between our tensor and torch's, as readable strings (empty when identical). */
function diff(name: string, got: SafeTensor, want: T): string[] {
  const bad: string[] = [];
  if (TORCH_DTYPE[got.dtype] !== want.dtype) bad.push(`${name}: dtype ${TORCH_DTYPE[got.dtype]} vs ${want.dtype}`);
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) bad.push(`${name}: shape [${got.shape}] vs [${want.shape}]`);
  if (got.data.length !== want.data.length) return [...bad, `${name}: ${got.data.length} values vs ${want.data.length}`];
  want.data.forEach((w, i) => {
    if (want.dtype === 'int64') {
      if (got.int64?.[i] !== BigInt(w as string)) bad.push(`${name}[${i}]: ${got.int64?.[i]} vs ${w}`);
      if (got.data[i] !== Math.fround(Number(w))) bad.push(`${name}[${i}] as float32`);
    } else if (!Object.is(got.data[i], Math.fround(special(w)))) bad.push(`${name}[${i}]: ${got.data[i]} vs ${w}`);
  });
  return bad;
}

describe('reference checkpoints (torch 1.13)', () => {
  it('the fixture directory lists every file it holds', () => {
    const onDisk = readdirSync(dir).filter((f) => !f.endsWith('.json') && !f.endsWith('.py')).sort();
    expect(onDisk).toEqual([...files].sort());
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  for (const f of files) {
    const { expect: exp, torch } = expected(f);
    if (exp.read) {
      it(`${f}: every tensor and scalar equals torch.load's (torch weights_only: ${torch.weightsOnly.slice(0, 40)})`, () => {
        const ckpt = readCheckpoint(bytesOf(f));
        const { tensors, scalars } = leaves(ckpt.root);
        expect([...tensors.keys()].sort()).toEqual(Object.keys(exp.tensors).sort());
        const values = ckpt.materialize([...tensors.values()], 1e7);
        const bad = [...tensors].flatMap(([k, r]) => diff(k, values.get(r)!, exp.tensors[k]));
        expect(bad).toEqual([]);
        for (const [k, v] of Object.entries(exp.scalars)) expect(typeof v === 'number' && typeof scalars.get(k) === 'number' ? special(v) : v, k).toEqual(scalars.get(k));
      });
      it(`${f}: readWeights picks the state_dict at '${exp.stateDict}'`, () => {
        const w = readWeights(bytesOf(f), f);
        expect(w.format).toBe('pytorch');
        expect(w.key).toBe(exp.stateDict);
        const prefix = exp.stateDict ? `${exp.stateDict}.` : '';
        const want = Object.entries(exp.tensors).filter(([k]) => k.startsWith(prefix));
        expect(w.tensors.size).toBe(want.length);
        const inDict = want.filter(([k]) => w.tensors.has(k.slice(prefix.length)));
        expect(inDict.length).toBe(want.length);
        expect(inDict.flatMap(([k, t]) => diff(k, w.tensors.get(k.slice(prefix.length))!, t))).toEqual([]);
      });
    } else {
      it(`${f}: refused with a message matching /${exp.error}/ (torch weights_only: ${torch.weightsOnly.slice(0, 50)})`, () => {
        let err: unknown;
        try { readWeights(bytesOf(f), f); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(WeightsError);
        expect((err as Error).message).toMatch(new RegExp(exp.error));
      });
    }
  }
});

describe('state_dicts users save', () => {
  const sd = (f: string) => readWeights(bytesOf(f), f, { expected: new Set(['conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'fc.weight', 'fc.bias']) });
  it('DataParallel/DDP `module.` prefixes are stripped when that makes the keys fit, and said so', () => {
    const w = sd('tinynet_dataparallel.bin');
    expect([...w.tensors.keys()]).toContain('bn.running_var');
    expect(w.notes.join()).toMatch(/stripped the 'module\.' prefix .*DataParallel/);
    expect(readWeights(bytesOf('tinynet_dataparallel.bin')).notes.join()).toMatch(/every key starts with 'module\.'/);
  });
  it('a nested {"model", "optimizer", "epoch"} checkpoint: the model dict is found, the optimizer left out, the epoch kept as an extra', () => {
    const w = sd('tinynet_model_optimizer.pth');
    expect(w.key).toBe('model');
    expect(w.candidates.map((c) => c.key)).toEqual(['model']);
    expect(w.extras).toContainEqual({ key: 'epoch', value: '3' });
  });
  it('an explicit key chooses the dictionary, and a wrong one lists what there is', () => {
    expect(readWeights(bytesOf('tinynet_nested.pt'), '', { key: 'state_dict' }).tensors.size).toBe(9);
    expect(() => readWeights(bytesOf('tinynet_nested.pt'), '', { key: 'model' })).toThrow(/no tensor dictionary at 'model'; it has: state_dict \(9 tensors\)/);
  });
  it('views share their storage: tied tensors come back as one tensor, a transposed view is copied in row-major order', () => {
    const w = readWeights(bytesOf('shared_views.pth'));
    expect(w.tensors.get('tied_a')!.data).toBe(w.tensors.get('tied_b')!.data);
    expect(Array.from(w.tensors.get('transposed')!.data.slice(0, 4))).toEqual([0, 6, 12, 18]);
  });
});

describe('the unpickler invokes nothing outside the allowlist', () => {
  const allowed = new Set(TORCH_GLOBALS.keys());
  it('every call made while reading every fixture is an allowlisted implementation', () => {
    const calls: string[] = [];
    for (const f of files) {
      try { readCheckpoint(bytesOf(f), { trace: (e) => calls.push(e) }); } catch (e) { expect(e).toBeInstanceOf(WeightsError); }
    }
    const names = calls.filter((c) => c !== 'BINPERSID').map((c) => c.split(' ')[1]);
    expect(names.length).toBeGreaterThan(100);
    expect(names).toContain('collections.OrderedDict');
    expect(names).toContain('torch._utils._rebuild_tensor_v2');
    expect(names.filter((n) => !allowed.has(n))).toEqual([]);
  });
  it('a hostile global resolves only through the map the reader is given: our canary runs, nothing real can', () => {
    let canary = 0;
    const globals = new Map<string, GlobalImpl>([['posix.system', { call: () => { canary++; return null; } }]]);
    readCheckpoint(bytesOf('hostile_os_system.pth'), { globals });
    expect(canary).toBe(1);
    const calls: string[] = [];
    expect(() => readCheckpoint(bytesOf('hostile_os_system.pth'), { trace: (e) => calls.push(e) })).toThrow(/refused global posix\.system/);
    expect(calls).toEqual([]);
  });
  it('with an empty allowlist even a plain state_dict is refused at its first global', () => {
    expect(() => readCheckpoint(bytesOf('tinynet_state_dict.pth'), { globals: new Map() })).toThrow(/refused global collections\.OrderedDict/);
  });
  it('the readers contain no dynamic code execution or module loading', () => {
    const src = join(__dirname, '../../../engine/io');
    for (const f of readdirSync(src)) {
      const text = readFileSync(join(src, f), 'utf8');
      expect(text, f).not.toMatch(/\beval\s*\(|new Function|\bFunction\s*\(|\bimport\s*\(|\brequire\s*\(|globalThis|\bprocess\.|Reflect\.|from 'node:/);
    }
  });
});
