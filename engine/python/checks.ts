// CPython's checks after parsing, on a file that parses: `from __future__` placement (future.c), the
// symbol table's (symtable.c: global/nonlocal, duplicate parameters, comprehension scopes, import *) and
// the compiler's (compile.c: return/yield/await/break outside their blocks, starred targets, repeated
// keywords, nesting). Reports the first error of the first phase that has one, as CPython does.
import type { SyntaxNode, Tree } from '@lezer/common';
import type { SyntaxProblem } from './ast';
import { kids, runs } from './grammarChecks';

type Kind = 'module' | 'function' | 'class' | 'lambda' | 'comprehension';

const USE = 1, ASSIGN = 2, PARAM = 4, ANNOT = 8, GLOBAL = 16, NONLOCAL = 32;

class Scope {
  readonly flags = new Map<string, number>();
  readonly decl = new Map<string, number>(); // global/nonlocal statement offsets
  readonly nonlocals: Array<{ name: string; at: number }> = [];
  readonly compTargets = new Set<string>();
  yields = false;
  constructor(readonly kind: Kind, readonly parent: Scope | null, readonly async = false, readonly compKind = '') {}
  set(name: string, f: number): void { this.flags.set(name, (this.flags.get(name) ?? 0) | f); }
  /** The enclosing function-like scope (comprehensions belong to theirs). */
  get frame(): Scope { return this.kind === 'comprehension' && this.parent ? this.parent.frame : this; }
  /** Whether a function scope above binds `name` (what `nonlocal` needs). */
  enclosingBinds(name: string): boolean {
    for (let s = this.parent; s && s.kind !== 'module'; s = s.parent) {
      if (s.kind === 'class') continue;
      const f = s.flags.get(name) ?? 0;
      if (f & (ASSIGN | PARAM) && !(f & GLOBAL)) return true;
      if (f & NONLOCAL) return true;
    }
    return false;
  }
}

/** Loop and block context of the compiler, per function. */
interface Block { loops: number; blocks: number; inFinally: number }

const EXPR_NODES = new Set(['VariableName', 'LambdaExpression', 'ArrayComprehensionExpression', 'SetComprehensionExpression',
  'DictionaryComprehensionExpression', 'ComprehensionExpression', 'ArgList', 'ParenthesizedExpression', 'yield', 'await', 'NamedExpression']);

const FUTURE = new Set(['nested_scopes', 'generators', 'division', 'absolute_import', 'with_statement', 'print_function',
  'unicode_literals', 'barry_as_FLUFL', 'generator_stop', 'annotations']);

class Checker {
  symtable?: SyntaxProblem;
  compiler?: SyntaxProblem;
  future?: SyntaxProblem;
  readonly scopes: Scope[] = [];

  constructor(readonly src: string) {}

  text(n: SyntaxNode): string { return this.src.slice(n.from, n.to); }
  sym(n: { from: number; to: number }, message: string): void { this.symtable ??= { s: n.from, e: Math.max(n.to, n.from + 1), message }; }
  comp(n: { from: number; to: number }, message: string): void { this.compiler ??= { s: n.from, e: Math.max(n.to, n.from + 1), message }; }

  run(tree: Tree): void {
    this.futureImports(tree.topNode);
    const module = new Scope('module', null);
    this.scopes.push(module);
    this.body(kids(tree.topNode), module, { loops: 0, blocks: 0, inFinally: 0 });
    for (const s of this.scopes) for (const nl of s.nonlocals) if (!s.enclosingBinds(nl.name)) this.sym({ from: nl.at, to: nl.at + 8 }, `no binding for nonlocal '${nl.name}' found`);
  }

  /** Where the leading `from __future__` imports end: one after that is the compiler's error. */
  futureEnd = 0;

