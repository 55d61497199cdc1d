// After each of a series of seeded random edits (the editor benchmark's 2,046-line file and two fixture
// models), the analysis that reuses the previous parses and caches equals a fresh analysis of the same
// text: rows, totals, modules, output and diagnostics, deep-equal.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAnalysis } from '../../engine/analysis/analyze';
import type { Report } from '../../engine/api';
// @ts-expect-error plain ESM helper without types
import { generateModelFile } from '../../bench/editorModel.mjs';
import { EditSession } from './support/randomEdits';

const fixture = (name: string): string => readFileSync(join(__dirname, `../fixtures/cases/${name}/model.py`), 'utf8');

/** The report without its timings, with `from` (a directory) written as `to` everywhere. */
function comparable(r: Report, from: string, to: string): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split(from).join(to);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const { timings: _t, ...rest } = r;
  return walk(rest);
}

/**
 * One analysis. NOTE: the interpreter's wall-clock limit (2 s) can stop an analysis on a machine loaded
 * many times over; such a run is repeated (up to 3 times), as its result depends on the machine.
 */
function analyse(file: string, text: string, model: string, input: number[]): Report {
  for (let attempt = 0; ; attempt++) {
    const { report } = runAnalysis({ file, model, input: [input], host: { readFile: (p) => (p === file ? text : undefined) } });
    if (attempt === 2 || !report.diagnostics.some((d) => /^analysis stopped after [\d,]+ ms/.test(d.message))) return report;
  }
}

describe('incremental analysis equals a fresh one after random edits', () => {
  const cases: Array<[string, string, string, number[], number]> = [
    ['zoo', generateModelFile().text as string, 'ZooEnsemble()', [1, 3, 224, 224], 12],
    ['tiny_resnet', fixture('tiny_resnet'), 'TinyResNet()', [2, 3, 16, 16], 40],
    ['inception_mini', fixture('inception_mini'), 'MiniInception()', [1, 3, 40, 40], 40],
  ];
  for (const [name, text, model, input, n] of cases) {
    it(`${name}: ${n} seeded edits (numbers, lines, comments, characters, half-typed lines, undo)`, () => {
      const session = new EditSession(text, 104729 + name.length);
      const file = `/ws/inc/${name}.py`;
      const first = analyse(file, text, model, input);
      expect(first.rows.length).toBeGreaterThan(3);
      let clean = 0;
      for (let i = 0; i < n; i++) {
        const cur = session.next();
        const inc = analyse(file, cur, model, input);
        const fresh = analyse(`/ws/fresh${i}/${name}.py`, cur, model, input);
        expect(comparable(inc, '/ws/inc/', '/ws/inc/'), `edit ${i}`).toStrictEqual(comparable(fresh, `/ws/fresh${i}/`, '/ws/inc/'));
        if (!inc.diagnostics.some((d) => d.severity === 'error')) clean++;
      }
      // most edits leave a model that still analyses (what the incremental paths are for)
      expect(clean).toBeGreaterThan(n / 4);
    });
  }
});
