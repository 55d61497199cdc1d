// typing and typing_extensions: annotation helpers as subscriptable markers (isinstance works where the
// check is decidable: Sequence, Mapping, Callable), NamedTuple, cast/overload as identities.
import type { Interp } from '../interp';
import { Builtin, Partial, PyClass, PyDict, PyException, PyFunction, PyList, PySet, Unknown, BoundMethod, type Value } from '../values';
import { pyStr } from '../ops';
import { fn, marker, isSeq, isMap } from './native';
import { makeNamedTuple, orderedDictClass } from './collections';
import { annotationNames } from '../statements';

export function typing(it: Interp): Record<string, Value> {
  const m: Record<string, Value> = {};
  for (const n of ['Optional', 'List', 'Dict', 'Tuple', 'Any', 'Union', 'Type', 'Set', 'FrozenSet', 'Literal', 'ClassVar', 'Final', 'Generic', 'Protocol', 'Iterator', 'Generator', 'DefaultDict', 'Deque', 'Awaitable', 'Text', 'NoReturn', 'Counter']) m[n] = marker(it, n);
  m.Sequence = marker(it, 'Sequence', isSeq);
  m.Iterable = marker(it, 'Iterable', (v) => isSeq(v) || isMap(v) || v instanceof PySet);
  m.Mapping = marker(it, 'Mapping', isMap);
  m.MutableMapping = marker(it, 'MutableMapping', isMap);
  m.Callable = marker(it, 'Callable', (v) => v instanceof PyFunction || v instanceof Builtin || v instanceof PyClass || v instanceof Partial || v instanceof BoundMethod);
  m.TypeVar = fn('TypeVar', (a, kw) => {
    const name = a[0] ?? kw.get('name');
    if (name === undefined) throw new PyException('TypeError', "TypeVar.__init__() missing 1 required positional argument: 'name'");
    return new Unknown(`TypeVar ${pyStr(name)}`);
  });
  m.NewType = fn('NewType', (a) => a[1]);
  m.cast = fn('cast', (a) => a[1]);
  m.overload = fn('overload', (a) => a[0]);
  m.no_type_check = fn('no_type_check', (a) => a[0]);
  m.final = fn('final', (a) => a[0]);
  m.get_type_hints = fn('get_type_hints', () => new PyDict());
  m.TYPE_CHECKING = false;
  m.NamedTuple = namedTupleBase(it);
  m.OrderedDict = orderedDictClass(it);
  // any other typing name is only ever used in annotations and generics
  m.__getattr__ = fn('typing.__getattr__', (a) => marker(it, String(a[0])));
  return m;
}

function namedTupleBase(it: Interp): PyClass {
  const base = new PyClass('NamedTuple', [it.types.get('tuple')!], 'typing');
  base.dict.set('__init_subclass_native__', new Builtin('NamedTuple.init_subclass', (a) => {
    const cls = a[0] as PyClass;
    const names = annotationNames(cls);
    const defaults: Value[] = [];
    for (const n of names) { const d = cls.dict.get(n); if (d !== undefined) defaults.push(d); }
    const nt = makeNamedTuple(it, cls.name, names, defaults);
    for (const [k, v] of cls.dict) if (!names.includes(k) && !nt.dict.has(k)) nt.dict.set(k, v);
    return nt;
  }));
  return base;
}
