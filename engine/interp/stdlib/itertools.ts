// itertools over finite inputs: chain, product, repeat (with a count), accumulate, islice, zip_longest,
// combinations. Endless iterators are refused with a diagnostic, never looped.
import type { Interp } from '../interp';
import { InterpError, PyIterator, PyTuple, type Value } from '../values';
import { numVal } from '../ops';
import { fn, kwOr } from './native';
import { checkSize } from '../budget';
import { NO_KWARGS } from '../calls';

/** C(n, r), exactly. */
function binomial(n: number, r: number): bigint {
  if (r < 0 || r > n) return 0n;
  let c = 1n;
  for (let i = 0; i < Math.min(r, n - r); i++) c = (c * BigInt(n - i)) / BigInt(i + 1);
  return c;
}

export function itertools(it: Interp): Record<string, Value> {
  return {
    chain: Object.assign(fn('chain', (a, _k, ctx) => new PyIterator(a.flatMap((x) => it.iterate(x, ctx)))), {}),
    product: fn('product', (a, kw, ctx) => {
      const rep = numVal(kwOr(kw, 'repeat', 1) as number);
      let pools = a.map((x) => it.iterate(x, ctx));
      pools = Array.from({ length: rep }, () => pools).flat();
      // the count before anything is built: itertools.product(range(1000), repeat=3) is 10^9 tuples
      checkSize('itertools.product', pools.reduce((n, p) => n * BigInt(p.length), 1n));
      let out: Value[][] = [[]];
      for (const p of pools) out = out.flatMap((prefix) => p.map((v) => [...prefix, v]));
      return new PyIterator(out.map((t) => new PyTuple(t)));
    }),
    repeat: fn('repeat', (a) => { if (a.length < 2) throw new InterpError('itertools.repeat without a count is endless'); checkSize('itertools.repeat', Math.max(0, numVal(a[1] as number))); return new PyIterator(Array.from({ length: numVal(a[1] as number) }, () => a[0])); }),
    accumulate: fn('accumulate', (a, kw, ctx) => {
      const items = it.iterate(a[0], ctx); const out: Value[] = [];
      let acc: Value | undefined = kw.get('initial');
      if (acc !== undefined) out.push(acc);
      for (const v of items) { acc = acc === undefined ? v : a[1] ? it.call(a[1], [acc, v], NO_KWARGS, ctx) : it.binop('+', acc, v, ctx); out.push(acc); }
      return new PyIterator(out);
    }),
    islice: fn('islice', (a, _k, ctx) => { const items = it.iterate(a[0], ctx); return new PyIterator(a.length === 2 ? items.slice(0, numVal(a[1] as number)) : items.slice(numVal(a[1] as number), a[2] === null ? undefined : numVal(a[2] as number))); }),
    zip_longest: fn('zip_longest', (a, kw, ctx) => {
      const lists = a.map((x) => it.iterate(x, ctx)); const n = Math.max(0, ...lists.map((l) => l.length)); const fill = kwOr(kw, 'fillvalue', null);
      return new PyIterator(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => (i < l.length ? l[i] : fill)))));
    }),
    combinations: fn('combinations', (a, _k, ctx) => {
      const items = it.iterate(a[0], ctx); const r = numVal(a[1] as number); const out: Value[] = [];
      checkSize('itertools.combinations', binomial(items.length, r));
      const rec = (start: number, acc: Value[]): void => { if (acc.length === r) { out.push(new PyTuple(acc)); return; } for (let i = start; i < items.length; i++) rec(i + 1, [...acc, items[i]]); };
      rec(0, []);
      return new PyIterator(out);
    }),
  };
}