  futureImports(top: SyntaxNode): void {
    let leading = true;
    let first = true;
    for (const st of kids(top)) {
      const isDoc = first && st.name === 'ExpressionStatement' && /^(String|ContinuedString)$/.test(kids(st)[0]?.name ?? '');
      first = false;
      const c = kids(st);
      const isFuture = st.name === 'ImportStatement' && c[0]?.name === 'from' && this.text(c[1] ?? st) === '__future__';
      if (isFuture) {
        if (!leading) { this.future ??= { s: st.from, e: st.to, message: 'from __future__ imports must occur at the beginning of the file' }; return; }
        this.futureEnd = st.to;
        for (const n of c.slice(3).filter((x) => x.name === 'VariableName')) {
          const name = this.text(n);
          if (c[c.indexOf(n) - 1]?.name === 'as') continue;
          if (name === 'braces') { this.future ??= { s: st.from, e: st.to, message: 'not a chance' }; return; }
          if (!FUTURE.has(name)) { this.future ??= { s: st.from, e: st.to, message: `future feature ${name} is not defined` }; return; }
        }
      } else if (!isDoc && st.name !== 'Comment') leading = false;
    }
  }

  body(stmts: SyntaxNode[], scope: Scope, blk: Block): void {
    for (const st of stmts) this.stmt(st, scope, blk);
  }

  /** A statement's children in order; compound statements set the loop and block context of their bodies. */
  stmt(n: SyntaxNode, scope: Scope, blk: Block): void {
    const c = kids(n);
    switch (n.name) {
      case 'FunctionDefinition': this.funcDef(n, c, scope, []); return;
      case 'ClassDefinition': this.classDef(n, c, scope, []); return;
      case 'DecoratedStatement': {
        const decos = c.filter((x) => x.name === 'Decorator');
        const def = c.find((x) => x.name === 'FunctionDefinition' || x.name === 'ClassDefinition');
        if (def) { if (def.name === 'FunctionDefinition') this.funcDef(def, kids(def), scope, decos); else this.classDef(def, kids(def), scope, decos); }
        return;
      }
      case 'ForStatement': case 'WhileStatement': this.loop(n, c, scope, blk); return;
      case 'TryStatement': this.tryStmt(c, scope, blk); return;
      case 'WithStatement': {
        if (c[0]?.name === 'async' && !scope.frame.async) this.comp(n, "'async with' outside async function");
        const items = c.flatMap((x) => (x.name === 'WithItems' ? kids(x) : [x]));
        this.nested(n, blk);
        for (const [i, x] of items.entries()) {
          if (x.name === 'Body') this.bodyOf(x, scope, { ...blk, blocks: blk.blocks + 1 });
          else if (x.name === '*' && items[i - 1]?.name === 'as') this.comp(x, 'starred assignment target must be in a list or tuple');
          else if (items[i - 1]?.name === 'as' || (items[i - 1]?.name === '*' && items[i - 2]?.name === 'as')) this.target(x, scope, blk);
          else this.exprIn(x, scope, blk, USE);
        }
        return;
      }
      case 'IfStatement': case 'MatchStatement': case 'StatementGroup':
        for (const x of c) if (x.name === 'Body' || x.name === 'MatchBody') this.bodyOf(x, scope, blk); else if (n.name === 'StatementGroup') this.stmt(x, scope, blk); else this.exprIn(x, scope, blk, USE);
        return;
      default: this.simple(n, c, scope, blk);
    }
  }

  bodyOf(b: SyntaxNode, scope: Scope, blk: Block): void {
    for (const x of kids(b)) {
      if (x.name === 'MatchClause') { for (const y of kids(x)) if (y.name === 'Body') this.bodyOf(y, scope, blk); else this.exprIn(y, scope, blk, USE); continue; }
      this.stmt(x, scope, blk);
    }
  }

  /** CO_MAXBLOCKS: at most 20 statically nested loops, try and with blocks in one function. */
  nested(n: SyntaxNode, blk: Block): void { if (blk.blocks + 1 > 20) this.comp(n, 'too many statically nested blocks'); }

