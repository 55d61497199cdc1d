// Python front end: source text → our syntax tree (ast.ts) with source offsets, and the syntax error
// CPython would report (one, at its line). lezer parses (lezerParse.ts), convert.ts builds the tree,
// tokenize.ts and syntaxErrors.ts find the error. Must not evaluate anything.
import type { ParsedFile, SyntaxProblem } from './ast';
import { semanticError } from './checks';
import { Converter } from './convert';
import { lezerParse, run, type ParseLimit } from './lezerParse';
import { stringFailure } from './stringChecks';
import type { Tree } from '@lezer/common';
import { grammarFailure } from './grammarChecks';
import { chooseError, failureAt, indentFailure, lineCounter, tokenAfter, type Failure } from './syntaxErrors';
import { T, tokenize, type Tok, type Tokens } from './tokenize';

// NOTE: lezer's tree builder flattens nodes below depth 2,500 (@lezer/common CutOff.Depth)
const TREE_DEPTH_LIMIT = 2400;

/**
 * `python`: whose grammar decides what is a syntax error. '3.12' (the default) also accepts what 3.12
 * added: `type X = …`, type parameter lists, f-strings nesting their own quotes; '3.11' is CPython
 * 3.11's exactly (what the differential test compares with /usr/bin/python3).
 */
export interface ParseOptions { python?: '3.11' | '3.12'; /** lezer's step budget (tests of the limit) */ stepBudget?: number }

export function parsePython(path: string, source: string, options: ParseOptions = {}): ParsedFile {
  const strict = options.python === '3.11';
  const toks = tokenize(source);
  const { tree, limit, errorStarts, unread } = readTree(path, source, toks, options.stepBudget);
  const conv = new Converter(source);
  conv.errorStarts = [...errorStarts];
  conv.unread = unread;
  const body = conv.block(tree.topNode);
  const primary = syntaxError(source, toks, tree, errorStarts, limit, strict) ?? semanticError(tree, source);
  // one syntax error, where CPython reports it; the converter's own notes only on files without one
  const problems = primary ? [primary] : conv.problems;
  // comments (kids() skips them inside expressions): collect them all once
  conv.comments.length = 0;
  const cursor = tree.cursor();
  do { if (cursor.name === 'Comment') conv.comments.push({ s: cursor.from, text: source.slice(cursor.from, cursor.to) }); } while (cursor.next());
  problems.sort((a, b) => a.s - b.s);
  conv.comments.sort((a, b) => a.s - b.s);
  return { path, source, body, problems, comments: conv.comments };
}

/**
 * lezer's tree of the source, and the first parse limit it hit. A logical line nested past what lezer
 * builds is blanked (offsets kept) and the file parsed again, so that line alone is lost, not the rest.
 */
function readTree(path: string, source: string, toks: Tokens, stepBudget?: number): { tree: Tree; limit?: ParseLimit; errorStarts: number[]; unread?: { from: number; to: number } } {
  // NOTE: lezer takes a whitespace-only last line (no newline after it) for an indent; CPython for a blank
  // line. lezer parses the text without those trailing blanks (every offset before them is unchanged).
  // (Checking for the end inside lezer's indentation tokenizer breaks its incremental parsing.)
  let text = maskTooDeep(source, toks).replace(/(^|[\r\n])[ \t\f]+$/, '$1');
  let first: ParseLimit | undefined, unread: { from: number; to: number } | undefined;
  for (let attempt = 0; ; attempt++) {
    const parsed = lezerParse(path, text, stepBudget);
    let limit = parsed.limit;
    const errorStarts: number[] = [];
    let depth = 0;
    parsed.tree.iterate({
      enter: (node) => {
        if (node.type.isError) errorStarts.push(node.from);
        // lezer flattens whatever lies deeper than 2,500 levels: such code is not read (and is reported)
        if (++depth >= TREE_DEPTH_LIMIT && (!limit || node.from < limit.pos)) limit = { pos: node.from, kind: 'nesting' };
      },
      leave: () => { depth--; },
    });
    first ??= limit;
    if (limit?.kind !== 'nesting' || attempt === 3) return { tree: parsed.tree, limit: first, errorStarts, unread: limit ? logicalLine(toks, limit.pos, source.length) : unread };
    unread = logicalLine(toks, limit.pos, source.length);
    text = text.slice(0, unread.from) + text.slice(unread.from, unread.to).replace(/[^\r\n]/g, ' ') + text.slice(unread.to);
  }
}

