// `layerlens summary --json` against the PyTorch reference outputs: the user-style cases and
// torchvision 0.14.1's own model sources (extracted from Debian's package by the test set-up). The
// reference is Debian's torch 1.13, so the analysis models that release's API (torchVersion '1.13').
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import { toContractJson } from '../../engine/analysis/format';
import { diskHost } from './support/nodeHost';
// @ts-expect-error plain ESM helper without types
import { torchvisionRoot } from '../../scripts/fetchTorchvision.mjs';

const fixtures = resolve(__dirname, '../fixtures');

function summarize(file: string, model: string, input: number[]): unknown {
  const { report } = runAnalysis({ file, host: diskHost(), model, input: [input], torchVersion: '1.13' });
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.loc?.file}:${(d.loc?.line ?? -1) + 1}: ${d.message}`)).toEqual([]);
  return JSON.parse(toContractJson(report));
}

describe.each(['cases', 'run_cases'])('summary: user-style %s', (folder) => {
  const index = JSON.parse(readFileSync(join(fixtures, folder, 'index.json'), 'utf8')) as Array<{ name: string; model: string; input: number[] }>;
  for (const c of index) {
    it(`${c.name}: ${c.model} @ [${c.input.join(', ')}]`, () => {
      const dir = join(fixtures, folder, c.name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected_summary.json'), 'utf8'));
      expect(summarize(join(dir, 'model.py'), c.model, c.input)).toEqual(expected);
    });
  }
});

describe('summary: torchvision 0.14.1 sources as they are', () => {
  const root = torchvisionRoot() as string;
  const cases = JSON.parse(readFileSync(join(fixtures, 'torchvision/cases.json'), 'utf8')) as Array<{ name: string; file: string; model: string; input: number[] }>;
  it('has the extracted sources and one expected file per case', () => {
    expect(existsSync(join(root, 'torchvision/models/resnet.py'))).toBe(true);
    const files = readdirSync(join(fixtures, 'torchvision/expected')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(cases.map((c) => `${c.name}.json`).sort());
  });
  for (const c of cases) {
    it(`${c.name}: ${c.model} @ [${c.input.join(', ')}]`, () => {
      const expected = JSON.parse(readFileSync(join(fixtures, 'torchvision/expected', `${c.name}.json`), 'utf8'));
      expect(summarize(join(root, c.file), c.model, c.input)).toEqual(expected);
    });
  }
});
