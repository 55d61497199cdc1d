// Builds the three bundles: extension host (Node, CJS), webview (browser), CLI (Node, CJS with shebang).
// Also a web-extension host bundle (browser, CJS), and copies the webview's CSS and the codicon font into
// dist/webview (the panel's only resource root). `--watch` rebuilds on change. `--cli` (npm pack's prepack)
// builds only the CLI and its compute-pool worker, minified and without source maps, each file replaced at once
// (written beside and renamed: a test running dist/cli.js meanwhile never reads half a file).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { buildWasm } from './buildWasm.mjs';
import { buildGrammar } from './buildGrammar.mjs';
import { copyWebviewAssets, shippedBundles } from './bundles.mjs';

const watch = process.argv.includes('--watch');
// NOTE: fflate's Node build requires worker_threads when loaded (for its async API, which we never use):
// a cold `layerlens summary` would pay that module's start-up; its browser build is the same inflate code.
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022', legalComments: 'none', alias: { fflate: 'fflate/browser' } };

const builds = [
  // what the extension ships (scripts/bundles.mjs; `npm run package` builds the same minified)
  ...shippedBundles('dist', common),
  // the CLI: dist/cli.js loads dist/cliMain.js through a V8 code cache (engine/node/cliLoader.ts)
  { ...common, entryPoints: ['engine/node/cliMain.ts'], outfile: 'dist/cliMain.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['engine/node/cliLoader.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', sourcemap: false, banner: { js: '#!/usr/bin/env node' } },
  // the engine as a library, for the in-process (warm) benchmark
  { ...common, entryPoints: ['engine/index.ts'], outfile: 'out/bench/engine.js', platform: 'node', format: 'cjs', sourcemap: false },
  // the compute pool's worker (worker_threads), beside the bundles that create a Node pool
  { ...common, entryPoints: ['engine/node/opsWorker.ts'], outfile: 'dist/opsWorker.js', platform: 'node', format: 'cjs' },
  { ...common, entryPoints: ['engine/node/opsWorker.ts'], outfile: 'out/bench/opsWorker.js', platform: 'node', format: 'cjs', sourcemap: false },
  { ...common, entryPoints: ['engine/node/nodePool.ts'], outfile: 'out/bench/nodePool.js', platform: 'node', format: 'cjs', sourcemap: false },
  // the kernels, pool and parallel ops for `npm run bench` (bench/ops.mjs)
  { ...common, entryPoints: ['bench/opsEntry.ts'], outfile: 'out/bench/ops.js', platform: 'node', format: 'cjs', sourcemap: false },
  // the Inspector's Chromium harness (test/browser), for bench/inspector.mjs
  { ...common, entryPoints: ['test/browser/harness/harnessServer.ts'], outfile: 'out/bench/harnessServer.js', platform: 'node', format: 'cjs', sourcemap: false },
  // the compute pool's Web Worker, for the webview worker / browser extension host to start
  { ...common, entryPoints: ['engine/ops/pool/browserWorker.ts'], outfile: 'dist/webview/opsWorker.js', platform: 'browser', format: 'iife' },
].filter((b) => b.entryPoints.every((e) => existsSync(e)));
// Integration suite (mocha, runs inside VS Code's extension host): index.ts + every *.test.ts, one CJS file each.
const suiteDir = 'test/integration/suite';
if (existsSync(suiteDir)) {
  const suiteEntries = readdirSync(suiteDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => `${suiteDir}/${f}`);
  builds.push({ ...common, entryPoints: suiteEntries, outdir: 'out/test/integration/suite', platform: 'node', format: 'cjs', external: ['vscode', 'mocha', 'glob'] });
}

// The Python grammar (engine/python/lezer/python.grammar → parser.ts) before any bundle includes it.
buildGrammar({ quick: true });

// The WebAssembly kernels (assembly/*.ts → engine/ops/wasm/kernels.generated.js) before any bundle embeds them.
await buildWasm();

if (process.argv.includes('--cli')) {
  const cli = { ...common, minify: true, sourcemap: false, platform: 'node', format: 'cjs', write: false };
  const outs = await Promise.all([
    esbuild.build({ ...cli, entryPoints: ['engine/node/cliLoader.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
    esbuild.build({ ...cli, entryPoints: ['engine/node/cliMain.ts'], outfile: 'dist/cliMain.js' }),
    esbuild.build({ ...cli, entryPoints: ['engine/node/opsWorker.ts'], outfile: 'dist/opsWorker.js' }),
  ]);
  for (const f of outs.flatMap((o) => o.outputFiles)) {
    writeFileSync(`${f.path}.tmp`, f.contents, { mode: 0o755 });
    renameSync(`${f.path}.tmp`, f.path);
    rmSync(`${f.path}.map`, { force: true });
  }
  process.exit(0);
}

if (watch) {
  for (const b of builds) { const ctx = await esbuild.context(b); await ctx.watch(); }
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
copyWebviewAssets('dist');
