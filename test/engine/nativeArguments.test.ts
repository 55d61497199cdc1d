// Built-in functions, methods and the native stdlib called with arguments missing, extra or of the wrong
// type (a half-typed line, a fuzzer's dropped argument): CPython 3.11's exception at the call, never a
// crash of the analysis ('internal'). Expected texts are what /usr/bin/python3 3.11 prints for each call.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine';
import { createInterp } from '../../engine/analysis/analyze';

const CASES: Array<[string, string]> = [
  ['hash()', "TypeError: hash() takes exactly one argument (0 given)"],
  ['repr()', "TypeError: repr() takes exactly one argument (0 given)"],
  ['len(1, 2)', "TypeError: len() takes exactly one argument (2 given)"],
  ['getattr(1)', "TypeError: getattr expected at least 2 arguments, got 1"],
  ['setattr(1, 2)', "TypeError: setattr expected 3 arguments, got 2"],
  ['isinstance(1)', "TypeError: isinstance expected 2 arguments, got 1"],
  ['round()', "TypeError: round() missing required argument 'number' (pos 1)"],
  ['pow(2)', "TypeError: pow() missing required argument 'exp' (pos 2)"],
  ['pow(1, 2, 3, 4)', "TypeError: pow() takes at most 3 arguments (4 given)"],
  ['enumerate()', "TypeError: enumerate() missing required argument 'iterable'"],
  ['min()', "TypeError: min expected at least 1 argument, got 0"],
  ['sorted()', "TypeError: sorted expected 1 argument, got 0"],
  ['globals(1)', "TypeError: globals() takes no arguments (1 given)"],
  ['vars(1, 2)', "TypeError: vars expected at most 1 argument, got 2"],
  ['[1].append()', "TypeError: list.append() takes exactly one argument (0 given)"],
  ['[1].insert(0)', "TypeError: insert expected 2 arguments, got 1"],
  ['[1].insert(None, 1)', "TypeError: 'NoneType' object cannot be interpreted as an integer"],
  ['[1].pop(None)', "TypeError: 'NoneType' object cannot be interpreted as an integer"],
  ['[1].pop(1, 2)', "TypeError: pop expected at most 1 argument, got 2"],
  ['[].copy(1)', "TypeError: list.copy() takes no arguments (1 given)"],
  ['[].sort(1)', "TypeError: sort() takes no positional arguments"],
  ['{}.get()', "TypeError: get expected at least 1 argument, got 0"],
  ['{1}.add()', "TypeError: set.add() takes exactly one argument (0 given)"],
  ["'ab'.replace('x')", "TypeError: replace expected at least 2 arguments, got 1"],
  ["'ab'.center(None)", "TypeError: 'NoneType' object cannot be interpreted as an integer"],
  ["'ab'.zfill('x')", "TypeError: 'str' object cannot be interpreted as an integer"],
  ["'ab'.startswith()", "TypeError: startswith() takes at least 1 argument (0 given)"],
  ["'ab'.split(1, 2, 3)", "TypeError: split() takes at most 2 arguments (3 given)"],
  ["'ab'.upper(1)", "TypeError: str.upper() takes no arguments (1 given)"],
  ['range(3).index(5)', "ValueError: 5 is not in range"],
  ['range(0, 10, 3).index(4)', "ValueError: 4 is not in range"],
  ['range(3).index(None)', "ValueError: sequence.index(x): x not in sequence"],
  ["1 in 'abc'", "TypeError: 'in <string>' requires string as left operand, not int"],
  ["dict('x')", "ValueError: dictionary update sequence element #0 has length 1; 2 is required"],
  ['dict([1])', "TypeError: cannot convert dictionary update sequence element #0 to a sequence"],
  ['functools.partial()', "TypeError: type 'partial' takes at least one argument"],
  ['functools.partial(1)', "TypeError: the first argument must be callable"],
  ["itertools.combinations('x')", "TypeError: combinations() missing required argument 'r' (pos 2)"],
  ["itertools.islice('x')", "TypeError: islice expected at least 2 arguments, got 1"],
  ['itertools.repeat(1, None)', "TypeError: 'NoneType' object cannot be interpreted as an integer"],
  ['itertools.repeat()', "TypeError: repeat() missing required argument 'object' (pos 1)"],
  ['typing.TypeVar()', "TypeError: TypeVar.__init__() missing 1 required positional argument: 'name'"],
  ['re.Match()', "TypeError: cannot create 're.Match' instances"],
  // torch 1.13's containers index through operator.index (_get_abs_string_index)
  ["torch.nn.ModuleList([torch.nn.ReLU()])[float('nan')]", "TypeError: 'float' object cannot be interpreted as an integer"],
  ["torch.nn.Sequential(torch.nn.ReLU())['x']", "TypeError: 'str' object cannot be interpreted as an integer"],
  ['torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2))])[3]', 'IndexError: index 3 is out of range'],
  ['torch.nn.ModuleList([torch.nn.ReLU()]).insert(0.5, torch.nn.ReLU())', "TypeError: 'float' object cannot be interpreted as an integer"],
  ['torch.nn.Sequential(torch.nn.Linear(3, 3)).get_submodule(2.5)', "AttributeError: 'float' object has no attribute 'split'"],
  ["torch.nn.Sequential(torch.nn.Linear(3, 3)).get_submodule('x')", 'AttributeError: Sequential has no attribute `x`'],
  ["torch.nn.Sequential(torch.nn.Linear(3, 3)).get_submodule('0.weight')", 'AttributeError: `weight` is not an nn.Module'],
  ['torch.nn.Sequential(torch.nn.Linear(3, 3)).get_parameter(2.5)', "AttributeError: 'float' object has no attribute 'rpartition'"],
  ["torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.ReLU()).get_parameter('1.x')", 'AttributeError: ReLU has no attribute `x`'],
  ["torch.nn.Sequential(torch.nn.Linear(3, 3)).get_parameter('0')", 'AttributeError: `0` is not an nn.Parameter'],
];

