// Rules of CPython 3.11's grammar that lezer's more permissive grammar does not enforce: assignment,
// deletion, loop and `with` targets, parameter and argument order, `try` without a handler, keywords as
// attribute names, import commas. Each violation is a parser Failure at the line CPython reports.
import type { SyntaxNode, Tree } from '@lezer/common';
import type { Failure } from './syntaxErrors';
import { T, type Tokens } from './tokenize';

export const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def',
  'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/** Children without comments. */
export function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

/** Comma-separated runs of children (commas dropped). */
export function runs(c: SyntaxNode[]): SyntaxNode[][] {
  const out: SyntaxNode[][] = [[]];
  for (const x of c) { if (x.name === ',') out.push([]); else out[out.length - 1].push(x); }
  if (!out[out.length - 1].length) out.pop();
  return out;
}

/** What a node is, in CPython's words for "cannot assign to …" (undefined: a valid target). */
export function exprKind(n: SyntaxNode, src: string): string | undefined {
  switch (n.name) {
    case 'VariableName': case 'MemberExpression': return undefined;
    case 'CallExpression': return 'function call';
    case 'Number': case 'String': case 'ContinuedString': case 'Ellipsis': return n.name === 'Ellipsis' ? 'ellipsis' : 'literal';
    case 'FormatString': return 'f-string expression';
    case 'None': return 'None';
    case 'Boolean': return src.slice(n.from, n.to);
    case 'BinaryExpression': {
      const op = kids(n)[1];
      const t = op ? src.slice(op.from, op.to) : '';
      return op && (op.name === 'CompareOp' || ['in', 'not', 'is'].includes(t)) ? 'comparison' : 'expression';
    }
    case 'UnaryExpression': return 'expression';
    case 'ConditionalExpression': return 'conditional expression';
    case 'LambdaExpression': return 'lambda';
    case 'AwaitExpression': return 'await expression';
    case 'YieldExpression': return 'yield expression';
    case 'NamedExpression': return 'named expression';
    case 'ArrayComprehensionExpression': return 'list comprehension';
    case 'SetComprehensionExpression': return 'set comprehension';
    case 'DictionaryComprehensionExpression': return 'dict comprehension';
    case 'ComprehensionExpression': return 'generator expression';
    case 'DictionaryExpression': return 'dict literal';
    case 'SetExpression': return 'set display';
    default: return undefined;
  }
}

type Report = (at: number, message: string) => void;

/** star_targets / del_targets: the first node that cannot be assigned to (or deleted). */
function checkTarget(n: SyntaxNode, src: string, report: Report, verb: 'assign to' | 'delete'): boolean {
  if (n.name === 'TupleExpression' || n.name === 'ArrayExpression' || n.name === 'ParenthesizedExpression') {
    return checkTargets(kids(n).slice(1, -1), src, report, verb);
  }
  const kind = exprKind(n, src);
  if (kind) { report(n.from, `cannot ${verb} ${kind}`); return false; }
  return true;
}

/** A comma-separated run of targets (`a, *b`); `*` before a target is allowed when assigning. */
function checkTargets(c: SyntaxNode[], src: string, report: Report, verb: 'assign to' | 'delete'): boolean {
  for (const run of runs(c)) {
    if (run[0]?.name === '*') {
      if (verb === 'delete') { report(run[0].from, 'cannot delete starred'); return false; }
      if (run[1] && !checkTarget(run[1], src, report, verb)) return false;
      continue;
    }
    if (run[0] && !checkTarget(run[0], src, report, verb)) return false;
  }
  return true;
}

