// sys: a fixed, host-independent view (Python 3.10 on Linux); nothing of the real process leaks in.
import type { Interp } from '../interp';
import { PyDict, PyList, PyTuple, type Value } from '../values';

export function sys(it: Interp): Record<string, Value> {
  return { version_info: new PyTuple([3, 10, 0]), platform: 'linux', maxsize: 2 ** 53 - 1, modules: new PyDict(), argv: new PyList([]) };
}
