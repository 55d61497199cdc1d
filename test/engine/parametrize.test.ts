// torch.nn.utils.parametrize / parametrizations register what PyTorch registers: the state-dict keys
// and shapes of test/fixtures/fidelity/parametrize (listed by torch 1.13 in state_dict.json), the
// Parametrized<Name> classes, and PyTorch's errors for a missing tensor or a shape change.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import type { TorchVersionChoice } from '../../engine/api';
import { diskHost, memoryHost } from './support/nodeHost';

const dir = resolve(__dirname, '../fixtures/fidelity/parametrize');
const reference = JSON.parse(readFileSync(join(dir, 'state_dict.json'), 'utf8')) as { state_dict: Array<[string, number[]]>; types: Record<string, string> };

function stateDict(a: ReturnType<typeof runAnalysis>): Array<[string, unknown]> {
  const rt = a.rt, m = a.model!;
  return [...rt.namedParameters(m), ...rt.namedBuffers(m)].map(([n, t]) => [n, t.shape] as [string, unknown]).sort((x, y) => x[0].localeCompare(y[0]));
}

describe('parametrize: what is registered', () => {
  for (const v of ['1.13', '2.9'] as TorchVersionChoice[]) {
    it(`state-dict keys and module types equal PyTorch's (${v}: ${v === '1.13' ? "a hand-written _WeightNorm" : 'parametrizations.weight_norm'})`, () => {
      const a = runAnalysis({ file: join(dir, 'model.py'), host: diskHost(), model: 'model', input: [[2, 8, 12]], torchVersion: v });
      expect(a.report.diagnostics).toEqual([]);
      expect(stateDict(a)).toEqual([...reference.state_dict].sort((x, y) => x[0].localeCompare(y[0])));
      const types = Object.fromEntries(a.report.modules.filter((m) => m.name in reference.types).map((m) => [m.name, m.type]));
      expect(types).toEqual(reference.types);
    });
  }
});

function run(lines: string[], torchVersion: TorchVersionChoice = '2.9'): ReturnType<typeof runAnalysis> {
  const src = ['import torch', 'import torch.nn as nn', 'from torch.nn.utils import parametrize, parametrizations as P', ...lines,
    'class M(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.m = build()', '    def forward(self, x):', '        return self.m(x)', ''].join('\n');
  return runAnalysis({ file: '/p.py', host: memoryHost({ '/p.py': src }), model: 'M()', input: [[2, 4]], torchVersion });
}

describe('parametrize: PyTorch behaviour', () => {
  it('remove_parametrizations leaves a plain Linear with the parametrized tensor', () => {
    const a = run(['class Half(nn.Module):', '    def forward(self, w):', '        return w[:2]', 'def build():', '    m = nn.Linear(4, 3)',
      "    parametrize.register_parametrization(m, 'weight', Half(), unsafe=True)", "    parametrize.remove_parametrizations(m, 'weight')", '    return m']);
    expect(a.report.rows.map((r) => [r.type, r.output, r.params])).toEqual([['Linear', [2, 2], 2 * 4 + 3]]);
  });

  it('a parametrization that changes the shape needs unsafe=True, as in PyTorch', () => {
    const a = run(['class Half(nn.Module):', '    def forward(self, w):', '        return w[:2]', 'def build():', '    m = nn.Linear(4, 3)',
      "    parametrize.register_parametrization(m, 'weight', Half())", '    return m']);
    expect(a.report.diagnostics.map((d) => d.message).join('\n')).toContain('Registering a parametrization may not change the shape of the tensor, unless `unsafe` flag is enabled');
  });

  it('a missing tensor and orthogonal on a vector are ValueErrors', () => {
    const missing = run(['def build():', "    return parametrize.register_parametrization(nn.Linear(4, 3), 'wat', nn.Identity())"]);
    expect(missing.report.diagnostics.map((d) => d.message).join()).toContain("does not have a parameter, a buffer, or a parametrized element with name 'wat'");
    const vector = run(['def build():', "    return P.orthogonal(nn.Linear(4, 3), name='bias')"]);
    expect(vector.report.diagnostics.map((d) => d.message).join()).toContain('Expected a matrix or batch of matrices. Got a tensor of 1 dimensions.');
  });

  it('two parametrizations of one tensor chain; the class is Parametrized<Name> and isinstance still holds', () => {
    const a = run(['def build():', '    m = nn.Linear(4, 4)', "    parametrize.register_parametrization(m, 'weight', nn.Identity())",
      "    parametrize.register_parametrization(m, 'weight', nn.Identity())", '    assert isinstance(m, nn.Linear) and type(m).__name__ == "ParametrizedLinear"',
      "    assert parametrize.is_parametrized(m, 'weight') and parametrize.type_before_parametrizations(m) is nn.Linear", '    return m']);
    expect(a.report.diagnostics).toEqual([]);
    expect(a.report.rows.map((r) => r.name)).toEqual(['m.parametrizations.weight.0', 'm.parametrizations.weight.1']);
    expect(a.report.totals.macs).toBe(2 * 4 * 4);
  });

  it('parametrizations.weight_norm is 2.1+: an AttributeError under 1.13', () => {
    const a = run(['def build():', '    return P.weight_norm(nn.Linear(4, 4))'], '1.13');
    expect(a.report.diagnostics.map((d) => d.message).join()).toContain("module 'torch.nn.utils.parametrizations' has no attribute 'weight_norm'");
  });
});
