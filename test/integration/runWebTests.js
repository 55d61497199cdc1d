// Integration tests inside a real VS Code: code-server (VS Code server + web workbench) driven by headless
// Chromium through playwright-core. Runs, against one code-server:
//   1. the mocha suite (out/test/integration/suite) in VS Code's Node extension host,
//   2. the UI check (test/integration/uiHover.js): hover shown with the keyboard, read from the DOM,
//   3. the Inspector UI check (test/integration/uiInspector.js): open from the palette, restore after a reload,
//   4. the packaging check: `vsce package` + `code-server --install-extension` of the .vsix.
// Prints `N passed, N failed` (all three together) as its last line. Adapted from
// shared/recipes/vscode-integration/scripts/run-web-tests.js; install code-server with `.ci/run`.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const { chromium } = require('playwright-core');
const { runUiHover } = require('./uiHover');
const { runUiInspector } = require('./uiInspector');
const { runUiArticle } = require('./uiArticle');

const root = path.resolve(__dirname, '..', '..');
const CS_VERSION = '4.100.3';
const codeServerBin = process.env.CODE_SERVER_BIN
  || path.join(root, `.vscode-test/code-server-${CS_VERSION}/node_modules/code-server/out/node/entry.js`);
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const extDev = root;
const extTests = path.join(root, 'out/test/integration/suite/index.js');
const workspace = path.join(root, 'test/integration/workspace');
const timeoutMs = Number(process.env.EXT_TEST_TIMEOUT_MS || 300000);
const verbose = !!process.env.VERBOSE;

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

function waitHttp(url, ms) {
  const end = Date.now() + ms;
  return new Promise((res, rej) => {
    const tick = () => http.get(url, (r) => { r.resume(); res(); })
      .on('error', () => (Date.now() > end ? rej(new Error('code-server did not start')) : setTimeout(tick, 250)));
    tick();
  });
}

/** Starts code-server on a free loopback port with throw-away user data; resolves once /healthz answers. */
async function startCodeServer(tmp) {
  const port = await freePort();
  fs.mkdirSync(path.join(tmp, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'user-data', 'User', 'settings.json'), JSON.stringify({
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false, 'chat.commandCenter.enabled': false, 'files.hotExit': 'off',
  }));
  const env = {
    ...process.env, EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}',
    XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_DATA_HOME: path.join(tmp, 'data'), XDG_CACHE_HOME: path.join(tmp, 'cache'),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  const args = [codeServerBin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'),
    '--config', path.join(tmp, 'config.yaml'), '--log', process.env.CS_LOG || 'info', workspace];
  const server = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => verbose && process.stdout.write('[server] ' + d));
  server.stderr.on('data', (d) => process.stderr.write('[server] ' + d));
  await waitHttp(`http://127.0.0.1:${port}/healthz`, 60000);
  return { server, port, env };
}

function workbenchUrl(port, payload) {
  const host = `127.0.0.1:${port}`;
  return `http://${host}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** 1. The mocha suite, reported through the workbench's codeAutomationLog/codeAutomationExit hooks. */
async function runSuite(browser, port) {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` }).catch(() => {});
  const page = await context.newPage();
  let resolveDone; const done = new Promise((r) => { resolveDone = r; });
  let counts = null;
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    console.log(...args);
    const m = /^(\d+) passed, (\d+) failed$/.exec(String(args[0] ?? ''));
    if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveDone(code));
  if (verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  await page.goto(workbenchUrl(port, [['extensionDevelopmentPath', remote(extDev)], ['extensionTestsPath', remote(extTests)], ['skipWelcome', 'true']]));
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => { console.error(`suite timeout after ${timeoutMs} ms`); r(2); }, timeoutMs))]);
  await context.close().catch(() => {});
  if (!counts) counts = { passed: 0, failed: 1 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // crashed after reporting
  return counts;
}

