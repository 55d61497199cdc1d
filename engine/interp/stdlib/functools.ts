// functools: partial, wraps, the caching decorators (identity: analysis calls are not repeated for
// speed), reduce, cached_property (a property).
import type { Interp } from '../interp';
import { Partial, PyDict, PyException, PyFloat, PyFunction, PyList, PyTuple, Property, type Value } from '../values';
import { fn } from './native';
import { NO_KWARGS } from '../calls';

export function functools(it: Interp): Record<string, Value> {
  const partial = fn('partial', (a, kw) => {
    if (!a.length) throw new PyException('TypeError', "type 'partial' takes at least one argument");
    if (a[0] === null || typeof a[0] !== 'object' || a[0] instanceof PyFloat || a[0] instanceof PyList || a[0] instanceof PyTuple || a[0] instanceof PyDict) throw new PyException('TypeError', 'the first argument must be callable');
    return new Partial(a[0], a.slice(1), kw);
  });
  const wraps = fn('wraps', (a) => fn('wraps_decorator', (b) => {
    const w = b[0];
    if (w instanceof PyFunction) {
      w.attrs.set('__wrapped__', a[0]);
      const n = it.getAttrOpt(a[0], '__name__', {});
      if (typeof n === 'string') w.attrs.set('__name__', n);
    }
    return w;
  }));
  const cacheDeco = fn('lru_cache', (a) => (a[0] instanceof PyFunction ? a[0] : fn('lru_cache_decorator', (b) => b[0])));
  return {
      partial, wraps, lru_cache: cacheDeco, cache: cacheDeco,
      reduce: fn('reduce', (a, _k, ctx) => {
        const items = it.iterate(a[1], ctx);
        let acc = a.length > 2 ? a[2] : items.shift()!;
        for (const v of items) acc = it.call(a[0], [acc, v], NO_KWARGS, ctx);
        return acc;
      }),
      update_wrapper: fn('update_wrapper', (a) => a[0]),
      cached_property: fn('cached_property', (a) => new Property(a[0])),
  };
}
