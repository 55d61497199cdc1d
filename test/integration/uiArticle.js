// UI-level check of the Inspector's article views in the real workbench: open the trained example
// (workspace/digits → examples/digits), open the Inspector from the command palette, choose digits.pth in
// its Weights list, then select a conv, a BatchNorm and an activation layer in the Summary and read each
// view's headline numbers from the webview's DOM: they must be the engine's for the same run in Node
// (the seeded N(0, 1) input, the trained weights, eval mode). Called by runWebTests.js; not run alone.
'use strict';
const fs = require('fs');
const path = require('path');
const { runCommand } = require('./workbench');

/** Runs `fn` in whichever webview frame holds the Inspector; null when none does yet. */
async function inFrame(page, fn, arg) {
  for (const f of page.frames()) {
    try {
      // playwright calls the function through the debugger protocol: the webview's CSP (no eval) does not apply
      const r = await f.evaluate(fn, arg);
      if (r !== undefined && r !== null) return r;
    } catch { /* a detached frame, or not the Inspector's (the selectors are not there) */ }
  }
  return null;
}

async function until(page, fn, arg, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await inFrame(page, fn, arg).catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(400);
  }
}

/** The same run in Node: the engine bundle the build writes for the benchmark. */
function expected(root) {
  const engine = require(path.join(root, 'out/bench/engine.js'));
  const file = path.join(root, 'examples/digits/model.py');
  const host = { readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } } };
  const r = engine.runModel({ file, host, model: 'DigitsCNN()', input: [[1, 1, 16, 16]], mode: 'eval', seed: 0, weights: new Uint8Array(fs.readFileSync(path.join(root, 'examples/digits/digits.pth'))), weightsName: 'digits.pth', keepTensors: true, capture: true });
  const at = (n) => r.rows.findIndex((x) => x.name === n);
  const conv2 = r.tensors[at('conv2')].output.data[0];
  const bn = r.captures[at('bn2')];
  const x = r.captures[at('elu')].args[0].data;
  const share = Array.from(x).filter((v) => Math.abs(v > 0 ? 1 : Math.exp(v)) < 0.05).length / x.length;
  return { conv2, bnMean: bn.batchStats.mean[0], bnVar: bn.batchStats.var[0], runningMean: bn.args[3].data[0], share, gradNorm: r.rows.map((x) => x.gradNorm) };
}

const near = (a, b, rtol = 1e-4) => Number.isFinite(a) && Math.abs(a - b) <= rtol * Math.abs(b) + 1e-6;

async function runUiArticle(browser, { port, workbenchUrl, extDev, root }) {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
  const page = await context.newPage();
  const got = {};
  let want = null, ok = false;
  try {
    want = expected(root);
    await page.goto(workbenchUrl([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extDev}`], ['skipWelcome', 'true']]));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    // Quick Open: digits/model.py (the folder is a link to examples/digits)
    await page.keyboard.press('F1');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('digits/model.py');
    // the file search answers after a moment: pick its row when it is there
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'model.py' }).first().click({ timeout: 30000 });
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
    let open = null;
    for (let i = 0; i < 6 && !open; i++) {
      if (!(await runCommand(page, 'LayerLens: Open Inspector'))) continue;
      open = await until(page, () => document.querySelectorAll('vscode-table-row.ll-row').length > 0 || null, null, 20000, 'the Inspector').catch(() => null);
    }
    // the trained weights from the Weights list (the host offers the files next to the model)
    await until(page, () => {
      const sel = document.querySelector('.ll-weights');
      const opt = [...document.querySelectorAll('.ll-weights vscode-option')].find((o) => (o.textContent || '').trim() === 'digits.pth');
      if (!sel || !opt) return null;
      sel.value = opt.getAttribute('value');
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    }, null, 30000, 'digits.pth in the Weights list');
    await until(page, () => (document.querySelector('.ll-timing') && !document.querySelector('vscode-progress-bar') && (document.querySelector('.ll-status')?.textContent || '').indexOf('previous') < 0) || null, null, 60000, 'the run with digits.pth');
    await page.waitForTimeout(500);
    const pick = async (name, view) => {
      await inFrame(page, () => { document.querySelector('vscode-tab-header[data-tab="summary"]').click(); return true; }, null);
      await until(page, (n) => { const r = [...document.querySelectorAll('vscode-table-row.ll-row')].find((x) => x.querySelector('.ll-name')?.textContent.trim() === n); if (!r) return null; r.click(); return true; }, name, 20000, `row ${name}`);
      await inFrame(page, (v) => { document.querySelector(`vscode-tab-header[data-tab="${v}"]`).click(); return true; }, view);
    };
    // a conv: the step-through on conv2, first cell of filter 0
    await pick('conv2', 'convStep');
    await inFrame(page, () => { document.querySelector('.ll-conv-layer').click(); return true; }, null);
    got.conv = await until(page, () => { const t = document.querySelector('.ll-conv-total'); return t && document.querySelector('.ll-conv-row') ? { total: Number(t.getAttribute('data-value')), formula: document.querySelector('.ll-conv-formula')?.textContent.replace(/\s+/g, ' ').trim() } : null; }, null, 20000, 'the step-through');
    // a BatchNorm: bn2, channel 0
    await pick('bn2', 'batchNorm');
    got.bn = await until(page, () => { const e = document.querySelector('.ll-bn-headline'); const r = document.querySelector('.ll-bn-running'); return e && r && document.querySelector('.ll-bn-row')?.value ? { mean: Number(e.getAttribute('data-mean')), var: Number(e.getAttribute('data-var')), running: Number(r.getAttribute('data-mean')), text: e.textContent.replace(/\s+/g, ' ').trim() } : null; }, null, 20000, 'the BatchNorm view');
    // an activation: elu, and the gradient flow under it
    await pick('elu', 'activations');
    got.act = await until(page, () => { const e = document.querySelector('.ll-act-headline'); const f = document.querySelector('.ll-act-f'); return e && f && f.textContent.includes('ELU') ? { share: Number(e.getAttribute('data-share')), f: f.textContent.replace(/\s+/g, ' ').trim(), norms: [...document.querySelectorAll('.ll-flow-norm')].map((x) => Number(x.getAttribute('data-value'))) } : null; }, null, 20000, 'the Activations view');
    ok = near(got.conv.total, want.conv2) && /⌊\(8 − 3 \+ 2·1\)\/1⌋ \+ 1 = 8/.test(got.conv.formula)
      && near(got.bn.mean, want.bnMean) && near(got.bn.var, want.bnVar) && near(got.bn.running, want.runningMean, 1e-6)
      && near(got.act.share, want.share, 1e-3) && /α\(eˣ − 1\)/.test(got.act.f)
      && got.act.norms.length === want.gradNorm.length && got.act.norms.every((v, i) => near(v, want.gradNorm[i]));
  } catch (e) {
    console.log('ui article error:', String(e.message).split('\n')[0]);
  }
  if (process.env.UI_SCREENSHOT) await page.screenshot({ path: process.env.UI_SCREENSHOT.replace(/(\.png)?$/, '-article.png') }).catch(() => {});
  await context.close().catch(() => {});
  console.log('UI ARTICLE:', JSON.stringify({ got, want }));
  return ok;
}

module.exports = { runUiArticle };
