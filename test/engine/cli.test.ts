// The `layerlens summary` command line: output, model/input discovery, exit status.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../../engine/cli/cli';
import { diskHost } from './support/nodeHost';
import { createNodePool } from '../../engine/ops/node/nodePool';
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
