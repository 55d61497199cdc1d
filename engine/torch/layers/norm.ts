// Normalisation layers: BatchNorm1d/2d/3d, LayerNorm, RMSNorm, GroupNorm, InstanceNorm1d/2d/3d, LocalResponseNorm.
// Parameters γ (weight) and β (bias); BatchNorm's running_mean/running_var/num_batches_tracked are buffers.
import { PyException, PyFloat, PyTuple } from '../../interp/values';
import { batchNorm, fail, groupNorm, layerNorm, normLike, num, rmsNorm } from '../functional';
import { intList, toBool, toInt, toTensor } from '../sig';
import { shapeStr } from '../tensor';
import type { LayerInit, LayerSpec } from './spec';
import { stateOf } from '../moduleState';
import { traced } from '../trace';

const BN_SIG = 'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None';

function bnSpec(nd: number): LayerSpec {
  return {
    name: `BatchNorm${nd}d`, base: '_BatchNorm', kind: 'norm', sig: BN_SIG, sizes: { num_features: 'int' },
    config: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
    init(m) {
      const c = toInt(m.a.get('num_features')!, 'num_features');
      const affine = toBool(m.a.get('affine')!), track = toBool(m.a.get('track_running_stats')!);
      m.set('num_features', c); m.set('eps', m.a.get('eps')!); m.set('momentum', m.a.get('momentum')!);
      m.set('affine', affine); m.set('track_running_stats', track);
      m.param('weight', [c], affine);
      m.param('bias', [c], affine);
      m.buffer('running_mean', [c], 'float32', track);
      m.buffer('running_var', [c], 'float32', track);
      m.buffer('num_batches_tracked', [], 'int64', track);
    },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      const want = nd === 1 ? [2, 3] : [nd + 2];
      if (!want.includes(x.shape.length)) fail(m.ctx, `expected ${want.map((d) => `${d}D`).join(' or ')} input (got ${x.shape.length}D input)`);
      return batchNorm(m.rt, x, toInt(m.get('num_features'), 'num_features'), m.ctx, 'batch_norm', {
        inputs: [x, m.get('weight'), m.get('bias'), m.get('running_mean'), m.get('running_var')],
        attrs: { eps: num(m.get('eps')), momentum: m.get('momentum') === null ? null : num(m.get('momentum')), training: stateOf(m.self)!.training || m.get('running_mean') === null, module: m.self },
      });
    },
  };
}

function inSpec(nd: number): LayerSpec {
  return {
    name: `InstanceNorm${nd}d`, base: '_InstanceNorm', kind: 'norm', sizes: { num_features: 'int' }, sig: 'num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None',
    config: ['num_features', 'eps', 'affine'],
    init(m) {
      const c = toInt(m.a.get('num_features')!, 'num_features');
      const affine = toBool(m.a.get('affine')!), track = toBool(m.a.get('track_running_stats')!);
      m.set('num_features', c); m.set('eps', m.a.get('eps')!); m.set('momentum', m.a.get('momentum')!); m.set('affine', affine); m.set('track_running_stats', track);
      m.param('weight', [c], affine); m.param('bias', [c], affine);
      m.buffer('running_mean', [c], 'float32', track); m.buffer('running_var', [c], 'float32', track);
      m.buffer('num_batches_tracked', [], 'int64', track);
    },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      return normLike(m.rt, x, 'instance_norm', 5);
    },
  };
}

/** LayerNorm's and RMSNorm's shared constructor: normalized_shape, eps, elementwise_affine and the weight. */
function normalizedShapeInit(m: LayerInit): { shape: number[]; affine: boolean } {
  const shape = intList(m.a.get('normalized_shape')!, 'normalized_shape');
  const affine = toBool(m.a.get('elementwise_affine')!);
  m.set('normalized_shape', new PyTuple(shape)); m.set('eps', m.a.get('eps')!); m.set('elementwise_affine', affine);
  m.param('weight', shape, affine);
  return { shape, affine };
}

export const normSpecs: LayerSpec[] = [
  ...[1, 2, 3].map(bnSpec),
  { ...bnSpec(2), name: 'SyncBatchNorm', sig: 'num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, process_group=None, device=None, dtype=None' },
  ...[1, 2, 3].map(inSpec),
  {
    // bias= is 2.1+ (engine/torch/version.ts drops it from the signature under 1.13)
    name: 'LayerNorm', kind: 'norm', sizes: { normalized_shape: 'ints' }, sig: 'normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None',
    config: ['normalized_shape', 'eps', 'elementwise_affine'],
    init(m) {
      const { shape, affine } = normalizedShapeInit(m);
      m.param('bias', shape, affine && (!m.a.has('bias') || toBool(m.a.get('bias')!)));
    },
    forward: (m) => layerNorm(m.rt, toTensor(m.a.get('input')!, 'input'), intList(m.get('normalized_shape'), 'normalized_shape'), m.ctx, m.get('weight'), m.get('bias'), m.get('eps')),
  },
  {
    // 2.4+: weight only, x · rsqrt(mean(x², normalized dims) + eps) · weight
    name: 'RMSNorm', kind: 'norm', sizes: { normalized_shape: 'ints' }, sig: 'normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None',
    config: ['normalized_shape', 'eps', 'elementwise_affine'],
    init(m) { normalizedShapeInit(m); },
    forward: (m) => rmsNorm(m.rt, toTensor(m.a.get('input')!, 'input'), intList(m.get('normalized_shape'), 'normalized_shape'), m.ctx, m.get('weight'), m.get('eps')),
  },
  {
    name: 'GroupNorm', kind: 'norm', sizes: { num_groups: 'int', num_channels: 'int' }, sig: 'num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None',
    config: ['num_groups', 'num_channels', 'eps', 'affine'],
    init(m) {
      const g = toInt(m.a.get('num_groups')!, 'num_groups'), c = toInt(m.a.get('num_channels')!, 'num_channels');
      if (g === 0) throw new PyException('ZeroDivisionError', 'integer modulo by zero');
      if (c % g !== 0) throw new PyException('ValueError', 'num_channels must be divisible by num_groups');
      const affine = toBool(m.a.get('affine')!);
      m.set('num_groups', g); m.set('num_channels', c); m.set('eps', m.a.get('eps')!); m.set('affine', affine);
      m.param('weight', [c], affine); m.param('bias', [c], affine);
    },
    forward: (m) => groupNorm(m.rt, toTensor(m.a.get('input')!, 'input'), toInt(m.get('num_groups'), 'num_groups'), toInt(m.get('num_channels'), 'num_channels'), m.ctx, m.get('weight'), m.get('bias'), m.get('eps')),
  },
  {
    name: 'LocalResponseNorm', kind: 'norm', sig: 'size, alpha=0.0001, beta=0.75, k=1.0',
    config: ['size', 'alpha', 'beta', 'k'],
    init(m) { for (const n of ['size', 'alpha', 'beta', 'k']) m.set(n, m.a.get(n)!); },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      if (x.shape.length < 3) fail(m.ctx, `Expected 3D or higher dimensionality input (got ${x.shape.length} dimensions, shape ${shapeStr(x.shape)})`);
      const out = normLike(m.rt, x, 'local_response_norm', toInt(m.get('size'), 'size') + 3);
      out.src = traced('local_response_norm', [x], { size: toInt(m.get('size'), 'size'), alpha: num(m.get('alpha')), beta: num(m.get('beta')), k: num(m.get('k')) });
      return out;
    },
  },
];

export const EPS_DEFAULT = new PyFloat(1e-5);
