// In-place variants the runner may use where PyTorch code does (nn.ReLU(inplace=True), out += identity):
// same values as the allocating ops, written into the input.
import { describe, expect, it } from 'vitest';
import { add, add_ } from '../../../engine/ops/add';
import { relu, relu_ } from '../../../engine/ops/relu';

describe('in-place relu_ and add_', () => {
  it('relu_ x=[2,3] overwrites its input with relu(x), NaN and ±Infinity included', () => {
    const x = { shape: [2, 3], data: Float32Array.from([-1.5, 0.25, NaN, -Infinity, Infinity, 3]) };
    const want = relu({ input: x });
    const got = relu_({ input: x });
    expect(got).toBe(x);
    expect(Array.from(want.data)).toEqual([0, 0.25, NaN, 0, Infinity, 3]);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
  });
  it('add_ x=[2,2] + alpha·y overwrites x; shapes must match', () => {
    const x = { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }, y = { shape: [2, 2], data: Float32Array.from([0.5, -1, 2, 8]) };
    const want = add({ input: x, other: y }, { alpha: 2 });
    expect(add_({ input: x, other: y }, { alpha: 2 })).toBe(x);
    expect(x.data).toEqual(want.data);
    expect(() => add_({ input: x, other: { shape: [2], data: new Float32Array(2) } })).toThrow(/same shape/);
  });
});
