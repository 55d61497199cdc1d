// itertools over finite inputs: chain, product, repeat (with a count), accumulate, islice, zip_longest,
// combinations. Endless iterators are refused with a diagnostic, never looped.
import type { Interp } from '../interp';
import { InterpError, PyException, PyIterator, PyTuple, Unknown, type Value } from '../values';
import { isIntLike, numVal } from '../ops';
import { fn, intArg, kwOr } from './native';
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
    repeat: fn('repeat', (a, kw) => {
      if (!a.length && !kw.has('object')) throw new PyException('TypeError', "repeat() missing required argument 'object' (pos 1)");
      const times = a.length > 1 ? a[1] : kw.get('times');
      if (times === undefined) throw new InterpError('itertools.repeat without a count is endless');
      const n = Math.max(0, intArg(times));
      checkSize('itertools.repeat', n);
      const obj = a.length ? a[0] : kw.get('object')!;
      return new PyIterator(Array.from({ length: n }, () => obj));
    }),
    accumulate: fn('accumulate', (a, kw, ctx) => {
      const items = it.iterate(a[0], ctx); const out: Value[] = [];
      let acc: Value | undefined = kw.get('initial');
      if (acc !== undefined) out.push(acc);
      for (const v of items) { acc = acc === undefined ? v : a[1] ? it.call(a[1], [acc, v], NO_KWARGS, ctx) : it.binop('+', acc, v, ctx); out.push(acc); }
      return new PyIterator(out);
    }),
    islice: fn('islice', (a, _k, ctx) => {
      if (a.length < 2 || a.length > 4) throw new PyException('TypeError', `islice expected ${a.length < 2 ? 'at least 2' : 'at most 4'} arguments, got ${a.length}`);
      const bound = (v: Value, what: string, dflt: number | undefined): number | undefined => {
        if (v === null) return dflt;
        const n = v instanceof Unknown || isIntLike(v) ? intArg(v) : -1;
        if (n < 0) throw new PyException('ValueError', `${what} argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.`);
        return n;
      };
      const items = it.iterate(a[0], ctx);
      if (a.length === 2) return new PyIterator(items.slice(0, bound(a[1], 'Stop', undefined)));
      const start = bound(a[1], 'Indices', 0) ?? 0, stop = bound(a[2], 'Stop', undefined), step = a.length > 3 ? bound(a[3], 'Step', 1) ?? 1 : 1;
      if (step === 0) throw new PyException('ValueError', 'Step for islice() must be a positive integer or None.');
      const out = items.slice(start, stop);
      return new PyIterator(step === 1 ? out : out.filter((_, i) => i % step === 0));
    }),
    zip_longest: fn('zip_longest', (a, kw, ctx) => {
      const lists = a.map((x) => it.iterate(x, ctx)); const n = Math.max(0, ...lists.map((l) => l.length)); const fill = kwOr(kw, 'fillvalue', null);
      return new PyIterator(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => (i < l.length ? l[i] : fill)))));
    }),
    combinations: fn('combinations', (a, kw, ctx) => {
      if (a.length < 2 && !kw.has('r')) throw new PyException('TypeError', `combinations() missing required argument '${a.length ? 'r' : 'iterable'}' (pos ${a.length + 1})`);
      const items = it.iterate(a[0], ctx); const r = intArg(a[1] ?? kw.get('r')!); const out: Value[] = [];
      if (r < 0) throw new PyException('ValueError', 'r must be non-negative');
      checkSize('itertools.combinations', binomial(items.length, r));
      const rec = (start: number, acc: Value[]): void => { if (acc.length === r) { out.push(new PyTuple(acc)); return; } for (let i = start; i < items.length; i++) rec(i + 1, [...acc, items[i]]); };
      rec(0, []);
      return new PyIterator(out);
    }),
  };
}
