// Which syntax error CPython 3.11 reports for a file, and where: its tokenizer's error (tokenize.ts), the
// point where its parser fails (found from lezer's first error node and the grammar checks), and the
// rules by which CPython picks between them (Parser/pegen_errors.c). Reports one error, never a cascade.
import type { SyntaxProblem } from './ast';
import { KEYWORDS } from './grammarChecks';
import { T, type Tok, type Tokens } from './tokenize';

/**
 * Where CPython's parser stops: `order` (default `s`) is the token where it fails, `s` where it reports
 * (an f-string's field, an assignment's target). kind 'indent': a plain unexpected indent (never overridden).
 */
export interface Failure { s: number; e: number; line: number; message: string; kind: 'generic' | 'specific' | 'indent' | 'eof' | 'limit'; order?: number }

let srcLen = 0, endsWithNewline = false;
/** A problem at `s`; the end of the input is reported on the last line read (as CPython's EOF token is). */
function problemAt(s: number, e: number, message: string): SyntaxProblem {
  const at = s >= srcLen && endsWithNewline ? srcLen - 1 : s;
  return { s: at, e: Math.max(e, at + 1), message };
}

/** The first token that ends after `pos` (the token lezer's error sits on), or the last token. */
export function tokenAfter(toks: Tok[], pos: number): Tok | undefined {
  let lo = 0, hi = toks.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (toks[mid].e <= pos && toks[mid].t !== T.End) lo = mid + 1; else hi = mid; }
  // zero-width tokens (DEDENT, END, the final NEWLINE) sit at their position
  while (lo > 0 && toks[lo - 1].s === pos && toks[lo - 1].e === pos) lo--;
  return toks[lo];
}

/** CPython's reading of a parser failure at the token where lezer found its first error. */
export function failureAt(toks: Tokens, pos: number, src: string): Failure {
  const all = toks.toks;
  const tok = tokenAfter(all, pos);
  // past the last token: the tokenizer stopped there with its own error, which comes first
  if (!tok && toks.error) return { s: pos, e: pos, line: 0, message: 'invalid syntax', kind: 'generic' };
  if (!tok || tok.t === T.End) return { s: pos, e: pos, line: tok?.line ?? 0, message: 'unexpected end of file', kind: 'eof' };
  if (tok.t === T.Indent) return { s: tok.e, e: tok.e, line: tok.line, message: 'unexpected indent', kind: 'indent' };
  const i = all.indexOf(tok);
  const prev = all[i - 1];
  if (prev && prev.t === T.Name && /^(print|exec)$/.test(src.slice(prev.s, prev.e)) && (i < 2 || [T.Newline, T.Indent, T.Dedent].includes(all[i - 2].t))) {
    const name = src.slice(prev.s, prev.e);
    return { s: prev.s, e: prev.e, line: prev.line, message: `Missing parentheses in call to '${name}'. Did you mean ${name}(...)?`, kind: 'specific', order: tok.s };
  }
  const v = src.slice(tok.s, tok.e);
  const special = prev ? displayRule(all, i, src) : undefined;
  if (special) return special;
  const cond = prev && v !== 'else' && v !== ':' ? missingElseStart(all, i - 1, src) : undefined;
  if (cond) return { s: cond.s, e: tok.e, line: cond.line, message: "expected 'else' after 'if' expression", kind: 'specific', order: tok.s };
  const a = tok.level > 0 && startsExpression(tok, src) && prev && endsAtom(prev, src) ? missingCommaStart(all, i - 1, src) : undefined;
  if (a && a === prev && prev.t === T.Name && LEGACY.has(text(prev, src))) {
    // invalid_legacy_expression: `print e` inside brackets
    const name = text(prev, src);
    return { s: prev.s, e: tok.e, line: prev.line, message: `Missing parentheses in call to '${name}'. Did you mean ${name}(...)?`, kind: 'specific', order: tok.s };
  }
  if (a) return { s: a.s, e: tok.e, line: a.line, message: 'invalid syntax. Perhaps you forgot a comma?', kind: 'specific', order: tok.s };
  return { s: tok.s, e: tok.e, line: tok.line, message: 'invalid syntax', kind: 'generic' };
}

const ATOM_KEYWORDS = new Set(['None', 'True', 'False']);
const STOP_WORDS = new Set(['if', 'for', 'async', 'from', 'import', 'return', 'del', 'assert', 'raise', 'global', 'nonlocal', 'pass', 'break', 'continue', 'class', 'def', 'while', 'with', 'try', 'except', 'finally', 'elif', 'as']);
const text = (t: Tok, src: string): string => src.slice(t.s, t.e);

