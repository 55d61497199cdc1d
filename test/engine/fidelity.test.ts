// Real-world model code (issue 7's constructs, written as public model files write them) against
// PyTorch's own numbers (test/fixtures/fidelity, made by scripts/gen_expected.py), and the honesty
// invariant on each: a case that is not yet exact must still say why, never print a silent number.
// The expectations come from Debian's torch 1.13, so the analysis models that release (torchVersion '1.13').
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import { toContractJson } from '../../engine/analysis/format';
import { parseInputArg } from '../../engine/cli/cli';
import { diskHost } from './support/nodeHost';
import { expectHonestReport } from './support/invariants';

const dir = resolve(__dirname, '../fixtures/fidelity');
const cases = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ name: string; file: string; model: string; input: string[] }>;

/** Cases whose constructs the analysis follows today; every other case must be honest about what it does not. */
const EXACT = new Set(['clones', 'weight_norm_gan', 'gpt_dataclass', 'cfg_node', 'jit_model',
  'frozen_config', 're_layers', 'dotdict_config', 'numpy_anchors', 'big_counts',
  'adv_index', 'mha_functional', 'sdpa_gpt', 'sdpa_gqa', 'parametrize', 'autograd_fn', 'masked_inputs', 'llama_style']);

describe('fidelity: public-style model code equals PyTorch', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.model} @ ${c.input.join(' ')}`, () => {
      const specs = c.input.map(parseInputArg);
      const { report } = runAnalysis({ file: join(dir, c.file), host: diskHost(), model: c.model, input: specs.map((s) => s.shape), inputDtypes: specs.map((s) => s.dtype), torchVersion: '1.13' });
      expectHonestReport(report, c.name);
      const expected = JSON.parse(readFileSync(join(dir, c.name, 'expected_summary.json'), 'utf8'));
      const got = JSON.parse(toContractJson(report));
      if (EXACT.has(c.name)) {
        expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(got).toEqual(expected);
      } else if (got.totals.macs !== null && report.output !== null && !report.diagnostics.some((d) => d.severity !== 'info')) {
        // not yet on the exact list: whatever it prints as complete must be right
        expect(got).toEqual(expected);
      }
    });
  }
});
