// Python front end: source text → our syntax tree (ast.ts) with source offsets, and the syntax error
// CPython would report (one, at its line). lezer parses (lezerParse.ts), convert.ts builds the tree,
// tokenize.ts and syntaxErrors.ts find the error. Must not evaluate anything.
import type { ParsedFile, Stmt, SyntaxProblem } from './ast';
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
  const base = options.stepBudget === undefined ? lastGood.get(path) : undefined;
  const reused = base && base.strict === strict ? reparseEdit(path, base, source) : undefined;
  const whole = reused ?? parseWhole(path, source, strict, options.stepBudget, true);
  if (reused) reparseStats.regions++;
  else reparseStats.whole++;
  // NOTE: the base of the next edit is the last parse without problems (a half-typed line in between
  // does not lose it): only a file without problems is split into independent top-level statements
  if (whole.segs && options.stepBudget === undefined) {
    if (!lastGood.has(path) && lastGood.size >= LAST_GOOD_LIMIT) lastGood.delete(lastGood.keys().next().value as string);
    lastGood.set(path, { strict, source, parsed: whole.file, segs: whole.segs });
  }
  return whole.file;
}

/** How many parses reused the last good parse (regions) or parsed the whole file: for tests. */
export const reparseStats = { regions: 0, whole: 0 };

/** A top-level statement: where it starts (a line start) and the index of its first statement in the body. */
interface Seg { from: number; first: number }

/** The last parse of a file without problems, and its top-level statements: what an edit's reparse reuses. */
interface GoodParse { strict: boolean; source: string; parsed: ParsedFile; segs: Seg[] }
const lastGood = new Map<string, GoodParse>();
const LAST_GOOD_LIMIT = 32;

interface Whole { file: ParsedFile; /** the top-level statements, when the file has no problems */ segs?: Seg[]; steps: number }

function parseWhole(path: string, source: string, strict: boolean, stepBudget: number | undefined, reuseTree: boolean): Whole;
function parseWhole(path: string, source: string, strict: boolean, stepBudget: number | undefined, reuseTree: boolean, region: true): Whole | undefined;
/** `region`: a part of a file parsed on its own, where any problem means parsing the whole file: stops at the first. */
function parseWhole(path: string, source: string, strict: boolean, stepBudget: number | undefined, reuseTree: boolean, region = false): Whole | undefined {
  const toks = tokenize(source);
  if (region && (toks.error || toks.open.length)) return undefined;
  const { tree, limit, errorStarts, unread, steps } = readTree(path, source, toks, stepBudget, reuseTree);
  if (region && (limit || errorStarts.length)) return undefined;
  const conv = new Converter(source);
  conv.errorStarts = [...errorStarts];
  conv.unread = unread;
  const body: Stmt[] = [];
  const segs: Seg[] = [];
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Comment') continue;
    segs.push({ from: c.from, first: body.length });
    conv.stmtInto(c, body);
  }
  const primary = syntaxError(source, toks, tree, errorStarts, limit, strict) ?? semanticError(tree, source);
  // one syntax error, where CPython reports it; the converter's own notes only on files without one
  const problems = primary ? [primary] : conv.problems;
  // comments (kids() skips them inside expressions): collect them all once
  conv.comments.length = 0;
  const cursor = tree.cursor();
  do { if (cursor.name === 'Comment') conv.comments.push({ s: cursor.from, text: source.slice(cursor.from, cursor.to) }); } while (cursor.next());
  problems.sort((a, b) => a.s - b.s);
  conv.comments.sort((a, b) => a.s - b.s);
  const file = { path, source, body, problems, comments: conv.comments };
  const clean = !problems.length && !limit && !unread && segs.every((g) => g.from === 0 || isNewline(source.charCodeAt(g.from - 1)));
  return { file, segs: clean ? segs : undefined, steps };
}

const isNewline = (c: number): boolean => c === 10 || c === 13;

/**
 * The parse of `source` from the last good parse `base` of the same file, when the edit between them lies
 * within whole top-level statements: those are parsed on their own (a Python file's top-level statements
 * tokenize and parse independently of each other when none has an error), the others are reused, moved
 * by the edit's length. Undefined where that does not hold, and the caller parses the whole file.
 */
