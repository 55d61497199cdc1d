// What the torch namespace files share: the members table they fill, native functions with Python
// signatures under a dotted prefix, dtype names, and locating a shape error at the call.
// No op's shape rule lives here (functional.ts and tensorOps.ts own those).
import { PyException, PyFloat, type Builtin, type CallCtx, type Value } from '../../interp/values';
import { isNum, numVal, pyStr } from '../../interp/ops';
import type { TorchRuntime } from '../runtime';
import { TensorV, isFloatDtype, type DType } from '../tensor';
import { toTensor, type Args } from '../sig';

/** The Python-visible members of one namespace (torch, torch.nn.functional, ...), by name. */
export type Members = Record<string, Value>;

export type Impl = (a: Args, ctx: CallCtx) => Value;

/** `fn('conv2d', 'input, weight, ...', impl)` makes `F.conv2d` (named `${prefix}.conv2d` in messages). */
export function definer(rt: TorchRuntime, prefix: string): (name: string, sig: string, impl: Impl) => Builtin {
  return (name, sig, impl) => rt.fn(`${prefix}.${name}`, sig, impl);
}

/** The tensor argument `n` of a bound signature (a TypeError naming it otherwise). */
export function tensorArg(a: Args, n = 'input'): TensorV { return toTensor(a.get(n)!, n); }

export const DTYPES: Record<string, DType> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64', float16: 'float16', half: 'float16',
  bfloat16: 'bfloat16', int64: 'int64', long: 'int64', int32: 'int32', int: 'int32', int16: 'int16', short: 'int16',
  int8: 'int8', uint8: 'uint8', bool: 'bool', complex64: 'complex64', cfloat: 'complex64', complex128: 'complex128', cdouble: 'complex128',
};

export function dtypeOf(v: Value | undefined, fallback: DType = 'float32'): DType {
  if (v === undefined || v === null) return fallback;
  const s = pyStr(v).replace(/^torch\./, '');
  return DTYPES[s] ?? fallback;
}

export function scalarValue(v: Value): number | undefined {
  if (isNum(v)) return numVal(v);
  return undefined;
}

export function resultDtypeOf(vals: Value[]): DType {
  const ts = vals.filter((v): v is TensorV => v instanceof TensorV);
  return ts.find((t) => isFloatDtype(t.dtype))?.dtype ?? (vals.some((v) => v instanceof PyFloat) ? 'float32' : ts[0]?.dtype ?? 'float32');
}

/** Runs a shape rule; a PyException it throws without a location gets the call's. */
export function withLoc<T>(ctx: CallCtx, f: () => T): T {
  try { return f(); } catch (err) {
    if (err instanceof PyException && err.s === undefined) { err.s = ctx.s; err.e = ctx.e; Object.assign(err, { file: ctx.file }); }
    throw err;
  }
}
