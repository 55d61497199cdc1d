// How many positional arguments each built-in function and built-in type's method takes, and CPython
// 3.11's TypeError when a call passes fewer or more: checked before the native code runs, so a call with
// an argument missing (a half-typed line, `hash()`) is the user's TypeError at the call, never a crash
// of the analysis. Pure data plus one check.
import { PyException, Unknown, type Value } from '../values';
import { isIntLike, notAnInteger } from '../ops';

/**
 * `one`: METH_O, "X() takes exactly one argument (k given)"; `none`: METH_NOARGS; `exp`: the
 * argument-clinic / PyArg_UnpackTuple form, "X expected at least 1 argument, got 0"; `takes`: the
 * PyArg_ParseTuple form, "X() takes at least 1 argument (0 given)"; `nopos`: keyword-only, "X() takes
 * no positional arguments"; a list of names: the keyword-capable form, "X() missing required argument
 * 'name' (pos i)" (`bare`: without the position, as enumerate says it).
 */
type Style = 'one' | 'none' | 'exp' | 'takes' | 'nopos' | readonly string[];
/** [fewest, most positional arguments, style, positions that must be integers (`__index__`), bare]. */
export type Arity = readonly [number, number, Style, (readonly number[])?, boolean?];

const ONE: Arity = [1, 1, 'one'];
const NONE: Arity = [0, 0, 'none'];
const ANY: Arity = [0, Infinity, 'exp'];
const exp = (min: number, max: number, ints?: number[]): Arity => [min, max, 'exp', ints];
const takes = (min: number, max: number): Arity => [min, max, 'takes'];

export const FUNCTION_ARITY: Readonly<Record<string, Arity>> = {
  enumerate: [1, 2, ['iterable', 'start'], undefined, true], filter: exp(2, 2), reversed: exp(1, 1), iter: exp(1, 2), next: exp(1, 2),
  sorted: exp(1, 1), min: exp(1, Infinity), max: exp(1, Infinity), any: ONE, all: ONE, abs: ONE, round: [1, 2, ['number', 'ndigits']],
  divmod: exp(2, 2), pow: [2, 3, ['base', 'exp', 'mod']], chr: ONE, ord: ONE, hex: ONE, oct: ONE, bin: ONE, len: ONE,
  isinstance: exp(2, 2), issubclass: exp(2, 2), getattr: exp(2, 3), setattr: exp(3, 3), delattr: exp(2, 2), hasattr: exp(2, 2),
  repr: ONE, id: ONE, hash: ONE, callable: ONE, format: exp(1, 2), vars: exp(0, 1), dir: exp(0, 1), globals: NONE, locals: NONE,
};

export const METHOD_ARITY: Readonly<Record<string, Readonly<Record<string, Arity>>>> = {
  list: {
    append: ONE, extend: ONE, insert: exp(2, 2, [0]), remove: ONE, pop: exp(0, 1, [0]), index: exp(1, 3), count: ONE,
    sort: [0, 0, 'nopos'], reverse: NONE, copy: NONE, clear: NONE,
  },
  tuple: { index: exp(1, 3), count: ONE },
  dict: {
    get: exp(1, 2), setdefault: exp(1, 2), pop: exp(1, 2), popitem: NONE, keys: NONE, values: NONE, items: NONE,
    update: exp(0, 1), copy: NONE, clear: NONE, fromkeys: exp(1, 2),
  },
  set: {
    add: ONE, remove: ONE, discard: ONE, pop: NONE, update: ANY, union: ANY, intersection: ANY, difference: ANY,
    symmetric_difference: ONE, issubset: ONE, issuperset: ONE, isdisjoint: ONE, copy: NONE, clear: NONE,
  },
  str: {
    split: takes(0, 2), rsplit: takes(0, 2), join: ONE, replace: exp(2, 3), strip: exp(0, 1), lstrip: exp(0, 1), rstrip: exp(0, 1),
    startswith: takes(1, 3), endswith: takes(1, 3), find: takes(1, 3), rfind: takes(1, 3), index: takes(1, 3), rindex: takes(1, 3), count: takes(1, 3),
    upper: NONE, lower: NONE, title: NONE, capitalize: NONE, casefold: NONE, swapcase: NONE,
    isdigit: NONE, isnumeric: NONE, isalpha: NONE, isidentifier: NONE, isupper: NONE, islower: NONE, isspace: NONE, isalnum: NONE,
    center: exp(1, 2, [0]), ljust: exp(1, 2, [0]), rjust: exp(1, 2, [0]), zfill: [1, 1, 'one', [0]],
    partition: ONE, rpartition: ONE, splitlines: takes(0, 1), encode: takes(0, 2), expandtabs: exp(0, 1, [0]),
    removeprefix: ONE, removesuffix: ONE,
  },
  int: { bit_length: NONE, conjugate: NONE },
  bool: { bit_length: NONE, conjugate: NONE },
  float: { is_integer: NONE, conjugate: NONE, hex: NONE, as_integer_ratio: NONE },
  range: { index: ONE, count: ONE },
};

const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');

/** CPython's TypeError for `k` positional arguments to `qual` (`hash`, `str.zfill`), or undefined when they fit. */
export function arityError(qual: string, spec: Arity, args: readonly Value[]): PyException | undefined {
  const [min, max, style, ints, bare] = spec;
  const k = args.length;
  const short = qual.slice(qual.lastIndexOf('.') + 1);
  if (k < min || k > max) {
    if (style === 'one') return new PyException('TypeError', `${qual}() takes exactly one argument (${k} given)`);
    if (style === 'none') return new PyException('TypeError', `${qual}() takes no arguments (${k} given)`);
    if (style === 'exp') {
      const bound = k < min ? min : max;
      const how = min === max ? '' : k < min ? 'at least ' : 'at most ';
      return new PyException('TypeError', `${short} expected ${how}${bound} ${plural(bound)}, got ${k}`);
    }
    if (style === 'nopos') return new PyException('TypeError', `${short}() takes no positional arguments`);
    if (style === 'takes' || k > max) {
      const bound = k < min ? min : max;
      return new PyException('TypeError', `${short}() takes ${k < min ? 'at least' : 'at most'} ${bound} ${plural(bound)} (${k} given)`);
    }
    return new PyException('TypeError', `${short}() missing required argument '${style[k]}'${bare ? '' : ` (pos ${k + 1})`}`);
  }
  for (const i of ints ?? []) {
    const v = args[i];
    if (i < k && !(v instanceof Unknown) && !isIntLike(v)) return notAnInteger(v);
  }
  return undefined;
}
