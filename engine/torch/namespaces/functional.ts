// torch.nn.functional: every F.* the analysis models, delegating to functional.ts for the shape
// rule, the checks and the cost; attributes recorded on the trace for the numeric replay.
import { Builtin, InterpError, PyTuple } from '../../interp/values';
import { pyStr } from '../../interp/ops';
import type { TorchRuntime } from '../runtime';
import { derive, getRf, setRf } from '../tensorOps';
import { TensorV, flattenShape, normDim } from '../tensor';
import { intList, signatureFor, toBool, toInt, toTensor } from '../sig';
import { withLoc, definer, tensorArg as T, type Members } from './common';
import * as F from '../functional';
import { multiHeadAttentionForward, scaledDotProductAttention } from '../attentionOps';
import { convOutputSize } from '../../ops/convShape';
import { activationTrace, traced } from '../trace';

/** torch.nn.functional, built from its parts in the order PyTorch documents them. */
export function functional(rt: TorchRuntime): Members {
  const out: Members = {};
  convPoolOps(rt, out);
  layerOps(rt, out);
  activationOps(rt, out);
  miscOps(rt, out);
  return out;
}

/** conv{1,2,3}d, conv_transpose{1,2,3}d, max/avg/adaptive pooling. */
export function convPoolOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'F');
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
      F.pool(rt, 'avg', T(a), { kernel: a.get('kernel_size')!, stride: a.get('stride')!, padding: a.get('padding')!, dilation: 1, ceilMode: toBool(a.get('ceil_mode')!) }, nd, ctx, toBool(a.get('count_include_pad')!)));
    out[`adaptive_avg_pool${nd}d`] = fn(`adaptive_avg_pool${nd}d`, 'input, output_size', (a, ctx) => F.adaptivePool(rt, 'avg', T(a), a.get('output_size')!, nd, ctx));
    out[`adaptive_max_pool${nd}d`] = fn(`adaptive_max_pool${nd}d`, 'input, output_size, return_indices=False', (a, ctx) => F.adaptivePool(rt, 'max', T(a), a.get('output_size')!, nd, ctx));
  }
}

/** linear, bilinear, interpolate/upsample, pad, the normalisations. */
export function layerOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'F');
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
  out.rms_norm = fn('rms_norm', 'input, normalized_shape, weight=None, eps=None', (a, ctx) => F.rmsNorm(rt, T(a), intList(a.get('normalized_shape')!, 'normalized_shape'), ctx, a.get('weight')!, a.get('eps')!));
  out.group_norm = fn('group_norm', 'input, num_groups, weight=None, bias=None, eps=1e-05', (a, ctx) => F.groupNorm(rt, T(a), toInt(a.get('num_groups')!, 'num_groups'), null, ctx, a.get('weight')!, a.get('bias')!, a.get('eps')!));
  out.instance_norm = fn('instance_norm', 'input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-05', (a) => F.normLike(rt, T(a), 'instance_norm', 5));
  out.local_response_norm = fn('local_response_norm', 'input, size, alpha=0.0001, beta=0.75, k=1.0', (a) => {
    const r = F.normLike(rt, T(a), 'local_response_norm', 8);
    r.src = traced('local_response_norm', [T(a)], { size: toInt(a.get('size')!, 'size'), alpha: F.num(a.get('alpha')!), beta: F.num(a.get('beta')!), k: F.num(a.get('k')!) });
    return r;
  });
  out.normalize = fn('normalize', 'input, p=2.0, dim=1, eps=1e-12, out=None', (a) => F.normLike(rt, T(a), 'normalize', 3));
}

