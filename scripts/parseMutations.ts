// Seeded mutations of Python sources for the parser differential against CPython (scripts/parseCorpus.mjs,
// test/engine/pythonDifferential.test.ts): the same (source, seed) always gives the same text, so the
// committed corpus stores recipes, not texts. Pure functions: no I/O, no clock, no Math.random.

/** mulberry32: a small seeded PRNG; uniform floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of the UTF-16 code units, 8 hex digits: tells a stale corpus entry from a current one. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];

/** Lines that CPython's later passes (symbol table, compiler) or its grammar's corners reject or accept. */
export const SNIPPETS: readonly string[] = [
  'return x', 'return', 'yield x', 'yield from y', 'await x', 'break', 'continue', 'nonlocal x', 'global x',
  'x = yield', 'def g(a, a): pass', 'def g(a=1, b): pass', 'def g(*, **k): pass', 'def g(*): pass',
  'def g(a, /, b, *, c): pass', 'def g(/, a): pass', 'lambda a, a: 0', 'f(a=1, b)', 'f(**k, *a)', 'f(*a, **k)',
  'f(x for x in y, 1)', 'f(a for a in b)', 'f(a=1, a=2)', '*a = b', '*a, *b = c', 'a, *b = c', 'print x', 'print(x)',
  'exec "x"', 'x = 1 = 2', 'f() = 1', 'a + 1 = 2', 'del f()', 'del (a, b)', 'del a.b, c[0]', '(a, b) += 1',
  'a.b += 1', 'x: int = 1', 'x.y: int', '(x): int = 3', '[a, b]: int', '1 = x', 'None = 1', '__debug__ = 1',
  'x = *a', 'x = *a, b', '[*a]', '{**a}', '{**a: b}', '{*a}', 'f(**a, b=1)', 'from __future__ import annotations',
  'from __future__ import braces', 'from x import *', 'import a.b as c', 'from . import x', 'from .. import (a, b,)',
  'from x import (a)', 'from x import a,', 'try:', 'except:', 'finally:', 'else:', 'elif x:', 'class C: pass',
  'class C(): pass', 'class C(x=1): pass', 'async def g(): await x', 'async def g(): yield', 'with a as b, c as d: pass',
  'with (a as b, c): pass', 'for x in y: pass', 'while x: pass', 'if x: pass', 'match x:', 'case 1:', 'assert x, y',
  'raise', 'raise X from Y', 'raise X, Y', 'except X, e:', 'except (X, Y) as e:', 'x = [i for i in y if i if i]',
  'x = [y := 1, y**2]', '(y := 1)', 'y := 1', 'x = (yield)', 'x = lambda: (yield)', 'x = [(yield) for i in y]',
  'x = {a: b for a, b in c}', 'x = {**a for a in b}', "x = f'{a!r:>{w}}'", "x = f'{}'", "x = f'{a b}'",
  "x = b'\\xff' 'a'", "x = 'a' b'b'", "x = b'\u00e9'", "x = u'x'", "x = ur'x'", "x = '\\N{EM DASH}'", 'x = 0777',
  'x = 1_000_', 'x = 0b102', 'x = 1if x else 2', 'x = a[1:2, ::3]', 'x = a[*b]', 'def g(*args: *Ts): pass',
  'x = not', 'x = a if b', 'x = a if b else', '@decorator', '@a.b(c)[d]', 'type X = int', 'def g[T](x): pass',
  'nonlocal', 'global', 'del', 'pass; pass', 'x = 1;', ';', 'x = 1 \\', 'x = `a`', 'x = a <> b', 'x = a ! b',
  'x = $a', 'x = a?', 'import', 'from x import', 'from import x', 'def', 'class', 'lambda', 'x = lambda: yield',
  'for x in range(3): break', 'while 1: continue', 'with x: return', 'x = [await y for y in z]', 'async with a: pass',
  'async for a in b: pass', 'x = [a async for a in b]', 'def g(): nonlocal y', 'def g(): global g; g = 1',
  'def g(a): global a', 'def g(): x = 1; global x', 'class C: return', 'class C: yield', 'def g(): from x import *',
  'x = {1: 2, **a, 3: 4}', 'f(*)', 'f(**)', 'f(a, *b, c, **d, e=1)', 'a[b:c:d:e]', 'a[]', 'x = ()', 'x = (,)',
  'x = [,]', 'x = {,}', 'x = (1,)', "x = 'a' 'b' f'{c}'", 'if x:\n    pass\nelif y:\n    pass', 'x = 1 if 2 else 3 if 4 else 5',
  'try:\n    pass\nexcept* E:\n    pass', 'try:\n    pass\nexcept* E:\n    pass\nexcept E:\n    pass', 'try:\n    pass',
  'try:\n    pass\nelse:\n    pass', 'try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass', 'x = 1\n  y = 2',
  'def g():\n\tx = 1\n        y = 2', 'if x:\n  a\n b', 'del *a', 'del [a, b]', 'del ()', 'global __class__',
  'def g(x, *x): pass', 'def g(a, **a): pass', 'def g(a: int, b: int = 1, *c: int, d, e=2, **f: int) -> int: pass',
  'x = [i for i in range(3) for j in range(i)]', 'x = (i for i in range(3)) + 1', '[i := 0 for i in y]',
  '[j := 0 for i in y]', '[x for x in (y := z)]', 'class C: [y := 1 for i in z]', 'f(x=1 for x in y)',
  'f(x := 1)', 'f(a.b=1)', 'f(1=2)', 'f(x, y for y in z)', 'x = yield = 1', 'x += yield', 'x, y += 1',
  '(*a) = 1', '[*a] = 1', '(*a,) = 1', 'x = -*a', 'return *a, b', 'for *a in b: pass', 'for *a, b in c: pass',
  'with a as *b: pass', 'with a as (b, c): pass', 'with a as b.c: pass', 'with a as f(): pass',
  'for f() in y: pass', 'for a.b in y: pass', 'x = a if b else lambda: c', 'x = not a not b', 'x = a not in b is not c',
  'x = 1 < 2 > 3', 'x = a == == b', '...', 'x = ...', 'x = ....', 'x = a...b', 'x = 1..real', 'x = 1.real',
  'x = 0x', 'x = 1e', 'x = 1.e5j', 'x = .e5', 'x = 09', 'x = 00', 'x = 0_', 'x = 1__0', 'x = "\\u00"', "x = b'\\u00'",
  'x = r"\\"', 'x = "a\nb"', 'x = """a\nb"""', "x = '''", 'x = f"{x=}"', 'x = f"{x!z}"', 'x = f"{x:{y:{z}}}"',
  'x = f"{\'a\'}"', 'x = f"{"a"}"', 'x = f"{x}}"', 'x = f"{{x}"', 'x = f"{lambda x: 1}"', 'x = f"{yield}"',
];

