// Python's numeric-literal grammar through the vendored lezer grammar: each form parses to the value
// CPython gives it, at the literal's exact source range, with no syntax problem; malformed forms do not.
import { describe, expect, it } from 'vitest';
import { parsePython } from '../../engine/python/parse';
import type { Expr } from '../../engine/python/ast';
import { analyze } from '../../engine';
import { memoryHost } from './support/nodeHost';

/** The value of `x = <lit>` with the literal's range, and the file's problems. */
function lit(text: string): { num: Expr; problems: string[] } {
  const src = `x = ${text}\n`;
  const p = parsePython('/ws/num.py', src);
  const st = p.body[0];
  if (!st || st.k !== 'Assign') throw new Error(`not an assignment: ${JSON.stringify(p.body)}`);
  return { num: st.value, problems: p.problems.map((q) => q.message) };
}

// [literal, value, float, extra fields] — values as CPython prints them
const FORMS: Array<[string, number, boolean, Record<string, unknown>?]> = [
  ['1.', 1, true], ['0.', 0, true], ['1.e-3', 0.001, true], ['1.E+3', 1000, true], ['.5', 0.5, true],
  ['1_000', 1000, false], ['0x1f', 31, false], ['0X1F', 31, false], ['0o17', 15, false], ['0O17', 15, false],
  ['0b101', 5, false], ['0B1_01', 5, false], ['0x_ff', 255, false], ['1e5', 100000, true], ['1E+5', 100000, true],
  ['2.5e-3', 0.0025, true], ['0_0', 0, false], ['00', 0, false], ['0', 0, false], ['1_0.0_1e1_0', 100100000000, true],
  ['0777.5', 777.5, true], ['09e1', 90, true], ['1e400', Infinity, true], ['123', 123, false],
  ['2j', 2, true, { imag: true }], ['1.5J', 1.5, true, { imag: true }], ['.5j', 0.5, true, { imag: true }],
  ['1e3j', 1000, true, { imag: true }], ['0777j', 777, true, { imag: true }], ['1.j', 1, true, { imag: true }],
  ['9007199254740991', 9007199254740991, false],
  ['9007199254740993', 9007199254740992, false, { big: '9007199254740993' }],
  ['123456789012345678901234567890', 1.2345678901234568e29, false, { big: '123456789012345678901234567890' }],
  ['0xffff_ffff_ffff_ffff', 18446744073709552000, false, { big: '18446744073709551615' }],
];

describe('numeric literals: value and source range', () => {
  for (const [text, v, float, extra] of FORMS) {
    it(`${text} → ${v}${extra ? ' ' + JSON.stringify(extra) : ''}`, () => {
      const { num, problems } = lit(text);
      expect(problems).toEqual([]);
      expect(num).toEqual({ k: 'Num', v, float, ...extra, s: 4, e: 4 + text.length });
    });
  }

  it('`width_mult=1.` and `2. / n` inside real code', () => {
    const src = 'def f(n, width_mult=1.):\n    return 2. / n * width_mult\n';
    const p = parsePython('/ws/m.py', src);
    expect(p.problems).toEqual([]);
    const fn = p.body[0];
    expect(fn.k === 'FunctionDef' && fn.params[1].default).toEqual({ k: 'Num', v: 1, float: true, s: 20, e: 22 });
    const ret = fn.k === 'FunctionDef' ? fn.body[0] : undefined;
    expect(ret?.k === 'Return' && ret.value?.k === 'Bin' && ret.value.l.k === 'Bin' && ret.value.l.l).toEqual({ k: 'Num', v: 2, float: true, s: 36, e: 38 });
  });

  it('a float literal followed by an attribute: `1..real`, and `1 .real`', () => {
    for (const src of ['x = 1..real\n', 'x = 1 .real\n']) {
      const p = parsePython('/ws/m.py', src);
      expect(p.problems).toEqual([]);
      const st = p.body[0];
      expect(st.k === 'Assign' && st.value.k === 'Attr' && st.value.obj).toMatchObject({ k: 'Num', v: 1, float: src.includes('..') });
    }
  });
});

describe('malformed numeric literals are syntax errors (as in CPython)', () => {
  for (const text of ['0777', '1_', '1__0', '0x', '0b2', '0o8', '1e', '1.e', '0x_', '1_.5', '1._5', '12abc']) {
    it(text, () => expect(lit(text).problems.length).toBeGreaterThan(0));
  }
});

describe('the interpreter and literals it does not model', () => {
  const model = (init: string) => `import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, ${init})\n    def forward(self, x):\n        return self.fc(x)\n`;
  it('a complex literal is an unknown with a diagnostic at the literal', () => {
    const r = analyze({ file: '/ws/m.py', host: memoryHost({ '/ws/m.py': model('2j') }), model: 'Net()', input: [[1, 4]] });
    const d = r.diagnostics.find((x) => /complex/.test(x.message));
    expect(d?.loc?.line).toBe(4);
  });
  it('an integer literal beyond 2^53 is an unknown, never a rounded count', () => {
    const r = analyze({ file: '/ws/m.py', host: memoryHost({ '/ws/m.py': model('9007199254740993') }), model: 'Net()', input: [[1, 4]] });
    expect(r.diagnostics.find((x) => /9007199254740993/.test(x.message))?.loc?.line).toBe(4);
    expect(JSON.stringify(r.rows)).not.toMatch(/9007199254740992/);
  });
});
