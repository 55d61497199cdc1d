// Activation layers: element-wise, shape-preserving, zero MACs. Each has its FLOPs per element and
// the formula text hovers show (f and f′, as the article our users read states them).
import { activation, softmax } from '../functional';
import { toTensor } from '../sig';
import { TensorV } from '../tensor';
import type { LayerSpec } from './spec';
import { activationTrace } from '../trace';

export interface ActivationInfo {
  name: string;
  sig: string;
  flops: number;
  /** f(x) and f′(x) as text, plus a one-line caution. */
  f: string;
  df: string;
  note: string;
}

export const ACTIVATIONS: ActivationInfo[] = [
  { name: 'ReLU', sig: 'inplace=False', flops: 1, f: 'max(0, x)', df: '1 if x > 0 else 0', note: 'units whose input stays negative get zero gradient and stop learning (dead ReLU).' },
  { name: 'ReLU6', sig: 'inplace=False', flops: 2, f: 'min(max(0, x), 6)', df: '1 if 0 < x < 6 else 0', note: 'saturates at 6: no gradient above it.' },
  { name: 'LeakyReLU', sig: 'negative_slope=0.01, inplace=False', flops: 2, f: 'x if x > 0 else a·x', df: '1 if x > 0 else a', note: 'a small slope a for x < 0 keeps negative units alive.' },
  { name: 'PReLU', sig: 'num_parameters=1, init=0.25, device=None, dtype=None', flops: 2, f: 'x if x > 0 else a·x (a learned)', df: '1 if x > 0 else a', note: 'the negative slope is a learned parameter.' },
  { name: 'ELU', sig: 'alpha=1.0, inplace=False', flops: 3, f: 'x if x > 0 else α(eˣ − 1)', df: '1 if x > 0 else α·eˣ', note: 'smooth for x ≤ 0; outputs saturate at −α.' },
  { name: 'SELU', sig: 'inplace=False', flops: 3, f: 'λ·(x if x > 0 else α(eˣ − 1))', df: 'λ if x > 0 else λα·eˣ', note: 'self-normalising with λ ≈ 1.0507, α ≈ 1.6733.' },
  { name: 'CELU', sig: 'alpha=1.0, inplace=False', flops: 3, f: 'max(0, x) + min(0, α(e^{x/α} − 1))', df: '1 if x > 0 else e^{x/α}', note: 'continuously differentiable ELU.' },
  { name: 'GELU', sig: "approximate='none'", flops: 8, f: 'x·Φ(x)', df: 'Φ(x) + x·φ(x)', note: 'smooth, non-monotonic near 0.' },
  { name: 'SiLU', sig: 'inplace=False', flops: 4, f: 'x·σ(x)', df: 'σ(x)·(1 + x(1 − σ(x)))', note: 'also called Swish.' },
  { name: 'Mish', sig: 'inplace=False', flops: 6, f: 'x·tanh(softplus(x))', df: 'tanh(sp) + x·sech²(sp)·σ(x)', note: 'smooth, non-monotonic.' },
  { name: 'Hardswish', sig: 'inplace=False', flops: 4, f: 'x·ReLU6(x + 3)/6', df: '0 if x < −3, 1 if x > 3, else (2x + 3)/6', note: 'piecewise approximation of SiLU.' },
  { name: 'Hardsigmoid', sig: 'inplace=False', flops: 3, f: 'ReLU6(x + 3)/6', df: '1/6 if −3 < x < 3 else 0', note: 'zero gradient outside (−3, 3).' },
  { name: 'Hardtanh', sig: 'min_val=-1.0, max_val=1.0, inplace=False', flops: 2, f: 'clamp(x, min, max)', df: '1 inside (min, max) else 0', note: 'zero gradient outside the range.' },
  { name: 'Sigmoid', sig: '', flops: 4, f: 'σ(x) = 1/(1 + e⁻ˣ)', df: 'σ′ = σ(1 − σ)', note: 'saturates: σ′ ≤ 0.25 and vanishes for large |x| (vanishing gradients).' },
  { name: 'Tanh', sig: '', flops: 4, f: 'tanh(x)', df: 'tanh′ = 1 − tanh²', note: 'zero-centred, but saturates for large |x|.' },
  { name: 'Softplus', sig: 'beta=1.0, threshold=20.0', flops: 4, f: 'log(1 + eˣ)', df: 'σ(x)', note: 'smooth ReLU.' },
  { name: 'Softsign', sig: '', flops: 3, f: 'x/(1 + |x|)', df: '1/(1 + |x|)²', note: '' },
  { name: 'Tanhshrink', sig: '', flops: 5, f: 'x − tanh(x)', df: 'tanh²(x)', note: '' },
  { name: 'LogSigmoid', sig: '', flops: 5, f: 'log σ(x)', df: '1 − σ(x)', note: '' },
  { name: 'Threshold', sig: 'threshold, value, inplace=False', flops: 1, f: 'x if x > t else v', df: '1 if x > t else 0', note: '' },
  { name: 'GLU', sig: 'dim=-1', flops: 5, f: 'a·σ(b)', df: '', note: 'halves the size of `dim`.' },
];

function actSpec(info: ActivationInfo): LayerSpec {
  const params = info.sig.split(',').map((s) => s.split('=')[0].trim()).filter((s) => s && s !== 'device' && s !== 'dtype');
  return {
    name: info.name, kind: 'activation', sig: info.sig, config: params.filter((p) => p !== 'inplace' && p !== 'num_parameters' && p !== 'init'),
    init(m) {
      for (const p of params) m.set(p, m.a.get(p)!);
      if (info.name === 'PReLU') m.param('weight', [m.a.get('num_parameters') as number]);
    },
    forward(m) {
      const x = toTensor(m.a.get('input')!, 'input');
      if (info.name === 'GLU') {
        const d = m.get('dim') as number;
        const nd = d < 0 ? d + x.shape.length : d;
        const shape = x.shape.map((s, i) => (i === nd && s !== null ? s / 2 : s));
        return m.rt.tensor(shape, x.dtype, { op: 'glu', inputs: [x], attrs: { dim: nd } });
      }
      const out = activation(m.rt, x, info.name.toLowerCase(), info.flops);
      if (out instanceof TensorV) out.src = activationTrace(info.name.toLowerCase(), info.name === 'PReLU' ? [x, m.get('weight')] : [x], (p) => (params.includes(p) ? m.get(p) : undefined));
      return out;
    },
  };
}

export const activationSpecs: LayerSpec[] = [
  ...ACTIVATIONS.map(actSpec),
  ...['Softmax', 'LogSoftmax', 'Softmin', 'Softmax2d'].map((name): LayerSpec => ({
    name, kind: 'activation', sig: name === 'Softmax2d' ? '' : 'dim=None', config: ['dim'],
    init(m) { if (name !== 'Softmax2d') m.set('dim', m.a.get('dim')!); },
    forward: (m) => softmax(m.rt, toTensor(m.a.get('input')!, 'input'), name === 'Softmax2d' ? -3 : m.get('dim'), name.toLowerCase()),
  })),
];
