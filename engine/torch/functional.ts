// The functional ops behind torch.*, F.* and nn layers: each owns its shape rule, its checks (the messages
// PyTorch would raise), its MACs/FLOPs and the terms rows carry (geometry, cost factors: terms.ts).
// Layers call these, so a rule exists once. Geometry comes from engine/ops/convShape.ts.
import type { TorchRuntime } from './runtime';
import { PyException, PyList, PyTuple, Unknown, type CallCtx, type Value } from '../interp/values';
import { convNdSpatial, convTransposeOutputSize, poolLastWindowDropped, poolOutputSize, resolveConvPadding } from '../ops/convShape';
import { costMacs, costTerms, factor, ratio, spatialNames } from './terms';
import { TensorV, catShape, numel, shapeError, shapeStr, type DType } from './tensor';
import { derive, getRf, located, mapData, setRf, type RF } from './tensorOps';
import { intList, toInt, toInts } from './sig';
import { traced, type BatchNormTraceAttrs } from './trace';
import type { Conv2dAttrs } from '../ops/conv2d';
import type { Dim, LayerGeometry, Shape } from '../api';
import { convGeometryError, ntuple, poolGeometryError } from './layers/validate';

export interface ConvArgs {
  stride: Value; padding: Value; dilation: Value; groups: number;
  /** For hovers and diagnostics: a name for the error messages. */
  what?: string;
}

function fail(ctx: CallCtx, msg: string, code = 'shape'): never {
  throw Object.assign(new PyException('RuntimeError', msg, null, ctx.file, ctx.s, ctx.e), { shapeCode: code });
}

function spatialRfIn(x: TensorV, nd: number): RF {
  return getRf(x) ?? { size: Array(nd).fill(1), jump: Array(nd).fill(1) };
}

/** Convolution N-d. Returns the output; reports MACs = N·C_out·Π out·(C_in/groups)·Π k (its cost terms). */
export function conv(rt: TorchRuntime, x: TensorV, w: TensorV, b: Value, a: ConvArgs, nd: number, ctx: CallCtx): TensorV {
  const batched = x.shape.length === nd + 2;
  if (!batched && x.shape.length !== nd + 1) {
    fail(ctx, `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to conv${nd}d, but got input of size: ${shapeStr(x.shape)}`);
  }
  const k = w.shape.slice(2) as number[];
  // PyTorch's parameter checks (kernel, stride, padding, dilation and their lengths) come first
  const badGeometry = convGeometryError(nd, { kernel: k, stride: ntuple(a.stride, nd, 'stride'), padding: typeof a.padding === 'string' ? undefined : ntuple(a.padding, nd, 'padding'), dilation: ntuple(a.dilation, nd, 'dilation'), transposed: false });
  if (badGeometry) fail(ctx, badGeometry, 'args');
  const xs = batched ? x.shape : [1, ...x.shape];
  const cinPerGroup = w.shape[1] as number;
  const cout = w.shape[0] as number;
  const cin = xs[1];
  if (cin !== null && cin !== cinPerGroup * a.groups) {
    fail(ctx, `Given groups=${a.groups}, weight of size ${shapeStr(w.shape)}, expected input${shapeStr(x.shape)} to have ${cinPerGroup * a.groups} channels, but got ${cin} channels instead`, 'channels');
  }
  const stride = toInts(a.stride, nd, 'stride');
  const dilation = toInts(a.dilation, nd, 'dilation');
  if (typeof a.padding === 'string' && a.padding !== 'same' && a.padding !== 'valid') fail(ctx, `Invalid padding string '${a.padding}'`);
  let pads: Array<[number, number]>;
  try {
    pads = resolveConvPadding(typeof a.padding === 'string' ? a.padding as 'same' | 'valid' : toInts(a.padding, nd, 'padding'), k, stride, dilation);
  } catch (err) {
    if (err instanceof PyException) throw err;
    fail(ctx, (err as Error).message);
  }
  const spatial = convNdSpatial(xs.slice(2), { kernel: k, stride, padding: pads, dilation });
  spatial.forEach((s, i) => {
    if (s !== null && s <= 0) {
      fail(ctx, `Calculated output size ${shapeStr(spatial)} is too small: input ${shapeStr(xs.slice(2))}, kernel ${shapeStr(k)} (dilation ${dilation[i]}), padding ${pads[i][0]}, stride ${stride[i]}`, 'nonpositive');
    }
  });
  const outShape: Shape = batched ? [xs[0], cout, ...spatial] : [cout, ...spatial];
  const out = rt.tensor(outShape, x.dtype, traced(`conv${nd}d` as 'conv2d', [x, w, b], { stride, padding: kernelPadding(nd, pads), dilation, groups: a.groups }));
  const rf = spatialRfIn(x, nd);
  setRf(out, { size: rf.size.map((s, i) => s + (k[i] - 1) * dilation[i] * rf.jump[i]), jump: rf.jump.map((j, i) => j * stride[i]) });
  const kNames = spatialNames(nd, '').map((n) => `K_${n}`);
  const geometry: LayerGeometry = { op: 'conv', kernel: k, stride, padding: pads, dilation, groups: a.groups, inputSize: xs.slice(2), outputSize: spatial };
  const cost = costTerms(
    [factor('N', xs[0]), factor('C_out', cout), ...spatial.map((s, i) => factor(spatialNames(nd, '_out')[i], s)), ratio('C_in/groups', cinPerGroup * a.groups, a.groups), ...k.map((kk, i) => factor(kNames[i], kk))],
    [factor('C_out', cout), ratio('C_in/groups', cinPerGroup * a.groups, a.groups), ...k.map((kk, i) => factor(kNames[i], kk))],
    b instanceof TensorV ? numel(b.shape) ?? 0 : 0,
  );
  const n = numel(outShape);
  const macs = costMacs(cost);
  rt.addCost(macs, macs === null ? null : 2 * macs + (b instanceof TensorV ? n! : 0), { geometry, cost });
  return out;
}

