// Models from installed packages (issue 7.8): a training script that builds `torchvision.models.resnet18`
// is a model file; torchvision's own sources are read from a site-packages folder (never executed), and
// its import-time platform probes (ctypes, os.getcwd) are notes, not errors of the user's file.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, findModels } from '../../engine';
import { runCli } from '../../engine/cli/cli';
import { findPythonEnv } from '../../engine/env/pythonEnv';
import { diskHost, memoryHost } from './support/nodeHost';
import { expectExactOrExplained } from './support/invariants';
// @ts-expect-error plain ESM helper without types
import { torchvisionRoot } from '../../scripts/fetchTorchvision.mjs';

const site = torchvisionRoot() as string;
const TRAIN = 'import torch\nimport torchvision\nfrom torch import nn\n\nmodel = torchvision.models.resnet18(num_classes=10).to("cpu")\nx = torch.randn(2, 3, 64, 64)\nout = model(x)\n';

describe('a model from an installed package', () => {
  it('discovery takes `model = torchvision.models.resnet18(...)` and its example input', () => {
    const found = findModels('/ws/train.py', TRAIN);
    expect(found.candidates).toMatchObject([{ kind: 'assignment', name: 'model', expr: 'torchvision.models.resnet18(num_classes=10)', input: [[2, 3, 64, 64]] }]);
  });
  it('is analysed from the package\'s sources, exactly, with no error in the user\'s file', () => {
    const r = analyze({ file: '/ws/train.py', host: diskHost({ '/ws/train.py': TRAIN }), sitePackages: [site], torchVersion: '1.13' });
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(r.totals.params).toBe(11_181_642);
    expect(r.output).toEqual([2, 10]);
    expect(r.rows.length).toBe(60);
    expect(r.totals.macs).toBe(296_101_888); // PyTorch 1.13 + torchvision 0.14.1 (scripts/gen_expected.py)
    expectExactOrExplained(r);
  });
  it('without the environment the import is a warning that says where it looked, and nothing is guessed', () => {
    const r = analyze({ file: '/ws/train.py', host: memoryHost({ '/ws/train.py': TRAIN }) });
    const d = r.diagnostics.find((x) => x.code === 'import');
    expect(d).toMatchObject({ severity: 'warning', loc: { line: 1 } });
    expect(d?.message).toMatch(/no Python environment was searched/);
    expect(r.rows).toEqual([]);
  });
  it('the CLI finds a venv\'s site-packages from --python without running it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlens-venv-'));
    mkdirSync(join(dir, 'venv/bin'), { recursive: true });
    mkdirSync(join(dir, 'venv/lib/python3.11'), { recursive: true });
    writeFileSync(join(dir, 'venv/pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
    writeFileSync(join(dir, 'venv/bin/python'), '');
    symlinkSync(site, join(dir, 'venv/lib/python3.11/site-packages'));
    writeFileSync(join(dir, 'train.py'), TRAIN);
    const out: string[] = [], err: string[] = [];
    const fsEnv = (p: string | undefined) => findPythonEnv({ python: p }, nodeEnvFs);
    const code = runCli(['summary', 'train.py', '--python', 'venv/bin/python', '--json', '--torch-version', '1.13'], {
      host: diskHost(), cwd: dir, readBytes: () => undefined, pythonEnv: fsEnv, out: (s) => out.push(s), err: (s) => err.push(s),
    });
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out.join('')).totals.params).toBe(11_181_642);
  });
});

import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
const st = (p: string) => { try { return statSync(p); } catch { return undefined; } };
const nodeEnvFs = {
  isFile: (p: string) => st(p)?.isFile() ?? false,
  isDir: (p: string) => st(p)?.isDirectory() ?? false,
  read: (p: string) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } },
  list: (p: string) => { try { return readdirSync(p); } catch { return []; } },
  realpath: (p: string) => { try { return realpathSync(p); } catch { return p; } },
};
