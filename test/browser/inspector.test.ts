// The Inspector webview in headless Chromium against the harness page (the panel's own HTML and CSP, a
// stand-in for acquireVsCodeApi): every view renders the engine's output for the tiny_resnet fixture (the
// same numbers as the engine in Node with the same weights and input), and sorting, filtering, depth,
// selection, cursor, folding, enlarging, weights errors, image input, Cancel and restored state work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { analyze, fmtInt, runModel, type RunReport } from '../../engine';
import { writeSafetensors } from '../../engine/io/safetensors';
import { patternTensor } from '../../webview/inputPatterns';
import { channelStats } from '../../webview/channelStats';
import { PROTOCOL_VERSION } from '../../webview/protocol';
import { startHarness, type Harness } from './harness/harnessServer';
import { InspectorPage } from './harness/inspectorPage';

const root = resolve(__dirname, '../..');
const dir = join(root, 'test/fixtures/cases/tiny_resnet');
const FILE = '/ws/model.py';
const src = readFileSync(join(dir, 'model.py'), 'utf8');
const weights = new Uint8Array(readFileSync(join(dir, 'weights.safetensors')));
const INPUT = [[2, 3, 16, 16]];
const host = { readFile: (p: string) => (p === FILE ? src : undefined) };

const model = (extra: Record<string, unknown> = {}) => ({
  type: 'model', model: {
    uri: 'file:///ws/model.py', file: FILE, expr: 'TinyResNet()', input: INPUT, inputSource: 'comment', files: { [FILE]: src },
    weightsFiles: [{ path: '/ws/weights.safetensors', name: 'weights.safetensors' }, { path: '/ws/other.safetensors', name: 'other.safetensors' }], sampleFiles: [], ...extra,
  },
});

/** The webview's saved state with these run settings (what a reload restores). */
const state = (settings: Record<string, unknown>, ui: Record<string, unknown> = {}) => ({
  uri: 'file:///ws/model.py', expr: 'TinyResNet()',
  settings: { weights: { kind: 'init' }, input: { kind: 'noise' }, mode: 'eval', seed: 0, batch: null, normalize: 'none', ...settings },
  ui: { view: 'summary', selectedRow: null, summary: { sort: 'order', descending: false, depth: null, filter: '' }, graph: { collapsed: [], colorBy: 'macs', zoom: 1 }, featureMaps: { scale: 'shared', enlarged: null, sample: 0, showAll: false }, ...ui },
});
const FIXTURE_RUN = state({ weights: { kind: 'file', path: '/ws/weights.safetensors', name: 'weights.safetensors' }, input: { kind: 'pattern', pattern: 'disc' } });

// the same run in Node: the fixture's weights, the disc pattern
const analysis = analyze({ file: FILE, host, model: 'TinyResNet()', input: INPUT, dataflow: true });
const expected: RunReport = runModel({ file: FILE, host, model: 'TinyResNet()', input: INPUT, mode: 'eval', weights, inputFile: writeSafetensors({ input: { shape: INPUT[0], data: patternTensor(INPUT[0], 'disc') } }), keepTensors: true });
const num = (x: number): string => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4));
const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(4));

let h: Harness;
let browser: Browser;

async function opened(st: unknown = FIXTURE_RUN, theme: 'dark' | 'light' = 'dark'): Promise<InspectorPage> {
  const p = await InspectorPage.open(browser, h, theme, st);
  await p.serve('/ws/weights.safetensors', weights);
  await p.post(model());
  return p;
}

async function setSelect(p: InspectorPage, selector: string, value: string): Promise<void> {
  await p.page.$eval(selector, (el, v) => { (el as any).value = v; el.dispatchEvent(new Event('change', { bubbles: true })); }, value);
}

beforeAll(async () => {
  h = await startHarness(root);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
}, 60_000);

afterAll(async () => { await browser?.close(); await h?.close(); });

