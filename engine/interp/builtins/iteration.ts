// Built-in functions over iterables: enumerate, zip, map, filter, reversed, iter/next, sorted,
// min/max, sum, any/all. Unknown items give an Unknown result, never a guess.
import type { Interp } from '../interp';
import {
  PyException, PyInstance, PyIterator, PyList, PyTuple, Unknown, typeName, type CallCtx, type Value,
} from '../values';
import { numVal } from '../ops';
import { orderBy } from '../protocols';
import { defineFn, sortValues } from './define';
import { NO_KWARGS } from '../calls';

export function installIterationFunctions(it: Interp): void {
  defineFn(it, 'enumerate', (a, kw, ctx) => { const start = numVal((a[1] ?? kw.get('start') ?? 0) as number); return new PyIterator(it.iterate(a[0], ctx).map((v, i) => new PyTuple([i + start, v]))); });
  defineFn(it, 'zip', (a, kw, ctx) => {
    const lists = a.map((x) => it.iterate(x, ctx));
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    if (kw.get('strict') === true && lists.some((l) => l.length !== n)) throw new PyException('ValueError', 'zip() arguments have different lengths');
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(new PyTuple(lists.map((l) => l[i])));
    return new PyIterator(out);
  });
  defineFn(it, 'map', (a, _k, ctx) => {
    const lists = a.slice(1).map((x) => it.iterate(x, ctx));
    const n = Math.min(...lists.map((l) => l.length));
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(it.call(a[0], lists.map((l) => l[i]), NO_KWARGS, ctx));
    return new PyIterator(out);
  });
  defineFn(it, 'filter', (a, _k, ctx) => new PyIterator(it.iterate(a[1], ctx).filter((v) => it.truthy(a[0] === null ? v : it.call(a[0], [v], NO_KWARGS, ctx), ctx))));
  defineFn(it, 'reversed', (a, _k, ctx) => new PyIterator(it.iterate(a[0], ctx).reverse()));
  defineFn(it, 'iter', (a, _k, ctx) => new PyIterator(it.iterate(a[0], ctx)));
  defineFn(it, 'next', (a) => {
    const i = a[0];
    if (i instanceof PyIterator) {
      if (i.pos < i.items.length) return i.items[i.pos++];
      if (a.length > 1) return a[1];
      throw new PyException('StopIteration', '');
    }
    if (i instanceof PyInstance) { const f = i.cls.lookup('__next__'); if (f) return it.call(f, [i], NO_KWARGS, {}); }
    if (i instanceof Unknown) return i;
    throw new PyException('TypeError', `'${typeName(i)}' object is not an iterator`);
  });
  defineFn(it, 'sorted', (a, kw, ctx) => new PyList(sortValues(it, it.iterate(a[0], ctx), kw, ctx)));
  const minmax = (sign: number) => (a: Value[], kw: Map<string, Value>, ctx: CallCtx): Value => {
    let items = a.length === 1 ? it.iterate(a[0], ctx) : a;
    if (!items.length) { const d = kw.get('default'); if (d !== undefined) return d; throw new PyException('ValueError', 'arg is an empty sequence'); }
    const key = kw.get('key');
    const u = items.find((x) => x instanceof Unknown);
    if (u) return u;
    if (items.some((x) => it.ext.isTensor(x))) return new Unknown('min/max of tensors');
    const cmp = orderBy(it, ctx);
    let best = items[0];
    let bestK = key && key !== null ? it.call(key, [best], NO_KWARGS, ctx) : best;
    for (const x of items.slice(1)) {
      const k = key && key !== null ? it.call(key, [x], NO_KWARGS, ctx) : x;
      if (cmp(k, bestK) * sign > 0) { best = x; bestK = k; }
    }
    items = [];
    return best;
  };
  defineFn(it, 'min', minmax(-1));
  defineFn(it, 'max', minmax(1));
  defineFn(it, 'sum', (a, kw, ctx) => {
    let acc: Value = a[1] ?? kw.get('start') ?? 0;
    for (const v of it.iterate(a[0], ctx)) acc = it.binop('+', acc, v, ctx);
    return acc;
  });
  defineFn(it, 'any', (a, _k, ctx) => { let unk: Value | null = null; for (const v of it.iterate(a[0], ctx)) { if (v instanceof Unknown) { unk = v; continue; } if (it.truthy(v, ctx)) return true; } return unk ?? false; });
  defineFn(it, 'all', (a, _k, ctx) => { let unk: Value | null = null; for (const v of it.iterate(a[0], ctx)) { if (v instanceof Unknown) { unk = v; continue; } if (!it.truthy(v, ctx)) return false; } return unk ?? true; });
}
