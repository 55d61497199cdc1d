// Built-in numeric functions: abs, round (half to even, as Python), divmod, pow, chr/ord, hex/bin.
// Tensors go to the torch extension; an unknown number stays Unknown.
import type { Interp } from '../interp';
import { PyFloat, PyInstance, PyTuple, Unknown } from '../values';
import { isIntLike, numVal } from '../ops';
import { defineFn, numArg, roundHalfEven } from './define';

export function installNumericFunctions(it: Interp): void {
  defineFn(it, 'abs', (a, _k, ctx) => {
    const v = a[0];
    if (v instanceof Unknown) return v;
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('abs', v, ctx);
    if (typeof v === 'number' || typeof v === 'boolean') return Math.abs(numVal(v));
    if (v instanceof PyInstance) { const f = v.cls.lookup('__abs__'); if (f) return it.call(f, [v], new Map(), ctx); }
    return new PyFloat(Math.abs(numArg(v, 'abs()')));
  });
  defineFn(it, 'round', (a, kw) => {
    const v = a[0];
    if (v instanceof Unknown) return v;
    if (it.ext.isTensor(v)) return it.ext.tensorUnary('round', v, {});
    if (v instanceof PyInstance) { const f = v.cls.lookup('__round__'); if (f) return it.call(f, [v, ...a.slice(1)], kw, {}); }
    const nd = a[1] ?? kw.get('ndigits') ?? null;
    const x = numArg(v, 'round()');
    if (nd === null) return roundHalfEven(x);
    const d = numVal(nd as number);
    const f = 10 ** d;
    const r = roundHalfEven(x * f) / f;
    return typeof v === 'number' ? r : new PyFloat(r);
  });
  defineFn(it, 'divmod', (a) => { const x = numArg(a[0], 'divmod'), y = numArg(a[1], 'divmod'); const q = Math.floor(x / y); const ints = isIntLike(a[0]) && isIntLike(a[1]); return new PyTuple(ints ? [q, x - q * y] : [new PyFloat(q), new PyFloat(x - q * y)]); });
  defineFn(it, 'pow', (a, _k, ctx) => it.binop('**', a[0], a[1], ctx));
  defineFn(it, 'chr', (a) => String.fromCharCode(numArg(a[0], 'chr')));
  defineFn(it, 'ord', (a) => String(a[0]).charCodeAt(0));
  defineFn(it, 'hex', (a) => '0x' + numArg(a[0], 'hex').toString(16));
  defineFn(it, 'bin', (a) => '0b' + numArg(a[0], 'bin').toString(2));
}
