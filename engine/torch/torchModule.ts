// The `torch`, `torch.nn`, `torch.nn.functional`, `torch.nn.init`, `torch.jit`, `torch.fx` and
// `torch.utils.checkpoint` modules as the interpreter sees them, plus Tensor methods.
// Every op delegates to functional.ts / tensorOps.ts for its shape rule and cost.
import {
  Builtin, InterpError, LazyRef, PyClass, PyException, PyFloat, PyFunction, PyList, PyModule,
  PyTuple, Unknown, type CallCtx, type Value,
} from '../interp/values';
import { isNum, numVal, pyStr } from '../interp/ops';
import { nativeModule } from '../interp/stdlib/native';
import { TRANSFORMER_PATH, TRANSFORMER_SOURCE } from './prelude';
import { roundHalfEven } from '../interp/builtins/index';
import { TorchRuntime } from './runtime';
import { installContainers, installModuleClass } from './nnModule';
import { allLayerSpecs } from './layers/index';
import * as F from './functional';
import {
  TENSOR_METHODS, derive, elementwise, getRf, mapData, matmul, normDims, setRf, sizeArgs, sizeTuple, type Method,
} from './tensorOps';
import {
  MAX_CONST_ELEMENTS, TensorV, chunkSizes, expandShape, flattenShape, isFloatDtype, normDim, numel, permuteShape, reduceShape,
  splitSizes, squeezeShape, transposeShape, unsqueezeShape, viewShape, type DType,
} from './tensor';
import { intList, toBool, toFloat, toInt, toTensor, type Args } from './sig';
import type { Dim } from '../api';

const DTYPES: Record<string, DType> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64', float16: 'float16', half: 'float16',
  bfloat16: 'bfloat16', int64: 'int64', long: 'int64', int32: 'int32', int: 'int32', int16: 'int16', short: 'int16',
  int8: 'int8', uint8: 'uint8', bool: 'bool', complex64: 'complex64',
};

