import { describe, it } from 'vitest';
import { upsampleBilinear, upsampleBilinearBackward } from '../../../engine/ops/upsampleBilinear';
import { upsampleNearest, upsampleNearestBackward } from '../../../engine/ops/upsampleNearest';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, rand } from './helpers';

const t = (shape: number[], data: number[]): NdArray => ({ shape, data: Float32Array.from(data) });

describe('upsample nearest', () => {
  it('nearest size=5 from 3 picks floor(o*0.6) x=[1,1,3]', () => {
    expectClose(upsampleNearest({ input: t([1, 1, 3], [0, 1, 2]) }, { size: 5 }), { shape: [1, 1, 5], data: [0, 0, 1, 1, 2] }, 'output', 0);
  });
  it('nearest scale_factor=2 repeats each pixel x=[1,1,2,2]', () => {
    expectClose(upsampleNearest({ input: t([1, 1, 2, 2], [1, 2, 3, 4]) }, { scale_factor: 2 }),
      { shape: [1, 1, 4, 4], data: [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4] }, 'output', 0);
  });
  it('nearest downsampling size=[2,3] x=[1,1,4,7]', () => {
    const x = t([1, 1, 4, 7], Array.from({ length: 28 }, (_, i) => i));
    // rows floor(o*2) = 0, 2; cols floor(o*7/3) = 0, 2, 4
    expectClose(upsampleNearest({ input: x }, { size: [2, 3] }), { shape: [1, 1, 2, 3], data: [0, 2, 4, 14, 16, 18] }, 'output', 0);
  });
  it('nearest finite differences x=[2,2,3,2] scale_factor=[1.5,2.5]', () => {
    const attrs = { scale_factor: [1.5, 2.5] };
    fdCheck((a) => upsampleNearest(a, attrs), (gy, a) => upsampleNearestBackward(gy, a, attrs), { input: rand([2, 2, 3, 2], 130) }, ['input']);
  });
});

describe('upsample bilinear', () => {
  const x = t([1, 1, 2, 2], [1, 2, 3, 4]);
  it('bilinear align_corners=false 2x2 -> 4x4', () => {
    expectClose(upsampleBilinear({ input: x }, { size: [4, 4], align_corners: false }), {
      shape: [1, 1, 4, 4],
      data: [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
    }, 'output', 1e-7);
  });
  it('bilinear align_corners=true 2x2 -> 3x3', () => {
    expectClose(upsampleBilinear({ input: x }, { size: 3, align_corners: true }), {
      shape: [1, 1, 3, 3], data: [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4],
    }, 'output', 1e-7);
  });
  for (const align_corners of [false, true]) {
    it(`bilinear finite differences x=[1,2,3,4] size=[5,3] align_corners=${align_corners}`, () => {
      const attrs = { size: [5, 3], align_corners };
      fdCheck((a) => upsampleBilinear(a, attrs), (gy, a) => upsampleBilinearBackward(gy, a, attrs), { input: rand([1, 2, 3, 4], 131) }, ['input']);
    });
  }
});
