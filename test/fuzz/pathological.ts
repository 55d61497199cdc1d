// Programs that once crashed, froze or bloated the analysis, or gave absurd numbers as exact (issue 9):
// each must now end within the budget with a located diagnostic and an honest report. Pure data.

export interface FuzzInput {
  /** Stable id: `path:<name>` for these, `<source>#<seed>` for mutations. */
  id: string;
  /** Path the file is analysed under (some bugs depended on the path). */
  file: string;
  text: string;
  model?: string;
  input?: number[][];
}

const NET_HEAD = 'import torch\nimport torch.nn as nn\n\n';
/** A small model whose `__init__` and `forward` wrap a given statement, so the rest of the file still analyses. */
const netWith = (init: string, fwd = ''): string =>
  `${NET_HEAD}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${indent(init, 8)}\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n${fwd ? indent(fwd, 8) + '\n' : ''}        return self.fc(x)\n`;
const indent = (s: string, n: number): string => s.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
const atTop = (stmt: string): string => `${NET_HEAD}${stmt}\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`;

const chain = (n: number): string => {
  let s = 'class C0: pass\n';
  for (let i = 1; i < n; i++) s += `class C${i}(C${i - 1}): pass\n`;
  return s;
};
const diamond = (n: number): string => {
  let s = 'class A0: pass\nclass B0: pass\n';
  for (let i = 1; i < n; i++) s += `class A${i}(A${i - 1}, B${i - 1}): pass\nclass B${i}(B${i - 1}, A${i - 1}): pass\n`.replace(/class B(\d+)\(B(\d+), A\2\)/, 'class B$1(A$2)');
  return s;
};

