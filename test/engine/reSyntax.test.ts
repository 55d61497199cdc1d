// Python regex syntax → JavaScript RegExp: the mapping table, and the constructs the analysis refuses
// (with a located diagnostic) instead of approximating: JS-inexpressible syntax, exponential backtracking,
// Unicode classes on non-ASCII text. Behaviour equal to CPython is checked in interpSemantics.test.ts.
import { describe, expect, it } from 'vitest';
import { FLAG, maxSubject, translate } from '../../engine/interp/stdlib/reSyntax';
import { runPy } from './support/pyRun';

describe('re: Python pattern syntax as JavaScript source', () => {
  const table: Array<[string, number, string]> = [
    ['(?P<rep>\\d+)', 0, '(?<rep>\\d+)'],
    ['(?P<c>a)(?P=c)', 0, '(?<c>a)\\k<c>'],
    ['\\Aab\\Z', 0, '(?<![\\s\\S])ab(?![\\s\\S])'],
    ['^a$', 0, '(?<![\\s\\S])a(?=\\n?(?![\\s\\S]))'],
    ['^a$', FLAG.MULTILINE, '(?:(?<![\\s\\S])|(?<=\\n))a(?=\\n|(?![\\s\\S]))'],
    ['a.b', 0, 'a[^\\n]b'],
    ['a.b', FLAG.DOTALL, 'a[\\s\\S]b'],
    ['a{,3}', 0, 'a{0,3}'],
    ['a{2,}?', 0, 'a{2,}?'],
    ['{x}', 0, '\\{x\\}'],
    ['\\101\\x41\\U00000041', 0, '\\u{41}\\u{41}\\u{41}'],
    ['[]a]', 0, '[\\u{5d}\\u{61}]'],
    ['(a)\\1', 0, '(a)(?:\\1)'],
    ['a # note\n b', FLAG.VERBOSE, 'ab'],
    ['(?#comment)x', 0, 'x'],
    ['\\#\\:', 0, '\\u{23}\\u{3a}'],
  ];
  for (const [py, flags, js] of table) {
    it(`${JSON.stringify(py)} flags=${flags} → ${js}`, () => {
      expect(translate(py, flags).source).toBe(js);
      expect(() => new RegExp(js, 'du')).not.toThrow();
    });
  }
  it('leading inline flags become flags', () => {
    expect(translate('(?im)x', 0).flags).toBe(FLAG.IGNORECASE | FLAG.MULTILINE);
  });
  it('group names and closing positions are recorded', () => {
    const t = translate('(?P<a>x)((y))', 0);
    expect(t.groups).toBe(3);
    expect([...t.groupIndex]).toEqual([['a', 1]]);
  });
});

describe('re: what has no JavaScript equivalent is refused, located', () => {
  const refused: Array<[string, RegExp]> = [
    ["re.match(r'(?>a+)b', 'aab')", /atomic group/],
    ["re.match(r'a++b', 'aab')", /possessive quantifier/],
    ["re.match(r'(?i:a)b', 'Ab')", /scoped inline flag/],
    ["re.match(r'(a)?(?(1)b|c)', 'ab')", /conditional group/],
    ["re.match(r'\\N{DIGIT ONE}', '1')", /named character escape/],
    ["re.match(r'\\w+', 'héllo')", /non-ASCII text/],
  ];
  for (const [call, msg] of refused) {
    it(call, () => {
      const r = runPy(`import re\n\nx = ${call}\n`);
      expect(r.messages.some((m) => m.startsWith('3: ') && msg.test(m)), r.messages.join('\n')).toBe(true);
      expect(r.repr('x')).toMatch(/^<unknown/);
    });
  }
});

describe('re: patterns that can backtrack exponentially run only on short strings', () => {
  it('(a+)+$ is limited, an unambiguous loop is not', () => {
    expect(maxSubject(translate('(a+)+$', 0).tree)).toBe(20);
    expect(maxSubject(translate('(a|a)*', 0).tree)).toBe(20);
    expect(maxSubject(translate('(a*)*', 0).tree)).toBe(20);
    expect(maxSubject(translate('r\\d+(_[a-z]+\\d+(\\.\\d+)?)+', 0).tree)).toBeGreaterThan(400);
    expect(maxSubject(translate('layers\\.(\\d+)\\.(\\w+)', 0).tree)).toBe(100_000);
  });
  it('a long subject for an ambiguous loop is a budget diagnostic, not a hang', () => {
    const r = runPy(`import re\n\nx = re.match(r'(a+)+$', 'a' * 40 + 'b')\ny = re.match(r'(a+)+$', 'aaab')\n`);
    expect(r.messages).toEqual([expect.stringMatching(/^3: re: pattern .* can backtrack for a very long time on a 41-character string/)]);
    expect(r.repr('y')).toBe('None');
  });
});
