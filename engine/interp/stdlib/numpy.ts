// The few numpy calls model constructors make (stochastic-depth schedules, widths): linspace, arange,
// prod, a handful of math functions, and small 1-d arrays. Every other name is Unknown.
import type { Interp } from '../interp';
import { PyClass, PyInstance, PyList, PyTuple, Unknown, type Value } from '../values';
import { numVal, pyStr } from '../ops';
import { fn, realArg, flt, kwOr } from './native';

export function numpy(it: Interp): Record<string, Value> {
  const seq = (xs: number[]): PyList => new PyList(xs.map((x) => flt(x)));
  const arr = (xs: number[]): PyInstance => {
    const o = new PyInstance(ndarray);
    o.dict.set('tolist', fn('tolist', () => seq(xs)));
    o.dict.set('shape', new PyTuple([xs.length]));
    o.native = xs;
    return o;
  };
  const ndarray = new PyClass('ndarray', [it.types.get('object')!], 'numpy');
  ndarray.dict.set('__len__', fn('len', (a) => ((a[0] as PyInstance).native as number[]).length));
  ndarray.dict.set('__iter__', fn('iter', (a) => seq((a[0] as PyInstance).native as number[])));
  ndarray.dict.set('__getitem__', fn('getitem', (a, _k, ctx) => it.getItem(seq((a[0] as PyInstance).native as number[]), a[1], ctx)));
  return {
      pi: flt(Math.PI), e: flt(Math.E), inf: flt(Infinity), ndarray,
      linspace: fn('linspace', (a, kw) => {
        const lo = realArg(a[0]), hi = realArg(a[1]), n = numVal((a[2] ?? kwOr(kw, 'num', 50)) as number);
        const endpoint = kwOr(kw, 'endpoint', true) !== false;
        const div = endpoint ? n - 1 : n;
        const step = div > 0 ? (hi - lo) / div : 0;
        return arr(Array.from({ length: n }, (_, i) => (endpoint && i === n - 1 && n > 1 ? hi : lo + i * step)));
      }),
      arange: fn('arange', (a) => { const [lo, hi, st] = a.length === 1 ? [0, realArg(a[0]), 1] : [realArg(a[0]), realArg(a[1]), a[2] === undefined ? 1 : realArg(a[2])]; return arr(Array.from({ length: Math.max(0, Math.ceil((hi - lo) / st)) }, (_, i) => lo + i * st)); }),
      prod: fn('prod', (a, _k, ctx) => it.iterate(a[0], ctx).reduce<number>((p, q) => p * realArg(q), 1)),
      sqrt: fn('sqrt', (a) => flt(Math.sqrt(realArg(a[0])))), log: fn('log', (a) => flt(Math.log(realArg(a[0])))), exp: fn('exp', (a) => flt(Math.exp(realArg(a[0])))),
      ceil: fn('ceil', (a) => flt(Math.ceil(realArg(a[0])))), floor: fn('floor', (a) => flt(Math.floor(realArg(a[0])))),
      __getattr__: fn('numpy.__getattr__', (a) => new Unknown(`numpy.${pyStr(a[0])} is not modelled`)),
  };
}