/** One mutation: edits `text` using `r`; returns the new text and a short description. */
export type Op = (text: string, r: Rand) => [string, string];

function lineOp(fn: (lines: string[], i: number, r: Rand) => string[] | null, name: string): Op {
  return (text, r) => {
    const lines = text.split('\n');
    const i = int(r, lines.length);
    const out = fn(lines, i, r);
    return out ? [out.join('\n'), `${name}@${i + 1}`] : [text, `${name}@-`];
  };
}

function at(text: string, r: Rand): number { return int(r, text.length + 1); }

const STRAY = [...'()[]{}:;,.\'"\\#@$?!=+-*/%<>&|^~`', '\t', ' ', '\r', '\u00a0', '\u00e9', '\u2013', '0', '9', '_', 'a', 'Z', '\f', '\v'];
const BRACKETS = [...'()[]{}'];
const KEYWORDS = ['if', 'for', 'return', 'def', 'lambda', 'yield', 'break', 'continue', 'else', 'elif', 'in', 'not', 'import', 'from',
  'pass', 'class', 'with', 'as', 'global', 'nonlocal', 'await', 'async', 'del', 'print', 'try', 'except', 'finally', 'while',
  'raise', 'assert', 'is', 'and', 'or', 'None', 'True', 'match', 'case', 'type', '_'];

