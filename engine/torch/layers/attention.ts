// nn.MultiheadAttention. It owns `out_proj` (a Linear child), so it is not a leaf: its projections and
// attention products are functional work counted in the totals, exactly as F.multi_head_attention_forward does them.
import { PyException, PyTuple, type Value } from '../../interp/values';
import { linear, fail } from '../functional';
import { matmul } from '../tensorOps';
import { toBool, toInt, toTensor } from '../sig';
import { TensorV, shapeStr } from '../tensor';
import type { LayerSpec } from './spec';

export const attentionSpecs: LayerSpec[] = [
  {
    name: 'MultiheadAttention', kind: 'attention',
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
      const e = toInt(m.get('embed_dim'), 'embed_dim'), h = toInt(m.get('num_heads'), 'num_heads');
      const bf = m.get('batch_first') === true;
      if (q.shape.length !== 3 && q.shape.length !== 2) fail(m.ctx, `query should be unbatched 2D or batched 3D tensor but received ${q.shape.length}-D query tensor`);
      if (q.shape[q.shape.length - 1] !== null && q.shape[q.shape.length - 1] !== e) fail(m.ctx, `was expecting embedding dimension of ${e}, but got ${q.shape[q.shape.length - 1]}`, 'features');
      const rt = m.rt;
      const ctx = m.ctx;
      // batch-first inputs are transposed to [L, N, E] internally; shapes only matter here
      const seq = (t: TensorV): TensorV => (bf && t.shape.length === 3 ? rt.tensor([t.shape[1], t.shape[0], t.shape[2]], t.dtype, { op: 'transpose', inputs: [t], attrs: { dims: [0, 1] } }) : t);
      const qq = seq(q), kk = seq(k), vv = seq(v);
      const inW = m.get('in_proj_weight');
      const inB = m.get('in_proj_bias');
      const proj = (x: TensorV, rows: number, cols: number): TensorV => linear(rt, x, rt.tensor([rows, cols]), inB instanceof TensorV ? rt.tensor([rows]) : null, ctx);
      let qp: TensorV, kp: TensorV, vp: TensorV;
      if (inW instanceof TensorV) {
        if (q === k && k === v) { const all = proj(qq, 3 * e, e); qp = kp = vp = rt.tensor([...all.shape.slice(0, -1), e], all.dtype, { op: 'chunk', inputs: [all] }); }
        else if (k === v) { qp = proj(qq, e, e); const kv = proj(kk, 2 * e, e); kp = vp = rt.tensor([...kv.shape.slice(0, -1), e], kv.dtype, { op: 'chunk', inputs: [kv] }); }
        else { qp = proj(qq, e, e); kp = proj(kk, e, e); vp = proj(vv, e, e); }
      } else {
        qp = proj(qq, e, e);
        kp = proj(kk, e, toInt(m.get('kdim'), 'kdim'));
        vp = proj(vv, e, toInt(m.get('vdim'), 'vdim'));
      }
      const batched = qq.shape.length === 3;
      const L = qq.shape[0], S = kk.shape[0], N = batched ? qq.shape[1] : 1;
      const bh = N === null ? null : N * h;
      const hd = e / h;
      const q3 = rt.tensor([bh, L, hd], q.dtype), k3t = rt.tensor([bh, hd, S], q.dtype), v3 = rt.tensor([bh, S, hd], q.dtype);
      void qp; void kp; void vp;
      const attn = matmul(rt, q3, k3t, ctx, 'bmm');
      const ctxOut = matmul(rt, rt.tensor([bh, L, S], q.dtype), v3, ctx, 'bmm');
      void ctxOut;
      const flat = rt.tensor([L === null || N === null ? null : L * N, e], q.dtype);
      const outProj = m.get('out_proj');
      const op = outProj instanceof Object ? rt.it.getAttr(outProj, 'weight', ctx) : null;
      linear(rt, flat, op instanceof TensorV ? op : rt.tensor([e, e]), null, ctx);
      const outShape = batched ? (bf ? [N, L, e] : [L, N, e]) : [L, e];
      const out = rt.tensor(outShape, q.dtype, {
        op: 'multi_head_attention',
        inputs: [q, k, v, inW, inB, m.get('q_proj_weight'), m.get('k_proj_weight'), m.get('v_proj_weight'),
          outProj instanceof Object ? rt.it.getAttr(outProj, 'weight', ctx) : null, outProj instanceof Object ? rt.it.getAttr(outProj, 'bias', ctx) : null],
        attrs: { numHeads: h, batchFirst: bf, averageWeights: m.a.get('average_attn_weights') !== false },
      });
      let weights: Value = null;
      if (m.a.get('need_weights') === true) {
        const avg = m.a.get('average_attn_weights') !== false;
        weights = rt.tensor(batched ? (avg ? [N, L, S] : [N, h, L, S]) : (avg ? [L, S] : [h, L, S]), q.dtype, { op: 'attn_weights', inputs: [out] });
        void attn;
      }
      if (k.shape.length !== q.shape.length) throw new PyException('AssertionError', `key shape ${shapeStr(k.shape)} does not match query shape ${shapeStr(q.shape)}`);
      return new PyTuple([out, weights]);
    },
  },
];
