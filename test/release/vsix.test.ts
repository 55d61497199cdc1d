// `npm run package` (scripts/package.mjs) gives a .vsix of at most 2 MB holding exactly the allow-listed
// files: minified bundles without source maps, no CLI, the package metadata, the icon, the example the
// walkthrough opens and the README's images; and the manifest the marketplace reads is complete and honest.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const MAX_BYTES = 2 * 1000 * 1000;

/** Every file the package may hold (paths inside the .vsix); each pattern must match at least one file. */
const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/, /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/, /^extension\/package\.nls\.json$/, /^extension\/package\.nls\.zh-cn\.json$/,
  /^extension\/l10n\/bundle\.l10n\.zh-cn\.json$/,
  /^extension\/readme\.md$/, /^extension\/README\.zh-cn\.md$/, /^extension\/changelog\.md$/, /^extension\/LICENSE\.txt$/,
  /^extension\/media\/icon\.png$/,
  /^extension\/dist\/(extension|analysisWorker)\.js$/,
  /^extension\/dist\/web\/(extension|analysisWorker)\.js$/,
  /^extension\/dist\/webview\/(main|worker|layoutWorker)\.js$/,
  /^extension\/dist\/webview\/inspector\.css$/, /^extension\/dist\/webview\/codicons\/codicon\.(css|ttf)$/,
  /^extension\/examples\/digits\/(model\.py|README\.md|digits\.safetensors|samples\.safetensors|sample_\d_label\d\.png)$/,
  /^extension\/docs\/[\w-]+\.png$/,
];
const BUNDLES = ['dist/extension.js', 'dist/analysisWorker.js', 'dist/web/extension.js', 'dist/web/analysisWorker.js', 'dist/webview/main.js', 'dist/webview/worker.js', 'dist/webview/layoutWorker.js'];

let tmp: string;
let vsixSize: number;
let files: Record<string, Uint8Array>;
const text = (p: string) => new TextDecoder().decode(files[`extension/${p}`]);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'layerlens-vsix-'));
  const out = join(tmp, 'layerlens.vsix');
  execFileSync(process.execPath, ['scripts/package.mjs', '--out', out], { cwd: root, stdio: 'pipe' });
  const bytes = readFileSync(out);
  vsixSize = bytes.length;
  files = unzipSync(new Uint8Array(bytes));
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the .vsix', () => {
  it(`is at most ${MAX_BYTES / 1e6} MB`, () => {
    console.log(`vsix: ${(vsixSize / 1024).toFixed(0)} KiB, ${Object.keys(files).length} files`);
    expect(vsixSize).toBeLessThanOrEqual(MAX_BYTES);
  });

  it('holds only allow-listed files, and every allowed kind is there', () => {
    const names = Object.keys(files).filter((n) => !n.endsWith('/'));
    expect(names.filter((n) => !ALLOWED.some((re) => re.test(n)))).toEqual([]);
    expect(ALLOWED.filter((re) => !names.some((n) => re.test(n))).map(String)).toEqual([]);
    for (const b of BUNDLES) expect(names, b).toContain(`extension/${b}`);
  });

  it('ships no source maps and no CLI, and its bundles are minified', () => {
    const names = Object.keys(files);
    expect(names.filter((n) => n.endsWith('.map') || /cli\.js$|opsWorker\.js$/.test(n))).toEqual([]);
    for (const b of BUNDLES) {
      const js = text(b);
      expect(js, b).not.toMatch(/sourceMappingURL/);
      // esbuild's minifier: no `// engine/…/file.ts` module comments (every unminified bundle has them) and
      // no local names of the sources (`const report =` becomes a one-letter name)
      expect(js, b).not.toMatch(/^\s*\/\/ (engine|extension|webview|node_modules)\//m);
      expect(js, b).not.toMatch(/\b(const|let) (report|analysis|options|message) =/);
    }
  });

  it("has every image the README and the walkthrough show (VS Code's extension page reads them from the package)", () => {
    const readme = text('readme.md');
    const pkg = JSON.parse(text('package.json'));
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src="([^"]+)"/g)].map((m) => m[1] ?? m[2]).filter((u) => !/^[a-z]+:/.test(u));
    const media = pkg.contributes.walkthroughs.flatMap((w: { steps: Array<{ media: { image?: string } }> }) => w.steps.map((s) => s.media.image)).filter(Boolean);
    expect(images.length).toBeGreaterThan(0);
    for (const p of [...images, ...media, pkg.icon]) expect(files[`extension/${p}`], p).toBeDefined();
  });
});

describe('the manifest', () => {
  const pkg = () => JSON.parse(text('package.json'));

  it('has the marketplace metadata, and no made-up repository', () => {
    const p = pkg();
    for (const k of ['displayName', 'description', 'publisher', 'icon', 'license', 'categories', 'keywords', 'galleryBanner']) expect(p[k], k).toBeTruthy();
    expect(p.license).toBe('MIT');
    expect(p.keywords).toEqual(expect.arrayContaining(['pytorch', 'cnn', 'flops', 'macs', 'params', 'batchnorm', 'torchinfo', 'model summary']));
    expect(p.repository).toBeUndefined();
    expect(JSON.stringify(p)).not.toMatch(/example\.invalid/);
    const nls = JSON.parse(text('package.nls.json'));
    const desc = p.description.startsWith('%') ? nls[p.description.slice(1, -1)] : p.description;
    expect(desc.match(/[.!?](\s|$)/g)?.length, 'one sentence').toBe(1);
  });

  it('has a 128×128 PNG icon', () => {
    const png = files[`extension/${pkg().icon}`];
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const dv = new DataView(png.buffer, png.byteOffset);
    expect([dv.getUint32(16), dv.getUint32(20)]).toEqual([128, 128]);
  });

  it('needs a VS Code at least as new as the API it is compiled against', () => {
    const types = JSON.parse(readFileSync(join(root, 'node_modules/@types/vscode/package.json'), 'utf8')).version as string;
    const engine = (pkg().engines.vscode as string).replace(/^[\^~>=]+/, '');
    const num = (v: string) => v.split('.').map(Number).reduce((a, x) => a * 1000 + x, 0);
    expect(num(engine)).toBeGreaterThanOrEqual(num(types));
  });

  it('has a browser entry and the Node one, and states untrusted and virtual workspace support', () => {
    const p = pkg();
    expect(files[`extension/${p.main.replace(/^\.\//, '')}`]).toBeDefined();
    expect(files[`extension/${p.browser.replace(/^\.\//, '')}`]).toBeDefined();
    expect(p.capabilities.untrustedWorkspaces.supported).toBe(true);
    expect(p.capabilities.virtualWorkspaces.supported).toBe(true);
  });

  it('has a Get Started walkthrough whose steps use contributed commands', () => {
    const p = pkg();
    const [w] = p.contributes.walkthroughs;
    expect(w.steps.map((s: { id: string }) => s.id)).toEqual(['openExample', 'hover', 'codeLens', 'inspector']);
    const commands = new Set(p.contributes.commands.map((c: { command: string }) => c.command));
    const nls = JSON.parse(text('package.nls.json'));
    const linked = w.steps.flatMap((s: { description: string }) => [...nls[s.description.slice(1, -1)].matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
    expect(linked).toContain('layerlens.openExample');
    expect(linked).toContain('layerlens.openInspector');
    for (const c of linked) expect(commands.has(c), c).toBe(true);
  });
});