function assignment(n: SyntaxNode, src: string, report: Report): void {
  const c = kids(n);
  const typed = c.findIndex((x) => x.name === 'TypeDef');
  if (typed >= 0) {
    const target = c.slice(0, typed);
    if (target.some((x) => x.name === ',')) { report(target[0].from, 'only single target (not tuple) can be annotated'); return; }
    const t = target[0];
    if (!t) return;
    if (t.name === 'ArrayExpression') report(t.from, 'only single target (not list) can be annotated');
    else if (t.name === 'TupleExpression') report(t.from, 'only single target (not tuple) can be annotated');
    else if (t.name !== 'VariableName' && t.name !== 'MemberExpression' && !(t.name === 'ParenthesizedExpression' && isSingleTarget(t))) report(t.from, 'illegal target for annotation');
    return;
  }
  const groups: SyntaxNode[][] = [[]];
  for (const x of c) { if (x.name === 'AssignOp') groups.push([]); else groups[groups.length - 1].push(x); }
  for (const g of groups.slice(0, -1)) {
    if (g.length === 1 && g[0].name === 'YieldExpression') { report(g[0].from, 'assignment to yield expression not possible'); return; }
    if (!checkTargets(g, src, report, 'assign to')) return;
  }
}

function isSingleTarget(n: SyntaxNode): boolean {
  const inner = kids(n).slice(1, -1);
  if (inner.length !== 1) return false;
  const t = inner[0];
  return t.name === 'VariableName' || t.name === 'MemberExpression' || (t.name === 'ParenthesizedExpression' && isSingleTarget(t));
}

function augmented(n: SyntaxNode, src: string, report: Report): void {
  const c = kids(n);
  const op = c.findIndex((x) => x.name === 'UpdateOp');
  const target = c.slice(0, op);
  if (!target.length) return;
  if (target.some((x) => x.name === ',')) { report(target[0].from, "'tuple' is an illegal expression for augmented assignment"); return; }
  const t = target[0];
  if (t.name === 'VariableName' || t.name === 'MemberExpression' || (t.name === 'ParenthesizedExpression' && isSingleTarget(t))) return;
  const kind = t.name === 'TupleExpression' || t.name === 'ParenthesizedExpression' ? 'tuple' : t.name === 'ArrayExpression' ? 'list' : exprKind(t, src) ?? 'expression';
  report(t.from, `'${kind}' is an illegal expression for augmented assignment`);
}

/** `for` targets of a loop or of comprehension clauses: between each `for` and its `in`. */
function forTargets(c: SyntaxNode[], src: string, report: Report): void {
  for (let i = 0; i < c.length; i++) {
    if (c[i].name !== 'for') continue;
    const end = c.findIndex((x, j) => j > i && x.name === 'in');
    if (end > i) checkTargets(c.slice(i + 1, end), src, report, 'assign to');
  }
}

function withTargets(c: SyntaxNode[], src: string, report: Report): void {
  for (let i = 0; i < c.length; i++) {
    if (c[i].name !== 'as') continue;
    const t = c[i + 1]?.name === '*' ? c[i + 2] : c[i + 1];
    if (t) checkTarget(t, src, report, 'assign to');
  }
}

/** def and lambda parameters: CPython's invalid_parameters / invalid_star_etc / invalid_kwds rules. */
function params(n: SyntaxNode, report: Report): void {
  const items = runs(kids(n).filter((x) => x.name !== '(' && x.name !== ')'));
  let slash = false, star = false, starBare: SyntaxNode | null = null, kw = false, defaulted = false;
  for (const it of items) {
    const head = it[0];
    if (!head) continue;
    if (kw) { report(head.from, 'arguments cannot follow var-keyword argument'); return; }
    if (head.name === '/') {
      if (slash) { report(head.from, '/ may appear only once'); return; }
      if (star) { report(head.from, '/ must be ahead of *'); return; }
      if (it === items[0]) { report(head.from, 'at least one argument must precede /'); return; }
      slash = true;
      continue;
    }
    if (head.name === '*') {
      if (star) { report(head.from, '* argument may appear only once'); return; }
      star = true;
      starBare = it.length === 1 ? head : null;
      if (it.some((x) => x.name === 'AssignOp')) { report(head.from, 'var-positional argument cannot have default value'); return; }
      continue;
    }
    if (head.name === '**') {
      if (starBare) { report(starBare.from, 'named arguments must follow bare *'); return; }
      if (it.some((x) => x.name === 'AssignOp')) { report(head.from, 'var-keyword argument cannot have default value'); return; }
      kw = true;
      continue;
    }
    starBare = null;
    const hasDefault = it.some((x) => x.name === 'AssignOp');
    if (!star && defaulted && !hasDefault) { report(head.from, 'non-default argument follows default argument'); return; }
    if (hasDefault) defaulted = true;
  }
  if (starBare) report(starBare.from, 'named arguments must follow bare *');
}