  loop(n: SyntaxNode, c: SyntaxNode[], scope: Scope, blk: Block): void {
    if (c[0]?.name === 'async' && !scope.frame.async) this.comp(n, "'async for' outside async function");
    this.nested(n, blk);
    const bodies = c.filter((x) => x.name === 'Body');
    const inIdx = c.findIndex((x) => x.name === 'in');
    if (n.name === 'ForStatement') {
      const start = c.findIndex((x) => x.name === 'for') + 1;
      this.targets(c.slice(start, inIdx), scope, blk, n);
      for (const x of c.slice(inIdx + 1, c.indexOf(bodies[0]))) this.exprIn(x, scope, blk, USE);
    } else {
      for (const x of c.slice(1, c.indexOf(bodies[0]))) this.exprIn(x, scope, blk, USE);
    }
    if (bodies[0]) this.bodyOf(bodies[0], scope, { loops: blk.loops + 1, blocks: blk.blocks + 1, inFinally: blk.inFinally });
    if (bodies[1]) this.bodyOf(bodies[1], scope, blk);
  }

  tryStmt(c: SyntaxNode[], scope: Scope, blk: Block): void {
    this.nested(c[0], blk);
    const inner = { ...blk, blocks: blk.blocks + 1 };
    for (let i = 0; i < c.length; i++) {
      const x = c[i];
      if (x.name === 'except') {
        const bare = c[i + 1]?.name === 'Body';
        if (bare && c.slice(i + 2).some((y) => y.name === 'except')) this.comp(x, "default 'except:' must be last");
        continue;
      }
      if (x.name === 'Body') { this.bodyOf(x, scope, c[i - 1]?.name === 'finally' ? { ...inner, inFinally: blk.inFinally + 1 } : inner); continue; }
      if (c[i - 1]?.name === 'as' && x.name === 'VariableName') { this.name(x, scope, ASSIGN); continue; }
      this.exprIn(x, scope, blk, USE);
    }
  }

  funcDef(n: SyntaxNode, c: SyntaxNode[], scope: Scope, decos: SyntaxNode[]): void {
    const isAsync = c[0]?.name === 'async';
    const nameNode = c.find((x) => x.name === 'VariableName');
    const params = c.find((x) => x.name === 'ParamList');
    // defaults and annotations belong to the enclosing scope, evaluated before the decorators
    const inner = new Scope('function', scope, isAsync);
    this.scopes.push(inner);
    if (params) this.params(params, scope, inner, n);
    const ret = c.find((x) => x.name === 'TypeDef');
    if (ret) this.exprIn(ret, scope, { loops: 0, blocks: 0, inFinally: 0 }, USE);
    for (const d of decos) this.exprIn(d, scope, { loops: 0, blocks: 0, inFinally: 0 }, USE);
    if (nameNode) this.name(nameNode, scope, ASSIGN);
    const body = c.find((x) => x.name === 'Body');
    if (body) this.bodyOf(body, inner, { loops: 0, blocks: 0, inFinally: 0 });
  }

  classDef(n: SyntaxNode, c: SyntaxNode[], scope: Scope, decos: SyntaxNode[]): void {
    const nameNode = c.find((x) => x.name === 'VariableName');
    const args = c.find((x) => x.name === 'ArgList');
    const none = { loops: 0, blocks: 0, inFinally: 0 };
    if (args) this.exprIn(args, scope, none, USE);
    for (const d of decos) this.exprIn(d, scope, none, USE);
    if (nameNode) this.name(nameNode, scope, ASSIGN);
    const inner = new Scope('class', scope);
    this.scopes.push(inner);
    const body = c.find((x) => x.name === 'Body');
    if (body) this.bodyOf(body, inner, none);
    void n;
  }

  /** Parameters: defaults and annotations in `outer`, names (checked for duplicates) in `inner`. */
  params(pl: SyntaxNode, outer: Scope, inner: Scope, def: SyntaxNode): void {
    const none = { loops: 0, blocks: 0, inFinally: 0 };
    for (const run of runs(kids(pl).filter((x) => x.name !== '(' && x.name !== ')'))) {
      const nameNode = run.find((x) => x.name === 'VariableName');
      for (const x of run) if (x !== nameNode && x.name !== '*' && x.name !== '**' && x.name !== 'AssignOp') this.exprIn(x, outer, none, USE);
      if (!nameNode) continue;
      const name = this.text(nameNode);
      if (name === '__debug__') this.comp(def, 'cannot assign to __debug__');
      if ((inner.flags.get(name) ?? 0) & PARAM) this.sym(nameNode, `duplicate argument '${name}' in function definition`);
      inner.set(name, PARAM);
    }
  }

