// The Python front end on bad and extreme input (issue 9): typing states that used to hang, nesting past
// what CPython or lezer builds, the parse budget, one syntax error at CPython's place (no cascade) with
// the rest of the file converted, CPython's later checks, and the 3.11 / 3.12 grammar choice.
import { describe, expect, it } from 'vitest';
import { parsePython } from '../../engine/python/parse';
import type { Stmt } from '../../engine/python/ast';
import { SYNTHETIC, firstProblemLine } from '../../scripts/parseMutations';

let n = 0;
const parse = (src: string, python: '3.11' | '3.12' = '3.11', stepBudget?: number) => parsePython(`/ws/syntax${n++}.py`, src, { python, stepBudget });
const lineOf = (src: string) => firstProblemLine(src, parse(src).problems);
const kinds = (body: Stmt[]) => body.map((s) => s.k);

describe('typing states that used to hang the converter (a comprehension without `in`)', () => {
  for (const src of ['if any(m for m):\n    pass\n', 'for i in [x for x]:\n    pass\n', 'def f(a=[x for x]):\n    pass\n', 'while {k: v for k}:\n    pass\n']) {
    it(JSON.stringify(src), () => {
      const p = parse(`${src}y = 1\n`);
      expect(p.problems).toHaveLength(1);
      expect(firstProblemLine(src, p.problems)).toBe(1);
      // the compound statement keeps its body; the next statement is converted
      expect(kinds(p.body)).toEqual([src.startsWith('def') ? 'FunctionDef' : src.startsWith('for') ? 'For' : src.startsWith('if') ? 'If' : 'While', 'Assign']);
    });
  }
});

describe('nesting', () => {
  it('50,000 nested brackets: "too many nested parentheses" at the line, as CPython (its limit is 200)', () => {
    const p = parse(`a = 1\nx = ${'['.repeat(50000)}${']'.repeat(50000)}\nb = 2\n`);
    expect(p.problems.map((q) => q.message)).toEqual(['too many nested parentheses']);
    expect(kinds(p.body)).toEqual(['Assign', 'Assign']);
  });

  it('200 nested parentheses parse; 201 do not', () => {
    expect(lineOf(SYNTHETIC.parens200())).toBe('ok');
    expect(lineOf(SYNTHETIC.parens201())).toBe(1);
  });

  it('a 2,000-term sum converts to the right tree without deep recursion', () => {
    const p = parse(SYNTHETIC.sum2000());
    expect(p.problems).toEqual([]);
    let depth = 0;
    const st = p.body[0];
    let e = st.k === 'Assign' ? st.value : undefined;
    while (e && e.k === 'Bin') { depth++; expect(e.op).toBe('+'); expect(e.r).toMatchObject({ k: 'Name', id: 'a' }); e = e.l; }
    expect(depth).toBe(1999);
  });

  it('long chains CPython accepts: lambdas, conditionals, comparisons, `and`, unary, attributes, calls', () => {
    for (const k of ['lambda500', 'ternary600', 'cmp2000', 'and2000', 'unary2000', 'not1000', 'attr2000', 'call2000', 'pow1000', 'strcat2000', 'tuple5000'] as const) {
      expect([k, lineOf(SYNTHETIC[k]())]).toEqual([k, 'ok']);
    }
  });

  it('beyond what lezer builds: one "nested too deeply" problem, never a RangeError', () => {
    for (const src of [`x = ${Array(100000).fill('1').join('+')}\n`, `x = ${'a if b else '.repeat(1000)}c\n`, `f = ${'lambda: '.repeat(2000)}0\n`, `x = ${'-'.repeat(5000)}1\n`]) {
      const p = parse(`a = 1\n${src}b = 2\n`);
      expect(p.problems).toHaveLength(1);
      expect(p.problems[0].message).toMatch(/nested too deeply/);
      expect(firstProblemLine(`a = 1\n${src}`, p.problems)).toBe(2);
      expect(kinds(p.body)).toEqual(['Assign', 'Assign']);
    }
  });

  it('no input of the pathological set makes the converter throw', () => {
    for (const [name, make] of Object.entries(SYNTHETIC)) {
      const p = parse(make());
      expect([name, p.problems.filter((q) => /cannot read this statement|call stack/.test(q.message))]).toEqual([name, []]);
    }
  });
});

describe('the parse budget', () => {
  it('a parse over its step budget stops with a problem there and keeps what came before', () => {
    const src = Array.from({ length: 400 }, (_, i) => `x${i} = ${i}\n`).join('');
    const p = parse(src, '3.11', 500);
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0].message).toMatch(/parse within the analysis budget/);
    expect(p.body.length).toBeGreaterThan(10);
    expect(p.body.length).toBeLessThan(400);
  });
});

