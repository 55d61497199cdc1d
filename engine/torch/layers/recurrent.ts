// Recurrent layers: RNN, LSTM, GRU (multi-layer, bidirectional, batch_first, proj_size for LSTM).
// Parameters are registered in PyTorch's order (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, then
// `_reverse`); outputs are (output, h_n) or, for LSTM, (output, (h_n, c_n)). MACs follow the contract
// ("everything else" is 0); FLOPs count the gate products.
import { PyException, PyTuple } from '../../interp/values';
import { fail } from '../functional';
import { toBool, toInt, toTensor } from '../sig';
import { numel } from '../tensor';
import type { LayerSpec } from './spec';

function rnnSpec(name: 'RNN' | 'LSTM' | 'GRU', gates: number): LayerSpec {
  const extra = name === 'LSTM' ? ', proj_size=0' : name === 'RNN' ? ", nonlinearity='tanh'" : '';
  return {
    name, base: 'RNNBase', kind: 'other',
    sizes: { input_size: 'int', hidden_size: 'int', num_layers: 'int', proj_size: 'int' },
    sig: `input_size, hidden_size, num_layers=1${name === 'RNN' ? ", nonlinearity='tanh'" : ''}, bias=True, batch_first=False, dropout=0.0, bidirectional=False${name === 'LSTM' ? ', proj_size=0' : ''}, device=None, dtype=None`,
    forwardSig: 'input, hx=None',
    config: ['input_size', 'hidden_size', 'num_layers', 'bidirectional', 'batch_first'],
    init(m) {
      void extra;
      const inSize = toInt(m.a.get('input_size')!, 'input_size'), H = toInt(m.a.get('hidden_size')!, 'hidden_size');
      const layers = toInt(m.a.get('num_layers')!, 'num_layers');
      const bi = toBool(m.a.get('bidirectional')!), bias = toBool(m.a.get('bias')!);
      const proj = name === 'LSTM' ? toInt(m.a.get('proj_size')!, 'proj_size') : 0;
      if (proj < 0 || (proj > 0 && proj >= H)) throw new PyException('ValueError', 'proj_size has to be a positive integer smaller than hidden_size');
      for (const k of ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional']) m.set(k, m.a.get(k)!);
      m.set('proj_size', proj);
      m.set('mode', name === 'RNN' ? (m.a.get('nonlinearity') === 'relu' ? 'RNN_RELU' : 'RNN_TANH') : name);
      const D = bi ? 2 : 1;
      const Hout = proj > 0 ? proj : H;
      for (let l = 0; l < layers; l++) {
        for (let d = 0; d < D; d++) {
          const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const lin = l === 0 ? inSize : Hout * D;
          m.param(`weight_ih${sfx}`, [gates * H, lin]);
          m.param(`weight_hh${sfx}`, [gates * H, Hout]);
          if (bias) { m.param(`bias_ih${sfx}`, [gates * H]); m.param(`bias_hh${sfx}`, [gates * H]); }
          if (proj > 0) m.param(`weight_hr${sfx}`, [proj, H]);
        }
      }
    },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      const inSize = toInt(m.get('input_size'), 'input_size'), H = toInt(m.get('hidden_size'), 'hidden_size');
      const layers = toInt(m.get('num_layers'), 'num_layers');
      const D = m.get('bidirectional') === true ? 2 : 1;
      const proj = toInt(m.get('proj_size'), 'proj_size');
      const Hout = proj > 0 ? proj : H;
      const bf = m.get('batch_first') === true;
      if (x.shape.length !== 2 && x.shape.length !== 3) fail(m.ctx, `${name}: Expected input to be 2D or 3D, got ${x.shape.length}D instead`);
      const feat = x.shape[x.shape.length - 1];
      if (feat !== null && feat !== inSize) fail(m.ctx, `input.size(-1) must be equal to input_size. Expected ${inSize}, got ${feat}`, 'features');
      const batched = x.shape.length === 3;
      const L = batched ? x.shape[bf ? 1 : 0] : x.shape[0];
      const N = batched ? x.shape[bf ? 0 : 1] : null;
      const outShape = batched ? (bf ? [N, L, D * Hout] : [L, N, D * Hout]) : [L, D * Hout];
      const hShape = batched ? [D * layers, N, Hout] : [D * layers, Hout];
      const out = m.rt.tensor(outShape, x.dtype, { op: name.toLowerCase(), inputs: [x] });
      const h = m.rt.tensor(hShape, x.dtype, { op: `${name.toLowerCase()}_h`, inputs: [out] });
      const n = numel([L, N ?? 1]);
      let macs = 0;
      for (let l = 0; l < layers; l++) macs += D * gates * H * ((l === 0 ? inSize : Hout * D) + Hout) + (proj > 0 ? D * proj * H : 0);
      m.rt.addCost(0, n === null ? null : 2 * macs * n);
      if (name === 'LSTM') {
        const c = m.rt.tensor(batched ? [D * layers, N, H] : [D * layers, H], x.dtype, { op: 'lstm_c', inputs: [out] });
        return new PyTuple([out, new PyTuple([h, c])]);
      }
      return new PyTuple([out, h]);
    },
  };
}

export const recurrentSpecs: LayerSpec[] = [rnnSpec('RNN', 1), rnnSpec('LSTM', 4), rnnSpec('GRU', 3)];