  /** Assignment-like targets: names bound in `scope`; `*` rules of the compiler for a bare starred target. */
  targets(c: SyntaxNode[], scope: Scope, blk: Block, at: SyntaxNode): void {
    const rs = runs(c);
    const comma = c.some((x) => x.name === ',');
    if (!comma && rs.length === 1 && rs[0][0]?.name === '*') this.comp(rs[0][0], 'starred assignment target must be in a list or tuple');
    this.starCount(c, at);
    for (const x of c) if (x.name !== ',' && x.name !== '*') this.target(x, scope, blk);
  }

  starCount(c: SyntaxNode[], at: SyntaxNode): void {
    if (c.filter((x) => x.name === '*').length > 1) this.comp(at, 'multiple starred expressions in assignment');
  }

  target(n: SyntaxNode, scope: Scope, blk: Block): void {
    if (n.name === 'VariableName') { this.name(n, scope, ASSIGN); return; }
    if (n.name === 'TupleExpression' || n.name === 'ArrayExpression' || n.name === 'ParenthesizedExpression') {
      const inner = kids(n).slice(1, -1);
      this.starCount(inner, n);
      for (const x of inner) if (x.name !== ',' && x.name !== '*') this.target(x, scope, blk);
      return;
    }
    this.exprIn(n, scope, blk, USE);
  }

  name(n: SyntaxNode, scope: Scope, f: number): void {
    const name = this.text(n);
    if (f & ASSIGN && name === '__debug__') this.comp(n, 'cannot assign to __debug__');
    scope.set(name, f);
    // `super` in a function uses the implicit `__class__` cell (symtable.c)
    if (name === 'super' && f & USE && scope.frame.kind === 'function') scope.frame.set('__class__', USE);
  }

  simple(n: SyntaxNode, c: SyntaxNode[], scope: Scope, blk: Block): void {
    const frame = scope.frame;
    switch (n.name) {
      case 'ReturnStatement':
        if (frame.kind !== 'function' && frame.kind !== 'lambda') this.comp(n, "'return' outside function");
        else if (frame.async && c.length > 1) this.pendingReturns.push({ scope: frame, n });
        this.values(c.slice(1), scope, blk, true);
        return;
      case 'BreakStatement': if (!blk.loops) this.comp(n, "'break' outside loop"); return;
      case 'ContinueStatement': if (!blk.loops) this.comp(n, "'continue' not properly in loop"); return;
      case 'ScopeStatement': this.declare(n, c, scope); return;
      case 'ImportStatement': this.importStmt(n, c, scope); return;
      case 'AssignStatement': this.assign(n, c, scope, blk); return;
      case 'UpdateStatement': {
        const op = c.findIndex((x) => x.name === 'UpdateOp');
        for (const x of c.slice(0, op)) if (x.name === 'VariableName') this.name(x, scope, ASSIGN | USE); else this.exprIn(x, scope, blk, USE);
        this.values(c.slice(op + 1), scope, blk, false);
        return;
      }
      case 'DeleteStatement': for (const x of c.slice(1)) if (x.name !== ',') this.target(x, scope, blk); return;
      case 'ExpressionStatement': this.values(c, scope, blk, false); return;
      default: for (const x of c) this.exprIn(x, scope, blk, USE);
    }
  }

  readonly pendingReturns: Array<{ scope: Scope; n: SyntaxNode }> = [];

  /** A right-hand side or expression statement: a lone `*x` is the compiler's "can't use starred expression here". */
  values(c: SyntaxNode[], scope: Scope, blk: Block, tupleOk: boolean): void {
    const comma = c.some((x) => x.name === ',');
    if (!comma && c[0]?.name === '*') this.comp(c[0], "can't use starred expression here");
    void tupleOk;
    for (const x of c) if (x.name !== ',' && x.name !== '*') this.exprIn(x, scope, blk, USE);
  }

