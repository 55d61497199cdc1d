// Layers that move or pad data without weights: Dropout*, Flatten, Unflatten, Upsample, padding layers,
// PixelShuffle/Unshuffle, ChannelShuffle. Zero MACs by the contract.
import { PyTuple } from '../../interp/values';
import { fail, interpolate, num, pad } from '../functional';
import { derive, getRf, setRf } from '../tensorOps';
import { intList, toInt, toTensor } from '../sig';
import { flattenShape, shapeStr, viewShape } from '../tensor';
import type { LayerSpec } from './spec';
import { stateOf } from '../moduleState';

const dropout = (name: string): LayerSpec => ({
  name, base: '_DropoutNd', kind: 'dropout', sig: 'p=0.5, inplace=False', config: ['p'],
  init(m) { m.set('p', m.a.get('p')!); m.set('inplace', m.a.get('inplace')!); },
  forward(m) {
    const x = toTensor(m.a.get('input')!, 'input');
    return setRf(derive(m.rt, x, [...x.shape], 'dropout', { p: num(m.get('p')), training: stateOf(m.self)!.training }), getRf(x));
  },
});

function padSpec(name: string, nd: number, constant: boolean): LayerSpec {
  return {
    name, kind: 'shape', sig: constant && !name.startsWith('Zero') ? 'padding, value' : 'padding', config: ['padding'],
    init(m) {
      const p = m.a.get('padding')!;
      const list = p instanceof PyTuple || (p && typeof p === 'object' && 'items' in p) ? intList(p, 'padding') : Array(2 * nd).fill(toInt(p, 'padding'));
      m.set('padding', new PyTuple(list));
      m.set('value', m.a.get('value') ?? 0);
    },
    forward: (m) => pad(m.rt, toTensor(m.a.get('input')!, 'input'), m.get('padding'), m.ctx, name.startsWith('Reflection') ? 'reflect' : name.startsWith('Replication') ? 'replicate' : 'constant', typeof m.get('value') === 'number' ? (m.get('value') as number) : 0),
  };
}

export const shapeSpecs: LayerSpec[] = [
  ...['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'].map(dropout),
  {
    name: 'Flatten', kind: 'shape', sig: 'start_dim=1, end_dim=-1', config: ['start_dim', 'end_dim'],
    init(m) { m.set('start_dim', m.a.get('start_dim')!); m.set('end_dim', m.a.get('end_dim')!); },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      const s = toInt(m.get('start_dim'), 'start_dim'), e = toInt(m.get('end_dim'), 'end_dim');
      return derive(m.rt, x, flattenShape(x.shape, s, e), 'flatten', { startDim: s, endDim: e });
    },
  },
  {
    name: 'Unflatten', kind: 'shape', sig: 'dim, unflattened_size', config: ['dim', 'unflattened_size'],
    init(m) { m.set('dim', m.a.get('dim')!); m.set('unflattened_size', m.a.get('unflattened_size')!); },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      const d0 = toInt(m.get('dim'), 'dim');
      const d = d0 < 0 ? d0 + x.shape.length : d0;
      const sizes = viewShape([x.shape[d]], intList(m.get('unflattened_size'), 'unflattened_size'));
      return derive(m.rt, x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)], 'reshape');
    },
  },
  ...['Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d'].map((name): LayerSpec => ({
    name, kind: 'shape', sig: name === 'Upsample' ? "size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None" : 'size=None, scale_factor=None',
    config: ['size', 'scale_factor', 'mode', 'align_corners'],
    init(m) {
      m.set('size', m.a.get('size')!); m.set('scale_factor', m.a.get('scale_factor')!);
      m.set('mode', name === 'UpsamplingBilinear2d' ? 'bilinear' : (m.a.get('mode') ?? 'nearest'));
      m.set('align_corners', name === 'UpsamplingBilinear2d' ? true : (m.a.get('align_corners') ?? null));
    },
    forward: (m) => interpolate(m.rt, toTensor(m.a.get('input')!, 'input'), m.get('size'), m.get('scale_factor'), String(m.get('mode')), m.ctx, m.get('align_corners')),
  })),
  ...[1, 2, 3].flatMap((nd) => [
    padSpec(`ZeroPad${nd}d`, nd, true), padSpec(`ConstantPad${nd}d`, nd, true),
    padSpec(`ReflectionPad${nd}d`, nd, false), padSpec(`ReplicationPad${nd}d`, nd, false),
  ]),
  {
    name: 'PixelShuffle', kind: 'shape', sig: 'upscale_factor', config: ['upscale_factor'],
    init(m) { m.set('upscale_factor', m.a.get('upscale_factor')!); },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      const r = toInt(m.get('upscale_factor'), 'upscale_factor');
      const [n, c, h, w] = x.shape.slice(-4).length === 4 ? x.shape.slice(-4) : [null, ...x.shape.slice(-3)];
      if (c !== null && c % (r * r) !== 0) fail(m.ctx, `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
      const lead = x.shape.length === 4 ? [n] : [];
      return derive(m.rt, x, [...lead, c === null ? null : c / (r * r), h === null ? null : h * r, w === null ? null : w * r], 'pixel_shuffle', { r });
    },
  },
  {
    name: 'PixelUnshuffle', kind: 'shape', sig: 'downscale_factor', config: ['downscale_factor'],
    init(m) { m.set('downscale_factor', m.a.get('downscale_factor')!); },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      const r = toInt(m.get('downscale_factor'), 'downscale_factor');
      const s = x.shape;
      const k = s.length;
      if ((s[k - 1] ?? 0) % r || (s[k - 2] ?? 0) % r) fail(m.ctx, `pixel_unshuffle expects height and width divisible by ${r}, got ${shapeStr(s)}`);
      return derive(m.rt, x, [...s.slice(0, k - 3), s[k - 3] === null ? null : s[k - 3]! * r * r, s[k - 2] === null ? null : s[k - 2]! / r, s[k - 1] === null ? null : s[k - 1]! / r], 'pixel_unshuffle', { r });
    },
  },
  {
    name: 'ChannelShuffle', kind: 'shape', sig: 'groups', config: ['groups'],
    init(m) { m.set('groups', m.a.get('groups')!); },
    forward(m) { const x = toTensor(m.a.get('input')!, 'input'); return derive(m.rt, x, [...x.shape], 'channel_shuffle', {}, true); },
  },
];
