// enum: Enum/IntEnum/Flag classes; a subclass's members are made when the class statement finishes
// (the __init_subclass_native__ hook), auto() numbers from 1.
import type { Interp } from '../interp';
import {
  Builtin, ClassMethod, PyClass, PyDict, PyException, PyFunction, PyInstance, PyList, StaticMethod, Unknown, Property, type Value,
} from '../values';
import { hashKey, pyEquals, pyStr } from '../ops';
import { fn } from './native';

export function enumModule(it: Interp): Record<string, Value> {
  const enumCls = new PyClass('Enum', [it.types.get('object')!], 'enum');
  let autoCounter = 0;
  enumCls.dict.set('__init_subclass_native__', new Builtin('Enum.init_subclass', (a) => makeEnum(it, a[0] as PyClass, () => ++autoCounter)));
  const intEnum = new PyClass('IntEnum', [it.types.get('int')!, enumCls], 'enum');
  const enumMeta = new PyClass('EnumMeta', [it.types.get('type')!], 'enum');
  return {
      Enum: enumCls, IntEnum: intEnum, Flag: enumCls, IntFlag: intEnum, EnumMeta: enumMeta, EnumType: enumMeta,
      auto: fn('auto', () => { autoCounter++; return new Unknown(`auto:${autoCounter}`); }),
      unique: fn('unique', (a) => a[0]),
  };
}

function makeEnum(it: Interp, cls: PyClass, nextAuto: () => number): PyClass {
  if (cls.name === 'Enum' || cls.name === 'IntEnum') return cls;
  const members: PyInstance[] = [];
  for (const [k, v] of [...cls.dict]) {
    if (k.startsWith('_') || v instanceof PyFunction || v instanceof StaticMethod || v instanceof ClassMethod || v instanceof Property || v instanceof Builtin) continue;
    const m = new PyInstance(cls);
    const value = v instanceof Unknown && v.reason.startsWith('auto:') ? Number(v.reason.slice(5)) : v;
    m.dict.set('name', k); m.dict.set('_name_', k);
    m.dict.set('value', value); m.dict.set('_value_', value);
    cls.dict.set(k, m);
    members.push(m);
  }
  void nextAuto;
  cls.dict.set('__enum_members__', new PyList(members));
  cls.dict.set('__new__', new Builtin(`${cls.name}.__new__`, (a) => {
    const v = a[1];
    if (v instanceof PyInstance && v.cls === cls) return v;
    const m = members.find((x) => pyEquals(x.dict.get('value')!, v));
    if (!m) throw new PyException('ValueError', `${pyStr(v)} is not a valid ${cls.name}`);
    return m;
  }));
  cls.dict.set('__class_iter_native__', new Builtin('enum.iter', () => new PyList(members)));
  cls.dict.set('__class_getitem__', new Builtin('enum.getitem', (a) => {
    const m = members.find((x) => x.dict.get('name') === a[1]);
    if (!m) throw new PyException('KeyError', pyStr(a[1]));
    return m;
  }));
  cls.dict.set('__members__', (() => { const d = new PyDict(); for (const m of members) d.map.set(hashKey(m.dict.get('name')!), { k: m.dict.get('name')!, v: m }); return d; })());
  cls.dict.set('__len__', new Builtin('enum.len', () => members.length));
  // members of a str-mixin enum compare and format as their value
  if (cls.mro.some((c) => c.name === 'str')) cls.dict.set('__str__', new Builtin('enum.str', (a) => (a[0] as PyInstance).dict.get('value')!));
  void it;
  return cls;
}
