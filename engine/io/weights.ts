// One entry for every weights file: detects safetensors, PyTorch zip checkpoints and the formats we
// refuse (legacy torch.save, TorchScript, plain pickles, Git LFS pointers...) by content, finds the tensor
// dictionary inside a nested checkpoint ({"model": ..., "optimizer": ...}), and returns named float32
// tensors. Pure bytes in: no I/O, no node:*; every failure is a WeightsError with what to do.
import { TORCH_DTYPE, type SafeTensor } from './dtypes';
import { PyDict, PyList, PyTuple, type PickleValue } from './pickle';
import { readCheckpoint } from './pytorchCheckpoint';
import { parseSafetensors, parseSafetensorsHeader } from './safetensors';
import { fitKeyPrefix, WRAPPER_PREFIXES } from './stateDict';
import { TensorRef } from './torchGlobals';
import { isZip } from './zipArchive';
import { fail, quote } from './weightsError';

export type WeightsFormat = 'safetensors' | 'pytorch';

export interface WeightTensor extends SafeTensor { name: string }

export interface ReadWeightsOptions {
  /** Dotted path of the tensor dictionary in a nested checkpoint (`state_dict`, `model`, `ema.module`). */
  key?: string;
  /** The model's state_dict keys: choose the dictionary that fits them and strip `module.` when that fits. */
  expected?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  /** Most float32 values the result may hold (default: twice the file's byte count + 2^20). */
  maxElements?: number;
}

export interface WeightsFile {
  format: WeightsFormat;
  /**
   * In file order; names as the file has them (after a `module.` repair when `expected` asked for it).
   * As in PyTorch, tensors that view one storage may share their `data` buffer (tied weights are one
   * tensor): copy before transferring or changing a tensor's buffer.
   */
  tensors: Map<string, WeightTensor>;
  /** Where the tensors came from: '' for the top level. */
  key: string;
  /** Every tensor dictionary found (dotted path and tensor count); optimizer state left out. */
  candidates: Array<{ key: string; count: number }>;
  /** Choices and repairs made, worded for the user. */
  notes: string[];
  /** Plain values beside the tensors (epoch, arch, …), at most 32, as Python would print them. */
  extras: Array<{ key: string; value: string }>;
  metadata: Record<string, string>;
}

/** Names under which training scripts store the model's state_dict, most specific first. */
const PREFERRED = ['state_dict', 'model_state_dict', 'model', 'module', 'net', 'network', 'model_state', 'weights', 'params'];
const MAX_DEPTH = 32;
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

const startsWith = (b: Uint8Array, sig: number[] | string): boolean => {
  const s = typeof sig === 'string' ? [...sig].map((c) => c.charCodeAt(0)) : sig;
  return b.length >= s.length && s.every((c, i) => b[i] === c);
};

/** What the bytes are, by content; the file name only sharpens messages. */
export function detectFormat(bytes: Uint8Array, fileName = ''): WeightsFormat {
  if (isZip(bytes)) return 'pytorch';
  if (startsWith(bytes, LEGACY_MAGIC)) {
    fail("the legacy torch.save format (before PyTorch 1.6, or _use_new_zipfile_serialization=False) is not read: re-save it in PyTorch with torch.save(torch.load(path), 'model.pth') to get the zip format");
  }
  // safetensors: a u64 header length, then '{' (no pickle torch writes has '{' as its 9th byte)
  if (bytes.length >= 9 && bytes[8] === 0x7b) return 'safetensors';
  if (startsWith(bytes, 'version https://git-lfs')) fail(`${fileName || 'the file'} is a Git LFS pointer, not the weights: fetch them with git lfs pull`);
  if (startsWith(bytes, [0x89, 0x48, 0x44, 0x46])) fail('an HDF5 file (Keras .h5), not PyTorch weights');
  if (/\.safetensors$/i.test(fileName)) return 'safetensors'; // its reader says what is wrong
  if (bytes[0] === 0x80) fail(`${fileName || 'the file'} is a plain Python pickle, not a torch.save checkpoint: save the weights with torch.save(model.state_dict(), 'model.pth')`);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return fail(`not a weights file: neither safetensors nor a PyTorch checkpoint (first bytes: ${head || 'none, the file is empty'})`);
}

type Visit = (path: string[], v: PickleValue) => boolean;

/** Walks the unpickled object depth-first without recursion; `visit` returns false to skip a subtree. Every path is visited; each container is entered once. */
export function walk(root: PickleValue, visit: Visit): void {
  const seen = new Set<object>();
  const todo: Array<[string[], PickleValue]> = [[[], root]];
  while (todo.length) {
    const [path, v] = todo.pop()!;
    if (!visit(path, v) || path.length >= MAX_DEPTH) continue;
    // a container shared by several paths (or holding itself) is entered once
    if (v !== null && typeof v === 'object') { if (seen.has(v)) continue; seen.add(v); }
    const kids: Array<[string[], PickleValue]> = [];
    if (v instanceof PyDict) for (const [k, x] of v.map) kids.push([[...path, String(k)], x]);
    else if (v instanceof PyList || v instanceof PyTuple) v.items.forEach((x, i) => kids.push([[...path, String(i)], x]));
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]);
  }
}

const isTensorDict = (v: PickleValue): v is PyDict => v instanceof PyDict && v.map.size > 0 && [...v.map].every(([k, x]) => typeof k === 'string' && x instanceof TensorRef);
const isOptimizerState = (v: PickleValue): boolean => v instanceof PyDict && v.map.has('state') && v.map.has('param_groups');

function pyRepr(v: PickleValue): string | undefined {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return `'${quote(v, 60)}'`;
  return undefined;
}

