// torch.* tensor creation: zeros/ones/empty/rand*, *_like, full, arange, linspace, eye, tensor.
// Small constant tensors (at most MAX_CONST_ELEMENTS) carry their values, float32-rounded.
import { Builtin, InterpError, PyException, PyFloat, PyList, PyTuple, type Value } from '../../interp/values';
import { isNum, numVal, pyStr } from '../../interp/ops';
import type { TorchRuntime } from '../runtime';
import { checkNonNegative, sizeArgs } from '../tensorOps';
import { MAX_CONST_ELEMENTS, TensorV, numel, type DType } from '../tensor';
import { arrayOf } from '../../interp/stdlib/npClasses';
import { torchDtypeOf } from './fromNumpy';
import { toFloat, toInt, toTensor } from '../sig';
import { dtypeOf, scalarValue, definer, type Members } from './common';

/** zeros/ones/empty/rand*, *_like, full, randint, arange: constant tensors keep their values when small. */
export function creationOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  const creation = (name: string, fill?: number | 'rand'): void => {
    out[name] = new Builtin(`torch.${name}`, (args, kw) => {
      const shape = sizeArgs(args);
      checkNonNegative(shape);
      const dtype = dtypeOf(kw.get('dtype'));
      const t = rt.tensor(shape, dtype, { op: name, inputs: [], attrs: { shape } });
      const n = numel(shape);
      if (typeof fill === 'number' && n !== null && n <= MAX_CONST_ELEMENTS) t.data = Array(n).fill(fill);
      if (kw.get('requires_grad') === true) t.requiresGrad = true;
      return t;
    });
  };
  creation('zeros', 0); creation('ones', 1); creation('empty'); creation('randn', 'rand'); creation('rand', 'rand');
  out.full = fn('full', 'size, fill_value, dtype=None, device=None, requires_grad=False', (a) => {
    const shape = sizeArgs([a.get('size')!]);
    checkNonNegative(shape);
    const v = scalarValue(a.get('fill_value')!);
    const t = rt.tensor(shape, dtypeOf(a.get('dtype'), a.get('fill_value') instanceof PyFloat ? 'float32' : 'int64'), { op: 'full', inputs: [] });
    const n = numel(shape);
    if (v !== undefined && n !== null && n <= MAX_CONST_ELEMENTS) t.data = Array(n).fill(v);
    return t;
  });
  out.randint = new Builtin('torch.randint', (args, kw) => rt.tensor(sizeArgs([args[args.length - 1] ?? kw.get('size')!]), dtypeOf(kw.get('dtype'), 'int64')));
  for (const name of ['zeros_like', 'ones_like', 'empty_like', 'randn_like', 'rand_like', 'full_like']) {
    out[name] = new Builtin(`torch.${name}`, (args, kw) => { const src = toTensor(args[0], 'input'); return rt.tensor([...src.shape], dtypeOf(kw.get('dtype'), src.dtype), { op: name, inputs: [src] }); });
  }
  out.arange = new Builtin('torch.arange', (args, kw) => {
    const given = args.length === 1 ? [kw.get('start') ?? 0, args[0], kw.get('step') ?? 1] : [args[0] ?? kw.get('start') ?? 0, args[1] ?? kw.get('end'), args[2] ?? kw.get('step') ?? 1];
    if (given[1] === undefined) throw new PyException('TypeError', 'arange() received an invalid combination of arguments: the end is missing');
    const [start, end, step] = given.map((v) => toFloat(v!, 'arange bound'));
    const isFloat = given.some((v) => v instanceof PyFloat);
    if (step === 0) throw new PyException('RuntimeError', 'step must be nonzero');
    if ((end - start) / step < 0) throw new PyException('RuntimeError', 'upper bound and larger bound inconsistent with step sign');
    const n = Math.ceil((end - start) / step);
    if (!Number.isSafeInteger(n)) throw new PyException('RuntimeError', `invalid size, possible overflow? (arange of ${n} elements)`);
    const dtype = dtypeOf(kw.get('dtype'), isFloat ? 'float32' : 'int64');
    const t = rt.tensor([n], dtype, { op: 'arange', inputs: [], attrs: { start, end, step } });
    if (n <= MAX_CONST_ELEMENTS) t.data = Array.from({ length: n }, (_, i) => (dtype === 'float32' ? Math.fround(start + i * step) : start + i * step));
    return t;
  });
}

/** linspace, eye, torch.tensor/as_tensor from nested literals. */
export function literalOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  out.linspace = fn('linspace', 'start, end, steps, dtype=None, device=None, requires_grad=False', (a) => {
    const s = toFloat(a.get('start')!, 'start'), e = toFloat(a.get('end')!, 'end'), n = toInt(a.get('steps')!, 'steps');
    const t = rt.tensor([n], dtypeOf(a.get('dtype')), { op: 'linspace', inputs: [] });
    if (n <= MAX_CONST_ELEMENTS) t.data = Array.from({ length: n }, (_, i) => Math.fround(n === 1 ? s : s + ((e - s) * i) / (n - 1)));
    return t;
  });
  out.eye = fn('eye', 'n, m=None, dtype=None, device=None, requires_grad=False', (a) => rt.tensor([toInt(a.get('n')!, 'n'), toInt(a.get('m') ?? a.get('n')!, 'm')], dtypeOf(a.get('dtype'))));
  out.tensor = fn('tensor', 'data, dtype=None, device=None, requires_grad=False', (a) => {
    const flat: number[] = [];
    const shape: number[] = [];
    let isFloat = false;
    // numpy arrays and scalars inside the data keep numpy's dtype (fromNumpy.ts); Python numbers infer torch's
    const npDtypes: DType[] = [];
    let pyLeaves = false;
    let inexact = false;
    const walk = (v: Value, depth: number): void => {
      const nd = arrayOf(v);
      if (nd) {
        nd.shape.forEach((d, i) => { if (shape.length <= depth + i) shape.push(d); });
        flat.push(...nd.values());
        npDtypes.push(torchDtypeOf(nd));
        return;
      }
      pyLeaves ||= !(v instanceof PyList || v instanceof PyTuple);
      if (v instanceof PyList || v instanceof PyTuple) {
        if (shape.length <= depth) shape.push(v.items.length);
        v.items.forEach((x) => walk(x, depth + 1));
        return;
      }
      if (v instanceof PyFloat) isFloat = true;
      if (v instanceof TensorV && v.data && v.data.length === 1) { flat.push(v.data[0]); return; }
      if (!isNum(v)) throw new InterpError(`torch.tensor() of ${pyStr(v)} is not supported`);
      // an int beyond 2^53 has no exact JS number: the tensor keeps its shape, not its values
      if (typeof v === 'bigint') inexact = true;
      flat.push(numVal(v));
    };
    walk(a.get('data')!, 0);
    const src = a.get('data')!;
    const isBool = src === true || src === false || (src instanceof PyList && src.items.every((x) => typeof x === 'boolean') && src.items.length > 0);
    const fromNp = npDtypes.length && !pyLeaves ? npDtypes.reduce((x, y) => (x === y ? x : 'float64')) : undefined;
    const dtype = dtypeOf(a.get('dtype'), fromNp ?? (isBool ? 'bool' : isFloat ? 'float32' : 'int64'));
    const data = flat.length > MAX_CONST_ELEMENTS || inexact ? undefined : dtype === 'float32' ? flat.map(Math.fround) : flat;
    return rt.tensor(shape, dtype, { op: 'tensor', inputs: [] }, data);
  });
  out.as_tensor = out.tensor;
}
