// nn.MultiheadAttention. It owns `out_proj` (a Linear child), so it is not a leaf: its projections and
// attention products are functional work counted in the totals, exactly as F.multi_head_attention_forward
// (attentionOps.ts, which its forward calls as torch's does) does them.
import { PyException, PyInstance, type Value } from '../../interp/values';
import { multiHeadAttentionForward } from '../attentionOps';
import { num } from '../functional';
import { toBool, toInt, toTensor } from '../sig';
import { TensorV } from '../tensor';
import type { LayerSpec } from './spec';
import { stateOf } from '../moduleState';
import { traced } from '../trace';

export const attentionSpecs: LayerSpec[] = [
  {
    name: 'MultiheadAttention', kind: 'attention', sizes: { embed_dim: 'int', num_heads: 'int', kdim: 'int', vdim: 'int' },
    sig: 'embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None',
    forwardSig: 'query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True',
    config: ['embed_dim', 'num_heads', 'batch_first'],
    init(m) {
      const e = toInt(m.a.get('embed_dim')!, 'embed_dim'), h = toInt(m.a.get('num_heads')!, 'num_heads');
      const kdim = m.a.get('kdim') === null ? e : toInt(m.a.get('kdim')!, 'kdim');
      const vdim = m.a.get('vdim') === null ? e : toInt(m.a.get('vdim')!, 'vdim');
      if (e % h !== 0) throw new PyException('AssertionError', 'embed_dim must be divisible by num_heads');
      const same = kdim === e && vdim === e;
      for (const [n, v] of [['embed_dim', e], ['num_heads', h], ['kdim', kdim], ['vdim', vdim], ['head_dim', e / h]] as Array<[string, number]>) m.set(n, v);
      m.set('_qkv_same_embed_dim', same);
      m.set('dropout', m.a.get('dropout')!);
      m.set('batch_first', toBool(m.a.get('batch_first')!));
      const bias = toBool(m.a.get('bias')!);
      if (same) {
        m.param('in_proj_weight', [3 * e, e]);
        m.param('q_proj_weight', [], false); m.param('k_proj_weight', [], false); m.param('v_proj_weight', [], false);
      } else {
        m.param('q_proj_weight', [e, e]); m.param('k_proj_weight', [e, kdim]); m.param('v_proj_weight', [e, vdim]);
        m.param('in_proj_weight', [], false);
      }
      m.param('in_proj_bias', [3 * e], bias);
      const linCls = m.rt.classes.get('NonDynamicallyQuantizableLinear')!;
      m.child('out_proj', m.rt.it.call(linCls, [e, e], new Map([['bias', bias]]), {}));
      if (toBool(m.a.get('add_bias_kv')!)) { m.param('bias_k', [1, 1, e]); m.param('bias_v', [1, 1, e]); }
      else { m.set('bias_k', null); m.set('bias_v', null); }
      m.set('add_zero_attn', m.a.get('add_zero_attn')!);
    },
    forward(m) {
      const q = toTensor(m.a.get('query')!, 'query'), k = toTensor(m.a.get('key')!, 'key'), v = toTensor(m.a.get('value')!, 'value');
      const rt = m.rt, ctx = m.ctx;
      const bf = m.get('batch_first') === true && q.shape.length === 3;
      // batch-first inputs go sequence-first, keeping which of them are the same tensor (as the module does)
      const tr = (t: TensorV): TensorV => rt.tensor([t.shape[1], t.shape[0], t.shape[2]], t.dtype, traced('transpose', [t], { dim0: 0, dim1: 1 }));
      let [qs, ks, vs] = [q, k, v];
      if (bf) {
        if (k === v) { qs = tr(q); ks = vs = q === k ? qs : tr(k); } else [qs, ks, vs] = [tr(q), tr(k), tr(v)];
      }
      const outProj = m.get('out_proj');
      const weight = (n: string): Value => (outProj instanceof PyInstance ? rt.it.getAttr(outProj, n, ctx) : null);
      const separate = m.get('_qkv_same_embed_dim') !== true;
      return multiHeadAttentionForward(rt, {
        query: qs, key: ks, value: vs, traced: [q, k, v], batchFirst: bf,
        embedDimToCheck: toInt(m.get('embed_dim'), 'embed_dim'), numHeads: toInt(m.get('num_heads'), 'num_heads'),
        inProjWeight: separate ? null : m.get('in_proj_weight'), inProjBias: m.get('in_proj_bias'),
        biasK: m.get('bias_k'), biasV: m.get('bias_v'), addZeroAttn: toBool(m.get('add_zero_attn')),
        outProjWeight: toTensor(weight('weight'), 'out_proj.weight'), outProjBias: weight('bias'),
        needWeights: m.a.get('need_weights') !== false, averageWeights: m.a.get('average_attn_weights') !== false,
        useSeparateProjWeight: separate,
        qProjWeight: separate ? m.get('q_proj_weight') : null, kProjWeight: separate ? m.get('k_proj_weight') : null, vProjWeight: separate ? m.get('v_proj_weight') : null,
        attnMask: m.a.get('attn_mask')!, keyPaddingMask: m.a.get('key_padding_mask')!,
        dropoutP: num(m.get('dropout')), training: stateOf(m.self)!.training,
      }, ctx);
    },
  },
];
