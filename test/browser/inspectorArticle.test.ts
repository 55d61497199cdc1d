// The Inspector's article views in headless Chromium (the harness page), on the trained example
// (examples/digits with digits.pth and its six sample digits): the convolution step-through's first window
// is the article's, every later window sums to the engine's conv2d output; the BatchNorm view's batch
// statistics are the run's and its running buffers after a train pass are PyTorch's (fixture from
// scripts/gen_inspector_expected.py); the activation curves are the engine's kernels at sample points; the
// gradient-flow norms are `layerlens run --json`'s gradNorm (and PyTorch's for cross-entropy); the batch-size
// and what-if re-runs equal the same runs in Node. Screenshots (dark, light) go to docs/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { runModel, type RunReport } from '../../engine';
import { ops } from '../../engine/ops/registry';
import { DEMO_ATTRS, DEMO_BIAS, DEMO_INPUT, DEMO_WEIGHT } from '../../webview/convDemo';
import { batchNoise } from '../../webview/batchNoise';
import { startHarness, type Harness } from './harness/harnessServer';
import { InspectorPage } from './harness/inspectorPage';
import type { ThemeName } from './harness/themes';

const root = resolve(__dirname, '../..');
const dir = join(root, 'examples/digits');
const FILE = '/ws/model.py';
const src = readFileSync(join(dir, 'model.py'), 'utf8');
const pth = new Uint8Array(readFileSync(join(dir, 'digits.pth')));
const samples = new Uint8Array(readFileSync(join(dir, 'samples.safetensors')));
const fx = JSON.parse(readFileSync(join(root, 'test/fixtures/inspector/digits_bn.json'), 'utf8'));
const host = { readFile: (p: string) => (p === FILE ? src : undefined) };
const MODEL = { type: 'model', model: { uri: 'file:///ws/model.py', file: FILE, expr: 'DigitsCNN()', input: [[1, 1, 16, 16]], inputSource: 'comment', files: { [FILE]: src }, weightsFiles: [{ path: '/ws/digits.pth', name: 'digits.pth' }], sampleFiles: [] } };
const state = (mode: 'eval' | 'train', ui: Record<string, unknown> = {}) => ({
  uri: MODEL.model.uri, expr: 'DigitsCNN()',
  settings: { weights: { kind: 'file', path: '/ws/digits.pth', name: 'digits.pth' }, input: { kind: 'image', path: '/ws/samples.safetensors', name: 'samples.safetensors' }, mode, seed: 0, batch: null, normalize: 'none', loss: { kind: 'sum' } },
  ui: { view: 'summary', selectedRow: null, ...ui },
});
const nodeRun = (mode: 'eval' | 'train', extra: Record<string, unknown> = {}): RunReport =>
  runModel({ file: FILE, host, model: 'DigitsCNN()', mode, weights: pth, weightsName: 'digits.pth', inputFile: samples, keepTensors: true, capture: true, ...extra });
const row = (r: { rows: Array<{ name: string }> }, name: string) => r.rows.findIndex((x) => x.name === name);
/**
 * The page's engine and Node's run the same code, but the browser's WebAssembly GEMM may sum in another order
 * (relaxed SIMD fused multiply-adds): the two agree to float32 rounding, not bit for bit.
 */
const same = (got: number, want: number, rtol = 2e-6) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rtol * Math.abs(want) + 1e-7);

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(join(root, 'docs'), { recursive: true });
  h = await startHarness(root);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
}, 60_000);

afterAll(async () => { await browser?.close(); await h?.close(); });

async function opened(mode: 'eval' | 'train', theme: ThemeName = 'dark', ui: Record<string, unknown> = {}, viewport = { width: 1280, height: 820 }, lang?: string): Promise<InspectorPage> {
  const p = await InspectorPage.open(browser, h, theme, state(mode, ui), viewport, lang);
  await p.serve('/ws/digits.pth', pth);
  await p.serve('/ws/samples.safetensors', samples);
  await p.post(MODEL);
  await p.waitStatus((s) => s.ran && !s.busy, 60_000);
  return p;
}