function startsExpression(t: Tok, src: string): boolean {
  const v = text(t, src);
  if (t.t === T.Number || t.t === T.String) return true;
  if (t.t === T.Name) return !KEYWORDS.has(v) || ATOM_KEYWORDS.has(v) || v === 'not' || v === 'lambda' || v === 'await';
  return t.t === T.Op && ['(', '[', '{', '-', '+', '~', '...'].includes(v);
}

function endsAtom(t: Tok, src: string): boolean {
  const v = text(t, src);
  if (t.t === T.Number || t.t === T.String) return true;
  if (t.t === T.Name) return !KEYWORDS.has(v) || ATOM_KEYWORDS.has(v);
  return t.t === T.Op && [')', ']', '}', '...'].includes(v);
}

/** The innermost bracket open at toks[i]: its index, or -1. */
function openerOf(toks: Tok[], i: number, src: string): number {
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const w = text(toks[j], src);
    if (w === ')' || w === ']' || w === '}') depth++;
    else if (w === '(' || w === '[' || w === '{') { if (depth-- === 0) return j; }
  }
  return -1;
}

/** Offsets of the depth-0 commas and colons between toks[open] and toks[end]. */
function topLevel(toks: Tok[], open: number, end: number, src: string): { commas: number[]; colons: number[] } {
  const commas: number[] = [], colons: number[] = [];
  // a lambda's ':' is its own (`{"k": 1, lambda a: 0}` is a key without ':')
  let depth = 0, lambdas = 0;
  for (let j = open + 1; j < end; j++) {
    const w = text(toks[j], src);
    if (w === '(' || w === '[' || w === '{') depth++;
    else if (w === ')' || w === ']' || w === '}') depth--;
    else if (depth === 0 && w === 'lambda' && toks[j].t === T.Name) lambdas++;
    else if (depth === 0 && w === ',' && !lambdas) commas.push(j);
    else if (depth === 0 && w === ':') { if (lambdas) lambdas--; else colons.push(j); }
  }
  return { commas, colons };
}

/**
 * CPython's second-pass rules around displays and `=`, reported where it reports them: a dict item
 * without ':' ("':' expected after dictionary key"), `[a, b for …]` (at `a`), `name = value` where an
 * expression belongs (at the name; CPython parses the value first, so an error in a string there wins).
 */
