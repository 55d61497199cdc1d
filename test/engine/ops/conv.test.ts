import { describe, expect, it } from 'vitest';
import { conv1d, conv1dBackward, type Conv1dAttrs } from '../../../engine/ops/conv1d';
import { conv2d, conv2dBackward, type Conv2dAttrs, type ConvArgs } from '../../../engine/ops/conv2d';
import { convTranspose1d, convTranspose1dBackward } from '../../../engine/ops/convTranspose1d';
import { convTranspose2d, convTranspose2dBackward, type ConvTranspose2dAttrs } from '../../../engine/ops/convTranspose2d';
import type { NdArray } from '../../../engine/ops/tensor';
import { relu } from '../../../engine/ops/relu';
import { setGemmBackend } from '../../../engine/ops/wasm/wasmKernels';
import { caseArgs, expectClose, fdCheck, goldenTests, nd, rand } from './helpers';

const convArgs = (a: Record<string, NdArray>): ConvArgs => ({ input: a.input, weight: a.weight, bias: a.bias });

describe('conv2d', () => {
  goldenTests('conv2d', 'conv2d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as Conv2dAttrs;
    return { output: conv2d(a, attrs), grads: conv2dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv2d finite differences x=[2,4,5,6] w=[6,2,3,2] s=[2,1] p=1 d=[1,2] groups=2', () => {
    const attrs: Conv2dAttrs = { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 };
    const args = { input: rand([2, 4, 5, 6], 1), weight: rand([6, 2, 3, 2], 2), bias: rand([6], 3) };
    fdCheck((a) => conv2d(convArgs(a), attrs), (gy, a) => conv2dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
  // The PyTorch goldens above fix conv2d; the fused epilogue must equal F.relu of it exactly.
  for (const backend of ['auto', 'js'] as const) {
    it(`the fused ReLU epilogue equals relu(conv2d(...)) bit for bit (${backend === 'auto' ? 'WebAssembly' : 'JS'} kernels)`, () => {
      setGemmBackend(backend);
      try {
        const cases: Array<{ x: number[]; w: number[]; attrs: Conv2dAttrs }> = [
          { x: [1, 16, 30, 30], w: [24, 16, 3, 3], attrs: { padding: 1 } },
          { x: [2, 8, 17, 13], w: [12, 4, 3, 3], attrs: { stride: 2, padding: 1, groups: 2 } },
          { x: [1, 32, 9, 9], w: [20, 32, 1, 1], attrs: {} }, // 1×1, stride 1: the direct GEMM path
        ];
        for (const c of cases) {
          const args = { input: rand(c.x, 11), weight: rand(c.w, 12), bias: rand([c.w[0]], 13) };
          const fused = conv2d(args, c.attrs, { relu: true }), plain = relu({ input: conv2d(args, c.attrs) });
          expect(fused.shape).toEqual(plain.shape);
          expect(Array.from(fused.data)).toEqual(Array.from(plain.data));
          expect(fused.data.some((v) => v > 0) && fused.data.some((v) => v === 0)).toBe(true);
        }
      } finally {
        setGemmBackend('auto');
      }
    });
  }
});

describe('conv1d', () => {
  goldenTests('conv1d', 'conv1d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as Conv1dAttrs;
    return { output: conv1d(a, attrs), grads: conv1dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv1d finite differences x=[2,3,9] w=[4,3,3] s=2 p=2 d=2', () => {
    const attrs: Conv1dAttrs = { stride: 2, padding: 2, dilation: 2 };
    const args = { input: rand([2, 3, 9], 4), weight: rand([4, 3, 3], 5), bias: rand([4], 6) };
    fdCheck((a) => conv1d(convArgs(a), attrs), (gy, a) => conv1dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});

describe('conv_transpose2d', () => {
  goldenTests('conv_transpose2d', 'conv_transpose2d', (c) => {
    const a = convArgs(caseArgs(c));
    const attrs = c.attrs as ConvTranspose2dAttrs;
    return { output: convTranspose2d(a, attrs), grads: convTranspose2dBackward(nd(c.gradOutput), a, attrs) };
  });
  it('conv_transpose2d finite differences x=[2,4,3,3] w=[4,3,3,2] s=[2,1] p=1 op=[1,0] d=[1,2] groups=2', () => {
    const attrs: ConvTranspose2dAttrs = { stride: [2, 1], padding: 1, output_padding: [1, 0], dilation: [1, 2], groups: 2 };
    const args = { input: rand([2, 4, 3, 3], 7), weight: rand([4, 3, 3, 2], 8), bias: rand([6], 9) };
    fdCheck((a) => convTranspose2d(convArgs(a), attrs), (gy, a) => convTranspose2dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});

describe('conv_transpose1d', () => {
  it('conv_transpose1d equals conv_transpose2d on a unit-height view x=[1,2,5] w=[2,3,4] s=3 p=1 op=2', () => {
    const attrs = { stride: 3, padding: 1, output_padding: 2 };
    const x = rand([1, 2, 5], 10), w = rand([2, 3, 4], 11), b = rand([3], 12);
    const y1 = convTranspose1d({ input: x, weight: w, bias: b }, attrs);
    const y2 = convTranspose2d(
      { input: { shape: [1, 2, 1, 5], data: x.data }, weight: { shape: [2, 3, 1, 4], data: w.data }, bias: b },
      { stride: [1, 3], padding: [0, 1], output_padding: [0, 2] },
    );
    expect(y1.shape).toEqual([1, 3, 16]);
    expectClose(y1, { shape: [1, 3, 16], data: Array.from(y2.data) }, 'output', 0, 0);
  });
  it('conv_transpose1d finite differences x=[2,2,4] w=[2,3,3] s=2 p=1 op=1', () => {
    const attrs = { stride: 2, padding: 1, output_padding: 1 };
    const args = { input: rand([2, 2, 4], 13), weight: rand([2, 3, 3], 14), bias: rand([3], 15) };
    fdCheck((a) => convTranspose1d(convArgs(a), attrs), (gy, a) => convTranspose1dBackward(gy, convArgs(a), attrs), args, ['input', 'weight', 'bias']);
  });
});

/** Direct float64 loops for conv2d (stride s, padding p, groups 1): forward, and the adjoint for gradients. */
function naiveConv2d(x: NdArray, w: NdArray, s: number, p: number, gy?: NdArray) {
  const [N, C, H, W] = x.shape, [Co, , kh, kw] = w.shape;
  const Ho = Math.floor((H + 2 * p - kh) / s) + 1, Wo = Math.floor((W + 2 * p - kw) / s) + 1;
  const y = new Float64Array(N * Co * Ho * Wo), gx = new Float64Array(x.data.length), gw = new Float64Array(w.data.length);
  for (let n = 0; n < N; n++) for (let co = 0; co < Co; co++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
    const o = ((n * Co + co) * Ho + oy) * Wo + ox;
    for (let c = 0; c < C; c++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * s - p + ky, ix = ox * s - p + kx;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      const xi = ((n * C + c) * H + iy) * W + ix, wi = ((co * C + c) * kh + ky) * kw + kx;
      y[o] += x.data[xi] * w.data[wi];
      if (gy) {
        gx[xi] += gy.data[o] * w.data[wi];
        gw[wi] += gy.data[o] * x.data[xi];
      }
    }
  }
  return { y: { shape: [N, Co, Ho, Wo], data: Array.from(y) }, gx: Array.from(gx), gw: Array.from(gw) };
}

describe('conv2d / conv_transpose2d in several row bands (column buffer over budget)', () => {
  it('conv2d x=[1,256,20,100] w=[2,256,3,3] s=1 p=1 matches direct loops, forward and backward', () => {
    const x = rand([1, 256, 20, 100], 16), w = rand([2, 256, 3, 3], 17), gy = rand([1, 2, 20, 100], 18);
    const ref = naiveConv2d(x, w, 1, 1, gy);
    expectClose(conv2d({ input: x, weight: w }, { padding: 1 }), ref.y, 'output');
    const g = conv2dBackward(gy, { input: x, weight: w }, { padding: 1 });
    expectClose(g.input, { shape: x.shape, data: ref.gx }, 'grad input');
    expectClose(g.weight, { shape: w.shape, data: ref.gw }, 'grad weight');
  });
  it('conv_transpose2d x=[1,2,20,100] w=[2,256,3,3] s=1 p=1 is the adjoint of conv2d (forward and backward)', () => {
    // conv_transpose2d(g, w) = d conv2d / d x applied to g, and its weight gradient mirrors conv2d's.
    const x = rand([1, 256, 20, 100], 19), w = rand([2, 256, 3, 3], 20), g = rand([1, 2, 20, 100], 21);
    const ref = naiveConv2d(x, w, 1, 1, g);
    expectClose(convTranspose2d({ input: g, weight: w }, { padding: 1 }), { shape: x.shape, data: ref.gx }, 'output');
    const gt = convTranspose2dBackward(x, { input: g, weight: w }, { padding: 1 });
    expectClose(gt.input, ref.y, 'grad input');
    expectClose(gt.weight, { shape: w.shape, data: ref.gw }, 'grad weight');
  });
});

describe('conv2d / conv_transpose2d with the weight staged in blocks (over the WebAssembly weight budget)', () => {
  // 240·2304 weights > the 2^19 floats staged at once: blocks of 192 + 48 rows (and 2176 + 128 columns
  // for wᵀ·mat); 3 row bands, so the weight gradient's blocks are staged in and out band after band.
  const x = rand([1, 256, 7, 30], 22), w = rand([240, 256, 3, 3], 23), gy = rand([1, 240, 7, 30], 24);
  const ref = naiveConv2d(x, w, 1, 1, gy);
  it('conv2d x=[1,256,7,30] w=[240,256,3,3] p=1 matches direct loops, forward and backward', () => {
    expectClose(conv2d({ input: x, weight: w }, { padding: 1 }), ref.y, 'output');
    const g = conv2dBackward(gy, { input: x, weight: w }, { padding: 1 });
    expectClose(g.input, { shape: x.shape, data: ref.gx }, 'grad input');
    expectClose(g.weight, { shape: w.shape, data: ref.gw }, 'grad weight');
  });
  it('conv_transpose2d x=[1,240,7,30] w=[240,256,3,3] p=1 is the adjoint of conv2d (forward and backward)', () => {
    expectClose(convTranspose2d({ input: gy, weight: w }, { padding: 1 }), { shape: x.shape, data: ref.gx }, 'output');
    const gt = convTranspose2dBackward(x, { input: gy, weight: w }, { padding: 1 });
    expectClose(gt.input, ref.y, 'grad input');
    expectClose(gt.weight, { shape: w.shape, data: ref.gw }, 'grad weight');
  });
});
