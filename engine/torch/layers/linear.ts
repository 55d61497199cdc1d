// Linear, Bilinear, Identity and Embedding layers. Shape rule and MACs: functional.linear
// (MACs = numel(out) · in_features, which handles 3-D token inputs).
import { PyException } from '../../interp/values';
import { linear } from '../functional';
import { toBool, toInt, toTensor } from '../sig';
import { numel, TensorV } from '../tensor';
import { shapeStr } from '../tensor';
import type { LayerSpec } from './spec';
import type { SizeRule } from './validate';

const LINEAR_SIZES: Record<string, SizeRule> = { in_features: 'int', out_features: 'int' };

const linearInit: LayerSpec['init'] = (m) => {
  const inF = toInt(m.a.get('in_features')!, 'in_features');
  const outF = toInt(m.a.get('out_features')!, 'out_features');
  m.set('in_features', inF); m.set('out_features', outF);
  m.param('weight', [outF, inF]);
  m.param('bias', [outF], toBool(m.a.get('bias')!));
};

export const linearSpecs: LayerSpec[] = [
  {
    name: 'Linear', kind: 'linear', sig: 'in_features, out_features, bias=True, device=None, dtype=None', sizes: LINEAR_SIZES,
    config: ['in_features', 'out_features'],
    init: linearInit,
    forward: (m) => linear(m.rt, toTensor(m.a.get('input')!, 'input'), toTensor(m.get('weight'), 'weight'), m.get('bias'), m.ctx),
  },
  {
    name: 'NonDynamicallyQuantizableLinear', base: 'Linear', kind: 'linear', sig: 'in_features, out_features, bias=True, device=None, dtype=None', sizes: LINEAR_SIZES,
    config: ['in_features', 'out_features'], init: linearInit,
    forward: (m) => linear(m.rt, toTensor(m.a.get('input')!, 'input'), toTensor(m.get('weight'), 'weight'), m.get('bias'), m.ctx),
  },
  {
    name: 'LazyLinear', base: 'Linear', kind: 'linear', sig: 'out_features, bias=True, device=None, dtype=None',
    init() { throw new PyException('NotImplementedError', 'LazyLinear infers in_features at the first call: write nn.Linear(in_features, out_features) for a static analysis'); },
    forward: () => null,
  },
  {
    name: 'Bilinear', kind: 'linear', sig: 'in1_features, in2_features, out_features, bias=True, device=None, dtype=None', forwardSig: 'input1, input2',
    sizes: { in1_features: 'int', in2_features: 'int', out_features: 'int' },
    config: ['in1_features', 'in2_features', 'out_features'],
    init(m) {
      const a = toInt(m.a.get('in1_features')!, 'in1_features'), b = toInt(m.a.get('in2_features')!, 'in2_features'), o = toInt(m.a.get('out_features')!, 'out_features');
      m.set('in1_features', a); m.set('in2_features', b); m.set('out_features', o);
      m.param('weight', [o, a, b]);
      m.param('bias', [o], toBool(m.a.get('bias')!));
    },
    forward(m) {
      const x1 = toTensor(m.a.get('input1')!, 'input1'), x2 = toTensor(m.a.get('input2')!, 'input2');
      const o = toInt(m.get('out_features'), 'out_features');
      const a = toInt(m.get('in1_features'), 'in1_features'), b = toInt(m.get('in2_features'), 'in2_features');
      const shape = [...x1.shape.slice(0, -1), o];
      const out = m.rt.tensor(shape, x1.dtype, { op: 'bilinear', inputs: [x1, x2, m.get('weight'), m.get('bias')] });
      const n = numel(shape);
      const macs = n === null ? null : n * a * b;
      m.rt.addCost(macs, macs === null ? null : 2 * macs);
      return out;
    },
  },
  {
    name: 'Identity', kind: 'shape', sig: '*args, **kwargs', init() { /* no state */ },
    forward: (m) => m.a.get('input')!,
  },
  {
    name: 'Embedding', kind: 'embedding', sizes: { num_embeddings: 'int', embedding_dim: 'int' },
    sig: 'num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None',
    config: ['num_embeddings', 'embedding_dim', 'padding_idx'],
    init(m) {
      const n = toInt(m.a.get('num_embeddings')!, 'num_embeddings'), d = toInt(m.a.get('embedding_dim')!, 'embedding_dim');
      m.set('num_embeddings', n); m.set('embedding_dim', d); m.set('padding_idx', m.a.get('padding_idx')!);
      m.param('weight', [n, d], true, m.a.get('_freeze') !== true);
    },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      // NOTE: a model input (no producing op) is given as a shape only; an Embedding first means it holds token ids
      if (x.dtype.startsWith('float') && x.src) throw new PyException('RuntimeError', `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${x.dtype} instead (shape ${shapeStr(x.shape)})`);
      const w = m.get('weight') as TensorV;
      return m.rt.tensor([...x.shape, w.shape[1]], 'float32', { op: 'embedding', inputs: [x, w] });
    },
  },
];