function displayRule(toks: Tok[], i: number, src: string): Failure | undefined {
  const tok = toks[i], prev = toks[i - 1], v = text(tok, src);
  const fail = (at: Tok, message: string, order = tok.s): Failure => ({ s: at.s, e: tok.e, line: at.line, message, kind: 'specific', order });
  const open = openerOf(toks, i, src);
  const o = open >= 0 ? text(toks[open], src) : '';
  const { commas, colons } = open >= 0 ? topLevel(toks, open, i, src) : { commas: [], colons: [] };
  // a dict item after complete ones, without its ':' (CPython's invalid_kvpair comes before other rules)
  const itemStart = commas.length ? commas[commas.length - 1] + 1 : open + 1;
  if (o === '{' && commas.length && colons.some((c) => c < itemStart) && !colons.some((c) => c >= itemStart) && itemStart < i && text(toks[itemStart], src) !== '**') {
    return fail(toks[itemStart], "':' expected after dictionary key");
  }
  if (v === '=' && tok.t === T.Op && prev.t === T.Name && !KEYWORDS.has(text(prev, src))) {
    // the value CPython parses (a bitwise_or): up to the next ',', ':', '=' or closing bracket at this depth
    let end = i + 1, depth = 0;
    for (; end < toks.length; end++) {
      const w = text(toks[end], src);
      if (w === '(' || w === '[' || w === '{') depth++;
      else if (w === ')' || w === ']' || w === '}') { if (depth-- === 0) break; }
      else if (depth === 0 && (w === ',' || w === ':' || w === '=' || toks[end].t === T.Newline)) break;
    }
    return fail(prev, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", toks[end]?.s ?? tok.e);
  }
  if (open < 0) return undefined;
  if (v === 'for' && (o === '[' || o === '{') && commas.length && !colons.length && hasIn(toks, i, src)) return fail(toks[open + 1], 'did you forget parentheses around the comprehension target?');
  if (o === '{' && colons.length && (v === ',' || v === '}') && colons[colons.length - 1] === i - 1) return fail(toks[i - 1], "expression expected after dictionary key and ':'");
  return undefined;
}

/** A depth-0 `in` follows the `for` at toks[i] inside its brackets (its clause can parse). */
function hasIn(toks: Tok[], i: number, src: string): boolean {
  let depth = 0;
  for (let j = i + 1; j < toks.length; j++) {
    const w = text(toks[j], src);
    if (w === '(' || w === '[' || w === '{') depth++;
    else if (w === ')' || w === ']' || w === '}') { if (depth-- === 0) return false; }
    else if (depth === 0 && w === 'in' && toks[j].t === T.Name) return true;
  }
  return false;
}

/** Walks back from toks[from] over one expression's tokens; the index of the token it stops at (-1: none). */
function exprStartBack(toks: Tok[], from: number, src: string): number {
  for (let i = from; i >= 0; i--) {
    const t = toks[i], v = text(t, src);
    if (t.t === T.Op && (v === ')' || v === ']' || v === '}')) {
      let depth = 0;
      for (; i >= 0; i--) { const w = text(toks[i], src); if (w === ')' || w === ']' || w === '}') depth++; else if (w === '(' || w === '[' || w === '{') { if (--depth === 0) break; } }
      continue;
    }
    if (t.t === T.Op && ['(', '[', '{', ',', ':', '=', ':='].includes(v)) return i;
    if (t.t === T.Op && (v === '*' || v === '**') && (i === 0 || /^[,([{]$/.test(text(toks[i - 1], src)))) return i;
    if (t.t === T.Name && (v === 'yield' || v === 'else' || v === 'lambda' || STOP_WORDS.has(v))) return i;
    if (t.t === T.Name && v === 'in' && inComprehension(toks, i, src)) return i;
    if (t.t === T.Newline || t.t === T.Indent || t.t === T.Dedent) return i;
  }
  return -1;
}

/**
 * CPython's invalid_expression rule ("Perhaps you forgot a comma?"): inside brackets, an expression
 * right after a complete one. It reports from the start of the one before (a disjunction); undefined
 * where CPython does not give the hint (comprehension clauses, most conditional branches, a starred list
 * item, between a def's parameters, a soft keyword or NAME STRING at its start).
 */
function missingCommaStart(toks: Tok[], from: number, src: string): Tok | undefined {
  const i = exprStartBack(toks, from, src);
  const stop = i >= 0 ? toks[i] : undefined, v = stop ? text(stop, src) : '';
  if (stop?.t === T.Op) {
    if ((v === '(' || v === ',') && (inDefParams(toks, v === ',' ? i : i + 1, src) || inImportList(toks, v === ',' ? i : i + 1, src))) return undefined;
    if ((v === '*' || v === '**') && (!inCall(toks, i, src) || inDefParams(toks, i, src))) return undefined;
    if (v === ':' && lambdaAfterElse(toks, i, src)) return undefined;
  } else if (stop) {
    if (v === 'else') return elseBranchHint(toks, i + 1, from, src);
    if (v !== 'yield') return undefined;
  }
  const a = toks[i + 1];
  if (!a || i + 1 > from) return undefined;
  if (a.t === T.Name && toks[i + 2]?.t === T.String) return undefined;
  if (a.t === T.Name && softPrefix(text(a, src))) return legacyHint(toks, i + 1, from, src);
  return nodeStart(toks, i + 1, from, src);
}

/**
 * Where CPython's node for the expression toks[first..last] starts: a parenthesized expression's inside
 * its parentheses (a tuple's and a generator's at '('); undefined for a parenthesized `print`/`exec`
 * (_PyPegen_check_legacy_stmt refuses the hint for that name).
 */
function nodeStart(toks: Tok[], first: number, last: number, src: string): Tok | undefined {
  let a = first, z = last;
  while (text(toks[a], src) === '(' && closingOf(toks, a, src) === z && startsExpression(toks[a + 1], src) && !topLevel(toks, a, z, src).commas.length && !hasFor(toks, a, z, src)) { a++; z--; }
  if (a > first && a === z && LEGACY.has(text(toks[a], src))) return undefined;
  return toks[a];
}
const LEGACY = new Set(['print', 'exec']);

/**
 * The hint's start when the expression before the failure is a conditional's else-branch toks[first..last]
 * (CPython 3.11, measured with compile()): from its start (a parenthesized atom's from inside its
 * parentheses), except where invalid_expression's SOFT_KEYWORD lookahead refuses the start (softPrefix).
 */
function elseBranchHint(toks: Tok[], first: number, last: number, src: string): Tok | undefined {
  const head = toks[first], v = text(head, src);
  if (head.t === T.Name && !ATOM_KEYWORDS.has(v) && v !== 'not' && v !== 'await') {
    if (KEYWORDS.has(v)) return undefined;
    return softPrefix(v) ? legacyHint(toks, first, last, src) : head;
  }
  if (head.t === T.Op && !['(', '[', '{', '-', '+', '~', '...'].includes(v)) return undefined;
  return nodeStart(toks, first, last, src);
}

/**
 * CPython 3.11 matches SOFT_KEYWORD by the name's own length (strncmp in _PyPegen_soft_keyword_token), so
 * every prefix of `match`, `case` and `_` (`c`, `ma`, …) counts as one.
 */
const softPrefix = (v: string): boolean => v.length > 0 && (SOFT_WORDS.some((k) => k.startsWith(v)));
const SOFT_WORDS = ['match', 'case', '_'];

/**
 * An expression toks[name..last] starting with a name invalid_expression refuses: the hint comes from
 * invalid_legacy_expression (a name not followed by '(', then an expression), whose inner expression
 * starts at the next token: a list (not a slice) or a unary operator.
 */
function legacyHint(toks: Tok[], name: number, last: number, src: string): Tok | undefined {
  if (name >= last) return undefined;
  const next = toks[name + 1], w = text(next, src);
  if (next.t !== T.Op || !['[', '-', '+', '~'].includes(w)) return undefined;
  if (w === '[' && topLevel(toks, name + 1, closingOf(toks, name + 1, src), src).colons.length) return undefined;
  return next;
}

/** A generator's `for` at the top level of the bracket toks[open]..toks[close]. */
function hasFor(toks: Tok[], open: number, close: number, src: string): boolean {
  let depth = 0;
  for (let j = open + 1; j < close; j++) {
    const w = text(toks[j], src);
    if (w === '(' || w === '[' || w === '{') depth++;
    else if (w === ')' || w === ']' || w === '}') depth--;
    else if (depth === 0 && w === 'for' && toks[j].t === T.Name) return true;
  }
  return false;
}

/** The index of the bracket closing toks[open] (-1: none). */
function closingOf(toks: Tok[], open: number, src: string): number {
  let depth = 0;
  for (let j = open; j < toks.length; j++) {
    const w = text(toks[j], src);
    if (w === '(' || w === '[' || w === '{') depth++;
    else if ((w === ')' || w === ']' || w === '}') && --depth === 0) return j;
  }
  return -1;
}

/** CPython's "expected 'else' after 'if' expression": `a if b` then anything but else or ':'; a's start. */
function missingElseStart(toks: Tok[], from: number, src: string): Tok | undefined {
  const i = exprStartBack(toks, from, src);
  if (i < 1 || text(toks[i], src) !== 'if' || toks[i].t !== T.Name || i === from) return undefined;
  const before = toks[i - 1];
  if ([T.Newline, T.Indent, T.Dedent].includes(before.t) || inComprehension(toks, i, src) || !endsAtom(before, src)) return undefined;
  const j = exprStartBack(toks, i - 1, src);
  return toks[j + 1];
}

/** The ':' at toks[i] is a lambda's, and that lambda is a conditional's else-branch. */
function lambdaAfterElse(toks: Tok[], i: number, src: string): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const v = text(toks[j], src);
    if (v === 'lambda') return j > 0 && text(toks[j - 1], src) === 'else';
    if (['(', '[', '{', ',', '=', ':'].includes(v) || toks[j].t === T.Newline) return false;
  }
  return false;
}

/** The innermost open bracket before toks[i] is a call's `(`. */
function inCall(toks: Tok[], i: number, src: string): boolean {
  const open = openerOf(toks, i, src);
  return open > 0 && text(toks[open], src) === '(' && endsAtom(toks[open - 1], src);
}

/** `in` at toks[i] belongs to a `for` clause in the same brackets. */
function inComprehension(toks: Tok[], i: number, src: string): boolean {
  let depth = 0;
  for (let j = openerOf(toks, i, src) + 1; j < i; j++) {
    const w = text(toks[j], src);
    if (w === '(' || w === '[' || w === '{') depth++;
    else if (w === ')' || w === ']' || w === '}') depth--;
    else if (depth === 0 && toks[j].t === T.Name && w === 'for') return true;
  }
  return false;
}

/** The innermost bracket open at toks[i] is `from m import (`'s. */
function inImportList(toks: Tok[], i: number, src: string): boolean {
  const open = openerOf(toks, i, src);
  return open > 0 && text(toks[open], src) === '(' && text(toks[open - 1], src) === 'import';
}

/** The innermost bracket open at toks[i] is a `def name(` parameter list. */
function inDefParams(toks: Tok[], i: number, src: string): boolean {
  const open = openerOf(toks, i, src);
  return open >= 2 && text(toks[open], src) === '(' && toks[open - 1].t === T.Name && text(toks[open - 2], src) === 'def';
}

function neverClosed(open: Tokens['open']): SyntaxProblem {
  const b = open[open.length - 1];
  return problemAt(b.s, b.s + 1, `'${b.ch}' was never closed`);
}

/**
 * The one error CPython reports, given its tokenizer's result and the parser's failure (if any): a
 * tokenizer error before the failure wins; a later one wins only when the tokenizer raised it itself;
 * brackets still open at the end win when opened above the failure's line.
 */
export function chooseError(src: string, toks: Tokens, fail: Failure | undefined): SyntaxProblem | undefined {
  srcLen = src.length;
  endsWithNewline = /[\r\n]$/.test(src);
  const nul = src.indexOf('\0');
  if (nul >= 0) return problemAt(nul, nul + 1, 'source code cannot contain null bytes');
  const err = toks.error;
  if (err && (!fail || err.s <= (fail.order ?? fail.s))) {
    if (err.kind === 'eof' && toks.open.length) return neverClosed(toks.open);
    return problemAt(err.s, err.e, err.message);
  }
  if (!fail) return undefined;
  if (fail.kind === 'eof') {
    if (toks.open.length) return neverClosed(toks.open);
    return problemAt(fail.s, fail.e, fail.message);
  }
  if (fail.kind === 'indent' || fail.kind === 'limit') return problemAt(fail.s, fail.e, fail.message);
  if (err?.kind === 'syntax') return problemAt(err.s, err.e, err.message);
  const open = toks.open;
  if (open.length && open[open.length - 1].line < fail.line) return neverClosed(open);
  return problemAt(fail.s, fail.e, fail.message);
}

const BLOCK_OF: Record<string, string> = {
  def: 'function definition', class: 'class definition', async: 'function definition',
};

/**
 * The parser failures CPython finds from INDENT tokens alone: an INDENT must follow a line ending in ':'
 * ("unexpected indent"), and a line ending in ':' must be followed by one ("expected an indented block").
 */
export function indentFailure(toks: Tok[], src: string): Failure | undefined {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const colonBefore = i >= 2 && toks[i - 1].t === T.Newline && isOp(src, toks[i - 2], ':');
    if (t.t === T.Indent && !colonBefore) return { s: t.e, e: t.e + 1, line: t.line, message: 'unexpected indent', kind: 'indent' };
    // a decorator must be followed by its def or class at the same indentation
    if (t.t === T.Dedent && i >= 2 && toks[i - 1].t === T.Newline && isOp(src, lineHead(toks, i - 2), '@')) return { s: t.s, e: t.s + 1, line: t.line, message: 'unexpected unindent', kind: 'indent' };
    if (t.t !== T.Indent && colonBefore) {
      const head = lineHead(toks, i - 2);
      const kw = src.slice(head.s, head.e);
      const what = BLOCK_OF[kw] ?? `'${kw}' statement`;
      return { s: t.s, e: Math.max(t.e, t.s + 1), line: t.line, message: `expected an indented block after ${what} on line ${head.line}`, kind: 'specific' };
    }
  }
  return undefined;
}

const isOp = (src: string, t: Tok, op: string): boolean => t.t === T.Op && t.e - t.s === op.length && src.startsWith(op, t.s);

/** The first token of the logical line holding toks[i]. */
function lineHead(toks: Tok[], i: number): Tok {
  let j = i;
  while (j > 0 && ![T.Newline, T.Indent, T.Dedent].includes(toks[j - 1].t)) j--;
  return toks[j];
}

/** 1-based line of an offset, counting \r\n, \r and \n as CPython's compile() does. */
export function lineCounter(src: string): (pos: number) => number {
  const starts = [0];
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (pos) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= pos) lo = mid; else hi = mid - 1; }
    return lo + 1;
  };
}
