// Python literal values from their source text: numbers (exact integers beyond 2^53 kept as digits),
// strings with their prefixes and escapes. Pure text functions; the grammar decides what a literal is.
import type { Expr } from './ast';

/** A numeric literal's value; the grammar's Number token admits only Python's literal forms. */
export function numberLiteral(text: string, s: number, e: number): Expr {
  // NOTE: up to 15 decimal digits a double is exact; only longer integers need BigInt
  if (text.length <= 15 && /^[1-9]\d*$|^0$/.test(text)) return { k: 'Num', v: Number(text), float: false, s, e };
  const raw = text.replace(/_/g, '').toLowerCase();
  if (raw.endsWith('j')) return { k: 'Num', v: Number(raw.slice(0, -1)), float: true, imag: true, s, e };
  const prefixed = /^0[xob]/.test(raw);
  if (!prefixed && /[.e]/.test(raw)) return { k: 'Num', v: Number(raw), float: true, s, e };
  // NOTE: integers go through BigInt so that one above 2^53 keeps its exact digits (Number would round)
  const exact = BigInt(prefixed ? raw : raw.replace(/^0+(?=\d)/, ''));
  const v = Number(exact);
  return exact > BigInt(Number.MAX_SAFE_INTEGER) ? { k: 'Num', v, float: false, big: exact.toString(), s, e } : { k: 'Num', v, float: false, s, e };
}

export function unescapeBraces(s: string, raw: boolean): string {
  const t = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  return raw ? t : decodeEscapes(t);
}

/** Decode a Python string literal's text (prefix, quotes, escapes). */
export function decodeString(lit: string): string {
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(lit);
  if (!m) return lit;
  const prefix = m[1].toLowerCase();
  const q = m[2];
  const body = lit.endsWith(q) && lit.length >= m[0].length + q.length ? lit.slice(m[0].length, lit.length - q.length) : lit.slice(m[0].length);
  return prefix.includes('r') ? body : decodeEscapes(body, prefix.includes('b'));
}

/** Escapes as Python decodes them; \u, \U and \N are text in bytes. A malformed escape stays as written
 *  (the syntax check reports it). */
function decodeEscapes(s: string, bytes = false): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|\r\n|\n|\r|[^])/g, (_, esc: string) => {
    if (bytes && /^[uUN]/.test(esc)) return '\\' + esc;
    switch (esc[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case '\n': case '\r': return '';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case 'x': case 'u': case 'U': {
        const cp = esc.length > 1 ? parseInt(esc.slice(1), 16) : NaN;
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\\' + esc;
      }
      case 'N': return '?';
      default:
        if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
        return '\\' + esc;
    }
  });
}
