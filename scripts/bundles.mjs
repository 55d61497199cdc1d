// The bundles the extension ships (the .vsix holds exactly these, see scripts/package.mjs) and the webview's
// static files, for the development build (scripts/build.mjs, into dist/) and the packaged one (minified, no
// source maps, into the package's staging folder). Nothing else: the CLI and bench bundles are built by build.mjs.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** esbuild options of every shipped bundle, written under `out` (a folder that plays dist/). */
export function shippedBundles(out, common) {
  const b = [
    // extension host (Node, CJS) and its isolated analysis (a child process, else worker_threads)
    { ...common, entryPoints: ['extension/extension.ts'], outfile: join(out, 'extension.js'), platform: 'node', format: 'cjs', external: ['vscode'] },
    { ...common, entryPoints: ['extension/analysis/worker.ts'], outfile: join(out, 'analysisWorker.js'), platform: 'node', format: 'cjs' },
    // web extension host (browser, CJS) and its analysis Web Worker
    { ...common, entryPoints: ['extension/extension.ts'], outfile: join(out, 'web/extension.js'), platform: 'browser', format: 'cjs', external: ['vscode', 'node:worker_threads', 'node:child_process', 'node:fs'], define: { 'process.env.NODE_ENV': '"production"' } },
    { ...common, entryPoints: ['extension/analysis/webWorker.ts'], outfile: join(out, 'web/analysisWorker.js'), platform: 'browser', format: 'iife' },
    // the Inspector webview, its engine worker and the graph's layout worker
    { ...common, entryPoints: ['webview/main.ts'], outfile: join(out, 'webview/main.js'), platform: 'browser', format: 'iife' },
    { ...common, entryPoints: ['webview/worker.ts'], outfile: join(out, 'webview/worker.js'), platform: 'browser', format: 'iife' },
    { ...common, entryPoints: ['webview/app/layoutWorker.ts'], outfile: join(out, 'webview/layoutWorker.js'), platform: 'browser', format: 'iife' },
  ];
  return b.filter((x) => x.entryPoints.every((e) => existsSync(e)));
}

/** The webview's static files: its stylesheet and @vscode/codicons' CSS and font (the CSS names the font relatively). */
export function copyWebviewAssets(out) {
  mkdirSync(join(out, 'webview/codicons'), { recursive: true });
  // uPlot's own stylesheet first (the article views' charts), then the Inspector's: one file, one <link>
  if (existsSync('webview/inspector.css')) writeFileSync(join(out, 'webview/inspector.css'), readFileSync('node_modules/uplot/dist/uPlot.min.css', 'utf8') + '\n' + readFileSync('webview/inspector.css', 'utf8'));
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, join(out, `webview/codicons/${f}`));
}