/**
 * Resolved padding in the form the kernels take: one size per dim when symmetric; otherwise the pairs
 * (conv2d), 'same' (conv1d: only 'same' pads unevenly) or the pairs conv3d's replay refuses.
 */
function kernelPadding(nd: number, pads: Array<[number, number]>): Conv2dAttrs['padding'] {
  if (pads.every(([a, b]) => a === b)) return pads.map(([a]) => a);
  return nd === 1 ? 'same' : pads;
}

export function convTranspose(rt: TorchRuntime, x: TensorV, w: TensorV, b: Value, a: ConvArgs & { outputPadding: Value }, nd: number, ctx: CallCtx): TensorV {
  const batched = x.shape.length === nd + 2;
  const k = w.shape.slice(2) as number[];
  const badGeometry = convGeometryError(nd, { kernel: k, stride: ntuple(a.stride, nd, 'stride'), padding: ntuple(a.padding, nd, 'padding'), dilation: ntuple(a.dilation, nd, 'dilation'), outputPadding: ntuple(a.outputPadding, nd, 'output_padding'), transposed: true });
  if (badGeometry) fail(ctx, badGeometry, 'args');
  const xs = batched ? x.shape : [1, ...x.shape];
  const cin = w.shape[0] as number;
  if (xs[1] !== null && xs[1] !== cin) {
    fail(ctx, `Given transposed=1, weight of size ${shapeStr(w.shape)}, expected input${shapeStr(x.shape)} to have ${cin} channels, but got ${xs[1]} channels instead`, 'channels');
  }
  const cout = (w.shape[1] as number) * a.groups;
  const stride = toInts(a.stride, nd, 'stride');
  const padding = toInts(a.padding, nd, 'padding');
  const dilation = toInts(a.dilation, nd, 'dilation');
  const op = toInts(a.outputPadding, nd, 'output_padding');
  const spatial = xs.slice(2).map((s, i) => (s === null ? null : convTransposeOutputSize(s, k[i], stride[i], padding[i], dilation[i], op[i])));
  const outShape: Shape = batched ? [xs[0], cout, ...spatial] : [cout, ...spatial];
  const out = rt.tensor(outShape, x.dtype, traced(`conv_transpose${nd}d` as 'conv_transpose2d', [x, w, b], { stride, padding, dilation, output_padding: op, groups: a.groups }));
  const geometry: LayerGeometry = { op: 'conv_transpose', kernel: k, stride, padding: padding.map((p) => [p, p]), dilation, groups: a.groups, outputPadding: op, inputSize: xs.slice(2), outputSize: spatial };
  const kNames = spatialNames(nd, '').map((n) => `K_${n}`);
  const cost = costTerms(
    [factor('N', xs[0]), factor('C_in', xs[1]), ...xs.slice(2).map((s, i) => factor(spatialNames(nd, '_in')[i], s)), ratio('C_out/groups', cout, a.groups), ...k.map((kk, i) => factor(kNames[i], kk))],
    [factor('C_in', cin), ratio('C_out/groups', cout, a.groups), ...k.map((kk, i) => factor(kNames[i], kk))],
    b instanceof TensorV ? numel(b.shape) ?? 0 : 0,
  );
  const macs = costMacs(cost);
  const nOut = numel(outShape);
  rt.addCost(macs, macs === null || nOut === null ? null : 2 * macs + (b instanceof TensorV ? nOut : 0), { geometry, cost });
  return out;
}