interface Found { dicts: Array<{ path: string[]; dict: PyDict }>; extras: Array<{ key: string; value: string }> }

function findDicts(root: PickleValue): Found {
  const found: Found = { dicts: [], extras: [] };
  walk(root, (path, v) => {
    if (isOptimizerState(v)) return false;
    if (isTensorDict(v)) { found.dicts.push({ path, dict: v }); return false; }
    const r = pyRepr(v);
    if (r !== undefined && path.length && found.extras.length < 32) found.extras.push({ key: path.join('.'), value: r });
    return true;
  });
  return found;
}

function keysOf(d: PyDict): Map<string, TensorRef> { return new Map([...d.map].map(([k, v]) => [k as string, v as TensorRef])); }

function choose(found: Found, opts: ReadWeightsOptions): { path: string[]; dict: PyDict; why: string } {
  const list = found.dicts, label = (p: string[]) => p.join('.') || '(top level)';
  const listing = () => list.slice(0, 10).map((c) => `${label(c.path)} (${c.dict.map.size} tensors)`).join(', ') + (list.length > 10 ? `, … ${list.length - 10} more` : '');
  if (opts.key !== undefined) {
    const hit = list.find((c) => c.path.join('.') === opts.key);
    if (!hit) fail(`the checkpoint has no tensor dictionary at '${quote(opts.key)}'; it has: ${listing() || 'none'}`);
    return { ...hit, why: '' };
  }
  if (!list.length) fail('the checkpoint holds no dictionary of tensors (a state_dict): save one with torch.save(model.state_dict(), \'model.pth\')');
  if (list.length === 1) return { ...list[0], why: '' };
  if (opts.expected) {
    const score = (d: PyDict) => { const f = fitKeyPrefix(keysOf(d), opts.expected!).tensors; let n = 0; for (const k of f.keys()) if (opts.expected!.has(k)) n++; return n; };
    const best = list.map((c) => ({ ...c, s: score(c.dict) })).sort((a, b) => b.s - a.s || a.path.length - b.path.length)[0];
    if (best.s > 0) return { ...best, why: `the one whose keys fit the model (of: ${listing()})` };
  }
  for (const name of PREFERRED) {
    const hit = list.filter((c) => c.path[c.path.length - 1] === name).sort((a, b) => a.path.length - b.path.length)[0];
    if (hit) return { ...hit, why: `by its name (of: ${listing()})` };
  }
  return fail(`the checkpoint holds several tensor dictionaries: ${listing()}; choose one by its key`);
}

/** Reads any supported weights file into named tensors (see WeightsFile). Throws WeightsError. */
export function readWeights(bytes: Uint8Array, fileName = '', opts: ReadWeightsOptions = {}): WeightsFile {
  const format = detectFormat(bytes, fileName);
  const maxElements = opts.maxElements ?? 2 * bytes.length + (1 << 20);
  let named: Array<[string, SafeTensor]>, key = '', candidates: WeightsFile['candidates'], metadata: Record<string, string> = {};
  const notes: string[] = [];
  let extras: WeightsFile['extras'] = [];
  if (format === 'safetensors') {
    if (opts.key) fail(`a safetensors file has no nested dictionaries (asked for key '${quote(opts.key)}')`);
    metadata = parseSafetensorsHeader(bytes).metadata;
    named = [...parseSafetensors(bytes)];
    candidates = [{ key: '', count: named.length }];
  } else {
    const ckpt = readCheckpoint(bytes);
    const found = findDicts(ckpt.root);
    const pick = choose(found, opts);
    key = pick.path.join('.');
    if (pick.why) notes.push(`using the tensors under '${key || '(top level)'}': ${pick.why}`);
    const refs = keysOf(pick.dict);
    const values = ckpt.materialize([...refs.values()], maxElements);
    named = [...refs].map(([k, r]) => [k, values.get(r)!]);
    candidates = found.dicts.map((c) => ({ key: c.path.join('.'), count: c.dict.map.size }));
    extras = found.extras;
  }
  let tensors = new Map(named);
  const why = (p: string) => (p === 'module.' ? 'saved from DataParallel/DDP' : 'saved from torch.compile');
  if (opts.expected) {
    const fit = fitKeyPrefix(tensors, opts.expected);
    tensors = fit.tensors;
    for (const p of fit.stripped) notes.push(`stripped the '${p}' prefix from every key (${why(p)})`);
  } else {
    const p = WRAPPER_PREFIXES.find((x) => tensors.size > 0 && [...tensors.keys()].every((k) => k.startsWith(x)));
    if (p) notes.push(`every key starts with '${p}' (${why(p)}); it is stripped when the keys are matched to a model`);
  }
  return { format, tensors: new Map([...tensors].map(([k, t]) => [k, { name: k, ...t }])), key, candidates, notes, extras, metadata };
}

export interface TensorSummary { name: string; dtype: string; shape: number[]; numel: number; min: number; max: number; mean: number; std: number }

/** Per-tensor statistics for `layerlens weights` (float64 accumulation; NaN when a value is NaN; empty tensors give NaN). */
export function summarizeTensor(t: WeightTensor): TensorSummary {
  const d = t.data, n = d.length;
  let sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) { const v = d[i]; sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = n ? sum / n : NaN;
  let sq = 0;
  for (let i = 0; i < n; i++) { const e = d[i] - mean; sq += e * e; }
  return { name: t.name, dtype: TORCH_DTYPE[t.dtype], shape: t.shape, numel: n, min: n ? min : NaN, max: n ? max : NaN, mean, std: n ? Math.sqrt(sq / n) : NaN };
}
