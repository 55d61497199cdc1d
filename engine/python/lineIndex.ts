// Offset → zero-based line/column conversion for one file (columns in UTF-16 code units, as VS Code counts).
// Built once per source text; lookups are a binary search.
import type { Loc } from '../api';

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly path: string, text: string) {
    // \r\n, a lone \r and \n each end a line, as VS Code (and Python) count them
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; col: number } {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, col: offset - this.starts[lo] };
  }

  loc(s: number, e: number): Loc {
    const a = this.position(s), b = this.position(e);
    return { file: this.path, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }
}