  assign(n: SyntaxNode, c: SyntaxNode[], scope: Scope, blk: Block): void {
    const typed = c.findIndex((x) => x.name === 'TypeDef');
    if (typed >= 0) {
      const t = c[0];
      for (const x of c.slice(typed)) if (x.name !== 'AssignOp') this.exprIn(x, scope, blk, USE);
      if (t?.name === 'VariableName') {
        const name = this.text(t);
        const f = scope.flags.get(name) ?? 0;
        if (f & GLOBAL) this.sym(t, `annotated name '${name}' can't be global`);
        if (f & NONLOCAL) this.sym(t, `annotated name '${name}' can't be nonlocal`);
        this.name(t, scope, typed + 1 < c.length ? ASSIGN | ANNOT : ANNOT);
      } else if (t) this.exprIn(t, scope, blk, USE);
      return;
    }
    const groups: SyntaxNode[][] = [[]];
    for (const x of c) { if (x.name === 'AssignOp') groups.push([]); else groups[groups.length - 1].push(x); }
    // CPython evaluates the value first, then binds the targets left to right
    this.values(groups[groups.length - 1], scope, blk, true);
    for (const g of groups.slice(0, -1)) this.targets(g, scope, blk, n);
  }

  declare(n: SyntaxNode, c: SyntaxNode[], scope: Scope): void {
    const isGlobal = this.text(c[0]) === 'global';
    if (!isGlobal && scope.kind === 'module') { this.sym(n, 'nonlocal declaration not allowed at module level'); return; }
    for (const x of c.filter((y) => y.name === 'VariableName')) {
      const name = this.text(x);
      const f = scope.flags.get(name) ?? 0;
      const other = isGlobal ? NONLOCAL : GLOBAL;
      if (f & other) this.sym({ from: scope.decl.get(name) ?? n.from, to: n.to }, `name '${name}' is nonlocal and global`);
      else if (f & PARAM) this.sym(n, `name '${name}' is parameter and ${isGlobal ? 'global' : 'nonlocal'}`);
      else if (f & USE) this.sym(n, `name '${name}' is used prior to ${isGlobal ? 'global' : 'nonlocal'} declaration`);
      else if (f & ANNOT) this.sym(n, `annotated name '${name}' can't be ${isGlobal ? 'global' : 'nonlocal'}`);
      else if (f & ASSIGN) this.sym(n, `name '${name}' is assigned to before ${isGlobal ? 'global' : 'nonlocal'} declaration`);
      scope.set(name, isGlobal ? GLOBAL : NONLOCAL);
      if (!scope.decl.has(name)) scope.decl.set(name, n.from);
      if (!isGlobal) scope.nonlocals.push({ name, at: n.from });
    }
  }

  importStmt(n: SyntaxNode, c: SyntaxNode[], scope: Scope): void {
    if (c[0]?.name === 'from' && c[1] && this.text(c[1]) === '__future__' && n.from > this.futureEnd) {
      this.comp(n, 'from __future__ imports must occur at the beginning of the file');
    }
    const star = c.find((x) => x.name === '*');
    if (star && scope.kind !== 'module') this.sym(star, 'import * only allowed at module level');
    const from = c[0]?.name === 'from';
    const names = c.slice(from ? c.findIndex((x) => x.name === 'import') + 1 : 1);
    for (let i = 0; i < names.length; i++) {
      const x = names[i];
      if (x.name !== 'VariableName') continue;
      if (names[i + 1]?.name === 'as') continue;
      // `import a.b` binds `a`; `from m import x` binds x; `... as y` binds y
      if (!from && names[i - 1]?.name === '.') continue;
      if (x.name === 'VariableName' && this.text(x) === '__debug__') this.comp(n, 'cannot assign to __debug__');
      scope.set(this.text(x), ASSIGN);
    }
  }

