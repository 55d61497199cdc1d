// The autograd walk: gradients of a small graph by hand, accumulation over shared inputs, a chain far
// deeper than the JS stack, and the error that names an op without a gradient rule.
import { describe, expect, it } from 'vitest';
import { backward, leaf, node, topoOrder } from '../../engine/autograd/graph';
import type { NdArray } from '../../engine/ops/tensor';

const t = (...v: number[]): NdArray => ({ shape: [v.length], data: Float32Array.from(v) });
const mul = (a: ReturnType<typeof leaf>, b: ReturnType<typeof leaf>) =>
  node('mul', t(...a.value.data.map((x, i) => x * b.value.data[i])), [a, b], (g) => [
    t(...g.data.map((x, i) => x * b.value.data[i])), t(...g.data.map((x, i) => x * a.value.data[i])),
  ]);

describe('autograd', () => {
  it('d(sum(x·y + x))/dx = y + 1 and d/dy = x, with x used twice', () => {
    const x = leaf('x', t(1, 2, 3), true), y = leaf('y', t(4, 5, 6), true);
    const xy = mul(x, y);
    const z = node('add', t(...xy.value.data.map((v, i) => v + x.value.data[i])), [xy, x], (g) => [g, g]);
    const grads = backward(z, t(1, 1, 1));
    expect(Array.from(grads.get(x)!.data)).toEqual([5, 6, 7]);
    expect(Array.from(grads.get(y)!.data)).toEqual([1, 2, 3]);
  });
  it('keeps only the gradients asked for', () => {
    const x = leaf('x', t(2), true), y = leaf('y', t(3), true);
    const z = mul(x, y);
    const grads = backward(z, t(1), (n) => n === y);
    expect([...grads.keys()]).toEqual([y]);
  });
  it('walks a 100,000-node chain without recursion', () => {
    let n = leaf('x', t(1), true);
    const x = n;
    for (let i = 0; i < 100_000; i++) { const p = n; n = node('id', p.value, [p], (g) => [g]); }
    expect(topoOrder(n).length).toBe(100_001);
    expect(Array.from(backward(n, t(2)).get(x)!.data)).toEqual([2]);
  });
  it('a node without a gradient rule fails naming its op', () => {
    const x = leaf('x', t(1), true);
    const z = node('frobnicate', t(1), [x], undefined);
    expect(() => backward(z, t(1))).toThrow(/no gradient rule for op 'frobnicate'/);
  });
});
