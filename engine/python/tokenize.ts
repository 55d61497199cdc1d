// CPython 3.11's tokenizer (Parser/tokenizer.c) as a checker: the token stream with INDENT/DEDENT, the
// bracket stack, and the first error CPython's tokenizer raises, with CPython's message and line. Lezer
// builds the tree; this says where CPython's tokenizer would stop. Never throws on any input.

export const enum T { Name, Number, String, Op, Newline, Indent, Dedent, End }

/** A token: kind, source offsets, the 1-based line it starts on, and the bracket depth before it. */
export interface Tok { t: T; s: number; e: number; line: number; level: number }

/**
 * kind 'syntax': raised as a Python exception by the tokenizer itself (strings, numbers, brackets,
 * characters): it overrides a parser error found earlier in the file. The others are tokenizer states
 * that the parser turns into errors (indentation, tabs, line continuation, end of input).
 */
export interface TokError { s: number; e: number; line: number; message: string; kind: 'syntax' | 'indent' | 'tab' | 'eof' | 'linecont' }

export interface Tokens {
  toks: Tok[];
  /** The first error the tokenizer raises; tokens stop there. */
  error?: TokError;
  /** Brackets still open at the end of the input (only when no error stopped the tokenizer). */
  open: Array<{ ch: string; s: number; line: number }>;
}

