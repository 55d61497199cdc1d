// `layerlens run` against PyTorch: per-row statistics, gradient norms of loss = sum(output), BatchNorm
// running buffers, in train and eval mode, for every run case (tolerances from fixtures/README.md).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runModel, type RunReport } from '../../engine/run/run';
import { writeSafetensors } from '../../engine/io/safetensors';
import { diskHost } from './support/nodeHost';

const fixtures = join(__dirname, '../fixtures');

interface ExpectedRow {
  name: string; type: string; output: number[]; params: number; macs: number;
  stats: { mean: number; std: number; min: number; max: number }; gradNorm: number; runningMean?: number[]; runningVar?: number[];
}

function close(actual: number, expected: number, rtol: number, atol: number): boolean {
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

function compare(r: RunReport, exp: { layers: ExpectedRow[]; totals: unknown; outputStats: ExpectedRow['stats'] }): string[] {
  const bad: string[] = [];
  expect(r.rows.map((x) => [x.name, x.type, x.output, x.params, x.macs])).toEqual(exp.layers.map((x) => [x.name, x.type, x.output, x.params, x.macs]));
  expect({ params: r.totals.params, trainableParams: r.totals.trainableParams, macs: r.totals.macs }).toEqual(exp.totals);
  r.rows.forEach((row, i) => {
    const e = exp.layers[i];
    const scale = Math.max(Math.abs(e.stats.min), Math.abs(e.stats.max));
    for (const k of ['mean', 'std', 'min', 'max'] as const) {
      if (!row.stats || !close(row.stats[k], e.stats[k], 1e-4, 1e-5 * scale)) bad.push(`${e.name}.stats.${k}: ${row.stats?.[k]} vs ${e.stats[k]}`);
    }
    if (row.gradNorm === null || !close(row.gradNorm, e.gradNorm, 1e-3, 1e-7)) bad.push(`${e.name}.gradNorm: ${row.gradNorm} vs ${e.gradNorm}`);
    for (const k of ['runningMean', 'runningVar'] as const) {
      if (!e[k]) { if (row[k]) bad.push(`${e.name}.${k} reported in ${r.mode} mode`); continue; }
      const m = Math.max(...e[k]!.map(Math.abs));
      if (!row[k] || row[k]!.some((v, j) => !close(v, e[k]![j], 1e-4, 1e-5 * m))) bad.push(`${e.name}.${k}: ${row[k]?.slice(0, 3)} vs ${e[k]!.slice(0, 3)}`);
    }
  });
  const s = exp.outputStats, scale = Math.max(Math.abs(s.min), Math.abs(s.max));
  for (const k of ['mean', 'std', 'min', 'max'] as const) if (!r.outputStats || !close(r.outputStats[k], s[k], 1e-4, 1e-5 * scale)) bad.push(`outputStats.${k}`);
  return bad;
}

for (const dir of ['cases', 'run_cases']) {
  const indexFile = join(fixtures, dir, 'index.json');
  if (dir === 'cases') expect(existsSync(indexFile)).toBe(true);
  if (!existsSync(indexFile)) continue;
  const index = (JSON.parse(readFileSync(indexFile, 'utf8')) as Array<{ name: string; model: string; input: number[]; run?: boolean }>).filter((c) => c.run !== false);
  describe(`layerlens run: ${dir}`, () => {
    for (const c of index) {
      for (const mode of ['train', 'eval'] as const) {
        it(`${c.name} --mode ${mode}`, () => {
          const d = join(fixtures, dir, c.name);
          const r = runModel({
            file: join(d, 'model.py'), host: diskHost(), model: c.model, mode,
            weights: new Uint8Array(readFileSync(join(d, 'weights.safetensors'))), inputFile: new Uint8Array(readFileSync(join(d, 'input.safetensors'))),
          });
          expect(r.diagnostics.filter((x) => x.severity === 'error').map((x) => x.message)).toEqual([]);
          expect(compare(r, JSON.parse(readFileSync(join(d, `expected_run_${mode}.json`), 'utf8')))).toEqual([]);
        });
      }
    }
  });
}

describe('layerlens run: weights files and defaults', () => {
  const d = join(fixtures, 'cases/simple_cnn');
  const base = { file: join(d, 'model.py'), host: diskHost(), model: 'SimpleCNN()', mode: 'eval' as const, input: [[2, 3, 16, 16]] };
  const weights = new Uint8Array(readFileSync(join(d, 'weights.safetensors')));
  const errorOf = (w: Uint8Array): string => runModel({ ...base, weights: w }).diagnostics.filter((x) => x.severity === 'error').map((x) => x.message).join('\n');

  it('a truncated file is rejected with a clear message', () => {
    expect(errorOf(weights.slice(0, 100))).toMatch(/bad weights file: .*header/i);
  });
  it('a header length beyond the file is rejected before allocating', () => {
    const w = weights.slice();
    new DataView(w.buffer).setBigUint64(0, 1n << 40n, true);
    expect(errorOf(w)).toMatch(/bad weights file/);
  });
  it('missing and unexpected keys are reported as load_state_dict reports them', () => {
    const w = writeSafetensors({ 'fc.weight': { dtype: 'F32', shape: [10, 256], data: new Float32Array(2560) }, extra: { dtype: 'F32', shape: [1], data: new Float32Array(1) } });
    const msg = errorOf(w);
    expect(msg).toContain('Error(s) in loading state_dict for SimpleCNN');
    expect(msg).toContain('Missing key(s) in state_dict: "conv1.weight"');
    expect(msg).toContain('Unexpected key(s) in state_dict: "extra"');
  });
  it('a shape mismatch names the parameter', () => {
    const w = writeSafetensors({ 'fc.weight': { dtype: 'F32', shape: [10, 128], data: new Float32Array(1280) } });
    expect(errorOf(w)).toContain('size mismatch for fc.weight: copying a param with shape [10, 128] from checkpoint, the shape in current model is [10, 256].');
  });
  it('without weights: seeded default initialisation, reproducible, seed-dependent', () => {
    const a = runModel({ ...base, seed: 1 }), b = runModel({ ...base, seed: 1 }), c = runModel({ ...base, seed: 2 });
    expect(a.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(a.rows.map((x) => x.stats)).toEqual(b.rows.map((x) => x.stats));
    expect(a.rows[0].stats!.mean).not.toEqual(c.rows[0].stats!.mean);
    // kaiming-uniform(a=√5) bounds the conv1 weights by 1/√fan_in; BN starts at γ=1, β=0, running (0, 1)
    expect(a.rows.every((x) => x.gradNorm !== null && x.gradNorm > 0)).toBe(true);
    expect(a.timings.forwardMs).toBeGreaterThanOrEqual(0);
  });
});
