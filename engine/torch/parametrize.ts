// torch.nn.utils.parametrize and torch.nn.utils.parametrizations: what register_parametrization does to
// a module, as PyTorch does it — its class becomes Parametrized<Name>, the tensor moves to
// parametrizations.<name>.original (original0, original1, … when right_inverse returns several), and
// reading the attribute calls the parametrization modules (the leaves that get rows). weight_norm,
// spectral_norm and orthogonal are those modules, natively; their work is element-wise (no MACs).
import {
  Builtin, InterpError, PyClass, PyException, PyInstance, PyList, PyTuple, Property, type CallCtx, type Value,
} from '../interp/values';
import { pyStr } from '../interp/ops';
import type { TorchRuntime } from './runtime';
import { ddel, dentries, dget, dset } from './runtime';
import { TensorV, numel, shapeStr } from './tensor';
import { derive, mapData } from './tensorOps';
import type { Members } from './namespaces/common';
import { stateOf } from './moduleState';
import { NO_KWARGS } from '../interp/calls';

const PARAMETRIZATIONS = 'parametrizations';

function moduleArg(v: Value, fn: string): PyInstance {
  if (v instanceof PyInstance && stateOf(v)) return v;
  throw new PyException('TypeError', `${fn}() expects an nn.Module, not ${pyStr(v)}`);
}

const tensors = (v: Value): TensorV[] | undefined => {
  if (v instanceof TensorV) return [v];
  if ((v instanceof PyTuple || v instanceof PyList) && v.items.every((x) => x instanceof TensorV)) return v.items as TensorV[];
  return undefined;
};

function plistOf(m: PyInstance, name: string): PyInstance | undefined {
  const dict = dget(stateOf(m)!.modules, PARAMETRIZATIONS);
  const p = dict instanceof PyInstance ? dget(stateOf(dict)!.modules, name) : undefined;
  return p instanceof PyInstance ? p : undefined;
}