  /** An expression subtree: names used (or bound, for `f` ASSIGN), nested scopes, yield/await/walrus rules. */
  exprIn(root: SyntaxNode, scope: Scope, blk: Block, f: number): void {
    // a cursor walk: only the nodes exprNode handles become SyntaxNode objects
    const c = root.cursor();
    let depth = 0;
    for (;;) {
      const handled = EXPR_NODES.has(c.name) && this.exprNode(c.node, scope, blk, f === ASSIGN && depth === 0);
      if (!handled && c.firstChild()) { depth++; continue; }
      for (;;) {
        if (depth === 0) return;
        if (c.nextSibling()) break;
        c.parent();
        depth--;
      }
    }
  }

  /** Handles one node; true when its children are already dealt with. */
  exprNode(n: SyntaxNode, scope: Scope, blk: Block, store: boolean): boolean {
    switch (n.name) {
      case 'VariableName': this.name(n, scope, store ? ASSIGN : USE); return true;
      case 'LambdaExpression': this.lambda(n, scope); return true;
      case 'ArrayComprehensionExpression': case 'SetComprehensionExpression': case 'DictionaryComprehensionExpression': case 'ComprehensionExpression':
        this.comprehension(n, kids(n).slice(1, -1), scope, blk); return true;
      case 'ArgList': {
        const c = kids(n);
        if (c.some((x) => x.name === 'for')) { this.comprehension(n, c.slice(1, -1), scope, blk); return true; }
        this.keywords(c);
        return false;
      }
      case 'ParenthesizedExpression': if (kids(n).some((x) => x.name === 'for')) { this.comprehension(n, kids(n).slice(1, -1), scope, blk); return true; } return false;
      case 'yield': this.yieldIn(n, scope); return false;
      case 'await': this.awaitIn(n, scope); return false;
      case 'NamedExpression': this.walrus(n, scope, blk); return true;
      default: return false;
    }
  }

  keywords(c: SyntaxNode[]): void {
    const seen = new Set<string>();
    for (let i = 0; i + 1 < c.length; i++) {
      if (c[i].name !== 'VariableName' || c[i + 1].name !== 'AssignOp' || this.text(c[i + 1]) !== '=') continue;
      const name = this.text(c[i]);
      if (name === '__debug__') this.comp(c[i], 'cannot assign to __debug__');
      if (seen.has(name)) this.comp(c[i], `keyword argument repeated: ${name}`);
      seen.add(name);
    }
  }

  yieldIn(n: SyntaxNode, scope: Scope): void {
    if (scope.kind === 'comprehension') { this.sym(n, `'yield' inside ${scope.compKind}`); return; }
    const frame = scope.frame;
    if (frame.kind !== 'function' && frame.kind !== 'lambda') this.comp(n, "'yield' outside function");
    frame.yields = true;
  }

  awaitIn(n: SyntaxNode, scope: Scope): void {
    if (scope.kind === 'comprehension' && !scope.frame.async) {
      const frame = scope.frame;
      if (frame.kind === 'function' || frame.kind === 'lambda') { this.comp(this.compRoot(scope), 'asynchronous comprehension outside of an asynchronous function'); return; }
    }
    const frame = scope.frame;
    if (frame.kind === 'module' || frame.kind === 'class') this.comp(n, "'await' outside function");
    else if (!frame.async) this.comp(n, "'await' outside async function");
  }

  readonly compNodes = new Map<Scope, SyntaxNode>();
  compRoot(scope: Scope): SyntaxNode { return this.compNodes.get(scope)!; }

  lambda(n: SyntaxNode, scope: Scope): void {
    const c = kids(n);
    const inner = new Scope('lambda', scope);
    this.scopes.push(inner);
    const pl = c.find((x) => x.name === 'ParamList');
    if (pl) this.params(pl, scope, inner, n);
    const colon = c.findIndex((x) => x.name === ':');
    if (colon >= 0 && c[colon + 1]) this.exprIn(c[colon + 1], inner, { loops: 0, blocks: 0, inFinally: 0 }, USE);
  }