const MAXINDENT = 100, MAXLEVEL = 200, TABSIZE = 8;
const OPS3 = new Set(['**=', '...', '//=', '<<=', '>>=']);
const OPS2 = new Set(['!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '<>', '==', '>=', '>>', '@=', '^=', '|=']);
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
// Py_UNICODE_ISPRINTABLE is false for these categories (and true for ' ')
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const XID_START = /[\p{XID_Start}_]/u, XID_CONTINUE = /\p{XID_Continue}/u;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
const isIdChar = (c: number): boolean => isIdStart(c) || isDigit(c);
const isNewline = (c: number): boolean => c === 10 || c === 13;
const hex4 = (cp: number): string => cp.toString(16).toUpperCase().padStart(4, '0');

class Tokenizer {
  pos = 0;
  line = 1;
  lineStart = 0;
  level = 0;
  readonly parens: Array<{ ch: string; s: number; line: number }> = [];
  readonly indents = [0];
  readonly altIndents = [0];
  readonly toks: Tok[] = [];
  error?: TokError;

  constructor(readonly src: string) {}

  c(at = this.pos): number { return at < this.src.length ? this.src.charCodeAt(at) : -1; }

  fail(s: number, message: string, kind: TokError['kind'] = 'syntax', line = this.line): false {
    this.error = { s, e: s + 1, line, message, kind };
    return false;
  }

  push(t: T, s: number, e: number): void { this.toks.push({ t, s, e, line: this.line, level: this.level }); }

  /** Consumes a line break at pos (\n, \r\n or a lone \r, as compile() translates them). */
  newline(): void {
    if (this.c() === 13 && this.c(this.pos + 1) === 10) this.pos++;
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  run(): Tokens {
    let atBol = true;
    while (!this.error) {
      if (atBol) { atBol = false; if (!this.indentation()) break; }
      const r = this.token();
      if (r === 'eof' || r === false) break;
      if (r === 'bol') atBol = true;
    }
    if (!this.error && !this.level) {
      // compile() appends the missing final newline; then the DEDENTs and ENDMARKER, on the last line read
      if (!this.blank) this.push(T.Newline, this.pos, this.pos);
      if (this.pos > 0 && isNewline(this.src.charCodeAt(this.pos - 1))) this.line--;
      for (let i = 1; i < this.indents.length; i++) this.push(T.Dedent, this.pos, this.pos);
      this.push(T.End, this.pos, this.pos);
    }
    return { toks: this.toks, error: this.error, open: this.parens };
  }

  /** Whether the current line is blank or comment-only (it makes no NEWLINE and no INDENT/DEDENT). */
  blank = false;

  /** Measures a line's indentation; pushes INDENT/DEDENT unless the line is blank or inside brackets. */
  indentation(): boolean {
    let col = 0, alt = 0;
    for (;;) {
      const ch = this.c();
      if (ch === 32) { col++; alt++; } else if (ch === 9) { col = (Math.floor(col / TABSIZE) + 1) * TABSIZE; alt++; } else if (ch === 12) { col = alt = 0; } else break;
      this.pos++;
    }
    const ch = this.c();
    this.blank = ch === 35 || isNewline(ch) || ch === -1;
    if (this.blank || this.level > 0) return true;
    const top = this.indents.length - 1;
    if (col === this.indents[top]) {
      if (alt !== this.altIndents[top]) return this.fail(this.pos, 'inconsistent use of tabs and spaces in indentation', 'tab');
    } else if (col > this.indents[top]) {
      if (top + 1 >= MAXINDENT) return this.fail(this.pos, 'too many levels of indentation', 'indent');
      if (alt <= this.altIndents[top]) return this.fail(this.pos, 'inconsistent use of tabs and spaces in indentation', 'tab');
      this.indents.push(col);
      this.altIndents.push(alt);
      this.push(T.Indent, this.lineStart, this.pos);
    } else {
      while (this.indents.length > 1 && col < this.indents[this.indents.length - 1]) {
        this.indents.pop();
        this.altIndents.pop();
        this.push(T.Dedent, this.pos, this.pos);
      }
      if (col !== this.indents[this.indents.length - 1]) return this.fail(this.pos, 'unindent does not match any outer indentation level', 'indent');
      if (alt !== this.altIndents[this.altIndents.length - 1]) return this.fail(this.pos, 'inconsistent use of tabs and spaces in indentation', 'tab');
    }
    return true;
  }

  /** One token (or a skipped comment/continuation); 'bol' after a line break, 'eof' at the end. */
  token(): 'bol' | 'eof' | boolean {
    let ch = this.c();
    while (ch === 32 || ch === 9 || ch === 12) { this.pos++; ch = this.c(); }
    const s = this.pos;
    if (ch === 35) { while (this.c() !== -1 && !isNewline(this.c())) this.pos++; ch = this.c(); }
    if (ch === -1) return 'eof';
    if (isNewline(ch)) {
      if (this.level === 0 && !this.blank) this.push(T.Newline, this.pos, this.pos + 1);
      this.newline();
      return 'bol';
    }
    if (isIdStart(ch)) return this.identifierOrString(s);
    if (isDigit(ch) || (ch === 46 && isDigit(this.c(s + 1)))) return this.number(s);
    if (ch === 39 || ch === 34) return this.string(s, s);
    if (ch === 92) return this.continuation();
    return this.operator(s, ch);
  }

  identifierOrString(s: number): boolean {
    // the legal string prefixes, as tokenizer.c accepts them: b, r, u, f, br/rb, fr/rf (not u with others)
    let b = false, r = false, u = false, f = false;
    this.pos = s;
    for (;;) {
      const ch = this.src[this.pos];
      if (!(b || u || f) && (ch === 'b' || ch === 'B')) b = true;
      else if (!(b || u || r || f) && (ch === 'u' || ch === 'U')) u = true;
      else if (!(r || u) && (ch === 'r' || ch === 'R')) r = true;
      else if (!(f || b || u) && (ch === 'f' || ch === 'F')) f = true;
      else break;
      this.pos++;
      if (this.c() === 39 || this.c() === 34) return this.string(s, this.pos);
    }
    let nonAscii = false;
    while (isIdChar(this.c())) { if (this.c() >= 128) nonAscii = true; this.pos++; }
    if (nonAscii && !this.verifyIdentifier(s)) return false;
    this.push(T.Name, s, this.pos);
    return true;
  }

  verifyIdentifier(s: number): boolean {
    const cps = [...this.src.slice(s, this.pos)];
    for (let i = 0; i < cps.length; i++) {
      const ok = i === 0 ? XID_START.test(cps[i]) : XID_CONTINUE.test(cps[i]);
      if (ok) continue;
      const cp = cps[i].codePointAt(0)!;
      const at = s + cps.slice(0, i).join('').length;
      return this.fail(at, NON_PRINTABLE.test(cps[i]) && cps[i] !== ' ' ? `invalid non-printable character U+${hex4(cp)}` : `invalid character '${cps[i]}' (U+${hex4(cp)})`);
    }
    return true;
  }

  string(s: number, q: number): boolean {
    const quote = this.c(q);
    const startLine = this.line, startLineStart = this.lineStart;
    let size = 1;
    this.pos = q + 1;
    if (this.c() === quote && this.c(this.pos + 1) === quote) { size = 3; this.pos += 2; }
    let ends = 0;
    while (ends !== size) {
      const ch = this.c();
      if (ch === -1 || (size === 1 && isNewline(ch))) {
        const detected = this.line;
        this.line = startLine;
        this.lineStart = startLineStart;
        const what = size === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
        return this.fail(s, `${what} (detected at line ${detected})`);
      }
      if (ch === quote) { ends++; this.pos++; continue; }
      ends = 0;
      if (ch === 92) {
        this.pos++;
        if (isNewline(this.c())) { this.newline(); continue; }
        if (this.c() === -1) continue;
      }
      if (isNewline(this.c())) { this.newline(); continue; }
      this.pos++;
    }
    this.toks.push({ t: T.String, s, e: this.pos, line: startLine, level: this.level });
    return true;
  }

  continuation(): boolean | 'eof' {
    const s = this.pos;
    this.pos++;
    if (!isNewline(this.c())) {
      if (this.c() === -1) return this.fail(s, 'unexpected EOF while parsing', 'eof');
      return this.fail(s, 'unexpected character after line continuation character', 'linecont');
    }
    this.newline();
    if (this.c() === -1) return this.fail(s, 'unexpected EOF while parsing', 'eof', this.line - 1);
    return true;
  }

  operator(s: number, ch: number): boolean {
    const next = this.c(s + 1);
    // operators of two or three characters all continue with one of = * / < > . -
    const len = !(next === 61 || next === 42 || next === 47 || next === 60 || next === 62 || next === 46 || next === 45) ? 1
      : OPS3.has(this.src.slice(s, s + 3)) ? 3 : OPS2.has(this.src.slice(s, s + 2)) ? 2 : 1;
    const text = len === 1 ? this.src[s] : this.src.slice(s, s + len);
    if (len === 1) {
      if (text === '(' || text === '[' || text === '{') {
        if (this.level >= MAXLEVEL) return this.fail(s, 'too many nested parentheses');
        this.push(T.Op, s, s + 1);
        this.parens.push({ ch: text, s, line: this.line });
        this.level++;
        this.pos = s + 1;
        return true;
      }
      if (text in CLOSING) {
        if (!this.level) return this.fail(s, `unmatched '${text}'`);
        const open = this.parens.pop()!;
        this.level--;
        if (open.ch !== CLOSING[text]) {
          return this.fail(s, `closing parenthesis '${text}' does not match opening parenthesis '${open.ch}'${open.line !== this.line ? ` on line ${open.line}` : ''}`);
        }
        this.push(T.Op, s, s + 1);
        this.pos = s + 1;
        return true;
      }
      if (ch < 32 || ch === 127) return this.fail(s, `invalid non-printable character U+${hex4(ch)}`);
    }
    this.push(T.Op, s, s + len);
    this.pos = s + len;
    return true;
  }

  /** tokenizer.c's number branch: the same literals as the grammar's Number token, and its errors. */
  number(s: number): boolean {
    this.pos = s;
    if (this.c() === 46) { this.pos++; return this.fraction(s); }
    if (this.c() === 48) {
      this.pos++;
      const k = (this.src[this.pos] ?? '').toLowerCase();
      if (k === 'x') return this.radix(s, (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102), 'hexadecimal');
      if (k === 'o') return this.radix(s, (c) => c >= 48 && c <= 55, 'octal');
      if (k === 'b') return this.radix(s, (c) => c === 48 || c === 49, 'binary');
      let nonzero = false;
      for (;;) {
        if (this.c() === 95) { this.pos++; if (!isDigit(this.c())) return this.fail(this.pos, 'invalid decimal literal'); }
        if (this.c() !== 48) break;
        this.pos++;
      }
      if (isDigit(this.c())) { nonzero = true; if (!this.decimalTail()) return false; }
      const c = this.c();
      if (c === 46) { this.pos++; return this.fraction(s); }
      if (c === 101 || c === 69) return this.exponent(s);
      if (c === 106 || c === 74) { this.pos++; return this.endOfNumber(s, 'imaginary'); }
      if (nonzero) return this.fail(s, 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers');
      return this.endOfNumber(s, 'decimal');
    }
    if (!this.decimalTail()) return false;
    if (this.c() === 46) { this.pos++; return this.fraction(s); }
    return this.exponent(s);
  }

  /** Digits with single underscores between them (tok_decimal_tail); pos is on a digit. */
  decimalTail(): boolean {
    for (;;) {
      while (isDigit(this.c())) this.pos++;
      if (this.c() !== 95) return true;
      this.pos++;
      if (!isDigit(this.c())) return this.fail(this.pos, 'invalid decimal literal');
    }
  }

  fraction(s: number): boolean {
    if (isDigit(this.c()) && !this.decimalTail()) return false;
    return this.exponent(s);
  }

  /** An optional exponent, then an optional `j`. */
  exponent(s: number): boolean {
    const c = this.c();
    if (c === 101 || c === 69) {
      const e = this.pos;
      this.pos++;
      if (this.c() === 43 || this.c() === 45) {
        this.pos++;
        if (!isDigit(this.c())) return this.fail(this.pos, 'invalid decimal literal');
      } else if (!isDigit(this.c())) {
        this.pos = e;
        return this.endOfNumber(s, 'decimal');
      }
      if (!this.decimalTail()) return false;
    }
    if (this.c() === 106 || this.c() === 74) { this.pos++; return this.endOfNumber(s, 'imaginary'); }
    return this.endOfNumber(s, 'decimal');
  }

  /** 0x / 0o / 0b literals; pos is on the letter. */
  radix(s: number, ok: (c: number) => boolean, kind: string): boolean {
    this.pos++;
    const badDigit = (): false => this.fail(this.pos, isDigit(this.c()) ? `invalid digit '${this.src[this.pos]}' in ${kind} literal` : `invalid ${kind} literal`);
    do {
      if (this.c() === 95) this.pos++;
      if (!ok(this.c())) return badDigit();
      while (ok(this.c())) this.pos++;
    } while (this.c() === 95);
    if (kind !== 'hexadecimal' && isDigit(this.c())) return badDigit();
    return this.endOfNumber(s, kind);
  }

  /** verify_end_of_number: a literal may touch `and else for if in is not or` (a warning), no other name. */
  endOfNumber(s: number, kind: string): boolean {
    const keywordNext = /^(and|else|for|i[fns]|or|not)/.test(this.src.slice(this.pos, this.pos + 4));
    if (!keywordNext && isIdChar(this.c())) return this.fail(this.pos, `invalid ${kind} literal`);
    this.push(T.Number, s, this.pos);
    return true;
  }
}

/** Tokenizes `src` as CPython 3.11 does (lone \r and \r\n are line breaks, as compile() translates them). */
export function tokenize(src: string): Tokens {
  return new Tokenizer(src).run();
}
