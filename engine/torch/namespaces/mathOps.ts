// torch.* arithmetic: products (MACs reported), element-wise ops (FLOPs per element), reductions.
// Values of small constant tensors are computed where the op is exact in float32.
import { PyTuple, Unknown, type CallCtx, type Value } from '../../interp/values';
import { isNum, numVal } from '../../interp/ops';
import { roundHalfEven } from '../../util/numeric';
import type { TorchRuntime } from '../runtime';
import { derive, elementwise, mapData, matmul, normDims } from '../tensorOps';
import { TensorV, isComplexDtype, isFloatDtype, normDim, numel, reduceShape, type DType } from '../tensor';
import { toInt, type Args } from '../sig';
import { withLoc, definer, tensorArg as T, type Members } from './common';
import * as F from '../functional';
import { normExceptDimShape } from '../parametrize';
import { traced } from '../trace';

/** matmul/mm/bmm, addmm/baddbmm, outer. */
export function productOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  out.matmul = fn('matmul', 'input, other, out=None', (a, ctx) => matmul(rt, T(a), T(a, 'other'), ctx));
  out.mm = fn('mm', 'input, mat2, out=None', (a, ctx) => matmul(rt, T(a), T(a, 'mat2'), ctx, 'mm'));
  out.bmm = fn('bmm', 'input, mat2, out=None', (a, ctx) => {
    if (T(a).shape.length !== 3 || T(a, 'mat2').shape.length !== 3) F.fail(ctx, `batch1 must be a 3D tensor`);
    return matmul(rt, T(a), T(a, 'mat2'), ctx, 'bmm');
  });
  // beta·input + alpha·(a @ b): the product is a recorded matmul, the scaling and sum ordinary element-wise ops
  const addProduct = (a: Args, ctx: CallCtx, x: string, y: string, op: string): Value => {
    let prod: Value = matmul(rt, T(a, x), T(a, y), ctx, op);
    if (F.num(a.get('alpha')!) !== 1) prod = elementwise(rt, '*', [prod, a.get('alpha')!], ctx);
    let inp: Value = a.get('input')!;
    if (F.num(a.get('beta')!) === 0) return prod;
    if (F.num(a.get('beta')!) !== 1) inp = elementwise(rt, '*', [inp, a.get('beta')!], ctx);
    return elementwise(rt, '+', [inp, prod], ctx);
  };
  out.baddbmm = fn('baddbmm', 'input, batch1, batch2, beta=1, alpha=1', (a, ctx) => addProduct(a, ctx, 'batch1', 'batch2', 'bmm'));
  out.addmm = fn('addmm', 'input, mat1, mat2, beta=1, alpha=1', (a, ctx) => addProduct(a, ctx, 'mat1', 'mat2', 'mm'));
  out.outer = fn('outer', 'input, vec2', (a, ctx) => {
    const x = T(a), y = T(a, 'vec2');
    if (x.shape.length !== 1 || y.shape.length !== 1) F.fail(ctx, `outer: expected 1-D vectors, got ${x.shape.length}-D and ${y.shape.length}-D`);
    // an element-wise product of a column and a row: no multiply-accumulate (PyTorch lowers it to mul)
    return elementwise(rt, '*', [derive(rt, x, [x.shape[0], 1], 'unsqueeze'), derive(rt, y, [1, y.shape[0]], 'unsqueeze')], ctx);
  });
  out.ger = out.outer;
}

