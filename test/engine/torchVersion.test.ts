// The PyTorch version as an explicit choice: one coherent API per release. `torch.__version__`, version
// comparisons (str, tuple, packaging, LooseVersion), hasattr() and the members that exist all agree with
// AnalyzeOptions.torchVersion; code that branches on them takes the path that release's PyTorch takes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import { toContractJson } from '../../engine/analysis/format';
import { parseArgs } from '../../engine/cli/cli';
import { available, RELEASE, TORCH_VERSIONS, VERSIONED } from '../../engine/torch/version';
import type { TorchVersionChoice } from '../../engine/api';
import { diskHost, memoryHost } from './support/nodeHost';

const fidelity = resolve(__dirname, '../fixtures/fidelity');

function analyse(src: string, torchVersion: TorchVersionChoice, input: number[][] = [[1, 4]]): ReturnType<typeof runAnalysis> {
  return runAnalysis({ file: '/v.py', host: memoryHost({ '/v.py': src }), model: 'M()', input, torchVersion });
}

/** Module-level names of the analysed file after it ran. */
function globalsOf(a: ReturnType<typeof runAnalysis>): Map<string, unknown> {
  return a.interp.modules.get('/v.py')!.scope.vars as Map<string, unknown>;
}

const M = 'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n    def forward(self, x):\n        return self.fc(x)\n';

describe('torch version: what the model code can ask', () => {
  const checks: Array<[string, boolean, boolean]> = [
    // expression, under 1.13, under 2.9
    ["hasattr(F, 'scaled_dot_product_attention')", false, true],
    ["hasattr(nn, 'RMSNorm')", false, true],
    ["hasattr(F, 'rms_norm')", false, true],
    ["hasattr(nn, 'Buffer')", false, true],
    ["hasattr(nn.utils.parametrizations, 'weight_norm')", false, true],
    ["hasattr(nn.utils.parametrizations, 'spectral_norm')", true, true],
    ["hasattr(nn.utils, 'weight_norm')", true, true],
    ["torch.__version__ >= '2.0'", false, true],
    ["torch.__version__ >= '1.8'", true, true],
    ["'1.8' <= torch.__version__", true, true],
    ["torch.__version__ < (2, 0)", true, false],
    ["torch.__version__ >= (1, 13)", true, true],
    ["version.parse(torch.__version__) >= version.parse('2.0')", false, true],
    ["version.parse(torch.__version__).major >= 2", false, true],
    ["version.parse(torch.__version__) < version.parse('2.0.0rc1')", true, false],
    ["LooseVersion(torch.__version__) >= LooseVersion('1.10')", true, true],
    ["int(torch.__version__.split('.')[0]) >= 2", false, true],
    ["tuple(int(p) for p in torch.__version__.split('+')[0].split('.')[:2]) >= (2, 0)", false, true],
    ["torch.__version__.startswith('2.')", false, true],
    ["isinstance(torch.__version__, str)", true, true],
    ["torch.version.__version__ == torch.__version__", true, true],
    ["f'{torch.__version__}' == torch.__version__", true, true],
    ["str(torch.__version__) in ('1.13.1', '2.9.0')", true, true],
  ];
  const src = ['import torch', 'import torch.nn as nn', 'import torch.nn.functional as F', 'from packaging import version',
    'from distutils.version import LooseVersion', ...checks.map(([e], i) => `R${i} = ${e}`), M].join('\n');
  for (const v of TORCH_VERSIONS) {
    it(`under ${v}: torch.__version__ is ${RELEASE[v]} and every check agrees with it`, () => {
      const a = analyse(src, v);
      expect(a.report.diagnostics).toEqual([]);
      const g = globalsOf(a);
      checks.forEach(([e, old, cur], i) => expect([e, g.get(`R${i}`)]).toEqual([e, v === '1.13' ? old : cur]));
    });
  }

  it("hasattr(torch, 'compile') is False under 1.13 (torch.compile is 2.0+)", () => {
    const g = globalsOf(analyse(`import torch\nimport torch.nn as nn\nC = hasattr(torch, 'compile')\n${M}`, '1.13'));
    expect(g.get('C')).toBe(false);
  });

  it('the table lists each member once with the release it appeared in', () => {
    expect(available('torch.nn.functional.scaled_dot_product_attention', '1.13')).toBe(false);
    expect(available('torch.nn.utils.weight_norm', '2.9')).toBe(true);
    for (const [path, a] of Object.entries(VERSIONED)) expect([path, /^\d+\.\d+$/.test(a.since)]).toEqual([path, true]);
  });
});

