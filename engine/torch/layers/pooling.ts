// Pooling layers: MaxPool/AvgPool 1d/2d/3d, AdaptiveAvgPool/AdaptiveMaxPool 1d/2d/3d, LPPool.
// Attributes keep the user's form (an int stays an int), as PyTorch's pooling modules do.
import { PyTuple } from '../../interp/values';
import { adaptivePool, pool } from '../functional';
import { toBool, toTensor } from '../sig';
import type { LayerSpec } from './spec';
import { reportAdaptiveSize, reportPoolGeometry } from './validate';

function maxPoolSpec(nd: number): LayerSpec {
  return {
    name: `MaxPool${nd}d`, base: '_MaxPoolNd', kind: 'pool', sig: 'kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False',
    config: ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode'],
    init(m) {
      for (const n of ['kernel_size', 'padding', 'dilation', 'return_indices', 'ceil_mode']) m.set(n, m.a.get(n)!);
      reportPoolGeometry(m.rt.it, nd, m.a, m.sig, m.ctx);
      const s = m.a.get('stride')!;
      m.set('stride', s === null ? m.a.get('kernel_size')! : s);
    },
    forward(m) {
      const out = pool(m.rt, 'max', toTensor(m.a.get('input')!, 'input'), {
        kernel: m.get('kernel_size'), stride: m.get('stride'), padding: m.get('padding'), dilation: m.get('dilation'), ceilMode: toBool(m.get('ceil_mode')),
      }, nd, m.ctx);
      return m.get('return_indices') === true ? new PyTuple([out, m.rt.tensor(out.shape, 'int64')]) : out;
    },
  };
}

function avgPoolSpec(nd: number): LayerSpec {
  return {
    name: `AvgPool${nd}d`, base: '_AvgPoolNd', kind: 'pool',
    sig: nd === 1 ? 'kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True' : 'kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None',
    config: ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'],
    init(m) {
      for (const n of ['kernel_size', 'padding', 'ceil_mode', 'count_include_pad']) m.set(n, m.a.get(n)!);
      if (nd > 1) m.set('divisor_override', m.a.get('divisor_override')!);
      reportPoolGeometry(m.rt.it, nd, m.a, m.sig, m.ctx);
      const s = m.a.get('stride')!;
      m.set('stride', s === null ? m.a.get('kernel_size')! : s);
    },
    forward: (m) => pool(m.rt, 'avg', toTensor(m.a.get('input')!, 'input'), {
      kernel: m.get('kernel_size'), stride: m.get('stride'), padding: m.get('padding'), dilation: 1, ceilMode: toBool(m.get('ceil_mode')),
    }, nd, m.ctx, toBool(m.get('count_include_pad'))),
  };
}

function adaptiveSpec(kind: 'avg' | 'max', nd: number): LayerSpec {
  return {
    name: `Adaptive${kind === 'avg' ? 'Avg' : 'Max'}Pool${nd}d`, kind: 'pool', sig: kind === 'max' ? 'output_size, return_indices=False' : 'output_size',
    config: ['output_size'],
    init(m) {
      m.set('output_size', m.a.get('output_size')!);
      if (kind === 'max') m.set('return_indices', m.a.get('return_indices')!);
      reportAdaptiveSize(m.rt.it, kind, nd, m.a, m.sig, m.ctx);
    },
    forward: (m) => adaptivePool(m.rt, kind, toTensor(m.a.get('input')!, 'input'), m.get('output_size'), nd, m.ctx),
  };
}

export const poolingSpecs: LayerSpec[] = [1, 2, 3].flatMap((nd) => [maxPoolSpec(nd), avgPoolSpec(nd), adaptiveSpec('avg', nd), adaptiveSpec('max', nd)]);
