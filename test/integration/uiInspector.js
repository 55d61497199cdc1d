// UI-level check of the Inspector through the real workbench: open simple_cnn.py, run "LayerLens: Open
// Inspector" from the command palette, read the rendered rows from inside the webview's frame, reload the
// window, and read them again from the panel the WebviewPanelSerializer restored (with its saved state).
// Called by runWebTests.js against its running code-server; `node uiInspector.js` alone is not supported.
'use strict';
const { runCommand, reloadWindow } = require('./workbench');

const FILE = 'simple_cnn.py';

/** Rows of the Inspector's summary table, from whichever webview frame holds the Inspector. */
async function inspectorRows(page) {
  for (const f of page.frames()) {
    try {
      const n = await f.evaluate(() => {
        const app = document.querySelector('ll-inspector');
        return app ? { rows: app.querySelectorAll('vscode-table-row.ll-row').length, names: [...app.querySelectorAll('.ll-row .ll-name')].map((e) => e.textContent.trim()), view: app.querySelector('vscode-tabs')?.selectedIndex } : null;
      });
      if (n) return n;
    } catch { /* a detached or cross-origin frame */ }
  }
  return null;
}

async function waitRows(page, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await inspectorRows(page);
    if (r && r.rows > 0) return r;
    if (Date.now() > end) return r;
    await page.waitForTimeout(500);
  }
}

async function runUiInspector(browser, { port, workbenchUrl, extDev }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  let before = null, after = null, title = false;
  try {
    await page.goto(workbenchUrl([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extDev}`], ['skipWelcome', 'true']]));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click({ timeout: 60000 });
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
    for (let i = 0; i < 6 && !(before && before.rows > 0); i++) {
      if (await runCommand(page, 'LayerLens: Open Inspector')) before = await waitRows(page, 20000);
    }
    // a reload through the workbench's own command (its shutdown saves the editors, the panel's state with
    // them); the window and the extension host start again and the serializer restores the panel
    await page.waitForTimeout(1000);
    await reloadWindow(page);
    after = await waitRows(page, 60000);
    title = await page.locator('.tab', { hasText: 'Inspector: StemNet()' }).count() > 0;
  } catch (e) {
    console.log('ui inspector error:', String(e.message).split('\n')[0]);
  }
  if (process.env.UI_SCREENSHOT) await page.screenshot({ path: process.env.UI_SCREENSHOT.replace(/(\.png)?$/, '-inspector.png') }).catch(() => {});
  await context.close().catch(() => {});
  console.log('UI INSPECTOR:', JSON.stringify({ before, after, title }));
  return !!(before && before.rows === 7 && after && after.rows === 7 && title && JSON.stringify(before.names) === JSON.stringify(after.names));
}

module.exports = { runUiInspector };