const OPS: Array<[number, string, Op]> = [
  [8, 'del', lineOp((l, i) => (l.splice(i, 1), l), 'del')],
  [6, 'dup', lineOp((l, i) => (l.splice(i, 0, l[i]), l), 'dup')],
  [6, 'swap', lineOp((l, i) => (i + 1 < l.length ? ([l[i], l[i + 1]] = [l[i + 1], l[i]], l) : null), 'swap')],
  [3, 'move', lineOp((l, i, r) => { const [x] = l.splice(i, 1); l.splice(int(r, l.length + 1), 0, x); return l; }, 'move')],
  [8, 'cut', (t, r) => { const k = at(t, r); return [t.slice(0, k), `cut@${k}`]; }],
  [6, 'indent', lineOp((l, i, r) => (l[i] = (r() < 0.2 ? '\t' : ' '.repeat(1 + int(r, 8))) + l[i], l), 'indent')],
  [6, 'dedent', lineOp((l, i, r) => { const n = indentOf(l[i]).length; if (!n) return null; l[i] = l[i].slice(1 + int(r, Math.min(n, 4))); return l; }, 'dedent')],
  [8, 'char', (t, r) => { const k = at(t, r), c = pick(r, STRAY); return [t.slice(0, k) + c + t.slice(k), `char${JSON.stringify(c)}@${k}`]; }],
  [8, 'bracket', (t, r) => { const k = at(t, r), c = pick(r, BRACKETS); return [t.slice(0, k) + c + t.slice(k), `bracket${c}@${k}`]; }],
  [6, 'kw', (t, r) => { const k = at(t, r), w = pick(r, KEYWORDS); return [t.slice(0, k) + w + (r() < 0.7 ? ' ' : '') + t.slice(k), `kw-${w}@${k}`]; }],
  [8, 'delchar', (t, r) => { const k = int(r, Math.max(t.length, 1)); return [t.slice(0, k) + t.slice(k + 1), `delchar@${k}`]; }],
  [4, 'join', (t, r) => { const k = t.indexOf('\n', at(t, r)); return k < 0 ? [t, 'join@-'] : [t.slice(0, k) + t.slice(k + 1), `join@${k}`]; }],
  [4, 'split', (t, r) => { const k = at(t, r); return [t.slice(0, k) + '\n' + t.slice(k), `split@${k}`]; }],
  [2, 'lead', (t, r) => [' '.repeat(1 + int(r, 3)) + t, 'lead']],
  [2, 'nul', (t, r) => { const k = at(t, r); return [t.slice(0, k) + '\0' + t.slice(k), `nul@${k}`]; }],
  [4, 'blankws', lineOp((l, i, r) => (l.splice(i, 0, ' '.repeat(int(r, 12))), l), 'blankws')],
  [2, 'wsend', (t, r) => [t.replace(/\n*$/, '') + '\n' + ' '.repeat(1 + int(r, 8)), 'wsend']],
  [3, 'tab', lineOp((l, i) => { const w = indentOf(l[i]); if (!w.includes(' ')) return null; l[i] = w.replace(/ {1,8}/, '\t') + l[i].slice(w.length); return l; }, 'tab')],
  [6, 'deltoken', (t, r) => {
    const k = at(t, r), re = /\w+|[^\w\s]/g;
    re.lastIndex = k;
    const m = re.exec(t);
    return m ? [t.slice(0, m.index) + t.slice(m.index + m[0].length), `deltoken@${m.index}`] : [t, 'deltoken@-'];
  }],
  [12, 'snippet', lineOp((l, i, r) => {
    const s = pick(r, SNIPPETS).split('\n').map((x) => indentOf(l[i]) + x);
    l.splice(i, r() < 0.5 ? 1 : 0, ...s);
    return l;
  }, 'snippet')],
  [1, 'crlf', (t) => [t.replace(/\r?\n/g, '\r\n'), 'crlf']],
];

/**
 * 1–3 seeded mutations of `text`, each an operator of `ops` drawn by weight: one mutation when the first
 * draw is below `one`, else two when the next is below `two`, else three.
 */
export function mutateWith(ops: ReadonlyArray<readonly [number, string, Op]>, text: string, seed: number, one: number, two: number): { text: string; ops: string } {
  const r = rng(seed);
  const total = ops.reduce((a, [w]) => a + w, 0);
  const n = r() < one ? 1 : r() < two ? 2 : 3;
  const names: string[] = [];
  let t = text;
  for (let k = 0; k < n; k++) {
    let x = r() * total;
    let op = ops[0];
    for (const o of ops) { if ((x -= o[0]) < 0) { op = o; break; } }
    const [next, name] = op[2](t, r);
    t = next;
    names.push(name);
  }
  return { text: t, ops: names.join('+') };
}

/** 1–3 seeded mutations of `text` (60 % one, 30 % two, 10 % three). */
export function mutate(text: string, seed: number): { text: string; ops: string } {
  return mutateWith(OPS, text, seed, 0.6, 0.75);
}

