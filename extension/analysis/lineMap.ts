// Where a line of analysed text is in a later version of the document: lines above and below the edited
// region keep their place (shifted by the lines inserted or removed); a line inside it is kept only when
// its text is unchanged at the same or the shifted place. Pure (no vscode): built once per version.

export interface LineSource {
  readonly lineCount: number;
  lineAt(line: number): { readonly text: string };
}

export class LineMap {
  /** Old lines [0, head) are unchanged at the same place. */
  readonly head: number;
  /** Old lines [old.length - tail, old.length) are unchanged, `delta` lines further down. */
  readonly tail: number;
  readonly delta: number;

  constructor(private readonly old: readonly string[], private readonly doc: LineSource) {
    const n = doc.lineCount;
    const m = old.length;
    const lim = Math.min(n, m);
    let head = 0;
    while (head < lim && old[head] === doc.lineAt(head).text) head++;
    let tail = 0;
    while (tail < lim - head && old[m - 1 - tail] === doc.lineAt(n - 1 - tail).text) tail++;
    this.head = head;
    this.tail = tail;
    this.delta = n - m;
  }

  /** True when the document's text is the analysed text. */
  get identical(): boolean {
    return this.delta === 0 && this.head === this.old.length;
  }

  /** The current line of old line `i`, or undefined when it changed. */
  line(i: number): number | undefined {
    if (i < 0 || i >= this.old.length) return undefined;
    if (i < this.head) return i;
    if (i >= this.old.length - this.tail) return i + this.delta;
    // Inside the edited region (several edits since the analysis): the same text, unshifted or shifted.
    for (const j of this.delta === 0 ? [i] : [i, i + this.delta]) {
      if (j >= 0 && j < this.doc.lineCount && this.doc.lineAt(j).text === this.old[i]) return j;
    }
    return undefined;
  }

  /** The edited region: old lines replaced, and the lines now there. */
  changed(): { before: string[]; after: string[] } {
    const after: string[] = [];
    for (let j = this.head; j < this.doc.lineCount - this.tail; j++) after.push(this.doc.lineAt(j).text);
    return { before: this.old.slice(this.head, this.old.length - this.tail), after };
  }

  /**
   * True when the edit cannot change what the file means to the analysis: every line that differs, before
   * and after, is blank or a comment (not a `# layerlens:` hint), not inside a triple-quoted string and
   * not continuing a line ending in `\`.
   */
  onlyCommentsChanged(): boolean {
    if (this.identical) return true;
    const { before, after } = this.changed();
    if (![...before, ...after].every((l) => /^\s*(#.*)?$/.test(l) && !/layerlens\s*:/i.test(l))) return false;
    if (this.head > 0 && /\\$/.test(this.old[this.head - 1])) return false;
    let quotes = 0;
    for (let i = 0; i < this.head; i++) quotes += (this.old[i].match(/"""|'''/g) ?? []).length;
    return quotes % 2 === 0;
  }
}
