// Analyser samples with inline expectations (pyright's tests/samples style): each `test/engine/samples/*.py`
// is analysed as the extension would (model and input found in the file), then every
// `# shape: (…)`, `# error: …`, `# info: …` comment is checked against the report.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../engine';
import type { Report } from '../../engine/api';
import { diskHost } from './support/nodeHost';

const dir = join(__dirname, 'samples');

interface Expectation { line: number; kind: 'shape' | 'error' | 'info' | 'warning'; text: string }

function expectations(src: string): Expectation[] {
  const out: Expectation[] = [];
  src.split('\n').forEach((l, line) => {
    const m = /#\s*(shape|error|info|warning):\s*(.+)$/.exec(l);
    if (m) out.push({ line, kind: m[1] as Expectation['kind'], text: m[2].trim() });
  });
  return out;
}

function rowsOnLine(r: Report, line: number) {
  return r.rows.filter((row) => row.callLoc?.line === line || (row.defLoc?.line === line && row.callLoc?.line !== line));
}

describe('analyser samples', () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.py')).sort()) {
    const file = join(dir, f);
    const src = readFileSync(file, 'utf8');
    const report = analyze({ file, host: diskHost() });
    for (const ex of expectations(src)) {
      it(`${f}:${ex.line + 1} ${ex.kind}: ${ex.text}`, () => {
        if (ex.kind === 'shape') {
          const rows = rowsOnLine(report, ex.line);
          expect(rows.length, `no layer call on line ${ex.line + 1}`).toBeGreaterThan(0);
          const want = ex.text.replace(/[()\s]/g, '').split(',').filter(Boolean).map(Number);
          expect(rows[rows.length - 1].output).toEqual(want);
        } else {
          const d = report.diagnostics.filter((x) => x.severity === ex.kind && x.loc?.line === ex.line);
          expect(d.map((x) => x.message).join('\n')).toContain(ex.text);
        }
      });
    }
    if (!expectations(src).some((e) => e.kind === 'error')) {
      it(`${f}: no errors`, () => expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]));
    }
  }
});

describe('quick fixes', () => {
  it('Linear in_features mismatch offers the right literal', () => {
    const r = analyze({ file: join(dir, 'errors.py'), host: diskHost() });
    const d = r.diagnostics.find((x) => x.code === 'shape.features')!;
    expect(d.fix).toMatchObject({ text: '512', loc: { line: 11, col: 28, endLine: 11, endCol: 31 } });
  });
  it('Conv2d in_channels mismatch offers the right literal', () => {
    const r = analyze({ file: join(dir, 'channels.py'), host: diskHost() });
    const d = r.diagnostics.find((x) => x.code === 'shape.channels')!;
    expect(d.fix).toMatchObject({ text: '32', loc: { line: 8, col: 18, endCol: 20 } });
  });
  it('BatchNorm num_features given by keyword is fixed at the keyword value', () => {
    const r = analyze({ file: join(dir, 'bnfeatures.py'), host: diskHost() });
    const d = r.diagnostics.find((x) => x.code === 'shape.bnfeatures')!;
    expect(d.fix?.text).toBe('8');
    expect(d.fix?.loc.line).toBe(8);
  });
});

describe('features sample details', () => {
  const r = analyze({ file: join(dir, 'features.py'), host: diskHost() });
  it('counts frozen and free parameters, the bare nn.Parameter included', () => {
    expect(r.totals.params - r.totals.trainableParams).toBe(4 * 4 + 4);
    expect(r.totals.params).toBe(r.rows.reduce((s, x) => s + (x.callIndex === 0 ? x.params : 0), 0) + 1 + 20);
  });
  it('names rows by their module paths and gives the model output', () => {
    expect(r.rows[0].name).toBe('stem.0');
    expect(r.rows.some((x) => x.name === 'blocks.1.body.0.0')).toBe(true);
    expect(r.output).toEqual([2, 12]);
  });
});
