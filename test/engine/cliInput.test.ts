// `--input`'s strict grammar (summary and run alike) and `layerlens run` refusing, before it allocates,
// a run whose static memory figure is over --max-memory (issue 9.5).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseInputArg, runCli, USAGE } from '../../engine/cli/cli';
import { fmtBytes, parseByteSize, runMemory } from '../../engine/cli/runMemory';
import { runAnalysis } from '../../engine/analysis/analyze';
import { diskHost } from './support/nodeHost';

const root = resolve(__dirname, '../..');
const model = 'test/fixtures/cases/tiny_resnet/model.py';

async function cli(args: string[], totalMemory?: number): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(args, {
    host: diskHost(), cwd: root, totalMemory,
    readBytes: (p) => { try { return new Uint8Array(readFileSync(p)); } catch { return undefined; } },
    out: (s) => { out += s; }, err: (s) => { err += s; },
  });
  return { code, out, err };
}

describe('--input grammar', () => {
  it('accepts 1,3,32,32 and 1x3x32x32 (the same shape), with an optional dtype', () => {
    expect(parseInputArg('1,3,32,32')).toEqual({ shape: [1, 3, 32, 32], dtype: 'float32' });
    expect(parseInputArg('1x3x32x32')).toEqual({ shape: [1, 3, 32, 32], dtype: 'float32' });
    expect(parseInputArg('7')).toEqual({ shape: [7], dtype: 'float32' });
    expect(parseInputArg('2,16:int64')).toEqual({ shape: [2, 16], dtype: 'int64' });
    expect(parseInputArg('2x1x16:bool')).toEqual({ shape: [2, 1, 16], dtype: 'bool' });
  });

  const bad = [
    '', '1,,3', ',1,3', '1,3,', '0x1,3', '1x3,32', '0,3', '1,0', '1e300', '1,3,1e10,1e10', '-1,3', '1,-3', '+1,3', '1.5,3', '1.,3',
    '1, 3', ' 1,3', '1,3 ', '01,3', '0x10', '99999999999999999999,1', '100000000,100000000,1000', 'Infinity', 'NaN', '1,3:',
    '1,3:float99', '1,3:__proto__', '1,3:int64:bool', '１,３', '1;3', '[1,3]', '(1, 3)',
  ];
  it.each(bad)('rejects %j as a usage error (exit 2) in summary and run', async (v) => {
    expect(() => parseInputArg(v)).toThrow(/bad --input/);
    const s = await cli(['summary', model, '--model', 'TinyResNet', '--input', v]);
    expect(s.code).toBe(2);
    expect(s.err).toContain('bad --input');
    const r = await cli(['run', model, '--model', 'TinyResNet', '--input', v]);
    expect(r.code).toBe(2);
  });

  it('the help documents the grammar', () => {
    expect(USAGE).toContain('1,3,224,224 or 1x3x224x224');
    expect(USAGE).toContain('--max-memory');
  });
});

describe('layerlens run --max-memory', () => {
  it('refuses an input that would not fit, with the static figure and the flag, before allocating anything', async () => {
    const input = '1,3,20000,20000';
    const r = await cli(['run', model, '--model', 'TinyResNet', '--input', input], 16e9);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const { report } = runAnalysis({ file: resolve(root, model), host: diskHost(), model: 'TinyResNet', input: [parseInputArg(input).shape] });
    const m = runMemory(report);
    expect(m.complete).toBe(true);
    // the figure is the static analysis's: parameters + buffers + gradients, activations + their gradients
    expect(m.total).toBe(2 * report.totals.paramBytes + report.totals.bufferBytes + 2 * (report.totals.activationBytes! + 3 * 20000 * 20000 * 4));
    expect(r.err).toContain(`this run needs ${fmtBytes(m.total)}`);
    expect(r.err).toContain("more than the limit of 8.00 GB (half of this machine's 16.0 GB)");
    expect(r.err).toMatch(/--max-memory \d+GB/);
    expect(r.err).toContain('nothing was allocated');
  });

  it('--max-memory lowers or raises the limit', async () => {
    const small = await cli(['run', model, '--model', 'TinyResNet', '--input', '1,3,8,8', '--max-memory', '1KB']);
    expect(small.code).toBe(1);
    expect(small.err).toContain('more than the limit of 1.00 KB (--max-memory)');
    const ok = await cli(['run', model, '--model', 'TinyResNet', '--input', '1,3,8,8', '--max-memory', '1GB'], 1000);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Mode: eval');
  });

  it('bad sizes are usage errors; --max-memory belongs to run', async () => {
    for (const v of ['8XB', '-1GB', '0', '1e9', 'GB', '', '8 GB', '0.1B']) {
      expect(parseByteSize(v)).toBeUndefined();
      expect((await cli(['run', model, '--model', 'TinyResNet', '--input', '1,3,8,8', '--max-memory', v])).code).toBe(2);
    }
    expect(parseByteSize('8GB')).toBe(8e9);
    expect(parseByteSize('16GiB')).toBe(16 * 2 ** 30);
    expect(parseByteSize('1.5MB')).toBe(1.5e6);
    expect(parseByteSize('4096')).toBe(4096);
    expect((await cli(['summary', model, '--model', 'TinyResNet', '--input', '1,3,8,8', '--max-memory', '8GB'])).code).toBe(2);
  });
});
