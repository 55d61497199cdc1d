// PyTorch's zip checkpoint format (torch.save since 1.6): `<archive>/data.pkl` read by the restricted
// unpickler with torch's weights_only allowlist, storages in `<archive>/data/<key>`. Tensors stay views
// (TensorRef) until materialised, so only the chosen state_dict's storages are ever read, each checked
// against its zip entry first. TorchScript archives are recognised and refused with what to do instead.
import { decodeElements, DTYPE_SIZE, type SafeTensor } from './dtypes';
import { describe, PyBytes, PyGlobal, PyTuple, unpickle, type GlobalImpl, type PickleValue } from './pickle';
import { StorageRef, storageKind, TORCH_GLOBALS, TensorRef } from './torchGlobals';
import { listZip, readZipEntries, type ZipEntry } from './zipArchive';
import { fail, quote } from './weightsError';

export interface Checkpoint {
  /** The object torch.load would return, tensors as unread views. */
  root: PickleValue;
  /** Reads the storages of `refs` and returns each tensor as float32 (I64 also exact). */
  materialize(refs: readonly TensorRef[], maxElements: number): Map<TensorRef, SafeTensor>;
}

/** data.pkl is structure only (ResNet-50's is 30 KB, a 100,000-tensor one about 10 MB); a bigger one is not a weights file. */
const MAX_PICKLE_BYTES = 64 * 1024 * 1024;

const SAVE_STATE_DICT = "torch.save(model.state_dict(), 'model.pth')";

/** Modules whose names in a pickle are how malicious files run code (os.system, eval, subprocess...). */
const DANGEROUS = /^(os|posix|nt|subprocess|builtins|__builtin__|sys|shutil|socket|pty|runpy|importlib|pickle|marshal|code|ctypes|webbrowser|operator|functools|types)(\.|$)/;

/** Advice for a refused global: a payload, a whole pickled model, numpy values, or any other class. */
export function refusalHint(full: string, root: boolean): string {
  if (DANGEROUS.test(full)) return '. Naming it in a pickle is how malicious files run code on load; nothing was run';
  const cls = /^[A-Z]/.test(full.slice(full.lastIndexOf('.') + 1));
  if (/^(__main__|torch\.nn\.modules|torchvision\.models)\./.test(full) || (root && cls && !full.startsWith('torch.'))) {
    return `. The file holds a whole pickled object (torch.save(model)) rather than a state_dict: re-save it with ${SAVE_STATE_DICT}`;
  }
  if (full.startsWith('numpy.')) return '. The checkpoint holds numpy values: save plain Python numbers or tensors instead';
  return `. If you trust the file, load it in Python and save only the tensors: ${SAVE_STATE_DICT}`;
}

function archivePrefix(entries: ZipEntry[]): string {
  const first = entries[0]?.name ?? '';
  const slash = first.indexOf('/');
  return slash >= 0 ? first.slice(0, slash + 1) : '';
}

function checkKind(entries: ZipEntry[], prefix: string): ZipEntry {
  const names = new Set(entries.map((e) => e.name));
  if (names.has(`${prefix}constants.pkl`) || entries.some((e) => e.name.startsWith(`${prefix}code/`))) {
    fail(`a TorchScript archive (torch.jit.save) holds code as well as weights and is not read: save its weights with torch.save(torch.jit.load(path).state_dict(), 'model.pth')`);
  }
  const pkl = entries.find((e) => e.name === `${prefix}data.pkl`);
  if (!pkl) {
    const some = entries.slice(0, 4).map((e) => quote(e.name, 40)).join(', ');
    const npz = entries.length > 0 && entries.every((e) => e.name.endsWith('.npy'));
    fail(`a zip archive without ${prefix}data.pkl (it holds ${some}${entries.length > 4 ? ', …' : ''})${npz ? ': a NumPy .npz file' : ''}: not a torch.save checkpoint`);
  }
  return pkl;
}

function checkByteOrder(bytes: Uint8Array, entries: ZipEntry[], prefix: string): void {
  const e = entries.find((x) => x.name === `${prefix}byteorder`);
  if (!e) return;
  const v = new TextDecoder().decode(readZipEntries(bytes, [e], 64).get(e.name)!);
  if (v !== 'little') fail(`checkpoint: byteorder '${quote(v)}': only little-endian checkpoints are read`);
}