export function linear(rt: TorchRuntime, x: TensorV, w: TensorV, b: Value, ctx: CallCtx): TensorV {
  const inF = w.shape[w.shape.length - 1];
  const outF = w.shape.length === 2 ? w.shape[0] : null;
  const last = x.shape[x.shape.length - 1];
  if (x.shape.length === 0) fail(ctx, 'linear: input must have at least one dimension');
  if (last !== null && inF !== null && last !== inF) {
    const rows = numel(x.shape.slice(0, -1));
    fail(ctx, `mat1 and mat2 shapes cannot be multiplied (${rows ?? '?'}x${last} and ${inF}x${outF ?? '?'})`, 'features');
  }
  const outShape: Shape = w.shape.length === 2 ? [...x.shape.slice(0, -1), outF] : x.shape.slice(0, -1);
  const out = rt.tensor(outShape, x.dtype, { op: 'linear', inputs: [x, w, b] });
  const n = numel(outShape);
  const outFactor = w.shape.length === 2 ? [factor('out_features', outF)] : [];
  const cost = costTerms([factor('N', numel(x.shape.slice(0, -1))), factor('in_features', inF), ...outFactor], [...outFactor, factor('in_features', inF)], b instanceof TensorV ? numel(b.shape) ?? 0 : 0);
  const macs = costMacs(cost);
  rt.addCost(macs, macs === null ? null : 2 * macs + (b instanceof TensorV ? n! : 0), { cost });
  return out;
}

export interface PoolArgs { kernel: Value; stride: Value; padding: Value; dilation: Value; ceilMode: boolean }