const progs: Array<[string, string, string?]> = [
  // value sizes
  ['listDoubling', atTop('a = [0]\nfor i in range(40):\n    a = a + a')],
  ['listDoublingAug', atTop('a = [0]\nfor i in range(40):\n    a += a')],
  ['listExtendSelf', atTop('a = [0]\nfor i in range(40):\n    a.extend(a)')],
  ['tupleDoubling', atTop('a = (0,)\nfor i in range(40):\n    a = a + a')],
  ['strDoubling', atTop("s = 'ab'\nfor i in range(60):\n    s = s + s")],
  ['strDoublingFstring', atTop("s = 'ab'\nfor i in range(60):\n    s = f'{s}{s}'")],
  ['strJoinDoubling', atTop("s = 'ab'\nfor i in range(60):\n    s = ''.join([s, s])")],
  ['listRepeat', atTop('a = [0] * 10**8')],
  ['listRepeatBig', atTop('a = [0] * 10**100')],
  ['listRepeatNested', atTop('a = [[0] * 10**4] * 10**4\nb = [x for row in a for x in row]')],
  ['strRepeat', atTop("s = 'x' * 10**9")],
  ['strRepeatLoop', atTop("s = 'x' * 10**6\nfor i in range(30):\n    s = s * 2")],
  ['rangeList', atTop('a = list(range(10**9))')],
  ['rangeTuple', atTop('a = tuple(range(10**8))')],
  ['rangeSum', atTop('a = sum(range(10**9))')],
  ['rangeComp', atTop('a = [i for i in range(10**8)]')],
  ['rangeSorted', atTop('a = sorted(range(10**8))')],
  ['rangeSet', atTop('a = set(range(10**8))')],
  ['rangeDict', atTop('a = dict.fromkeys(range(10**8))')],
  ['rangeZip', atTop('a = list(zip(range(10**8), range(10**8)))')],
  ['rangeEnumerate', atTop('a = list(enumerate(range(10**8)))')],
  ['rangeReversed', atTop('a = list(reversed(range(10**8)))')],
  ['rangeIn', atTop('a = 10**8 - 1 in range(10**8)')],
  ['rangeLenHuge', atTop('a = len(range(10**30))')],
  ['rangeIndexHuge', atTop('a = range(10**30)[10**29]')],
  ['rangeSliceHuge', atTop('a = range(10**30)[5:]')],
  ['bigPow', atTop('a = 2 ** 10**8')],
  ['bigPowFloat', atTop('a = 2.0 ** 10**8')],
  ['bigMul', atTop('a = 10**4000\nb = a * a * a')],
  ['bigStrInt', atTop('a = str(10**3000)\nb = int(a * 2)')],
  ['bigFloatInt', atTop('a = float(10**400)')],
  ['dictGrowth', atTop('d = {}\nfor i in range(10**8):\n    d[i] = i')],
  ['listAppendLoop', atTop('a = []\nwhile True:\n    a.append(a)')],
  ['listInsertLoop', atTop('a = [0] * 10**6\nfor i in range(10**6):\n    a.insert(0, i)')],
  ['strMulInt', atTop("a = 'abc' * (2**62)")],
  ['bytesRepeat', atTop("a = b'x' * 10**9")],
  ['joinHuge', atTop("a = ','.join(['abcdefgh'] * 10**7)")],
  ['formatWidth', atTop("a = f'{1:{10**9}}'")],
  ['formatWidth2', atTop("a = '{:>1000000000}'.format(1)")],
  ['ljust', atTop("a = 'x'.ljust(10**9)")],
  ['zfill', atTop("a = 'x'.zfill(10**9)")],
  ['center', atTop("a = 'x'.center(10**9)")],
  ['replaceGrowth', atTop("s = 'aa'\nfor i in range(40):\n    s = s.replace('a', 'aa')")],
  ['listSliceAssign', atTop('a = [0]\nfor i in range(40):\n    a[:] = a + a')],
  ['listMulAug', atTop('a = [0]\na *= 10**9')],
  ['strMulAug', atTop("a = 'x'\na *= 10**9")],
  ['nestedRepeat', atTop('a = [[0]] * 10**7\nb = [x[:] for x in a]')],
  ['starUnpackHuge', atTop('a = [*range(10**8)]')],
  ['starArgsHuge', atTop('def f(*a):\n    return len(a)\nb = f(*range(10**8))')],
  ['mapHuge', atTop('a = list(map(str, range(10**8)))')],
  ['productHuge', atTop('import itertools\na = list(itertools.product(range(1000), range(1000), range(1000)))')],
  ['permutationsHuge', atTop('import itertools\na = list(itertools.permutations(range(20)))')],
  ['reprDeep', atTop('a = []\nfor i in range(10**5):\n    a = [a]\nb = repr(a)')],
  ['eqDeep', atTop('a = []\nb = []\nfor i in range(10**5):\n    a = [a]\n    b = [b]\nc = a == b')],
  ['hashDeep', atTop('a = ()\nfor i in range(10**5):\n    a = (a,)\nd = {a: 1}')],
  ['containsLoop', atTop('a = [0] * 4 * 10**6\nn = 0\nfor i in range(300000):\n    if -1 in a:\n        n += 1')],
  ['indexLoop', atTop('a = [0] * 4 * 10**6\nn = 0\nfor i in range(300000):\n    n += a.count(1)')],
  ['eqLoop', atTop('a = [0] * 4 * 10**6\nb = [0] * 4 * 10**6\nn = 0\nfor i in range(300000):\n    if a == b:\n        n += 1')],
  ['reprShared', atTop('a = [[0] * 10**6] * 10**6\ns = repr(a)')],
  ['hashTupleLoop', atTop('t = tuple([0] * 4 * 10**6)\nd = {}\nfor i in range(300000):\n    d[t] = i')],
  ['sortHuge', atTop('a = sorted([3, 1, 2] * 10**6)')],
  ['strFindLoop', atTop("s = 'a' * 10**7\nn = 0\nfor i in range(300000):\n    n += s.find('b')")],
  ['strInLoop', atTop("s = 'a' * 10**7\nn = 0\nfor i in range(300000):\n    if 'b' in s:\n        n += 1")],
  ['selfRefRepr', atTop('a = [1]\na.append(a)\nb = str(a)')],
  ['selfRefEq', atTop('a = [1]\na.append(a)\nb = a == a[:]')],
  // torch sizes
  ['zerosHugeSlice', netWith('t = torch.zeros(1, 10**9)[:, 5:]\nself.n = t.shape[1]')],
  ['zerosHugeIndex', netWith('t = torch.zeros(10**9)[10**8]')],
  ['zerosHugeStep', netWith('t = torch.zeros(10**12, 3)[::2]')],
  ['zerosHugeTolist', netWith('t = torch.zeros(10**9).tolist()')],
  ['zerosHugeIter', netWith('s = 0\nfor v in torch.zeros(10**9):\n    s = s + 1')],
  ['arangeHuge', netWith('t = torch.arange(10**10)')],
  ['arangeHugeSum', netWith('t = torch.arange(10**10).sum()')],
  ['onesHugeData', netWith('t = torch.ones(10**5, 10**5) + 1\nu = t * 2')],
  ['randnHuge', netWith('t = torch.randn(10**6, 10**6)\nu = t.mean()')],
  ['tensorFromHugeList', netWith('t = torch.tensor([0.0] * 10**8)')],
  ['linearBigOut', netWith('self.big = nn.Linear(192, 2**53 + 1)')],
  ['linearNegative', netWith('self.neg = nn.Linear(192, -5)')],
  ['linearFloat', netWith('self.f = nn.Linear(192, 10.0)')],
  ['linearZero', netWith('self.z = nn.Linear(0, 0)')],
  ['conv0Kernel', netWith('self.c = nn.Conv2d(3, 4, 0)')],
  ['convKernelArity', netWith('self.c = nn.Conv2d(3, 4, kernel_size=(3,))')],
  ['convStride0', netWith('self.c = nn.Conv2d(3, 4, 3, stride=0)')],
  ['convNegPad', netWith('self.c = nn.Conv2d(3, 4, 3, padding=-1)')],
  ['convNegDil', netWith('self.c = nn.Conv2d(3, 4, 3, dilation=0)')],
  ['convFloatChannels', netWith('self.c = nn.Conv2d(3.0, 4, 3)')],
  ['layerCountsHuge', `${NET_HEAD}class Net(nn.Module):\n    def __init__(self, layers=[2, 2, 10**100, 2]):\n        super().__init__()\n        blocks = []\n        for n in layers:\n            for _ in range(n):\n                blocks.append(nn.Linear(4, 4))\n        self.body = nn.Sequential(*blocks)\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(self.body(x))\n`],
  ['layerCountsBig', `${NET_HEAD}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = nn.Sequential(*[nn.Linear(4, 4) for _ in range(10**7)])\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(self.body(x))\n`],
  ['moduleListHuge', netWith('self.ls = nn.ModuleList([nn.ReLU()] * 10**8)')],
  ['embeddingHuge', netWith('self.e = nn.Embedding(10**15, 10**6)')],
  ['linearHugeFeatures', netWith('self.h = nn.Linear(10**9, 10**9)', 'y = torch.zeros(1, 10**9)\ny = self.h(y)')],
  ['viewHuge', netWith('', 'y = x.view(-1, 1).expand(10**9, 10**9)')],
  ['repeatHuge', netWith('', 'y = x.repeat(10**9, 10**9, 10**9)')],
  ['zerosNegative', netWith('t = torch.zeros(-1, 3)')],
  ['zerosFloat', netWith('t = torch.zeros(2.5, 3)')],
  ['sequentialNoArg', `${NET_HEAD}class Blk(nn.Sequential):\n    def f(self, x):\n        return x\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = Blk(nn.Linear(4, 4))\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        y = self.b.f()\n        return self.fc(self.b(x))\n`],
  ['sequentialCallNoArg', `${NET_HEAD}class Net(nn.Sequential):\n    def __init__(self):\n        super().__init__(nn.Linear(4, 2))\n\n    def forward(self, x):\n        y = self.f()\n        return super().forward(x)\n\n    def f(self):\n        return self()\n`],
  ['nestedListAttr', netWith(`self.cfg = ${'['.repeat(5000)}1${']'.repeat(5000)}`)],
  ['nestedListAttrBuilt', netWith('a = 1\nfor i in range(100000):\n    a = [a]\nself.cfg = a')],
  ['nestedTupleAttrBuilt', netWith('a = 1\nfor i in range(100000):\n    a = (a,)\nself.cfg = a\nself.k = nn.Conv2d(3, 4, a)')],
  ['nestedDictAttrBuilt', netWith("a = 1\nfor i in range(100000):\n    a = {'k': a}\nself.cfg = a")],
  // the deadline
  ['inheritanceChain', atTop(chain(5000))],
  ['inheritanceDiamond', atTop(diamond(300))],
  ['deepMroModule', `${NET_HEAD}${chain(3000).replace('class C0: pass', 'class C0(nn.Module):\n    pass')}\nclass Net(C2999):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n`],
  ['brackets50000', atTop(`a = ${'['.repeat(50000)}${']'.repeat(50000)}`)],
  ['parens50000', atTop(`a = ${'('.repeat(50000)}1${')'.repeat(50000)}`)],
  ['open50000', atTop(`a = ${'['.repeat(50000)}`)],
  ['sum100000', atTop(`a = ${Array(100000).fill('1').join(' + ')}`)],
  ['unaryChain', atTop(`a = ${'-'.repeat(50000)}1`)],
  ['notChain', atTop(`a = ${'not '.repeat(20000)}1`)],
  ['attrChain', atTop(`a = nn${'.Module'.repeat(20000)}`)],
  ['callChain', atTop(`f = lambda: f\na = f${'()'.repeat(20000)}`)],
  ['lambdaChain', atTop(`a = ${'lambda: '.repeat(3000)}1`)],
  ['ternaryChain', atTop(`a = ${'1 if 0 else '.repeat(5000)}2`)],
  ['compChain', atTop(`a = ${'['.repeat(200)}1${' for _ in [0]]'.repeat(200)}`)],
  ['statements20000', atTop(Array(20000).fill('x = 1').join('\n'))],
  ['defs5000', atTop(Array.from({ length: 5000 }, (_, i) => `def f${i}(x):\n    return x`).join('\n'))],
  ['nestedDefs', atTop(Array.from({ length: 90 }, (_, i) => `${' '.repeat(i * 4)}def f${i}():`).join('\n') + `\n${' '.repeat(360)}return 1`)],
  ['nestedIfs', atTop(Array.from({ length: 90 }, (_, i) => `${' '.repeat(i)}if True:`).join('\n') + `\n${' '.repeat(90)}x = 1`)],
  ['recursionDeep', atTop('def f(n):\n    return f(n + 1)\na = f(0)')],
  ['recursionMethod', `${NET_HEAD}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.forward(x)\n`],
  ['recursionRepr', atTop('class A:\n    def __repr__(self):\n        return repr(self)\nb = repr(A())')],
  ['recursionGetattr', atTop('class A:\n    def __getattr__(self, n):\n        return self.x\nb = A().y')],
  ['recursionInit', atTop('class A:\n    def __init__(self):\n        A()\nb = A()')],
  ['recursionModule', `${NET_HEAD}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n        self.sub = Net()\n\n    def forward(self, x):\n        return self.fc(x)\n`],
  ['whileTrue', atTop('while True:\n    pass')],
  ['whileTrueWork', atTop('x = 0\nwhile True:\n    x = [x, x, x][0]')],
  ['loopNested', atTop('n = 0\nfor a in range(10**4):\n    for b in range(10**4):\n        n += 1')],
  ['generatorInfinite', atTop('import itertools\na = list(itertools.count())')],
  ['cycleInfinite', atTop('import itertools\na = list(itertools.cycle([1]))')],
  ['repeatInfinite', atTop('import itertools\na = list(itertools.repeat(1))')],
  ['sortedKeyHeavy', atTop('a = sorted(range(10**5), key=lambda v: -v)')],
  ['regexCatastrophic', atTop("import re\na = re.match('(a+)+$', 'a' * 40 + 'b')")],
  ['regexHugeRepeat', atTop("import re\na = re.compile('a{1000000000}')")],
  ['mathFactorial', atTop('import math\na = math.factorial(10**6)')],
  ['mathComb', atTop('import math\na = math.comb(10**6, 5 * 10**5)')],
  ['mathPerm', atTop('import math\na = math.perm(10**6)')],
  ['powMod', atTop('a = pow(3, 10**100, 7)')],
  ['divmodBig', atTop('a = divmod(10**5000, 3)')],
  ['shiftBig', atTop('a = 1 << 10**9')],
  ['numpyHuge', atTop('import numpy as np\na = np.zeros((10**5, 10**5))')],
  ['numpyArangeHuge', atTop('import numpy as np\na = np.arange(10**9)')],
  ['numpyLinspaceHuge', atTop('import numpy as np\na = np.linspace(0, 1, 10**9)')],
  ['numpyOuter', atTop('import numpy as np\na = np.arange(10**5)\nb = a[:, None] * a[None, :]')],
  ['numpyRepeat', atTop('import numpy as np\na = np.ones(10**4)\nfor i in range(30):\n    a = np.concatenate([a, a])')],
  // found by the call probes (every builtin, stdlib and torch callable with missing, extra and odd arguments)
  ['splitNegative', netWith('', 'y = torch.split(x, -1)')],
  ['splitHuge', netWith('', 'y = torch.zeros(10**9, 2).split(1)')],
  ['unbindHuge', netWith('', 'y = torch.zeros(10**9, 2).unbind()')],
  ['chunkZero', netWith('', 'y = x.chunk(0)')],
  ['builtinNoArgs', atTop("a = [hash(), repr(), len(), getattr(1), [].append(), {}.get(), 'ab'.center(), range(3).index()]")],
  ['builtinNoneArgs', atTop("a = ['ab'.center(None), [1].pop(None), 'ab'.zfill(None), range(3).index(None)]")],
  ['stdlibNoArgs', atTop('import functools, itertools, typing, re\nimport numpy as np\na = [functools.partial(), itertools.repeat(1, None), itertools.islice([1]), typing.TypeVar(), re.Match(), np.floating(), np.expand_dims(np.zeros(2))]')],
  ['dictBadSequence', atTop("a = dict('x')\nb = dict([1])")],
  ['rangeIndexArith', atTop('a = range(0, 10**12, 3).index(3 * 10**11)\nb = 10**11 + 1 in range(0, 10**12, 2)')],
  ['containerOddIndex', atTop("m = nn.ModuleList([nn.ReLU()])\na = [m[float('nan')], nn.Sequential(nn.ReLU())[1.5], nn.ParameterList([nn.Parameter(torch.zeros(2))])[7], m.insert(0.5, nn.ReLU())]")],
  ['submoduleOddPath', atTop("m = nn.Sequential(nn.Linear(3, 3))\na = [m.get_submodule(2.5), m.get_parameter(2.5), m.get_submodule('0.weight'), m.get_parameter('0')]")],
  ['deepcopyMany', atTop('import copy\nm = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.LayerNorm(4))\nms = [copy.deepcopy(m) for _ in range(10**6)]')],
  // paths
  ['torchvisionTransforms', atTop('x = 1')],
  ['torchvisionIo', atTop('x = 1')],
  ['torchvisionDatasets', atTop('x = 1')],
];

const PATHS: Record<string, string> = {
  torchvisionTransforms: '/ws/torchvision/transforms/model.py',
  torchvisionIo: '/ws/torchvision/io/model.py',
  torchvisionDatasets: '/ws/torchvision/datasets/model.py',
};

/** The pathological programs, analysed as `Net()` with input (2, 4). */
export const PATHOLOGICAL: FuzzInput[] = progs.map(([name, text]) => ({
  id: `path:${name}`, file: PATHS[name] ?? '/ws/model.py', text, model: 'Net()', input: [[2, 4]],
}));
