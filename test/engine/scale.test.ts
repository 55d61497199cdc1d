// Scale: nothing is allocated, so configs far beyond one machine's memory (GPT-3 175B, Llama 2 70B) get
// exact params and MACs. The models are the fidelity corpus's nanoGPT-style GPT (sdpa_gpt: gpt3_175b())
// and Meta-style Llama (llama_style: llama2_70b()). The closed forms below are checked against PyTorch
// 1.13 on small configs of the same files (test/fixtures/scale: index.json and expected/, made by
// scripts/gen_expected.py --cases), then the analysis against them at full size. Speed is a benchmark
// (`npm run bench`), not a test.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import { toContractJson } from '../../engine/analysis/format';
import { parseInputArg } from '../../engine/cli/cli';
import type { TorchVersionChoice } from '../../engine/api';
import { diskHost } from './support/nodeHost';

const dir = resolve(__dirname, '../fixtures/scale');
const GPT = '../fidelity/sdpa_gpt/model.py', LLAMA = '../fidelity/llama_style/model.py';
/** Rows of modules only the slow attention path calls (SDPA applies dropout_p itself). */
const slowOnly = (r: { name: string }): boolean => r.name.endsWith('.attn_dropout');
const cases = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ name: string; file: string; model: string; input: string[] }>;

function analyse(file: string, model: string, input: string, torchVersion: TorchVersionChoice): ReturnType<typeof runAnalysis> {
  const { shape, dtype } = parseInputArg(input);
  return runAnalysis({ file: join(dir, file), host: diskHost(), model, input: [shape], inputDtypes: [dtype], torchVersion });
}

interface Gpt { L: number; d: number; V: number; T: number }
/** nanoGPT with biases and LayerNorm, tied head: V·d + T·d + L·(12d² + 13d) + 2d parameters. */
const gptParams = ({ L, d, V, T }: Gpt): number => V * d + T * d + L * (12 * d * d + 13 * d) + 2 * d;
/** Per token: 12d² per layer in the projections and MLP, 2·t·d in q·kᵀ and attn·v, d·V in the head. */
const gptMacs = ({ L, d, V }: Gpt, B: number, t: number): number => B * (L * (12 * t * d * d + 2 * t * t * d) + t * d * V);

interface Llama { L: number; d: number; H: number; Hkv: number; V: number; multipleOf: number; ffnMult?: number }
function llamaHidden({ d, multipleOf, ffnMult }: Llama): number {
  let h = Math.trunc((2 * 4 * d) / 3);
  if (ffnMult !== undefined) h = Math.trunc(ffnMult * h);
  return multipleOf * Math.ceil(h / multipleOf);
}
/** Embedding and head V·d each, per layer the q/o (d²) and k/v (d·Hkv·d/H) projections, three d·F FFN matrices, two norms. */
function llamaParams(c: Llama): number {
  const kv = (c.Hkv * c.d) / c.H;
  return 2 * c.V * c.d + c.L * (2 * c.d * c.d + 2 * c.d * kv + 3 * c.d * llamaHidden(c) + 2 * c.d) + c.d;
}
function llamaMacs(c: Llama, B: number, t: number): number {
  const kv = (c.Hkv * c.d) / c.H;
  return B * (c.L * (t * (2 * c.d * c.d + 2 * c.d * kv + 3 * c.d * llamaHidden(c)) + 2 * t * t * c.d) + t * c.d * c.V);
}