/** Binary and unary element-wise ops, clamp, softmax, dropout. */
export function elementwiseOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  const bin = (name: string, op: string): void => { out[name] = fn(name, 'input, other, alpha=1, out=None', (a, ctx) => elementwise(rt, op, [a.get('input')!, a.get('other')!], ctx)); };
  bin('add', '+'); bin('sub', '-'); bin('subtract', '-'); bin('mul', '*'); bin('multiply', '*'); bin('div', '/'); bin('divide', '/'); bin('true_divide', '/');
  bin('maximum', 'max'); bin('minimum', 'min'); bin('floor_divide', '//'); bin('remainder', '%'); bin('fmod', '%');
  out.pow = fn('pow', 'input, exponent', (a, ctx) => elementwise(rt, '**', [a.get('input')!, a.get('exponent')!], ctx));
  out.float_power = out.pow;
  const un = (name: string, f?: (x: number) => number, flops = 1, dtype?: DType): void => {
    out[name] = fn(name, 'input, out=None', (a) => mapData(rt, T(a), name, f ? (x) => (T(a).dtype === 'float32' || !T(a).dtype.startsWith('int') ? Math.fround(f(x)) : f(x)) : undefined, dtype ?? (f && !isFloatDtype(T(a).dtype) && name !== 'abs' && name !== 'neg' && name !== 'sign' ? 'float32' : undefined), flops));
  };
  un('exp', Math.exp, 4); un('log', Math.log, 4); un('log2', Math.log2, 4); un('log10', Math.log10, 4); un('sqrt', Math.sqrt, 2);
  un('rsqrt', (x) => 1 / Math.sqrt(x), 2); un('abs', Math.abs); un('neg', (x) => -x); un('sign', Math.sign); un('sin', Math.sin, 4); un('cos', Math.cos, 4);
  un('sigmoid', (x) => 1 / (1 + Math.exp(-x)), 4); un('tanh', Math.tanh, 4); un('relu', (x) => Math.max(0, x)); un('erf', undefined, 4);
  un('reciprocal', (x) => 1 / x); un('square', (x) => x * x); un('floor', Math.floor); un('ceil', Math.ceil); un('exp2', (x) => 2 ** x, 4);
  un('logical_not'); un('isnan'); un('isfinite'); un('trunc', Math.trunc); un('frac', (x) => x - Math.trunc(x));
  out.round = fn('round', 'input, decimals=0', (a) => mapData(rt, T(a), 'round', roundHalfEven));
  out.clamp = fn('clamp', 'input, min=None, max=None', (a) => {
    const lo = a.get('min'), hi = a.get('max');
    const min = lo === null || !isNum(lo!) ? -Infinity : numVal(lo!), max = hi === null || !isNum(hi!) ? Infinity : numVal(hi!);
    const r = mapData(rt, T(a), 'clamp', (x) => Math.min(max, Math.max(min, x)), undefined, 2);
    r.src = traced('clamp', [T(a)], { min, max });
    return r;
  });
  out.clip = out.clamp;
  out.softmax = fn('softmax', 'input, dim, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'softmax'));
  out.log_softmax = fn('log_softmax', 'input, dim, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'log_softmax'));
  out.dropout = fn('dropout', 'input, p=0.5, train=True', (a) => derive(rt, T(a), [...T(a).shape], 'dropout', {}, true));
  out.sigmoid_ = out.sigmoid;
  // weight normalisation's kernels (what parametrizations.weight_norm and hand-written copies of it call)
  out._weight_norm = fn('_weight_norm', 'v, g, dim=0', (a) => mapData(rt, T(a, 'v'), 'weight_norm', undefined, undefined, 4));
  out.norm_except_dim = fn('norm_except_dim', 'v, pow=2, dim=0', (a) => rt.tensor(normExceptDimShape(T(a, 'v').shape, toInt(a.get('dim')!, 'dim')), T(a, 'v').dtype, { op: 'norm_except_dim', inputs: [T(a, 'v')] }));
}

/** Complex tensors as rotary embeddings build them: polar, complex, view_as_complex / view_as_real. */
export function complexOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  const complexOf = (d: DType, what: string, ctx: CallCtx): DType => {
    if (d === 'float32') return 'complex64';
    if (d === 'float64') return 'complex128';
    return F.fail(ctx, `${what}: expected a float or double tensor, got ${d}`);
  };
  const pair = (name: string): void => {
    out[name] = fn(name, name === 'polar' ? 'abs, angle, out=None' : 'real, imag, out=None', (a, ctx) => {
      const [x, y] = name === 'polar' ? [T(a, 'abs'), T(a, 'angle')] : [T(a, 'real'), T(a, 'imag')];
      if (x.dtype !== y.dtype) F.fail(ctx, `Expected object of scalar type ${x.dtype} but got scalar type ${y.dtype} for second argument`);
      return elementwise(rt, name === 'polar' ? 'polar' : 'complex', [x, y], ctx, complexOf(x.dtype, name, ctx));
    });
  };
  pair('polar'); pair('complex');
  out.view_as_complex = fn('view_as_complex', 'input', (a, ctx) => {
    const t = T(a);
    if (t.shape[t.shape.length - 1] !== 2 && t.shape[t.shape.length - 1] !== null) F.fail(ctx, 'Tensor must have a last dimension of size 2');
    return derive(rt, t, t.shape.slice(0, -1), 'view_as_complex', {}, false, complexOf(t.dtype, 'view_as_complex', ctx));
  });
  out.view_as_real = fn('view_as_real', 'input', (a, ctx) => {
    const t = T(a);
    if (!isComplexDtype(t.dtype)) F.fail(ctx, 'view_as_real is only supported for complex tensors');
    return derive(rt, t, [...t.shape, 2], 'view_as_real', {}, false, t.dtype === 'complex128' ? 'float64' : 'float32');
  });
  out.is_complex = fn('is_complex', 'input', (a) => isComplexDtype(T(a).dtype));
  for (const n of ['real', 'imag', 'angle']) out[n] = fn(n, 'input', (a) => derive(rt, T(a), [...T(a).shape], n, {}, false, T(a).dtype === 'complex128' ? 'float64' : isComplexDtype(T(a).dtype) ? 'float32' : T(a).dtype));
}

