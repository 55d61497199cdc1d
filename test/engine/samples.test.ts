// Analyser samples with inline expectations (pyright's tests/samples style): each `test/engine/samples/*.py`
// is analysed as the extension would (model and input found in the file), then every expectation in a
// comment is checked against the report: `# shape: (…)` (the output of the last layer call on the line),
// `# params: N` and `# macs: N` (summed over the layer calls on the line), `# error: …`, `# info: …`,
// `# warning: …` (a diagnostic of that severity on the line contains the text). Several may share one
// comment. One test per sample: a sample that fails, or fails to analyse, fails alone, listing every miss.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../engine';
import type { Report, Row } from '../../engine/api';
import { diskHost } from './support/nodeHost';

const dir = join(__dirname, 'samples');

const KINDS = ['shape', 'params', 'macs', 'error', 'info', 'warning'] as const;
type Kind = (typeof KINDS)[number];
interface Expectation { line: number; kind: Kind; text: string }

/** The expectations of a sample, in line order; a comment may hold several (`# shape: (1, 8)  params: 72`). */
function expectations(src: string): Expectation[] {
  const out: Expectation[] = [];
  src.split('\n').forEach((l, line) => {
    const hash = l.indexOf('#');
    if (hash < 0) return;
    const comment = l.slice(hash + 1);
    const keys = [...comment.matchAll(new RegExp(`\\b(${KINDS.join('|')}):`, 'g'))];
    keys.forEach((m, i) => {
      const end = i + 1 < keys.length ? keys[i + 1].index : comment.length;
      out.push({ line, kind: m[1] as Kind, text: comment.slice(m.index! + m[0].length, end).trim() });
    });
  });
  return out;
}

/** Layer calls a line stands for: calls made on it, or (nn.Sequential children) modules constructed on it. */
function rowsOnLine(r: Report, line: number): Row[] {
  return r.rows.filter((row) => row.callLoc?.line === line || (row.defLoc?.line === line && row.callLoc?.line !== line));
}

const count = (text: string): number => Number(text.replace(/[,_\s]/g, ''));

/** What is wrong with one expectation against the report ('' when it holds). */
function miss(report: Report, ex: Expectation): string {
  const at = `line ${ex.line + 1} ${ex.kind}: ${ex.text}`;
  if (ex.kind === 'error' || ex.kind === 'info' || ex.kind === 'warning') {
    const got = report.diagnostics.filter((x) => x.severity === ex.kind && x.loc?.line === ex.line).map((x) => x.message);
    return got.some((m) => m.includes(ex.text)) ? '' : `${at} — got ${JSON.stringify(got)}`;
  }
  const rows = rowsOnLine(report, ex.line);
  if (!rows.length) return `${at} — no layer call on the line`;
  if (ex.kind === 'shape') {
    const want = ex.text.replace(/[()\s]/g, '').split(',').filter(Boolean).map(Number);
    const got = rows[rows.length - 1].output;
    return JSON.stringify(got) === JSON.stringify(want) ? '' : `${at} — got ${JSON.stringify(got)}`;
  }
  const got = rows.reduce<number | null>((s, row) => {
    const v = ex.kind === 'params' ? row.params : row.macs;
    return s === null || v === null ? null : s + v;
  }, 0);
  return got === count(ex.text) ? '' : `${at} — got ${got}`;
}

describe('analyser samples', () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.py')).sort()) {
    it(f, () => {
      const file = join(dir, f);
      const exs = expectations(readFileSync(file, 'utf8'));
      expect(exs.length, `${f} has no expectations`).toBeGreaterThan(0);
      const report = analyze({ file, host: diskHost() });
      const misses = exs.map((ex) => miss(report, ex)).filter(Boolean);
      if (!exs.some((e) => e.kind === 'error')) {
        for (const d of report.diagnostics.filter((x) => x.severity === 'error')) misses.push(`unexpected error on line ${(d.loc?.line ?? -1) + 1}: ${d.message}`);
      }
      expect(misses).toEqual([]);
    });
  }
});

describe('sample expectation syntax', () => {
  it('reads several expectations from one comment', () => {
    expect(expectations('x = f(x)  # shape: (1, 8)  params: 72  macs: 1,024\n')).toEqual([
      { line: 0, kind: 'shape', text: '(1, 8)' }, { line: 0, kind: 'params', text: '72' }, { line: 0, kind: 'macs', text: '1,024' },
    ]);
  });
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
