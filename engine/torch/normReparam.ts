// nn.utils.weight_norm / remove_weight_norm / spectral_norm / remove_spectral_norm: the parameters
// and buffers PyTorch registers (weight_g, weight_v; weight_orig, weight_u, weight_v), so rows,
// totals and state-dict keys match. Spectral norm's eval-mode σ = u·(W v) is functional work that
// PyTorch runs in a forward pre-hook, outside the layer: it is charged the same way.
import { Builtin, PyException, PyInstance, type Value } from '../interp/values';
import { TensorV, numel } from './tensor';
import type { TorchRuntime } from './runtime';
import { dget, ddel, dset } from './runtime';
import { normExceptDimShape } from './parametrize';
import { stateOf } from './moduleState';

function moduleArg(v: Value, fn: string): PyInstance {
  if (v instanceof PyInstance && stateOf(v)) return v;
  throw new PyException('TypeError', `${fn}() expects an nn.Module`);
}

function paramNamed(m: PyInstance, name: string, fn: string): TensorV {
  const p = dget(stateOf(m)!.params, name);
  if (!(p instanceof TensorV)) throw new PyException('AttributeError', `${fn}: module has no parameter '${name}'`);
  return p;
}

/** weight_g's shape: norm_except_dim(v, 2, dim) (dim=None is the whole tensor's norm). */
function gShape(shape: Array<number | null>, dim: Value): Array<number | null> {
  return normExceptDimShape(shape, dim === null ? -1 : typeof dim === 'number' ? dim : 0);
}

function argOr(a: Value[], kw: Map<string, Value>, i: number, name: string, dflt: Value): Value {
  return i < a.length ? a[i] : kw.has(name) ? kw.get(name)! : dflt;
}

export function normReparamFns(rt: TorchRuntime): Record<string, Value> {
  const weightNorm = new Builtin('weight_norm', (a, kw) => {
    const m = moduleArg(a[0], 'weight_norm');
    const name = String(argOr(a, kw, 1, 'name', 'weight'));
    const dim = argOr(a, kw, 2, 'dim', 0);
    const w = paramNamed(m, name, 'weight_norm');
    ddel(stateOf(m)!.params, name);
    dset(stateOf(m)!.params, `${name}_g`, rt.param(gShape(w.shape, dim) as number[], w.requiresGrad));
    dset(stateOf(m)!.params, `${name}_v`, rt.param([...w.shape] as number[], w.requiresGrad));
    m.dict.set(name, rt.tensor([...w.shape], w.dtype));
    return m;
  });
  const removeWeightNorm = new Builtin('remove_weight_norm', (a, kw) => {
    const m = moduleArg(a[0], 'remove_weight_norm');
    const name = String(argOr(a, kw, 1, 'name', 'weight'));
    const v = dget(stateOf(m)!.params, `${name}_v`);
    if (!(v instanceof TensorV)) throw new PyException('ValueError', `weight_norm of '${name}' not found in ${m.cls.name}`);
    ddel(stateOf(m)!.params, `${name}_g`); ddel(stateOf(m)!.params, `${name}_v`);
    m.dict.delete(name);
    dset(stateOf(m)!.params, name, rt.param([...v.shape] as number[], v.requiresGrad));
    return m;
  });
  const spectralNorm = new Builtin('spectral_norm', (a, kw) => {
    const m = moduleArg(a[0], 'spectral_norm');
    const name = String(argOr(a, kw, 1, 'name', 'weight'));
    let dim = argOr(a, kw, 4, 'dim', null);
    if (dim === null) dim = /^ConvTranspose[123]d$/.test(m.cls.name) || m.cls.mro.some((c) => /^ConvTranspose[123]d$/.test(c.name)) ? 1 : 0;
    const w = paramNamed(m, name, 'spectral_norm');
    const d = typeof dim === 'number' ? dim : 0;
    const h = w.shape[d];
    const n = numel(w.shape);
    ddel(stateOf(m)!.params, name);
    dset(stateOf(m)!.params, `${name}_orig`, rt.param([...w.shape] as number[], w.requiresGrad));
    m.dict.set(name, rt.tensor([...w.shape], w.dtype));
    dset(stateOf(m)!.buffers, `${name}_u`, rt.tensor([h], w.dtype));
    dset(stateOf(m)!.buffers, `${name}_v`, rt.tensor([h === null || n === null ? null : n / h], w.dtype));
    // eval mode: sigma = dot(u, mv(W_mat, v)) with W_mat [h, n/h] — the mv and the dot, once per call
    const macs = h === null || n === null ? null : n + h;
    stateOf(m)!.preForwardCost = { macs, flops: macs === null ? null : 2 * macs };
    return m;
  });
  const removeSpectralNorm = new Builtin('remove_spectral_norm', (a, kw) => {
    const m = moduleArg(a[0], 'remove_spectral_norm');
    const name = String(argOr(a, kw, 1, 'name', 'weight'));
    const o = dget(stateOf(m)!.params, `${name}_orig`);
    if (!(o instanceof TensorV)) throw new PyException('ValueError', `spectral_norm of '${name}' not found in ${m.cls.name}`);
    ddel(stateOf(m)!.params, `${name}_orig`); ddel(stateOf(m)!.buffers, `${name}_u`); ddel(stateOf(m)!.buffers, `${name}_v`);
    m.dict.delete(name);
    dset(stateOf(m)!.params, name, rt.param([...o.shape] as number[], o.requiresGrad));
    delete stateOf(m)!.preForwardCost;
    return m;
  });
  return { weight_norm: weightNorm, remove_weight_norm: removeWeightNorm, spectral_norm: spectralNorm, remove_spectral_norm: removeSpectralNorm };
}
