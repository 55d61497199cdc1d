// Seeded mutations that reach the interpreter and the torch layer (the parser's own mutations are in
// scripts/parseMutations.ts and are mixed in): sizes PyTorch rejects, huge counts and loops, value growth,
// odd argument lists. The same (source, seed) always gives the same text. Pure: no I/O, no clock.
import { mutate as syntaxMutate, mutateWith, rng, type Op } from '../../scripts/parseMutations';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** What a number in a model file may become: sizes PyTorch rejects, exact-count edges, huge values. */
const NUMBERS = [
  '0', '-1', '-5', '1', '2', '3', '7', '10.0', '2.5', '1e10', '(3,)', '()', '(3, 3, 3)', 'None', "'3'", 'True',
  '2**53 + 1', '2**63', '10**9', '10**18', '10**100', '-(10**9)', '10**5', '4096', '65536', '2**31', 'float("inf")', 'float("nan")',
];

/** Lines that grow values, loop long or call odd things; inserted at a statement's indentation. */
const SNIPPETS = [
  'a_ = [0] * 10**8', 'a_ = [0]\nfor i_ in range(40):\n    a_ = a_ + a_', "s_ = 'ab' * 10**8", 'r_ = list(range(10**9))',
  'b_ = 2 ** 10**8', 'd_ = {i_: i_ for i_ in range(10**8)}', 'while True:\n    pass', 't_ = torch.zeros(1, 10**9)[:, 5:]',
  't_ = torch.zeros(10**9).tolist()', 'n_ = sum(range(10**9))', 'c_ = [[0] * 10**4 for _ in range(10**4)]',
  'x_ = 1\nfor i_ in range(100000):\n    x_ = [x_]', 'self.f()', 'self()', 'super().__init__()', 'print(self)',
  'self.extra = nn.Linear(-5, 3)', 'self.extra = nn.Conv2d(3, 4, 0)', 'self.extra = nn.Linear(192, 10.0)',
  'self.extra = nn.Conv2d(3, 4, (3,))', 'self.extra = nn.Conv2d(3, 4, 3, stride=0)', 'self.extra = nn.Conv2d(3, 4, 3, padding=-1)',
  'self.extra = nn.Linear(2**53 + 1, 2)', 'self.extra = nn.ModuleList([nn.ReLU()] * 10**8)', 'x = x[:, 5:]', 'x = x.view(-1)',
  'x = x.flatten(1)', 'x = x.unsqueeze(0)', 'x = x.repeat(10**9, 1)', 'x = x.expand(10**9, -1)', 'x = x * 10**100',
  'x = x[..., None]', 'x = x.transpose(0, 1)', 'x = x[0]', 'x = torch.cat([x, x], 0)', 'x = x.reshape(3, -1)',
  'raise ValueError("x")', 'return', 'return None', 'assert False', 'import torchvision.transforms as T', 'del self',
];


const numberRe = /(?<![\w.])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?(?![\w.])/g;

function nth(text: string, re: RegExp, r: Rand): RegExpExecArray | undefined {
  const ms = [...text.matchAll(new RegExp(re.source, re.flags))];
  return ms.length ? ms[int(r, ms.length)] as RegExpExecArray : undefined;
}

const OPS: Array<[number, string, Op]> = [
  [30, 'number', (t, r) => {
    const m = nth(t, numberRe, r);
    if (!m) return [t, 'number@-'];
    const v = pick(r, NUMBERS);
    return [t.slice(0, m.index) + v + t.slice(m.index + m[0].length), `number${v}@${m.index}`];
  }],
  [8, 'range', (t, r) => {
    const m = nth(t, /range\(([^()\n]*)\)/g, r);
    if (!m) return [t, 'range@-'];
    const v = pick(r, ['10**6', '10**9', '10**100', '-3', '0', '2.5', `${m[1]} * 10**7`]);
    return [t.slice(0, m.index) + `range(${v})` + t.slice(m.index + m[0].length), `range(${v})@${m.index}`];
  }],
  [20, 'snippet', (t, r) => {
    const lines = t.split('\n');
    const i = int(r, lines.length);
    const ind = /^[ \t]*/.exec(lines[i])![0];
    const s = pick(r, SNIPPETS);
    lines.splice(i, 0, ...s.split('\n').map((l) => ind + l));
    return [lines.join('\n'), `snippet@${i + 1}`];
  }],
  [8, 'dropArg', (t, r) => {
    const m = nth(t, /\(([^()\n]*),\s*([^()\n,]*)\)/g, r);
    if (!m) return [t, 'dropArg@-'];
    const keep = r() < 0.5 ? m[1] : m[2];
    return [t.slice(0, m.index) + `(${keep})` + t.slice(m.index + m[0].length), `dropArg@${m.index}`];
  }],
  [6, 'dupArg', (t, r) => {
    const m = nth(t, /\(([^()\n,]+)\)/g, r);
    if (!m) return [t, 'dupArg@-'];
    return [t.slice(0, m.index) + `(${m[1]}, ${m[1]})` + t.slice(m.index + m[0].length), `dupArg@${m.index}`];
  }],
  [6, 'name', (t, r) => {
    const names = [...new Set(t.match(/\b[A-Za-z_]\w*\b/g) ?? [])];
    const m = nth(t, /\b[A-Za-z_]\w*\b/g, r);
    if (!m || !names.length) return [t, 'name@-'];
    const v = pick(r, names);
    return [t.slice(0, m.index) + v + t.slice(m.index + m[0].length), `name-${v}@${m.index}`];
  }],
  [4, 'wrap', (t, r) => {
    const m = nth(t, numberRe, r);
    if (!m) return [t, 'wrap@-'];
    const v = pick(r, [`[${m[0]}]`, `(${m[0]},)`, `[[${m[0]}]]`, `${m[0]} * 10**9`, `-${m[0]}`, `${m[0]} / 2`, `${m[0]} // 0`]);
    return [t.slice(0, m.index) + v + t.slice(m.index + m[0].length), `wrap${v}@${m.index}`];
  }],
  [18, 'syntax', (t, r) => { const m = syntaxMutate(t, Math.floor(r() * 2 ** 32) >>> 0); return [m.text, `syntax(${m.ops})`]; }],
];
/** 1–3 seeded mutations of a model file. */
export function mutateModel(text: string, seed: number): { text: string; ops: string } {
  return mutateWith(OPS, text, seed, 0.55, 0.7);
}

export { rng };
