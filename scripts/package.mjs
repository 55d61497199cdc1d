// `npm run package`: builds the shipped bundles minified and without source maps into a staging folder
// (out/vsix: dist/ untouched, so tests and the development build running beside it are not disturbed), copies
// the package's other files there and runs @vscode/vsce (offline, no dependencies) on it, writing
// layerlens-<version>.vsix at the repository root. .vscodeignore (an allowlist) still decides what goes in.
// Usage: node scripts/package.mjs [--out <file.vsix>]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { buildWasm } from './buildWasm.mjs';
import { buildGrammar } from './buildGrammar.mjs';
import { copyWebviewAssets, shippedBundles } from './bundles.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const outArg = process.argv.indexOf('--out');
const vsixPath = resolve(outArg > 0 ? process.argv[outArg + 1] : `${pkg.name}-${pkg.version}.vsix`);
const stage = join(root, 'out/vsix');

/** What the package holds besides the bundles (each must also be allow-listed in .vscodeignore). */
const files = ['package.json', '.vscodeignore', 'README.md', 'README.zh-cn.md', 'CHANGELOG.md', 'LICENSE', 'media', 'l10n', 'examples/digits',
  ...readdirSync('.').filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f)), ...shownImages()];

/** The repository's images the READMEs embed and the walkthrough shows: only those ship (docs/ has more). */
function shownImages() {
  const md = ['README.md', 'README.zh-cn.md'].filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
  const embedded = [...md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  const walkthrough = (pkg.contributes?.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.media?.image));
  return [...new Set([...embedded, ...walkthrough])].filter((p) => p && !/^[a-z]+:/.test(p) && existsSync(p));
}

buildGrammar({ quick: true });
await buildWasm();
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const common = { bundle: true, minify: true, sourcemap: false, logLevel: 'warning', target: 'es2022', legalComments: 'none', alias: { fflate: 'fflate/browser' } };
await Promise.all(shippedBundles(join(stage, 'dist'), common).map((b) => esbuild.build(b)));
copyWebviewAssets(join(stage, 'dist'));
for (const f of files) if (existsSync(f)) cpSync(f, join(stage, f), { recursive: true });

// No repository exists yet: relative links (the README's screenshots) stay relative, so VS Code's extension
// page shows them from the installed package; the Marketplace's web page needs absolute URLs, which vsce
// derives from `repository` once there is a real one.
const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
const links = repo
  ? { baseContentUrl: `${repo.replace(/\.git$/, '')}/blob/HEAD`, baseImagesUrl: `${repo.replace(/\.git$/, '')}/raw/HEAD` }
  : { rewriteRelativeLinks: false, allowMissingRepository: true };
const { createVSIX } = createRequire(import.meta.url)('@vscode/vsce');
await createVSIX({ cwd: stage, packagePath: vsixPath, dependencies: false, ...links });
console.log(`${vsixPath}: ${(statSync(vsixPath).size / 1024).toFixed(0)} KiB`);
