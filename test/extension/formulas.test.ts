// The hover's formula text with the user's numbers, checked against rows written by hand (no vscode,
// no analysis): each line formats the row's resolved geometry and cost terms, and must agree with the
// row or be left out. The last block checks that analysis puts those terms on real rows.
import { describe, expect, it } from 'vitest';
import type { CostFactor, LayerGeometry, Row } from '../../engine';
import { analyze } from '../../engine';
import { activationNote, batchNormNotes, layerFormulas } from '../../extension/providers/formulas';
import { hoverMarkdown } from '../../extension/providers/hoverContent';
import { formatShapes, parseShapes } from '../../extension/analysis/shapes';

function row(p: Partial<Row> & Pick<Row, 'type' | 'inputs' | 'output'>): Row {
  return { name: 'layer', params: 0, trainableParams: 0, paramShapes: [], macs: 0, flops: 0, outputBytes: null, config: {}, callIndex: 0, ...p };
}

const f = (name: string, value: number): CostFactor => ({ name, value });
const q = (name: string, num: number, den: number): CostFactor => ({ name, value: num / den, num, den });
function geo(p: Partial<LayerGeometry> & Pick<LayerGeometry, 'op' | 'kernel' | 'inputSize' | 'outputSize'>): LayerGeometry {
  const n = p.kernel.length;
  return { stride: Array(n).fill(1), padding: Array(n).fill([0, 0]), dilation: Array(n).fill(1), groups: 1, ...p };
}

const conv1 = row({
  name: 'conv1', type: 'Conv2d', inputs: [[1, 3, 224, 224]], output: [1, 64, 112, 112], params: 9472, trainableParams: 9472, macs: 118013952,
  config: { in_channels: 3, out_channels: 64, kernel_size: [7, 7], stride: [2, 2], padding: [3, 3], dilation: [1, 1], groups: 1 },
  geometry: geo({ op: 'conv', kernel: [7, 7], stride: [2, 2], padding: [[3, 3], [3, 3]], inputSize: [224, 224], outputSize: [112, 112] }),
  cost: { macs: [f('N', 1), f('C_out', 64), f('H_out', 112), f('W_out', 112), q('C_in/groups', 3, 1), f('K_H', 7), f('K_W', 7)], weight: [f('C_out', 64), q('C_in/groups', 3, 1), f('K_H', 7), f('K_W', 7)], bias: 64 },
  paramShapes: [{ name: 'weight', shape: [64, 3, 7, 7], numel: 9408, trainable: true, shared: false }, { name: 'bias', shape: [64], numel: 64, trainable: true, shared: false }],
});

