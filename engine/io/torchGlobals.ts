// The allowlist of `torch.load(weights_only=True)`, as our own implementations: tensor and parameter
// rebuild functions, storage classes, OrderedDict, dtypes, torch.Size. Each entry builds plain data
// (a TensorRef that points into a storage) and checks its arguments; none of them calls, imports or
// allocates anything proportional to the tensors. Any name missing here is refused by the unpickler.
import { type Dtype, DTYPE_SIZE, TORCH_DTYPE } from './dtypes';
import { describe, PyBytes, PyDict, PyExtension, PyGlobal, PyList, PySet, PyTuple, type GlobalImpl, type PickleValue } from './pickle';
import { fail } from './weightsError';

/** A storage of the archive (`data/<key>`), as a persistent id names it. */
export class StorageRef extends PyExtension {
  constructor(readonly key: string, readonly dtype: Dtype, readonly numel: number, readonly entry: string) { super(); }
  describe(): string { return `a ${TORCH_DTYPE[this.dtype]} storage`; }
}

/** A tensor as a view of a storage: nothing is read until the tensor is materialised. */
export class TensorRef extends PyExtension {
  constructor(
    readonly storage: StorageRef, readonly dtype: Dtype, readonly offset: number, readonly shape: number[], readonly stride: number[],
    readonly numel: number, readonly parameter = false, readonly requiresGrad = false,
  ) { super(); }
  describe(): string { return 'a Tensor'; }
  asParameter(requiresGrad: boolean): TensorRef {
    return new TensorRef(this.storage, this.dtype, this.offset, this.shape, this.stride, this.numel, true, requiresGrad);
  }
}

export const MAX_DIMS = 64;

const STORAGE_DTYPES: Record<string, Dtype> = {
  FloatStorage: 'F32', DoubleStorage: 'F64', HalfStorage: 'F16', BFloat16Storage: 'BF16', LongStorage: 'I64', IntStorage: 'I32',
  ShortStorage: 'I16', CharStorage: 'I8', ByteStorage: 'U8', BoolStorage: 'BOOL',
};
const UNSUPPORTED_STORAGES: Record<string, string> = {
  ComplexFloatStorage: 'complex64', ComplexDoubleStorage: 'complex128', QInt8Storage: 'qint8', QUInt8Storage: 'quint8',
  QInt32Storage: 'qint32', QUInt4x2Storage: 'quint4x2', QUInt2x4Storage: 'quint2x4', ComplexHalfStorage: 'complex32',
};
const DTYPE_NAMES: Record<string, Dtype> = {
  float32: 'F32', float: 'F32', float64: 'F64', double: 'F64', float16: 'F16', half: 'F16', bfloat16: 'BF16', int64: 'I64', long: 'I64',
  int32: 'I32', int: 'I32', int16: 'I16', short: 'I16', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};

/** What each storage-class and dtype global stands for (keyed by its implementation object). */
export const storageKind = new Map<GlobalImpl, { dtype: Dtype | 'untyped' | null; name: string }>();
const dtypeKind = new Map<GlobalImpl, Dtype | null>();

const int = (v: PickleValue, what: string): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`checkpoint: ${what} must be a non-negative integer, got ${describe(v)}`);
  return v;
};

function intTuple(v: PickleValue, what: string): number[] {
  const items = v instanceof PyTuple || v instanceof PyList ? v.items : fail(`checkpoint: ${what} must be a tuple, got ${describe(v)}`);
  if (items.length > MAX_DIMS) fail(`checkpoint: ${what} has ${items.length} dimensions (more than ${MAX_DIMS})`);
  return items.map((x, i) => int(x, `${what}[${i}]`));
}