export function installTorch(rt: TorchRuntime): void {
  const it = rt.it;
  const Module = installModuleClass(rt);
  installContainers(rt);
  // base classes user code subclasses or isinstance-checks
  for (const [name, base] of [['_ConvNd', 'Module'], ['_BatchNorm', '_NormBase'], ['_NormBase', 'Module'], ['_InstanceNorm', '_NormBase'], ['_MaxPoolNd', 'Module'], ['_AvgPoolNd', 'Module'], ['_DropoutNd', 'Module'], ['RNNBase', 'Module']] as const) {
    if (!rt.classes.has(base)) rt.classes.set(base, new PyClass(base, [rt.classes.get('Module')!], 'torch.nn'));
    rt.classes.set(name, new PyClass(name, [rt.classes.get(base)!], 'torch.nn'));
  }
  const layerClasses: Record<string, Value> = {};
  for (const spec of allLayerSpecs) layerClasses[spec.name] = rt.layerClass(spec);

  // Tensor and Parameter classes
  const Tensor = new PyClass('Tensor', [it.types.get('object')!], 'torch');
  Tensor.dict.set('__instancecheck_native__', new Builtin('Tensor.check', (a) => a[0] instanceof TensorV));
  Tensor.dict.set('__new__', new Builtin('Tensor.__new__', (a) => rt.tensor(sizeArgs(a.slice(1)))));
  const Parameter = new PyClass('Parameter', [Tensor], 'torch.nn');
  Parameter.dict.set('__instancecheck_native__', new Builtin('Parameter.check', (a) => a[0] instanceof TensorV && a[0].isParam));
  Parameter.dict.set('__new__', new Builtin('Parameter.__new__', (a, kw) => {
    const data = a[1] ?? kw.get('data') ?? null;
    const rg = a[2] ?? kw.get('requires_grad') ?? true;
    const src = data instanceof TensorV ? data : rt.tensor([]);
    const p = rt.param([...src.shape] as number[], rg !== false);
    p.dtype = src.dtype;
    if (src.data) p.data = src.data;
    if (src.src) p.init = src.src;
    return p;
  }));
  it.types.set('Tensor', Tensor);
  it.types.set('Parameter', Parameter);
  const Size = new PyClass('Size', [it.types.get('tuple')!], 'torch');
  Size.dict.set('__new__', new Builtin('Size.__new__', (a) => sizeTuple(rt, sizeArgs(a.slice(1)))));
  Size.dict.set('numel', new Builtin('Size.numel', (a) => { const t = a[0] as PyTuple; return t.items.reduce<Value>((p, q) => (q instanceof Unknown ? q : p instanceof Unknown ? p : (p as number) * (q as number)), 1); }));
  rt.classes.set('Size', Size);

  const fns = buildFunctions(rt);
  const nnF = buildNNFunctional(rt);
  const init = buildInit(rt);
  const warnUnknown = (mod: string) => new Builtin(`${mod}.__getattr__`, (a, _kw, ctx) => {
    const name = String(a[0]);
    if (name.startsWith('__')) throw new PyException('AttributeError', `module '${mod}' has no attribute '${name}'`);
    it.diag('info', 'unsupported', `shapes after this line are unknown: ${mod}.${name} is not modelled by LayerLens`, ctx.file ?? it.cur.file, ctx.s ?? it.cur.s, ctx.e ?? it.cur.e);
    return new Unknown(`${mod}.${name} is not modelled`, ctx.file, ctx.s, ctx.e);
  });

  const reg = (name: string, members: Record<string, Value>): PyModule => {
    const m = nativeModule(it, name, { ...members, __getattr__: warnUnknown(name) });
    it.nativeModules.set(name, m);
    return m;
  };
  const functional = reg('torch.nn.functional', nnF);
  const initMod = reg('torch.nn.init', init);
  const common = { Module, Parameter, ...Object.fromEntries([...rt.classes].filter(([k]) => k !== 'Size')) , ...layerClasses };
  const modulesNs: Record<string, Value> = {};
  for (const sub of ['conv', 'linear', 'batchnorm', 'normalization', 'activation', 'pooling', 'dropout', 'container', 'module', 'flatten', 'padding', 'upsampling', 'pixelshuffle', 'instancenorm', 'sparse', 'channelshuffle']) {
    modulesNs[sub] = reg(`torch.nn.modules.${sub}`, common);
  }
  const modules = reg('torch.nn.modules', { ...common, ...modulesNs });
  const parameter = reg('torch.nn.parameter', { Parameter, UninitializedParameter: Parameter });
  const utilsNs = reg('torch.nn.utils', {
    parametrize: new Unknown('torch.nn.utils.parametrize'),
    weight_norm: new Builtin('weight_norm', (a) => a[0]),
    spectral_norm: new Builtin('spectral_norm', (a) => a[0]),
  });
  it.virtualFiles.set(TRANSFORMER_PATH, TRANSFORMER_SOURCE);
  const transformer = (name: string): LazyRef => new LazyRef(() => it.getAttr(it.execFile(TRANSFORMER_PATH, 'torch.nn.modules.transformer')!, name, {}));
  const transformers = Object.fromEntries(['Transformer', 'TransformerEncoder', 'TransformerDecoder', 'TransformerEncoderLayer', 'TransformerDecoderLayer'].map((n) => [n, transformer(n)]));
  const nn = reg('torch.nn', { ...common, ...transformers, functional, init: initMod, modules, parameter, utils: utilsNs, Parameter, Module });

  const identityDeco = new Builtin('decorator', (a) => (a.length === 1 && (a[0] instanceof PyFunction || a[0] instanceof PyClass || a[0] instanceof Builtin) ? a[0] : identityDecoFactory));
  const identityDecoFactory: Builtin = new Builtin('decorator', (a) => a[0]);
  const jit = reg('torch.jit', {
    script: identityDeco, trace: new Builtin('trace', (a) => a[0]), unused: identityDeco, ignore: identityDeco, export: identityDeco,
    is_scripting: new Builtin('is_scripting', () => false), is_tracing: new Builtin('is_tracing', () => false),
    _overload_method: identityDeco, _overload: identityDeco, annotate: new Builtin('annotate', (a) => a[1]),
    Final: new PyClass('Final', [it.types.get('object')!], 'torch.jit'), ScriptModule: Module, interface: identityDeco,
  });
  const fx = reg('torch.fx', { wrap: new Builtin('wrap', (a) => a[0]), Tracer: new PyClass('Tracer', [it.types.get('object')!], 'torch.fx'), GraphModule: Module, Proxy: new PyClass('Proxy', [it.types.get('object')!], 'torch.fx') });
  const checkpoint = reg('torch.utils.checkpoint', {
    checkpoint: new Builtin('checkpoint', (a, kw, ctx) => { const rest = new Map(kw); rest.delete('use_reentrant'); rest.delete('preserve_rng_state'); return it.call(a[0], a.slice(1), rest, ctx); }),
    checkpoint_sequential: new Builtin('checkpoint_sequential', (a, _kw, ctx) => it.call(a[0], [a[2]], new Map(), ctx)),
  });
  const hub = reg('torch.hub', { load_state_dict_from_url: new Builtin('load_state_dict_from_url', () => new Unknown('downloaded weights')) });
  const utils = reg('torch.utils', { checkpoint, model_zoo: hub, data: new Unknown('torch.utils.data') });
  const noGradCls = new PyClass('no_grad', [it.types.get('object')!], 'torch');
  noGradCls.dict.set('__init__', new Builtin('no_grad.__init__', () => null));
  noGradCls.dict.set('__enter__', new Builtin('no_grad.__enter__', () => null));
  noGradCls.dict.set('__exit__', new Builtin('no_grad.__exit__', () => false));
  noGradCls.dict.set('__call__', new Builtin('no_grad.__call__', (a) => a[1]));
  const dtypeVals: Record<string, Value> = {};
  for (const [k, v] of Object.entries(DTYPES)) dtypeVals[k] = v;
  reg('torch', {
    ...fns, ...dtypeVals, nn, jit, fx, utils, hub, Tensor, Size, Parameter: Parameter,
    no_grad: noGradCls, enable_grad: noGradCls, inference_mode: noGradCls, set_grad_enabled: noGradCls,
    device: new Builtin('device', (a) => pyStr(a[0] ?? 'cpu')),
    cuda: nativeModule(it, 'torch.cuda', { is_available: new Builtin('is_available', () => false), device_count: new Builtin('device_count', () => 0) }),
    backends: new Unknown('torch.backends'),
    __version__: '1.13.1',
    manual_seed: new Builtin('manual_seed', () => null),
    set_default_dtype: new Builtin('set_default_dtype', () => null),
    get_default_dtype: new Builtin('get_default_dtype', () => 'float32'),
    is_tensor: new Builtin('is_tensor', (a) => a[0] instanceof TensorV),
    is_grad_enabled: new Builtin('is_grad_enabled', () => true),
    _assert: new Builtin('_assert', (a, _kw, ctx) => {
      if (a[0] === false) throw new PyException('AssertionError', pyStr(a[1] ?? 'assertion failed'), null, ctx.file, ctx.s, ctx.e);
      return null;
    }),
  });
  installTensorMethods(rt);
}

