// torch.jit and torch.fx as an eager reader sees them: scripting and tracing decorators are
// identities (TorchScript models are analysed as the Python they are written in).
import { Builtin, PyClass, PyFunction, PyInstance } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import type { Members } from './common';

export function jit(rt: TorchRuntime): Members {
  const object = rt.it.types.get('object')!;
  const identityDecoFactory: Builtin = new Builtin('decorator', (a) => a[0]);
  // NOTE: torch.jit.script(module) scripts an instance: it is the module itself to an eager reader
  const identityDeco = new Builtin('decorator', (a) => (a.length === 1 && (a[0] instanceof PyFunction || a[0] instanceof PyClass || a[0] instanceof Builtin || a[0] instanceof PyInstance) ? a[0] : identityDecoFactory));
  return {
    script: identityDeco, script_method: identityDeco, trace: new Builtin('trace', (a) => a[0]), unused: identityDeco, ignore: identityDeco, export: identityDeco,
    is_scripting: new Builtin('is_scripting', () => false), is_tracing: new Builtin('is_tracing', () => false),
    _overload_method: identityDeco, _overload: identityDeco, annotate: new Builtin('annotate', (a) => a[1]),
    Final: new PyClass('Final', [object], 'torch.jit'), ScriptModule: rt.Module, interface: identityDeco,
  };
}

export function fx(rt: TorchRuntime): Members {
  const object = rt.it.types.get('object')!;
  return { wrap: new Builtin('wrap', (a) => a[0]), Tracer: new PyClass('Tracer', [object], 'torch.fx'), GraphModule: rt.Module, Proxy: new PyClass('Proxy', [object], 'torch.fx') };
}