/** A generator argument: alone (commas inside its `for … in` targets are its own), never in a class's bases. */
function genexpArg(c: SyntaxNode[], forAt: number, src: string, report: Report, inClass: boolean): void {
  if (inClass) { report(c[forAt].from, 'invalid syntax'); return; }
  const start = c.slice(0, forAt).reduce((k, x, i) => (x.name === ',' ? i + 1 : k), 0);
  if (c[start + 1]?.name === 'AssignOp' && src.slice(c[start + 1].from, c[start + 1].to) === '=') { report(c[start].from, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"); return; }
  let inTarget = false, other = start > 0;
  for (let i = forAt; i < c.length && !other; i++) {
    if (c[i].name === 'for') inTarget = true;
    else if (c[i].name === 'in') inTarget = false;
    else if (c[i].name === ',' && !inTarget) other = true;
  }
  if (other) report(c[start].from, 'Generator expression must be parenthesized');
}

/** Call arguments: CPython's invalid_arguments rules (genexp parenthesized, positional after keyword). */
function args(n: SyntaxNode, src: string, report: Report, inClass: boolean): void {
  const c = kids(n);
  const close = c[c.length - 1]?.name === ')' ? c[c.length - 1] : null;
  const inner = c.filter((x) => x.name !== '(' && x.name !== ')');
  const forAt = inner.findIndex((x) => x.name === 'for' || x.name === 'async');
  if (forAt >= 0) { genexpArg(inner, forAt, src, report, inClass); return; }
  const items = runs(inner);
  let keyword = false, kwUnpack = false;
  for (const it of items) {
    const head = it[0];
    if (!head) continue;
    if (head.name === '**') { kwUnpack = true; continue; }
    if (head.name === '*') {
      if (kwUnpack) { report((close ?? head).from, 'iterable argument unpacking follows keyword argument unpacking'); return; }
      continue;
    }
    if (it[1]?.name === 'AssignOp' && src.slice(it[1].from, it[1].to) === '=') { keyword = true; continue; }
    if (kwUnpack) { report((close ?? head).from, 'positional argument follows keyword argument unpacking'); return; }
    if (keyword) { report((close ?? head).from, 'positional argument follows keyword argument'); return; }
  }
}

function tryHandlers(n: SyntaxNode, toks: Tokens, report: Report): void {
  const c = kids(n);
  const handlers = c.map((x, i) => (x.name === 'except' ? i : -1)).filter((i) => i >= 0);
  const star = handlers.filter((i) => c[i + 1]?.name === '*');
  if (star.length && star.length < handlers.length) {
    const odd = handlers.find((i) => (c[i + 1]?.name === '*') !== (c[handlers[0] + 1]?.name === '*'))!;
    report(c[odd].from, "cannot have both 'except' and 'except*' on the same 'try'");
    return;
  }
  if (c.some((x) => x.name === 'except' || x.name === 'finally')) return;
  const body = c.find((x) => x.name === 'Body');
  if (!body) return;
  // CPython fails on the first token after the try block (the DEDENT, or the end of the input)
  const next = toks.toks.find((t) => t.s >= body.to && t.t !== T.Newline);
  report(next ? next.s : body.to, "expected 'except' or 'finally' block");
}

function importCommas(n: SyntaxNode, report: Report): void {
  const c = kids(n);
  if (c[0]?.name !== 'from') return;
  // `from m import a.b`: the imported names are plain names
  const names = c.slice(c.findIndex((x) => x.name === 'import') + 1);
  const dot = names.find((x, i) => x.name === '.' && names[i - 1]?.name === 'VariableName');
  if (dot) { report(dot.from, 'invalid syntax'); return; }
  const last = c[c.length - 1];
  if (last?.name === ',') report(last.from, 'trailing comma not allowed without surrounding parentheses');
}

function namedTarget(n: SyntaxNode, src: string, report: Report): void {
  const t = kids(n)[0];
  if (!t || t.name === 'VariableName') return;
  const what = t.name === 'MemberExpression' ? (kids(t)[1]?.name === '.' ? 'attribute' : 'subscript')
    : t.name === 'TupleExpression' || t.name === 'ParenthesizedExpression' ? 'tuple' : t.name === 'ArrayExpression' ? 'list' : exprKind(t, src) ?? 'expression';
  report(t.from, `cannot use assignment expressions with ${what}`);
}

/** The earliest violation in the file (CPython's parser stops at the first). */
export function grammarFailure(tree: Tree, src: string, toks: Tokens, lineOf: (pos: number) => number, errorIn: (from: number, to: number) => boolean, strict: boolean, bound = Infinity): Failure | undefined {
  let best: Failure | undefined;
  const report: Report = (at, message) => {
    if (!best || at < best.s) best = { s: at, e: at + 1, line: lineOf(at), message, kind: 'specific' };
  };
  // a cursor walk in document order; only the nodes a rule looks at become SyntaxNode objects
  tree.iterate({
    enter: (ref) => {
      if ((best && ref.from > best.s) || ref.from > bound) return false;
      const name = ref.name;
      if (name === 'PropertyName') { if (KEYWORDS.has(src.slice(ref.from, ref.to)) && !errorIn(ref.from, ref.to)) report(ref.from, 'invalid syntax'); return undefined; }
      if (!CHECKED.has(name)) return undefined;
      const n = ref.node;
      // a node around one of lezer's error nodes is lezer's recovery, not the user's construct; a compound
      // statement's header (a try's handlers) is its own, checked up to the first error
      if (HEADER_CHECKED.has(name)) visit(n, src, toks, (at, message) => { if (!errorIn(n.from, at)) report(at, message); });
      else if (!errorIn(n.from, n.to)) visit(n, src, toks, report);
      // Python 3.12's `type X = …` and `def f[T]()`: CPython 3.11 stops at the name after `type`, at the `[`
      if (strict && (name === 'TypeDefinition' || name === 'TypeParamList')) report(name === 'TypeDefinition' ? (kids(n)[1] ?? n).from : n.from, 'invalid syntax');
      return undefined;
    },
  });
  return best;
}

const HEADER_CHECKED = new Set(['TryStatement', 'ForStatement', 'WithStatement']);

const CHECKED = new Set(['AssignStatement', 'UpdateStatement', 'DeleteStatement', 'ForStatement', 'ArrayComprehensionExpression',
  'SetComprehensionExpression', 'DictionaryComprehensionExpression', 'ComprehensionExpression', 'ArgList', 'ParenthesizedExpression',
  'WithStatement', 'ParamList', 'TryStatement', 'ImportStatement', 'NamedExpression', 'TypeDefinition', 'TypeParamList']);

function visit(n: SyntaxNode, src: string, toks: Tokens, report: Report): void {
  switch (n.name) {
    case 'AssignStatement': assignment(n, src, report); return;
    case 'UpdateStatement': augmented(n, src, report); return;
    case 'DeleteStatement': checkTargets(kids(n).slice(1), src, report, 'delete'); return;
    case 'ForStatement': case 'ArrayComprehensionExpression': case 'SetComprehensionExpression': case 'DictionaryComprehensionExpression':
    case 'ComprehensionExpression': case 'ArgList':
      forTargets(kids(n), src, report);
      if (n.name === 'ArgList') args(n, src, report, n.parent?.name === 'ClassDefinition');
      if (n.name === 'DictionaryComprehensionExpression' && kids(n)[1]?.name === '**') report(kids(n)[1].from, 'dict unpacking cannot be used in dict comprehension');
      return;
    case 'ParenthesizedExpression': {
      const c = kids(n);
      if (c.some((x) => x.name === 'for')) forTargets(c, src, report);
      if (c[1]?.name === '*' && c.length === 4) report(c[1].from, 'cannot use starred expression here');
      return;
    }
    case 'WithStatement': withTargets(kids(n).flatMap((x) => (x.name === 'WithItems' ? kids(x) : [x])), src, report); return;
    case 'ParamList': params(n, report); return;
    case 'TryStatement': tryHandlers(n, toks, report); return;
    case 'ImportStatement': importCommas(n, report); return;
    case 'NamedExpression': namedTarget(n, src, report); return;
    default:
  }
}