function dtypeOf(v: Value | undefined, fallback: DType = 'float32'): DType {
  if (v === undefined || v === null) return fallback;
  const s = pyStr(v).replace(/^torch\./, '');
  return DTYPES[s] ?? fallback;
}

function scalarValue(v: Value): number | undefined {
  if (isNum(v)) return numVal(v);
  return undefined;
}

function buildFunctions(rt: TorchRuntime): Record<string, Value> {
  const fn = (name: string, sig: string, impl: (a: Args, ctx: CallCtx) => Value): Builtin => rt.fn(`torch.${name}`, sig, impl);
  const T = (a: Args, n = 'input'): TensorV => toTensor(a.get(n)!, n);
  const out: Record<string, Value> = {};
  const creation = (name: string, fill?: number | 'rand'): void => {
    out[name] = new Builtin(`torch.${name}`, (args, kw) => {
      const shape = sizeArgs(args);
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
    const nums = args.map((v) => toFloat(v, 'arange bound'));
    const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
    const isFloat = args.some((v) => v instanceof PyFloat);
    const n = Math.max(0, Math.ceil((end - start) / step));
    const dtype = dtypeOf(kw.get('dtype'), isFloat ? 'float32' : 'int64');
    const t = rt.tensor([n], dtype, { op: 'arange', inputs: [], attrs: { start, end, step } });
    if (n <= MAX_CONST_ELEMENTS) t.data = Array.from({ length: n }, (_, i) => (dtype === 'float32' ? Math.fround(start + i * step) : start + i * step));
    return t;
  });
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
    const walk = (v: Value, depth: number): void => {
      if (v instanceof PyList || v instanceof PyTuple) {
        if (shape.length <= depth) shape.push(v.items.length);
        v.items.forEach((x) => walk(x, depth + 1));
        return;
      }
      if (v instanceof PyFloat) isFloat = true;
      if (v instanceof TensorV && v.data && v.data.length === 1) { flat.push(v.data[0]); return; }
      if (!isNum(v)) throw new InterpError(`torch.tensor() of ${pyStr(v)} is not supported`);
      flat.push(numVal(v));
    };
    walk(a.get('data')!, 0);
    const src = a.get('data')!;
    const isBool = src === true || src === false || (src instanceof PyList && src.items.every((x) => typeof x === 'boolean') && src.items.length > 0);
    const dtype = dtypeOf(a.get('dtype'), isBool ? 'bool' : isFloat ? 'float32' : 'int64');
    const t = rt.tensor(shape, dtype, { op: 'tensor', inputs: [] }, dtype === 'float32' ? flat.map(Math.fround) : flat);
    return t;
  });
  out.as_tensor = out.tensor;
  out.from_numpy = new Builtin('torch.from_numpy', () => new Unknown('numpy array'));

  // shape ops
  out.cat = fn('cat', 'tensors, dim=0, out=None', (a, ctx) => F.cat(rt, a.get('tensors')!, toInt(a.get('dim')!, 'dim'), ctx));
  out.concat = out.cat; out.concatenate = out.cat;
  out.stack = fn('stack', 'tensors, dim=0, out=None', (a, ctx) => F.cat(rt, a.get('tensors')!, toInt(a.get('dim')!, 'dim'), ctx, 'stack'));
  out.flatten = fn('flatten', 'input, start_dim=0, end_dim=-1', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), flattenShape(T(a).shape, toInt(a.get('start_dim')!, 'start_dim'), toInt(a.get('end_dim')!, 'end_dim')), 'flatten')));
  out.reshape = fn('reshape', 'input, shape', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), viewShape(T(a).shape, sizeArgs([a.get('shape')!])), 'reshape', {}, false)));
  out.transpose = fn('transpose', 'input, dim0, dim1', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), transposeShape(T(a).shape, toInt(a.get('dim0')!, 'dim0'), toInt(a.get('dim1')!, 'dim1')), 'transpose', { dims: [toInt(a.get('dim0')!, 'dim0'), toInt(a.get('dim1')!, 'dim1')] })));
  out.swapaxes = out.transpose; out.swapdims = out.transpose;
  out.permute = fn('permute', 'input, dims', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), permuteShape(T(a).shape, intList(a.get('dims')!, 'dims')), 'permute', { dims: intList(a.get('dims')!, 'dims') })));
  out.squeeze = fn('squeeze', 'input, dim=None', (a, ctx) => withLoc(ctx, () => { const t = derive(rt, T(a), squeezeShape(T(a).shape, a.get('dim') === null ? null : toInt(a.get('dim')!, 'dim')), 'squeeze'); if (T(a).data) t.data = T(a).data; return t; }));
  out.unsqueeze = fn('unsqueeze', 'input, dim', (a, ctx) => withLoc(ctx, () => { const t = derive(rt, T(a), unsqueezeShape(T(a).shape, toInt(a.get('dim')!, 'dim')), 'unsqueeze', {}, true); if (T(a).data) t.data = T(a).data; return t; }));
  out.split = fn('split', 'tensor, split_size_or_sections, dim=0', (a, ctx) => splitOp(rt, T(a, 'tensor'), a.get('split_size_or_sections')!, toInt(a.get('dim')!, 'dim'), false, ctx));
  out.chunk = fn('chunk', 'input, chunks, dim=0', (a, ctx) => splitOp(rt, T(a), a.get('chunks')!, toInt(a.get('dim')!, 'dim'), true, ctx));
  out.unbind = fn('unbind', 'input, dim=0', (a, ctx) => {
    const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length);
    const n = t.shape[d];
    if (n === null) throw new InterpError('unbind over a dimension of unknown size', ctx.file, ctx.s, ctx.e, 'unknown');
    return new PyTuple(Array.from({ length: n }, () => derive(rt, t, t.shape.filter((_, i) => i !== d), 'select')));
  });
  out.roll = fn('roll', 'input, shifts, dims=None', (a) => derive(rt, T(a), [...T(a).shape], 'roll', {}, true));
  out.flip = fn('flip', 'input, dims', (a) => derive(rt, T(a), [...T(a).shape], 'flip', {}, true));
  out.narrow = fn('narrow', 'input, dim, start, length', (a) => { const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = toInt(a.get('length')!, 'length'); return derive(rt, t, s, 'narrow'); });
  out.meshgrid = new Builtin('torch.meshgrid', (args, kw) => {
    const ts = (args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple) ? (args[0] as PyTuple).items : args).map((x) => toTensor(x, 'tensor'));
    const shape = ts.map((t) => t.shape[0] ?? null);
    const ij = pyStr(kw.get('indexing') ?? 'ij') === 'ij';
    const s = ij ? shape : shape.length >= 2 ? [shape[1], shape[0], ...shape.slice(2)] : shape;
    return new PyTuple(ts.map((t) => rt.tensor(s, t.dtype, { op: 'meshgrid', inputs: ts })));
  });
  out.where = fn('where', 'condition, input=None, other=None', (a, ctx) => {
    const vals = [a.get('condition')!, a.get('input')!, a.get('other')!];
    if (vals[1] === null) return derive(rt, T(a, 'condition'), [null, T(a, 'condition').shape.length], 'nonzero', {}, false, 'int64');
    const r = elementwise(rt, 'max', vals, ctx, undefined);
    r.dtype = resultDtypeOf(vals.slice(1));
    r.src = { op: 'where', inputs: vals };
    r.data = undefined;
    return r;
  });
  out.gather = fn('gather', 'input, dim, index', (a) => derive(rt, T(a), [...toTensor(a.get('index')!, 'index').shape], 'gather'));
  out.index_select = fn('index_select', 'input, dim, index', (a) => { const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = toTensor(a.get('index')!, 'index').shape[0] ?? null; return derive(rt, t, s, 'index_select'); });
  out.diff = fn('diff', 'input, n=1, dim=-1', (a) => {
    const t = T(a);
    const s = [...t.shape]; const d = normDim(toInt(a.get('dim')!, 'dim'), s.length);
    s[d] = s[d] === null ? null : Math.max(0, s[d]! - 1);
    const r = derive(rt, t, s, 'diff');
    if (t.data && t.shape.length === 1) r.data = t.data.slice(1).map((x, i) => x - t.data![i]);
    return r;
  });
  out.triu = fn('triu', 'input, diagonal=0', (a) => derive(rt, T(a), [...T(a).shape], 'triu', { diagonal: toInt(a.get('diagonal')!, 'diagonal') }));
  out.tril = fn('tril', 'input, diagonal=0', (a) => derive(rt, T(a), [...T(a).shape], 'tril', { diagonal: toInt(a.get('diagonal')!, 'diagonal') }));
  out.repeat_interleave = fn('repeat_interleave', 'input, repeats, dim=None', (a) => {
    const t = T(a); const r = toInt(a.get('repeats')!, 'repeats');
    if (a.get('dim') === null) { const n = numel(t.shape); return derive(rt, t, [n === null ? null : n * r], 'repeat_interleave', { repeats: r, dim: null }); }
    const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = s[d] === null ? null : s[d]! * r;
    return derive(rt, t, s, 'repeat_interleave', { repeats: r, dim: d });
  });
  out.cumsum = fn('cumsum', 'input, dim, dtype=None', (a) => mapData(rt, T(a), 'cumsum'));
  out.einsum = new Builtin('torch.einsum', (args, _kw, ctx) => einsum(rt, String(args[0]), (args.length === 2 && (args[1] instanceof PyList || args[1] instanceof PyTuple) ? (args[1] as PyTuple).items : args.slice(1)).map((x) => toTensor(x, 'operand')), ctx));
  // products
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
  out.outer = fn('outer', 'input, vec2', (a) => rt.tensor([T(a).shape[0], T(a, 'vec2').shape[0]]));
  // element-wise
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
    r.src = { op: 'clamp', inputs: [T(a)], attrs: { min, max } };
    return r;
  });
  out.clip = out.clamp;
  out.softmax = fn('softmax', 'input, dim, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'softmax'));
  out.log_softmax = fn('log_softmax', 'input, dim, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'log_softmax'));
  out.dropout = fn('dropout', 'input, p=0.5, train=True', (a) => derive(rt, T(a), [...T(a).shape], 'dropout', {}, true));
  // reductions
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
  out.sigmoid_ = out.sigmoid;
  return out;
}

function resultDtypeOf(vals: Value[]): DType {
  const ts = vals.filter((v): v is TensorV => v instanceof TensorV);
  return ts.find((t) => isFloatDtype(t.dtype))?.dtype ?? (vals.some((v) => v instanceof PyFloat) ? 'float32' : ts[0]?.dtype ?? 'float32');
}

function withLoc<T>(ctx: CallCtx, f: () => T): T {
  try { return f(); } catch (err) {
    if (err instanceof PyException && err.s === undefined) { err.s = ctx.s; err.e = ctx.e; Object.assign(err, { file: ctx.file }); }
    throw err;
  }
}

function reduce(rt: TorchRuntime, name: string, t: TensorV, dim: Value, keepdim: boolean, ctx: CallCtx): Value {
  const dims = withLoc(ctx, () => normDims(dim, t.shape.length));
  const shape = withLoc(ctx, () => reduceShape(t.shape, dims, keepdim));
  const out = rt.tensor(shape, name === 'all' || name === 'any' ? 'bool' : name === 'count_nonzero' ? 'int64' : t.dtype, { op: name, inputs: [t], attrs: { dims, keepdim } });
  if (t.data && dims === null) {
    const d = t.data;
    const v = name === 'sum' ? d.reduce((p, q) => p + q, 0) : name === 'mean' ? d.reduce((p, q) => p + q, 0) / d.length : name === 'max' || name === 'amax' ? Math.max(...d) : name === 'min' || name === 'amin' ? Math.min(...d) : name === 'prod' ? d.reduce((p, q) => p * q, 1) : undefined;
    if (v !== undefined) out.data = [v];
  }
  const n = numel(t.shape);
  rt.addCost(0, n);
  return out;
}

function splitOp(rt: TorchRuntime, t: TensorV, sizeOrChunks: Value, dim: number, chunks: boolean, ctx: CallCtx): Value {
  const d = withLoc(ctx, () => normDim(dim, t.shape.length));
  const n = t.shape[d];
  if (n === null) throw new InterpError('split of a dimension of unknown size', ctx.file, ctx.s, ctx.e, 'unknown');
  const sizes = withLoc(ctx, () => chunks ? chunkSizes(n, toInt(sizeOrChunks, 'chunks'))
    : splitSizes(n, sizeOrChunks instanceof PyList || sizeOrChunks instanceof PyTuple ? intList(sizeOrChunks, 'split_sizes') : toInt(sizeOrChunks, 'split_size')));
  return new PyTuple(sizes.map((s, i) => { const shape = [...t.shape]; shape[d] = s; return derive(rt, t, shape, 'split', { dim: d, index: i, sizes }, true); }));
}

function einsum(rt: TorchRuntime, eq: string, ops: TensorV[], ctx: CallCtx): TensorV {
  const [lhs, rhs0] = eq.replace(/\s/g, '').split('->');
  const inputs = lhs.split(',');
  if (inputs.length !== ops.length) F.fail(ctx, `einsum(): ${inputs.length} operands in the equation but ${ops.length} given`);
  const sizes = new Map<string, Dim>();
  inputs.forEach((sub, i) => {
    if (sub.includes('.')) throw new InterpError('einsum with ellipsis is not supported', ctx.file, ctx.s, ctx.e);
    [...sub].forEach((c, j) => {
      const d = ops[i].shape[j];
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== null && d !== null && prev !== d && prev !== 1 && d !== 1) F.fail(ctx, `einsum(): subscript ${c} has size ${d} for operand ${i} which does not broadcast with previously seen size ${prev}`);
      if (prev === undefined || prev === 1) sizes.set(c, d);
    });
  });
  const rhs = rhs0 ?? [...sizes.keys()].filter((c) => inputs.join('').split(c).length === 2).sort().join('');
  const shape = [...rhs].map((c) => sizes.get(c) ?? null);
  const total = [...sizes.values()].reduce<number | null>((p, q) => (p === null || q === null ? null : p * q), 1);
  const out = rt.tensor(shape, ops[0].dtype, { op: 'einsum', inputs: ops, attrs: { eq } });
  if (ops.length > 1) rt.addCost(total, total === null ? null : 2 * total);
  return out;
}

