// Tensor methods (x.view, x.size, x.float(), x.masked_fill, ...): shape rules shared with torch.*,
// dtype conversions, and the methods that are a torch function with self first.
import { PyFloat, PyList, PyTuple, Unknown, type Value } from '../../interp/values';
import { isNum, numVal } from '../../interp/ops';
import type { TorchRuntime } from '../runtime';
import { TENSOR_METHODS, derive, elementwise, inPlace, sizeArgs, sizeTuple, type Method } from '../tensorOps';
import { DTYPE_BYTES, MAX_CONST_ELEMENTS, TensorV, expandShape, isFloatDtype, normDim, numel, permuteShape, viewShape, type DType } from '../tensor';
import { toInt, toTensor } from '../sig';
import { type Dim } from '../../api';
import { DTYPES, dtypeOf, withLoc } from './common';
import * as F from '../functional';
import { traced } from '../trace';

/** A torch.* function of the runtime's interpreter (tensor methods that are the function with self first). */
const torchFn = (r: TorchRuntime, name: string): Value => r.it.nativeModule('torch')!.scope.vars.get(name)!;
const viaTorch = (name: string): Method => (r, t, args, kw, ctx) => r.it.call(torchFn(r, name), [t, ...args], kw, ctx);

/** Fills Tensor's methods; each receives the runtime of the analysis that calls it. */
export function installTensorMethods(): void {
  const M = TENSOR_METHODS;
  shapeMethods(M);
  conversionMethods(M);
  creationMethods(M);
  operatorMethods(M);
}

/** size/dim/numel, view/reshape/flatten/unflatten, permute/expand/repeat/t. */
function shapeMethods(M: Map<string, Method>): void {
  M.set('size', (r, t, args, kw, ctx) => {
    const d = args[0] ?? kw.get('dim');
    if (d === undefined || d === null) return sizeTuple(r, t.shape);
    const dim = withLoc(ctx, () => normDim(toInt(d, 'dim'), t.shape.length));
    return t.shape[dim] ?? new Unknown('size of a dimension the analysis cannot know', ctx.file, ctx.s, ctx.e);
  });
  M.set('dim', (_r, t) => t.shape.length);
  M.set('ndimension', (_r, t) => t.shape.length);
  M.set('numel', (_r, t) => numel(t.shape) ?? new Unknown('numel'));
  M.set('nelement', (_r, t) => numel(t.shape) ?? new Unknown('numel'));
  M.set('element_size', (_r, t) => DTYPE_BYTES[t.dtype]);
  const view = (op: string): Method => (r, t, args, _kw, ctx) => {
    if (args.length === 1 && (typeof args[0] === 'string' || (args[0] && typeof args[0] === 'object' && !(args[0] instanceof PyTuple) && !(args[0] instanceof PyList) && !isNum(args[0]) && !(args[0] instanceof Unknown)))) {
      return derive(r, t, [...t.shape], op, {}, false, dtypeOf(args[0], t.dtype));
    }
    const target = sizeArgs(args);
    const shape = withLoc(ctx, () => viewShape(t.shape, target));
    const out = derive(r, t, shape, op, { shape });
    if (t.data) out.data = t.data;
    return out;
  };
  M.set('view', view('view')); M.set('reshape', view('reshape'));
  M.set('view_as', (r, t, args) => derive(r, t, [...toTensor(args[0], 'other').shape], 'view'));
  M.set('reshape_as', (r, t, args) => derive(r, t, [...toTensor(args[0], 'other').shape], 'reshape'));
  M.set('flatten', (r, t, args, kw, ctx) => r.it.call(torchFn(r, 'flatten'), [t, ...args], kw, ctx));
  M.set('unflatten', (r, t, args, _kw, ctx) => withLoc(ctx, () => {
    const d = normDim(toInt(args[0], 'dim'), t.shape.length);
    return derive(r, t, [...t.shape.slice(0, d), ...viewShape([t.shape[d]], sizeArgs([args[1]])), ...t.shape.slice(d + 1)], 'reshape');
  }));
  M.set('permute', (r, t, args, _kw, ctx) => withLoc(ctx, () => { const dims = sizeArgs(args) as number[]; return derive(r, t, permuteShape(t.shape, dims), 'permute', { dims }); }));
  M.set('expand', (r, t, args, _kw, ctx) => withLoc(ctx, () => derive(r, t, expandShape(t.shape, sizeArgs(args)), 'expand', {}, true)));
  M.set('expand_as', (r, t, args, _kw, ctx) => withLoc(ctx, () => derive(r, t, expandShape(t.shape, toTensor(args[0], 'other').shape), 'expand')));
  M.set('repeat', (r, t, args) => {
    const reps = sizeArgs(args);
    const pad = [...Array(Math.max(0, reps.length - t.shape.length)).fill(1), ...t.shape] as Dim[];
    return derive(r, t, pad.map((d, i) => (d === null || reps[i] === null ? null : d * reps[i]!)), 'repeat');
  });
  M.set('t', (r, t) => derive(r, t, [...t.shape].reverse(), 'transpose', { dim0: 0, dim1: 1 }));
}

