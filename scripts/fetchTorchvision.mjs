// Extracts torchvision 0.14.1's Python sources from Debian's python3-torchvision package into
// test/fixtures/.cache/ (never committed). Nothing is installed: `apt-get download` + `dpkg -x`.
// Prints the dist-packages folder. Reuses an existing extraction; LAYERLENS_TORCHVISION overrides.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'test/fixtures/.cache');
const distPackages = join(cache, 'root/usr/lib/python3/dist-packages');

export function torchvisionRoot() {
  const override = process.env.LAYERLENS_TORCHVISION;
  if (override) return override;
  if (existsSync(join(distPackages, 'torchvision/models/resnet.py'))) return distPackages;
  mkdirSync(cache, { recursive: true });
  const debs = () => readdirSync(cache).filter((f) => /^python3-torchvision_.*\.deb$/.test(f));
  if (!debs().length) {
    try {
      execFileSync('apt-get', ['download', 'python3-torchvision'], { cwd: cache, stdio: 'pipe' });
    } catch (e) {
      throw new Error(`could not download Debian's python3-torchvision (apt-get download): ${String(e.stderr || e.message).trim()}\n` +
        'Run `apt-get update` first, or set LAYERLENS_TORCHVISION to a dist-packages folder holding torchvision/.');
    }
  }
  rmSync(join(cache, 'root'), { recursive: true, force: true });
  execFileSync('dpkg', ['-x', join(cache, debs()[0]), join(cache, 'root')], { stdio: 'pipe' });
  return distPackages;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(torchvisionRoot());
}
