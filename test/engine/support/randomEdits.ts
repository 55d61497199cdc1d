// Seeded random edits of a Python file as a person makes them while typing: characters inserted and
// deleted at random places, half-typed lines, numbers changed, lines deleted, undo. For the tests that
// compare an incremental reparse / reanalysis after each edit with a fresh one.

import { rng } from '../../../scripts/parseMutations';

export { rng };

const CHARS = ['a', 'x', '1', '0', ' ', '(', ')', ':', ',', '.', '\n', '#', '"', "'", '\\', '\t', '=', '[', '@'];
const LINES = ['    x = foo(', '        self.extra = nn.Linear(4, ', 'def helper(a, b):', '    return a +', 'class Half(nn.Module', '@decorator', 'else:', '"""doc', 'global g', 'from __future__ import annotations', 'y = [1, 2,', '    pass'];
const GOOD_LINES = ['z = 3', '# a comment', '', 'def helper(a, b):\n    return a + b', 'W = [1, 2, (3, 4)]'];

/**
 * A typing session over one file: each next() is one edit, as a person makes them: a number changed, a
 * line added or deleted, a comment, a character typed or deleted anywhere, a half-typed line; after
 * edits that may break the file, often an undo (back to the text before the first of them).
 */
export class EditSession {
  private readonly r: () => number;
  private undo?: string;
  constructor(public text: string, seed: number) { this.r = rng(seed); }

  next(): string {
    const r = this.r, cur = this.text;
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const lineEnd = (p: number): number => { const i = cur.indexOf('\n', p); return i < 0 ? cur.length : i; };
    const at = Math.floor(r() * (cur.length + 1));
    const kind = r();
    let next: string, noisy = false;
    if (this.undo !== undefined && kind < 0.5) { next = this.undo; this.undo = undefined; this.text = next; return next; }
    if (kind < 0.35) {
      const nums = [...cur.matchAll(/\b\d+\b/g)];
      const m = nums.length ? pick(nums) : undefined;
      // a changed channel count breaks the model as often as a syntax error does: undone like one
      noisy = true;
      next = m ? cur.slice(0, m.index) + (r() < 0.15 ? '' : String(Number(m[0]) + 1 + Math.floor(r() * 16))) + cur.slice(m.index! + m[0].length) : cur;
    } else if (kind < 0.5) {
      // a line (of the file's own, so usually valid where it lands) duplicated or deleted, or a good line
      const s = cur.lastIndexOf('\n', at - 1) + 1, e = lineEnd(at);
      const line = cur.slice(s, e);
      noisy = true;
      next = r() < 0.4 ? cur.slice(0, s) + cur.slice(Math.min(cur.length, e + 1)) : r() < 0.5 ? `${cur.slice(0, e)}\n${line}${cur.slice(e)}` : `${cur.slice(0, e)}\n${line.match(/^\s*/)![0]}${pick(GOOD_LINES)}${cur.slice(e)}`;
    } else if (kind < 0.6) {
      const e = lineEnd(at);
      next = `${cur.slice(0, e)}  # note ${Math.floor(r() * 100)}${cur.slice(e)}`;
    } else if (kind < 0.8) {
      noisy = true;
      next = r() < 0.6 ? cur.slice(0, at) + pick(CHARS) + cur.slice(at) : cur.slice(0, at) + cur.slice(at + 1 + Math.floor(r() * 3));
    } else {
      noisy = true;
      const e = lineEnd(at);
      next = `${cur.slice(0, e)}\n${pick(LINES)}${cur.slice(e)}`;
    }
    // undo goes back to before the first edit that may have broken the file
    if (noisy) this.undo ??= cur;
    this.text = next;
    return next;
  }
}
