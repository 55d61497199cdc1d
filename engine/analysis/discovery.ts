// Finds the models a file defines (nn.Module subclasses, module-level factories, `model = X(...)`)
// and the input shape written in it (`# layerlens: input=(1, 3, 224, 224)` or an example tensor).
// Purely syntactic: runs nothing.
import type { DiscoveryResult, ModelCandidate } from '../api';
import type { Expr, ParsedFile, Stmt } from '../python/ast';
import { parsePython } from '../python/parse';
import { LineIndex } from '../python/lineIndex';

const MODULE_BASES = /(^|\.)(Module|Sequential|ModuleList|ModuleDict)$/;
const TENSOR_MAKERS = new Set(['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full']);

function dotted(e: Expr): string | null {
  if (e.k === 'Name') return e.id;
  if (e.k === 'Attr') { const b = dotted(e.obj); return b === null ? null : `${b}.${e.name}`; }
  return null;
}

/** Parses `input=(1, 3, 224, 224)` or `input=(1,3,224,224), (1, 10)` or `input=1,3,32,32`. */
export function parseInputSpec(text: string): number[][] | undefined {
  const m = /input\s*[=:]\s*(.+)$/.exec(text);
  if (!m) return undefined;
  const body = m[1].trim();
  const groups = [...body.matchAll(/[([]\s*([\d\s,]+?)\s*[)\]]/g)].map((g) => g[1]);
  const parts = groups.length ? groups : [body];
  const shapes = parts.map((p) => p.split(/[\s,]+/).filter(Boolean).map(Number));
  if (!shapes.length || shapes.some((s) => !s.length || s.some((d) => !Number.isInteger(d) || d < 0))) return undefined;
  return shapes;
}

function walkExprs(stmts: Stmt[], visit: (e: Expr, st: Stmt) => void): void {
  const ex = (e: Expr | undefined, st: Stmt): void => {
    if (!e) return;
    visit(e, st);
    switch (e.k) {
      case 'Call': ex(e.fn, st); e.args.forEach((a) => ex(a.value, st)); break;
      case 'Attr': ex(e.obj, st); break;
      case 'Sub': ex(e.obj, st); ex(e.index, st); break;
      case 'Bin': case 'Bool': ex(e.l, st); ex(e.r, st); break;
      case 'Unary': ex(e.e1, st); break;
      case 'List': case 'Tuple': case 'Set': e.elts.forEach((x) => ex(x, st)); break;
      case 'Starred': ex(e.e1, st); break;
      case 'IfExp': ex(e.test, st); ex(e.body, st); ex(e.orelse, st); break;
      case 'Compare': ex(e.first, st); e.rest.forEach((x) => ex(x, st)); break;
      case 'Dict': e.items.forEach((it) => ('dstar' in it ? ex(it.dstar, st) : (ex(it.key, st), ex(it.value, st)))); break;
      default: break;
    }
  };
  const walk = (body: Stmt[]): void => {
    for (const st of body) {
      switch (st.k) {
        case 'Expr': ex(st.value, st); break;
        case 'Assign': st.targets.forEach((t) => ex(t, st)); ex(st.value, st); break;
        case 'AnnAssign': ex(st.value, st); break;
        case 'AugAssign': ex(st.value, st); break;
        case 'Return': ex(st.value, st); break;
        case 'If': ex(st.test, st); walk(st.body); walk(st.orelse); break;
        case 'For': ex(st.iter, st); walk(st.body); walk(st.orelse); break;
        case 'While': walk(st.body); walk(st.orelse); break;
        case 'With': walk(st.body); break;
        case 'Try': walk(st.body); st.handlers.forEach((h) => walk(h.body)); walk(st.orelse); walk(st.finalbody); break;
        case 'FunctionDef': case 'ClassDef': walk(st.body); break;
        default: break;
      }
    }
  };
  walk(stmts);
}

/** Shape of `torch.randn(1, 3, 224, 224)` / `torch.zeros((2, 3))` when every size is an int literal. */
export function exampleTensorShape(e: Expr): number[] | undefined {
  if (e.k !== 'Call') return undefined;
  const name = dotted(e.fn);
  if (!name) return undefined;
  const last = name.split('.').pop()!;
  if (!TENSOR_MAKERS.has(last) || !/^(torch\.)?\w+$/.test(name)) return undefined;
  let args = e.args.filter((a) => a.kind === 'pos').map((a) => a.value);
  if (last === 'randint') args = args.slice(-1);
  if (last === 'full') args = args.slice(0, 1);
  if (args.length === 1 && (args[0].k === 'Tuple' || args[0].k === 'List')) args = args[0].elts;
  if (!args.length || !args.every((a) => a.k === 'Num' && !a.float)) return undefined;
  return args.map((a) => (a as { v: number }).v);
}