/** Pathological programs (issue 9): long chains CPython accepts, nesting it refuses, typing states. */
export const SYNTHETIC: Record<string, () => string> = {
  sum1000: () => `x = ${Array(1000).fill('1').join(' + ')}\n`,
  sum2000: () => `x = ${Array(2000).fill('a').join(' + ')}\n`,
  sum100000: () => `x = ${Array(100000).fill('1').join('+')}\n`,
  and2000: () => `x = ${Array(2000).fill('a').join(' and ')}\n`,
  cmp2000: () => `x = ${Array(2000).fill('a').join(' < ')}\n`,
  lambda500: () => `f = ${'lambda: '.repeat(500)}0\n`,
  ternary600: () => `x = ${'a if b else '.repeat(600)}c\n`,
  unary2000: () => `x = ${'-'.repeat(2000)}1\n`,
  not1000: () => `x = ${'not '.repeat(1000)}a\n`,
  attr2000: () => `x = a${'.b'.repeat(2000)}\n`,
  call2000: () => `x = f${'()'.repeat(2000)}\n`,
  pow1000: () => `x = ${'2 ** '.repeat(1000)}1\n`,
  strcat2000: () => `x = ${Array(2000).fill("'a'").join(' ')}\n`,
  tuple5000: () => `x = ${Array(5000).fill('1').join(', ')}\n`,
  list5000: () => `x = [${Array(5000).fill('1').join(', ')}]\n`,
  parens199: () => `x = ${'('.repeat(199)}1${')'.repeat(199)}\n`,
  parens200: () => `x = ${'('.repeat(200)}1${')'.repeat(200)}\n`,
  parens201: () => `x = ${'('.repeat(201)}1${')'.repeat(201)}\n`,
  lists200: () => `x = ${'['.repeat(200)}${']'.repeat(200)}\n`,
  mixed201: () => `x = ${'([{'.repeat(67)}${'}])'.repeat(67)}\n`,
  brackets50000: () => `x = ${'['.repeat(50000)}${']'.repeat(50000)}\n`,
  open50000: () => `x = ${'('.repeat(50000)}\n`,
  close5000: () => `x = 1${')'.repeat(5000)}\n`,
  statements20000: () => Array(20000).fill('x = 1\n').join(''),
  ifs99: () => Array.from({ length: 99 }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(99) + 'pass\n',
  ifs101: () => Array.from({ length: 101 }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(101) + 'pass\n',
  fors20: () => Array.from({ length: 20 }, (_, i) => ' '.repeat(i) + 'for x in y:\n').join('') + ' '.repeat(20) + 'pass\n',
  fors21: () => Array.from({ length: 21 }, (_, i) => ' '.repeat(i) + 'for x in y:\n').join('') + ' '.repeat(21) + 'pass\n',
  wsLastLineInDef: () => 'def f():\n    x = 1\n    ',
  wsLinesInDef: () => 'def f():\n    x = 1\n        \n  \n\t\n    return x\n',
  compNoIn: () => 'if any(m for m):\n    pass\nfor i in [x for x]:\n    pass\ndef f(a=[x for x]):\n    pass\n',
  longString: () => `x = '${'a'.repeat(200000)}'\n`,
  emptyFile: () => '',
  onlyComment: () => '# just a comment',
  contLine: () => 'x = 1 + \\\n    2\nif x and \\\n   y:\n    pass\n',
  contEof: () => 'x = 1 \\',
  formfeed: () => 'x = 1\n\fy = 2\n',
  tabsMixed: () => 'if x:\n\ty = 1\n        z = 2\n',
  crOnly: () => 'x = 1\ry = 2\r',
};

/** The problem a parse reports first, as a 1-based line, or 'ok'; the differential compares it with CPython's line. */
export function firstProblemLine(source: string, problems: ReadonlyArray<{ s: number }>): number | 'ok' {
  if (!problems.length) return 'ok';
  const s = Math.min(...problems.map((p) => p.s));
  let line = 1;
  // \r\n, \r and \n each end a line, as compile() and VS Code count them
  for (let i = 0; i < s && i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

/** CPython's verdict as scripts/cpythonCompile.py records it. */
export type Verdict = { ok: true } | { line: number; kind: 'syntax' | 'nul' | 'limit'; msg: string };

/**
 * Whether our first problem agrees with CPython. Tolerance: where CPython gave up with RecursionError or
 * MemoryError (its implementation's recursion limit, ≈3,000 nested expression levels, not the language),
 * either answer is accepted; every other verdict must match exactly: no problem, or one at CPython's line.
 */
export function agrees(cp: Verdict, ours: number | 'ok'): boolean {
  if ('ok' in cp) return ours === 'ok';
  if (cp.kind === 'limit') return true;
  return ours === cp.line;
}

/** The seed of a source's k-th mutation: fixed by the source's name, so adding sources moves no other entry. */
export function seedFor(id: string, k: number): number {
  return (parseInt(textHash(id), 16) ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0;
}
