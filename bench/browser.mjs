// The kernels in Debian's Chromium (headless, through playwright-core): which WebAssembly SIMD variant it
// validates, and conv 3×3 64→64 @56 on 1 and 2 threads with the Web Worker pool. Run: node bench/browser.mjs
// (needs /usr/bin/chromium and `npm run build` for dist/webview/opsWorker.js). Served over a local HTTP
// server twice: plain, and with COOP/COEP headers (cross-origin isolated, so the pool shares memory).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Serves `dir` on 127.0.0.1; with `isolated`, the COOP/COEP headers that make the page cross-origin isolated. */
function serve(dir, isolated) {
  const server = createServer((req, res) => {
    const file = join(dir, (req.url ?? '/') === '/' ? 'index.html' : (req.url ?? '').slice(1));
    if (!existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, {
      'Content-Type': file.endsWith('.html') ? 'text/html' : file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript',
      ...(isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Runs the page once not isolated (pool over copies) and once cross-origin isolated (SharedArrayBuffer). */
export async function benchBrowser({ chromium = '/usr/bin/chromium' } = {}) {
  if (!existsSync(chromium)) return [{ skipped: `no ${chromium}` }];
  const dir = mkdtempSync(join(tmpdir(), 'layerlens-browser-'));
  await build({ entryPoints: [join(root, 'bench/browserPage.ts')], outfile: join(dir, 'page.js'), bundle: true, platform: 'browser', format: 'esm', logLevel: 'warning' });
  copyFileSync(join(root, 'dist/webview/opsWorker.js'), join(dir, 'opsWorker.js'));
  // onnxruntime-web's WebAssembly build, loaded by the page itself (not bundled: it finds its .wasm beside it)
  const ortDist = join(root, 'node_modules/onnxruntime-web/dist');
  for (const f of ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(ortDist, f), join(dir, f));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>pending</title><script type="module" src="page.js"></script>');
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
  const results = [];
  try {
    for (const isolated of [false, true]) {
      const server = await serve(dir, isolated);
      try {
        const page = await browser.newPage();
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        await page.waitForFunction(() => document.title !== 'pending', null, { timeout: 120_000 });
        results.push({ chromium: browser.version(), ...JSON.parse(await page.title()) });
        await page.close();
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

/** Prints the Chromium check as a section of `npm run bench`. */
export async function printBrowser() {
  let rs;
  try {
    rs = await benchBrowser();
  } catch (e) {
    console.log(`\n## Chromium: not run (${e instanceof Error ? e.message.split('\n')[0] : e})`);
    return;
  }
  for (const r of rs) printOne(r);
}

function printOne(r) {
  if (r.skipped) { console.log(`\n## Chromium: skipped (${r.skipped})`); return; }
  if (r.error) { console.log(`\n## Chromium ${r.chromium}: failed: ${r.error}`); return; }
  console.log(`\n## Chromium ${r.chromium} (headless page + Web Workers, crossOriginIsolated: ${r.crossOriginIsolated}, pool over ${r.poolShared ? 'SharedArrayBuffer' : 'copies'})`);
  console.log(`WebAssembly variant: ${r.backend}; GEMM 64×576·576×3136: ${Object.entries(r).filter(([k]) => k.startsWith('gemmGflops')).map(([k, v]) => `${k.slice(11)} ${v.toFixed(1)} GFLOP/s`).join(', ')}`);
  console.log(`conv 3×3 64→64 @56: 1 thread ${r.conv1ThreadMs.toFixed(1)} ms, 2 threads ${r.conv2ThreadsMs.toFixed(1)} ms ${r.crossOriginIsolated ? '' : '(performance.now() is coarse without cross-origin isolation) '}; results equal: ${r.conv2dAsyncVsConv2d === 0}`);
  for (const [name, label, goal] of [['conv', 'conv 3×3 64→64 @56 (bias)', 'throughput >= 1.2x'], ['resnet18', 'ResNet-18 @224 forward (BN folded, conv + ReLU fused)', 'time <= 0.9x']]) {
    const o1 = r[`${name}Ours1Ms`], o2 = r[`${name}Ours2Ms`], ort = r[`${name}OrtMs`];
    if (o1 === undefined) continue;
    const best = Math.min(o1, o2);
    if (ort === undefined) { console.log(`${label}: LayerLens 1 thread ${o1.toFixed(1)} ms, 2 threads ${o2.toFixed(1)} ms; onnxruntime-web failed: ${r[`${name}OrtError`]}`); continue; }
    const met = name === 'conv' ? ort / best >= 1.2 : best <= 0.9 * ort;
    console.log(`${label}: LayerLens 1 thread ${o1.toFixed(1)} ms, 2 threads ${o2.toFixed(1)} ms; onnxruntime-web (${r.ortThreads} thread${r.ortThreads === 1 ? '' : 's'}) ${ort.toFixed(1)} ms; ` +
      `time ratio ${(best / ort).toFixed(2)}x, throughput ${(ort / best).toFixed(2)}x (max |diff| ${r[`${name}VsOrt`].toExponential(1)}); goal ${goal}: ${met ? 'met' : 'NOT met'}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await printBrowser();
