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

describe('autograd: a releasing backward', () => {
  const graph = () => {
    const x = leaf('x', t(1, 2, 3), true), y = leaf('y', t(4, 5, 6), true);
    const xy = mul(x, y);
    // xy feeds two rules: the first to run must not take its value away from the second
    const sq = mul(xy, xy);
    const z = node('add', t(...sq.value.data.map((v, i) => v + xy.value.data[i])), [sq, xy], (g) => [g, g]);
    return { x, y, xy, sq, z };
  };
  it('gives the same gradients as a keeping one', () => {
    const a = graph(), b = graph();
    const ga = backward(a.z, t(1, 1, 1)), gb = backward(b.z, t(1, 1, 1), () => true, { release: true });
    // d/dx (x²y² + xy) = 2xy² + y
    expect(Array.from(gb.get(b.x)!.data)).toEqual([36, 105, 222]);
    expect(Array.from(gb.get(b.x)!.data)).toEqual(Array.from(ga.get(a.x)!.data));
    expect(Array.from(gb.get(b.y)!.data)).toEqual(Array.from(ga.get(a.y)!.data));
  });
  it('drops each rule and value once used, and a read afterwards fails naming the op', () => {
    const g = graph();
    backward(g.z, t(1, 1, 1), () => true, { release: true });
    for (const n of [g.z, g.sq, g.xy]) expect(n.backward).toBeUndefined();
    expect(() => g.sq.value).toThrow(/value of op 'mul' was read after backward released it/);
    // leaves keep their values: they are the caller's state
    expect(Array.from(g.x.value.data)).toEqual([1, 2, 3]);
  });
  it('without the option, values and rules stay', () => {
    const g = graph();
    backward(g.z, t(1, 1, 1));
    expect(Array.from(g.xy.value.data)).toEqual([4, 10, 18]);
    expect(g.sq.backward).toBeDefined();
  });
});

describe('autograd: gradients a rule owns', () => {
  /** A node whose rule records whether it was told it owns its gradient, and then overwrites it (doubling) if so. */
  const doubling = (p: ReturnType<typeof leaf>, seen: Array<[string, boolean]>, name: string) =>
    node(name, p.value, [p], (g, { owned }) => {
      seen.push([name, owned]);
      if (!owned) return [t(...g.data.map((v) => 2 * v))];
      for (let i = 0; i < g.data.length; i++) g.data[i] *= 2;
      return [g];
    });
  const fork = () => {
    const x = leaf('x', t(1, 2), true), seen: Array<[string, boolean]> = [];
    const a = doubling(x, seen, 'a'), b = doubling(x, seen, 'b');
    // one buffer handed to both parents: neither may overwrite it while the other still holds it
    const z = node('fork', t(0, 0), [a, b], (g) => [g, g]);
    return { x, a, b, z, seen };
  };
  it('only when nothing else holds the buffer: the second of two parents sharing one owns it', () => {
    const f = fork();
    const grads = backward(f.z, t(1, 3), (n) => n === f.x, { release: true });
    expect(f.seen).toEqual([['b', false], ['a', true]]);
    // d/dx = 2·g + 2·g, and the shared buffer was not doubled twice
    expect(Array.from(grads.get(f.x)!.data)).toEqual([4, 12]);
  });
  it('never a kept gradient (nor one that shares its buffer), and never without release', () => {
    const f = fork();
    backward(f.z, t(1, 3), (n) => n === f.a, { release: true });
    expect(f.seen).toEqual([['b', false], ['a', false]]);
    const k = fork();
    backward(k.z, t(1, 3), (n) => n === k.z, { release: true });
    expect(k.seen).toEqual([['b', false], ['a', false]]);
    const g = fork();
    expect(Array.from(backward(g.z, t(1, 3)).get(g.x)!.data)).toEqual([4, 12]);
    expect(g.seen).toEqual([['b', false], ['a', false]]);
  });
  it('sums over a shared input in place only into a buffer the walk alone holds', () => {
    // x + x: both gradients are the same buffer, so the sum for x must be a new one (2g, not g doubled twice)
    const x = leaf('x', t(1, 2), true);
    const z = node('add', t(2, 4), [x, x], (g) => [g, g]);
    const seed = t(1, 3);
    expect(Array.from(backward(z, seed, () => true, { release: true }).get(x)!.data)).toEqual([2, 6]);
  });
});

describe('autograd: arrays a rule gets from the walk', () => {
  it('a dead gradient from alloc() serves the next rule that asks for one of its length; others stay untouched', () => {
    // a chain x → a → b → c of copying rules: each gradient comes from alloc() and is dead once the next rule ran
    const x = leaf('x', t(1, 2), true), got: Float32Array[] = [];
    const copying = (p: ReturnType<typeof leaf>, name: string) => node(name, p.value, [p], (g, ctx) => {
      const out = ctx.alloc(g.data.length);
      got.push(out);
      for (let i = 0; i < out.length; i++) out[i] = g.data[i] + 1;
      return [{ shape: g.shape, data: out }];
    });
    const c = copying(copying(copying(x, 'a'), 'b'), 'c');
    const seed = t(10, 20);
    const grads = backward(c, seed, (n) => n === x, { release: true });
    expect(Array.from(grads.get(x)!.data)).toEqual([13, 23]);
    // c's output (fresh) is dead after b ran, so a writes into it; the seed (the caller's) is never reused
    expect(got[2]).toBe(got[0]);
    expect(got.every((a) => a.buffer !== seed.data.buffer)).toBe(true);
    expect(Array.from(seed.data)).toEqual([10, 20]);
  });
  it('never hands out a kept gradient, nor any without release', () => {
    const x = leaf('x', t(1, 2), true), got: Float32Array[] = [];
    const copying = (p: ReturnType<typeof leaf>, name: string) => node(name, p.value, [p], (g, ctx) => {
      const out = ctx.alloc(g.data.length);
      got.push(out);
      out.set(g.data);
      return [{ shape: g.shape, data: out }];
    });
    const a = copying(x, 'a'), b = copying(a, 'b'), c = copying(b, 'c');
    const kept = backward(c, t(1, 1), (n) => n === b || n === x, { release: true });
    expect(new Set(got.map((g) => g.buffer)).size).toBe(3);
    expect(Array.from(kept.get(b)!.data)).toEqual([1, 1]);
    const y = leaf('y', t(1, 2), true), got2: Float32Array[] = [];
    const again = (p: ReturnType<typeof leaf>) => node('copy', p.value, [p], (g, ctx) => { const o = ctx.alloc(2); got2.push(o); o.set(g.data); return [{ shape: [2], data: o }]; });
    backward(again(again(again(y))), t(1, 1));
    expect(new Set(got2.map((g) => g.buffer)).size).toBe(3);
  });
});