  /** `elt for t in it if c …`: the first iterable in the enclosing scope, the rest in the comprehension's. */
  comprehension(n: SyntaxNode, c: SyntaxNode[], scope: Scope, blk: Block): void {
    const kindOf: Record<string, string> = { ArrayComprehensionExpression: 'list comprehension', SetComprehensionExpression: 'set comprehension', DictionaryComprehensionExpression: 'dict comprehension' };
    const inner = new Scope('comprehension', scope, false, kindOf[n.name] ?? 'generator expression');
    this.compNodes.set(inner, n);
    const first = c.findIndex((x) => x.name === 'for' || x.name === 'async');
    let firstIter = true;
    let isAsync = false;
    for (let i = first; i < c.length && i >= 0;) {
      if (c[i].name === 'async') { isAsync = true; i++; continue; }
      if (c[i].name === 'for') {
        const inIdx = c.findIndex((x, j) => j > i && x.name === 'in');
        if (inIdx < 0) break;
        let end = inIdx + 1;
        while (end < c.length && !['for', 'if', 'async'].includes(c[end].name)) end++;
        for (const x of c.slice(inIdx + 1, end)) { this.iterable(x, firstIter ? scope : inner, blk); }
        for (const t of c.slice(i + 1, inIdx)) this.compTarget(t, inner);
        firstIter = false;
        i = end;
        continue;
      }
      if (c[i].name === 'if') { i++; continue; }
      this.exprIn(c[i], inner, blk, USE);
      i++;
    }
    for (const x of c.slice(0, first)) if (x.name !== '**' && x.name !== '*' && x.name !== ':') this.exprIn(x, inner, blk, USE);
    if (isAsync && !scope.frame.async) {
      const frame = scope.frame;
      // an async generator expression is allowed anywhere; a list/set/dict one needs an async function
      if (inner.compKind !== 'generator expression' || frame.kind === 'function') this.comp(n, 'asynchronous comprehension outside of an asynchronous function');
    }
  }

  iterable(x: SyntaxNode, scope: Scope, blk: Block): void {
    const stack = [x];
    while (stack.length) {
      const m = stack.pop()!;
      if (m.name === 'NamedExpression') { this.sym(m, 'assignment expression cannot be used in a comprehension iterable expression'); break; }
      for (let k = m.firstChild; k; k = k.nextSibling) stack.push(k);
    }
    this.exprIn(x, scope, blk, USE);
  }

  compTarget(t: SyntaxNode, inner: Scope): void {
    const stack = [t];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.name === 'VariableName') { inner.compTargets.add(this.text(n)); inner.set(this.text(n), ASSIGN); continue; }
      if (n.name === 'MemberExpression') { this.exprIn(n, inner, { loops: 0, blocks: 0, inFinally: 0 }, USE); continue; }
      for (let k = n.firstChild; k; k = k.nextSibling) stack.push(k);
    }
  }

  walrus(n: SyntaxNode, scope: Scope, blk: Block): void {
    const c = kids(n);
    if (c[2]) this.exprIn(c[2], scope, blk, USE);
    const t = c[0];
    if (!t || t.name !== 'VariableName') return;
    const name = this.text(t);
    let s: Scope | null = scope;
    while (s && s.kind === 'comprehension') {
      if (s.compTargets.has(name)) { this.sym(t, `assignment expression cannot rebind comprehension iteration variable '${name}'`); return; }
      s = s.parent;
    }
    if (scope.kind === 'comprehension' && s?.kind === 'class') { this.sym(t, 'assignment expression within a comprehension cannot be used in a class body'); return; }
    (s ?? scope).set(name, ASSIGN);
  }
}

/** The error CPython's compile() raises after a successful parse, or undefined. */
export function semanticError(tree: Tree, src: string): SyntaxProblem | undefined {
  const ch = new Checker(src);
  ch.run(tree);
  // a `return value` in an async def is an error once the body is known to yield (the symbol table's verdict)
  for (const r of ch.pendingReturns) {
    if (r.scope.yields && (!ch.compiler || r.n.from < ch.compiler.s)) ch.compiler = { s: r.n.from, e: r.n.to, message: "'return' with value in async generator" };
  }
  return ch.future ?? ch.symtable ?? ch.compiler;
}
