// Shared steps through the real workbench DOM for the UI checks (uiInspector, uiArticle, uiInstalled):
// running a command from the palette only once its row is the focused one (typing and pressing Enter at a
// fixed delay ran whatever the list held at that moment on a slow machine), and a window reload that is
// confirmed by the page itself rather than by one `load` event.
'use strict';

/**
 * Opens the command palette, types `label` and presses Enter once the focused row is that command.
 * Returns false (palette closed) if the row did not show within `ms`.
 */
async function runCommand(page, label, ms = 15000) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: ms });
  await input.fill(`>${label}`);
  try {
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ state: 'visible', timeout: ms });
  } catch {
    await page.keyboard.press('Escape');
    return false;
  }
  await page.keyboard.press('Enter');
  return true;
}

/** True once the page's current document is not the one marked by `reloadWindow` (false while navigating). */
async function reloaded(page) {
  try {
    return await page.evaluate(() => !window.__layerlensBeforeReload && !!document.querySelector('.monaco-workbench'));
  } catch {
    return false; // the execution context went away mid-navigation
  }
}

/**
 * "Developer: Reload Window" through the workbench (its shutdown saves editors and webview state), tried
 * up to `tries` times; resolves when the new document has its workbench. Throws if it never reloads.
 */
async function reloadWindow(page, { tries = 3, ms = 90000 } = {}) {
  for (let i = 0; i < tries; i++) {
    await page.evaluate(() => { window.__layerlensBeforeReload = true; });
    if (!(await runCommand(page, 'Developer: Reload Window'))) continue;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await reloaded(page)) return;
      await page.waitForTimeout(250);
    }
  }
  throw new Error(`the window did not reload after ${tries} tries`);
}

module.exports = { runCommand, reloadWindow };