/** The analysis's diagnostics for `w = <expr>` and a use of w (str, repr, an attribute). */
function diagnose(expr: string): Array<{ code: string; message: string; line?: number }> {
  const src = `import functools, itertools, typing, re, collections\nimport numpy\nimport torch\nw = ${expr}\ny = [w, str(w), repr(w), getattr(w, 'shape', 0)]\n`;
  const r = analyze({ file: '/ws/m.py', host: { readFile: (p) => (p === '/ws/m.py' ? src : undefined) }, torchVersion: '1.13' });
  return r.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.loc?.line }));
}

describe('native calls with the wrong arguments', () => {
  it.each(CASES)('%s raises as CPython does, at the call', (expr, expected) => {
    const ds = diagnose(expr);
    expect(ds.filter((d) => d.code === 'internal')).toEqual([]);
    const [type, ...rest] = expected.split(': ');
    const raised = ds.find((d) => d.code === 'exception');
    expect(raised?.line).toBe(3);
    expect(raised?.message).toContain(rest.join(': '));
    expect(raised?.message).not.toContain(`${type}: ${type}`);
    expect(type).toMatch(/Error$/);
  });

  it.each([
    'collections.OrderedDict(\'x\')', 'numpy.floating()', 'numpy.ndarray()', 'numpy.expand_dims(-1)', 're.Pattern()',
    'itertools.repeat(torch.zeros(2), torch.zeros(2))', 'torch.split(torch.zeros(2, 3), -1)', 'torch.zeros(2, 3).chunk(0)',
    'torch.zeros(10**9, 2).unbind()', 'torch.zeros(10**9, 2).split(1)',
  ])('%s: an error at the call, never an internal one', (expr) => {
    const ds = diagnose(expr);
    expect(ds.filter((d) => d.code === 'internal')).toEqual([]);
    expect(ds.some((d) => (d.code === 'exception' || d.code === 'budget' || d.code === 'shape') && d.line === 3)).toBe(true);
  });

  it('get_submodule and get_parameter walk the dotted path', () => {
    const src = "import torch.nn as nn\nm = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Linear(4, 2)))\na = m.get_submodule('1.0').out_features\nb = tuple(m.get_parameter('1.0.weight').shape)\nc = m.get_submodule('') is m\n";
    const { it: interp } = createInterp({ host: { readFile: (p) => (p === '/ws/m.py' ? src : undefined) }, torchVersion: '1.13', timeLimitMs: 600_000 });
    const mod = interp.execFile('/ws/m.py', '__main__')!;
    expect(interp.diagnostics).toEqual([]);
    expect(mod.scope.vars.get('a')).toBe(2);
    expect((mod.scope.vars.get('b') as { items: unknown[] }).items).toEqual([2, 4]);
    expect(mod.scope.vars.get('c')).toBe(true);
  });

  it('range.index and `in` by arithmetic: exact and instant on a huge range', () => {
    const src = 'a = range(0, 10, 3).index(6)\nb = 10**12 - 2 in range(0, 10**12, 2)\nc = range(3).count(2.0)\nd = 10**11 in range(10**12)\ne = 7 in range(0, 10, 3)\n';
    const { it: interp } = createInterp({ host: { readFile: (p) => (p === '/ws/m.py' ? src : undefined) }, torchVersion: '1.13', timeLimitMs: 600_000 });
    const mod = interp.execFile('/ws/m.py', '__main__')!;
    expect(interp.diagnostics).toEqual([]);
    expect(['a', 'b', 'c', 'd', 'e'].map((k) => mod.scope.vars.get(k))).toEqual([2, true, 1, true, false]);
  });
});
