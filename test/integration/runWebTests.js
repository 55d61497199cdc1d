// Integration tests inside a real VS Code: code-server (VS Code server + web workbench) driven by headless
// Chromium through playwright-core. Runs, against one code-server:
//   1. the mocha suite (out/test/integration/suite) in VS Code's Node extension host,
//   2. the UI check (test/integration/uiHover.js): hover shown with the keyboard, read from the DOM,
//   3. the Inspector UI check (test/integration/uiInspector.js): open from the palette, restore after a reload,
//   4. the browser entry's suite (test/integration/web) in the web worker extension host,
//   5. VS Code in Chinese (test/integration/zh, a code-server with `--locale zh-cn`),
//   6. the installed build (test/integration/uiInstalled.js): `npm run package`'s .vsix installed into a clean
//      code-server of its own, the example opened and used through the UI.
// Prints `N passed, N failed` (all together) as its last line. Adapted from
// shared/recipes/vscode-integration/scripts/run-web-tests.js; install code-server with `.ci/run`.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const { chromium } = require('playwright-core');
const { runUiHover, runUiFirstHover } = require('./uiHover');
const { runUiInspector } = require('./uiInspector');
const { runUiArticle } = require('./uiArticle');
const { runUiInstalled } = require('./uiInstalled');

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

/**
 * Starts code-server on a free loopback port with throw-away user data; resolves once /healthz answers.
 * `opts`: another instance's folders (the installed-.vsix check), folder to open, extra arguments (`--locale`).
 */
async function startCodeServer(tmp, opts = {}) {
  const port = await freePort();
  const userData = opts.userDataDir || path.join(tmp, 'user-data');
  const state = path.join(userData, '..', `cs-${port}`);
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false, 'chat.commandCenter.enabled': false, 'files.hotExit': 'off',
  }));
  const env = {
    ...process.env, EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY || '{}',
    XDG_CONFIG_HOME: path.join(state, 'config'), XDG_DATA_HOME: path.join(state, 'data'), XDG_CACHE_HOME: path.join(state, 'cache'),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  const args = [codeServerBin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', opts.extensionsDir || path.join(tmp, 'extensions'),
    '--config', path.join(state, 'config.yaml'), '--log', process.env.CS_LOG || 'info', ...(opts.args || []), opts.folder || workspace];
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

/**
 * 1. The mocha suite, reported through the workbench's codeAutomationLog/codeAutomationExit hooks: the Node
 * extension host's (out/test/integration/suite), or another extension and suite (the web host's, below).
 */
async function runSuite(browser, port, devPath = extDev, testsPath = extTests) {
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
  await page.goto(workbenchUrl(port, [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)], ['skipWelcome', 'true']]));
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => { console.error(`suite timeout after ${timeoutMs} ms`); r(2); }, timeoutMs))]);
  await context.close().catch(() => {});
  if (!counts) counts = { passed: 0, failed: 1 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // crashed after reporting
  return counts;
}

/**
 * 5. VS Code in Chinese: a second code-server with `--locale zh-cn` runs test/integration/zh (a hover read in
 * Chinese, the contributed titles) in the Node extension host.
 */
