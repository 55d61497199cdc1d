// The article views' data without a browser: the step-through's window arithmetic (webview/views/convStep/
// convStepModel.ts) against the engine's conv2d on every cell, for strides, dilation, groups and the
// asymmetric padding of padding='same' with an even kernel (geometry resolved by the worker's convStep through
// engine/ops); the article example's numbers; and the protocol's checks of the new messages.
import { describe, expect, it } from 'vitest';
import { ops } from '../../engine/ops/registry';
import { Rng } from '../../engine/run/init';
import { convStep } from '../../webview/articleData';
import { convDemo } from '../../webview/convDemo';
import { parseFromWorker, parseToWebview, parseToWorker } from '../../webview/protocol';
import { cells, windowAt } from '../../webview/views/convStep/convStepModel';

const CASES: Array<{ name: string; x: number[]; w: number[]; attrs: Record<string, unknown> }> = [
  { name: 'conv2d x=[1,3,5,5] w=[2,3,3,3] s=2 p=1', x: [1, 3, 5, 5], w: [2, 3, 3, 3], attrs: { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 } },
  { name: 'conv2d x=[2,4,9,7] w=[6,2,3,2] s=(2,1) p=(0,1) d=(2,1) g=2', x: [2, 4, 9, 7], w: [6, 2, 3, 2], attrs: { stride: [2, 1], padding: [0, 1], dilation: [2, 1], groups: 2 } },
  { name: "conv2d x=[1,2,6,6] w=[3,2,4,4] padding='same' (asymmetric)", x: [1, 2, 6, 6], w: [3, 2, 4, 4], attrs: { stride: [1, 1], padding: [[1, 2], [1, 2]], dilation: [1, 1], groups: 1 } },
];

describe('convolution step-through data', () => {
  for (const c of CASES) {
    it(`${c.name}: every window's Σ + bias is the engine's output`, () => {
      const rng = new Rng(7);
      const n = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const input = { shape: c.x, data: rng.normalArray(n(c.x)) }, weight = { shape: c.w, data: rng.normalArray(n(c.w)) }, bias = { shape: [c.w[0]], data: rng.normalArray(c.w[0]) };
      const y = ops.conv2d.forward({ input, weight, bias }, c.attrs as never);
      const d = convStep({ op: 'conv2d', attrs: c.attrs, args: [input, weight, bias] }, y, c.x[0] - 1)!;
      expect([d.geometry.outChannels, d.geometry.outH, d.geometry.outW]).toEqual(y.shape.slice(1));
      for (let f = 0; f < d.geometry.outChannels; f++) {
        for (let p = 0; p < cells(d); p++) {
          const w = windowAt(d, f, p);
          expect(w.engine).toBe(y.data[((c.x[0] - 1) * d.geometry.outChannels + f) * cells(d) + p]);
          expect(Math.abs(w.total - w.engine)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w.engine)));
          expect(w.channels).toHaveLength(c.w[1]);
        }
      }
    });
  }

  it('the article example: 3×3×2 output, the first window of filter 0 as the article writes it', () => {
    const d = convDemo();
    expect(d.geometry).toMatchObject({ inChannels: 3, inH: 5, inW: 5, outChannels: 2, outH: 3, outW: 3, kernel: [3, 3], stride: [2, 2], padding: [[1, 1], [1, 1]] });
    const w = windowAt(d, 0, 0);
    expect(w.channels.map((ch) => ch.values)).toEqual([[0, 0, 0, 0, 0, 1, 0, 0, 1], [0, 0, 0, 0, 1, 1, 0, 0, 2], [0, 0, 0, 0, 2, 0, 0, 0, 0]]);
    expect(w.channels.map((ch) => ch.weights)).toEqual([[1, 1, -1, -1, 0, 1, -1, -1, 0], [-1, 0, -1, 0, 0, -1, 1, -1, 0], [0, 1, 0, 1, 0, 1, 0, -1, 1]]);
    expect(w.channels.map((ch) => ch.sum)).toEqual([1, -1, 0]);
    expect([w.bias, w.total, w.engine]).toEqual([1, 1, 1]);
  });
});

describe('protocol: the article views\' messages', () => {
  const base = { id: 1, file: '/ws/m.py', files: { '/ws/m.py': 'x' }, model: 'Net()', input: [[1, 1, 8, 8]] };
  it('run requests with capture, a variant and a loss; batch-size requests in bounds', () => {
    expect(parseToWorker({ ...base, type: 'run/request', mode: 'eval', capture: true, variant: { activation: 'gelu', removeBatchNorm: true }, loss: { kind: 'crossEntropy', target: 3 } })).toBeDefined();
    expect(parseToWorker({ ...base, type: 'run/request', mode: 'eval', variant: { activation: 'swish' } })).toBeUndefined();
    expect(parseToWorker({ ...base, type: 'run/request', mode: 'eval', loss: { kind: 'crossEntropy', target: 1.5 } })).toBeUndefined();
    expect(parseToWorker({ ...base, type: 'run/request', mode: 'eval', inputSpec: { kind: 'file', bytes: new Uint8Array(4) } })).toBeDefined();
    expect(parseToWorker({ ...base, type: 'bn/request', batch: 8, draws: 8 })).toBeDefined();
    expect(parseToWorker({ ...base, type: 'bn/request', batch: 1, draws: 8 })).toBeUndefined();
    expect(parseToWorker({ type: 'convDemo/request', id: 2 })).toBeDefined();
    expect(parseToWebview({ type: 'settings', settings: { loss: { kind: 'crossEntropy', target: 2 } } })).toBeDefined();
    expect(parseToWebview({ type: 'settings', settings: { loss: { kind: 'mse' } } })).toBeUndefined();
  });
  it('worker answers', () => {
    const conv = convDemo();
    expect(parseFromWorker({ type: 'convDemo/result', id: 2, conv })).toBeDefined();
    expect(parseFromWorker({ type: 'convDemo/result', id: 2, conv: { ...conv, input: { shape: [1], data: [1] } } })).toBeUndefined();
    const noise = { batch: 4, draws: 2, layers: [{ row: 1, channels: 2, mean: new Float32Array(4), var: new Float32Array(4) }], trainEval: [], output: { meanAbs: 0, maxAbs: 0 } };
    expect(parseFromWorker({ type: 'bn/result', id: 3, noise })).toBeDefined();
    expect(parseFromWorker({ type: 'bn/result', id: 3, noise: { ...noise, layers: [{ row: 1, channels: 2, mean: [0], var: [0] }] } })).toBeUndefined();
  });
});