export function pool(rt: TorchRuntime, kind: 'max' | 'avg', x: TensorV, a: PoolArgs, nd: number, ctx: CallCtx, countIncludePad = true): TensorV {
  if (x.shape.length !== nd + 1 && x.shape.length !== nd + 2) {
    fail(ctx, `${kind}_pool${nd}d: expected ${nd + 1}D or ${nd + 2}D input, but got input of size ${shapeStr(x.shape)}`);
  }
  const k = toInts(a.kernel, nd, 'kernel_size');
  const stride = a.stride === null || (a.stride instanceof PyList && !a.stride.items.length) || (a.stride instanceof PyTuple && !a.stride.items.length) ? k : toInts(a.stride, nd, 'stride');
  const padding = toInts(a.padding, nd, 'padding');
  const dilation = toInts(a.dilation, nd, 'dilation');
  const badGeometry = poolGeometryError(k, stride, padding, dilation);
  if (badGeometry) fail(ctx, badGeometry, 'args');
  padding.forEach((p, i) => {
    if (p > ((k[i] - 1) * dilation[i] + 1) / 2) fail(ctx, `pad should be at most half of effective kernel size, but got pad=${p}, kernel_size=${k[i]} and dilation=${dilation[i]}`);
  });
  const lead = x.shape.slice(0, x.shape.length - nd);
  const spatial = x.shape.slice(-nd).map((s, i) => (s === null ? null : poolOutputSize(s, k[i], stride[i], padding[i], dilation[i], a.ceilMode)));
  spatial.forEach((s) => { if (s !== null && s <= 0) fail(ctx, `Given input size ${shapeStr(x.shape)}, calculated output size ${shapeStr([...lead, ...spatial])} is too small`, 'nonpositive'); });
  const outShape = [...lead, ...spatial];
  const window = { kernel_size: k, stride, padding, ceil_mode: a.ceilMode };
  const out = rt.tensor(outShape, x.dtype, kind === 'max'
    ? traced(`max_pool${nd}d` as 'max_pool2d', [x], { ...window, dilation })
    : traced(`avg_pool${nd}d` as 'avg_pool2d', [x], { ...window, count_include_pad: countIncludePad }));
  const rf = spatialRfIn(x, nd);
  setRf(out, { size: rf.size.map((s, i) => s + (k[i] - 1) * dilation[i] * rf.jump[i]), jump: rf.jump.map((j, i) => j * stride[i]) });
  const inSp = x.shape.slice(-nd);
  const geometry: LayerGeometry = {
    op: kind === 'max' ? 'max_pool' : 'avg_pool', kernel: k, stride, padding: padding.map((p) => [p, p]), dilation, groups: 1, ceilMode: a.ceilMode,
    droppedLastWindow: inSp.map((s, i) => s !== null && poolLastWindowDropped(s, k[i], stride[i], padding[i], dilation[i], a.ceilMode)),
    inputSize: inSp, outputSize: spatial,
  };
  const n = numel(outShape);
  rt.addCost(0, n === null ? null : n * k.reduce((p, q) => p * q, 1), { geometry });
  return out;
}

export function adaptivePool(rt: TorchRuntime, kind: 'max' | 'avg', x: TensorV, size: Value, nd: number, ctx: CallCtx): TensorV {
  if (x.shape.length !== nd + 1 && x.shape.length !== nd + 2) fail(ctx, `adaptive_${kind}_pool${nd}d: expected ${nd + 1}D or ${nd + 2}D input, got ${shapeStr(x.shape)}`);
  const items = size instanceof PyTuple || size instanceof PyList ? size.items : Array(nd).fill(size);
  if (items.length !== nd) fail(ctx, `adaptive_${kind}_pool${nd}d: output_size must be ${nd} elements`);
  const inSp = x.shape.slice(-nd);
  const spatial = items.map((v, i) => (v === null ? inSp[i] : toInt(v, 'output_size')));
  if (spatial.some((s) => s !== null && s < 0)) fail(ctx, `adaptive_${kind}_pool${nd}d: elements of output_size must be greater than or equal to 0 but received {${spatial.map((s) => s ?? '?').join(', ')}}`, 'args');
  const outShape = [...x.shape.slice(0, x.shape.length - nd), ...spatial];
  const out = rt.tensor(outShape, x.dtype, traced(`adaptive_${kind}_pool${nd}d` as 'adaptive_avg_pool2d', [x], { output_size: spatial.length === 1 ? spatial[0] : spatial }));
  const n = numel(x.shape);
  rt.addCost(0, n);
  return out;
}

export function interpolate(rt: TorchRuntime, x: TensorV, size: Value, scale: Value, mode: string, ctx: CallCtx, alignCorners: Value = null): TensorV {
  const nd = x.shape.length - 2;
  if (nd < 1) fail(ctx, `interpolate: expected a batched input with spatial dims, got ${shapeStr(x.shape)}`);
  let spatial: Dim[];
  let scales: number[] | null = null;
  if (size !== null) spatial = intList(size, 'size').length === 1 && nd > 1 ? Array(nd).fill(intList(size, 'size')[0]) : intList(size, 'size');
  else if (scale !== null) {
    const s = scale instanceof PyTuple || scale instanceof PyList ? scale.items.map((v) => toNumber(v)) : Array(nd).fill(toNumber(scale));
    scales = s;
    spatial = x.shape.slice(2).map((d, i) => (d === null ? null : Math.floor(d * s[i])));
  } else fail(ctx, 'either size or scale_factor should be defined');
  const target = scales ? { scale_factor: scales } : { size: spatial as number[] };
  const src = mode === 'nearest' ? traced('upsample_nearest', [x], target)
    : mode === 'bilinear' ? traced('upsample_bilinear2d', [x], { ...target, align_corners: alignCorners === true })
    : { op: `upsample_${mode}`, inputs: [x] };
  const out = rt.tensor([x.shape[0], x.shape[1], ...spatial], x.dtype, src);
  const n = numel(out.shape);
  rt.addCost(0, n === null ? null : n * (mode === 'nearest' ? 0 : 4 * nd));
  return out;
}

