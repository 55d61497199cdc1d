// torch.autograd.Function subclasses: `.apply` interprets the static forward for the shapes (and the work
// it does counts where it runs); the ctx calls are harmless; 2.x's forward-without-ctx plus setup_context
// is 2.0+ only, as in PyTorch.
import { describe, expect, it } from 'vitest';
import { runAnalysis } from '../../engine/analysis/analyze';
import type { TorchVersionChoice } from '../../engine/api';
import { memoryHost } from './support/nodeHost';

function run(fnSrc: string[], call: string, torchVersion: TorchVersionChoice = '2.9'): ReturnType<typeof runAnalysis> {
  const src = ['import torch', 'import torch.nn as nn', 'from torch.autograd import Function', ...fnSrc,
    'class M(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(6, 3)',
    '    def forward(self, x):', `        return self.fc(${call})`, ''].join('\n');
  return runAnalysis({ file: '/f.py', host: memoryHost({ '/f.py': src }), model: 'M()', input: [[2, 6]], torchVersion });
}

describe('autograd.Function', () => {
  it('apply runs forward(ctx, ...) with save_for_backward, mark_dirty and needs_input_grad', () => {
    const a = run(['class Clip(Function):', '    @staticmethod', '    def forward(ctx, x, lo, hi):', '        ctx.save_for_backward(x)',
      '        ctx.mark_dirty(x)', '        assert len(ctx.needs_input_grad) == 3', '        ctx.bounds = (lo, hi)', '        return x.clamp(lo, hi) @ torch.ones(6, 6)',
      '    @staticmethod', '    def backward(ctx, g):', '        (x,) = ctx.saved_tensors', '        return g, None, None'], 'Clip.apply(x, -1.0, 1.0)');
    expect(a.report.diagnostics).toEqual([]);
    expect(a.report.rows.map((r) => r.output)).toEqual([[2, 3]]);
    // the product inside forward is functional work of the model (no leaf module runs it)
    expect(a.report.totals.macs).toBe(2 * 6 * 6 + 2 * 3 * 6);
  });

  it('forward without ctx and setup_context is 2.0+', () => {
    const fn = ['class Sq(Function):', '    @staticmethod', '    def forward(x):', '        return x * x', '    @staticmethod',
      '    def setup_context(ctx, inputs, output):', '        ctx.save_for_backward(inputs[0])'];
    expect(run(fn, 'Sq.apply(x)').report.rows.map((r) => r.output)).toEqual([[2, 3]]);
    const old = run(fn, 'Sq.apply(x)', '1.13');
    expect(old.report.output).toBeNull();
    expect(old.report.diagnostics.map((d) => d.message).join()).toMatch(/forward\(\) takes 1 positional arguments? but 2 were given/);
  });

  it('torch.autograd.Variable is the identity', () => {
    expect(run([], 'torch.autograd.Variable(x)').report.rows.map((r) => r.output)).toEqual([[2, 3]]);
  });
});