/** contiguous/clone/detach, dtype conversions, to/type, item/tolist. */
function conversionMethods(M: Map<string, Method>): void {
  for (const n of ['contiguous', 'clone', 'detach', 'cpu', 'cuda', 'requires_grad_', 'pin_memory', 'share_memory_', 'coalesce']) {
    M.set(n, (r, t, args, kw) => { if (n === 'requires_grad_') { t.requiresGrad = (args[0] ?? kw.get('requires_grad') ?? true) !== false; return t; } if (n === 'contiguous' || n === 'cpu' || n === 'cuda') return t; const o = derive(r, t, [...t.shape], n, {}, true); if (t.data) o.data = t.data; return o; });
  }
  for (const [n, dt] of [['float', 'float32'], ['double', 'float64'], ['half', 'float16'], ['bfloat16', 'bfloat16'], ['long', 'int64'], ['int', 'int32'], ['bool', 'bool'], ['short', 'int16'], ['byte', 'uint8']] as Array<[string, DType]>) {
    M.set(n, (r, t) => { const o = derive(r, t, [...t.shape], 'to', { dtype: dt }, true, dt); if (t.data) o.data = isFloatDtype(dt) ? t.data.map((x) => (dt === 'float32' ? Math.fround(x) : x)) : t.data.map(Math.trunc); return o; });
  }
  M.set('to', (r, t, args, kw) => {
    // x.to(other) takes other's dtype (and device); x.to(dtype), x.to(device, dtype), x.to(dtype=...)
    const other = args.find((x): x is TensorV => x instanceof TensorV) ?? (kw.get('other') instanceof TensorV ? kw.get('other') as TensorV : undefined);
    if (other) return other.dtype === t.dtype ? t : derive(r, t, [...t.shape], 'to', { dtype: other.dtype }, true, other.dtype);
    const dt = [...args, kw.get('dtype')].find((x) => typeof x === 'string' && DTYPES[x.replace(/^torch\./, '')]);
    if (!dt) return t;
    const d = dtypeOf(dt, t.dtype);
    return d === t.dtype ? t : derive(r, t, [...t.shape], 'to', { dtype: d }, true, d);
  });
  M.set('type', (r, t, args) => (args.length ? derive(r, t, [...t.shape], 'to', {}, true, dtypeOf(args[0], t.dtype)) : `torch.${t.dtype === 'float32' ? 'Float' : 'Long'}Tensor`));
  M.set('type_as', (r, t, args) => derive(r, t, [...t.shape], 'to', {}, true, toTensor(args[0], 'other').dtype));
  M.set('item', (r, t, _a, _k, ctx) => r.tensorUnary(isFloatDtype(t.dtype) ? 'float' : 'int', t, ctx));
  M.set('tolist', (_r, t, _a, _k, ctx) => {
    if (!t.data) return new Unknown('values of a tensor (static analysis knows shapes, not values)', ctx.file, ctx.s, ctx.e);
    const f = isFloatDtype(t.dtype);
    const conv = (x: number): Value => (f ? new PyFloat(x) : t.dtype === 'bool' ? x !== 0 : x);
    if (t.shape.length === 0) return conv(t.data[0]);
    if (t.shape.length === 1) return new PyList(t.data.map(conv));
    const rows = t.shape[0] as number, cols = t.data.length / rows;
    return new PyList(Array.from({ length: rows }, (_, i) => new PyList(t.data!.slice(i * cols, (i + 1) * cols).map(conv))));
  });
}

/** A value as a tensor of this dtype stores it. */
function castTo(d: DType, x: number): number { return d === 'float32' ? Math.fround(x) : isFloatDtype(d) ? x : d === 'bool' ? +(x !== 0) : Math.trunc(x); }

