// The run's extra captures for the Inspector's article views (engine/run/inspect.ts) against PyTorch 1.13
// (scripts/gen_inspector_expected.py → test/fixtures/inspector/digits_bn.json): BatchNorm's batch statistics
// and running buffers after one train-mode forward, gradient norms for loss = sum and for cross-entropy
// against class 3; what-if rewrites equal the same model written that way; activation curves are the kernels'.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runForwardPasses, runModel, type RunReport } from '../../engine/run/run';
import { writeSafetensors } from '../../engine/io/safetensors';
import { Rng } from '../../engine/run/init';
import { activationCurve } from '../../engine/run/inspect';
import { ops } from '../../engine/ops/registry';
import { convGeometry } from '../../engine/ops/conv2d';

const root = join(__dirname, '../..');
const dir = join(root, 'examples/digits');
const FILE = '/ws/model.py';
const src = readFileSync(join(dir, 'model.py'), 'utf8');
const weights = new Uint8Array(readFileSync(join(dir, 'digits.pth')));
const inputFile = new Uint8Array(readFileSync(join(dir, 'samples.safetensors')));
const fx = JSON.parse(readFileSync(join(root, 'test/fixtures/inspector/digits_bn.json'), 'utf8')) as {
  batchNorm: Record<string, { batchMean: number[]; batchVar: number[]; runningMeanBefore: number[]; runningVarBefore: number[]; runningMeanAfter: number[]; runningVarAfter: number[] }>;
  trainOutput: number[]; evalOutput: number[]; gradNormSumEval: Array<[string, number]>; gradNormCrossEntropy3Eval: Array<[string, number]>;
};

const run = (extra: Partial<Parameters<typeof runModel>[0]> = {}, source = src): RunReport =>
  runModel({ file: FILE, host: { readFile: (p) => (p === FILE ? source : undefined) }, model: 'DigitsCNN()', mode: 'eval', weights, weightsName: 'digits.pth', inputFile, ...extra });

function close(got: ArrayLike<number>, want: number[], rtol = 1e-4): void {
  const scale = Math.max(...want.map(Math.abs), 1e-12);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(rtol * Math.abs(want[i]) + 1e-5 * scale);
}

