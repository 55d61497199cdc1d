// Screenshots of each Inspector view in VS Code's dark, light and high-contrast themes (docs/, for the
// README), from a real run of test/integration/workspace/tiny_resnet.py on the disc pattern, and the
// theme switch: VS Code swaps the body class and the variables, the panel re-reads them without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startHarness, type Harness } from './harness/harnessServer';
import { InspectorPage } from './harness/inspectorPage';
import type { ThemeName } from './harness/themes';

const root = resolve(__dirname, '../..');
const docs = join(root, 'docs');
const FILE = '/ws/tiny_resnet.py';
const src = readFileSync(join(root, 'test/integration/workspace/tiny_resnet.py'), 'utf8');
const MODEL = { type: 'model', model: { uri: 'file:///ws/tiny_resnet.py', file: FILE, expr: 'TinyResNet()', input: [[2, 3, 32, 32]], inputSource: 'example', files: { [FILE]: src }, weightsFiles: [], sampleFiles: [] } };
const STATE = {
  uri: MODEL.model.uri, expr: 'TinyResNet()',
  settings: { weights: { kind: 'init' }, input: { kind: 'pattern', pattern: 'disc' }, mode: 'eval', seed: 0, batch: null, normalize: 'none' },
  ui: { view: 'summary', selectedRow: 1, summary: { sort: 'order', descending: false, depth: null, filter: '' }, graph: { collapsed: ['layer2', 'layer3'], colorBy: 'macs', zoom: 0.7 }, featureMaps: { scale: 'shared', enlarged: null, sample: 0, showAll: false } },
};

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(docs, { recursive: true });
  h = await startHarness(root);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
}, 60_000);

afterAll(async () => { await browser?.close(); await h?.close(); });

async function shoot(p: InspectorPage, view: string, theme: ThemeName): Promise<void> {
  await p.tab(view);
  await p.waitStatus((s) => s.rendered.includes(view));
  if (view === 'graph') await p.waitDom(() => document.querySelectorAll('g.ll-node').length > 0);
  await p.page.mouse.move(0, 0);
  await p.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))); // the last frame painted
  await p.page.waitForTimeout(150);
  const file = join(docs, `inspector-${view.toLowerCase()}-${theme}.png`);
  // NOTE: docs/ keeps the committed (palette-compressed) screenshots, which the .vsix ships; a run rewrites
  // them only when asked (LAYERLENS_SCREENSHOTS=1), so the package's size does not depend on test order
  const png = await p.page.screenshot(process.env.LAYERLENS_SCREENSHOTS === '1' ? { path: file } : { scale: 'css' });
  expect(png.length).toBeGreaterThan(10_000);
}

describe('Inspector screenshots and themes', () => {
  it('every view in the dark and the light theme; switching the theme re-colours without a reload', async () => {
    const p = await InspectorPage.open(browser, h, 'dark', STATE, { width: 1280, height: 800 });
    await p.post(MODEL);
    await p.waitStatus((s) => s.ran && !s.busy);
    for (const v of ['summary', 'graph', 'featureMaps']) await shoot(p, v, 'dark');
    const bg = () => p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const label = () => p.page.$eval('.ll-node-label', (e) => getComputedStyle(e).fill);
    expect(await bg()).toBe('rgb(31, 31, 31)');
    const darkLabel = await label();
    await p.page.evaluate(() => (globalThis as any).__setTheme('light'));
    await p.waitDom(() => document.body.classList.contains('vscode-light'), null);
    expect(await bg()).toBe('rgb(255, 255, 255)');
    expect(await label()).not.toBe(darkLabel);
    for (const v of ['summary', 'graph', 'featureMaps']) await shoot(p, v, 'light');
    await p.page.evaluate(() => (globalThis as any).__setTheme('high-contrast'));
    await p.waitDom(() => document.body.classList.contains('vscode-high-contrast'), null);
    await shoot(p, 'summary', 'high-contrast');
    await p.close();
  });

  it('keyboard: Tab reaches the controls and the table with a visible focus ring', async () => {
    const p = await InspectorPage.open(browser, h, 'dark', STATE);
    await p.post(MODEL);
    await p.waitStatus((s) => s.ran && !s.busy);
    await p.page.focus('vscode-table-row.ll-row.selected');
    const ring = await p.page.evaluate(() => { const e = document.activeElement as HTMLElement; const s = getComputedStyle(e); return { tag: e.tagName, style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor }; });
    expect(ring).toEqual({ tag: 'VSCODE-TABLE-ROW', style: 'solid', width: '1px', color: 'rgb(0, 120, 212)' });
    // from the filter field, Tab moves on to the next control
    await p.page.locator('vscode-textfield.ll-filter input').focus();
    await p.page.keyboard.press('Tab');
    expect(await p.page.evaluate(() => document.activeElement?.tagName)).toBe('VSCODE-SINGLE-SELECT');
    await p.close();
  });
});
