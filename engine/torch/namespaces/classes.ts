// The classes torch code subclasses, constructs and isinstance-checks: nn.Module and its containers,
// the private bases (_ConvNd, _BatchNorm, ...), every layer of layers/*, Tensor, Parameter, Size.
// Made once per interpreter, before any namespace refers to them.
import { Builtin, PyClass, PyTuple, Unknown, type Value } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import { installContainers, installModuleClass } from '../nnModule';
import { allLayerSpecs } from '../layers/index';
import { sizeArgs, sizeTuple } from '../tensorOps';
import { TensorV } from '../tensor';

/** Base classes user code subclasses or isinstance-checks, with their bases. */
const PRIVATE_BASES = [
  ['_ConvNd', 'Module'], ['_BatchNorm', '_NormBase'], ['_NormBase', 'Module'], ['_InstanceNorm', '_NormBase'],
  ['_MaxPoolNd', 'Module'], ['_AvgPoolNd', 'Module'], ['_DropoutNd', 'Module'], ['RNNBase', 'Module'],
] as const;

export function installClasses(rt: TorchRuntime): void {
  installModuleClass(rt);
  installContainers(rt);
  for (const [name, base] of PRIVATE_BASES) {
    if (!rt.classes.has(base)) rt.classes.set(base, new PyClass(base, [rt.classes.get('Module')!], 'torch.nn'));
    rt.classes.set(name, new PyClass(name, [rt.classes.get(base)!], 'torch.nn'));
  }
  for (const spec of allLayerSpecs) rt.layerClass(spec);
  installTensorClasses(rt);
}

function installTensorClasses(rt: TorchRuntime): void {
  const it = rt.it;
  const Tensor = new PyClass('Tensor', [it.types.get('object')!], 'torch');
  Tensor.dict.set('__instancecheck_native__', new Builtin('Tensor.check', (a) => a[0] instanceof TensorV));
  Tensor.dict.set('__new__', new Builtin('Tensor.__new__', (a) => rt.tensor(sizeArgs(a.slice(1)))));
  const Parameter = new PyClass('Parameter', [Tensor], 'torch.nn');
  Parameter.dict.set('__instancecheck_native__', new Builtin('Parameter.check', (a) => a[0] instanceof TensorV && a[0].isParam));
  Parameter.dict.set('__new__', new Builtin('Parameter.__new__', (a, kw) => {
    const data = a[1] ?? kw.get('data') ?? null;
    const rg = a[2] ?? kw.get('requires_grad') ?? true;
    const src = data instanceof TensorV ? data : rt.tensor([]);
    const p = rt.param([...src.shape] as number[], rg !== false);
    p.dtype = src.dtype;
    if (src.data) p.data = src.data;
    if (src.src) p.init = src.src;
    return p;
  }));
  it.types.set('Tensor', Tensor);
  it.types.set('Parameter', Parameter);
  const Size = new PyClass('Size', [it.types.get('tuple')!], 'torch');
  Size.dict.set('__new__', new Builtin('Size.__new__', (a) => sizeTuple(rt, sizeArgs(a.slice(1)))));
  Size.dict.set('numel', new Builtin('Size.numel', (a) => { const t = a[0] as PyTuple; return t.items.reduce<Value>((p, q) => (q instanceof Unknown ? q : p instanceof Unknown ? p : (p as number) * (q as number)), 1); }));
  rt.classes.set('Size', Size);
}
