// Bad input never crashes the analysis: half-typed files, endless loops, endless recursion,
// missing imports. Problems come back as diagnostics at the right line.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../engine';
import { memoryHost } from './support/nodeHost';
import { expectExactOrExplained } from './support/invariants';
import type { Report } from '../../engine/api';

const cases = JSON.parse(readFileSync(join(__dirname, '../fixtures/cases/index.json'), 'utf8')) as Array<{ name: string; model: string; input: number[] }>;

/** The cuts a file being typed is analysed at: every line end (before and after its newline) and `extra` seeded offsets. */
function cutPoints(src: string, seed: number, extra = 40): number[] {
  const cuts = new Set<number>([0, src.length]);
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) { cuts.add(i); cuts.add(i + 1); }
  let x = seed >>> 0 || 1;
  for (let k = 0; k < extra; k++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; cuts.add((x >>> 0) % (src.length + 1)); }
  return [...cuts].sort((a, b) => a - b);
}

const shapeErrorLines = (r: Report): Set<number> =>
  new Set(r.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('shape') && d.loc).map((d) => d.loc!.line));

describe('prefixes of a fixture file (a file being typed) analyse honestly and invent no shape error', () => {
  cases.forEach((c, ci) => {
    const src = readFileSync(join(__dirname, '../fixtures/cases', c.name, 'model.py'), 'utf8');
    const cuts = cutPoints(src, 0x9e3779b9 + ci);
    it(`${c.name}: ${cuts.length} cuts (every line end, 40 seeded offsets)`, () => {
      const file = '/ws/model.py';
      const analyse = (text: string): Report => analyze({ file, host: memoryHost({ [file]: text }), model: c.model, input: [c.input] });
      const whole = analyse(src);
      expect(whole.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const wholeShapeErrors = shapeErrorLines(whole);
      let withRows = 0;
      const invented: string[] = [];
      for (const n of cuts) {
        const r = analyse(src.slice(0, n));
        expectExactOrExplained(r, `${c.name} cut at ${n}`);
        if (n < src.length && r.rows.length) withRows++;
        // a line wholly before the cut reads as in the whole file: a shape error there must be the whole file's too
        const cutLine = src.slice(0, n).split('\n').length - 1;
        for (const line of shapeErrorLines(r)) if (line < cutLine && !wholeShapeErrors.has(line)) invented.push(`cut at ${n}: shape error on line ${line + 1}`);
      }
      expect(invented).toEqual([]);
      // the complete file is not the only one that yields rows: a forward cut after its last line still works
      expect(withRows).toBeGreaterThan(0);
    });
  });
});

function run(src: string, model = 'Net()', input = [[1, 4]]) {
  const file = '/ws/m.py';
  return analyze({ file, host: memoryHost({ [file]: src }), model, input });
}

describe('runaway code ends with a diagnostic', () => {
  it('while True at module level', () => {
    const r = run('import torch.nn as nn\nwhile True:\n    pass\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n');
    const d = r.diagnostics.find((x) => x.code === 'budget');
    expect(d?.message).toMatch(/steps/);
    expect(d?.loc?.line).toBeGreaterThanOrEqual(1);
  });
  it('while True inside forward', () => {
    const r = run('import torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x):\n        while True:\n            x = x + 1\n        return x\n');
    expect(r.diagnostics.some((x) => x.code === 'budget')).toBe(true);
  });
  it('infinite recursion', () => {
    const r = run('import torch.nn as nn\ndef f(n):\n    return f(n + 1)\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.k = f(0)\n');
    const d = r.diagnostics.find((x) => x.code === 'budget');
    expect(d?.message).toMatch(/recursion/);
    expect(d?.loc?.line).toBe(1);
  });
  it('mutual recursion through methods', () => {
    const r = run('import torch.nn as nn\nclass Net(nn.Module):\n    def a(self):\n        return self.b()\n    def b(self):\n        return self.a()\n    def forward(self, x):\n        return self.a()\n');
    expect(r.diagnostics.some((x) => x.code === 'budget')).toBe(true);
  });
});

describe('imports', () => {
  it('a missing relative import gives an error at the import line', () => {
    const r = run('import torch.nn as nn\nfrom .blocks import Stem\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.stem = Stem()\n    def forward(self, x):\n        return self.stem(x)\n');
    const d = r.diagnostics.find((x) => x.code === 'import');
    expect(d?.severity).toBe('error');
    expect(d?.loc?.line).toBe(1);
    expect(d?.message).toContain('.blocks');
    expect(r.missingFiles).toContain('/ws/blocks.py');
  });
  it('a missing absolute import is a warning and its values are unknown', () => {
    const r = run('import torch.nn as nn\nimport mylib\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return self.fc(x)\n');
    const d = r.diagnostics.find((x) => x.code === 'import');
    expect(d).toMatchObject({ severity: 'warning', loc: { line: 1 } });
    expect(r.rows.map((x) => x.output)).toEqual([[1, 2]]);
  });
  it('cross-file imports resolve relative to the file, lazily', () => {
    const files = {
      '/ws/pkg/__init__.py': '',
      '/ws/pkg/blocks.py': 'import torch.nn as nn\nWIDTH = 8\nclass Stem(nn.Sequential):\n    def __init__(self, c):\n        super().__init__(nn.Linear(4, c), nn.ReLU())\n',
      '/ws/pkg/model.py': 'import torch.nn as nn\nfrom .blocks import Stem, WIDTH\nfrom . import blocks\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.stem = Stem(WIDTH)\n        self.head = nn.Linear(blocks.WIDTH, 3)\n    def forward(self, x):\n        return self.head(self.stem(x))\n',
    };
    const r = analyze({ file: '/ws/pkg/model.py', host: memoryHost(files), model: 'Net()', input: [[2, 4]] });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.rows.map((x) => [x.name, x.output])).toEqual([['stem.0', [2, 8]], ['stem.1', [2, 8]], ['head', [2, 3]]]);
    expect(r.filesRead).toContain('/ws/pkg/blocks.py');
  });
});

