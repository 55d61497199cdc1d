// The Inspector views' data models in Node (no browser): the summary's folding, sorting, filtering and
// honest totals; the graph's folded blocks and dagre layout; the Conv → norm → activation chain; the
// synthetic input patterns and per-channel statistics the worker computes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACTIVATIONS, analyze, type Report } from '../../engine';
import { filterRows, maxDepth, sortRows, tableRows, totalsOf } from '../../webview/views/summary/summaryModel';
import { blocksAtDepth, layoutGraph } from '../../webview/views/graph/graphModel';
import { ACTIVATION, chainAround } from '../../webview/views/featureMaps/chain';
import { patternTensor } from '../../webview/inputPatterns';
import { channelStats } from '../../webview/channelStats';

const root = resolve(__dirname, '../..');
const tiny = (): Report => {
  const src = readFileSync(join(root, 'test/fixtures/cases/tiny_resnet/model.py'), 'utf8');
  return analyze({ file: '/ws/model.py', host: { readFile: (p) => (p === '/ws/model.py' ? src : undefined) }, model: 'TinyResNet()', input: [[2, 3, 16, 16]], dataflow: true });
};

describe('summary model', () => {
  const r = tiny();
  it('one line per row in forward order; depth 1 folds each block into one line with summed params and MACs', () => {
    expect(tableRows(r, null).map((l) => l.name)).toEqual(r.rows.map((x) => x.name));
    const folded = tableRows(r, 1);
    expect(folded.map((l) => l.name)).toEqual(['stem', 'bn', 'block1', 'block2', 'pool', 'fc']);
    const b2 = folded.find((l) => l.name === 'block2')!;
    const inside = r.rows.filter((x) => x.name.startsWith('block2.'));
    expect(b2).toMatchObject({ type: 'Block', count: inside.length, folded: true, params: inside.reduce((s, x) => s + x.params, 0), macs: inside.reduce((s, x) => s + x.macs!, 0), incomplete: false });
    expect(b2.index).toBe(r.rows.findIndex((x) => x.name === 'block2.conv1'));
    expect(b2.mean).toBeNull(); // a block has no statistics of its own
    expect(maxDepth(r.rows)).toBe(2);
  });

  it('sorts by a column (unknowns last), filters by name or type', () => {
    const lines = tableRows(r, null);
    const byMacs = sortRows(lines, 'macs', true).map((l) => l.macs);
    expect(byMacs).toEqual([...byMacs].sort((a, b) => b! - a!));
    expect(sortRows(lines, 'name', false)[0].name).toBe('block1.bn1');
    expect(filterRows(lines, 'BatchNorm').every((l) => l.type === 'BatchNorm2d')).toBe(true);
    expect(filterRows(lines, 'block2.c').map((l) => l.name)).toEqual(['block2.conv1', 'block2.conv2']);
    const withUnknown = [{ ...lines[0], macs: null }, ...lines.slice(1)];
    expect(sortRows(withUnknown, 'macs', true).pop()!.macs).toBeNull();
    expect(sortRows(withUnknown, 'macs', false).pop()!.macs).toBeNull();
  });

  it('totals are the engine\'s, and a lower bound marked incomplete when a row\'s MACs is unknown', () => {
    expect(totalsOf(r)).toMatchObject({ params: r.totals.params, macs: r.totals.macs, macsIncomplete: false });
    const rows = r.rows.map((x, i) => (i === 2 ? { ...x, macs: null } : x));
    const t = totalsOf({ rows, totals: { ...r.totals, macs: null } });
    expect(t).toMatchObject({ macsIncomplete: true, macsUnknownRows: 1, macs: r.totals.macs! - r.rows[2].macs! });
    const folded = tableRows({ rows, modules: r.modules }, 1).find((l) => l.name === 'block1')!;
    expect(folded.incomplete).toBe(true);
  });
});