/** The classes the parametrize machinery makes: ParametrizationList and, per module, Parametrized<Name>. */
export function parametrize(rt: TorchRuntime): Members {
  const it = rt.it;
  const plistCls = new PyClass('ParametrizationList', [rt.classes.get('ModuleList')!], 'torch.nn.utils.parametrize');
  plistCls.dict.set('forward', new Builtin('ParametrizationList.forward', (a, _kw, ctx) => {
    const self = a[0] as PyInstance;
    const chain = dentries(stateOf(self)!.modules).map(([, m]) => m);
    const one = dget(stateOf(self)!.params, 'original') ?? dget(stateOf(self)!.buffers, 'original');
    const originals = one !== undefined ? [one] : originalsOf(self);
    let x = it.call(chain[0], originals, NO_KWARGS, ctx);
    for (const m of chain.slice(1)) x = it.call(m, [x], NO_KWARGS, ctx);
    return x;
  }));

  const register = new Builtin('register_parametrization', (a, kw, ctx) => {
    const m = moduleArg(a[0], 'register_parametrization');
    const name = pyStr(a[1] ?? kw.get('tensor_name')!);
    const p = a[2] ?? kw.get('parametrization')!;
    if (!(p instanceof PyInstance && stateOf(p))) throw new PyException('TypeError', `register_parametrization() expects an nn.Module as the parametrization, not ${pyStr(p)}`);
    const unsafe = (a[3] ?? kw.get('unsafe') ?? false) === true;
    const existing = plistOf(m, name);
    if (existing) {
      if (!unsafe) checkShape(it.getAttr(m, name, ctx), it.call(p, [it.getAttr(m, name, ctx)], NO_KWARGS, ctx), ctx);
      dset(stateOf(existing)!.modules, String(stateOf(existing)!.modules.map.size), p);
      return m;
    }
    const isParam = dget(stateOf(m)!.params, name) instanceof TensorV;
    const orig = dget(stateOf(m)!.params, name) ?? dget(stateOf(m)!.buffers, name);
    if (!(orig instanceof TensorV)) {
      throw new PyException('ValueError', `Module '${m.cls.name}' does not have a parameter, a buffer, or a parametrized element with name '${name}'`, null, ctx.file, ctx.s, ctx.e);
    }
    // right_inverse gives the stored tensor(s): one is `original` (the same tensor, updated in place), several original0, original1, …
    const inv = p.cls.lookup('right_inverse') === undefined ? orig : it.call(it.getAttr(p, 'right_inverse', ctx), [orig], NO_KWARGS, ctx);
    const originals = tensors(inv);
    if (!originals) throw new InterpError('register_parametrization: right_inverse returned something that is not a tensor or a sequence of tensors', ctx.file, ctx.s, ctx.e);
    if (!unsafe) checkShape(orig, it.call(p, originals, NO_KWARGS, ctx), ctx);
    const plist = it.call(plistCls, [new PyList([p])], NO_KWARGS, ctx) as PyInstance;
    const keep = (n: string, t: TensorV): void => {
      const same = t === orig || (t.shape.length === orig.shape.length && t.shape.every((d, i) => d === orig.shape[i]));
      if (isParam) dset(stateOf(plist)!.params, n, same && n === 'original' ? orig : Object.assign(rt.param([...t.shape] as number[], orig.requiresGrad), { dtype: t.dtype }));
      else dset(stateOf(plist)!.buffers, n, same && n === 'original' ? orig : rt.tensor([...t.shape], t.dtype));
    };
    if (inv instanceof TensorV) keep('original', inv);
    else originals.forEach((t, i) => keep(`original${i}`, t));
    ddel(stateOf(m)!.params, name); ddel(stateOf(m)!.buffers, name);
    parametrizedClass(rt, m, ctx).dict.set(name, new Property(new Builtin(`${name}.parametrized`, (b, _k, c) => it.call(plistOf(b[0] as PyInstance, name)!, [], new Map(), c))));
    dset(stateOf(dget(stateOf(m)!.modules, PARAMETRIZATIONS) as PyInstance)!.modules, name, plist);
    return m;
  });

  return {
    register_parametrization: register,
    remove_parametrizations: new Builtin('remove_parametrizations', (a, kw, ctx) => removeParametrizations(rt, moduleArg(a[0], 'remove_parametrizations'), pyStr(a[1] ?? kw.get('tensor_name')!), (a[2] ?? kw.get('leave_parametrized') ?? true) !== false, ctx)),
    is_parametrized: new Builtin('is_parametrized', (a, kw) => {
      const m = moduleArg(a[0], 'is_parametrized');
      const name = a[1] ?? kw.get('tensor_name') ?? null;
      return name === null ? dget(stateOf(m)!.modules, PARAMETRIZATIONS) !== undefined : plistOf(m, pyStr(name)) !== undefined;
    }),
    type_before_parametrizations: new Builtin('type_before_parametrizations', (a) => {
      const m = moduleArg(a[0], 'type_before_parametrizations');
      return plainClass(m);
    }),
    cached: cachedContext(rt),
    ParametrizationList: plistCls,
  };
}

function originalsOf(plist: PyInstance): Value[] {
  const out: Value[] = [];
  for (let i = 0; ; i++) {
    const v = dget(stateOf(plist)!.params, `original${i}`) ?? dget(stateOf(plist)!.buffers, `original${i}`);
    if (v === undefined) return out;
    out.push(v);
  }
}

function checkShape(before: Value, after: Value, ctx: CallCtx): void {
  if (!(before instanceof TensorV) || !(after instanceof TensorV)) return;
  if (before.shape.length === after.shape.length && before.shape.every((d, i) => d === null || after.shape[i] === null || d === after.shape[i])) return;
  throw new PyException('ValueError', `Registering a parametrization may not change the shape of the tensor, unless \`unsafe\` flag is enabled.\nunparametrized shape: torch.Size(${shapeStr(before.shape)})\nparametrized shape: torch.Size(${shapeStr(after.shape)})`, null, ctx.file, ctx.s, ctx.e);
}

/** The module's own Parametrized<Name> class, made (with the parametrizations ModuleDict) on first use. */
function parametrizedClass(rt: TorchRuntime, m: PyInstance, ctx: CallCtx): PyClass {
  if (dget(stateOf(m)!.modules, PARAMETRIZATIONS) instanceof PyInstance) return m.cls;
  const cls = new PyClass(`Parametrized${m.cls.name}`, [m.cls], m.cls.moduleName);
  m.cls = cls;
  dset(stateOf(m)!.modules, PARAMETRIZATIONS, rt.it.call(rt.classes.get('ModuleDict')!, [], NO_KWARGS, ctx));
  return cls;
}