function buildNNFunctional(rt: TorchRuntime): Record<string, Value> {
  const it = rt.it;
  const fn = (name: string, sig: string, impl: (a: Args, ctx: CallCtx) => Value): Builtin => rt.fn(`F.${name}`, sig, impl);
  const T = (a: Args, n = 'input'): TensorV => toTensor(a.get(n)!, n);
  const out: Record<string, Value> = {};
  for (const nd of [1, 2, 3]) {
    out[`conv${nd}d`] = fn(`conv${nd}d`, 'input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1', (a, ctx) =>
      F.conv(rt, T(a), T(a, 'weight'), a.get('bias')!, { stride: a.get('stride')!, padding: a.get('padding')!, dilation: a.get('dilation')!, groups: toInt(a.get('groups')!, 'groups') }, nd, ctx));
    out[`conv_transpose${nd}d`] = fn(`conv_transpose${nd}d`, 'input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1', (a, ctx) =>
      F.convTranspose(rt, T(a), T(a, 'weight'), a.get('bias')!, { stride: a.get('stride')!, padding: a.get('padding')!, dilation: a.get('dilation')!, groups: toInt(a.get('groups')!, 'groups'), outputPadding: a.get('output_padding')! }, nd, ctx));
    out[`max_pool${nd}d`] = fn(`max_pool${nd}d`, 'input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False', (a, ctx) => {
      const r = F.pool(rt, 'max', T(a), { kernel: a.get('kernel_size')!, stride: a.get('stride')!, padding: a.get('padding')!, dilation: a.get('dilation')!, ceilMode: toBool(a.get('ceil_mode')!) }, nd, ctx);
      return a.get('return_indices') === true ? new PyTuple([r, rt.tensor(r.shape, 'int64')]) : r;
    });
    out[`avg_pool${nd}d`] = fn(`avg_pool${nd}d`, 'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None', (a, ctx) =>
      F.pool(rt, 'avg', T(a), { kernel: a.get('kernel_size')!, stride: a.get('stride')!, padding: a.get('padding')!, dilation: 1, ceilMode: toBool(a.get('ceil_mode')!) }, nd, ctx, { countIncludePad: toBool(a.get('count_include_pad')!) }));
    out[`adaptive_avg_pool${nd}d`] = fn(`adaptive_avg_pool${nd}d`, 'input, output_size', (a, ctx) => F.adaptivePool(rt, 'avg', T(a), a.get('output_size')!, nd, ctx));
    out[`adaptive_max_pool${nd}d`] = fn(`adaptive_max_pool${nd}d`, 'input, output_size, return_indices=False', (a, ctx) => F.adaptivePool(rt, 'max', T(a), a.get('output_size')!, nd, ctx));
  }
  out.linear = fn('linear', 'input, weight, bias=None', (a, ctx) => F.linear(rt, T(a), T(a, 'weight'), a.get('bias')!, ctx));
  out.bilinear = fn('bilinear', 'input1, input2, weight, bias=None', (a) => rt.tensor([...T(a, 'input1').shape.slice(0, -1), T(a, 'weight').shape[0]]));
  out.interpolate = fn('interpolate', "input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False", (a, ctx) =>
    F.interpolate(rt, T(a), a.get('size')!, a.get('scale_factor')!, pyStr(a.get('mode')!), ctx, a.get('align_corners')!));
  out.upsample = out.interpolate;
  out.upsample_nearest = fn('upsample_nearest', 'input, size=None, scale_factor=None', (a, ctx) => F.interpolate(rt, T(a), a.get('size')!, a.get('scale_factor')!, 'nearest', ctx));
  out.upsample_bilinear = fn('upsample_bilinear', 'input, size=None, scale_factor=None', (a, ctx) => F.interpolate(rt, T(a), a.get('size')!, a.get('scale_factor')!, 'bilinear', ctx, true));
  out.pad = fn('pad', "input, pad, mode='constant', value=None", (a, ctx) => F.pad(rt, T(a), a.get('pad')!, ctx, pyStr(a.get('mode')!), a.get('value') === null ? 0 : F.num(a.get('value')!)));
  out.batch_norm = fn('batch_norm', 'input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05', (a, ctx) => {
    const rm = a.get('running_mean');
    return F.batchNorm(rt, T(a), rm instanceof TensorV ? rm.shape[0] : null, ctx, 'batch_norm', {
      inputs: [T(a), a.get('weight')!, a.get('bias')!, rm!, a.get('running_var')!],
      attrs: { eps: F.num(a.get('eps')!), momentum: F.num(a.get('momentum')!), training: a.get('training') === true || !(rm instanceof TensorV) },
    });
  });
  out.layer_norm = fn('layer_norm', 'input, normalized_shape, weight=None, bias=None, eps=1e-05', (a, ctx) => F.layerNorm(rt, T(a), intList(a.get('normalized_shape')!, 'normalized_shape'), ctx, a.get('weight')!, a.get('bias')!, a.get('eps')!));
  out.group_norm = fn('group_norm', 'input, num_groups, weight=None, bias=None, eps=1e-05', (a, ctx) => F.groupNorm(rt, T(a), toInt(a.get('num_groups')!, 'num_groups'), null, ctx, a.get('weight')!, a.get('bias')!, a.get('eps')!));
  out.instance_norm = fn('instance_norm', 'input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05', (a) => F.normLike(rt, T(a), 'instance_norm', 5));
  out.local_response_norm = fn('local_response_norm', 'input, size, alpha=0.0001, beta=0.75, k=1.0', (a) => {
    const r = F.normLike(rt, T(a), 'local_response_norm', 8);
    r.src = { op: 'local_response_norm', inputs: [T(a)], attrs: { size: toInt(a.get('size')!, 'size'), alpha: F.num(a.get('alpha')!), beta: F.num(a.get('beta')!), k: F.num(a.get('k')!) } };
    return r;
  });
  out.normalize = fn('normalize', 'input, p=2.0, dim=1, eps=1e-12, out=None', (a) => F.normLike(rt, T(a), 'normalize', 3));
  const act = (name: string, sig: string, flops: number): void => {
    out[name] = fn(name, sig, (a) => {
      const r = F.activation(rt, T(a), name.replace(/_$/, ''), flops);
      const attrs: Record<string, unknown> = {};
      for (const [k, v] of a) if (k !== 'input' && k !== 'inplace') attrs[k] = v instanceof TensorV ? v : typeof v === 'string' ? v : F.num(v);
      r.src = { op: name.replace(/_$/, ''), inputs: [T(a), ...(a.get('weight') instanceof TensorV ? [a.get('weight')!] : [])], attrs };
      return r;
    });
  };
  act('relu', 'input, inplace=False', 1); act('relu_', 'input', 1); act('relu6', 'input, inplace=False', 2); act('elu', 'input, alpha=1.0, inplace=False', 3);
  act('selu', 'input, inplace=False', 3); act('celu', 'input, alpha=1.0, inplace=False', 3); act('leaky_relu', 'input, negative_slope=0.01, inplace=False', 2);
  act('gelu', "input, approximate='none'", 8); act('silu', 'input, inplace=False', 4); act('mish', 'input, inplace=False', 6);
  act('hardswish', 'input, inplace=False', 4); act('hardsigmoid', 'input, inplace=False', 3); act('hardtanh', 'input, min_val=-1.0, max_val=1.0, inplace=False', 2);
  act('sigmoid', 'input', 4); act('tanh', 'input', 4); act('softplus', 'input, beta=1, threshold=20', 4); act('softsign', 'input', 3); act('logsigmoid', 'input', 5);
  act('prelu', 'input, weight', 2); act('tanhshrink', 'input', 5); act('relu6_', 'input', 2);
  out.glu = fn('glu', 'input, dim=-1', (a) => { const t = T(a); const d = normDim(toInt(a.get('dim')!, 'dim'), t.shape.length); const s = [...t.shape]; s[d] = s[d] === null ? null : s[d]! / 2; return derive(rt, t, s, 'glu'); });
  out.softmax = fn('softmax', 'input, dim=None, _stacklevel=3, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'softmax'));
  out.log_softmax = fn('log_softmax', 'input, dim=None, _stacklevel=3, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'log_softmax'));
  out.softmin = fn('softmin', 'input, dim=None, _stacklevel=3, dtype=None', (a) => F.softmax(rt, T(a), a.get('dim')!, 'softmin'));
  for (const n of ['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout']) {
    out[n] = fn(n, 'input, p=0.5, training=True, inplace=False', (a) => setRf(derive(rt, T(a), [...T(a).shape], 'dropout', { p: a.get('p'), training: a.get('training') }), getRf(T(a))));
  }
  out.flatten = fn('flatten', 'input, start_dim=0, end_dim=-1', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), flattenShape(T(a).shape, toInt(a.get('start_dim')!, 'start_dim'), toInt(a.get('end_dim')!, 'end_dim')), 'flatten')));
  out.embedding = fn('embedding', 'input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False', (a) => rt.tensor([...T(a).shape, T(a, 'weight').shape[1]]));
  out.one_hot = fn('one_hot', 'tensor, num_classes=-1', (a) => rt.tensor([...T(a, 'tensor').shape, toInt(a.get('num_classes')!, 'num_classes')], 'int64'));
  out.pixel_shuffle = fn('pixel_shuffle', 'input, upscale_factor', (a) => { const t = T(a); const r = toInt(a.get('upscale_factor')!, 'upscale_factor'); const s = t.shape; const k = s.length; return derive(rt, t, [...s.slice(0, k - 3), s[k - 3] === null ? null : s[k - 3]! / (r * r), s[k - 2] === null ? null : s[k - 2]! * r, s[k - 1] === null ? null : s[k - 1]! * r], 'pixel_shuffle'); });
  for (const n of ['cross_entropy', 'nll_loss', 'mse_loss', 'l1_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'smooth_l1_loss', 'kl_div']) {
    out[n] = new Builtin(`F.${n}`, (args, kw) => { const r = kw.get('reduction'); return r === 'none' ? rt.tensor([...toTensor(args[0], 'input').shape]) : rt.tensor([]); });
  }
  out.scaled_dot_product_attention = fn('scaled_dot_product_attention', 'query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False', (a, ctx) => {
    const q = T(a, 'query'), k = T(a, 'key'), v = T(a, 'value');
    const nd = k.shape.length;
    const kt = derive(rt, k, transposeShape(k.shape, -2, -1), 'transpose', { dims: [nd - 2, nd - 1] });
    const d = q.shape[q.shape.length - 1];
    const scores = elementwise(rt, '*', [matmul(rt, q, kt, ctx), new PyFloat(1 / Math.sqrt(d ?? 1))], ctx);
    const mask = a.get('attn_mask');
    const masked = mask instanceof TensorV ? elementwise(rt, '+', [scores, mask], ctx) : scores;
    return matmul(rt, F.softmax(rt, masked, -1, 'softmax'), v, ctx);
  });
  out.unfold = fn('unfold', 'input, kernel_size, dilation=1, padding=0, stride=1', (a) => {
    const t = T(a); const k = intList(a.get('kernel_size')!, 'kernel_size'); const kk = k.length === 1 ? [k[0], k[0]] : k;
    const s = intList(a.get('stride')!, 'stride'); const ss = s.length === 1 ? [s[0], s[0]] : s;
    const p = intList(a.get('padding')!, 'padding'); const pp = p.length === 1 ? [p[0], p[0]] : p;
    const d = intList(a.get('dilation')!, 'dilation'); const dd = d.length === 1 ? [d[0], d[0]] : d;
    const L = t.shape.slice(2).reduce<number | null>((acc, x, i) => (acc === null || x === null ? null : acc * (Math.floor((x + 2 * pp[i] - dd[i] * (kk[i] - 1) - 1) / ss[i]) + 1)), 1);
    return rt.tensor([t.shape[0], t.shape[1] === null ? null : t.shape[1]! * kk[0] * kk[1], L]);
  });
  out.grid_sample = fn('grid_sample', "input, grid, mode='bilinear', padding_mode='zeros', align_corners=None", (a) => rt.tensor([T(a).shape[0], T(a).shape[1], T(a, 'grid').shape[1], T(a, 'grid').shape[2]]));
  out.affine_grid = fn('affine_grid', 'theta, size, align_corners=None', (a) => { const s = intList(a.get('size')!, 'size'); return rt.tensor([s[0], ...s.slice(2), 2]); });
  out.multi_head_attention_forward = new Builtin('F.multi_head_attention_forward', () => new Unknown('F.multi_head_attention_forward: use nn.MultiheadAttention'));
  void it;
  return out;
}

