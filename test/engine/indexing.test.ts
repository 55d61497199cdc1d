// Tensor indexing against PyTorch: every read `x[...]` and write `y[...] = v` of the table that
// scripts/gen_index_table.py made with Debian's torch 1.13 gives the same shape, dtype and values, or
// the same exception. Then what no table can hold: masks whose values are unknown, unknown indices.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import { TensorV } from '../../engine/torch/tensor';
import { memoryHost } from './support/nodeHost';

interface Case { code: string; shape?: number[]; dtype?: string; values?: number[]; error?: string; message?: string }
const table = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/indexing/index_table.json'), 'utf8')) as { preamble: string[]; cases: Case[] };

/** A module whose forward evaluates `body` (the last line is returned) after the table's preamble. */
function evaluate(body: string[], preamble = table.preamble, torchVersion: '1.13' | '2.9' = '1.13'): ReturnType<typeof runAnalysis> {
  const src = ['import torch', 'import torch.nn as nn', ...preamble, 'class M(nn.Module):', '    def forward(self, inp):',
    ...body.slice(0, -1).map((l) => `        ${l}`), `        return ${body[body.length - 1]}`, ''].join('\n');
  return runAnalysis({ file: '/case.py', host: memoryHost({ '/case.py': src }), model: 'M()', input: [[2, 3]], torchVersion });
}

function bodyOf(code: string): string[] {
  return code.startsWith('y[') && /[^=!<>]=[^=]/.test(code) ? ['y = x.clone()', code, 'y'] : [code];
}

describe('indexing: PyTorch 1.13 table', () => {
  for (const c of table.cases) {
    it(c.error ? `${c.code} raises ${c.error}` : `${c.code} → [${c.shape!.join(', ')}]`, () => {
      const { report, outputValue } = evaluate(bodyOf(c.code));
      if (c.error) {
        const msgs = report.diagnostics.map((d) => d.message);
        expect(msgs.some((m) => m.includes(c.message!)), msgs.join('\n')).toBe(true);
        return;
      }
      expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(report.output).toEqual(c.shape);
      const t = outputValue as TensorV;
      expect(t.dtype).toBe(c.dtype);
      expect(t.data).toEqual(c.values);
    });
  }
});

describe('indexing: what the values decide', () => {
  it('a mask of unknown values gives an unknown dim and says why, at the subscript', () => {
    const { report } = evaluate(['x = torch.zeros(2, 5, 4)', 'x[:, inp[0, :1].repeat(5) > 0]'], []);
    expect(report.output).toEqual([2, null, 4]);
    const d = report.diagnostics.find((x) => x.message.includes("the size depends on the mask's values"));
    expect(d?.loc?.line).toBe(5);
  });

  it('an index tensor of unknown values keeps its shape (only its values are unknown)', () => {
    const { report } = evaluate(['x = torch.zeros(5, 4)', 'x[inp.long()]'], []);
    expect(report.output).toEqual([2, 3, 4]);
    expect(report.diagnostics).toEqual([]);
  });

  it('int32 index tensors are refused by 1.13 and taken by 2.x', () => {
    const body = ['x = torch.zeros(5, 4)', 'x[torch.tensor([1, 2], dtype=torch.int32)]'];
    expect(evaluate(body, [], '1.13').report.diagnostics.map((d) => d.message).join()).toContain('tensors used as indices must be long, byte or bool tensors');
    expect(evaluate(body, [], '2.9').report.output).toEqual([2, 4]);
  });

  it('a write with unknown values makes the values unknown, never stale', () => {
    const { outputValue } = evaluate(['m = torch.zeros(6, dtype=torch.bool)', 'm[inp.long()[0, :2]] = True', 'm'], []);
    expect((outputValue as TensorV).data).toBeUndefined();
    const r = evaluate(['m = torch.zeros(6, dtype=torch.bool)', 'm[::2] = True', 'torch.zeros(6, 3)[m]'], []);
    expect(r.report.output).toEqual([3, 3]);
  });

  it('the KV-cache write of a Llama attention keeps the cache shape and checks the value', () => {
    const ok = evaluate(['cache = torch.zeros(4, 16, 2, 8)', 'cache[:2, 3:3 + 5] = torch.zeros(2, 5, 2, 8)', 'cache[:2, :8]'], []);
    expect(ok.report.output).toEqual([2, 8, 2, 8]);
    const bad = evaluate(['cache = torch.zeros(4, 16, 2, 8)', 'cache[:2, 3:3 + 5] = torch.zeros(2, 6, 2, 8)', 'cache'], []);
    expect(bad.report.diagnostics.map((d) => d.message).join()).toContain('The expanded size of the tensor (5) must match the existing size (6) at non-singleton dimension 1');
  });
});