export function discover(file: string, source: string, parsed?: ParsedFile): DiscoveryResult {
  const p = parsed ?? parsePython(file, source);
  const lines = new LineIndex(file, source);
  const candidates: ModelCandidate[] = [];
  const classNames = new Set<string>();
  const classDefs: Array<Stmt & { k: 'ClassDef' }> = [];
  // classes deriving (directly or through classes of this file) from nn.Module
  let changed = true;
  const allClasses = p.body.filter((s): s is Stmt & { k: 'ClassDef' } => s.k === 'ClassDef');
  while (changed) {
    changed = false;
    for (const c of allClasses) {
      if (classNames.has(c.name)) continue;
      if (c.bases.some((b) => { const d = dotted(b.value); return d !== null && (MODULE_BASES.test(d) || classNames.has(d)); })) {
        classNames.add(c.name); classDefs.push(c); changed = true;
      }
    }
  }
  // comment hints
  const comments = p.comments.map((c) => ({ ...c, input: /layerlens\s*:/.test(c.text) ? parseInputSpec(c.text) : undefined }));
  const fileHint = comments.find((c) => c.input);
  const hintFor = (s: number): number[][] | undefined => {
    // a hint on the line right above a definition belongs to it
    const line = lines.position(s).line;
    const own = comments.find((c) => c.input && lines.position(c.s).line === line - 1);
    return own?.input;
  };
  // example tensors: names bound to torch.randn(...) and calls that pass one
  const tensorVars = new Map<string, number[]>();
  const examples: Array<{ callee: string; shapes: number[][] }> = [];
  const anyExample: number[][] = [];
  walkExprs(p.body, (e, st) => {
    if (st.k === 'Assign' && st.value === e) {
      const shape = exampleTensorShape(e);
      if (shape) { for (const t of st.targets) if (t.k === 'Name') tensorVars.set(t.id, shape); anyExample.push(shape); }
    }
    if (e.k === 'Call') {
      const shapes = e.args.filter((a) => a.kind === 'pos').map((a) => (a.value.k === 'Name' ? tensorVars.get(a.value.id) : exampleTensorShape(a.value)));
      const callee = dotted(e.fn);
      if (callee && shapes.length && shapes.every((s) => s)) examples.push({ callee, shapes: shapes as number[][] });
      const direct = exampleTensorShape(e);
      if (direct && !(st.k === 'Assign' && st.value === e)) anyExample.push(direct);
    }
  });
  // model variables: `model = Net(...)`
  const modelVars = new Map<string, string>();
  const assignments: ModelCandidate[] = [];
  const factories = new Set<string>();
  for (const st of p.body) {
    if (st.k === 'FunctionDef' && !st.name.startsWith('_')) {
      const required = st.params.filter((q) => (q.kind === 'pos' || q.kind === 'kwonly') && !q.default);
      let returnsCall = false;
      walkExprs(st.body, (e, s2) => { if (s2.k === 'Return' && s2.value === e && e.k === 'Call') returnsCall = true; });
      if (!required.length && returnsCall) factories.add(st.name);
    }
  }
  const imported = importedNames(p.body);
  const collectAssign = (body: Stmt[]): void => {
    for (const st of body) {
      if (st.k === 'If') { collectAssign(st.body); collectAssign(st.orelse); continue; }
      if (st.k === 'With' || st.k === 'Try') { collectAssign(st.body); continue; }
      if (st.k !== 'Assign') continue;
      const value = withoutDeviceMoves(st.value);
      if (value.k !== 'Call') continue;
      const callee = dotted(value.fn);
      if (!callee) continue;
      const local = classNames.has(callee) || factories.has(callee);
      // a model from an installed or workspace package: `model = torchvision.models.resnet50(num_classes=10)`
      const fromImport = imported.has(callee.split('.')[0]) && st.targets.some((t) => t.k === 'Name' && MODEL_NAME.test(t.id) || /(^|\.)models?(\.|$)/.test(callee));
      if (!local && !fromImport) continue;
      for (const t of st.targets) {
        if (t.k !== 'Name') continue;
        const expr = source.slice(value.s, value.e);
        modelVars.set(t.id, expr);
        assignments.push({ expr, kind: 'assignment', name: t.id, loc: lines.loc(st.s, st.e) });
      }
    }
  };
  collectAssign(p.body);
  const inputOf = (names: string[], s: number): { input?: number[][]; inputSource?: 'comment' | 'example' } => {
    const own = hintFor(s);
    if (own) return { input: own, inputSource: 'comment' };
    if (fileHint?.input) return { input: fileHint.input, inputSource: 'comment' };
    const ex = examples.find((x) => names.includes(x.callee));
    if (ex) return { input: ex.shapes, inputSource: 'example' };
    if (anyExample.length === 1) return { input: [anyExample[0]], inputSource: 'example' };
    return {};
  };
  for (const a of assignments) Object.assign(a, inputOf([a.name, a.expr.split('(')[0]], a.loc.line >= 0 ? p.body.find((s) => lines.position(s.s).line === a.loc.line)?.s ?? 0 : 0));
  // root classes: not instantiated by another model class of this file
  const usedInside = new Set<string>();
  for (const c of classDefs) walkExprs(c.body, (e) => { if (e.k === 'Name' && e.id !== c.name && classNames.has(e.id)) usedInside.add(e.id); });
  for (const c of classDefs) {
    const init = c.body.find((s): s is Stmt & { k: 'FunctionDef' } => s.k === 'FunctionDef' && s.name === '__init__');
    const required = init ? init.params.slice(1).filter((q) => (q.kind === 'pos' || q.kind === 'kwonly') && !q.default) : [];
    const vars = [...modelVars].filter(([, ex]) => ex.startsWith(c.name + '(')).map(([n]) => n);
    candidates.push({
      expr: required.length ? `${c.name}(${required.map((q) => q.name + '=…').join(', ')})` : `${c.name}()`,
      kind: 'class', name: c.name, loc: lines.loc(c.nameS, c.nameS + c.name.length),
      ...inputOf([c.name, ...vars], c.s),
      ...(usedInside.has(c.name) ? { nested: true } : {}),
      ...(required.length ? { needsArgs: true } : {}),
    } as ModelCandidate);
  }
  for (const st of p.body) {
    if (st.k === 'FunctionDef' && factories.has(st.name)) {
      const vars = [...modelVars].filter(([, ex]) => ex.startsWith(st.name + '(')).map(([n]) => n);
      candidates.push({ expr: `${st.name}()`, kind: 'factory', name: st.name, loc: lines.loc(st.nameS, st.nameS + st.name.length), ...inputOf([st.name, ...vars], st.s) });
    }
  }
  candidates.push(...assignments);
  return { candidates, diagnostics: [] };
}

