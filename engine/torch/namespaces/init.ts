// torch.nn.init: in-place initialisers keep the tensor's shape and return it; calculate_gain and
// fan-in/fan-out as PyTorch computes them.
import { Builtin, PyFloat, PyTuple } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import { toTensor } from '../sig';
import { type Members } from './common';

/** torch.nn.init: initialisers return their tensor (values are the numeric engine's business). */
export function init(rt: TorchRuntime): Members {
  const out: Members = {};
  for (const n of ['uniform_', 'normal_', 'constant_', 'ones_', 'zeros_', 'eye_', 'dirac_', 'xavier_uniform_', 'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'trunc_normal_', 'orthogonal_', 'sparse_', 'uniform', 'normal', 'constant', 'xavier_uniform', 'kaiming_normal', 'kaiming_uniform']) {
    out[n] = new Builtin(`init.${n}`, (a) => a[0] ?? null);
  }
  out.calculate_gain = new Builtin('init.calculate_gain', (a) => new PyFloat(a[0] === 'relu' ? Math.SQRT2 : a[0] === 'tanh' ? 5 / 3 : 1));
  out._calculate_fan_in_and_fan_out = new Builtin('init._calculate_fan_in_and_fan_out', (a) => {
    const t = toTensor(a[0], 'tensor');
    const rf = t.shape.slice(2).reduce<number>((p, q) => p * (q ?? 1), 1);
    return new PyTuple([(t.shape[1] ?? 1) * rf, (t.shape[0] ?? 1) * rf]);
  });
  return out;
}
