// Built-in functions about objects: len, isinstance, getattr/setattr/hasattr, repr, id, hash, callable,
// format, vars, dir. Those that would run code or read the world (open, exec, eval, input) never do.
import type { Interp } from '../interp';
import {
  BoundMethod, Builtin, InterpError, Partial, PyClass, PyException, PyFunction, PyInstance, PyList, PyModule, PyTuple, Unknown,
} from '../values';
import { formatSpec, hashKey } from '../ops';
import { defineFn, reprValue } from './define';
import { attrName } from './types';
import { delAttr } from '../attributes';
import { isInstance } from './types';

export function installObjectFunctions(it: Interp): void {
  defineFn(it, 'len', (a, _k, ctx) => it.len(a[0], ctx));
  defineFn(it, 'isinstance', (a) => isInstance(it, a[0], a[1]));
  defineFn(it, 'issubclass', (a) => {
    if (a[0] instanceof Unknown) return a[0];
    const cs = a[1] instanceof PyTuple ? a[1].items : [a[1]];
    return a[0] instanceof PyClass && cs.some((c) => c instanceof PyClass && (a[0] as PyClass).isSubclassOf(c));
  });
  defineFn(it, 'getattr', (a, _k, ctx) => {
    if (a[1] instanceof Unknown) return a[1];
    const name = attrName(a[1]);
    if (a.length > 2) {
      try { const v = it.getAttrOpt(a[0], name, ctx); return v === undefined ? a[2] : v; } catch (err) { if (err instanceof PyException && err.pyType === 'AttributeError') return a[2]; throw err; }
    }
    return it.getAttr(a[0], name, ctx);
  });
  defineFn(it, 'setattr', (a, _k, ctx) => { if (a[1] instanceof Unknown) throw new InterpError(`setattr with an unknown name (${a[1].reason})`); it.setAttr(a[0], attrName(a[1]), a[2], ctx); return null; });
  defineFn(it, 'delattr', (a, _k, ctx) => { if (a[1] instanceof Unknown) throw new InterpError(`delattr with an unknown name (${a[1].reason})`); delAttr(it, a[0], attrName(a[1]), ctx); return null; });
  defineFn(it, 'hasattr', (a, _k, ctx) => {
    if (a[0] instanceof Unknown) return a[0];
    if (a[1] instanceof Unknown) return a[1];
    try { return it.getAttrOpt(a[0], attrName(a[1]), ctx) !== undefined; } catch (err) { if (err instanceof PyException && err.pyType === 'AttributeError') return false; throw err; }
  });
  defineFn(it, 'print', () => null);
  defineFn(it, 'repr', (a) => reprValue(it, a[0]));
  defineFn(it, 'id', (a) => (a[0] as { id?: number })?.id ?? 0);
  defineFn(it, 'hash', (a) => { const k = hashKey(a[0]); let h = 0; for (let i = 0; i < k.length; i++) h = (h * 31 + k.charCodeAt(i)) | 0; return h; });
  defineFn(it, 'callable', (a) => a[0] instanceof PyFunction || a[0] instanceof Builtin || a[0] instanceof PyClass || a[0] instanceof BoundMethod || a[0] instanceof Partial || (a[0] instanceof PyInstance && (it.ext.isModule(a[0]) || a[0].cls.lookup('__call__') !== undefined)));
  defineFn(it, 'format', (a) => formatSpec(a[0], String(a[1] ?? '')));
  defineFn(it, 'vars', (a, _k, ctx) => {
    if (!a.length) return new Unknown('vars() without an argument (the local names)', ctx.file, ctx.s, ctx.e);
    if (a[0] instanceof Unknown) return a[0];
    const d = it.getAttrOpt(a[0], '__dict__', ctx);
    if (d === undefined) throw new PyException('TypeError', 'vars() argument must have __dict__ attribute');
    return d;
  });
  defineFn(it, 'dir', (a, _k, ctx) => {
    const o = a[0];
    let names: string[];
    if (o instanceof PyInstance) names = [...o.dict.keys(), ...o.cls.mro.flatMap((c) => [...c.dict.keys()])];
    else if (o instanceof PyClass) names = o.mro.flatMap((c) => [...c.dict.keys()]);
    else if (o instanceof PyModule) names = [...o.scope.vars.keys()];
    else return new Unknown('dir() of this value lists names the analysis does not track', ctx.file, ctx.s, ctx.e);
    if (o instanceof PyInstance && it.ext.isModule(o)) return new Unknown('dir() of an nn.Module lists names the analysis does not track', ctx.file, ctx.s, ctx.e);
    return new PyList([...new Set(names)].filter((n) => !n.endsWith('_native__')).sort());
  });
  defineFn(it, 'globals', () => new Unknown('globals()'));
  defineFn(it, 'locals', () => new Unknown('locals()'));
  defineFn(it, 'open', () => { throw new InterpError('open() is not analysed: static analysis reads no files at run time'); });
  defineFn(it, 'exec', () => { throw new InterpError('exec() is never run by the analysis'); });
  defineFn(it, 'eval', () => { throw new InterpError('eval() is never run by the analysis'); });
  defineFn(it, '__import__', () => new Unknown('__import__'));
  defineFn(it, 'input', () => new Unknown('input()'));

}