/** sum/mean/std/var/norm/..., argmax/argmin, max/min/median/mode with indices, topk, sort, numel. */
export function reductionOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'torch');
  const red = (name: string, sig = 'input, dim=None, keepdim=False, dtype=None, out=None'): void => {
    out[name] = fn(name, sig, (a, ctx) => {
      const r = reduce(rt, name, T(a), a.get('dim') ?? null, a.get('keepdim') === true, ctx) as TensorV;
      if (name === 'std' || name === 'var') {
        const corr = a.get('correction');
        r.src!.attrs = { ...r.src!.attrs, unbiased: corr !== null && corr !== undefined ? F.num(corr) !== 0 : a.get('unbiased') !== false };
      }
      return r;
    });
  };
  for (const n of ['sum', 'mean', 'prod', 'amax', 'amin', 'logsumexp', 'nansum', 'count_nonzero']) red(n);
  red('std', 'input, dim=None, unbiased=True, keepdim=False, correction=None'); red('var', 'input, dim=None, unbiased=True, keepdim=False, correction=None');
  red('norm', 'input, p=\'fro\', dim=None, keepdim=False, out=None, dtype=None');
  red('all'); red('any');
  for (const n of ['argmax', 'argmin']) out[n] = fn(n, 'input, dim=None, keepdim=False', (a, ctx) => { const r = reduce(rt, n, T(a), a.get('dim') ?? null, a.get('keepdim') === true, ctx) as TensorV; r.dtype = 'int64'; return r; });
  for (const n of ['max', 'min', 'median', 'mode']) {
    out[n] = fn(n, 'input, dim=None, keepdim=False, out=None', (a, ctx) => {
      const dim = a.get('dim') ?? null;
      if (dim instanceof TensorV) return elementwise(rt, n === 'max' ? 'max' : 'min', [a.get('input')!, dim], ctx);
      const r = reduce(rt, n, T(a), dim, a.get('keepdim') === true, ctx) as TensorV;
      if (dim === null) return r;
      const idx = rt.tensor([...r.shape], 'int64');
      const res = new PyTuple([r, idx]);
      return res;
    });
  }
  out.topk = fn('topk', 'input, k, dim=-1, largest=True, sorted=True', (a) => {
    const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = toInt(a.get('k')!, 'k');
    return new PyTuple([derive(rt, t, s, 'topk'), rt.tensor(s, 'int64')]);
  });
  out.sort = fn('sort', 'input, dim=-1, descending=False', (a) => new PyTuple([derive(rt, T(a), [...T(a).shape], 'sort'), rt.tensor([...T(a).shape], 'int64')]));
  out.argsort = fn('argsort', 'input, dim=-1, descending=False', (a) => rt.tensor([...T(a).shape], 'int64'));
  out.numel = fn('numel', 'input', (a) => numel(T(a).shape) ?? new Unknown('numel of a tensor with unknown dims'));
}

function reduce(rt: TorchRuntime, name: string, t: TensorV, dim: Value, keepdim: boolean, ctx: CallCtx): Value {
  const dims = withLoc(ctx, () => normDims(dim, t.shape.length));
  const shape = withLoc(ctx, () => reduceShape(t.shape, dims, keepdim));
  const out = rt.tensor(shape, name === 'all' || name === 'any' ? 'bool' : name === 'count_nonzero' ? 'int64' : t.dtype, { op: name, inputs: [t], attrs: { dim: dims, keepdim } });
  if (t.data && dims === null) {
    const d = t.data;
    const v = name === 'sum' ? d.reduce((p, q) => p + q, 0) : name === 'mean' ? d.reduce((p, q) => p + q, 0) / d.length : name === 'max' || name === 'amax' ? Math.max(...d) : name === 'min' || name === 'amin' ? Math.min(...d) : name === 'prod' ? d.reduce((p, q) => p * q, 1) : undefined;
    if (v !== undefined) out.data = [v];
  }
  const n = numel(t.shape);
  rt.addCost(0, n);
  return out;
}