function buildInit(rt: TorchRuntime): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const n of ['uniform_', 'normal_', 'constant_', 'ones_', 'zeros_', 'eye_', 'dirac_', 'xavier_uniform_', 'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'trunc_normal_', 'orthogonal_', 'sparse_', 'uniform', 'normal', 'constant', 'xavier_uniform', 'kaiming_normal', 'kaiming_uniform']) {
    out[n] = new Builtin(`init.${n}`, (a) => a[0] ?? null);
  }
  out.calculate_gain = new Builtin('init.calculate_gain', (a) => new PyFloat(a[0] === 'relu' ? Math.SQRT2 : a[0] === 'tanh' ? 5 / 3 : 1));
  out._calculate_fan_in_and_fan_out = new Builtin('init._calculate_fan_in_and_fan_out', (a) => {
    const t = toTensor(a[0], 'tensor');
    const rf = t.shape.slice(2).reduce<number>((p, q) => p * (q ?? 1), 1);
    return new PyTuple([(t.shape[1] ?? 1) * rf, (t.shape[0] ?? 1) * rf]);
  });
  void rt;
  return out;
}

function installTensorMethods(rt: TorchRuntime): void {
  const M = TENSOR_METHODS;
  const it = rt.it;
  const torchFn = (name: string): Value => it.nativeModule('torch')!.scope.vars.get(name)!;
  const viaTorch = (name: string): Method => (r, t, args, kw, ctx) => it.call(torchFn(name), [t, ...args], kw, ctx);
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
  M.set('element_size', (_r, t) => ({ float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1, complex64: 8 })[t.dtype]);
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
  M.set('flatten', (r, t, args, kw, ctx) => it.call(torchFn('flatten'), [t, ...args], kw, ctx));
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
  M.set('t', (r, t) => derive(r, t, [...t.shape].reverse(), 'transpose', { dims: [0, 1] }));
  for (const n of ['contiguous', 'clone', 'detach', 'cpu', 'cuda', 'requires_grad_', 'pin_memory', 'share_memory_', 'coalesce']) {
    M.set(n, (r, t, args, kw) => { if (n === 'requires_grad_') { t.requiresGrad = (args[0] ?? kw.get('requires_grad') ?? true) !== false; return t; } if (n === 'contiguous' || n === 'cpu' || n === 'cuda') return t; const o = derive(r, t, [...t.shape], n, {}, true); if (t.data) o.data = t.data; return o; });
  }
  for (const [n, dt] of [['float', 'float32'], ['double', 'float64'], ['half', 'float16'], ['bfloat16', 'bfloat16'], ['long', 'int64'], ['int', 'int32'], ['bool', 'bool'], ['short', 'int16'], ['byte', 'uint8']] as Array<[string, DType]>) {
    M.set(n, (r, t) => { const o = derive(r, t, [...t.shape], 'to', { dtype: dt }, true, dt); if (t.data) o.data = isFloatDtype(dt) ? t.data.map((x) => (dt === 'float32' ? Math.fround(x) : x)) : t.data.map(Math.trunc); return o; });
  }
  M.set('to', (r, t, args, kw) => {
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
  M.set('new_zeros', (r, t, args, kw) => r.tensor(sizeArgs(args), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_ones', (r, t, args, kw) => r.tensor(sizeArgs(args), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_empty', (r, t, args, kw) => r.tensor(sizeArgs(args), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_full', (r, t, args, kw) => r.tensor(sizeArgs([args[0]]), dtypeOf(kw.get('dtype'), t.dtype)));
  M.set('new_tensor', (_r, _t, args, kw, ctx) => it.call(torchFn('tensor'), args, kw, ctx));
  // in-place initialisers: the tensor keeps its shape (values are the numeric engine's business)
  for (const n of ['fill_', 'zero_', 'normal_', 'uniform_', 'copy_', 'bernoulli_', 'exponential_', 'random_', 'trunc_normal_', 'clamp_', 'sigmoid_', 'relu_', 'tanh_']) M.set(n, (_r, t) => t);
  const maskedFill: Method = (r, t, args, kw, ctx) => {
    const mask = args[0] ?? kw.get('mask')!, value = args[1] ?? kw.get('value')!;
    const out = elementwise(r, 'max', [t, mask], ctx);
    out.dtype = t.dtype; out.data = undefined;
    out.src = { op: 'masked_fill', inputs: [t, mask], attrs: { value: F.num(value) } };
    return out;
  };
  M.set('masked_fill', maskedFill);
  M.set('masked_fill_', maskedFill);
  M.set('chunk', viaTorch('chunk')); M.set('split', viaTorch('split'));
  M.set('transpose', viaTorch('transpose')); M.set('swapaxes', viaTorch('transpose'));
  M.set('squeeze', (r, t, args, kw, ctx) => it.call(torchFn('squeeze'), [t, ...args], kw, ctx));
  M.set('unsqueeze', viaTorch('unsqueeze'));
  M.set('matmul', viaTorch('matmul')); M.set('mm', viaTorch('mm')); M.set('bmm', viaTorch('bmm'));
  M.set('get_device', () => -1);
  M.set('is_contiguous', () => true);
  M.set('is_floating_point', (_r, t) => isFloatDtype(t.dtype));
  M.set('__len__', (r, t) => r.tensorLen(t));
  M.set('softmax', (r, t, args, kw, ctx) => it.call(torchFn('softmax'), [t, ...args], kw, ctx));
  M.set('log_softmax', (r, t, args, kw, ctx) => it.call(torchFn('log_softmax'), [t, ...args], kw, ctx));
  M.set('add', (r, t, args, kw, ctx) => elementwise(r, '+', [t, args[0] ?? kw.get('other')!], ctx));
  M.set('sub', (r, t, args, kw, ctx) => elementwise(r, '-', [t, args[0] ?? kw.get('other')!], ctx));
  M.set('mul', (r, t, args, kw, ctx) => elementwise(r, '*', [t, args[0] ?? kw.get('other')!], ctx));
  M.set('div', (r, t, args, kw, ctx) => elementwise(r, '/', [t, args[0] ?? kw.get('other')!], ctx));
  for (const n of ['add', 'sub', 'mul', 'div']) M.set(`${n}_`, (r, t, args, kw, ctx) => M.get(n)!(r, t, args, kw, ctx));
  M.set('pow', (r, t, args, _kw, ctx) => elementwise(r, '**', [t, args[0]], ctx));
  M.set('__getitem__', (r, t, args, _kw, ctx) => r.tensorGetItem(t, args[0], ctx));
}