describe('graph model', () => {
  const r = tiny();
  const width = (s: string) => 7 * s.length;
  it('lays out every node and edge of the data-flow graph, blocks as clusters', () => {
    const lay = layoutGraph(r.dataflow!, r, new Set(), width);
    expect(lay.nodes.length).toBe(r.dataflow!.nodes.length);
    expect(lay.edges.length).toBe(r.dataflow!.edges.length);
    expect(lay.clusters.map((c) => c.block).sort()).toEqual(['block1', 'block2']);
    for (const n of lay.nodes) { expect(Number.isFinite(n.x) && Number.isFinite(n.y)).toBe(true); }
    // top to bottom: the input above the output
    expect(lay.nodes.find((n) => n.id === 'in0')!.y).toBeLessThan(lay.nodes.find((n) => n.id === 'out')!.y);
  });

  it('a folded block is one node with its rows\' summed MACs; edges into it are re-routed, none inside', () => {
    const lay = layoutGraph(r.dataflow!, r, new Set(blocksAtDepth(r.dataflow!, 1)), width);
    const b1 = lay.nodes.find((n) => n.id === 'blk:block1')!;
    const rows = r.rows.map((x, i) => [x, i] as const).filter(([x]) => x.name.startsWith('block1.'));
    expect(b1.rows.sort((a, b) => a - b)).toEqual(rows.map(([, i]) => i));
    expect(b1.macs).toBe(rows.reduce((s, [x]) => s + x.macs!, 0));
    expect(lay.clusters).toEqual([]);
    expect(lay.edges.some((e) => e.from === 'blk:block1' && e.to === 'blk:block2')).toBe(true);
    expect(lay.nodes.some((n) => n.label === 'add')).toBe(false);
  });
});

describe('feature-map chain', () => {
  it('knows every activation class the engine has', () => {
    for (const a of ACTIVATIONS) expect(ACTIVATION.test(a.name), a.name).toBe(true);
  });
  it('follows Conv → BatchNorm → functional relu from any of its members', () => {
    const r = tiny();
    const conv = r.rows.findIndex((x) => x.name === 'block1.conv1');
    const chain = chainAround(r, conv);
    expect(chain.map((s) => s.type)).toEqual(['Conv2d', 'BatchNorm2d', 'relu']);
    expect(chain[2].rowIndex).toBeUndefined();
    expect(chainAround(r, conv + 1).map((s) => s.label)).toEqual(['block1.conv1', 'block1.bn1', 'relu (functional)']);
    // bn2's consumer is the residual add: its chain ends there
    expect(chainAround(r, r.rows.findIndex((x) => x.name === 'block1.bn2')).map((s) => s.label)).toEqual(['block1.conv2', 'block1.bn2']);
  });
});

describe('worker helpers', () => {
  it('patterns are the same picture in every channel, in [-1, 1]', () => {
    const t = patternTensor([2, 3, 8, 8], 'checkerboard');
    expect(t.length).toBe(2 * 3 * 64);
    expect(t.subarray(0, 64)).toEqual(t.subarray(64, 128));
    expect([t[0], t[1], t[8]]).toEqual([1, -1, -1]);
    const disc = patternTensor([1, 1, 9, 9], 'disc');
    expect(disc[4 * 9 + 4]).toBe(1);
    expect(disc[0]).toBe(-1);
    const g = patternTensor([1, 5], 'gradient');
    expect(Array.from(g)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
  it('per-channel statistics over the batch and the picture', () => {
    const data = new Float32Array([1, 2, 3, 4, /* b0 c1 */ 10, 10, 10, 10, /* b1 c0 */ 5, 6, 7, 8, /* b1 c1 */ 0, 0, 0, 20]);
    const s = channelStats({ shape: [2, 2, 2, 2], data });
    expect(Array.from(s.mean)).toEqual([4.5, 7.5]);
    expect(Array.from(s.min)).toEqual([1, 0]);
    expect(Array.from(s.max)).toEqual([8, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(5.25), 6);
  });
});
