// String literals as CPython 3.11's parser reads them (Parser/string_parser.c): its atoms (runs of
// tokenize.ts's STRING tokens; 3.11 ends an f-string at its quote), escapes, bytes that must be ASCII,
// the f-string scanner and its replacement fields. Reports the first violation only.
import type { Failure } from './syntaxErrors';
import { T, type Tok, type Tokens } from './tokenize';

/** The syntax error of `(expr)` parsed on its own (an f-string field), with its 1-based line. */
export type SubCheck = (text: string) => { line: number; message: string } | undefined;

/** `after`: where CPython reports an error of the atom (its parser has fetched the token after it). */
interface Ctx { src: string; lineOf: (pos: number) => number; sub: SubCheck; fstrings: boolean; report: (order: number, at: number, message: string) => void; after: number }

const HEX = /^[0-9a-fA-F]$/;

/** Escape errors of a non-raw literal body; `bytes`: \u, \U and \N are plain text, only \x is checked. */
function escapeError(body: string, bytes: boolean): { at: number; message: string } | undefined {
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    const c = body[i + 1];
    const need = c === 'x' ? 2 : c === 'u' && !bytes ? 4 : c === 'U' && !bytes ? 8 : 0;
    if (need) {
      const digits = body.slice(i + 2, i + 2 + need);
      if (digits.length < need || ![...digits].every((d) => HEX.test(d))) {
        return { at: i, message: bytes ? `(value error) invalid \\x escape at position ${i}` : `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 1 + digits.length}: truncated \\${c}${'X'.repeat(need)} escape` };
      }
      if (c === 'U' && parseInt(digits, 16) > 0x10ffff) return { at: i, message: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 9}: illegal Unicode character` };
      i += 1 + need;
      continue;
    }
    if (c === 'N' && !bytes) {
      const close = body.indexOf('}', i + 3);
      // NOTE: names are not looked up (no Unicode name table here): any non-empty name is accepted
      if (body[i + 2] !== '{' || close < 0 || close === i + 3) return { at: i, message: `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 1}: malformed \\N character escape` };
      i = close;
      continue;
    }
    i++;
  }
  return undefined;
}

/** One STRING token's prefix, quote length and body offsets. */
function parts(text: string): { prefix: string; q: number; body: string; bodyAt: number } {
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(text)!;
  const q = m[2].length;
  return { prefix: m[1].toLowerCase(), q, body: text.slice(m[0].length, text.length - q), bodyAt: m[0].length };
}

/** A plain (non-f) literal: bytes must be ASCII, escapes must be whole. */
function literal(tok: Tok, ctx: Ctx): boolean {
  const { prefix, body } = parts(ctx.src.slice(tok.s, tok.e));
  const bytes = prefix.includes('b');
  if (bytes) {
    const bad = [...body].findIndex((ch) => ch.charCodeAt(0) >= 128);
    if (bad >= 0) { ctx.report(tok.s, ctx.after, 'bytes can only contain ASCII literal characters'); return false; }
  }
  if (prefix.includes('r')) return true;
  const err = escapeError(body, bytes);
  if (err) { ctx.report(tok.s, ctx.after, err.message); return false; }
  return true;
}

/** fstring_find_literal + fstring_find_expr of 3.11 over the body of one f-string token. */
class FString {
  pos = 0;
  constructor(readonly body: string, readonly at: number, readonly raw: boolean, readonly ctx: Ctx, readonly tokStart: number) {}

  fail(_offset: number, message: string): false {
    this.ctx.report(this.tokStart, this.ctx.after, message);
    return false;
  }

  /** Literal text and fields until the end (level 0) or a '}' closing a format spec (level 1). */
  parse(level: number): boolean {
    const b = this.body;
    while (this.pos < b.length) {
      const start = this.pos;
      while (this.pos < b.length) {
        const ch = b[this.pos];
        if (!this.raw && ch === '\\' && this.pos + 1 < b.length) {
          const next = b[this.pos + 1];
          // `\{` and `\}` are a backslash and then a brace (a warning in 3.11); `\N{…}` is one escape
          if (next !== '{' && next !== '}') {
            this.pos += 2;
            if (next === 'N' && b[this.pos++] === '{') { const close = b.indexOf('}', this.pos); this.pos = close < 0 ? b.length : close + 1; }
            continue;
          }
          this.pos++;
          continue;
        }
        if (ch === '{' || ch === '}') {
          if (level === 0 && b[this.pos + 1] === ch) { this.pos += 2; continue; }
          if (level === 0 && ch === '}') return this.fail(this.pos, "f-string: single '}' is not allowed");
          break;
        }
        this.pos++;
      }
      if (!this.raw) {
        const err = escapeError(b.slice(start, this.pos), false);
        if (err) return this.fail(start + err.at, err.message);
      }
      if (this.pos >= b.length || b[this.pos] === '}') return true;
      if (!this.field(level)) return false;
    }
    return true;
  }

  field(level: number): boolean {
    const b = this.body;
    if (level >= 2) return this.fail(this.pos, 'f-string: expressions nested too deeply');
    const open = this.pos++;
    const exprStart = this.pos;
    const stack: string[] = [];
    let quote = '', triple = false;
    for (; this.pos < b.length; this.pos++) {
      const ch = b[this.pos];
      if (ch === '\\') return this.fail(this.pos, 'f-string expression part cannot include a backslash');
      if (quote) {
        if (ch === quote && (!triple || (b[this.pos + 1] === ch && b[this.pos + 2] === ch))) { if (triple) this.pos += 2; quote = ''; }
        continue;
      }
      if (ch === "'" || ch === '"') { triple = b[this.pos + 1] === ch && b[this.pos + 2] === ch; if (triple) this.pos += 2; quote = ch; continue; }
      if ('([{'.includes(ch)) { stack.push(ch); continue; }
      if (ch === '#') return this.fail(this.pos, "f-string expression part cannot include '#'");
      if (!stack.length && '!:}=<>'.includes(ch)) {
        const next = b[this.pos + 1];
        if ((ch === '!' || ch === '=' || ch === '<' || ch === '>') && next === '=') { this.pos++; continue; }
        if (ch === '<' || ch === '>') continue;
        break;
      }
      if (')]}'.includes(ch)) {
        if (!stack.length) return this.fail(this.pos, `f-string: unmatched '${ch}'`);
        const o = stack.pop()!;
        if ('([{'.indexOf(o) !== ')]}'.indexOf(ch)) return this.fail(this.pos, `f-string: closing parenthesis '${ch}' does not match opening parenthesis '${o}'`);
      }
    }
    if (quote) return this.fail(this.pos, 'f-string: unterminated string');
    if (stack.length) return this.fail(this.pos, `f-string: unmatched '${stack[stack.length - 1]}'`);
    if (this.pos >= b.length) return this.fail(this.pos, "f-string: expecting '}'");
    if (!this.compile(exprStart, open)) return false;
    return this.tail(level);
  }

  /** The field's expression, parsed as `(expr)` the way CPython compiles it. */
  compile(exprStart: number, open: number): boolean {
    const text = this.body.slice(exprStart, this.pos);
    if (!/[^ \t\n\f\r]/.test(text)) {
      const end = this.body[this.pos];
      return this.fail(open, end === '}' ? 'f-string: empty expression not allowed' : `f-string: expression required before '${end}'`);
    }
    const err = this.ctx.sub(`(${text})`);
    if (!err) return true;
    // CPython places it on the field's line, plus the line within the expression
    let at = this.at + exprStart;
    for (let k = 1; k < err.line; k++) { const nl = this.ctx.src.indexOf('\n', at); if (nl < 0) break; at = nl + 1; }
    this.ctx.report(this.tokStart, at, `f-string: ${err.message}`);
    return false;
  }

  /** `=`, `!conversion`, `:spec` and the closing brace. */
  tail(level: number): boolean {
    const b = this.body;
    if (b[this.pos] === '=') { this.pos++; while (/\s/.test(b[this.pos] ?? '')) this.pos++; if (this.pos >= b.length) return this.fail(this.pos, "f-string: expecting '}'"); }
    if (b[this.pos] === '!') {
      this.pos++;
      if (this.pos >= b.length) return this.fail(this.pos, "f-string: expecting '}'");
      const conv = b[this.pos++];
      if (!'sra'.includes(conv)) return this.fail(this.pos - 1, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
    }
    if (b[this.pos] === ':') {
      this.pos++;
      if (this.pos >= b.length) return this.fail(this.pos, "f-string: expecting '}'");
      if (!this.parse(level + 1)) return false;
    }
    if (this.pos >= b.length || b[this.pos] !== '}') return this.fail(this.pos, "f-string: expecting '}'");
    this.pos++;
    return true;
  }
}

function fstring(tok: Tok, ctx: Ctx): boolean {
  const { prefix, body, bodyAt } = parts(ctx.src.slice(tok.s, tok.e));
  return new FString(body, tok.s + bodyAt, prefix.includes('r'), ctx, tok.s).parse(0);
}

/** One atom: CPython's run of consecutive STRING tokens toks[from..to], checked in order. */
function atom(toks: Tok[], from: number, to: number, ctx: Ctx): void {
  const next = toks[to + 1];
  ctx.after = next ? next.s : toks[to].e;
  let bytes: boolean | undefined;
  for (let k = from; k <= to; k++) {
    const tok = toks[k];
    const text = ctx.src.slice(tok.s, tok.e);
    const isF = /^[a-zA-Z]*[fF]/.test(text);
    if (!isF && !literal(tok, ctx)) return;
    const b = /^[a-zA-Z]*[bB]/.test(text);
    if (bytes !== undefined && b !== bytes) { ctx.report(toks[from].s, ctx.after, 'cannot mix bytes and nonbytes literals'); return; }
    bytes = b;
    if (isF && ctx.fstrings && !fstring(tok, ctx)) return;
  }
}

/**
 * The first string-literal violation in the file, as a parser Failure, from CPython's own atoms (runs of
 * STRING tokens), whatever lezer made of the code around them. Without `sub` (Python 3.12's grammar)
 * f-strings are left to lezer's reading, which is 3.12's; plain literals are checked alike.
 */
export function stringFailure(src: string, toks: Tokens, lineOf: (pos: number) => number, sub?: SubCheck, bound = Infinity): Failure | undefined {
  let best: Failure | undefined;
  const ctx: Ctx = {
    src, lineOf, sub: sub ?? (() => undefined), fstrings: !!sub,
    report: (order, at, message) => { if (!best || order < (best.order ?? best.s)) best = { s: at, e: at + 1, line: lineOf(at), message, kind: 'specific', order }; },
    after: 0,
  };
  const all = toks.toks;
  for (let i = 0; i < all.length && all[i].s <= bound && !best; i++) {
    if (all[i].t !== T.String) continue;
    let j = i;
    while (all[j + 1]?.t === T.String) j++;
    atom(all, i, j, ctx);
    i = j;
  }
  return best;
}
