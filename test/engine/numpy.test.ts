// numpy beyond what CPython comparison covers (interpSemantics.test.ts): what the model refuses, each
// with a located diagnostic and an Unknown — names it lacks, np.random, oversized arrays, np.empty read
// before set, int64 beyond 2^53 — and the documented choice that int64 scalars are Python ints.
import { describe, expect, it } from 'vitest';
import { runPy } from './support/pyRun';

const refused: Array<[string, string, RegExp]> = [
  ['a name numpy has and the model lacks', 'x = np.fft.rfft(np.ones(4))', /numpy\.fft is not modelled by LayerLens/],
  ['an ndarray method the model lacks', 'x = np.ones(3).searchsorted(1)', /numpy\.ndarray\.searchsorted is not modelled/],
  ['random values', 'x = np.random.randn(3, 4)', /numpy\.random\.randn \(random values\) is not modelled/],
  ['an array over the size budget', 'x = np.zeros((4096, 4096))', /would have 16,777,216 elements; the analysis keeps numpy arrays under 4,194,304/],
  ['np.empty read before set', 'x = np.empty(3).sum()', /np\.empty\(\.\.\.\) is read before it is set/],
  ['int64 beyond 2^53', 'x = np.arange(3) * 2 ** 53', /beyond 2\^53/],
  ['a string array', "x = np.array(['a', 'b'])", /array of str values .* is not modelled/],
];

describe('numpy: what is not modelled is said, at its line', () => {
  for (const [what, line, msg] of refused) {
    it(what, () => {
      const r = runPy(`import numpy as np\n\n${line}\n`);
      expect(r.messages.some((m) => m.startsWith('3: ') && msg.test(m)), r.messages.join('\n')).toBe(true);
      expect(r.repr('x')).toMatch(/^<unknown/);
    });
  }
  it('np.empty written before it is read is an ordinary array', () => {
    const r = runPy('import numpy as np\n\nx = np.empty((2, 2))\nx[:] = 3\ny = x.sum()\n');
    expect(r.messages).toEqual([]);
    expect(r.repr('y')).toBe('12.0');
  });
});

describe('numpy: scalars', () => {
  it('float64 results are floats that keep numpy methods; int64 results are Python ints', () => {
    const r = runPy('import numpy as np\n\na = np.arange(4.0).sum()\nb = a.item() + 1\nc = isinstance(a, float)\nd = np.arange(4).sum() + 1\ne = type(d).__name__\n');
    expect(r.messages).toEqual([]);
    expect([r.repr('b'), r.repr('c'), r.repr('d'), r.repr('e')]).toEqual(['7.0', 'True', '7', "'int'"]);
  });
  it('a numpy size flows into a layer', () => {
    const r = runPy('import numpy as np\nimport torch.nn as nn\n\nlayer = nn.Linear(np.prod((1, 28, 28)), 10)\nn = tuple(layer.weight.shape)\n');
    expect(r.messages).toEqual([]);
    expect(r.repr('n')).toBe('(10, 784)');
  });
});