/** 4. The .vsix the marketplace would get installs into VS Code (offline). */
function runVsixCheck(tmp, env) {
  const vsix = path.join(tmp, 'layerlens.vsix');
  // the README's screenshots are relative links: vsce makes them absolute against the repository
  const repo = String(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).repository?.url ?? '').replace(/\.git$/, '');
  const vsce = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce', { paths: [root] }), 'package', '--no-dependencies', '-o', vsix, '--baseContentUrl', `${repo}/blob/HEAD`, '--baseImagesUrl', `${repo}/raw/HEAD`],
    { cwd: root, encoding: 'utf8' });
  if (vsce.status !== 0) { console.log('vsce package failed:\n' + vsce.stdout + vsce.stderr); return false; }
  const extDir = path.join(tmp, 'vsix-extensions');
  const cs = (args) => spawnSync(process.execPath, [codeServerBin, '--extensions-dir', extDir, '--user-data-dir', path.join(tmp, 'vsix-user'), ...args],
    { env, encoding: 'utf8', timeout: 120000 });
  const inst = cs(['--install-extension', vsix]);
  const list = cs(['--list-extensions', '--show-versions']);
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const ok = inst.status === 0 && list.stdout.includes(`layerlens.layerlens@${version}`);
  const files = fs.existsSync(extDir) ? fs.readdirSync(extDir).filter((d) => d.startsWith('layerlens.')) : [];
  const installed = files.length > 0 && fs.existsSync(path.join(extDir, files[0], 'dist', 'extension.js'));
  if (!ok || !installed) console.log('install-extension failed:\n' + inst.stdout + inst.stderr + list.stdout + list.stderr);
  else console.log(`vsix: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB, installed as ${files[0]}`);
  return ok && installed;
}

(async () => {
  const t0 = Date.now();
  if (!fs.existsSync(codeServerBin)) {
    console.error(`code-server not found at ${codeServerBin}; install it with: CI_INSTALL_ONLY=1 SKIP_NPM_CI=1 .ci/run`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  if (!fs.existsSync(extTests) || !fs.existsSync(path.join(root, 'dist/extension.js'))) {
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }
  const only = (process.env.LAYERLENS_ONLY || 'suite,ui,inspector,article,vsix').split(',');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layerlens-it-'));
  let passed = 0; let failed = 0;
  let cs; let browser;
  try {
    cs = await startCodeServer(tmp);
    console.log(`code-server up on ${cs.port} after ${Date.now() - t0} ms`);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    if (only.includes('suite')) {
      const r = await runSuite(browser, cs.port);
      console.log(`mocha suite: ${r.passed} passed, ${r.failed} failed (${Date.now() - t0} ms)`);
      passed += r.passed; failed += r.failed;
    }
    if (only.includes('ui')) {
      const ok = await runUiHover(browser, { port: cs.port, workbenchUrl: (payload) => workbenchUrl(cs.port, payload), extDev, root, tmp });
      console.log(`ui hover: ${ok ? 'passed' : 'FAILED'} (${Date.now() - t0} ms)`);
      if (ok) passed++; else failed++;
    }
    if (only.includes('inspector')) {
      const ok = await runUiInspector(browser, { port: cs.port, workbenchUrl: (payload) => workbenchUrl(cs.port, payload), extDev });
      console.log(`ui inspector (open, reload, restore): ${ok ? 'passed' : 'FAILED'} (${Date.now() - t0} ms)`);
      if (ok) passed++; else failed++;
    }
    if (only.includes('article')) {
      const ok = await runUiArticle(browser, { port: cs.port, workbenchUrl: (payload) => workbenchUrl(cs.port, payload), extDev, root });
      console.log(`ui article views (digits: a conv, a BatchNorm, an activation): ${ok ? 'passed' : 'FAILED'} (${Date.now() - t0} ms)`);
      if (ok) passed++; else failed++;
    }
    if (only.includes('vsix')) {
      const ok = runVsixCheck(tmp, cs.env);
      console.log(`vsix install: ${ok ? 'passed' : 'FAILED'} (${Date.now() - t0} ms)`);
      if (ok) passed++; else failed++;
    }
  } catch (e) {
    console.error(e);
    failed++;
  } finally {
    try { await browser?.close(); } catch { /* already gone */ }
    if (cs && cs.server.exitCode === null) cs.server.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`integration finished in ${Date.now() - t0} ms`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
})();