/** The earliest parser failure (lezer's first error node, the grammar and indentation rules, a parse limit) → CPython's error. */
function syntaxError(source: string, toks: Tokens, tree: Tree, errorStarts: number[], limit: ParseLimit | undefined, strict: boolean): SyntaxProblem | undefined {
  const lineOf = lineCounter(source);
  // the indentation rules first: at the same token CPython's failure is the INDENT's
  const fails: Failure[] = [];
  const indent = indentFailure(toks.toks, source);
  if (indent) fails.push(indent);
  // inside a string token CPython 3.11's f-string rules decide (stringChecks.ts), not lezer's 3.12 reading
  const firstError = errorStarts.reduce((m, pos) => (pos < m && (!strict || !insideString(toks.toks, pos)) ? pos : m), Infinity);
  if (firstError < Infinity) fails.push(failureAt(toks, firstError, source));
  const sorted = [...errorStarts].sort((a, b) => a - b);
  const errorIn = (from: number, to: number): boolean => {
    let lo = 0, hi = sorted.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < from) lo = mid + 1; else hi = mid; }
    return lo < sorted.length && sorted[lo] <= to;
  };
  // past a parse limit the tree is not the code's: the checks stop there
  const bound = limit?.pos ?? Infinity;
  for (const f of [grammarFailure(tree, source, toks, lineOf, errorIn, strict, bound), stringFailure(source, toks, lineOf, strict ? fieldError : undefined, bound)]) if (f) fails.push(f);
  if (limit) {
    fails.push({
      s: limit.pos, e: limit.pos + 1, line: lineOf(limit.pos), kind: 'limit',
      message: limit.kind === 'budget' ? 'the file is too large or complex to parse within the analysis budget; parsing stopped here'
        : 'code nested too deeply: LayerLens follows about 700 chained conditional expressions, 900 nested lambdas, 1,400 chained ** or 2,300 chained operators',
    });
  }
  const first = fails.reduce<Failure | undefined>((a, f) => (!a || (f.order ?? f.s) < (a.order ?? a.s) ? f : a), undefined);
  return chooseError(source, toks, first);
}

/** An f-string field's expression, `(expr)`, checked on its own as CPython compiles it. */
function fieldError(text: string): { line: number; message: string } | undefined {
  const { tree } = run(text);
  const starts: number[] = [];
  tree.iterate({ enter: (n) => { if (n.type.isError) starts.push(n.from); } });
  const err = syntaxError(text, tokenize(text), tree, starts, undefined, true);
  return err && { line: lineCounter(text)(err.s), message: err.message };
}

function insideString(toks: Tok[], pos: number): boolean {
  const t = tokenAfter(toks, pos);
  return !!t && t.t === T.String && t.s < pos && pos < t.e;
}

/**
 * The text lezer parses: the source, with the logical line where brackets nest past CPython's 200 levels
 * blanked (newlines kept, so offsets stay). That line is a syntax error either way; lezer would spend
 * seconds recovering inside it (50,000 nested brackets).
 */
function maskTooDeep(source: string, toks: Tokens): string {
  if (toks.error?.message !== 'too many nested parentheses') return source;
  let start = 0;
  for (let i = toks.toks.length - 1; i >= 0; i--) if (toks.toks[i].t === T.Newline) { start = toks.toks[i].e; break; }
  let depth = toks.open.length, end = toks.error.s;
  for (; end < source.length && depth > 0; end++) {
    const c = source[end];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
  return source.slice(0, start) + source.slice(start, end).replace(/[^\r\n]/g, ' ') + source.slice(end);
}

/** The logical line (NEWLINE to NEWLINE in CPython's tokens) holding `pos`. */
function logicalLine(toks: Tokens, pos: number, end: number): { from: number; to: number } {
  let from = 0, to = end;
  for (const t of toks.toks) {
    if (t.t !== T.Newline) continue;
    if (t.e <= pos) from = t.e;
    else { to = t.e; break; }
  }
  return { from, to };
}