/** A Python number (int/float) as a JS number, for op attributes. */
export function num(v: Value): number { return toNumber(v); }

function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'v' in v) return (v as { v: number }).v;
  if (v instanceof Unknown) throw Object.assign(new PyException('RuntimeError', `scale factor is unknown (${v.reason})`));
  return Number(v);
}

export function pad(rt: TorchRuntime, x: TensorV, padV: Value, ctx: CallCtx, mode = 'constant', value = 0): TensorV {
  const p = intList(padV, 'pad');
  if (p.length % 2 !== 0 || p.length / 2 > x.shape.length) fail(ctx, 'Padding length must be divisible by 2 and at most twice the number of dimensions');
  const out = [...x.shape];
  for (let i = 0; i < p.length / 2; i++) {
    const d = out.length - 1 - i;
    const cur = out[d];
    out[d] = cur === null ? null : cur + p[2 * i] + p[2 * i + 1];
  }
  const r = derive(rt, x, out, 'pad', { pad: p, mode, value }, true);
  return r;
}

/** Normalisation layers keep the shape; check the channel/feature dims against the parameters. */
export function batchNorm(rt: TorchRuntime, x: TensorV, numFeatures: number | null, ctx: CallCtx, what = 'batch_norm', src?: { inputs: Value[]; attrs: BatchNormTraceAttrs }): TensorV {
  if (x.shape.length < 2) fail(ctx, `${what}: expected at least 2D input (got ${x.shape.length}D input)`);
  const c = x.shape[1];
  if (numFeatures !== null && c !== null && c !== numFeatures) {
    fail(ctx, `running_mean should contain ${c} elements not ${numFeatures}`, 'bnfeatures');
  }
  const out = mapData(rt, x, what, undefined, undefined, 2);
  if (src) out.src = traced('batch_norm', src.inputs, src.attrs);
  return out;
}

export function normLike(rt: TorchRuntime, x: TensorV, op: string, flopsPerElem: number): TensorV {
  return mapData(rt, x, op, undefined, undefined, flopsPerElem);
}

export function layerNorm(rt: TorchRuntime, x: TensorV, normalized: number[], ctx: CallCtx, weight: Value = null, bias: Value = null, eps: Value = null): TensorV {
  const tail = x.shape.slice(x.shape.length - normalized.length);
  if (tail.length !== normalized.length || tail.some((d, i) => d !== null && d !== normalized[i])) {
    fail(ctx, `Given normalized_shape=${shapeStr(normalized)}, expected input with shape [*, ${normalized.join(', ')}], but got input of size${shapeStr(x.shape)}`, 'features');
  }
  const out = mapData(rt, x, 'layer_norm', undefined, undefined, 5);
  out.src = traced('layer_norm', [x, weight, bias], { normalized_shape: normalized, eps: eps === null ? 1e-5 : num(eps) });
  return out;
}

export function rmsNorm(rt: TorchRuntime, x: TensorV, normalized: number[], ctx: CallCtx, weight: Value = null, eps: Value = null): TensorV {
  const tail = x.shape.slice(x.shape.length - normalized.length);
  if (tail.length !== normalized.length || tail.some((d, i) => d !== null && d !== normalized[i])) {
    fail(ctx, `Given normalized_shape=${shapeStr(normalized)}, expected input with shape [*, ${normalized.join(', ')}], but got input of size${shapeStr(x.shape)}`, 'features');
  }
  const out = mapData(rt, x, 'rms_norm', undefined, undefined, 4);
  out.src = { op: 'rms_norm', inputs: [x, weight], attrs: { normalized_shape: normalized, eps: eps === null ? null : num(eps) } };
  return out;
}