describe('layerFormulas', () => {
  it('conv2d x=[1,3,224,224] k=7 s=2 p=3: the article example', () => {
    expect(layerFormulas(conv1)).toEqual([
      'H_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112',
      'W_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112',
      'MACs = 64 · 112 · 112 · (3/1) · 7 · 7 = 118,013,952',
      'params = 64·3·7·7 + 64 = 9,472',
    ]);
  });

  it('conv2d scalar config, batch 2, groups 4, no bias', () => {
    const r = row({
      type: 'Conv2d', inputs: [[2, 32, 15, 15]], output: [2, 64, 8, 8], params: 64 * 8 * 9, macs: 2 * 64 * 64 * 8 * 9,
      geometry: geo({ op: 'conv', kernel: [3, 3], stride: [2, 2], padding: [[1, 1], [1, 1]], groups: 4, inputSize: [15, 15], outputSize: [8, 8] }),
      cost: { macs: [f('N', 2), f('C_out', 64), f('H_out', 8), f('W_out', 8), q('C_in/groups', 32, 4), f('K_H', 3), f('K_W', 3)], weight: [f('C_out', 64), q('C_in/groups', 32, 4), f('K_H', 3), f('K_W', 3)], bias: 0 },
      paramShapes: [{ name: 'weight', shape: [64, 8, 3, 3], numel: 4608, trainable: true, shared: false }],
    });
    expect(layerFormulas(r)).toEqual([
      'H_out = ⌊(15 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 8',
      'W_out = ⌊(15 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 8',
      'MACs = 2 · 64 · 8 · 8 · (32/4) · 3 · 3 = 589,824',
      'params = 64·(32/4)·3·3 = 4,608',
    ]);
  });

  it("conv1d padding='same' with an even kernel pads unevenly", () => {
    const r = row({ type: 'Conv1d', inputs: [[1, 12, 1000]], output: [1, 16, 1000], params: 16 * 12 * 4, macs: 16 * 1000 * 12 * 4, geometry: geo({ op: 'conv', kernel: [4], padding: [[1, 2]], inputSize: [1000], outputSize: [1000] }) });
    expect(layerFormulas(r)[0]).toBe('L_out = ⌊(1000 + (1 + 2) − 1·(4 − 1) − 1) / 1⌋ + 1 = 1000');
  });

  it('leaves the formulas out when they would disagree with the row', () => {
    expect(layerFormulas({ ...conv1, output: [1, 64, 111, 111] })).toEqual([]);
    expect(layerFormulas({ ...conv1, macs: 1 })).not.toContainEqual(expect.stringMatching(/^MACs/));
  });

  it('convtranspose2d x=[1,16,7,7] k=3 s=2 p=1 op=1', () => {
    const r = row({ type: 'ConvTranspose2d', inputs: [[1, 16, 7, 7]], output: [1, 8, 14, 14], params: 16 * 8 * 9 + 8, macs: 16 * 49 * 8 * 9,
      geometry: geo({ op: 'conv_transpose', kernel: [3, 3], stride: [2, 2], padding: [[1, 1], [1, 1]], outputPadding: [1, 1], inputSize: [7, 7], outputSize: [14, 14] }),
      cost: { macs: [f('N', 1), f('C_in', 16), f('H_in', 7), f('W_in', 7), q('C_out/groups', 8, 1), f('K_H', 3), f('K_W', 3)], weight: [f('C_in', 16), q('C_out/groups', 8, 1), f('K_H', 3), f('K_W', 3)], bias: 8 },
      paramShapes: [{ name: 'weight', shape: [16, 8, 3, 3], numel: 1152, trainable: true, shared: false }, { name: 'bias', shape: [8], numel: 8, trainable: true, shared: false }] });
    expect(layerFormulas(r)).toEqual([
      'H_out = (7 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 14',
      'W_out = (7 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 14',
      'MACs = 16 · 7 · 7 · (8/1) · 3 · 3 = 56,448',
      'params = 16·8·3·3 + 8 = 1,160',
    ]);
  });

  it('maxpool2d ceil_mode drops a window that starts in the padding', () => {
    const r = row({ type: 'MaxPool2d', inputs: [[1, 1, 5, 5]], output: [1, 1, 3, 3], geometry: geo({ op: 'max_pool', kernel: [2, 2], stride: [2, 2], padding: [[1, 1], [1, 1]], ceilMode: true, droppedLastWindow: [true, true], inputSize: [5, 5], outputSize: [3, 3] }) });
    expect(layerFormulas(r)[0]).toMatch(/^H_out = ⌈\(5 \+ 2·1 − 1·\(2 − 1\) − 1\) \/ 2⌉ \+ 1 = 3 \(last window/);
  });

  it('linear on [2, 400] → [2, 10]', () => {
    const r = row({ type: 'Linear', inputs: [[2, 400]], output: [2, 10], params: 4010, macs: 8000, config: { in_features: 400, out_features: 10 },
      cost: { macs: [f('N', 2), f('in_features', 400), f('out_features', 10)], weight: [f('out_features', 10), f('in_features', 400)], bias: 10 },
      paramShapes: [{ name: 'weight', shape: [10, 400], numel: 4000, trainable: true, shared: false }, { name: 'bias', shape: [10], numel: 10, trainable: true, shared: false }] });
    expect(layerFormulas(r)).toEqual(['MACs = 2 · 400 · 10 = 8,000', 'params = 10·400 + 10 = 4,010']);
  });
});

describe('rows carry the terms the engine resolved', () => {
  const src = [
    'import torch.nn as nn',
    'class M(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    "        self.c = nn.Conv1d(12, 16, 4, padding='same')",
    '        self.p = nn.MaxPool1d(2, ceil_mode=True, padding=1)',
    '        self.t = nn.ConvTranspose1d(16, 8, 3, stride=2, padding=1, output_padding=1, groups=2)',
    '        self.l = nn.Linear(6, 5)',
    '    def forward(self, x):',
    '        return self.l(self.t(self.p(self.c(x))))',
  ].join('\n');
  const rows = analyze({ file: '/m.py', host: { readFile: (p) => (p === '/m.py' ? src : undefined) }, model: 'M', input: [[2, 12, 5]] }).rows;
  const by = (n: string): Row => rows.find((r) => r.name === n)!;

  it("conv1d padding='same' resolves to (1, 2) and its MACs factor into the row's MACs", () => {
    expect(by('c').geometry).toMatchObject({ op: 'conv', kernel: [4], padding: [[1, 2]], inputSize: [5], outputSize: [5] });
    expect(layerFormulas(by('c'))).toEqual([
      'L_out = ⌊(5 + (1 + 2) − 1·(4 − 1) − 1) / 1⌋ + 1 = 5',
      'MACs = 2 · 16 · 5 · (12/1) · 4 = 7,680',
      'params = 16·12·4 + 16 = 784',
    ]);
  });

  it('maxpool1d stride defaults to the kernel; ceil_mode marks the dropped window', () => {
    expect(by('p').geometry).toMatchObject({ op: 'max_pool', stride: [2], padding: [[1, 1]], ceilMode: true, droppedLastWindow: [true], inputSize: [5], outputSize: [3] });
    expect(by('p').cost).toBeUndefined();
  });

  it('conv_transpose1d and linear carry their cost factors', () => {
    expect(layerFormulas(by('t'))).toContain('params = 16·(8/2)·3 + 8 = 200');
    expect(by('t').macs).toBe(2 * 16 * 3 * 4 * 3);
    expect(layerFormulas(by('l'))).toEqual(['MACs = 16 · 6 · 5 = 480', 'params = 5·6 + 5 = 35']);
  });
});

describe('notes', () => {
  it('batchnorm2d normalizes over N·H·W per channel', () => {
    const r = row({ type: 'BatchNorm2d', inputs: [[8, 64, 56, 56]], output: [8, 64, 56, 56], params: 128, config: { num_features: 64, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true } });
    const notes = batchNormNotes(r);
    expect(notes[0]).toBe('normalizes each of C = 64 channels over N·H·W = 8·56·56 = 25,088 values');
    expect(notes[1]).toBe('params = 2·64 = 128 (γ = weight [64], β = bias [64])');
  });

  it('activations come from the engine catalogue, softmax from here', () => {
    expect(activationNote('Sigmoid')?.df).toContain('σ′ = σ(1 − σ)');
    expect(activationNote('Tanh')?.df).toContain('1 − tanh²');
    expect(activationNote('ELU')?.f).toContain('α(eˣ − 1)');
    expect(activationNote('ReLU')?.caution).toMatch(/dead ReLU/);
    expect(activationNote('Softmax')?.df).toContain('s_i(δ_ij − s_j)');
    expect(activationNote('Conv2d')).toBeUndefined();
  });
});

describe('hoverMarkdown', () => {
  it('lists a few instances, then "…and k more"', () => {
    const rows = [0, 1, 2, 3].map((i) => ({ ...conv1, name: `layer${i}.conv1` }));
    const md = hoverMarkdown(rows, { flopsConvention: 'macs', maxInstances: 2 });
    expect(md).toContain('**4 instances** (4 calls):');
    expect(md).toContain('- `layer1.conv1` `[1, 3, 224, 224]` → `[1, 64, 112, 112]`');
    expect(md).not.toContain('layer2.conv1');
    expect(md).toContain('- …and 2 more');
  });

  it('puts the chosen count first', () => {
    expect(hoverMarkdown([conv1], { flopsConvention: 'flops', maxInstances: 5 })).toMatch(/\*\*FLOPs 0\*\* · MACs 118,013,952/);
  });
});

describe('input shapes as typed', () => {
  it.each([
    ['1, 3, 224, 224', [[1, 3, 224, 224]]],
    ['(1, 3, 224, 224)', [[1, 3, 224, 224]]],
    ['1x3x32x32', [[1, 3, 32, 32]]],
    ['(1, 3, 32, 32), (1, 10)', [[1, 3, 32, 32], [1, 10]]],
  ])('%s', (text, shapes) => {
    expect(parseShapes(text)).toEqual(shapes);
    expect(parseShapes(formatShapes(shapes))).toEqual(shapes);
  });

  it.each(['', '1, -3', '1, 3.5', 'abc', '0, 3'])('rejects %j', (text) => {
    expect(parseShapes(text)).toBeUndefined();
  });
});
