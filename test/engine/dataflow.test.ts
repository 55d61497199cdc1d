// The traced forward as a data-flow graph (AnalyzeOptions.dataflow): module calls and functional ops as
// nodes, residual adds and concatenations visible, edges carrying the tensors' shapes, identity modules
// passing tensors on, op nodes grouped under the block whose forward made them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, type Dataflow } from '../../engine';

const root = resolve(__dirname, '../..');
const hostOf = (files: Record<string, string>) => ({ readFile: (p: string) => files[p] });

function fixture(name: string, extra: Partial<Parameters<typeof analyze>[0]> = {}) {
  const dir = join(root, 'test/fixtures/cases', name);
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  return analyze({ file: '/ws/model.py', host: hostOf({ '/ws/model.py': readFileSync(join(dir, 'model.py'), 'utf8') }), model: c.model.includes("(") ? c.model : `${c.model}()`, input: [c.input], ...extra });
}

const into = (g: Dataflow, id: string) => g.edges.filter((e) => e.to === id).map((e) => e.from).sort();
const node = (g: Dataflow, pred: (n: Dataflow['nodes'][number]) => boolean) => { const n = g.nodes.find(pred); expect(n).toBeDefined(); return n!; };

describe('data-flow graph', () => {
  it('is absent unless asked for', () => {
    expect(fixture('simple_cnn').dataflow).toBeUndefined();
  });

  it('simple_cnn: a chain input → conv1 … fc → output, flatten between pool and fc, every row once', () => {
    const r = fixture('simple_cnn', { dataflow: true });
    const g = r.dataflow!;
    expect(g.truncated).toBe(false);
    expect(g.nodes.filter((n) => n.kind === 'module').map((n) => n.rowIndex).sort((a, b) => a! - b!)).toEqual(r.rows.map((_, i) => i));
    const flatten = node(g, (n) => n.kind === 'op' && n.label === 'flatten');
    expect(flatten.shape).toEqual([2, 256]);
    expect(flatten.loc?.line).toBeGreaterThan(0);
    const fc = node(g, (n) => n.kind === 'module' && r.rows[n.rowIndex!].name === 'fc');
    expect(into(g, fc.id)).toEqual([flatten.id]);
    expect(g.edges.find((e) => e.to === fc.id)!.shape).toEqual([2, 256]);
    expect(into(g, 'out')).toEqual([fc.id]);
    const conv1 = node(g, (n) => n.kind === 'module' && r.rows[n.rowIndex!].name === 'conv1');
    expect(into(g, conv1.id)).toEqual(['in0']);
    expect(conv1.loc).toEqual(r.rows[conv1.rowIndex!].callLoc);
  });

  it('tiny_resnet: each block ends in an add of its two branches, grouped under the block', () => {
    const r = fixture('tiny_resnet', { dataflow: true });
    const g = r.dataflow!;
    const adds = g.nodes.filter((n) => n.kind === 'op' && n.label === 'add');
    expect(adds.map((n) => n.module).sort()).toEqual(['block1', 'block2']);
    const add2 = adds.find((n) => n.module === 'block2')!;
    const names = into(g, add2.id).map((id) => r.rows[g.nodes.find((n) => n.id === id)!.rowIndex!].name).sort();
    expect(names).toEqual(['block2.bn2', 'block2.proj']);
    // block1 has no projection: the shortcut is the relu after the stem (an op of the model's own forward)
    const add1 = adds.find((n) => n.module === 'block1')!;
    const from = into(g, add1.id).map((id) => g.nodes.find((n) => n.id === id)!);
    expect(from.map((n) => `${n.kind}:${n.label}:${n.module}`).sort()).toEqual(['module:bn2:block1', 'op:relu:']);
    expect(g.edges.filter((e) => e.to === add1.id).every((e) => JSON.stringify(e.shape) === '[2,8,16,16]')).toBe(true);
  });

  it('an identity module (empty nn.Sequential shortcut) passes its input on and is drawn on the path', () => {
    const src = readFileSync(join(root, 'test/integration/workspace/tiny_resnet.py'), 'utf8');
    const r = analyze({ file: '/ws/tiny_resnet.py', host: hostOf({ '/ws/tiny_resnet.py': src }), model: 'TinyResNet()', input: [[1, 3, 32, 32]], dataflow: true });
    const g = r.dataflow!;
    const shortcut = node(g, (n) => n.kind === 'module' && r.rows[n.rowIndex!].name === 'layer1.0.shortcut');
    const add = node(g, (n) => n.kind === 'op' && n.label === 'add' && n.module === 'layer1.0');
    expect(into(g, add.id)).toContain(shortcut.id);
    const stem = node(g, (n) => n.kind === 'module' && r.rows[n.rowIndex!].name === 'stem');
    expect(into(g, shortcut.id)).toEqual([stem.id]);
    expect(into(g, node(g, (n) => n.kind === 'module' && r.rows[n.rowIndex!].name === 'layer1.0.conv1').id)).toEqual([stem.id]);
  });

  it('inception_mini: the branches meet in a cat whose output has the summed channels', () => {
    const g = fixture('inception_mini', { dataflow: true }).dataflow!;
    const cats = g.nodes.filter((n) => n.kind === 'op' && n.label === 'cat');
    expect(cats.length).toBe(2);
    for (const c of cats) {
      const ins = g.edges.filter((e) => e.to === c.id);
      expect(ins.length).toBe(4);
      expect(ins.reduce((s, e) => s + (e.shape[1] as number), 0)).toBe(c.shape![1]);
    }
  });
});