/** BINPERSID for torch: ('storage', StorageClass, key, location, numel), checked against the archive. */
function storageLoader(entries: Map<string, ZipEntry>, prefix: string): (pid: PickleValue) => PickleValue {
  return (pid) => {
    const items = pid instanceof PyTuple ? pid.items : fail(`checkpoint: a persistent id must be a tuple, got ${describe(pid)}`);
    const tag = items[0] instanceof PyBytes ? new TextDecoder().decode(items[0].bytes) : items[0];
    if (tag !== 'storage') fail(`checkpoint: only persistent ids of storages are allowed, got ${describe(items[0])}`);
    const [, cls, key, , numel] = items;
    const kind = cls instanceof PyGlobal ? storageKind.get(cls.impl as GlobalImpl) : undefined;
    if (!kind) fail(`checkpoint: a storage of type ${describe(cls)}`);
    if (kind.dtype === null) fail(`checkpoint: ${kind.name.split('.').pop()} tensors are not supported`);
    const dtype = kind.dtype === 'untyped' ? 'U8' : kind.dtype;
    if (typeof key !== 'string' || !/^[\w.-]{1,64}$/.test(key)) fail(`checkpoint: bad storage key ${describe(key)}`);
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) fail(`checkpoint: storage '${key}' has size ${describe(numel)}`);
    const name = `${prefix}data/${key}`, entry = entries.get(name);
    if (!entry) fail(`checkpoint: storage '${key}' has no entry ${quote(name)} in the archive`);
    if (entry.size < numel * DTYPE_SIZE[dtype]) {
      fail(`checkpoint: storage '${key}' holds ${numel} ${dtype} elements (${numel * DTYPE_SIZE[dtype]} bytes) but its entry has ${entry.size} bytes: the storage is shorter than its tensors`);
    }
    return new StorageRef(key, dtype, numel, name);
  };
}

const isContiguous = (t: TensorRef): boolean => {
  let want = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    if (t.shape[i] !== 1 && t.stride[i] !== want) return false;
    want *= t.shape[i];
  }
  return true;
};

/** The tensor's elements in row-major order, gathered from its storage bytes by offset and strides. */
function decodeView(t: TensorRef, raw: Uint8Array): SafeTensor {
  const size = DTYPE_SIZE[t.dtype];
  if (t.numel === 0) return { dtype: t.dtype, shape: t.shape, ...decodeElements(raw, 0, 0, t.dtype) };
  // `raw` is our own copy of the storage entry: a contiguous float32 tensor is a view of it, as in PyTorch
  if (isContiguous(t)) return { dtype: t.dtype, shape: t.shape, ...decodeElements(raw, t.offset * size, t.numel, t.dtype, true) };
  let span = 1;
  for (let i = 0; i < t.shape.length; i++) span += (t.shape[i] - 1) * t.stride[i];
  const src = decodeElements(raw, t.offset * size, span, t.dtype);
  const data = new Float32Array(t.numel), int64 = src.int64 ? new BigInt64Array(t.numel) : undefined;
  const nd = t.shape.length, idx = new Array<number>(nd).fill(0);
  let at = 0;
  for (let o = 0; o < t.numel; o++) {
    data[o] = src.data[at];
    if (int64) int64[o] = src.int64![at];
    for (let d = nd - 1; d >= 0; d--) { // odometer over the multi-index
      if (++idx[d] < t.shape[d]) { at += t.stride[d]; break; }
      at -= (t.shape[d] - 1) * t.stride[d];
      idx[d] = 0;
    }
  }
  return int64 ? { dtype: t.dtype, shape: t.shape, data, int64 } : { dtype: t.dtype, shape: t.shape, data };
}

/** Opens a zip checkpoint: validates the archive and unpickles data.pkl (no storage is read yet). */
export function readCheckpoint(bytes: Uint8Array, audit: { globals?: ReadonlyMap<string, GlobalImpl>; trace?: (event: string) => void } = {}): Checkpoint {
  const list = listZip(bytes);
  const prefix = archivePrefix(list);
  const pkl = checkKind(list, prefix);
  checkByteOrder(bytes, list, prefix);
  const byName = new Map(list.map((e) => [e.name, e]));
  const pklBytes = readZipEntries(bytes, [pkl], MAX_PICKLE_BYTES).get(pkl.name)!;
  const root = unpickle(pklBytes, {
    globals: audit.globals ?? TORCH_GLOBALS, persistentLoad: storageLoader(byName, prefix), hint: refusalHint, name: quote(pkl.name), trace: audit.trace,
  });
  return {
    root,
    materialize(refs, maxElements) {
      let total = 0;
      for (const r of refs) total += r.numel;
      if (total > maxElements) {
        fail(`checkpoint: the tensors would take ${total} values, more than this file can hold (${maxElements}): absurd shapes or views`);
      }
      const needed = [...new Set(refs.map((r) => r.storage.entry))].map((n) => byName.get(n)!);
      // stored entries are bounded by the file; deflated ones by the values they may decode to
      const raw = readZipEntries(bytes, needed, Math.max(bytes.length, 8 * maxElements));
      return new Map(refs.map((r) => [r, decodeView(r, raw.get(r.storage.entry)!)]));
    },
  };
}
