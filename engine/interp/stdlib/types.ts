// types: the function/method/module type markers for isinstance, and SimpleNamespace.
import type { Interp } from '../interp';
import { Builtin, PyFunction, PyInstance, PyModule, BoundMethod, type Value } from '../values';
import { fn, marker } from './native';

export function types(it: Interp): Record<string, Value> {
  return {
    FunctionType: marker(it, 'FunctionType', (v) => v instanceof PyFunction),
    LambdaType: marker(it, 'LambdaType', (v) => v instanceof PyFunction),
    MethodType: marker(it, 'MethodType', (v) => v instanceof BoundMethod),
    BuiltinFunctionType: marker(it, 'BuiltinFunctionType', (v) => v instanceof Builtin),
    ModuleType: marker(it, 'ModuleType', (v) => v instanceof PyModule),
    SimpleNamespace: fn('SimpleNamespace', (_a, kw) => { const o = new PyInstance(it.types.get('object')!); for (const [k, v] of kw) o.dict.set(k, v); return o; }),
  };
}