function plainClass(m: PyInstance): PyClass {
  return dget(stateOf(m)!.modules, PARAMETRIZATIONS) instanceof PyInstance && m.cls.bases.length === 1 ? m.cls.bases[0] : m.cls;
}

function removeParametrizations(rt: TorchRuntime, m: PyInstance, name: string, leave: boolean, ctx: CallCtx): Value {
  const plist = plistOf(m, name);
  if (!plist) throw new PyException('ValueError', `Module ${m.cls.name} does not have a parametrization on ${name}`, null, ctx.file, ctx.s, ctx.e);
  const wasParam = dentries(stateOf(plist)!.params).length > 0;
  const kept = leave ? rt.it.getAttr(m, name, ctx) : dget(stateOf(plist)!.params, 'original') ?? dget(stateOf(plist)!.buffers, 'original');
  if (!(kept instanceof TensorV)) throw new PyException('ValueError', 'Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms of a sequence of tensors.', null, ctx.file, ctx.s, ctx.e);
  const dict = dget(stateOf(m)!.modules, PARAMETRIZATIONS) as PyInstance;
  ddel(stateOf(dict)!.modules, name);
  m.cls.dict.delete(name);
  if (wasParam) dset(stateOf(m)!.params, name, Object.assign(rt.param([...kept.shape] as number[], true), { dtype: kept.dtype }));
  else dset(stateOf(m)!.buffers, name, rt.tensor([...kept.shape], kept.dtype));
  if (!stateOf(dict)!.modules.map.size) { ddel(stateOf(m)!.modules, PARAMETRIZATIONS); m.cls = m.cls.bases[0]; }
  return m;
}

function cachedContext(rt: TorchRuntime): PyClass {
  const c = new PyClass('cached', [rt.it.types.get('object')!], 'torch.nn.utils.parametrize');
  c.dict.set('__init__', new Builtin('cached.__init__', () => null));
  c.dict.set('__enter__', new Builtin('cached.__enter__', () => null));
  c.dict.set('__exit__', new Builtin('cached.__exit__', () => false));
  return c;
}

// ---------------------------------------------------------------- torch.nn.utils.parametrizations

/** A native parametrization module: a leaf with no parameters whose forward maps its originals to the tensor. */
function parametrizationClass(rt: TorchRuntime, name: string, init: (self: PyInstance, a: Value[], kw: Map<string, Value>, ctx: CallCtx) => void,
  forward: (self: PyInstance, a: Value[], ctx: CallCtx) => Value, rightInverse?: (self: PyInstance, w: TensorV) => Value): PyClass {
  const c = new PyClass(name, [rt.Module], 'torch.nn.utils.parametrizations');
  c.dict.set('__init__', new Builtin(`${name}.__init__`, (a, kw, ctx) => { init(a[0] as PyInstance, a.slice(1), kw, ctx); return null; }));
  c.dict.set('forward', new Builtin(`${name}.forward`, (a, _kw, ctx) => forward(a[0] as PyInstance, a.slice(1), ctx)));
  if (rightInverse) c.dict.set('right_inverse', new Builtin(`${name}.right_inverse`, (a) => rightInverse(a[0] as PyInstance, a[1] as TensorV)));
  return c;
}

/** `norm_except_dim(v, 2, dim)`'s shape: v's size at dim, 1 elsewhere; a scalar for dim -1. */
export function normExceptDimShape(shape: Array<number | null>, dim: number): Array<number | null> {
  if (dim === -1) return [];
  const d = dim < -1 ? dim + shape.length : dim;
  return shape.map((s, i) => (i === d ? s : 1));
}

