import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getOp, ops } from '../../../engine/ops/registry';
import type { NdArray } from '../../../engine/ops/tensor';
import { caseArgs, expectClose, loadOpFixture, nd, type T } from './helpers';

const HELPERS = new Set(['tensor', 'gemm', 'gemmJs', 'im2col', 'unary', 'poolWindow', 'convShape', 'registry']);
/** Files that hold a table of small ops (f and f′ side by side) instead of one op: every entry is registered. */
const FAMILIES: Record<string, string> = { pointwise: 'POINTWISE', binaryMath: 'BINARY_MATH BINARY_CONST', reduceOps: 'REDUCTIONS' };

describe('op registry', () => {
  it('lists every op file in engine/ops', async () => {
    const dir = new URL('../../../engine/ops/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).filter((f) => !HELPERS.has(f));
    const forwards = new Set<unknown>(Object.values(ops).map((o) => o.forward));
    const missing: string[] = [];
    let entries = 0;
    for (const f of files) {
      const mod = (await import(`../../../engine/ops/${f}.ts`)) as Record<string, unknown>;
      if (FAMILIES[f]) {
        for (const t of FAMILIES[f].split(' ')) for (const k of Object.keys(mod[t] as object)) { entries++; if (!(k in ops)) missing.push(`${f}.${k}`); }
      } else {
        entries++;
        if (!forwards.has(mod[f])) missing.push(f);
      }
    }
    expect(missing).toEqual([]);
    expect(entries).toBe(Object.keys(ops).length);
  });
  it('getOp names an unknown op', () => {
    expect(() => getOp('conv4d')).toThrow("no numeric kernel for op 'conv4d'");
    expect(getOp('conv2d')).toBe(ops.conv2d);
  });
  const FIXTURE_OP: Record<string, string> = {
    conv2d: 'conv2d', conv1d: 'conv1d', conv_transpose2d: 'conv_transpose2d', linear: 'linear',
    batchnorm2d: 'batch_norm', batchnorm1d: 'batch_norm', layernorm: 'layer_norm', groupnorm: 'group_norm',
    maxpool2d: 'max_pool2d', avgpool2d: 'avg_pool2d', adaptive_avg_pool2d: 'adaptive_avg_pool2d',
    relu: 'relu', relu6: 'relu6', leaky_relu: 'leaky_relu', elu: 'elu', sigmoid: 'sigmoid', tanh: 'tanh',
    gelu: 'gelu', silu: 'silu', hardswish: 'hardswish', softmax: 'softmax', cross_entropy: 'cross_entropy',
  };
  for (const [file, name] of Object.entries(FIXTURE_OP)) {
    it(`${name} through the registry reproduces the first ${file} golden (output and grads)`, () => {
      const c = loadOpFixture(file).cases[0];
      const args: Record<string, NdArray> = caseArgs(c);
      let attrs: Record<string, unknown> = c.attrs;
      if (c.buffers) {
        args.running_mean = nd(c.buffers.running_mean as T);
        args.running_var = nd(c.buffers.running_var as T);
        attrs = { ...attrs, num_batches_tracked: c.buffers.num_batches_tracked };
      }
      const op = getOp(name) as unknown as {
        forward(a: unknown, b: unknown): NdArray;
        backward(g: NdArray, a: unknown, b: unknown): Record<string, NdArray>;
        grads: readonly string[];
      };
      expectClose(op.forward(args, attrs), c.output, 'output');
      const g = op.backward(nd(c.gradOutput), args, attrs);
      for (const k of Object.keys(c.grads)) {
        expect(op.grads).toContain(k);
        expectClose(g[k], c.grads[k], `grad ${k}`);
      }
    });
  }
});
