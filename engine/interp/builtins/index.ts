// Python's builtins: the built-in types, the exception hierarchy, the built-in functions and the
// methods of built-in values, installed into an interpreter's builtins scope. One file per area;
// nothing here reads files, the environment or the clock.
import type { Interp } from '../interp';
import { PyClass, PyEllipsis, PyInstance } from '../values';
import { installTypes } from './types';
import { installExceptions } from './exceptions';
import { installObjectFunctions } from './functions';
import { installIterationFunctions } from './iteration';
import { installNumericFunctions } from './numeric';
import { installContainerMethods } from './methods';
import { installStrMethods } from './strMethods';

export { classOf, isInstance } from './types';
export { roundHalfEven } from './define';

export function installBuiltins(it: Interp): void {
  installTypes(it);
  installExceptions(it);
  const B = it.builtins.vars;
  B.set('None', null);
  B.set('Ellipsis', PyEllipsis.it);
  // the singleton a binary dunder returns to let the other operand try (protocols.ts)
  B.set('NotImplemented', new PyInstance(new PyClass('NotImplementedType', [it.types.get('object')!], 'builtins')));
  B.set('__debug__', true);
  installObjectFunctions(it);
  installIterationFunctions(it);
  installNumericFunctions(it);
  installContainerMethods(it);
  installStrMethods(it);
}
