// UI-level check through the real workbench DOM: open simple_cnn.py from the explorer, put the caret on
// `Conv2d` in `self.conv1 = nn.Conv2d(...)` (Ctrl+G line:column — token spans are not stable to click
// before the grammar loads), show the hover with Ctrl+K Ctrl+I (mouse hovering was flaky in the recipe;
// the keyboard was reliable) and read `.monaco-hover .hover-contents`.
// Called by runWebTests.js against its running code-server; `node uiHover.js` alone is not supported.
'use strict';
const fs = require('fs');
const path = require('path');

const FILE = 'simple_cnn.py';
const EXPECT = [
  /Conv2d/,
  /H_out = ⌊\(224 \+ 2·3 − 1·\(7 − 1\) − 1\) \/ 2⌋ \+ 1 = 112/,
  /MACs = N·C_out·H_out·W_out·\(C_in\/groups\)·K_h·K_w = 1·64·112·112·\(3\/1\)·7·7 = 118,013,952/,
  /params = C_out·\(C_in\/groups\)·K_h·K_w \+ C_out = 64·\(3\/1\)·7·7 \+ 64 = 9,472/,
];

/** 1-based line and column of the caret: inside `Conv2d` of `nn.Conv2d(3, 64, ...)`. */
function caretTarget(root) {
  const src = fs.readFileSync(path.join(root, 'test/integration/workspace', FILE), 'utf8');
  const at = src.indexOf('nn.Conv2d(3, 64') + 'nn.Con'.length;
  const before = src.slice(0, at).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** A fresh browser context with the workbench open on FILE (the extension loaded from `extDev`); the editor's lines. */
async function openFile(browser, { port, workbenchUrl, extDev }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(workbenchUrl([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extDev}`], ['skipWelcome', 'true']]));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click({ timeout: 60000 });
    const lines = page.locator('.monaco-editor .view-lines');
    await lines.first().waitFor({ timeout: 30000 });
    return { context, page, lines };
  } catch (e) {
    await context.close().catch(() => {});
    throw e;
  }
}

/** Moves the caret onto the first conv (Go to Line/Column) and asks for the hover (editor.action.showHover). */
async function askHover(page, lines, root) {
  const { line, col } = caretTarget(root);
  await lines.first().click({ position: { x: 5, y: 5 } }); // focus the editor
  await page.keyboard.press('Control+G');
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  return page.locator('.monaco-hover .hover-contents', { hasText: 'H_out' }).first();
}

const hoverText = async (page) => (await page.locator('.monaco-hover .hover-contents').allInnerTexts()).join('\n');

/** The expected formulas missing from the hover text (logged under `label`). */
function missingIn(text, label) {
  const flat = text.replace(/[ \t]+/g, ' ');
  const missing = EXPECT.filter((re) => !re.test(flat));
  for (const re of missing) console.log(`${label}: missing`, String(re));
  return { flat, missing };
}

async function runUiHover(browser, { port, workbenchUrl, extDev, root }) {
  let text = '', context, page;
  try {
    ({ context, page } = await openFile(browser, { port, workbenchUrl, extDev }));
    const lines = page.locator('.monaco-editor .view-lines');
    // The extension activates on the file and analyses it; retry until the LayerLens hover text appears.
    for (let i = 0; i < 12 && !EXPECT.every((re) => re.test(text)); i++) {
      const h = await askHover(page, lines, root);
      try {
        await h.waitFor({ state: 'visible', timeout: 4000 });
        text = await hoverText(page);
      } catch { /* not yet: extension still activating or analysing */ }
      await page.keyboard.press('Escape');
    }
  } catch (e) {
    console.log('ui hover error:', String(e.message).split('\n')[0]);
  }
  if (process.env.UI_SCREENSHOT && page) await page.screenshot({ path: path.resolve(process.env.UI_SCREENSHOT) }).catch(() => {});
  await context?.close().catch(() => {});
  const { flat, missing } = missingIn(text, 'ui hover');
  console.log('UI HOVER TEXT:', JSON.stringify(flat.slice(0, 2000)));
  return missing.length === 0;
}

/**
 * The first hover, asked for once, right after the file opens (while the extension activates and the first
 * analysis runs): it must be answered and stay up — not dropped when the CodeLens arrive. `extDev`: the
 * extension to load (the web worker host's copy, where this used to fail).
 */
async function runUiFirstHover(browser, { port, workbenchUrl, extDev, root }) {
  let text = '', context;
  try {
    const o = await openFile(browser, { port, workbenchUrl, extDev });
    context = o.context;
    const h = await askHover(o.page, o.lines, root);
    await h.waitFor({ state: 'visible', timeout: 45000 });
    await o.page.waitForTimeout(1500); // the CodeLens and inlay hints arrive meanwhile: the hover must stay
    text = await hoverText(o.page);
  } catch (e) {
    console.log('ui first hover error:', String(e.message).split('\n')[0]);
  }
  await context?.close().catch(() => {});
  return missingIn(text, 'ui first hover').missing.length === 0;
}

module.exports = { runUiHover, runUiFirstHover };