describe('Inspector captures (digits CNN, six sample digits, PyTorch 1.13)', () => {
  it('train mode: batch statistics and running buffers after the forward equal PyTorch\'s', () => {
    const r = run({ mode: 'train', capture: true });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const name of ['bn1', 'bn2']) {
      const i = r.rows.findIndex((x) => x.name === name);
      const c = r.captures![i]!;
      expect(c.op).toBe('batch_norm');
      close(c.batchStats!.mean, fx.batchNorm[name].batchMean);
      close(c.batchStats!.var, fx.batchNorm[name].batchVar);
      close(c.args[3]!.data, fx.batchNorm[name].runningMeanBefore);
      close(c.args[4]!.data, fx.batchNorm[name].runningVarBefore);
      close(c.buffersAfter!.mean.data, fx.batchNorm[name].runningMeanAfter);
      close(c.buffersAfter!.var.data, fx.batchNorm[name].runningVarAfter);
    }
  });

  it('conv and activation rows capture their op\'s arguments', () => {
    const r = run({ capture: true, keepTensors: true });
    const conv = r.captures![0]!;
    expect(conv.op).toBe('conv2d');
    expect(conv.args.map((a) => a?.shape)).toEqual([[6, 1, 16, 16], [8, 1, 3, 3], [8]]);
    expect(conv.attrs).toMatchObject({ stride: [1, 1], dilation: [1, 1], groups: 1 });
    // the trace's padding, however spelled, resolves to one row of zeros on each side
    expect(convGeometry([3, 3], conv.attrs as never).padding).toEqual([[1, 1], [1, 1]]);
    const elu = r.captures![r.rows.findIndex((x) => x.name === 'elu')]!;
    expect(elu).toMatchObject({ op: 'elu', attrs: { alpha: 1 } });
    // the activation's input is the BatchNorm's output
    expect(elu.args[0]!.data).toEqual(r.tensors![r.rows.findIndex((x) => x.name === 'bn2')].output.data);
    expect(r.captures![r.rows.findIndex((x) => x.name === 'fc')]).toBeUndefined();
  });

  it('gradient norms for loss = sum and for cross-entropy against class 3 equal PyTorch\'s', () => {
    for (const [loss, want] of [[undefined, fx.gradNormSumEval], [{ kind: 'crossEntropy' as const, target: 3 }, fx.gradNormCrossEntropy3Eval]] as const) {
      const r = run({ loss });
      close(r.rows.map((x) => x.gradNorm!), want.map(([, v]) => v));
      expect(r.rows.map((x) => x.name)).toEqual(want.map(([k]) => k));
    }
    const bad = run({ loss: { kind: 'crossEntropy', target: 10 } });
    expect(bad.diagnostics.find((d) => d.severity === 'error')?.message).toMatch(/class 10 is not one of the model's 10 classes/);
  });

  it('what-if runs equal the model written that way', () => {
    const asRelu = src.replace('self.elu = nn.ELU()', 'self.elu = nn.ReLU()');
    const a = run({ variant: { activation: 'relu' } }), b = run({}, asRelu);
    expect(a.rows.map((x) => x.gradNorm)).toEqual(b.rows.map((x) => x.gradNorm));
    expect(a.outputStats).toEqual(b.outputStats);
    const noBn = src.replace('self.bn1(self.conv1(x))', 'self.conv1(x)').replace('self.bn2(self.conv2(x))', 'self.conv2(x)');
    const c = run({ variant: { removeBatchNorm: true } }), d = run({}, noBn);
    expect(c.outputStats).toEqual(d.outputStats);
    const fwd = run({ backward: false });
    expect(fwd.rows.every((x) => x.gradNorm === null && x.stats !== null)).toBe(true);
  });

  it('forward passes over several inputs (one analysis) equal a run per input', () => {
    const xs = [1, 2, 3].map((k) => ({ shape: [4, 1, 16, 16], data: new Rng(k).normalArray(4 * 256) }));
    const passes = runForwardPasses({ file: FILE, host: { readFile: (p) => (p === FILE ? src : undefined) }, model: 'DigitsCNN()', input: [[4, 1, 16, 16]], mode: 'train', weights, weightsName: 'digits.pth', capture: true }, xs.map((x) => [x]));
    expect(passes).toHaveLength(3);
    passes.forEach((r, k) => {
      const one = run({ mode: 'train', capture: true, inputFile: writeSafetensors({ input: xs[k] }), backward: false });
      expect(r.rows.map((x) => x.stats)).toEqual(one.rows.map((x) => x.stats));
      const i = r.rows.findIndex((x) => x.name === 'bn2');
      expect(Array.from(r.captures![i]!.batchStats!.mean)).toEqual(Array.from(one.captures![i]!.batchStats!.mean));
    });
  });

  it('activation curves are the kernels\' forward and backward', () => {
    const xs = Float32Array.from([-3, -1, -0.5, 0, 0.5, 1, 3]);
    const { f, df } = activationCurve('elu', { alpha: 1 }, xs);
    expect(Array.from(f)).toEqual(Array.from(ops.elu.forward({ input: { shape: [7], data: xs } }, { alpha: 1 }).data));
    for (let i = 0; i < xs.length; i++) {
      expect(f[i]).toBeCloseTo(xs[i] > 0 ? xs[i] : Math.expm1(xs[i]), 6);
      expect(df[i]).toBeCloseTo(xs[i] > 0 ? 1 : Math.exp(xs[i]), 6);
    }
    const s = activationCurve('sigmoid', {}, xs);
    for (let i = 0; i < xs.length; i++) expect(s.f[i]).toBeCloseTo(1 / (1 + Math.exp(-xs[i])), 6);
  });
});