async function runZh(browser, tmp) {
  const out = path.join(root, 'out/test/integration/zh');
  fs.rmSync(out, { recursive: true, force: true });
  // VS Code takes --locale only for a display language a language pack provides: the server reads them from
  // user-data/languagepacks.json (which it writes when a window lists the installed packs). The fixture in
  // test/integration/zh/langpack declares zh-cn with no translations of VS Code itself; the extensions' own
  // bundles (l10n/bundle.l10n.zh-cn.json, package.nls.zh-cn.json) are what is tested.
  const dirs = { userDataDir: path.join(tmp, 'zh', 'user-data'), extensionsDir: path.join(tmp, 'zh', 'extensions') };
  fs.mkdirSync(dirs.userDataDir, { recursive: true });
  const fixture = path.join(root, 'test/integration/zh/langpack');
  const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(fixture, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(dirs.userDataDir, 'languagepacks.json'), JSON.stringify({
    'zh-cn': { hash: `${name}-${version}`, label: '中文(简体)', extensions: [{ extensionIdentifier: { id: `${publisher}.${name}` }, version }],
      translations: { vscode: path.join(fixture, 'translations/main.i18n.json') } },
  }));
  await require('esbuild').build({
    entryPoints: [path.join(root, 'test/integration/suite/index.ts'), path.join(root, 'test/integration/zh/zhHover.test.ts')],
    outdir: out, entryNames: '[name]', bundle: true, platform: 'node', format: 'cjs', external: ['vscode', 'mocha', 'glob'], logLevel: 'warning', target: 'es2022',
  });
  const cs = await startCodeServer(tmp, { ...dirs, args: ['--locale', 'zh-cn'] });
  try {
    return await runSuite(browser, cs.port, extDev, path.join(out, 'index.js'));
  } finally {
    if (cs.server.exitCode === null) cs.server.kill('SIGTERM');
  }
}

/**
 * 4. The browser entry in VS Code's web worker extension host (vscode.dev's): a copy of the extension without
 * `main` (code-server then runs it there) holding the browser bundles, and test/integration/web's suite
 * bundled for that host inside it (a test file inside the extension runs in the extension's host).
 */
async function runWebHost(browser, port, tmp) {
  const ext = path.join(tmp, 'web-extension');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete pkg.main;
  fs.mkdirSync(ext, { recursive: true });
  fs.writeFileSync(path.join(ext, 'package.json'), JSON.stringify(pkg, null, 2));
  const copies = ['dist/web', 'dist/webview', 'l10n', 'media', 'examples/digits', ...fs.readdirSync(root).filter((f) => /^package\.nls.*\.json$/.test(f))];
  for (const f of copies) if (fs.existsSync(path.join(root, f))) fs.cpSync(path.join(root, f), path.join(ext, f), { recursive: true });
  const suite = path.join(ext, 'out/webSuite.js');
  await require('esbuild').build({
    entryPoints: [path.join(root, 'test/integration/web/index.ts')], outfile: suite, bundle: true, platform: 'browser', format: 'cjs',
    external: ['vscode'], alias: { assert: path.join(root, 'test/integration/web/assertShim.ts') }, logLevel: 'warning', target: 'es2022',
  });
  const r = await runSuite(browser, port, ext, suite);
  // the first hover through the real UI, asked for once while the first analysis runs (6 of 6 were lost
  // when the analysis ran inline on this host)
  const first = await runUiFirstHover(browser, { port, workbenchUrl: (payload) => workbenchUrl(port, payload), extDev: ext, root });
  console.log(`web host, first hover through the UI: ${first ? 'passed' : 'FAILED'}`);
  return { passed: r.passed + (first ? 1 : 0), failed: r.failed + (first ? 0 : 1) };
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
  const only = (process.env.LAYERLENS_ONLY || 'suite,ui,inspector,article,webhost,zh,installed').split(',');
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
    if (only.includes('webhost')) {
      const r = await runWebHost(browser, cs.port, tmp);
      console.log(`web extension host suite: ${r.passed} passed, ${r.failed} failed (${Date.now() - t0} ms)`);
      passed += r.passed; failed += r.failed;
    }
    if (only.includes('zh')) {
      const r = await runZh(browser, tmp);
      console.log(`zh-cn suite: ${r.passed} passed, ${r.failed} failed (${Date.now() - t0} ms)`);
      passed += r.passed; failed += r.failed;
    }
    if (only.includes('installed')) {
      const ok = await runUiInstalled(browser, { codeServerBin, root, tmp, env: cs.env, startServer: (o) => startCodeServer(tmp, o) });
      console.log(`installed .vsix (package, install, activation, hover, CodeLens, summary, Inspector): ${ok ? 'passed' : 'FAILED'} (${Date.now() - t0} ms)`);
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