const nums = (s: string | null): number[] => (s ? s.split(',').map(Number) : []);
const attr = (p: InspectorPage, sel: string, name: string) => p.page.$eval(sel, (e, n) => e.getAttribute(n as string), name);
/** Moves the step-through to an output cell as the scrub bar does. */
async function scrub(p: InspectorPage, position: number): Promise<void> {
  await p.page.$eval('.ll-conv-scrub', (e, v) => { (e as HTMLInputElement).value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }, position);
  await p.waitDom((v) => (document.querySelector('.ll-conv-scrub') as HTMLInputElement)?.value === String(v), position);
}
async function setNumber(p: InspectorPage, sel: string, v: number): Promise<void> {
  await p.page.$eval(sel, (e, x) => { (e as HTMLInputElement).value = String(x); e.dispatchEvent(new Event('change', { bubbles: true })); }, v);
}
async function shoot(p: InspectorPage, view: string, theme: ThemeName): Promise<void> {
  await p.page.mouse.move(0, 0);
  await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await p.page.waitForTimeout(150);
  const file = join(root, 'docs', `inspector-${view.toLowerCase()}-${theme}.png`);
  // NOTE: docs/ keeps the committed (palette-compressed) screenshots, which the .vsix ships; a run rewrites
  // them only when asked (LAYERLENS_SCREENSHOTS=1), so the package's size does not depend on test order
  const png = await p.page.screenshot(process.env.LAYERLENS_SCREENSHOTS === '1' ? { path: file, fullPage: true } : { scale: 'css', fullPage: true });
  expect(png.length).toBeGreaterThan(10_000);
}