/** Checks the view against its storage before anything is read: the storage-shorter-than-tensor and absurd-shape guard. */
export function tensorView(storage: PickleValue, offsetV: PickleValue, sizeV: PickleValue, strideV: PickleValue, dtype?: Dtype): TensorRef {
  if (!(storage instanceof StorageRef)) fail(`checkpoint: a tensor's storage must be a storage of the archive, got ${describe(storage)}`);
  const offset = int(offsetV, 'storage_offset'), shape = intTuple(sizeV, 'size'), stride = intTuple(strideV, 'stride');
  if (stride.length !== shape.length) fail(`checkpoint: size [${shape}] and stride [${stride}] differ in length`);
  let numel = 1, extent = 0;
  for (let i = 0; i < shape.length; i++) {
    numel *= shape[i];
    if (!Number.isSafeInteger(numel)) fail(`checkpoint: a tensor of size [${shape.join(', ')}] has more elements than any file holds`);
    if (shape[i] > 0) extent += (shape[i] - 1) * stride[i];
  }
  const dt = dtype ?? storage.dtype;
  // an untyped (byte) storage viewed as `dt`: its element count in `dt`
  const elems = dtype && storage.dtype !== dtype ? Math.floor(storage.numel * DTYPE_SIZE[storage.dtype] / DTYPE_SIZE[dt]) : storage.numel;
  if (numel > 0 && (!Number.isSafeInteger(offset + extent) || offset + extent >= elems)) {
    fail(`checkpoint: a tensor of size [${shape.join(', ')}] (offset ${offset}, stride [${stride.join(', ')}]) reaches element ${offset + extent} of a storage of ${elems}: the storage is shorter than the tensor`);
  }
  if (numel === 0 && offset > elems) fail(`checkpoint: storage_offset ${offset} lies beyond a storage of ${elems} elements`);
  return new TensorRef(storage, dt, offset, shape, stride, numel);
}

const tensorArg = (v: PickleValue, who: string): TensorRef => (v instanceof TensorRef ? v : fail(`checkpoint: ${who} expects a tensor, got ${describe(v)}`));

function orderedDict(args: PickleValue[]): PickleValue {
  const d = new PyDict(true);
  const src = args[0];
  if (src === undefined) return d;
  if (!(src instanceof PyList || src instanceof PyTuple)) fail(`checkpoint: OrderedDict(${describe(src)}) is not a list of pairs`);
  for (const p of src.items) {
    if (!(p instanceof PyTuple) || p.items.length !== 2) fail('checkpoint: OrderedDict items must be (key, value) pairs');
    d.map.set(p.items[0], p.items[1]);
  }
  return d;
}

const setOf = (v: PickleValue, frozen: boolean): PySet => new PySet(v instanceof PyList || v instanceof PyTuple ? [...v.items] : [], frozen);

const unsupported = (what: string): GlobalImpl => ({ call: () => fail(`checkpoint: ${what} are not supported: only dense CPU-layout tensors are read`) });

function rebuildFromType(args: PickleValue[]): PickleValue {
  const [func, type, fargs] = args;
  if (!(type instanceof PyGlobal) || (type.full !== 'torch.Tensor' && type.full !== 'torch.nn.parameter.Parameter')) {
    fail(`checkpoint: tensors of class ${describe(type)} are not supported (only torch.Tensor and Parameter)`);
  }
  if (!(func instanceof PyGlobal) || !func.impl.call || !(fargs instanceof PyTuple)) fail('checkpoint: _rebuild_from_type_v2 needs an allowlisted rebuild function and its arguments');
  const t = tensorArg(func.impl.call(fargs.items), '_rebuild_from_type_v2');
  return type.full === 'torch.nn.parameter.Parameter' ? t.asParameter(true) : t;
}

