// Installed like a user would: `npm run package`'s .vsix goes into a clean code-server (its own user-data and
// extensions folders, `--install-extension`), which then opens a copy of the trained example
// (examples/digits) with no development extension at all. Through the workbench's DOM: activation (the
// status bar names the model), the hover on conv1 with its formulas, the CodeLens, the text summary and the
// Inspector's rows, all from the packaged build. Writes docs/hover.png, docs/codelens.png and
// docs/diagnostics.png (the README's and the walkthrough's pictures) when LAYERLENS_SCREENSHOTS=1.
// Called by runWebTests.js; `node uiInstalled.js` alone is not supported.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { runCommand } = require('./workbench');

// DigitsCNN: conv1 = Conv2d(1, 8, 3, padding=1) on [1, 1, 16, 16]; the numbers PyTorch gives (examples/digits/README.md)
const HOVER = [/Conv2d/, /H_out = ⌊\(16 \+ 2·1 − 1·\(3 − 1\) − 1\) \/ 1⌋ \+ 1 = 16/, /MACs = N·C_out·H_out·W_out·\(C_in\/groups\)·K_h·K_w = 1·8·16·16·\(1\/1\)·3·3 = 18,432/, /params = C_out·\(C_in\/groups\)·K_h·K_w \+ C_out = 8·\(1\/1\)·3·3 \+ 8 = 80/];
const LENS = '3.87 K params · 94.72 KMACs · out [1, 10]';
const SUMMARY = [/Total params: 3,866/, /fc \(Linear\)\s+\[1, 10\]\s+2,570\s+2,560/];

