// The CLI ships through npm: `npm pack` gives a package holding only the CLI bundle and its worker (plus the
// package.json, READMEs and LICENSE npm always adds), and once that tarball is installed, `npx layerlens`
// runs it — here on the trained example, against PyTorch's parameter count for it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

let tmp: string;
let packed: { filename: string; files: Array<{ path: string }> };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'layerlens-npm-'));
  // prepack builds dist/cli.js, cliMain.js and opsWorker.js (minified, replaced atomically)
  packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp], root))[0];
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('holds the CLI and nothing of the extension', () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual(['LICENSE', 'README.md', 'README.zh-cn.md', 'dist/cli.js', 'dist/cliMain.js', 'dist/opsWorker.js', 'package.json']);
  });

  it('installs offline and `npx layerlens summary` runs from the installed package', () => {
    const app = join(tmp, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"private":true}');
    npm(['install', '--offline', '--no-audit', '--no-fund', join(tmp, packed.filename)], app);
    const out = execFileSync('npx', ['--offline', '--no-install', 'layerlens', 'summary', join(root, 'examples/digits/model.py'), '--json'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    const report = JSON.parse(out);
    // 3,866: PyTorch's sum(p.numel()) for DigitsCNN (scripts/train_digits.py, examples/digits/README.md)
    expect(report.totals.params).toBe(3866);
    expect(report.layers.map((l: { name: string }) => l.name)).toEqual(['conv1', 'bn1', 'relu', 'pool', 'conv2', 'bn2', 'elu', 'pool', 'fc']);
  });
});
