// numpy arrays into torch: torch.from_numpy keeps the array's shape and dtype; the legacy constructors
// (torch.FloatTensor(arr), torch.LongTensor(2, 3), ...) take sizes or data; constant data travels
// when small (MAX_CONST_ELEMENTS). numpy dtypes PyTorch lacks are PyTorch's TypeError.
import { Builtin, PyClass, PyException, PyList, PyTuple, Unknown, typeName, type Value } from '../../interp/values';
import { arrayOf } from '../../interp/stdlib/npClasses';
import type { NdArray } from '../../interp/stdlib/ndarray';
import type { TorchRuntime } from '../runtime';
import { MAX_CONST_ELEMENTS, TensorV, type DType } from '../tensor';
import { toInt } from '../sig';
import type { Members } from './common';

const SUPPORTED = 'float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool';

/** The torch dtype of a numpy array, or PyTorch's TypeError for one it cannot hold. */
export function torchDtypeOf(a: NdArray): DType {
  if (a.dtype === 'uint16' || a.dtype === 'uint32' || a.dtype === 'uint64') {
    throw new PyException('TypeError', `can't convert np.ndarray of type numpy.${a.dtype}. The only supported types are: ${SUPPORTED}.`);
  }
  return a.dtype;
}

/** A tensor over a numpy array's values (kept when small), in `dtype`. */
export function tensorFromArray(rt: TorchRuntime, a: NdArray, dtype: DType, op: string): TensorV {
  const n = a.size;
  let data: number[] | undefined;
  if (n <= MAX_CONST_ELEMENTS) {
    const vals = [...a.values()];
    data = dtype === 'float32' ? vals.map(Math.fround) : dtype === 'bool' ? vals.map((v) => (v ? 1 : 0)) : dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16' ? vals : vals.map(Math.trunc);
  }
  return rt.tensor([...a.shape], dtype, { op, inputs: [] }, data);
}

const LEGACY: Array<[string, DType]> = [
  ['FloatTensor', 'float32'], ['DoubleTensor', 'float64'], ['HalfTensor', 'float16'], ['BFloat16Tensor', 'bfloat16'],
  ['LongTensor', 'int64'], ['IntTensor', 'int32'], ['ShortTensor', 'int16'], ['CharTensor', 'int8'], ['ByteTensor', 'uint8'], ['BoolTensor', 'bool'],
];

export function numpyOps(rt: TorchRuntime, out: Members): void {
  const it = rt.it;
  out.from_numpy = new Builtin('torch.from_numpy', (a) => {
    const arr = arrayOf(a[0]);
    if (a[0] instanceof Unknown) return a[0];
    if (!arr || arr.scalar) throw new PyException('TypeError', `expected np.ndarray (got ${arr?.scalar ? `numpy.${arr.dtype}` : typeName(a[0])})`);
    return tensorFromArray(rt, arr, torchDtypeOf(arr), 'from_numpy');
  });
  for (const [name, dtype] of LEGACY) {
    const cls = new PyClass(name, [it.types.get('object')!], 'torch');
    // isinstance(t, torch.FloatTensor): a CPU tensor of that dtype
    cls.dict.set('__instancecheck_native__', new Builtin(`${name}.__instancecheck__`, (a) => a[0] instanceof TensorV && a[0].dtype === dtype));
    cls.dict.set('__new__', new Builtin(`torch.${name}`, (a, kw, ctx) => legacyNew(rt, name, dtype, a.slice(1), kw, ctx)));
    out[name] = cls;
  }
}

/** torch.FloatTensor(...): no argument is an empty tensor, ints are sizes, one sequence or array is data. */
function legacyNew(rt: TorchRuntime, name: string, dtype: DType, args: Value[], kw: Map<string, Value>, ctx: { file?: string; s?: number; e?: number }): Value {
  const u = args.find((x): x is Unknown => x instanceof Unknown);
  if (u) return u;
  if (!args.length) return rt.tensor([0], dtype, { op: name, inputs: [] }, []);
  const sizeObj = args.length === 1 && args[0] instanceof PyTuple && (args[0] as PyTuple).cls?.name === 'Size';
  if (sizeObj || args.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
    const sizes = (sizeObj ? (args[0] as PyTuple).items : args).map((x) => toInt(x, 'size'));
    const neg = sizes.find((s) => s < 0);
    if (neg !== undefined) throw new PyException('RuntimeError', `Trying to create tensor with negative dimension ${neg}: [${sizes.join(', ')}]`);
    return rt.tensor(sizes, dtype, { op: name, inputs: [], attrs: { shape: sizes } });
  }
  if (args.length === 1) {
    const x = args[0];
    const arr = arrayOf(x);
    if (arr && !arr.scalar) { torchDtypeOf(arr); return tensorFromArray(rt, arr, dtype, name); }
    if (x instanceof TensorV) {
      if (x.dtype === dtype) return x;
      throw new PyException('TypeError', `expected ${name} with dtype ${dtype} (got a tensor of dtype ${x.dtype})`);
    }
    if (x instanceof PyList || x instanceof PyTuple) return rt.it.call(rt.it.getAttr(rt.it.nativeModule('torch')!, 'tensor', ctx), [x], new Map([['dtype', dtype]]), ctx);
  }
  void kw;
  throw new PyException('TypeError', `new(): invalid data type '${args.map(typeName).join(', ')}'`);
}