function caret(src, needle, into) {
  const before = src.slice(0, src.indexOf(needle) + into).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

async function gotoAndHover(page, { line, col }, want, tries = 12) {
  const lines = page.locator('.monaco-editor .view-lines').first();
  let text = '';
  for (let i = 0; i < tries && !want.every((re) => re.test(text)); i++) {
    await lines.click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+G');
    await page.keyboard.type(`${line}:${col}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    try {
      await page.locator('.monaco-hover .hover-contents').first().waitFor({ state: 'visible', timeout: 4000 });
      await page.waitForTimeout(300);
      text = (await page.locator('.monaco-hover .hover-contents').allInnerTexts()).join('\n').replace(/[ \t]+/g, ' ');
    } catch { /* not yet */ }
    if (!want.every((re) => re.test(text))) await page.keyboard.press('Escape');
  }
  return text;
}


async function inspectorRows(page) {
  for (const f of page.frames()) {
    try {
      const n = await f.evaluate(() => { const a = document.querySelector('ll-inspector'); return a ? a.querySelectorAll('vscode-table-row.ll-row').length : null; });
      if (n) return n;
    } catch { /* detached or cross-origin */ }
  }
  return 0;
}

/** Crops a screenshot to the union of the boxes of `locators` plus a margin, inside the page. */
async function shot(page, file, locators, margin = 16) {
  const boxes = (await Promise.all(locators.map((l) => l.boundingBox().catch(() => null)))).filter(Boolean);
  if (!boxes.length) return;
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin), y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
  const r = Math.max(...boxes.map((b) => b.x + b.width)) + margin, btm = Math.max(...boxes.map((b) => b.y + b.height)) + margin;
  await page.screenshot({ path: file, clip: { x, y, width: Math.min(1400, r) - x, height: Math.min(900, btm) - y } });
}

async function runUiInstalled(browser, { codeServerBin, root, tmp, env, startServer }) {
  const result = { packaged: false, installed: false, activated: false, hover: '', lens: [], summary: '', rows: 0, sizeKiB: 0 };
  const vsix = path.join(tmp, 'installed', 'layerlens.vsix');
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  const pack = spawnSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { cwd: root, encoding: 'utf8' });
  result.packaged = pack.status === 0 && fs.existsSync(vsix);
  if (!result.packaged) { console.log('npm run package failed:\n' + pack.stdout + pack.stderr); return false; }
  result.sizeKiB = Math.round(fs.statSync(vsix).size / 1024);
  const extDir = path.join(tmp, 'installed', 'extensions');
  const userDir = path.join(tmp, 'installed', 'user-data');
  const inst = spawnSync(process.execPath, [codeServerBin, '--extensions-dir', extDir, '--user-data-dir', userDir, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120000 });
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  result.installed = inst.status === 0 && fs.existsSync(path.join(extDir, `layerlens.layerlens-${version}`, 'dist', 'extension.js'));
  if (!result.installed) { console.log('install-extension failed:\n' + inst.stdout + inst.stderr); return false; }

  // the example as a user has it: a folder of their own (a copy), plus a file with a shape mismatch
  const ws = path.join(tmp, 'installed', 'digits');
  fs.cpSync(path.join(root, 'examples/digits'), ws, { recursive: true });
  fs.copyFileSync(path.join(root, 'test/integration/workspace/mismatch.py'), path.join(ws, 'mismatch.py'));
  const cs = await startServer({ extensionsDir: extDir, userDataDir: userDir, folder: ws });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const shots = process.env.LAYERLENS_SCREENSHOTS === '1' ? path.join(root, 'docs') : null;
  try {
    await page.goto(`http://127.0.0.1:${cs.port}/?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'model.py' }).first().click({ timeout: 60000 });
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
    result.activated = await page.locator('.statusbar-item', { hasText: 'DigitsCNN()' }).first().waitFor({ timeout: 60000 }).then(() => true, () => false);
    const src = fs.readFileSync(path.join(ws, 'model.py'), 'utf8');
    result.hover = await gotoAndHover(page, caret(src, 'nn.Conv2d(1, 8', 6), HOVER);
    if (shots) await shot(page, path.join(shots, 'hover.png'), [page.locator('.monaco-hover', { hasText: 'H_out' }).last(), page.locator('.monaco-editor .view-line', { hasText: 'self.conv1 = nn.Conv2d' }).first()]);
    await page.keyboard.press('Escape');
    await page.locator('.codelens-decoration', { hasText: 'params' }).first().waitFor({ timeout: 30000 }).catch(() => {});
    result.lens = await page.locator('.codelens-decoration').allInnerTexts();
    if (shots) await shot(page, path.join(shots, 'codelens.png'), [page.locator('.codelens-decoration').first(), page.locator('.monaco-editor .view-line', { hasText: 'self.fc = nn.Linear' }).first()]);
    await runCommand(page, 'LayerLens: Show Model Summary as Text');
    for (let i = 0; i < 40 && !SUMMARY.every((re) => re.test(result.summary)); i++) {
      await page.waitForTimeout(500);
      result.summary = (await page.locator('.monaco-editor .view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
    }
    await page.keyboard.press('Control+K'); await page.keyboard.press('W'); // close the editors
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'model.py' }).first().click();
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
    for (let i = 0; i < 4 && !result.rows; i++) {
      await runCommand(page, 'LayerLens: Open Inspector');
      for (let j = 0; j < 40 && !result.rows; j++) { await page.waitForTimeout(500); result.rows = await inspectorRows(page); }
    }
    if (shots) {
      // the diagnostic's hover on the literal the Quick Fix changes
      await page.keyboard.press('Control+K'); await page.keyboard.press('W');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'mismatch.py' }).first().click();
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 }).catch(() => {});
      const m = fs.readFileSync(path.join(ws, 'mismatch.py'), 'utf8');
      await gotoAndHover(page, caret(m, 'nn.Linear(400', 11), [/3136|3,136/], 6);
      await shot(page, path.join(shots, 'diagnostics.png'), [page.locator('.monaco-hover', { hasText: '400' }).last(), page.locator('.monaco-editor .view-line', { hasText: 'self.fc = nn.Linear' }).first()]);
    }
  } catch (e) {
    console.log('installed ui error:', String(e.message).split('\n')[0]);
  } finally {
    await context.close().catch(() => {});
    if (cs.server.exitCode === null) cs.server.kill('SIGTERM');
  }
  console.log('INSTALLED:', JSON.stringify({ ...result, hover: result.hover.slice(0, 400), summary: result.summary.slice(0, 300) }));
  const ok = result.activated && HOVER.every((re) => re.test(result.hover)) && result.lens.some((t) => t.includes(LENS)) && SUMMARY.every((re) => re.test(result.summary)) && result.rows === 9;
  for (const re of HOVER) if (!re.test(result.hover)) console.log('installed: hover misses', String(re));
  return ok;
}

module.exports = { runUiInstalled };
