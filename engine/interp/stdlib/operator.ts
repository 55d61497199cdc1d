// operator: the arithmetic functions (through the interpreter's binop), itemgetter, attrgetter, index.
import type { Interp } from '../interp';
import { PyTuple, type Value } from '../values';
import { fn } from './native';

export function operator(it: Interp): Record<string, Value> {
  return {
    add: fn('add', (a, _k, ctx) => it.binop('+', a[0], a[1], ctx)),
    mul: fn('mul', (a, _k, ctx) => it.binop('*', a[0], a[1], ctx)),
    sub: fn('sub', (a, _k, ctx) => it.binop('-', a[0], a[1], ctx)),
    truediv: fn('truediv', (a, _k, ctx) => it.binop('/', a[0], a[1], ctx)),
    floordiv: fn('floordiv', (a, _k, ctx) => it.binop('//', a[0], a[1], ctx)),
    itemgetter: fn('itemgetter', (a) => fn('itemgetter_fn', (b, _k, ctx) => (a.length === 1 ? it.getItem(b[0], a[0], ctx) : new PyTuple(a.map((i) => it.getItem(b[0], i, ctx)))))),
    attrgetter: fn('attrgetter', (a) => fn('attrgetter_fn', (b, _k, ctx) => String(a[0]).split('.').reduce<Value>((o, n) => it.getAttr(o, n, ctx), b[0]))),
    index: fn('index', (a) => a[0]),
  };
}