describe('imports never leave the project', () => {
  it('a relative import cannot climb above its package root, and nothing above it is read', () => {
    const asked: string[] = [];
    const files: Record<string, string> = {
      '/ws/proj/pkg/__init__.py': '',
      '/ws/proj/pkg/model.py': 'import torch.nn as nn\nfrom .......tmp.secret.cfg import SECRET\nfrom ..outside import X\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n',
      '/tmp/secret/cfg.py': 'SECRET = 1\n',
      '/ws/proj/outside.py': 'X = 1\n',
    };
    const host = { readFile: (p: string) => { asked.push(p); return files[p]; } };
    const r = analyze({ file: '/ws/proj/pkg/model.py', host, model: 'Net()', input: [[1, 4]] });
    const errs = r.diagnostics.filter((d) => /beyond top-level package/.test(d.message));
    expect(errs.map((d) => d.loc?.line)).toEqual([1, 2]);
    expect(asked.filter((p) => p.startsWith('/tmp') || p === '/ws/proj/outside.py')).toEqual([]);
  });
  it('a package two levels deep may import from its top package', () => {
    const files: Record<string, string> = {
      '/ws/pkg/__init__.py': '', '/ws/pkg/sub/__init__.py': '', '/ws/pkg/common.py': 'WIDTH = 6\n',
      '/ws/pkg/sub/model.py': 'import torch.nn as nn\nfrom ..common import WIDTH\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, WIDTH)\n    def forward(self, x):\n        return self.fc(x)\n',
    };
    const r = analyze({ file: '/ws/pkg/sub/model.py', host: memoryHost(files), model: 'Net()', input: [[1, 4]] });
    expect(r.output).toEqual([1, 6]);
  });
});

describe('unknown values are explicit, never guessed', () => {
  it('an unknown layer gives unknown rows after it and an information diagnostic', () => {
    const r = run('import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(4, 4)\n        self.b = nn.Linear(4, 2)\n    def forward(self, x):\n        x = torch.special.expit(self.a(x))\n        return self.b(x)\n');
    expect(r.rows.map((x) => [x.name, x.output, x.macs])).toEqual([['a', [1, 4], 16], ['b', null, null]]);
    expect(r.totals.macs).toBeNull();
    expect(r.diagnostics.find((d) => d.severity === 'info')?.loc?.line).toBe(8);
  });
  it('a branch on a tensor value is reported, not guessed', () => {
    const r = run('import torch.nn as nn\nclass Net(nn.Module):\n    def forward(self, x):\n        if x.sum() > 0:\n            return x\n        return x * 2\n');
    expect(r.diagnostics.some((d) => /tensor values/.test(d.message) && d.loc?.line === 3)).toBe(true);
    expect(r.output).toBeNull();
  });
  it('user code is never executed: open() and exec() are refused', () => {
    const r = run('import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        exec("import os; os.remove(\'x\')")\n    def forward(self, x):\n        return x\n');
    expect(r.diagnostics.some((d) => /never run/.test(d.message))).toBe(true);
  });
});