/** new_*, in-place initialisers, masked_fill. */
function creationMethods(M: Map<string, Method>): void {
  M.set('new_zeros', (r, t, args, kw) => r.tensor(sizeArgs(args), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_ones', (r, t, args, kw) => r.tensor(sizeArgs(args), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_empty', (r, t, args, kw) => r.tensor(sizeArgs(args), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_full', (r, t, args, kw) => r.tensor(sizeArgs([args[0]]), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_tensor', (r, _t, args, kw, ctx) => r.it.call(torchFn(r, 'tensor'), args, kw, ctx));
  // in-place initialisers: the tensor keeps its shape; values stay known only where they are exact
  for (const n of ['normal_', 'uniform_', 'bernoulli_', 'exponential_', 'random_', 'trunc_normal_', 'clamp_', 'sigmoid_', 'relu_', 'tanh_']) M.set(n, (_r, t) => { t.data = undefined; return t; });
  M.set('fill_', (_r, t, args, kw) => { const v = args[0] ?? kw.get('value'); const n = numel(t.shape); t.data = isNum(v ?? null) && n !== null && n <= MAX_CONST_ELEMENTS ? Array(n).fill(castTo(t.dtype, numVal(v as number))) : undefined; return t; });
  M.set('zero_', (_r, t) => { const n = numel(t.shape); t.data = n !== null && n <= MAX_CONST_ELEMENTS ? Array(n).fill(0) : undefined; return t; });
  M.set('copy_', (_r, t, args) => { const s = args[0]; t.data = s instanceof TensorV && s.data && s.data.length === numel(t.shape) ? s.data.map((x) => castTo(t.dtype, x)) : undefined; return t; });
  const maskedFill: Method = (r, t, args, kw, ctx) => {
    const mask = args[0] ?? kw.get('mask')!, value = args[1] ?? kw.get('value')!;
    const out = elementwise(r, 'max', [t, mask], ctx);
    out.dtype = t.dtype; out.data = undefined;
    out.src = traced('masked_fill', [t, mask], { value: F.num(value) });
    return out;
  };
  M.set('masked_fill', maskedFill);
  M.set('masked_fill_', maskedFill);
}

/** Methods that are torch functions or operators with self first. */
function operatorMethods(M: Map<string, Method>): void {
  M.set('chunk', viaTorch('chunk')); M.set('split', viaTorch('split'));
  M.set('transpose', viaTorch('transpose')); M.set('swapaxes', viaTorch('transpose'));
  M.set('squeeze', (r, t, args, kw, ctx) => r.it.call(torchFn(r, 'squeeze'), [t, ...args], kw, ctx));
  M.set('unsqueeze', viaTorch('unsqueeze'));
  M.set('matmul', viaTorch('matmul')); M.set('mm', viaTorch('mm')); M.set('bmm', viaTorch('bmm'));
  M.set('get_device', () => -1);
  M.set('is_contiguous', () => true);
  M.set('is_floating_point', (_r, t) => isFloatDtype(t.dtype));
  M.set('__len__', (r, t) => r.tensorLen(t));
  M.set('softmax', (r, t, args, kw, ctx) => r.it.call(torchFn(r, 'softmax'), [t, ...args], kw, ctx));
  M.set('log_softmax', (r, t, args, kw, ctx) => r.it.call(torchFn(r, 'log_softmax'), [t, ...args], kw, ctx));
  M.set('add', (r, t, args, kw, ctx) => elementwise(r, '+', [t, args[0] ?? kw.get('other')!], ctx));
  M.set('sub', (r, t, args, kw, ctx) => elementwise(r, '-', [t, args[0] ?? kw.get('other')!], ctx));
  M.set('mul', (r, t, args, kw, ctx) => elementwise(r, '*', [t, args[0] ?? kw.get('other')!], ctx));
  M.set('div', (r, t, args, kw, ctx) => elementwise(r, '/', [t, args[0] ?? kw.get('other')!], ctx));
  for (const n of ['add', 'sub', 'mul', 'div']) M.set(`${n}_`, (r, t, args, kw, ctx) => { const out = M.get(n)!(r, t, args, kw, ctx); inPlace(t, out); return out; });
  M.set('pow', (r, t, args, _kw, ctx) => elementwise(r, '**', [t, args[0]], ctx));
  M.set('__getitem__', (r, t, args, _kw, ctx) => r.tensorGetItem(t, args[0], ctx));
}
