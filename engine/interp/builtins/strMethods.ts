// Methods of str, and str.format (fields, attribute and index access, format specs). Formatting an
// Unknown value is refused with a diagnostic rather than printing a placeholder.
import type { Interp } from '../interp';
import { InterpError, PyException, PyList, PyTuple, Unknown, type Value } from '../values';
import { formatSpec, numVal, pyRepr, pyStr } from '../ops';
import { primitiveTable } from './define';
import { checkSize } from '../budget';

export function installStrMethods(it: Interp): void {
  const Str = (v: Value): string => v as string;
  const strArg = (v: Value): string => { if (v instanceof Unknown) throw new InterpError(`string operation on an unknown value (${v.reason})`); return pyStr(v); };
  primitiveTable(it, 'str', {
    join: (s, a, _k, ctx) => {
      const parts = it.iterate(a[0], ctx).map(strArg);
      let n = Math.max(0, parts.length - 1) * Str(s).length;
      for (const p of parts) n += p.length;
      checkSize('str', n);
      return parts.join(Str(s));
    },
    format: (s, a, kw) => strFormat(it, Str(s), a, kw),
    split: (s, a, kw) => {
      const sep = a[0] ?? kw.get('sep') ?? null;
      const max = numVal((a[1] ?? kw.get('maxsplit') ?? -1) as number);
      const t = Str(s);
      let parts = sep === null ? t.trim().split(/\s+/).filter(Boolean) : t.split(String(sep));
      if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(sep === null ? ' ' : String(sep))];
      return new PyList(parts);
    },
    rsplit: (s, a) => {
      const sep = a[0] ?? null; const max = numVal((a[1] ?? -1) as number); const t = Str(s);
      let parts = sep === null ? t.trim().split(/\s+/) : t.split(String(sep));
      if (max >= 0 && parts.length > max + 1) parts = [parts.slice(0, parts.length - max).join(sep === null ? ' ' : String(sep)), ...parts.slice(parts.length - max)];
      return new PyList(parts);
    },
    strip: (s, a) => (a[0] ? trimChars(Str(s), String(a[0]), true, true) : Str(s).trim()),
    lstrip: (s, a) => (a[0] ? trimChars(Str(s), String(a[0]), true, false) : Str(s).trimStart()),
    rstrip: (s, a) => (a[0] ? trimChars(Str(s), String(a[0]), false, true) : Str(s).trimEnd()),
    startswith: (s, a) => (a[0] instanceof PyTuple ? a[0].items.some((p) => Str(s).startsWith(String(p))) : Str(s).startsWith(strArg(a[0]))),
    endswith: (s, a) => (a[0] instanceof PyTuple ? a[0].items.some((p) => Str(s).endsWith(String(p))) : Str(s).endsWith(strArg(a[0]))),
    replace: (s, a) => {
      const t = Str(s), old = strArg(a[0]), by = strArg(a[1]);
      // the result's length before it is built: occurrences counted without splitting
      let k = 0;
      if (old === '') k = t.length + 1;
      else for (let i = t.indexOf(old); i >= 0; i = t.indexOf(old, i + old.length)) k++;
      checkSize('str', t.length + k * (by.length - old.length), t.length + 16 * k); // the split's parts cost more than characters
      return t.split(old).join(by);
    },
    lower: (s) => Str(s).toLowerCase(),
    upper: (s) => Str(s).toUpperCase(),
    title: (s) => Str(s).replace(/\w\S*/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()),
    capitalize: (s) => Str(s).charAt(0).toUpperCase() + Str(s).slice(1).toLowerCase(),
    find: (s, a) => Str(s).indexOf(strArg(a[0])),
    rfind: (s, a) => Str(s).lastIndexOf(strArg(a[0])),
    index: (s, a) => { const i = Str(s).indexOf(strArg(a[0])); if (i < 0) throw new PyException('ValueError', 'substring not found'); return i; },
    count: (s, a) => Str(s).split(strArg(a[0])).length - 1,
    isdigit: (s) => /^\d+$/.test(Str(s)),
    isnumeric: (s) => /^\d+$/.test(Str(s)),
    isalpha: (s) => /^[a-zA-Z]+$/.test(Str(s)),
    isidentifier: (s) => /^[A-Za-z_]\w*$/.test(Str(s)),
    zfill: (s, a) => Str(s).padStart(width(a[0]), '0'),
    ljust: (s, a) => Str(s).padEnd(width(a[0]), String(a[1] ?? ' ')),
    rjust: (s, a) => Str(s).padStart(width(a[0]), String(a[1] ?? ' ')),
    center: (s, a) => formatSpec(Str(s), `${String(a[1] ?? ' ')}^${width(a[0])}`),
    partition: (s, a) => { const t = Str(s), sep = strArg(a[0]); const i = t.indexOf(sep); return new PyTuple(i < 0 ? [t, '', ''] : [t.slice(0, i), sep, t.slice(i + sep.length)]); },
    rpartition: (s, a) => { const t = Str(s), sep = strArg(a[0]); const i = t.lastIndexOf(sep); return new PyTuple(i < 0 ? ['', '', t] : [t.slice(0, i), sep, t.slice(i + sep.length)]); },
    splitlines: (s) => new PyList(Str(s).split(/\r?\n/)),
    encode: (s) => s,
    casefold: (s) => Str(s).toLowerCase(),
  });
}

/** A padding width (str.ljust(10**9) is refused by the size budget before it is built). */
function width(v: Value): number {
  const n = typeof v === 'bigint' ? v : numVal(v as number);
  if (n > 0) checkSize('str', n);
  return Number(n);
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0, b = s.length;
  if (left) while (a < b && chars.includes(s[a])) a++;
  if (right) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** str.format with positional/keyword fields, attribute and index access, and format specs. */
export function strFormat(it: Interp, fmt: string, args: Value[], kw: Map<string, Value>): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = field ?? '';
    const head = /^[^.[]*/.exec(path)![0];
    let v: Value = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kw.get(head) ?? null;
    for (const acc of path.slice(head.length).match(/\.\w+|\[[^\]]*\]/g) ?? []) {
      if (acc.startsWith('.')) v = it.getAttr(v, acc.slice(1), {});
      else { const key = acc.slice(1, -1); v = it.getItem(v, /^\d+$/.test(key) ? Number(key) : key, {}); }
    }
    if (v instanceof Unknown) throw new InterpError(`format of an unknown value (${v.reason})`);
    if (conv === 'r') v = pyRepr(v);
    return it.format(v, spec ?? '');
  });
}
