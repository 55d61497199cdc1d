// UI-level check through the real workbench DOM: open simple_cnn.py from the explorer, put the caret on
// `Conv2d` in `self.conv1 = nn.Conv2d(...)`, show the hover with Ctrl+K Ctrl+I (mouse hovering was flaky
// in the recipe; the keyboard was reliable) and read `.monaco-hover .hover-contents`.
// Called by runWebTests.js against its running code-server; `node uiHover.js` alone is not supported.
'use strict';
const path = require('path');

const FILE = 'simple_cnn.py';
const EXPECT = [
  /Conv2d/,
  /H_out = ⌊\(224 \+ 2·3 − 1·\(7 − 1\) − 1\) \/ 2⌋ \+ 1 = 112/,
  /MACs = 64 · 112 · 112 · \(3\/1\) · 7 · 7 = 118,013,952/,
  /params = 64·3·7·7 \+ 64 = 9,472/,
];

async function runUiHover(browser, { port, workbenchUrl, extDev }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  let text = '';
  try {
    await page.goto(workbenchUrl([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${extDev}`], ['skipWelcome', 'true']]));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click({ timeout: 60000 });
    const word = page.locator('.monaco-editor .view-lines span', { hasText: /^Conv2d$/ }).first();
    await word.waitFor({ timeout: 30000 });
    // The extension activates on the file and analyses it; retry until the LayerLens hover text appears.
    for (let i = 0; i < 12 && !EXPECT.every((re) => re.test(text)); i++) {
      await word.click();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const h = page.locator('.monaco-hover .hover-contents', { hasText: 'H_out' }).first();
      try {
        await h.waitFor({ state: 'visible', timeout: 4000 });
        text = (await page.locator('.monaco-hover .hover-contents').allInnerTexts()).join('\n');
      } catch { /* not yet: extension still activating or analysing */ }
      await page.keyboard.press('Escape');
    }
  } catch (e) {
    console.log('ui hover error:', String(e.message).split('\n')[0]);
  }
  if (process.env.UI_SCREENSHOT) await page.screenshot({ path: path.resolve(process.env.UI_SCREENSHOT) }).catch(() => {});
  await context.close().catch(() => {});
  const flat = text.replace(/[ \t]+/g, ' ');
  console.log('UI HOVER TEXT:', JSON.stringify(flat.slice(0, 2000)));
  const missing = EXPECT.filter((re) => !re.test(flat));
  for (const re of missing) console.log('ui hover: missing', String(re));
  return missing.length === 0;
}

module.exports = { runUiHover };
