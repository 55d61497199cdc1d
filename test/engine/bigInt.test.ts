// Ints beyond 2^53 (CPython-checked values are in interpSemantics.test.ts): the size budget that keeps
// `2 ** 10**8` from hanging or becoming Infinity, and the torch boundary, where a size must be exact.
import { describe, expect, it } from 'vitest';
import { runPy } from './support/pyRun';
import { MAX_INT_BITS, intOp, normInt, trueDivide } from '../../engine/interp/intMath';

describe('ints: too large for the analysis is a located budget diagnostic, never Infinity or a hang', () => {
  const cases: Array<[string, string]> = [
    ['a power', 'x = 2 ** 10 ** 8'],
    ['a shift', 'x = 1 << 20000'],
    ['a product', 'y = 3 ** 6000\nx = y * y'],
    ['a factorial', 'import math\nx = math.factorial(5000)'],
    ['doubling in a loop', 'x = 1\nfor i in range(20000):\n    x = x + x'],
    ['a string of digits', "x = int('7' * 4000)"],
  ];
  for (const [what, src] of cases) {
    it(what, () => {
      const t0 = Date.now();
      const r = runPy(src + '\n');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.messages.some((m) => /integer too large for the analysis/.test(m)), r.messages.join('\n')).toBe(true);
    });
  }
  it('just under the limit is exact', () => {
    const r = runPy(`x = 2 ** ${MAX_INT_BITS - 10} + 1\ny = x % 1000\nz = (x - 1) // 2 ** ${MAX_INT_BITS - 12}\n`);
    expect(r.messages).toEqual([]);
    expect([r.repr('y'), r.repr('z')]).toEqual([String((2n ** BigInt(MAX_INT_BITS - 10) + 1n) % 1000n), '4']);
  });
});

describe('ints: canonical form and exact operations', () => {
  it('a result that fits again is a plain number', () => {
    expect(normInt(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(intOp('-', 2n ** 60n, 2n ** 60n - 5n)).toBe(5);
    expect(typeof intOp('+', Number.MAX_SAFE_INTEGER, 1)).toBe('bigint');
  });
  it('true division of big ints is correctly rounded (ties to even)', () => {
    expect(trueDivide(2n ** 60n, 3)).toBe(384307168202282325.3333);
    expect(trueDivide(2n ** 54n + 1n, 1)).toBe(2 ** 54); // a tie below the last bit goes to even
    expect(trueDivide(2n ** 54n + 3n, 1)).toBe(2 ** 54 + 4);
    expect(trueDivide(-(10n ** 30n), 7n)).toBe(-1.4285714285714286e29);
  });
});

describe('ints at the torch boundary', () => {
  it('a size beyond 2^53 is refused exactly, one beyond int64 is PyTorch\'s TypeError (torch 1.13: found element of type int)', () => {
    const r = runPy('import torch.nn as nn\n\na = nn.Linear(2 ** 60, 3)\nb = nn.Linear(2 ** 64, 3)\nc = nn.Linear(2 ** 10, 3)\n');
    expect(r.messages).toEqual([
      '3: in_features 1152921504606846976 is beyond 2^53, which the analysis holds exactly',
      "4: TypeError: empty(): argument 'size' must be tuple of SymInts, but found element of type int (in_features=18446744073709551616, beyond int64)",
    ]);
    expect(r.repr('a')).toMatch(/^<unknown/);
  });
});