export function parametrizations(rt: TorchRuntime, ns: (name: string) => { scope: { vars: Map<string, Value> } }): Members {
  const it = rt.it;
  const register = ns('torch.nn.utils.parametrize').scope.vars.get('register_parametrization')!;
  const argOr = (a: Value[], kw: Map<string, Value>, i: number, n: string, d: Value): Value => (i < a.length ? a[i] : kw.has(n) ? kw.get(n)! : d);
  const weightNormCls = parametrizationClass(rt, '_WeightNorm',
    (self, a, kw) => { const dim = argOr(a, kw, 0, 'dim', 0); self.dict.set('dim', dim === null ? -1 : dim); },
    (self, a) => { const v = a[1] as TensorV; return mapData(rt, v, 'weight_norm', undefined, undefined, 4); },
    (self, w) => new PyTuple([rt.tensor(normExceptDimShape(w.shape, self.dict.get('dim') as number), w.dtype), w]));
  const spectralCls = parametrizationClass(rt, '_SpectralNorm', (self, a, kw, ctx) => {
    const w = a[0] as TensorV;
    const iters = argOr(a, kw, 1, 'n_power_iterations', 1) as number;
    if (iters <= 0) throw new PyException('ValueError', `Expected n_power_iterations to be positive, but got n_power_iterations=${iters}`, null, ctx.file, ctx.s, ctx.e);
    let dim = argOr(a, kw, 2, 'dim', 0) as number;
    if (dim < 0) dim += w.shape.length;
    self.dict.set('dim', dim); self.dict.set('eps', argOr(a, kw, 3, 'eps', 1e-12)); self.dict.set('n_power_iterations', iters);
    if (w.shape.length > 1) {
      const h = w.shape[dim], n = numel(w.shape);
      dset(stateOf(self)!.buffers, '_u', rt.tensor([h], w.dtype));
      dset(stateOf(self)!.buffers, '_v', rt.tensor([h === null || n === null ? null : n / h], w.dtype));
    }
  }, (_self, a) => derive(rt, a[0] as TensorV, [...(a[0] as TensorV).shape], 'spectral_norm', {}), (_self, w) => w);
  const orthogonalCls = parametrizationClass(rt, '_Orthogonal', (self, a, kw, ctx) => {
    const w = a[0] as TensorV;
    if (w.shape.length < 2) throw new PyException('ValueError', `Expected a matrix or batch of matrices. Got a tensor of ${w.shape.length} dimensions.`, null, ctx.file, ctx.s, ctx.e);
    if (argOr(a, kw, 2, 'use_trivialization', true) !== false) {
      const [n, k] = w.shape.slice(-2);
      const big = n === null || k === null ? null : Math.max(n, k);
      dset(stateOf(self)!.buffers, 'base', rt.tensor([...w.shape.slice(0, -2), big, big], w.dtype));
    }
  }, (_self, a) => derive(rt, a[0] as TensorV, [...(a[0] as TensorV).shape], 'orthogonal', {}), (_self, w) => w);
  const isTransposedConv = (m: PyInstance): boolean => m.cls.mro.some((c) => /^ConvTranspose[123]d$/.test(c.name));
  const weightOf = (m: PyInstance, name: string, ctx: CallCtx): TensorV => {
    const w = it.getAttrOpt(m, name, ctx);
    if (!(w instanceof TensorV)) throw new PyException('ValueError', `Module '${m.cls.name}' has no parameter or buffer with name '${name}'`, null, ctx.file, ctx.s, ctx.e);
    return w;
  };
  return {
    weight_norm: new Builtin('weight_norm', (a, kw, ctx) => {
      const m = moduleArg(a[0], 'weight_norm');
      const p = it.call(weightNormCls, [argOr(a, kw, 2, 'dim', 0)], NO_KWARGS, ctx);
      return it.call(register, [m, pyStr(argOr(a, kw, 1, 'name', 'weight')), p], new Map([['unsafe', true]]), ctx);
    }),
    spectral_norm: new Builtin('spectral_norm', (a, kw, ctx) => {
      const m = moduleArg(a[0], 'spectral_norm');
      const name = pyStr(argOr(a, kw, 1, 'name', 'weight'));
      const dim = argOr(a, kw, 4, 'dim', null) ?? (isTransposedConv(m) ? 1 : 0);
      const p = it.call(spectralCls, [weightOf(m, name, ctx), argOr(a, kw, 2, 'n_power_iterations', 1), dim, argOr(a, kw, 3, 'eps', 1e-12)], NO_KWARGS, ctx);
      return it.call(register, [m, name, p], NO_KWARGS, ctx);
    }),
    orthogonal: new Builtin('orthogonal', (a, kw, ctx) => {
      const m = moduleArg(a[0], 'orthogonal');
      const name = pyStr(argOr(a, kw, 1, 'name', 'weight'));
      const p = it.call(orthogonalCls, [weightOf(m, name, ctx), argOr(a, kw, 2, 'orthogonal_map', null)], new Map([['use_trivialization', argOr(a, kw, 3, 'use_trivialization', true)]]), ctx);
      return it.call(register, [m, name, p], NO_KWARGS, ctx);
    }),
    parametrize: ns('torch.nn.utils.parametrize') as unknown as Value,
  };
}

