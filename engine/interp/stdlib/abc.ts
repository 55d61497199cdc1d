// abc: ABC/ABCMeta as plain bases and abstractmethod as identity (abstractness is not checked).
import type { Interp } from '../interp';
import { PyClass, Property, type Value } from '../values';
import { fn } from './native';

export function abc(it: Interp): Record<string, Value> {
  const abcCls = new PyClass('ABC', [it.types.get('object')!], 'abc');
  return { ABC: abcCls, ABCMeta: abcCls, abstractmethod: fn('abstractmethod', (a) => a[0]), abstractproperty: fn('abstractproperty', (a) => new Property(a[0])) };
}