/** Activations (op attributes recorded for replay), glu, softmax family, dropout, flatten. */
export function activationOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'F');
  const act = (name: string, sig: string, flops: number): void => {
    out[name] = fn(name, sig, (a) => {
      const r = F.activation(rt, T(a), name.replace(/_$/, ''), flops);
      r.src = activationTrace(name.replace(/_$/, ''), [T(a), ...(a.get('weight') instanceof TensorV ? [a.get('weight')!] : [])], (k) => a.get(k));
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
    out[n] = fn(n, 'input, p=0.5, training=True, inplace=False', (a) => setRf(derive(rt, T(a), [...T(a).shape], 'dropout', { p: F.num(a.get('p')!), training: a.get('training') !== false }), getRf(T(a))));
  }
  out.flatten = fn('flatten', 'input, start_dim=0, end_dim=-1', (a, ctx) => withLoc(ctx, () => derive(rt, T(a), flattenShape(T(a).shape, toInt(a.get('start_dim')!, 'start_dim'), toInt(a.get('end_dim')!, 'end_dim')), 'flatten')));
}

/** embedding, one_hot, pixel_shuffle, losses, scaled_dot_product_attention, unfold, grid ops. */
export function miscOps(rt: TorchRuntime, out: Members): void {
  const fn = definer(rt, 'F');
  out.embedding = fn('embedding', 'input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False', (a) => rt.tensor([...T(a).shape, T(a, 'weight').shape[1]]));
  out.one_hot = fn('one_hot', 'tensor, num_classes=-1', (a) => rt.tensor([...T(a, 'tensor').shape, toInt(a.get('num_classes')!, 'num_classes')], 'int64'));
  out.pixel_shuffle = fn('pixel_shuffle', 'input, upscale_factor', (a) => { const t = T(a); const r = toInt(a.get('upscale_factor')!, 'upscale_factor'); const s = t.shape; const k = s.length; return derive(rt, t, [...s.slice(0, k - 3), s[k - 3] === null ? null : s[k - 3]! / (r * r), s[k - 2] === null ? null : s[k - 2]! * r, s[k - 1] === null ? null : s[k - 1]! * r], 'pixel_shuffle'); });
  for (const n of ['cross_entropy', 'nll_loss', 'mse_loss', 'l1_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'smooth_l1_loss', 'kl_div']) {
    out[n] = new Builtin(`F.${n}`, (args, kw) => { const r = kw.get('reduction'); return r === 'none' ? rt.tensor([...toTensor(args[0], 'input').shape]) : rt.tensor([]); });
  }
  const sdpaSig = signatureFor('torch.nn.functional.scaled_dot_product_attention', 'query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False', rt.version);
  out.scaled_dot_product_attention = fn('scaled_dot_product_attention', sdpaSig, (a, ctx) => scaledDotProductAttention(rt, {
    query: T(a, 'query'), key: T(a, 'key'), value: T(a, 'value'), attnMask: a.get('attn_mask')!, dropoutP: F.num(a.get('dropout_p')!), isCausal: toBool(a.get('is_causal')!),
    scale: a.get('scale') ?? null, enableGqa: a.has('enable_gqa') && toBool(a.get('enable_gqa')!),
  }, ctx));
  out.unfold = fn('unfold', 'input, kernel_size, dilation=1, padding=0, stride=1', (a) => {
    const t = T(a); const k = intList(a.get('kernel_size')!, 'kernel_size'); const kk = k.length === 1 ? [k[0], k[0]] : k;
    const s = intList(a.get('stride')!, 'stride'); const ss = s.length === 1 ? [s[0], s[0]] : s;
    const p = intList(a.get('padding')!, 'padding'); const pp = p.length === 1 ? [p[0], p[0]] : p;
    const d = intList(a.get('dilation')!, 'dilation'); const dd = d.length === 1 ? [d[0], d[0]] : d;
    const L = t.shape.slice(2).reduce<number | null>((acc, x, i) => (acc === null || x === null ? null : acc * convOutputSize(x, kk[i], ss[i], 2 * pp[i], dd[i])), 1);
    return rt.tensor([t.shape[0], t.shape[1] === null ? null : t.shape[1]! * kk[0] * kk[1], L]);
  });
  out.grid_sample = fn('grid_sample', "input, grid, mode='bilinear', padding_mode='zeros', align_corners=None", (a) => rt.tensor([T(a).shape[0], T(a).shape[1], T(a, 'grid').shape[1], T(a, 'grid').shape[2]]));
  out.affine_grid = fn('affine_grid', 'theta, size, align_corners=None', (a) => { const s = intList(a.get('size')!, 'size'); return rt.tensor([s[0], ...s.slice(2), 2]); });
  const mhaSig = signatureFor('torch.nn.functional.multi_head_attention_forward', 'query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training=True, key_padding_mask=None, need_weights=True, attn_mask=None, use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True, is_causal=False', rt.version);
  out.multi_head_attention_forward = fn('multi_head_attention_forward', mhaSig, (a, ctx) => {
    if (a.get('static_k') !== null || a.get('static_v') !== null) throw new InterpError('F.multi_head_attention_forward with static_k/static_v is not modelled', ctx.file, ctx.s, ctx.e);
    return multiHeadAttentionForward(rt, {
      query: T(a, 'query'), key: T(a, 'key'), value: T(a, 'value'),
      embedDimToCheck: toInt(a.get('embed_dim_to_check')!, 'embed_dim_to_check'), numHeads: toInt(a.get('num_heads')!, 'num_heads'),
      inProjWeight: a.get('in_proj_weight')!, inProjBias: a.get('in_proj_bias')!, biasK: a.get('bias_k')!, biasV: a.get('bias_v')!,
      addZeroAttn: toBool(a.get('add_zero_attn')!), outProjWeight: T(a, 'out_proj_weight'), outProjBias: a.get('out_proj_bias')!,
      needWeights: toBool(a.get('need_weights')!), averageWeights: toBool(a.get('average_attn_weights')!),
      useSeparateProjWeight: toBool(a.get('use_separate_proj_weight')!),
      qProjWeight: a.get('q_proj_weight')!, kProjWeight: a.get('k_proj_weight')!, vProjWeight: a.get('v_proj_weight')!,
      attnMask: a.get('attn_mask')!, keyPaddingMask: a.get('key_padding_mask')!,
      dropoutP: F.num(a.get('dropout_p')!), training: toBool(a.get('training')!),
    }, ctx);
  });
}
