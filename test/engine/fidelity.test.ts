// Real-world model code (issue 7's constructs, written as public model files write them) against
// PyTorch's own numbers (test/fixtures/fidelity, made by scripts/gen_expected.py): every case exact,
// with no error, and honest on the way (every unknown located, totals complete or marked).
// The expectations come from Debian's torch 1.13, so the analysis models that release (torchVersion '1.13').
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import { toContractJson } from '../../engine/analysis/format';
import { parseInputArg } from '../../engine/cli/cli';
import { diskHost } from './support/nodeHost';
import { expectExactOrExplained } from './support/invariants';

const dir = resolve(__dirname, '../fixtures/fidelity');
const cases = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ name: string; file: string; model: string; input: string[] }>;

describe('fidelity: public-style model code equals PyTorch', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.model} @ ${c.input.join(' ')}`, () => {
      const specs = c.input.map(parseInputArg);
      const { report } = runAnalysis({ file: join(dir, c.file), host: diskHost(), model: c.model, input: specs.map((s) => s.shape), inputDtypes: specs.map((s) => s.dtype), torchVersion: '1.13' });
      expectExactOrExplained(report, c.name);
      const expected = JSON.parse(readFileSync(join(dir, c.name, 'expected_summary.json'), 'utf8'));
      const got = JSON.parse(toContractJson(report));
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(got).toEqual(expected);
    });
  }
});