function reparseEdit(path: string, base: GoodParse, source: string): Whole | undefined {
  const a = base.source, b = source;
  if (a === b) return { file: base.parsed, segs: base.segs, steps: 0 };
  // NOTE: what crosses top-level statements: a module-level `global` (names bound before it), and
  // `from __future__` (must come first): a file mentioning either is parsed whole
  if (/\bglobal\b|__future__/.test(b)) return undefined;
  let pre = 0;
  const max = Math.min(a.length, b.length);
  while (pre < max && a.charCodeAt(pre) === b.charCodeAt(pre)) pre++;
  let suf = 0;
  while (suf < max - pre && a.charCodeAt(a.length - 1 - suf) === b.charCodeAt(b.length - 1 - suf)) suf++;
  const toA = a.length - suf, delta = b.length - a.length;
  const segs = base.segs;
  // the statements from the last one starting at or before the edit to the first one starting after it
  let i = -1;
  while (i + 1 < segs.length && segs[i + 1].from <= pre) i++;
  let j = Math.max(i + 1, 0);
  while (j < segs.length && segs[j].from <= toA) j++;
  const fromA = i >= 0 ? segs[i].from : 0, endA = j < segs.length ? segs[j].from : a.length;
  const endB = endA + delta;
  const text = b.slice(fromA, endB);
  // the region must end a line (the next statement starts a line at column 0, as before the edit)
  if (j < segs.length && !isNewline(text.charCodeAt(text.length - 1))) return undefined;
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  const part = parseWhole(path, text, base.strict, undefined, false, true);
  // NOTE: a normal parse takes under one lezer step per character; a region far above that is parsed
  // within the whole file, where the budget applies to the file
  if (!part?.segs || part.steps > 4 * text.length + 200) return undefined;
  const old = base.parsed;
  const firstA = i >= 0 ? segs[i].first : 0, lastA = j < segs.length ? segs[j].first : old.body.length;
  const body = old.body.slice(0, firstA);
  for (const st of part.file.body) body.push(shifted(st, fromA));
  for (let k = lastA; k < old.body.length; k++) body.push(shifted(old.body[k], delta));
  const comments = old.comments.filter((c) => c.s < fromA);
  for (const c of part.file.comments) comments.push({ s: c.s + fromA, text: c.text });
  for (const c of old.comments) if (c.s >= endA) comments.push({ s: c.s + delta, text: c.text });
  const newSegs = segs.slice(0, Math.max(i, 0));
  for (const g of part.segs) newSegs.push({ from: g.from + fromA, first: g.first + firstA });
  const moved = firstA + part.file.body.length - lastA;
  for (let k = j; k < segs.length; k++) newSegs.push({ from: segs[k].from + delta, first: segs[k].first + moved });
  return { file: { path, source, body, problems: [], comments }, segs: newSegs, steps: part.steps };
}

/** A copy of a syntax tree node with its source offsets moved by `d` (s, e and nameS are the offsets). */
function shifted<V>(v: V, d: number): V {
  if (d === 0 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => shifted(x, d)) as V;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    out[k] = typeof x === 'number' ? (k === 's' || k === 'e' || k === 'nameS' ? x + d : x) : typeof x === 'object' ? shifted(x, d) : x;
  }
  return out as V;
}

/**
 * lezer's tree of the source, and the first parse limit it hit. A logical line nested past what lezer
 * builds is blanked (offsets kept) and the file parsed again, so that line alone is lost, not the rest.
 */
function readTree(path: string, source: string, toks: Tokens, stepBudget: number | undefined, reuseTree: boolean): { tree: Tree; limit?: ParseLimit; errorStarts: number[]; unread?: { from: number; to: number }; steps: number } {
  // NOTE: lezer takes a whitespace-only last line (no newline after it) for an indent; CPython for a blank
  // line. lezer parses the text without those trailing blanks (every offset before them is unchanged).
  // (Checking for the end inside lezer's indentation tokenizer breaks its incremental parsing.)
  let text = maskTooDeep(source, toks).replace(/(^|[\r\n])[ \t\f]+$/, '$1');
  // A line continuation at the very end: CPython reads the file as ending in a newline, so its parser sees
  // the logical line end there (lezer would stop at the backslash); the tokenizer's EOF error stays in toks.
  if (toks.error?.kind === 'eof' && toks.error.s === source.length - 1 && text.endsWith('\\')) text = `${text.slice(0, -1)} `;
  let first: ParseLimit | undefined, unread: { from: number; to: number } | undefined;
  for (let attempt = 0; ; attempt++) {
    const parsed = reuseTree ? lezerParse(path, text, stepBudget) : run(text, undefined, stepBudget);
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
    if (limit?.kind !== 'nesting' || attempt === 3) return { tree: parsed.tree, limit: first, errorStarts, unread: limit ? logicalLine(toks, limit.pos, source.length) : unread, steps: parsed.steps };
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
  // past a parse limit the tree is not the code's: the checks stop there; and CPython, whose grammar is
  // stricter than lezer's, has failed by lezer's first error: no grammar rule is checked past it (a
  // string's own errors can still come first: CPython reads the tokens around its failure)
  const bound = limit?.pos ?? Infinity;
  for (const f of [grammarFailure(tree, source, toks, lineOf, errorIn, strict, Math.min(bound, firstError)), stringFailure(source, toks, lineOf, strict ? fieldError : undefined, bound)]) if (f) fails.push(f);
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