describe('Inspector webview (Chromium harness)', () => {
  it('handshakes, analyses and runs in its blob worker; the Summary shows the engine\'s rows, totals and run statistics', async () => {
    const p = await opened();
    expect((await p.toHost())[0]).toEqual({ type: 'ready', version: PROTOCOL_VERSION });
    const s = await p.waitStatus((x) => x.ran && !x.busy && x.rendered.includes('summary'));
    expect(s).toMatchObject({ rows: analysis.rows.length, error: null, analysed: true });
    expect(await p.texts('.ll-row .ll-name')).toEqual(analysis.rows.map((r) => r.name));
    const cells = await p.page.$$eval('vscode-table-row.ll-row', (rows) => rows.map((r) => [...r.querySelectorAll('vscode-table-cell')].map((c) => (c.textContent ?? '').trim())));
    // columns: # Layer Type Output Params MACs Activations Mean Std ‖∂L/∂y‖
    cells.forEach((c, i) => {
      const r = expected.rows[i];
      expect(c.slice(2, 6)).toEqual([r.type, `[${r.output!.join(', ')}]`, fmtInt(r.params), fmtInt(r.macs)]);
      expect(c.slice(7)).toEqual([num(r.stats!.mean), num(r.stats!.std), num(r.gradNorm!)]);
    });
    expect(await p.texts('.ll-total-params')).toEqual([fmtInt(expected.totals.params)]);
    expect((await p.texts('.ll-total-macs'))[0]).toContain(fmtInt(expected.totals.macs));
    expect(await p.cspViolations()).toEqual([]);
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it('Summary: sort by a column, filter, fold to a depth', async () => {
    const p = await opened();
    await p.waitStatus((x) => x.ran && !x.busy);
    await p.page.click('button.ll-sort[data-sort="macs"]');
    await p.page.waitForSelector('vscode-table-header-cell[aria-sort="descending"] button[data-sort="macs"]');
    const byMacs = [...analysis.rows].map((r, i) => ({ r, i })).sort((a, b) => b.r.macs! - a.r.macs! || a.i - b.i).map((x) => x.r.name);
    expect(await p.texts('.ll-row .ll-name')).toEqual(byMacs);
    await p.page.click('button.ll-sort[data-sort="macs"]'); // ascending (ties stay in forward order)
    const up = [...analysis.rows].map((r, i) => ({ r, i })).sort((a, b) => a.r.macs! - b.r.macs! || a.i - b.i).map((x) => x.r.name);
    expect(await p.texts('.ll-row .ll-name')).toEqual(up);
    await p.page.click('button.ll-sort[data-sort="macs"]'); // back to forward order
    expect(await p.texts('.ll-row .ll-name')).toEqual(analysis.rows.map((r) => r.name));

    await p.page.locator('vscode-textfield.ll-filter input').fill('bn');
    await p.waitStatus((x) => x.rows === 5);
    expect(await p.texts('.ll-row .ll-name')).toEqual(['bn', 'block1.bn1', 'block1.bn2', 'block2.bn1', 'block2.bn2']);
    await p.page.locator('vscode-textfield.ll-filter input').fill('');

    // Copy asks the host (which formats the same data as the Copy commands)
    await p.page.click('vscode-button[icon="markdown"]');
    await p.page.click('vscode-button[icon="json"]');
    expect((await p.toHost()).filter((m) => m.type === 'copy').map((m) => m.format)).toEqual(['markdown', 'json']);

    await setSelect(p, 'vscode-single-select.ll-depth', '1');
    await p.waitStatus((x) => x.rows === 6);
    expect(await p.texts('.ll-row .ll-name')).toEqual(['stem', 'bn', 'block1 4', 'block2 5', 'pool', 'fc']);
    const b2 = await p.page.$$eval('vscode-table-row.ll-row', (rows) => [...rows[3].querySelectorAll('vscode-table-cell')].map((c) => (c.textContent ?? '').trim()));
    const inside = analysis.rows.filter((r) => r.name.startsWith('block2.'));
    expect(b2.slice(2, 6)).toEqual(['Block', `[${inside[inside.length - 1].output!.join(', ')}]`, fmtInt(inside.reduce((s, r) => s + r.params, 0)), fmtInt(inside.reduce((s, r) => s + r.macs!, 0))]);
    await p.close();
  });

  it('selecting a row (click, arrow keys) reveals its call; the editor\'s cursor selects the row', async () => {
    const p = await opened();
    await p.waitStatus((x) => x.ran && !x.busy);
    const reveals = async () => (await p.toHost()).filter((m) => m.type === 'reveal').map((m) => m.loc);
    const proj = analysis.rows.findIndex((r) => r.name === 'block2.proj');
    await p.page.click(`vscode-table-row[data-index="${proj}"]`);
    await p.waitStatus((x) => x.selectedName === 'block2.proj');
    expect((await reveals()).pop()).toEqual(analysis.rows[proj].callLoc);
    await p.page.keyboard.press('ArrowDown');
    await p.waitStatus((x) => x.selectedName === 'pool');
    expect((await reveals()).pop()).toEqual(analysis.rows[proj + 1].callLoc);
    expect(await p.page.evaluate(() => (document.activeElement as HTMLElement)?.dataset.index)).toBe(String(proj + 1));
    // the cursor on `return self.fc(x)`: fc is selected, and nothing is revealed back
    const n = (await reveals()).length;
    await p.post({ type: 'cursor', file: FILE, line: analysis.rows.find((r) => r.name === 'fc')!.callLoc!.line });
    await p.waitStatus((x) => x.selectedName === 'fc');
    expect((await reveals()).length).toBe(n);
    // on the constructor line of bn: bn
    await p.post({ type: 'cursor', file: FILE, line: analysis.rows[1].defLoc!.line });
    await p.waitStatus((x) => x.selectedName === 'bn');
    await p.close();
  });

  it('Graph: every node and edge of the data-flow graph, residual adds, shapes on edges; click reveals, blocks fold', async () => {
    const p = await opened();
    await p.waitStatus((x) => x.ran && !x.busy);
    await p.tab('graph');
    await p.waitDom(() => document.querySelectorAll('g.ll-node').length > 0); // the layout worker's answer
    const g = analysis.dataflow!;
    expect(await p.page.$$eval('g.ll-node', (n) => n.length)).toBe(g.nodes.length);
    expect(await p.page.$$eval('g.ll-edge', (n) => n.length)).toBe(g.edges.length);
    expect((await p.texts('g.ll-op .ll-node-label')).filter((t) => t === 'add')).toHaveLength(2);
    expect(await p.texts('g.ll-edge text')).toContain('2×16×8×8');
    const proj = g.nodes.find((n) => n.rowIndex !== undefined && analysis.rows[n.rowIndex].name === 'block2.proj')!;
    await p.page.click(`g.ll-node[data-id="${proj.id}"]`);
    await p.waitStatus((x) => x.selectedName === 'block2.proj');
    expect((await p.toHost()).filter((m) => m.type === 'reveal').pop().loc).toEqual(analysis.rows[proj.rowIndex!].callLoc);
    expect(await p.page.$$eval('g.ll-node.selected', (n) => n.map((e) => e.getAttribute('data-id')))).toEqual([proj.id]);
    // fold block2 from its cluster header, then unfold it by activating the block node with the keyboard
    await p.page.click('g.ll-cluster-head[aria-label^="Fold block2"]');
    await p.page.waitForSelector('g.ll-node[data-id="blk:block2"]');
    const inBlock2 = g.nodes.filter((n) => n.module.startsWith('block2')).length;
    expect(await p.page.$$eval('g.ll-node', (n) => n.length)).toBe(g.nodes.length - inBlock2 + 1);
    await p.page.focus('g.ll-node[data-id="blk:block2"]');
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('g.ll-node[data-id="blk:block2"]', { state: 'detached' });
    expect(await p.page.$$eval('g.ll-node', (n) => n.length)).toBe(g.nodes.length);
    await setSelect(p, '#ll-color', 'memory');
    await p.waitDom(() => (document.querySelector('#ll-color') as any)?.value === 'memory', null);
    await p.close();
  });

  it('Feature maps: a heatmap per channel of the run\'s output, statistics on hover, enlarge, the Conv → BN → relu strip', async () => {
    const p = await opened();
    await p.waitStatus((x) => x.ran && !x.busy);
    await p.tab('featureMaps');
    await p.waitStatus((x) => x.rendered.includes('featureMaps'));
    const stem = expected.tensors![0].output;
    expect(await p.page.$$eval('canvas.ll-tile', (c) => c.length)).toBe(stem.shape[1]);
    // the picture is the tensor: red where positive, blue where negative (RdBu, centred on 0)
    const px = await p.page.$eval('canvas.ll-tile[data-ch="2"]', (c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 16, 16).data));
    const m = Math.max(Math.abs(expected.rows[0].stats!.min), Math.abs(expected.rows[0].stats!.max));
    let checked = 0;
    for (let i = 0; i < 256; i++) {
      const v = stem.data[2 * 256 + i];
      if (Math.abs(v) < 0.3 * m) continue;
      checked++;
      const [r, , b] = px.slice(4 * i, 4 * i + 3);
      expect(v > 0 ? r > b : b > r, `pixel ${i} value ${v}`).toBe(true);
    }
    expect(checked).toBeGreaterThan(0);
    const ch = channelStats(stem);
    await p.page.hover('button.ll-map[data-ch="3"]');
    expect((await p.texts('.ll-channel-stats'))[0]).toBe(`channel 3: mean ${fmt(ch.mean[3])}, std ${fmt(ch.std[3])}, min ${fmt(ch.min[3])}, max ${fmt(ch.max[3])}`);
    expect(await p.texts('.ll-colorbar > span')).toEqual([fmt(-m), fmt(m), expect.stringContaining('RdBu')]);
    await p.page.click('button.ll-map[data-ch="3"]');
    await p.page.waitForSelector('.ll-enlarged canvas.ll-big');
    expect((await p.texts('.ll-enlarged-head b'))[0]).toBe('Channel 3');
    expect(await p.page.$eval('canvas.ll-big', (c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])).toEqual([16, 16]);
    expect((await p.texts('.ll-chain h3'))[0]).toBe('Channel 3 through Conv2d → BatchNorm2d → relu');
    expect(await p.page.$$eval('.ll-chain-step', (s) => s.length)).toBe(3);
    expect((await p.texts('.ll-chain-step'))[2]).toContain('no tensor kept');
    await p.page.keyboard.press('Escape');
    await p.page.waitForSelector('.ll-enlarged', { state: 'detached' });
    // per-channel scale, and a sequential colormap after the functional relu's consumer (block1.conv1 input is relu'd)
    await setSelect(p, '#ll-scale', 'channel');
    await p.waitDom(() => document.querySelector('.ll-colorbar span')?.textContent === 'per channel', null);
    await p.close();
  });

  it('a state dict that does not fit says so in load_state_dict\'s words', async () => {
    const p = await opened(state({}));
    await p.serve('/ws/other.safetensors', new Uint8Array(readFileSync(join(root, 'test/fixtures/cases/simple_cnn/weights.safetensors'))));
    await p.waitStatus((x) => x.ran && !x.busy);
    await setSelect(p, 'vscode-single-select.ll-weights', '/ws/other.safetensors');
    const s = await p.waitStatus((x) => !x.busy && !!x.error);
    expect(s.error).toMatch(/^Error\(s\) in loading state_dict for TinyResNet:/);
    expect((await p.texts('.ll-error-text'))[0]).toMatch(/Missing key\(s\) in state_dict|Unexpected key\(s\)|size mismatch/);
    expect(s.ran).toBe(false); // no stale numbers stay on screen
    await p.close();
  });

  it('an image input is decoded, resized and normalised in the webview (a solid red picture, ImageNet mean/std)', async () => {
    const p = await opened(state({}));
    await p.waitStatus((x) => x.ran && !x.busy);
    const png = await p.page.evaluate(async () => {
      const c = new OffscreenCanvas(40, 24);
      const g = c.getContext('2d')!;
      g.fillStyle = '#ff0000'; g.fillRect(0, 0, 40, 24);
      const b = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      return btoa(String.fromCharCode(...b));
    });
    await p.serve('/ws/red.png', new Uint8Array(Buffer.from(png, 'base64')));
    await p.post(model({ sampleFiles: [{ path: '/ws/red.png', name: 'red.png' }] }));
    await setSelect(p, 'vscode-single-select.ll-input-select', 'image:/ws/red.png');
    await p.page.waitForSelector('vscode-single-select.ll-normalize');
    await setSelect(p, 'vscode-single-select.ll-normalize', 'imagenet');
    await p.waitStatus((x) => x.ran && !x.busy);
    await p.waitDom(() => !document.querySelector('.ll-status vscode-progress-bar'), null);
    const plane = 16 * 16, data = new Float32Array(2 * 3 * plane);
    const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
    for (let s = 0; s < 2; s++) for (let c = 0; c < 3; c++) data.fill(((c === 0 ? 1 : 0) - mean[c]) / std[c], (s * 3 + c) * plane, (s * 3 + c + 1) * plane);
    const want = runModel({ file: FILE, host, model: 'TinyResNet()', input: INPUT, mode: 'eval', inputFile: writeSafetensors({ input: { shape: INPUT[0], data } }) });
    const means = await p.page.$$eval('vscode-table-row.ll-row', (rows) => rows.map((r) => (r.querySelectorAll('vscode-table-cell')[7]?.textContent ?? '').trim()));
    expect(means).toEqual(want.rows.map((r) => num(r.stats!.mean)));
    await p.close();
  });

  it('Cancel stops a long run (the worker is replaced); a smaller batch then runs; the batch slider re-runs', async () => {
    const slow = 'import torch.nn as nn\n\nclass Slow(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.convs = nn.Sequential(*[nn.Conv2d(32, 32, 3, padding=1) for _ in range(8)])\n\n    def forward(self, x):\n        return self.convs(x)\n';
    const p = await InspectorPage.open(browser, h, 'dark');
    await p.post({ type: 'model', model: { uri: 'file:///ws/slow.py', file: '/ws/slow.py', expr: 'Slow()', input: [[8, 32, 128, 128]], inputSource: 'comment', files: { '/ws/slow.py': slow }, weightsFiles: [], sampleFiles: [] } });
    await p.waitStatus((x) => x.analysed && !x.busy);
    expect((await p.status()).ran).toBe(false); // 9.7 GMACs: above the auto-run limit
    await p.page.click('vscode-button.ll-run');
    await p.page.waitForSelector('vscode-button.ll-cancel');
    await p.waitDom(() => /forward \+ backward/.test(document.querySelector('.ll-status')?.textContent ?? ''), null);
    await p.page.click('vscode-button.ll-cancel');
    const s = await p.waitStatus((x) => !x.busy);
    expect(s).toMatchObject({ ran: false, error: null });
    await p.page.$eval('.ll-batch input', (el) => { (el as HTMLInputElement).value = '1'; el.dispatchEvent(new Event('input', { bubbles: true })); });
    await p.waitStatus((x) => x.analysed && !x.busy);
    await p.page.click('vscode-button.ll-run');
    await p.waitStatus((x) => x.ran && !x.busy, 60000);
    expect((await p.texts('.ll-model'))[0]).toContain('[1, 32, 128, 128]');
    await p.page.$eval('.ll-batch input', (el) => { (el as HTMLInputElement).value = '2'; el.dispatchEvent(new Event('input', { bubbles: true })); });
    await p.waitDom(() => /\[2, 32, 128, 128\]/.test(document.querySelector('.ll-totals')?.textContent ?? ''), null, 60000);
    await p.close();
  });

  it('messages are validated: a malformed one is reported to the host and changes nothing', async () => {
    const p = await opened();
    await p.waitStatus((x) => x.ran && !x.busy);
    await p.post({ type: 'model', model: { uri: 42 } });
    await p.post({ type: 'no-such-message' });
    await p.waitHost((ms) => ms.filter((m: any) => m.type === 'error').length === 2);
    const errs = (await p.toHost()).filter((m) => m.type === 'error').map((m) => m.message);
    expect(errs).toEqual(["the Inspector got a malformed 'model' message", "the Inspector got a malformed 'no-such-message' message"]);
    expect((await p.status()).rows).toBe(analysis.rows.length);
    await p.close();
  });

  it('the saved state restores the view, the selection and the table settings', async () => {
    const p = await opened();
    await p.waitStatus((x) => x.ran && !x.busy);
    await p.page.click('button.ll-sort[data-sort="params"]');
    await p.page.click(`vscode-table-row[data-index="3"]`);
    await p.tab('graph');
    const saved = await p.page.evaluate(() => (globalThis as any).__state);
    await p.close();
    expect(saved).toMatchObject({ uri: 'file:///ws/model.py', expr: 'TinyResNet()', ui: { view: 'graph', selectedRow: 3, summary: { sort: 'params', descending: true } } });
    const q = await opened(saved);
    const s = await q.waitStatus((x) => x.ran && !x.busy);
    expect(s).toMatchObject({ view: 'graph', selectedRow: 3, selectedName: analysis.rows[3].name });
    expect(await q.page.$eval('vscode-tabs', (t) => (t as any).selectedIndex)).toBe(1);
    await q.close();
  });
});
