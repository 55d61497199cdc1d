// torch.jit and torch.fx as an eager reader sees them: scripting, tracing and their decorators are
// identities (TorchScript models are analysed as the Python they are written in); torch.jit.load,
// which reads a file, stays unmodelled.
import { Builtin, PyClass } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import type { Members } from './common';

export function jit(rt: TorchRuntime): Members {
  const object = rt.it.types.get('object')!;
  return {
    script: transparent('script'), trace: transparent('trace'), trace_module: transparent('trace_module'),
    script_method: transparent('script_method'), unused: transparent('unused'), ignore: transparent('ignore'), export: transparent('export'),
    freeze: transparent('freeze'), optimize_for_inference: transparent('optimize_for_inference'), interface: transparent('interface'),
    _overload_method: transparent('_overload_method'), _overload: transparent('_overload'),
    is_scripting: new Builtin('is_scripting', () => false), is_tracing: new Builtin('is_tracing', () => false),
    annotate: new Builtin('annotate', (a) => a[1]), Attribute: new Builtin('Attribute', (a) => a[0]),
    Final: new PyClass('Final', [object], 'torch.jit'), ScriptModule: rt.Module, ScriptFunction: new PyClass('ScriptFunction', [object], 'torch.jit'),
  };
}

/** A scripting/tracing entry point read as eager code: `f(x, ...)` is x (a function, class or module
 *  instance), and `f(**options)` with no subject is a decorator doing the same (`@torch.jit.ignore(drop=True)`). */
export function transparent(name: string): Builtin {
  const deco = new Builtin(name, (a) => a[0] ?? null);
  return new Builtin(name, (a) => (a.length ? a[0] : deco));
}

export function fx(rt: TorchRuntime): Members {
  const object = rt.it.types.get('object')!;
  return { wrap: new Builtin('wrap', (a) => a[0]), Tracer: new PyClass('Tracer', [object], 'torch.fx'), GraphModule: rt.Module, Proxy: new PyClass('Proxy', [object], 'torch.fx') };
}
