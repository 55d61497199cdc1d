// The top-level `torch` namespace: the functions of creation.ts, shapeOps.ts and mathOps.ts, dtypes,
// grad-mode context managers, and the process-facing calls answered without touching a device
// (cuda.is_available() is False, manual_seed does nothing).
import { Builtin, PyClass, PyException, Unknown, type Value } from '../../interp/values';
import { pyStr } from '../../interp/ops';
import { nativeModule } from '../../interp/stdlib/native';
import type { TorchRuntime } from '../runtime';
import { TensorV } from '../tensor';
import { DTYPES, type Members } from './common';
import { creationOps, literalOps } from './creation';
import { indexOps, viewOps } from './shapeOps';
import { complexOps, elementwiseOps, productOps, reductionOps } from './mathOps';
import type { NamespaceLookup } from './registry';
import { transparent } from './jit';
import { numpyOps } from './fromNumpy';

/** torch.* functions, the ones nn.functional shares by name included. */
export function torchFunctions(rt: TorchRuntime): Members {
  const out: Members = {};
  creationOps(rt, out);
  literalOps(rt, out);
  viewOps(rt, out);
  indexOps(rt, out);
  productOps(rt, out);
  elementwiseOps(rt, out);
  complexOps(rt, out);
  reductionOps(rt, out);
  numpyOps(rt, out);
  return out;
}

export function torch(rt: TorchRuntime, ns: NamespaceLookup): Members {
  const it = rt.it;
  const noGradCls = new PyClass('no_grad', [it.types.get('object')!], 'torch');
  noGradCls.dict.set('__init__', new Builtin('no_grad.__init__', () => null));
  noGradCls.dict.set('__enter__', new Builtin('no_grad.__enter__', () => null));
  noGradCls.dict.set('__exit__', new Builtin('no_grad.__exit__', () => false));
  noGradCls.dict.set('__call__', new Builtin('no_grad.__call__', (a) => a[1]));
  const dtypeVals: Record<string, Value> = { ...DTYPES };
  return {
    ...torchFunctions(rt), ...dtypeVals, nn: ns('torch.nn'), jit: ns('torch.jit'), fx: ns('torch.fx'), utils: ns('torch.utils'), hub: ns('torch.hub'),
    Tensor: it.types.get('Tensor')!, Size: rt.classes.get('Size')!, Parameter: it.types.get('Parameter')!,
    no_grad: noGradCls, enable_grad: noGradCls, inference_mode: noGradCls, set_grad_enabled: noGradCls,
    device: new Builtin('device', (a) => pyStr(a[0] ?? 'cpu')),
    cuda: nativeModule(it, 'torch.cuda', { is_available: new Builtin('is_available', () => false), device_count: new Builtin('device_count', () => 0) }),
    backends: new Unknown('torch.backends'),
    version: ns('torch.version'), autograd: ns('torch.autograd'), __version__: ns('torch.version').scope.vars.get('__version__')!,
    // torch.compile (PyTorch 2.x) runs the same module: the analysis reads it as the eager model
    compile: transparent('compile'),
    manual_seed: new Builtin('manual_seed', () => null),
    set_default_dtype: new Builtin('set_default_dtype', () => null),
    get_default_dtype: new Builtin('get_default_dtype', () => 'float32'),
    is_tensor: new Builtin('is_tensor', (a) => a[0] instanceof TensorV),
    is_grad_enabled: new Builtin('is_grad_enabled', () => true),
    _assert: new Builtin('_assert', (a, _kw, ctx) => {
      if (a[0] === false) throw new PyException('AssertionError', pyStr(a[1] ?? 'assertion failed'), null, ctx.file, ctx.s, ctx.e);
      return null;
    }),
  };
}
