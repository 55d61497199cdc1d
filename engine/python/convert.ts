// The lezer tree → our syntax tree (ast.ts) with source offsets. A statement with an error node inside is
// skipped (compound statements keep their well-formed inner statements); nothing here decides what is a
// syntax error (syntaxErrors.ts does) and nothing is evaluated.
import type { SyntaxNode } from '@lezer/common';
import type { Arg, CompFor, DictItem, Expr, FPart, Handler, ImportName, Param, Stmt, SyntaxProblem } from './ast';
import { decodeString, numberLiteral, unescapeBraces } from './literals';

const COMPARE_OPS = new Set(['<', '>', '<=', '>=', '==', '!=', 'in', 'not in', 'is', 'is not']);

/**
 * The converter's note on a statement lezer could not read. Shown only when CPython's rules find no
 * syntax error (parse.ts reports that one instead), so it is LayerLens's limit, not the user's mistake.
 */
function unreadable(near: string): string {
  return `LayerLens cannot read this statement (near '${near.slice(0, 30).trim() || 'end of line'}'), though Python accepts it; it is left out of the analysis`;
}

const COMPOUND = new Set(['FunctionDefinition', 'ClassDefinition', 'DecoratedStatement', 'IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'WithStatement', 'MatchStatement']);

function firstKid(n: SyntaxNode): SyntaxNode | null {
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') return c;
  return null;
}

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

export class Converter {
  problems: SyntaxProblem[] = [];
  comments: Array<{ s: number; text: string }> = [];
  constructor(readonly src: string) {}

  text(n: SyntaxNode): string { return this.src.slice(n.from, n.to); }

  /** Sorted start offsets of all error nodes (filled before conversion). */
  errorStarts: number[] = [];
  /** A logical line lezer could not build (past a parse limit): statements overlapping it are dropped. */
  unread?: { from: number; to: number };

  errorIn(from: number, to: number): boolean {
    let lo = 0, hi = this.errorStarts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.errorStarts[mid] < from) lo = mid + 1; else hi = mid; }
    return lo < this.errorStarts.length && this.errorStarts[lo] <= to;
  }

  problem(n: { from: number; to: number }, message: string): void {
    this.problems.push({ s: n.from, e: Math.max(n.to, n.from + 1), message });
  }

  // ---------- statements ----------
  block(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of kids(n)) this.stmtInto(c, out);
    return out;
  }

  stmtInto(n: SyntaxNode, out: Stmt[]): void {
    // a statement on the unread line is dropped; a compound one opened above it keeps its other statements
    if (this.unread && n.from < this.unread.to && n.to > this.unread.from && (n.from >= this.unread.from || !COMPOUND.has(n.name))) return;
    switch (n.name) {
      case 'Comment': this.comments.push({ s: n.from, text: this.text(n) }); return;
      case ':': case 'newline': case ';': case 'indent': case 'dedent': return;
      case 'StatementGroup': for (const c of kids(n)) this.stmtInto(c, out); return;
      case '⚠': this.problem(n, unreadable(this.text(n))); return;
    }
    const hasError = this.errorIn(n.from, n.to) ? this.firstError(n) : null;
    if (hasError) {
      this.problem(hasError, unreadable(this.text(hasError).trim() ? this.text(hasError) : this.text(n)));
      // Compound statements keep their well-formed inner statements; simple ones are dropped.
      if (!['FunctionDefinition', 'ClassDefinition', 'DecoratedStatement', 'IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'WithStatement'].includes(n.name)) return;
    }
    try {
      const s = this.stmt(n);
      if (s) out.push(s);
    } catch (e) {
      this.problem(n, `cannot read this statement: ${(e as Error).message}`);
    }
  }

  /** First error node directly in this statement's own header (not inside nested bodies). */
  firstError(n: SyntaxNode): SyntaxNode | null {
    for (const c of kids(n)) {
      if (c.name === '⚠') return c;
      if (c.name === 'Body' || c.name === 'Comment') continue;
      if (c.name.endsWith('Statement') || c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') continue;
      const inner = this.firstError(c);
      if (inner) return inner;
    }
    return null;
  }

  body(n: SyntaxNode | undefined): Stmt[] { return n ? this.block(n) : []; }

  stmt(n: SyntaxNode): Stmt | null {
    const s = n.from, e = n.to;
    const c = kids(n);
    switch (n.name) {
      case 'ExpressionStatement': return { k: 'Expr', value: this.exprList(c), s, e };
      case 'AssignStatement': return this.assign(n, c);
      case 'UpdateStatement': {
        const opIdx = c.findIndex((x) => x.name === 'UpdateOp');
        const op = this.text(c[opIdx]).slice(0, -1);
        return { k: 'AugAssign', target: this.exprList(c.slice(0, opIdx)), op, value: this.exprList(c.slice(opIdx + 1)), s, e };
      }
      case 'ReturnStatement': {
        const rest = c.slice(1);
        return { k: 'Return', value: rest.length ? this.exprList(rest) : undefined, s, e };
      }
      case 'PassStatement': return { k: 'Pass', s, e };
      case 'BreakStatement': return { k: 'Break', s, e };
      case 'ContinueStatement': return { k: 'Continue', s, e };
      case 'IfStatement': return this.ifStmt(c, 0, s, e);
      case 'WhileStatement': {
        const bodies = c.filter((x) => x.name === 'Body');
        return { k: 'While', test: this.expr(c[1]), body: this.body(bodies[0]), orelse: this.body(bodies[1]), s, e };
      }
      case 'ForStatement': {
        const inIdx = c.findIndex((x) => x.name === 'in');
        const bodyIdx = c.findIndex((x) => x.name === 'Body');
        const bodies = c.filter((x) => x.name === 'Body');
        const startIdx = c[0].name === 'async' ? 2 : 1;
        return {
          k: 'For', target: this.exprList(c.slice(startIdx, inIdx)), iter: this.exprList(c.slice(inIdx + 1, bodyIdx)),
          body: this.body(bodies[0]), orelse: this.body(bodies[1]), s, e,
        };
      }
      case 'FunctionDefinition': return this.funcDef(n, c, []);
      case 'ClassDefinition': return this.classDef(n, c, []);
      case 'DecoratedStatement': {
        const decorators = c.filter((x) => x.name === 'Decorator').map((d) => this.decorator(d));
        const def = c.find((x) => x.name === 'FunctionDefinition' || x.name === 'ClassDefinition');
        if (!def) return null;
        return def.name === 'FunctionDefinition' ? this.funcDef(def, kids(def), decorators) : this.classDef(def, kids(def), decorators);
      }
      case 'ImportStatement': return this.importStmt(c, s, e);
      case 'TryStatement': return this.tryStmt(c, s, e);
      case 'WithStatement': {
        const items: Array<{ ctx: Expr; target?: Expr }> = [];
        const bodyNode = c.find((x) => x.name === 'Body');
        // `with (a as b, c as d):` keeps its items inside a WithItems node
        const header = c.flatMap((x) => (x.name === 'WithItems' ? kids(x).slice(1, -1) : [x])).filter((x) => x.name !== 'with' && x.name !== 'Body' && x.name !== 'async');
        let cur: { ctx?: Expr; target?: Expr } = {};
        let afterAs = false;
        for (const h of header) {
          if (h.name === ',') { if (cur.ctx) items.push(cur as { ctx: Expr }); cur = {}; afterAs = false; continue; }
          if (h.name === 'as') { afterAs = true; continue; }
          if (afterAs) cur.target = this.expr(h); else cur.ctx = this.expr(h);
        }
        if (cur.ctx) items.push(cur as { ctx: Expr });
        return { k: 'With', items, body: this.body(bodyNode), s, e };
      }
      case 'AssertStatement': {
        const exprs = c.filter((x) => x.name !== 'assert' && x.name !== ',');
        return { k: 'Assert', test: this.expr(exprs[0]), msg: exprs[1] ? this.expr(exprs[1]) : undefined, s, e };
      }
      case 'RaiseStatement': {
        const exprs = c.filter((x) => x.name !== 'raise' && x.name !== 'from');
        return { k: 'Raise', exc: exprs[0] ? this.expr(exprs[0]) : undefined, s, e };
      }
      case 'ScopeStatement': {
        const kw = this.text(c[0]);
        return { k: kw === 'global' ? 'Global' : 'Nonlocal', names: c.filter((x) => x.name === 'VariableName').map((x) => this.text(x)), s, e };
      }
      case 'DeleteStatement': {
        const exprs = c.filter((x) => x.name !== 'del' && x.name !== ',');
        return { k: 'Del', targets: exprs.map((x) => this.expr(x)), s, e };
      }
      default:
        return { k: 'Unsupported', what: n.name.replace(/Statement$/, '').toLowerCase() + ' statement', s, e };
    }
  }

  assign(n: SyntaxNode, c: SyntaxNode[]): Stmt {
    const s = n.from, e = n.to;
    const typeIdx = c.findIndex((x) => x.name === 'TypeDef');
    const groups: SyntaxNode[][] = [[]];
    for (const x of c) {
      if (x.name === 'AssignOp') groups.push([]);
      else if (x.name !== 'TypeDef') groups[groups.length - 1].push(x);
    }
    if (typeIdx >= 0) {
      const ann = kids(c[typeIdx]).filter((x) => x.name !== ':');
      return { k: 'AnnAssign', target: this.exprList(groups[0]), annotation: ann.length ? this.exprList(ann) : undefined, value: groups.length > 1 ? this.exprList(groups[1]) : undefined, s, e };
    }
    const value = this.exprList(groups[groups.length - 1]);
    return { k: 'Assign', targets: groups.slice(0, -1).map((g) => this.exprList(g)), value, s, e };
  }

  ifStmt(c: SyntaxNode[], start: number, s: number, e: number): Stmt {
    // c[start] is 'if' or 'elif', then test, then Body
    const test = this.expr(c[start + 1]);
    const body = this.body(c[start + 2]);
    let orelse: Stmt[] = [];
    const next = c[start + 3];
    if (next && next.name === 'elif') orelse = [this.ifStmt(c, start + 3, next.from, e)];
    else if (next && next.name === 'else') orelse = this.body(c[start + 4]);
    return { k: 'If', test, body, orelse, s, e };
  }

  funcDef(n: SyntaxNode, c: SyntaxNode[], decorators: Expr[]): Stmt {
    const nameNode = c.find((x) => x.name === 'VariableName')!;
    const params = c.find((x) => x.name === 'ParamList');
    const bodyNode = c.find((x) => x.name === 'Body');
    return {
      k: 'FunctionDef', name: this.text(nameNode), nameS: nameNode.from, params: params ? this.params(params) : [],
      body: this.body(bodyNode), decorators, s: n.from, e: n.to,
    };
  }

  classDef(n: SyntaxNode, c: SyntaxNode[], decorators: Expr[]): Stmt {
    const nameNode = c.find((x) => x.name === 'VariableName')!;
    const argList = c.find((x) => x.name === 'ArgList');
    const bodyNode = c.find((x) => x.name === 'Body');
    return {
      k: 'ClassDef', name: this.text(nameNode), nameS: nameNode.from, bases: argList ? this.args(argList) : [],
      body: this.body(bodyNode), decorators, s: n.from, e: n.to,
    };
  }

  /** `@expr` (any expression since Python 3.9). */
  decorator(d: SyntaxNode): Expr {
    const x = kids(d).find((c) => c.name !== 'At');
    return x ? this.expr(x) : { k: 'Error', text: this.text(d), s: d.from, e: d.to };
  }

  importStmt(c: SyntaxNode[], s: number, e: number): Stmt {
    if (c[0].name === 'from') {
      const impIdx = c.findIndex((x) => x.name === 'import');
      let level = 0;
      let mod = '';
      for (const x of c.slice(1, impIdx)) {
        if (x.name === '.' ) { if (!mod) level++; else mod += '.'; }
        else if (x.name === 'Ellipsis') level += 3;
        else mod += this.text(x);
      }
      const rest = c.slice(impIdx + 1);
      if (rest.some((x) => x.name === '*')) return { k: 'ImportFrom', level, module: mod, names: '*', s, e };
      return { k: 'ImportFrom', level, module: mod, names: this.importNames(rest, false), s, e };
    }
    return { k: 'Import', names: this.importNames(c.slice(1), true), s, e };
  }

  importNames(c: SyntaxNode[], dotted: boolean): ImportName[] {
    const out: ImportName[] = [];
    let cur: ImportName | null = null;
    let afterAs = false;
    for (const x of c) {
      if (x.name === ',' ) { if (cur) out.push(cur); cur = null; afterAs = false; continue; }
      if (x.name === '(' || x.name === ')') continue;
      if (x.name === 'as') { afterAs = true; continue; }
      if (x.name === '.' && dotted && cur) { cur.name += '.'; continue; }
      if (x.name === 'VariableName') {
        if (afterAs && cur) { cur.asName = this.text(x); cur.e = x.to; }
        else if (cur && cur.name.endsWith('.')) { cur.name += this.text(x); cur.e = x.to; }
        else { if (cur) out.push(cur); cur = { name: this.text(x), s: x.from, e: x.to }; }
      }
    }
    if (cur) out.push(cur);
    return out;
  }

  tryStmt(c: SyntaxNode[], s: number, e: number): Stmt {
    const out: Stmt & { k: 'Try' } = { k: 'Try', body: [], handlers: [], orelse: [], finalbody: [], s, e };
    let i = 0;
    while (i < c.length) {
      const x = c[i];
      if (x.name === 'try') { out.body = this.body(c[i + 1]); i += 2; continue; }
      if (x.name === 'except') {
        const h: Handler = { body: [], s: x.from, e: x.to };
        i++;
        while (i < c.length && c[i].name !== 'Body') {
          const y = c[i];
          if (y.name === 'as') { h.name = this.text(c[i + 1]); i += 2; continue; }
          if (y.name !== '*') h.type = this.expr(y);
          i++;
        }
        h.body = this.body(c[i]);
        h.e = c[i]?.to ?? h.e;
        out.handlers.push(h);
        i++;
        continue;
      }
      if (x.name === 'else') { out.orelse = this.body(c[i + 1]); i += 2; continue; }
      if (x.name === 'finally') { out.finalbody = this.body(c[i + 1]); i += 2; continue; }
      i++;
    }
    return out;
  }

  params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    let kind: Param['kind'] = 'pos';
    let pending: '*' | '**' | null = null;
    const c = kids(n);
    for (let i = 0; i < c.length; i++) {
      const x = c[i];
      if (x.name === '*' ) { pending = '*'; kind = 'kwonly'; continue; }
      if (x.name === '**') { pending = '**'; continue; }
      if (x.name === 'VariableName') {
        const p: Param = { name: this.text(x), kind: pending === '*' ? 'varargs' : pending === '**' ? 'varkw' : kind, s: x.from, e: x.to };
        pending = null;
        let j = i + 1;
        if (c[j]?.name === 'TypeDef' || c[j]?.name === 'StarTypeDef') j++;
        if (c[j]?.name === 'AssignOp') { p.default = this.expr(c[j + 1]); p.e = c[j + 1].to; j += 2; }
        i = j - 1;
        out.push(p);
        continue;
      }
      if (x.name === ',') { pending = null; continue; }
    }
    return out;
  }

  args(n: SyntaxNode): Arg[] {
    const c = kids(n).filter((x) => x.name !== '(' && x.name !== ')');
    if (c.some((x) => x.name === 'for')) {
      // f(x for x in y): a generator argument
      return [{ kind: 'pos', value: this.comprehension(c, 'gen', n.from, n.to), s: n.from, e: n.to }];
    }
    const out: Arg[] = [];
    let i = 0;
    while (i < c.length) {
      const x = c[i];
      if (x.name === ',') { i++; continue; }
      if (x.name === '*' || x.name === '**') {
        const v = c[i + 1];
        out.push({ kind: x.name === '*' ? 'star' : 'dstar', value: this.expr(v), s: x.from, e: v.to });
        i += 2;
        continue;
      }
      if (x.name === 'VariableName' && c[i + 1]?.name === 'AssignOp') {
        const op = this.text(c[i + 1]);
        const v = c[i + 2];
        if (op === ':=') {
          out.push({ kind: 'pos', value: { k: 'Walrus', target: this.text(x), value: this.expr(v), s: x.from, e: v.to }, s: x.from, e: v.to });
        } else {
          out.push({ kind: 'kw', name: this.text(x), value: v ? this.expr(v) : this.err(x), s: x.from, e: v ? v.to : x.to });
        }
        i += 3;
        continue;
      }
      out.push({ kind: 'pos', value: this.expr(x), s: x.from, e: x.to });
      i++;
    }
    return out;
  }

  // ---------- expressions ----------
  err(n: SyntaxNode): Expr { return { k: 'Error', text: this.text(n), s: n.from, e: n.to }; }

  /** A comma-separated run of expression nodes: a tuple when there is a comma. */
  exprList(c: SyntaxNode[]): Expr {
    const items: Expr[] = [];
    let comma = false;
    for (let i = 0; i < c.length; i++) {
      const x = c[i];
      if (x.name === ',') { comma = true; continue; }
      if (x.name === '*') { const v = c[++i]; items.push({ k: 'Starred', e1: this.expr(v), s: x.from, e: v.to }); continue; }
      if (x.name === 'Comment') continue;
      items.push(this.expr(x));
    }
    if (items.length === 1 && !comma) return items[0];
    const s = c[0]?.from ?? 0, e = c[c.length - 1]?.to ?? 0;
    return { k: 'Tuple', elts: items, s, e };
  }

  expr(n: SyntaxNode): Expr {
    const s = n.from, e = n.to;
    switch (n.name) {
      case 'VariableName': return { k: 'Name', id: this.text(n), s, e };
      case 'Number': return this.number(n);
      case 'String': return { k: 'Str', v: decodeString(this.text(n)), bytes: /^[rRuU]?[bB]/.test(this.text(n)), s, e };
      case 'ContinuedString': {
        const parts = kids(n).map((x) => this.expr(x));
        if (parts.every((p) => p.k === 'Str')) return { k: 'Str', v: parts.map((p) => (p as { v: string }).v).join(''), bytes: false, s, e };
        const fp: FPart[] = [];
        for (const p of parts) { if (p.k === 'Str') fp.push(p.v); else if (p.k === 'FStr') fp.push(...p.parts); }
        return { k: 'FStr', parts: fp, s, e };
      }
      case 'FormatString': return { k: 'FStr', parts: this.fparts(n, true), s, e };
      case 'Boolean': return { k: 'Const', v: this.text(n) === 'True' ? 'True' : 'False', s, e };
      case 'None': return { k: 'Const', v: 'None', s, e };
      case 'Ellipsis': return { k: 'Const', v: 'Ellipsis', s, e };
      case 'ParenthesizedExpression': {
        const inner = kids(n).filter((x) => x.name !== '(' && x.name !== ')');
        if (inner.length === 1) return this.expr(inner[0]);
        if (inner.some((x) => x.name === 'for')) return this.comprehension(inner, 'gen', s, e);
        return this.exprList(inner);
      }
      case 'MemberExpression': case 'CallExpression': return this.postfix(n);
      case 'BinaryExpression': return this.binary(n);
      case 'NamedExpression': {
        const c = kids(n);
        if (c.length !== 3 || c[0].name !== 'VariableName') return this.err(n);
        return { k: 'Walrus', target: this.text(c[0]), value: this.expr(c[2]), s, e };
      }
      case 'UnaryExpression': {
        const c = kids(n);
        const op = this.text(c[0]);
        return { k: 'Unary', op, e1: this.expr(c[c.length - 1]), s, e };
      }
      case 'ConditionalExpression': {
        const c = kids(n);
        const ifIdx = c.findIndex((x) => x.name === 'if');
        const elseIdx = c.findIndex((x) => x.name === 'else');
        if (ifIdx < 0 || elseIdx < 0) return this.err(n);
        return { k: 'IfExp', body: this.expr(c[0]), test: this.expr(c[ifIdx + 1]), orelse: this.expr(c[elseIdx + 1]), s, e };
      }
      case 'LambdaExpression': {
        const c = kids(n);
        const pl = c.find((x) => x.name === 'ParamList');
        const colon = c.findIndex((x) => x.name === ':');
        return { k: 'Lambda', params: pl ? this.params(pl) : [], body: this.expr(c[colon + 1]), s, e };
      }
      case 'TupleExpression': {
        const inner = kids(n).filter((x) => x.name !== '(' && x.name !== ')');
        const t = this.exprList(inner);
        if (t.k === 'Tuple') return { ...t, s, e };
        return { k: 'Tuple', elts: inner.length ? [t] : [], s, e };
      }
      case 'ArrayExpression': case 'SetExpression': {
        const inner = kids(n).filter((x) => !['[', ']', '{', '}'].includes(x.name));
        const t = inner.length ? this.exprList(inner) : null;
        const elts = t === null ? [] : t.k === 'Tuple' && inner.some((x) => x.name === ',') ? t.elts : [t];
        return { k: n.name === 'ArrayExpression' ? 'List' : 'Set', elts, s, e };
      }
      case 'DictionaryExpression': return this.dict(n);
      case 'ArrayComprehensionExpression': return this.comprehension(kids(n).slice(1, -1), 'list', s, e);
      case 'SetComprehensionExpression': return this.comprehension(kids(n).slice(1, -1), 'set', s, e);
      case 'ComprehensionExpression': return this.comprehension(kids(n).slice(1, -1), 'gen', s, e);
      case 'DictionaryComprehensionExpression': return this.comprehension(kids(n).slice(1, -1), 'dict', s, e);
      default:
        // await, yield, a stray `*`: valid Python the interpreter does not evaluate (it says so when it meets
        // the Error); syntax errors are found and reported by syntaxErrors.ts, not here
        return this.err(n);
    }
  }

  number(n: SyntaxNode): Expr { return numberLiteral(this.text(n), n.from, n.to); }

  /** `a.b(c)[d]…`: the left spine is walked in a loop, so a long chain never deepens the JS stack. */
  postfix(n: SyntaxNode): Expr {
    const spine: SyntaxNode[] = [];
    let cur: SyntaxNode | null = n;
    while (cur && (cur.name === 'MemberExpression' || cur.name === 'CallExpression')) { spine.push(cur); cur = firstKid(cur); }
    if (!cur) return this.err(n);
    let acc = this.expr(cur);
    for (let i = spine.length - 1; i >= 0; i--) acc = spine[i].name === 'CallExpression' ? this.call(spine[i], acc) : this.member(spine[i], acc);
    return acc;
  }

  call(n: SyntaxNode, fn: Expr): Expr {
    const argList = kids(n).find((x) => x.name === 'ArgList');
    return { k: 'Call', fn, args: argList ? this.args(argList) : [], s: n.from, e: n.to };
  }

  member(n: SyntaxNode, obj: Expr): Expr {
    const c = kids(n);
    if (c[1]?.name === '.') {
      const prop = c[2];
      if (!prop) return this.err(n);
      return { k: 'Attr', obj, name: this.text(prop), nameS: prop.from, s: n.from, e: n.to };
    }
    // subscript: split on top-level commas, each piece a slice when it holds ':'
    const inner = c.slice(2, c[c.length - 1]?.name === ']' ? -1 : undefined);
    const pieces: SyntaxNode[][] = [[]];
    for (const x of inner) { if (x.name === ',') pieces.push([]); else pieces[pieces.length - 1].push(x); }
    const trailingComma = pieces.length > 1 && pieces[pieces.length - 1].length === 0;
    if (trailingComma) pieces.pop();
    const items: Expr[] = pieces.map((p) => this.sliceOrExpr(p));
    const index: Expr = items.length === 1 && !trailingComma ? items[0]
      : { k: 'Tuple', elts: items, s: inner[0]?.from ?? n.from, e: inner[inner.length - 1]?.to ?? n.to };
    return { k: 'Sub', obj, index, s: n.from, e: n.to };
  }

  sliceOrExpr(p: SyntaxNode[]): Expr {
    if (!p.some((x) => x.name === ':')) {
      if (p.length === 2 && p[0].name === '*') return { k: 'Starred', e1: this.expr(p[1]), s: p[0].from, e: p[1].to };
      return p.length ? this.expr(p[0]) : { k: 'Error', text: '', s: 0, e: 0 };
    }
    const parts: Array<Expr | undefined> = [undefined];
    for (const x of p) { if (x.name === ':') parts.push(undefined); else parts[parts.length - 1] = this.expr(x); }
    return { k: 'Slice', lo: parts[0], hi: parts[1], step: parts[2], s: p[0].from, e: p[p.length - 1].to };
  }

  /** Binary operators; a left-nested chain (a 1,000-term sum) is walked in a loop, not by recursion. */
  binary(n: SyntaxNode): Expr {
    const spine: SyntaxNode[] = [];
    let cur: SyntaxNode | null = n;
    while (cur && cur.name === 'BinaryExpression') { spine.push(cur); cur = firstKid(cur); }
    if (!cur) return this.err(n);
    let acc = this.expr(cur);
    let chained = false; // acc is a comparison built from this spine (a < b < c), not a parenthesized one
    for (let i = spine.length - 1; i >= 0; i--) {
      const c = kids(spine[i]);
      if (c.length < 3) return this.err(n);
      const op = c.slice(1, -1).map((x) => this.text(x)).join(' ');
      const r = this.expr(c[c.length - 1]);
      const s = spine[i].from, e = spine[i].to;
      if (op === 'and' || op === 'or') { acc = { k: 'Bool', op, l: acc, r, s, e }; chained = false; continue; }
      if (COMPARE_OPS.has(op)) {
        acc = chained && acc.k === 'Compare' ? { k: 'Compare', first: acc.first, ops: [...acc.ops, op], rest: [...acc.rest, r], s, e }
          : { k: 'Compare', first: acc, ops: [op], rest: [r], s, e };
        chained = true;
        continue;
      }
      acc = { k: 'Bin', op, l: acc, r, s, e };
      chained = false;
    }
    return acc;
  }

  dict(n: SyntaxNode): Expr {
    const c = kids(n).filter((x) => x.name !== '{' && x.name !== '}');
    const items: DictItem[] = [];
    let i = 0;
    while (i < c.length) {
      const x = c[i];
      if (x.name === ',') { i++; continue; }
      if (x.name === '**') { items.push({ dstar: this.expr(c[i + 1]) }); i += 2; continue; }
      const key = this.expr(x);
      const value = c[i + 2] ? this.expr(c[i + 2]) : this.err(x);
      items.push({ key, value });
      i += 3;
    }
    return { k: 'Dict', items, s: n.from, e: n.to };
  }

  comprehension(c: SyntaxNode[], kind: 'list' | 'set' | 'gen' | 'dict', s: number, e: number): Expr {
    const forIdx = c.findIndex((x) => x.name === 'for');
    let elt: Expr;
    let value: Expr | undefined;
    if (kind === 'dict') {
      const colon = c.findIndex((x) => x.name === ':');
      elt = this.expr(c[0]);
      value = this.expr(c[colon + 1]);
    } else {
      elt = this.exprList(c.slice(0, forIdx));
    }
    const gens: CompFor[] = [];
    let i = forIdx;
    while (i < c.length && c[i].name === 'for') {
      const inIdx = c.findIndex((x, j) => j > i && x.name === 'in');
      // a half-typed `for m` without `in` (lezer marked the error): every loop here must advance
      if (inIdx < 0) return { k: 'Error', text: this.src.slice(s, e), s, e };
      let j = inIdx + 1;
      while (j < c.length && c[j].name !== 'for' && c[j].name !== 'if') j++;
      const gen: CompFor = { target: this.exprList(c.slice(i + 1, inIdx)), iter: this.exprList(c.slice(inIdx + 1, j)), ifs: [] };
      while (j < c.length && c[j].name === 'if') { gen.ifs.push(this.expr(c[j + 1])); j += 2; }
      gens.push(gen);
      i = j;
    }
    return { k: 'Comp', kind, elt, value, gens, s, e };
  }

  fparts(n: SyntaxNode, outer: boolean): FPart[] {
    const raw = this.text(n);
    const parts: FPart[] = [];
    // literal text sits between replacement fields; skip the prefix and quotes of the outer string
    let pos = n.from;
    let end = n.to;
    if (outer) {
      const m = /^[a-zA-Z]*('''|"""|'|")/.exec(raw);
      const q = m ? m[1] : '"';
      pos = n.from + (m ? m[0].length : 0);
      end = n.to - q.length;
    } else {
      pos = n.from + 1; // after ':'
    }
    const isRaw = outer && /^[a-zA-Z]*[rR]/.test(raw);
    for (const x of kids(n)) {
      if (x.name !== 'FormatReplacement') continue;
      if (x.from > pos) parts.push(unescapeBraces(this.src.slice(pos, x.from), isRaw));
      const c = kids(x).filter((y) => y.name !== '{' && y.name !== '}');
      const exprNode = c.find((y) => y.name !== 'FormatConversion' && y.name !== 'FormatSpec' && y.name !== '=');
      const conv = c.find((y) => y.name === 'FormatConversion');
      const spec = c.find((y) => y.name === 'FormatSpec');
      parts.push({
        expr: exprNode ? this.expr(exprNode) : this.err(x),
        conv: conv ? this.text(conv).slice(1) : undefined,
        spec: spec ? this.fparts(spec, false) : undefined,
      });
      pos = x.to;
    }
    if (end > pos) parts.push(unescapeBraces(this.src.slice(pos, end), isRaw));
    return parts;
  }
}
