/// <reference types="mocha" />
// Hover text of a conv, a BatchNorm, an activation and a reused block, on the construction and on the call.
import * as assert from 'assert';
import { activateExtension, hoverText, openWorkspaceFile, positionOf } from './helpers';

suite('hover', () => {
  suiteSetup(async () => {
    await activateExtension();
  });

  test('Conv2d construction: shapes, params, MACs and the formulas with the numbers of this file', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(3, 64', 4));
    console.log('CONV HOVER:', JSON.stringify(text));
    assert.match(text, /\*\*Conv2d\*\* `conv1`/);
    assert.match(text, /input `\[1, 3, 224, 224\]` → output `\[1, 64, 112, 112\]`/);
    assert.match(text, /params \*\*9,472\*\* trainable — weight `\[64, 3, 7, 7\]` · bias `\[64\]`/);
    assert.match(text, /\*\*MACs 118,013,952\*\*/);
    assert.ok(text.includes('H_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112'), 'H_out formula');
    assert.ok(text.includes('W_out = ⌊(224 + 2·3 − 1·(7 − 1) − 1) / 2⌋ + 1 = 112'), 'W_out formula');
    assert.ok(text.includes('MACs = N·C_out·H_out·W_out·(C_in/groups)·K_h·K_w = 1·64·112·112·(3/1)·7·7 = 118,013,952'), 'MACs formula');
    assert.ok(text.includes('params = C_out·(C_in/groups)·K_h·K_w + C_out = 64·(3/1)·7·7 + 64 = 9,472'), 'params formula');
    assert.match(text, /output memory 3\.06 MiB/);
  });

  test('same layer from the left-hand side and from its call in forward', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const lhs = await hoverText(doc, positionOf(doc, 'self.conv1 =', 6));
    assert.match(lhs, /\*\*Conv2d\*\* `conv1`/);
    const call = await hoverText(doc, positionOf(doc, 'self.conv1(x)', 6));
    assert.match(call, /\*\*Conv2d\*\* `conv1`/);
    assert.match(call, /→ output `\[1, 64, 112, 112\]`/);
  });

  test('BatchNorm2d: what it normalizes over, 2C params, running buffers', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.BatchNorm2d(64)', 4));
    console.log('BN HOVER:', JSON.stringify(text));
    assert.match(text, /\*\*BatchNorm2d\*\* `bn1`/);
    assert.ok(text.includes('normalizes each of C = 64 channels over N·H·W = 1·112·112 = 12,544 values'), 'normalization extent');
    assert.ok(text.includes('params = 2·64 = 128'), '2C params');
    assert.ok(text.includes('running_mean [64], running_var [64]'), 'buffers');
  });

  test('activation: f, f′ and a caution', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Sigmoid()', 4));
    assert.match(text, /\*\*Sigmoid\*\* `act`/);
    assert.ok(text.includes('σ′ = σ(1 − σ)'), 'derivative');
    assert.match(text, /saturates/);
    assert.match(text, /MACs 0/);
  });

  test('MaxPool2d: the output size formula', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.MaxPool2d(', 4));
    assert.ok(text.includes('H_out = ⌊(112 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 56'), text);
  });

  test('reused block: each instance with its qualified name and shapes, then "…and k more"', async () => {
    const doc = await openWorkspaceFile('tiny_resnet.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.Conv2d(in_planes, planes, 3', 4));
    console.log('BLOCK HOVER:', JSON.stringify(text));
    assert.match(text, /\*\*6 instances\*\*/);
    assert.ok(text.includes('| `layer1.0.conv1` | [2, 16, 32, 32] | [2, 16, 32, 32] |'), 'first instance');
    assert.ok(text.includes('| `layer2.0.conv1` | [2, 16, 32, 32] | [2, 32, 16, 16] |'), 'strided instance');
    assert.ok(text.includes('…and 1 more'), 'more');
    assert.ok(!text.includes('layer3.1.conv1'), 'sixth instance folded');
  });

  test('no hover away from layers', async () => {
    const doc = await openWorkspaceFile('simple_cnn.py');
    const text = await hoverText(doc, positionOf(doc, 'import torch', 2));
    assert.ok(!text.includes('LayerLens'), text);
  });
});
