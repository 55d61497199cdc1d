// inspect: signature() of Python functions (parameters, kinds, defaults) and the is* predicates;
// built-ins have no signature here (Unknown).
import type { Interp } from '../interp';
import { PyClass, PyDict, PyFunction, PyInstance, Unknown, type Value } from '../values';
import { hashKey } from '../ops';
import { fn } from './native';

export function inspect(it: Interp): Record<string, Value> {
  const paramCls = new PyClass('Parameter', [it.types.get('object')!], 'inspect');
  const kinds: Record<string, number> = { POSITIONAL_ONLY: 0, POSITIONAL_OR_KEYWORD: 1, VAR_POSITIONAL: 2, KEYWORD_ONLY: 3, VAR_KEYWORD: 4 };
  for (const [k, v] of Object.entries(kinds)) paramCls.dict.set(k, v);
  const empty = new PyClass('empty', [it.types.get('object')!], 'inspect');
  paramCls.dict.set('empty', empty);
  const signature = fn('signature', (a) => {
    let f: Value = a[0];
    for (let i = 0; i < 20 && f instanceof PyFunction && f.attrs.get('__wrapped__') !== undefined; i++) f = f.attrs.get('__wrapped__')!;
    if (f instanceof PyClass) f = f.lookup('__init__') ?? null;
    const params = new PyDict();
    if (f instanceof PyFunction) {
      for (const p of f.code.params) {
        const inst = new PyInstance(paramCls);
        inst.dict.set('name', p.name);
        inst.dict.set('kind', p.kind === 'pos' ? 1 : p.kind === 'varargs' ? 2 : p.kind === 'kwonly' ? 3 : 4);
        inst.dict.set('default', f.defaults.get(p.name) ?? empty);
        inst.dict.set('annotation', empty);
        params.map.set(hashKey(p.name), { k: p.name, v: inst });
      }
    } else return new Unknown('signature of a built-in');
    const sig = new PyInstance(new PyClass('Signature', [it.types.get('object')!], 'inspect'));
    sig.dict.set('parameters', params);
    return sig;
  });
  return {
      signature, Parameter: paramCls,
      isclass: fn('isclass', (a) => a[0] instanceof PyClass),
      isfunction: fn('isfunction', (a) => a[0] instanceof PyFunction),
      getmembers: fn('getmembers', () => new Unknown('inspect.getmembers')),
  };
}