describe('torch version: a member the release lacks is what PyTorch raises', () => {
  it('calling F.scaled_dot_product_attention under 1.13 is an AttributeError at the call', () => {
    const src = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nclass M(nn.Module):\n    def forward(self, x):\n        return F.scaled_dot_product_attention(x, x, x)\n`;
    const a = analyse(src, '1.13', [[1, 2, 4, 8]]);
    expect(a.report.output).toBeNull();
    expect(a.report.diagnostics.map((d) => d.message).join('\n')).toContain("module 'torch.nn.functional' has no attribute 'scaled_dot_product_attention'");
    expect(analyse(src, '2.9', [[1, 2, 4, 8]]).report.output).toEqual([1, 2, 4, 8]);
  });

  it('import fallbacks take the except branch under 1.13 only', () => {
    const src = ['import torch', 'import torch.nn as nn', 'try:', '    from torch.nn import RMSNorm', '    WHICH = "torch"', 'except ImportError:',
      '    WHICH = "own"', 'try:', '    import torch.nn.attention', '    ATTN = True', 'except ModuleNotFoundError:', '    ATTN = False', M].join('\n');
    const old = globalsOf(analyse(src, '1.13')), cur = globalsOf(analyse(src, '2.9'));
    expect([old.get('WHICH'), old.get('ATTN')]).toEqual(['own', false]);
    expect([cur.get('WHICH'), cur.get('ATTN')]).toEqual(['torch', true]);
  });

  it('--torch-version takes 1.13 and 2.9 only', () => {
    expect(parseArgs(['summary', 'm.py', '--torch-version', '1.13']).torchVersion).toBe('1.13');
    expect(() => parseArgs(['summary', 'm.py', '--torch-version', '3.0'])).toThrow(/--torch-version must be 1.13 or 2.9/);
  });
});

// The 2.x path of these files has no PyTorch 2 to check it against here (the reference is Debian's 1.13).
// Its expectation is derived instead: PyTorch 1.13 runs the same file's manual path (hasattr/version
// checks say no SDPA), whose rows are the same layers and whose functional MACs are q·kᵀ and attn·v — the
// two matmuls F.scaled_dot_product_attention is counted as (enable_gqa: key/value heads repeated to the
// query's, as the manual path's repeat_interleave does). So the 2.9 summary must equal the 1.13 one, less
// the rows of modules only the slow path calls (nanoGPT's attn_dropout: SDPA applies dropout_p itself).
describe('torch version: the fast path of 2.x and the slow path of 1.13 count the same', () => {
  for (const [name, input] of [['sdpa_gpt', '2,16:int64'], ['sdpa_gqa', '2,10,16']] as const) {
    it(`${name}: 2.9 takes scaled_dot_product_attention, 1.13 the manual path, both equal PyTorch 1.13`, () => {
      const [shape, dtype] = input.split(':');
      const opts = { file: join(fidelity, name, 'model.py'), host: diskHost(), model: 'model', input: [shape.split(',').map(Number)], inputDtypes: [dtype as 'int64' | undefined] };
      const expected = JSON.parse(readFileSync(join(fidelity, name, 'expected_summary.json'), 'utf8'));
      const fast = runAnalysis({ ...opts, torchVersion: '2.9' }), slow = runAnalysis({ ...opts, torchVersion: '1.13' });
      const slowOnly = (r: { name: string }): boolean => r.name.endsWith('.attn_dropout');
      for (const a of [fast, slow]) expect(a.report.diagnostics).toEqual([]);
      expect(JSON.parse(toContractJson(slow.report))).toEqual(expected);
      expect(JSON.parse(toContractJson(fast.report))).toEqual({ ...expected, layers: expected.layers.filter((r: { name: string }) => !slowOnly(r)) });
      // which path ran: only the slow one registers its mask buffer and records no SDPA softmax over a causal mask
      expect(fast.report.totals.bufferBytes).toBe(0);
      expect(slow.report.totals.bufferBytes).toBeGreaterThan(0);
      const traced = (a: typeof fast): string[] => a.rt.records.length ? collectOps(a.outputValue) : [];
      expect(traced(fast)).toContain('causal_mask');
      expect(traced(slow)).not.toContain('causal_mask');
    });
  }
});

/** The ops of the trace that produced a value. */
function collectOps(v: unknown): string[] {
  const out = new Set<string>();
  const seen = new Set<unknown>();
  const stack = [v];
  while (stack.length) {
    const t = stack.pop() as { src?: { op: string; inputs: unknown[] } } | null;
    if (!t || typeof t !== 'object' || seen.has(t)) continue;
    seen.add(t);
    if (t.src) { out.add(t.src.op); stack.push(...t.src.inputs); }
    if ('items' in t) stack.push(...(t as { items: unknown[] }).items);
  }
  return [...out];
}