/** Variable names that hold a model in training scripts (`model`, `net`, `generator`, `backbone`, …). */
const MODEL_NAME = /^(model|net|network|encoder|decoder|generator|discriminator|backbone|classifier|teacher|student|[a-z_]*(_model|_net|model|net))$/i;

/** `Net().to(device)`, `Net().cuda().eval()` → `Net()`: device and mode moves do not change the model. */
function withoutDeviceMoves(e: Expr): Expr {
  while (e.k === 'Call' && e.fn.k === 'Attr' && /^(to|cuda|cpu|eval|train|float|half|double|bfloat16|requires_grad_)$/.test(e.fn.name) && e.fn.obj.k === 'Call') e = e.fn.obj;
  return e;
}

/** Names bound by the file's module-level imports (`import torchvision`, `from x.models import Net as N`). */
function importedNames(body: Stmt[]): Set<string> {
  const out = new Set<string>();
  for (const st of body) {
    if (st.k === 'Import') for (const n of st.names) out.add(n.asName ?? n.name.split('.')[0]);
    else if (st.k === 'ImportFrom' && st.names !== '*') for (const n of st.names) out.add(n.asName ?? n.name);
  }
  return out;
}

/** The model a file obviously defines, or undefined when there is none or several. */
export function pickModel(cands: ModelCandidate[]): ModelCandidate | undefined {
  const assigned = cands.filter((c) => c.kind === 'assignment');
  if (assigned.length === 1) return assigned[0];
  const roots = cands.filter((c) => c.kind === 'class' && !(c as { nested?: boolean }).nested && !(c as { needsArgs?: boolean }).needsArgs);
  const factories = cands.filter((c) => c.kind === 'factory');
  if (roots.length === 1 && factories.length === 0) return roots[0];
  if (roots.length === 0 && factories.length === 1) return factories[0];
  if (roots.length === 1 && factories.length >= 1) {
    // a factory that builds the root class is the same model
    return roots[0];
  }
  return undefined;
}
