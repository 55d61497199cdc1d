// warnings: warn and the filters do nothing (the analysis reports its own diagnostics);
// catch_warnings is a context manager.
import type { Interp } from '../interp';
import { PyClass, type Value } from '../values';
import { fn } from './native';

export function warnings(it: Interp): Record<string, Value> {
  const cm = new PyClass('catch_warnings', [it.types.get('object')!], 'warnings');
  cm.dict.set('__init__', fn('init', () => null));
  cm.dict.set('__enter__', fn('enter', () => null));
  cm.dict.set('__exit__', fn('exit', () => false));
  return { warn: fn('warn', () => null), filterwarnings: fn('filterwarnings', () => null), simplefilter: fn('simplefilter', () => null), catch_warnings: cm };
}
