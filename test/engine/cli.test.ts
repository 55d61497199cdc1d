// The `layerlens summary` command line: output, model/input discovery, exit status.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../engine/cli/cli';
import { diskHost } from './support/nodeHost';
import { createNodePool } from '../../engine/node/nodePool';
import type { ComputePool } from '../../engine/ops/pool/pool';
import { POOL_WORKER } from './ops/globalSetup';
// @ts-expect-error plain ESM helper without types
import { torchvisionRoot } from '../../scripts/fetchTorchvision.mjs';

const root = resolve(__dirname, '../..');

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '', err = '';
  const code = runCli(args, { host: diskHost(), cwd: root, readBytes: (p) => { try { return new Uint8Array(require('node:fs').readFileSync(p)); } catch { return undefined; } }, out: (s) => { out += s; }, err: (s) => { err += s; } });
  if (typeof code !== 'number') throw new Error('summary runs synchronously');
  return { code, out, err };
}

async function cliAsync(args: string[], pool?: () => ComputePool, poolMinMacs?: number): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(args, { host: diskHost(), cwd: root, pool, poolMinMacs, readBytes: (p) => { try { return new Uint8Array(readFileSync(p)); } catch { return undefined; } }, out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe('layerlens summary', () => {
  it('prints the torchinfo-like table of the bundled example, model and input taken from the file', () => {
    const r = cli(['summary', 'examples/resnet_cifar.py']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model: resnet20()    Input: [1, 3, 32, 32]');
    expect(r.out).toMatch(/layer3\.2\.conv2 \(Conv2d\)\s+\[1, 64, 8, 8\]\s+36,864\s+2,359,296/);
    expect(r.out).toContain('Total params: 272,474');
    expect(r.out).toContain('Total MACs: 40,813,184');
  });
  it('--json prints the contract', () => {
    const dir = join(root, 'test/fixtures/cases/simple_cnn');
    const r = cli(['summary', join(dir, 'model.py'), '--model', 'SimpleCNN()', '--input', '2,3,16,16', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(readFileSync(join(dir, 'expected_summary.json'), 'utf8')));
  });
  it('a bare class name means calling it with no arguments', () => {
    const r = cli(['summary', 'test/fixtures/cases/tiny_resnet/model.py', '--model', 'TinyResNet', '--input=2,3,16,16', '--json']);
    expect(JSON.parse(r.out).model).toBe('TinyResNet');
    expect(JSON.parse(r.out).totals.params).toBe(JSON.parse(readFileSync(join(root, 'test/fixtures/cases/tiny_resnet/expected_summary.json'), 'utf8')).totals.params);
  });
  it('takes the input from an example tensor passed to the model', () => {
    const r = cli(['summary', 'examples/lenet.py', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).inputs).toEqual([[8, 1, 28, 28]]);
  });
  it('--depth merges rows into their blocks', () => {
    const r = cli(['summary', 'examples/lenet.py', '--depth', '1']);
    expect(r.out).toMatch(/features \(Sequential\)\s+\[8, 16, 5, 5\]\s+2,572/);
  });
  it('exit 1 with file:line:col diagnostics on analysis errors', () => {
    const r = cli(['summary', 'test/engine/samples/channels.py']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/channels\.py:9:19: error: Conv2d expects 64 input channels, gets 32/);
  });
  it('exit 2 when the file defines several models and none is chosen, listing them', () => {
    const r = cli(['summary', join(torchvisionRoot() as string, 'torchvision/models/resnet.py'), '--input', '1,3,224,224']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('resnet18()');
  });
  it('exit 2 and says what to add when there is no input shape', () => {
    const r = cli(['summary', 'test/fixtures/cases/mlp_tanh/model.py']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('# layerlens: input=');
  });
  it('exit 2 on usage errors', () => {
    expect(cli(['summary']).code).toBe(2);
    expect(cli(['summary', 'nope.py']).code).toBe(2);
    expect(cli(['summary', 'examples/lenet.py', '--input', '1,a']).code).toBe(2);
    expect(cli(['summary', 'examples/lenet.py', '--frobnicate']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.err).toContain('usage: layerlens summary');
  });
});

describe('layerlens run', () => {
  const dir = 'test/fixtures/cases/tiny_resnet';
  const args = ['run', `${dir}/model.py`, '--model', 'TinyResNet', '--input-file', `${dir}/input.safetensors`, '--weights', `${dir}/weights.safetensors`, '--mode', 'train', '--json'];
  it('prints the run contract; the same numbers on one thread and on a two-thread compute pool', async () => {
    const one = await cliAsync(args);
    const two = await cliAsync(args, () => createNodePool({ threads: 2, script: POOL_WORKER }), 0);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const a = JSON.parse(one.out), b = JSON.parse(two.out);
    expect(a.mode).toBe('train');
    expect(a.layers.map((l: { name: string }) => l.name)).toEqual(b.layers.map((l: { name: string }) => l.name));
    a.layers.forEach((l: { stats: { mean: number }; gradNorm: number }, i: number) => {
      expect(b.layers[i].stats.mean).toBeCloseTo(l.stats.mean, 5);
      expect(b.layers[i].gradNorm).toBeCloseTo(l.gradNorm, 4);
    });
    expect(a.timings).toHaveProperty('backwardMs');
  });
  it('--repeat N: the same numbers as one pass, with the median warm timings beside the first pass\'s (one thread and the pool)', async () => {
    const once = JSON.parse((await cliAsync(args)).out);
    for (const pool of [undefined, () => createNodePool({ threads: 2, script: POOL_WORKER })]) {
      const r = await cliAsync([...args, '--repeat', '3'], pool, 0);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.layers).toEqual(once.layers);
      expect(j.outputStats).toEqual(once.outputStats);
      expect(j.timings.warmPasses).toBe(3);
      expect(j.timings.warmForwardMs).toBeGreaterThan(0);
      expect(j.timings.warmBackwardMs).toBeGreaterThan(0);
    }
    expect(once.timings).not.toHaveProperty('warmForwardMs');
    const table = await cliAsync([...args.filter((x) => x !== '--json'), '--repeat=2']);
    expect(table.out).toMatch(/warm \(median of 2\): forward [\d.]+ ms, backward [\d.]+ ms/);
    const bad = await cliAsync([...args, '--repeat', '-1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--repeat needs a whole number');
    expect((await cliAsync(['summary', `${dir}/model.py`, '--repeat', '2'])).err).toContain('--repeat belongs to `layerlens run`');
  });
  it('a table without --json; exit 1 naming the problem for a broken weights file; 2 for a missing one', async () => {
    const table = await cliAsync(args.filter((x) => x !== '--json'));
    expect(table.out).toMatch(/Mode: train/);
    expect(table.out).toMatch(/block2\.proj \(Conv2d\)/);
    const bad = await cliAsync([...args.slice(0, 6), '--weights', `${dir}/model.py`]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad weights file/);
    expect((await cliAsync([...args.slice(0, 6), '--weights', 'nope.safetensors'])).code).toBe(2);
  });
});

describe('layerlens weights', () => {
  const ck = 'test/fixtures/checkpoints';
  it('lists every tensor of a nested checkpoint with dtype, shape, numel and statistics, and the other entries', () => {
    const r = cli(['weights', `${ck}/tinynet_model_optimizer.pth`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("(PyTorch checkpoint, state_dict under 'model')");
    expect(r.out).toMatch(/bn\.num_batches_tracked\s+int64\s+\[\]\s+1\s+8\.0000\s+8\.0000/);
    expect(r.out).toMatch(/conv\.weight\s+float32\s+\[2, 1, 3, 3\]\s+18\s/);
    expect(r.out).toContain('Tensors: 9    Total values: 56 (55 floating point)');
    expect(r.out).toContain('Other entries: epoch = 3');
  });
  it('--json: the statistics are those of the tensors torch.load returns', () => {
    const r = cli(['weights', `${ck}/tinynet_state_dict.pth`, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out), ref = JSON.parse(readFileSync(join(root, ck, 'tinynet_state_dict.pth.json'), 'utf8')).expect.tensors;
    expect(j.format).toBe('pytorch');
    expect(j.tensors.map((t: { name: string }) => t.name)).toEqual(Object.keys(ref));
    const w = j.tensors.find((t: { name: string }) => t.name === 'fc.weight'), vals = ref['fc.weight'].data as number[];
    expect(w).toMatchObject({ dtype: 'float32', shape: [3, 8], numel: 24 });
    expect(w.min).toBe(Math.fround(Math.min(...vals)));
    expect(w.max).toBe(Math.fround(Math.max(...vals)));
    expect(w.mean).toBeCloseTo(vals.reduce((a, b) => a + b, 0) / vals.length, 6);
    expect(j.totals).toEqual({ tensors: 9, numel: 56 });
  });
  it('safetensors files too', () => {
    const r = cli(['weights', 'test/fixtures/cases/simple_cnn/weights.safetensors']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/fc\.weight\s+float32\s+\[10, 256\]\s+2,560/);
  });
  it('--model-file: the load_state_dict comparison; module. stripped when that fits; exit 1 on mismatches', () => {
    const ok = cli(['weights', `${ck}/tinynet_dataparallel.bin`, '--model-file', `${ck}/tinynet.py`]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("note: stripped the 'module.' prefix from every key (saved from DataParallel/DDP)");
    expect(ok.out).toContain('Model: TinyNet()    parameters 51, buffers 5');
    expect(ok.out).toContain('load_state_dict(strict=True): <All keys matched successfully>');
    const dir = mkdtempSync(join(tmpdir(), 'layerlens-weights-'));
    writeFileSync(join(dir, 'wide.py'), readFileSync(join(root, ck, 'tinynet.py'), 'utf8').replace('nn.Linear(8, 3)', 'nn.Linear(8, 4)').replace('self.bn = nn.BatchNorm2d(2)', 'self.norm = nn.BatchNorm2d(2)'));
    const bad = cli(['weights', `${ck}/tinynet_state_dict.pth`, '--model-file', join(dir, 'wide.py'), '--json']);
    expect(bad.code).toBe(1);
    const m = JSON.parse(bad.out).model;
    expect(m.ok).toBe(false);
    expect(m.missing).toEqual(['norm.weight', 'norm.bias', 'norm.running_mean', 'norm.running_var', 'norm.num_batches_tracked']);
    expect(m.unexpected).toEqual(['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
    expect(m.messages).toContain('size mismatch for fc.weight: copying a param with shape [3, 8] from checkpoint, the shape in current model is [4, 8].');
  });
  it('a hostile or legacy file is refused with its message (exit 1); usage errors exit 2', () => {
    const h = cli(['weights', `${ck}/hostile_eval.pth`]);
    expect(h.code).toBe(1);
    expect(h.err).toMatch(/refused global __builtin__\.eval.*nothing was run/);
    expect(cli(['weights', `${ck}/legacy.pth`]).err).toMatch(/legacy torch\.save format/);
    expect(cli(['weights', `${ck}/nope.pth`]).code).toBe(2);
    expect(cli(['weights', `${ck}/tinynet_state_dict.pth`, '--model', 'TinyNet']).code).toBe(2);
    expect(cli(['weights', `${ck}/tinynet_state_dict.pth`, '--model-file', 'nope.py']).code).toBe(2);
    expect(cli(['summary', `${ck}/tinynet.py`, '--model-file', 'x.py']).code).toBe(2);
  });
});

describe('layerlens run --weights with PyTorch checkpoints', () => {
  const ck = 'test/fixtures/checkpoints';
  it('.pth, .pt and .bin give the same numbers as the state_dict they hold; the module. repair is reported', () => {
    const run = (w: string, extra: string[] = []) => cli(['run', `${ck}/tinynet.py`, '--weights', `${ck}/${w}`, '--json', ...extra]);
    const base = run('tinynet_protocol1.pth'); // all of these hold the state after the optimizer step
    expect(base.code).toBe(0);
    expect(JSON.parse(base.out).layers).not.toEqual(JSON.parse(run('tinynet_state_dict.pth').out).layers);
    for (const w of ['tinynet_model_optimizer.pth', 'tinynet_nested.pt', 'tinynet_dataparallel.bin', 'tinynet_protocol4.pth']) {
      const r = run(w);
      expect(r.code, w).toBe(0);
      expect(JSON.parse(r.out).layers, w).toEqual(JSON.parse(base.out).layers);
    }
    expect(run('tinynet_dataparallel.bin').err).toContain("stripped the 'module.' prefix");
    expect(run('tinynet_nested.pt', ['--weights-key', 'state_dict']).code).toBe(0);
    const wrongKey = run('tinynet_nested.pt', ['--weights-key', 'model']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toMatch(/no tensor dictionary at 'model'/);
    const whole = run('whole_module.pth');
    expect(whole.code).toBe(1);
    expect(whole.err).toMatch(/bad weights file: .*__main__\.Net.*torch\.save\(model\.state_dict\(\)/);
  });
});
