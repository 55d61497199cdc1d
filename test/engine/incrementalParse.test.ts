// Reparsing after an edit reuses the previous lezer tree; the syntax tree must be exactly what a fresh
// parse gives, for valid edits and for edits that break the file.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePython } from '../../engine/python/parse';

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
