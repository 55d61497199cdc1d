// Reparsing after an edit reuses the previous lezer tree, or parses only the edited top-level statements;
// the syntax tree must be exactly what a fresh parse gives, for valid edits and for edits that break the file.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePython, reparseStats } from '../../engine/python/parse';
// @ts-expect-error plain ESM helper without types
import { generateModelFile } from '../../bench/editorModel.mjs';
import { EditSession } from './support/randomEdits';

const src = readFileSync(join(__dirname, '../fixtures/cases/inception_mini/model.py'), 'utf8');
const snapshot = (p: ReturnType<typeof parsePython>): string => JSON.stringify([p.body, p.problems, p.comments]);

describe('incremental parsing', () => {
  it('gives the fresh parse after each of 60 edits (comments, numbers, names, deletions that break lines)', () => {
    let cur = src;
    parsePython('/ws/inc.py', cur);
    for (let i = 0; i < 60; i++) {
      const at = Math.floor((cur.length * ((i * 7) % 59 + 1)) / 61);
      const nl = cur.indexOf('\n', at);
      switch (i % 4) {
        case 0: cur = cur.slice(0, nl) + `  # note ${i}` + cur.slice(nl); break;
        case 1: cur = cur.replace(/\b(\d+)\b/, (d) => String(Number(d) + 1)); break;
        case 2: cur = cur.slice(0, at) + 'x' + cur.slice(at); break;
        default: cur = cur.slice(0, at) + cur.slice(at + 1);
      }
      expect(snapshot(parsePython('/ws/inc.py', cur))).toBe(snapshot(parsePython(`/ws/fresh${i}.py`, cur)));
    }
  });
});

describe('incremental parsing of a 2,000-line file (the editor benchmark model)', () => {
  const model = generateModelFile().text as string;
  it('one edit after parsing the file as generated gives the fresh parse (each of 12 sites)', () => {
    const lines = model.split('\n');
    const sites = lines.map((l, i) => (/\b\d+\b/.test(l) ? i : -1)).filter((i) => i >= 0);
    for (let k = 0; k < 12; k++) {
      const at = sites[Math.floor((sites.length * (2 * k + 1)) / 24)];
      const edited = [...lines.slice(0, at), lines[at].replace(/\b(\d+)\b/, (d) => String(Number(d) + 8)), ...lines.slice(at + 1)].join('\n');
      parsePython(`/ws/one${k}.py`, model);
      const inc = parsePython(`/ws/one${k}.py`, edited), fresh = parsePython(`/ws/onefresh${k}.py`, edited);
      expect([at, inc.body.length]).toEqual([at, fresh.body.length]);
      expect(snapshot(inc)).toBe(snapshot(fresh));
    }
  });

  it('a series of edits with blank last lines, form feeds and continuations gives the fresh parse', () => {
    const base = `${model}\n\fx = 1 + \\\n\ny = 2\n`;
    const sites = base.split('\n').map((l, i) => (/\b\d+\b/.test(l) ? i : -1)).filter((i) => i >= 0);
    let cur = base;
    parsePython('/ws/big.py', cur);
    for (let k = 0; k < 16; k++) {
      const ls = cur.split('\n');
      const at = sites[Math.floor((sites.length * (k * 7 + 3)) / 170) % sites.length];
      ls[at] = k % 3 === 2 ? ls[at].replace(/\b(\d+)\b/, '') : ls[at].replace(/\b(\d+)\b/, (d) => String(Number(d) + 8));
      cur = ls.join('\n') + (k % 4 === 1 ? '    ' : '');
      const inc = parsePython('/ws/big.py', cur), fresh = parsePython(`/ws/bigfresh${k}.py`, cur);
      expect(inc.body.length).toBe(fresh.body.length);
      expect(snapshot(inc)).toBe(snapshot(fresh));
    }
  });
});

describe('reparsing only the edited top-level statements', () => {
  const fixture = (name: string): string => readFileSync(join(__dirname, `../fixtures/cases/${name}/model.py`), 'utf8');
  const files: Array<[string, string, number]> = [
    ['bench', generateModelFile().text as string, 30],
    ['tiny_resnet', fixture('tiny_resnet'), 80],
    ['inception_mini', fixture('inception_mini'), 80],
  ];
  for (const [name, text, n] of files) {
    it(`gives the fresh parse after each of ${n} random edits of ${name} (seeded: inserts, deletions, half-typed lines, undo)`, () => {
      const session = new EditSession(text, name.length * 7919);
      parsePython(`/ws/rand_${name}.py`, text);
      let regions = 0;
      for (let i = 0; i < n; i++) {
        const cur = session.next();
        const before = reparseStats.regions;
        const inc = parsePython(`/ws/rand_${name}.py`, cur);
        regions += reparseStats.regions - before;
        const fresh = parsePython(`/ws/rand_${name}_fresh${i}.py`, cur);
        expect({ ...inc, path: '' }, `edit ${i}`).toStrictEqual({ ...fresh, path: '' });
      }
      // most edits leave a file that parses: those reparse only the statements they touch
      expect(regions).toBeGreaterThan(n / 4);
    });
  }
});