const SMALL: Record<string, { params: number; macs: number }> = {
  gpt_small: { params: gptParams({ L: 2, d: 32, V: 100, T: 64 }), macs: gptMacs({ L: 2, d: 32, V: 100, T: 64 }, 1, 16) },
  gpt_small_b3: { params: gptParams({ L: 3, d: 16, V: 50, T: 32 }), macs: gptMacs({ L: 3, d: 16, V: 50, T: 32 }, 3, 10) },
  llama_small: { params: llamaParams({ L: 2, d: 64, H: 4, Hkv: 2, V: 100, multipleOf: 32, ffnMult: 1.3 }), macs: llamaMacs({ L: 2, d: 64, H: 4, Hkv: 2, V: 100, multipleOf: 32, ffnMult: 1.3 }, 2, 8) },
  llama_small_mha: { params: llamaParams({ L: 3, d: 48, H: 6, Hkv: 6, V: 64, multipleOf: 16 }), macs: llamaMacs({ L: 3, d: 48, H: 6, Hkv: 6, V: 64, multipleOf: 16 }, 1, 12) },
};

describe('scale: small configs against PyTorch', () => {
  for (const c of cases) {
    const expected = JSON.parse(readFileSync(join(dir, 'expected', `${c.name}.json`), 'utf8'));
    it(`${c.name}: the closed form equals PyTorch's totals`, () => {
      expect(SMALL[c.name]).toEqual({ params: expected.totals.params, macs: expected.totals.macs });
    });
    for (const v of ['1.13', '2.9'] as TorchVersionChoice[]) {
      it(`${c.name} under ${v}: the summary equals PyTorch's${v === '2.9' ? ' (less the slow-path-only rows)' : ''}`, () => {
        const { report } = analyse(c.file, c.model, c.input[0], v);
        expect(report.diagnostics).toEqual([]);
        expect(JSON.parse(toContractJson(report))).toEqual(v === '1.13' ? expected : { ...expected, layers: expected.layers.filter((r: { name: string }) => !slowOnly(r)) });
      });
    }
  }
});

describe('scale: full-size configs, exact', () => {
  it('GPT-3 175B at 2,048 tokens: 174.6 G params, exact MACs, nothing unknown', () => {
    const c = { L: 96, d: 12288, V: 50257, T: 2048 };
    const { report } = analyse(GPT, 'gpt3_175b()', '1,2048:int64', '2.9');
    expect(report.diagnostics).toEqual([]);
    expect(report.totals.params).toBe(gptParams(c));
    expect(report.totals.params).toBe(174_604_259_328);
    expect(report.totals.macs).toBe(gptMacs(c, 1, 2048));
    expect(report.rows.length).toBe(96 * 9 + 5);
  });

  it('GPT-3 175B under 1.13 takes the masked path (a 2,048² causal buffer per layer, kept symbolic) and counts the same', () => {
    const { report } = analyse(GPT, 'gpt3_175b()', '1,2048:int64', '1.13');
    expect(report.diagnostics).toEqual([]);
    expect(report.totals.macs).toBe(gptMacs({ L: 96, d: 12288, V: 50257, T: 2048 }, 1, 2048));
    expect(report.totals.bufferBytes).toBe(96 * 2048 * 2048 * 4);
  });

  it('Llama 2 70B (a @dataclass config) at 2,048 tokens with its 4,096-token KV caches: 69.0 G params, exact MACs', () => {
    const c: Llama = { L: 80, d: 8192, H: 64, Hkv: 8, V: 32000, multipleOf: 4096, ffnMult: 1.3 };
    const { report } = analyse(LLAMA, 'llama2_70b()', '1,2048:int64', '2.9');
    expect(report.diagnostics).toEqual([]);
    expect(llamaHidden(c)).toBe(28672);
    expect(report.totals.params).toBe(llamaParams(c));
    expect(report.totals.params).toBe(68_976_648_192);
    expect(report.totals.macs).toBe(llamaMacs(c, 1, 2048));
    expect(report.output).toEqual([1, 2048, 32000]);
  });

  it('counts past 2^53 (GPT-3 at batch 32) say they are rounded', () => {
    const { report } = analyse(GPT, 'gpt3_175b()', '32,2048:int64', '2.9');
    expect(report.totals.macs).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(report.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([['warning', 'precision', 'MACs, FLOPs exceed 2^53 (9.0e15): these totals are rounded to double precision (relative error below 1e-15), not exact']]);
  });
});