describe('one syntax error, at CPython\'s place', () => {
  it('an unclosed bracket: the bracket\'s line, once, and the statements before it converted', () => {
    const src = 'import torch\nx = 1\ny = foo(1,\n      2\nz = 3\ndef f():\n    return 4\n';
    const p = parse(src);
    expect(p.problems.map((q) => q.message)).toEqual(["'(' was never closed"]);
    expect(firstProblemLine(src, p.problems)).toBe(3);
    expect(kinds(p.body).slice(0, 2)).toEqual(['Import', 'Assign']);
  });

  it('a later tokenizer error wins over an earlier parser error, as in CPython', () => {
    expect(lineOf("x = = 1\ny = 2\nz = 'abc\n")).toBe(3);
  });

  it('an unexpected indent is not overridden', () => {
    expect(lineOf("x = 1\n    y = 2\nz = 'abc\n")).toBe(2);
  });

  it('a missing comma is reported from the expression before it', () => {
    const p = parse('x = [1, 2\n     3, 4]\n');
    expect(p.problems[0].message).toBe('invalid syntax. Perhaps you forgot a comma?');
    expect(firstProblemLine('x = [1, 2\n     3, 4]\n', p.problems)).toBe(1);
  });

  // column (1-based) and message of CPython 3.11.2's compile() for each (npm run fuzz:parse found the kind)
  it.each([
    ['f(a if b else e x)', 15, 'comma'], ['f(a if b else c e)', 17, 'invalid syntax'], ['f(a if b else c[1] e)', 16, 'comma'],
    ['f(a if b else c + d e)', 17, 'comma'], ['f(a if b else c[1:2] e)', 22, 'invalid syntax'], ['f(a if b else c() e)', 19, 'invalid syntax'],
    ['f(a if b else ((c)) e)', 17, 'comma'], ['f(a if b else (c, d) e)', 15, 'comma'], ['f(a if b else -c e)', 15, 'comma'],
    ['f(c e)', 5, 'invalid syntax'], ['f(cd e)', 3, 'comma'], ['f(ma e)', 6, 'invalid syntax'], ['[c[1] e]', 3, 'comma'], ['f(_[1] e)', 4, 'comma'],
    ['f((c) e)', 4, 'comma'], ['f(a if b else (print) e)', 23, 'invalid syntax'], ['f(print e)', 3, "Missing parentheses in call to 'print'. Did you mean print(...)?"],
  ])('%j: the hint and its start as CPython gives them (a soft-keyword prefix, a conditional\'s else-branch, parentheses)', (src, col, msg) => {
    const p = parse(src).problems[0];
    expect(p).toBeDefined();
    expect(p.s - (src.lastIndexOf('\n', p.s - 1) + 1) + 1).toBe(col);
    expect(msg === 'comma' ? p.message === 'invalid syntax. Perhaps you forgot a comma?' : p.message === msg).toBe(true);
  });

  it('a whitespace-only last line inside a def is blank', () => {
    expect(lineOf('def f():\n    x = 1\n        ')).toBe('ok');
  });

  it('a leading space on line 1 and a NUL byte', () => {
    expect(lineOf(' x = 1\n')).toBe(1);
    expect(lineOf('x = 1\ny = 2\0\n')).toBe(2);
  });
});

describe("CPython's checks after parsing (checks.ts)", () => {
  const cases: Array<[string, RegExp, number]> = [
    ['return 1\n', /'return' outside function/, 1],
    ['def f():\n    pass\nbreak\n', /'break' outside loop/, 3],
    ['def f(a, b,\n      a):\n    pass\n', /duplicate argument 'a'/, 2],
    ['nonlocal x\n', /nonlocal declaration not allowed at module level/, 1],
    ['def f():\n    x = 1\n    global x\n', /assigned to before global declaration/, 3],
    ['class C:\n    yield 1\n', /'yield' outside function/, 2],
    ['*a = b\n', /starred assignment target must be in a list or tuple/, 1],
    ['f(a=1, a=2)\n', /keyword argument repeated: a/, 1],
    ['import os\nfrom __future__ import annotations\n', /from __future__ imports must occur at the beginning/, 2],
  ];
  for (const [src, message, line] of cases) {
    it(`${JSON.stringify(src)} → ${message.source}`, () => {
      const p = parse(src);
      expect(p.problems).toHaveLength(1);
      expect(p.problems[0].message).toMatch(message);
      expect(firstProblemLine(src, p.problems)).toBe(line);
    });
  }
  it('no false positives on valid scoping', () => {
    expect(lineOf('def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n    return g\nfor i in y:\n    while z:\n        break\n    else:\n        continue\n')).toBe('ok');
  });
});

describe('the grammar: CPython 3.11 exactly, or also 3.12 (the default)', () => {
  for (const src of ['type Shape = tuple[int, ...]\n', 'def first[T](xs: list[T]) -> T:\n    return xs[0]\n', 'x = f"{d["key"]}"\n']) {
    it(JSON.stringify(src), () => {
      expect(parse(src, '3.12').problems).toEqual([]);
      expect(parse(src, '3.11').problems).toHaveLength(1);
    });
  }
  it('3.11 additions are accepted in both: a[*b], *args: *Ts, except*, with (a as b, c)', () => {
    for (const src of ['x = a[*b]\n', 'def f(*args: *Ts): pass\n', 'try:\n    pass\nexcept* E:\n    pass\n', 'with (open(a) as f, open(b) as g):\n    pass\n']) {
      expect([src, lineOf(src)]).toEqual([src, 'ok']);
    }
  });
});