describe('Inspector article views (Chromium harness, digits example)', () => {
  it('step-through, article example: the first window is the article\'s, every later one sums to the engine\'s conv2d; play moves on', async () => {
    const p = await opened('eval');
    await p.tab('convStep');
    await p.waitStatus((s) => s.rendered.includes('convStep'));
    const ch = (c: number, what: string) => attr(p, `.ll-conv-ch[data-ch="${c}"] .ll-conv-${what}`, what === 'sum' ? 'data-value' : 'data-values');
    expect(nums(await ch(0, 'values'))).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 1]);
    expect(nums(await ch(0, 'weights'))).toEqual([1, 1, -1, -1, 0, 1, -1, -1, 0]);
    expect(Number(await ch(0, 'sum'))).toBe(1);
    expect(nums(await ch(1, 'values'))).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 2]);
    expect(nums(await ch(1, 'weights'))).toEqual([-1, 0, -1, 0, 0, -1, 1, -1, 0]);
    expect(Number(await ch(1, 'sum'))).toBe(-1);
    expect(nums(await ch(2, 'values'))).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 0]);
    expect(nums(await ch(2, 'weights'))).toEqual([0, 1, 0, 1, 0, 1, 0, -1, 1]);
    expect(Number(await ch(2, 'sum'))).toBe(0);
    expect(await p.texts('.ll-conv-result')).toEqual([expect.stringContaining('= 1 + −1 + 0 + bias 1 = 1')]);
    expect(Number(await attr(p, '.ll-conv-total', 'data-value'))).toBe(1);
    // every window of both filters against the engine's conv2d of the same numbers (in Node)
    const y = ops.conv2d.forward({ input: { shape: [1, 3, 5, 5], data: Float32Array.from(DEMO_INPUT.flat(2)) }, weight: { shape: [2, 3, 3, 3], data: Float32Array.from(DEMO_WEIGHT.flat(3)) }, bias: { shape: [2], data: Float32Array.from(DEMO_BIAS) } }, DEMO_ATTRS);
    expect(y.shape).toEqual([1, 2, 3, 3]);
    for (let f = 0; f < 2; f++) {
      await setNumber(p, '.ll-conv-filter', f);
      for (let pos = 0; pos < 9; pos++) {
        await scrub(p, pos);
        await p.waitDom((want) => (document.querySelector('.ll-conv-result') as HTMLElement)?.textContent?.includes(`output[${want[0]}, ${want[1]}, ${want[2]}]`) ?? false, [f, Math.floor(pos / 3), pos % 3]);
        expect(Number(await attr(p, '.ll-conv-total', 'data-value'))).toBe(y.data[f * 9 + pos]);
        expect(Number(await attr(p, '.ll-conv-engine', 'data-value'))).toBe(y.data[f * 9 + pos]);
      }
    }
    const words = (await p.texts('.ll-words')).join(' ');
    expect(words).toContain('⌊(W − F + 2P)/S⌋ + 1 = ⌊(5 − 3 + 2·1)/2⌋ + 1 = 3');
    expect(words).toContain('⌊(640 − 3 + 2·0)/2⌋ + 1 = ⌊318.5⌋ + 1 = 319, not 320');
    expect(words).toContain('3·3·2·3·3·3 = 486 MACs');
    // play: the window moves on by itself (requestAnimationFrame), and the page stays responsive
    await setNumber(p, '.ll-conv-filter', 0);
    await scrub(p, 0);
    await p.page.click('.ll-conv-play');
    await p.waitDom(() => Number((document.querySelector('.ll-conv-scrub') as HTMLInputElement).value) >= 2, null, 15_000);
    await p.page.click('.ll-conv-play');
    await setNumber(p, '.ll-conv-filter', 0);
    await scrub(p, 0);
    await shoot(p, 'convstep', 'dark');
    await p.close();
  });

  it('step-through on the model\'s conv2: every window of a filter sums to the run\'s conv2 output; the formula has the layer\'s numbers', async () => {
    const p = await opened('eval', 'dark', { convStep: { source: 'layer', filter: 3, position: 0 } });
    const expected = nodeRun('eval');
    const i = row(expected, 'conv2');
    await p.post({ type: 'select', rowIndex: i });
    await p.tab('convStep');
    await p.waitDom(() => !!document.querySelector('.ll-conv-scrub'));
    const out = expected.tensors![i].output; // [6, 16, 8, 8]; the step-through shows sample 0
    expect(out.shape).toEqual([6, 16, 8, 8]);
    for (let pos = 0; pos < 64; pos++) {
      await scrub(p, pos);
      const total = Number(await attr(p, '.ll-conv-total', 'data-value'));
      const want = out.data[3 * 64 + pos];
      same(Number(await attr(p, '.ll-conv-engine', 'data-value')), want, 1e-5);
      expect(Math.abs(total - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
    }
    expect((await p.texts('.ll-conv-formula')).join(' ')).toContain('⌊(8 − 3 + 2·1)/1⌋ + 1 = 8');
    expect(await p.texts('.ll-conv-ch')).toHaveLength(3); // 8 input channels: three drawn, the rest summed
    await p.close();
  });

  it('BatchNorm, train mode: batch statistics are the run\'s, running buffers after the step are PyTorch\'s; the batch-size re-run equals Node\'s', async () => {
    const p = await opened('train', 'dark', {}, { width: 1280, height: 1100 });
    const expected = nodeRun('train');
    for (const name of ['bn1', 'bn2']) {
      const i = row(expected, name);
      await p.post({ type: 'select', rowIndex: i });
      await p.tab('batchNorm');
      await p.waitStatus((s) => s.rendered.includes('batchNorm') && s.selectedName === name);
      const cap = expected.captures![i]!;
      for (const c of [0, 3, 7]) {
        await setNumber(p, '.ll-bn-channel', c);
        await p.waitDom((cc) => document.querySelector('.ll-bn-headline')?.textContent?.startsWith(`channel ${cc}:`) ?? false, c);
        same(Number(await attr(p, '.ll-bn-headline', 'data-mean')), cap.batchStats!.mean[c], 1e-5);
        same(Number(await attr(p, '.ll-bn-headline', 'data-var')), cap.batchStats!.var[c]);
        const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-4 * Math.abs(want) + 1e-6);
        close(Number(await attr(p, '.ll-bn-headline', 'data-mean')), fx.batchNorm[name].batchMean[c]);
        close(Number(await attr(p, '.ll-bn-after', 'data-mean')), fx.batchNorm[name].runningMeanAfter[c]);
        close(Number(await attr(p, '.ll-bn-after', 'data-var')), fx.batchNorm[name].runningVarAfter[c]);
        close(Number(await attr(p, '.ll-bn-running', 'data-mean')), fx.batchNorm[name].runningMeanBefore[c]);
      }
    }
    const steps = (await p.texts('.ll-bn-steps li'));
    expect(steps[0]).toMatch(/^μ = \(1\/m\)·Σ x over the batch's m = 384 values of channel 7 = /);
    // the slider: 8 batches of 4, the same numbers as the worker's function run in Node
    await p.page.$eval('.ll-bn-batch-size', (e) => { (e as HTMLInputElement).value = '4'; e.dispatchEvent(new Event('input', { bubbles: true })); });
    await p.waitDom(() => document.querySelector('.ll-bn-spread')?.getAttribute('data-batch') === '4', null, 30_000);
    const noise = batchNoise({ file: FILE, files: { [FILE]: src }, model: 'DigitsCNN()', input: [[1, 1, 16, 16]], seed: 0, weights: pth, weightsName: 'digits.pth', batch: 4, draws: 8 });
    const l = noise.layers.find((x) => x.row === row(expected, 'bn2'))!;
    const means = nums(await attr(p, '.ll-bn-spread', 'data-means'));
    expect(means).toHaveLength(8);
    means.forEach((m, d) => same(m, l.mean[d * 16 + 7], 1e-4));
    expect(await p.texts('.ll-bn-traineval')).toEqual([expect.stringContaining('Train minus eval output of the same samples in a batch of 4')]);
    await setNumber(p, '.ll-bn-channel', 0);
    await p.waitDom(() => !!document.querySelector('.ll-bn-noise-chart canvas'));
    await shoot(p, 'batchnorm', 'dark');
    await p.close();
  });

  it('activations: f and f′ are the engine\'s kernels at sample points, the saturated share is the run\'s inputs\'; gradient flow = layerlens run --json, cross-entropy = PyTorch, what-if = Node', async () => {
    const p = await opened('eval', 'dark', {}, { width: 1280, height: 1100 });
    const expected = nodeRun('eval');
    for (const [name, op, attrs] of [['relu', 'relu', {}], ['elu', 'elu', { alpha: 1 }]] as const) {
      const i = row(expected, name);
      await p.post({ type: 'select', rowIndex: i });
      await p.tab('activations');
      await p.waitStatus((s) => s.rendered.includes('activations') && s.selectedName === name);
      const xs = [-3, -1, 0, 1, 3];
      const k = ops[op] as unknown as { forward(a: object, b: object): { data: Float32Array }; backward(g: object, a: object, b: object): { input: { data: Float32Array } } };
      const input = { shape: [5], data: Float32Array.from(xs) };
      const f = k.forward({ input }, attrs).data, df = k.backward({ shape: [5], data: new Float32Array(5).fill(1) }, { input }, attrs).input.data;
      const got = await p.page.$$eval('.ll-act-samples td[data-f]', (es) => es.map((e) => Number(e.getAttribute('data-f'))));
      const gotD = await p.page.$$eval('.ll-act-samples td[data-df]', (es) => es.map((e) => Number(e.getAttribute('data-df'))));
      expect(got).toEqual(Array.from(f));
      expect(gotD).toEqual(Array.from(df));
      const x = expected.captures![i]!.args[0]!;
      const g = k.backward({ shape: x.shape, data: new Float32Array(x.data.length).fill(1) }, { input: x }, attrs).input.data;
      const share = g.filter((v) => Math.abs(v) < 0.05).length / g.length;
      same(Number(await attr(p, '.ll-act-headline', 'data-share')), share, 1e-3);
      expect((await p.texts('.ll-act-f'))[0]).toContain(op === 'elu' ? 'α(eˣ − 1)' : 'max(0, x)');
    }
    // the gradient flow: `layerlens run --json`'s gradNorm, digit for digit
    const cli = JSON.parse(execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', join(dir, 'model.py'), '--weights', join(dir, 'digits.pth'), '--input-file', join(dir, 'samples.safetensors'), '--json'], { encoding: 'utf8' }));
    const norms = () => p.page.$$eval('.ll-flow-norm', (es) => es.map((e) => Number(e.getAttribute('data-value'))));
    const mine = await norms();
    expect(mine).toHaveLength(cli.layers.length);
    cli.layers.forEach((l: { gradNorm: number }, j: number) => same(mine[j], l.gradNorm));
    // cross-entropy against class 3: PyTorch's norms
    await p.page.selectOption('.ll-flow-loss', 'crossEntropy');
    await setNumber(p, '.ll-flow-class', 3);
    await p.waitDom(() => (document.querySelector('.ll-timing')?.textContent ?? '').includes('class 3'), null, 30_000);
    const ce = await norms();
    fx.gradNormCrossEntropy3Eval.forEach(([, v]: [string, number], j: number) => expect(Math.abs(ce[j] - v)).toBeLessThanOrEqual(1e-4 * v + 1e-6));
    // what if every activation were a sigmoid: side by side, the same numbers as that run in Node
    await p.page.selectOption('.ll-whatif-act', 'sigmoid');
    await p.waitDom(() => document.querySelectorAll('.ll-flow-whatif').length > 0, null, 30_000);
    const w = await p.page.$$eval('.ll-flow-whatif', (es) => es.map((e) => Number(e.getAttribute('data-value'))));
    const sig = runModel({ file: FILE, host, model: 'DigitsCNN()', mode: 'eval', weights: pth, weightsName: 'digits.pth', inputFile: samples, variant: { activation: 'sigmoid' }, loss: { kind: 'crossEntropy', target: 3 } });
    sig.rows.forEach((r, j) => same(w[j], r.gradNorm!));
    await p.page.waitForTimeout(100);
    await p.post({ type: 'select', rowIndex: row(expected, 'elu') });
    await shoot(p, 'activations', 'dark');
    await p.close();
  });

  it('in Chinese (the zh-cn bundle): the three views\' words are translated, their numbers and formulas the same as in English', async () => {
    const p = await opened('train', 'dark', {}, { width: 1280, height: 1100 }, 'zh-cn');
    // what stays Latin: layer and activation names, the model's row names, code (eval, train, momentum,
    // track_running_stats, output[…], weight[…]) and the formulas' symbols; any other word is a missed translation
    const NAMES = /BatchNorm|Conv|Linear|MaxPool|Sigmoid|Tanh|Leaky|GELU|ReLU|ELU|PyTorch|MAC|conv|relu|elu|pool|eval|train|loss|max|momentum|track_running_stats|output|weight|[HW]out/g;
    const english = async (tag: string) => ((await p.texts(tag))[0].replace(NAMES, ' ').match(/[A-Za-z]{3,}/g) ?? []);
    const tabs = await p.texts('vscode-tab-header');
    expect(tabs).toEqual(expect.arrayContaining(['卷积', 'BatchNorm', '激活函数']));
    await p.tab('convStep');
    await p.waitStatus((s) => s.rendered.includes('convStep'));
    expect(await p.texts('.ll-conv-result')).toEqual([expect.stringContaining('output[0, 0, 0] = 1 + −1 + 0 + 偏置 1 = 1 · 引擎的 conv2d：1')]);
    const words = (await p.texts('.ll-words')).join(' ');
    expect(words).toContain('⌊(W − F + 2P)/S⌋ + 1 = ⌊(5 − 3 + 2·1)/2⌋ + 1 = 3');
    expect(words).toContain('窗口按步长（2 × 2）移动');
    expect(words).toContain('3·3·2·3·3·3 = 每个样本 486 次 MAC');
    expect(words).toContain('⌊(640 − 3 + 2·0)/2⌋ + 1 = ⌊318.5⌋ + 1 = 319，而不是 320');
    expect(await english('ll-conv-step-view')).toEqual([]);
    await p.post({ type: 'select', rowIndex: 1 }); // DigitsCNN's rows: conv1, bn1, relu, …
    await p.tab('batchNorm');
    await p.waitStatus((s) => s.rendered.includes('batchNorm') && s.selectedName === 'bn1');
    await p.waitDom(() => !!document.querySelector('.ll-bn-spread'), null, 30_000);
    const mean = Number(await attr(p, '.ll-bn-headline', 'data-mean'));
    expect((await p.texts('.ll-bn-headline'))[0]).toMatch(/^通道 0：批均值 μB = -?[\d.e-]+，批方差 σ²B = [\d.e-]+ · 运行均值 /);
    expect((await p.texts('.ll-bn-headline'))[0]).toContain(`批均值 μB = ${(await p.texts('.ll-bn-batch td'))[1]}`);
    expect(Number.isFinite(mean)).toBe(true);
    expect((await p.texts('.ll-bn-steps li'))[0]).toMatch(/^μ = \(1\/m\)·Σ x，对本批次通道 0 的 m = 1,536 个值求和 = /);
    expect(await english('ll-batch-norm-view')).toEqual([]);
    await p.post({ type: 'select', rowIndex: 2 });
    await p.tab('activations');
    await p.waitStatus((s) => s.rendered.includes('activations') && s.selectedName === 'relu');
    expect(await p.texts('.ll-act-df')).toEqual(['f′(x) = 1（x > 0 时），0（x < 0 时）；PyTorch 在 x = 0 处取 0']);
    expect((await p.texts('.ll-act-headline'))[0]).toMatch(/^relu 的输入中有 [\d.]+ % 落在 \|f′\(x\)\| < 0\.05 的区域（x ≤ 0：ReLU 在这里不回传梯度）；8 个通道中有 \d+ 个的全部输入都落在这里（死亡 ReLU）。$/);
    expect(await english('ll-activations-view')).toEqual([]);
    await p.close();
  });

  it('light theme screenshots of the three views', async () => {
    const p = await opened('train', 'light', {}, { width: 1280, height: 1100 });
    await p.post({ type: 'select', rowIndex: 4 });
    for (const v of ['convStep', 'batchNorm', 'activations']) {
      await p.tab(v);
      await p.waitStatus((s) => s.rendered.includes(v));
      if (v === 'batchNorm') await p.waitDom(() => !!document.querySelector('.ll-bn-noise-chart canvas'), null, 30_000);
      await shoot(p, v, 'light');
    }
    await p.close();
  });
});