export function groupNorm(rt: TorchRuntime, x: TensorV, groups: number, channels: number | null, ctx: CallCtx, weight: Value = null, bias: Value = null, eps: Value = null): TensorV {
  const c = x.shape[1];
  if (c !== null && c !== undefined && c % groups !== 0) fail(ctx, `Expected number of channels in input to be divisible by num_groups, but got input of shape ${shapeStr(x.shape)} and num_groups=${groups}`);
  if (channels !== null && c !== null && c !== channels) fail(ctx, `Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${channels}] and input of shape ${shapeStr(x.shape)}`, 'features');
  const out = mapData(rt, x, 'group_norm', undefined, undefined, 5);
  out.src = traced('group_norm', [x, weight, bias], { num_groups: groups, eps: eps === null ? 1e-5 : num(eps) });
  return out;
}

export function activation(rt: TorchRuntime, x: TensorV, op: string, flops = 1, fn?: (v: number) => number): TensorV {
  return mapData(rt, x, op, fn, undefined, flops);
}

export function softmax(rt: TorchRuntime, x: TensorV, dim: Value, op: string): TensorV {
  const d = dim === null ? (x.shape.length <= 1 || x.shape.length === 3 ? 0 : 1) : toInt(dim, 'dim');
  const out = mapData(rt, x, op, undefined, undefined, 3);
  out.src = traced(op as 'softmax', [x], { dim: d });
  return out;
}

export function cat(rt: TorchRuntime, tensors: Value, dim: number, ctx: CallCtx, op = 'cat'): TensorV {
  const list = tensors instanceof PyList || tensors instanceof PyTuple ? tensors.items : [];
  if (!list.length) fail(ctx, `${op}(): expected a non-empty list of Tensors`);
  const ts = list.map((t) => {
    if (t instanceof TensorV) return t;
    throw new PyException('TypeError', `expected Tensor as element in argument 0, but got ${t instanceof Unknown ? 'an unknown value' : typeof t}`, null, ctx.file, ctx.s, ctx.e);
  });
  let shape: Shape;
  try {
    if (op === 'stack') {
      const ref = ts[0].shape;
      for (const t of ts) if (t.shape.length !== ref.length || t.shape.some((d, i) => d !== null && ref[i] !== null && d !== ref[i])) fail(ctx, `stack expects each tensor to be equal size, but got ${shapeStr(ref)} at entry 0 and ${shapeStr(t.shape)} at entry ${ts.indexOf(t)}`, 'cat');
      const d = dim < 0 ? dim + ref.length + 1 : dim;
      shape = [...ref.slice(0, d), ts.length, ...ref.slice(d)];
    } else shape = catShape(ts.map((t) => t.shape), dim);
  } catch (err) {
    if (err instanceof PyException && !(err as { shapeCode?: string }).shapeCode) Object.assign(err, { shapeCode: 'cat' });
    throw located(err, ctx);
  }
  let dtype: DType = ts[0].dtype;
  for (const t of ts) if (t.dtype !== dtype && t.dtype.startsWith('float')) dtype = t.dtype;
  const out = rt.tensor(shape, dtype, op === 'cat' ? traced('cat', ts, { dim }) : { op, inputs: ts, attrs: { dim } });
  if (op === 'cat' && ts.every((t) => t.shape.length === shape.length)) {
    let rf: RF | undefined;
    for (const t of ts) { const r = getRf(t); if (r) rf = rf ? { size: rf.size.map((s, i) => Math.max(s, r.size[i])), jump: rf.jump.map((j, i) => Math.max(j, r.jump[i])) } : r; }
    setRf(out, rf);
  }
  if (ts.every((t) => t.data) && shape.length === 1 && op === 'cat') out.data = ts.flatMap((t) => t.data!);
  return out;
}

export { shapeError, fail };