function entries(): Array<[string, GlobalImpl]> {
  const list: Array<[string, GlobalImpl]> = [
    ['collections.OrderedDict', { call: orderedDict, newobj: orderedDict }],
    ['torch._utils._rebuild_tensor', { call: (a) => tensorView(a[0], a[1], a[2], a[3]) }],
    ['torch._utils._rebuild_tensor_v2', { call: (a) => tensorView(a[0], a[1], a[2], a[3]) }],
    ['torch._utils._rebuild_tensor_v3', { call: (a) => tensorView(a[0], a[1], a[2], a[3], dtypeOf(a[6])) }],
    ['torch._utils._rebuild_parameter', { call: (a) => tensorArg(a[0], '_rebuild_parameter').asParameter(a[1] === true) }],
    ['torch._utils._rebuild_parameter_with_state', { call: (a) => tensorArg(a[0], '_rebuild_parameter_with_state').asParameter(a[1] === true) }],
    ['torch._tensor._rebuild_from_type_v2', { call: rebuildFromType }],
    ['torch.nn.parameter.Parameter', { newobj: (a) => tensorArg(a[0], 'Parameter').asParameter(a[1] !== false) }],
    ['torch.Tensor', {}],
    ['torch.Size', { call: (a) => new PyTuple(intTuple(a[0] ?? new PyTuple([]), 'torch.Size')) }],
    ['torch.device', { call: (a) => (typeof a[0] === 'string' ? a[0] : fail(`checkpoint: torch.device(${describe(a[0])})`)) }],
    ['torch.serialization._get_layout', { call: (a) => (typeof a[0] === 'string' ? a[0] : fail('checkpoint: bad layout')) }],
    ['_codecs.encode', { call: (a) => (typeof a[0] === 'string' ? new PyBytes(Uint8Array.from(a[0], (c) => c.charCodeAt(0) & 0xff)) : fail('checkpoint: _codecs.encode needs a str')) }],
    // sets as protocols 1-3 pickle them (REDUCE of the builtin on a list): plain data
    ...['builtins', '__builtin__'].flatMap((m): Array<[string, GlobalImpl]> => [[`${m}.set`, { call: (a) => setOf(a[0], false) }], [`${m}.frozenset`, { call: (a) => setOf(a[0], true) }]]),
    ['torch._utils._rebuild_sparse_tensor', unsupported('sparse tensors')],
    ['torch._utils._rebuild_sparse_csr_tensor', unsupported('sparse tensors')],
    ['torch._utils._rebuild_meta_tensor_no_storage', unsupported('meta tensors (no data)')],
    ['torch._utils._rebuild_qtensor', unsupported('quantized tensors')],
    ['torch._utils._rebuild_nested_tensor', unsupported('nested tensors')],
    ['torch._utils._rebuild_wrapper_subclass', unsupported('tensor subclasses')],
    ['torch._utils._rebuild_device_tensor_from_numpy', unsupported('numpy-backed device tensors')],
  ];
  for (const mod of ['torch', 'torch.cuda']) {
    for (const [cls, dtype] of Object.entries(STORAGE_DTYPES)) list.push(storage(`${mod}.${cls}`, dtype));
    for (const [cls, name] of Object.entries(UNSUPPORTED_STORAGES)) list.push(storage(`${mod}.${cls}`, null, name));
  }
  list.push(storage('torch.storage.UntypedStorage', 'untyped'), storage('torch.UntypedStorage', 'untyped'));
  for (const [name, dtype] of Object.entries(DTYPE_NAMES)) {
    const impl: GlobalImpl = {};
    dtypeKind.set(impl, dtype);
    list.push([`torch.${name}`, impl]);
  }
  for (const name of ['complex32', 'complex64', 'complex128', 'cfloat', 'cdouble', 'uint16', 'uint32', 'uint64', 'float8_e4m3fn', 'float8_e5m2']) {
    const impl: GlobalImpl = {};
    dtypeKind.set(impl, null);
    list.push([`torch.${name}`, impl]);
  }
  return list;
}

function storage(full: string, dtype: Dtype | 'untyped' | null, name = full): [string, GlobalImpl] {
  const impl: GlobalImpl = {};
  storageKind.set(impl, { dtype, name });
  return [full, impl];
}

function dtypeOf(v: PickleValue): Dtype {
  const d = v instanceof PyGlobal ? dtypeKind.get(v.impl) : undefined;
  if (d === undefined) fail(`checkpoint: expected a dtype, got ${describe(v)}`);
  if (d === null) fail(`checkpoint: tensors of dtype ${(v as PyGlobal).full} are not supported`);
  return d;
}

/** The allowlist, built once at load; readers get it as a ReadonlyMap. */
export const TORCH_GLOBALS: ReadonlyMap<string, GlobalImpl> = new Map(entries());
