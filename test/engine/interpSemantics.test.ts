// Interpreter semantics against CPython: each sample in test/fixtures/interp runs in LayerLens's
// interpreter and every name its CHECK list holds must have the repr() CPython gave it
// (NAME.expected.json, made by scripts/gen_interp_expected.py). A sample's lines run without diagnostics.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterp } from '../../engine/analysis/analyze';
import { reprValue } from '../../engine/interp/builtins/define';
import { diskHost } from './support/nodeHost';

const dir = resolve(__dirname, '../fixtures/interp');
const samples = readdirSync(dir).filter((f) => f.endsWith('_sample.py'));

describe('interpreter semantics equal CPython', () => {
  for (const f of samples) {
    const expected = JSON.parse(readFileSync(join(dir, f.replace(/\.py$/, '.expected.json')), 'utf8')) as Record<string, string>;
    describe(f, () => {
      const { it: interp } = createInterp({ host: diskHost() });
      const mod = interp.execFile(join(dir, f), f.replace(/\.py$/, ''))!;
      it('runs without diagnostics', () => {
        expect(interp.diagnostics.map((d) => `${d.loc ? d.loc.line + 1 : '?'}: ${d.message}`)).toEqual([]);
      });
      for (const [name, repr] of Object.entries(expected)) {
        it(name, () => {
          const v = mod.scope.vars.get(name);
          expect(v, `${name} is not bound`).toBeDefined();
          expect(reprValue(interp, v!)).toBe(repr);
        });
      }
    });
  }
});
