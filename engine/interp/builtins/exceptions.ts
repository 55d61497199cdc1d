// The built-in exception hierarchy (BaseException → Exception → ValueError, ...), for raise,
// except clauses and isinstance; args and str() as Python gives them.
import type { Interp } from '../interp';
import { Builtin, PyInstance, PyTuple } from '../values';
import { pyStr } from '../ops';
import { defineType } from './define';

export function installExceptions(it: Interp): void {
  const object = it.types.get('object')!;
  const base = defineType(it, 'BaseException', [object]);
  base.dict.set('__init__', new Builtin('BaseException.__init__', (a) => { (a[0] as PyInstance).dict.set('args', new PyTuple(a.slice(1))); return null; }));
  base.dict.set('__str__', new Builtin('BaseException.__str__', (a) => { const args = (a[0] as PyInstance).dict.get('args'); return args instanceof PyTuple && args.items.length ? pyStr(args.items[0]) : ''; }));
  const exc = defineType(it, 'Exception', [base]);
  const tree: Array<[string, string]> = [
    ['ValueError', 'Exception'], ['TypeError', 'Exception'], ['KeyError', 'LookupError'], ['IndexError', 'LookupError'],
    ['AttributeError', 'Exception'], ['RuntimeError', 'Exception'], ['NotImplementedError', 'RuntimeError'],
    ['AssertionError', 'Exception'], ['StopIteration', 'Exception'], ['ImportError', 'Exception'],
    ['ModuleNotFoundError', 'ImportError'], ['ZeroDivisionError', 'ArithmeticError'], ['NameError', 'Exception'],
    ['OSError', 'Exception'], ['UserWarning', 'Warning'], ['DeprecationWarning', 'Warning'], ['FutureWarning', 'Warning'],
    ['RecursionError', 'RuntimeError'], ['OverflowError', 'ArithmeticError'], ['FileNotFoundError', 'OSError'],
  ];
  defineType(it, 'LookupError', [exc]); defineType(it, 'ArithmeticError', [exc]); defineType(it, 'Warning', [exc]);
  for (const [n, p] of tree) defineType(it, n, [it.types.get(p)!]);
}
