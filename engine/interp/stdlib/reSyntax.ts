// Python regular-expression syntax translated to a JavaScript RegExp with the same meaning:
// (?P<n>…)→(?<n>…), (?P=n)→\k<n>, \A \Z, Python's `^ $ .` (only \n ends a line), {,n}, inline global
// flags, VERBOSE, octal and \U escapes. What JS cannot express (atomic groups, possessive quantifiers,
// scoped flags, conditionals) is refused with a clear error, never approximated. Pure: no matching here.
import { InterpError, PyException } from '../values';

export const FLAG = { TEMPLATE: 1, IGNORECASE: 2, LOCALE: 4, MULTILINE: 8, DOTALL: 16, UNICODE: 32, VERBOSE: 64, DEBUG: 128, ASCII: 256 } as const;
const INLINE: Record<string, number> = { i: FLAG.IGNORECASE, L: FLAG.LOCALE, m: FLAG.MULTILINE, s: FLAG.DOTALL, u: FLAG.UNICODE, x: FLAG.VERBOSE, a: FLAG.ASCII };

/** A character class as far as backtracking analysis needs it: ASCII code points exactly, the rest as one bit. */
export interface CharSet { ascii: Uint8Array; other: boolean }
export type Node =
  | { t: 'set'; cs: CharSet }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number; lazy: boolean }
  | { t: 'empty' };

export interface Translated {
  /** JS source, to be compiled with the `u` and `d` flags plus `i` when IGNORECASE. */
  source: string;
  flags: number;
  groups: number;
  groupIndex: Map<string, number>;
  /** Per group: position of its closing parenthesis (for Match.lastindex). */
  closeAt: number[];
  /** Uses \w \d \s \b: Unicode-wide in Python, ASCII in JS (and JS's \s lacks \x1c-\x1f), so these are
   *  run only on printable-ASCII text (re.ts checks). */
  unicodeClasses: boolean;
  tree: Node;
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const ANY: CharSet = { ascii: new Uint8Array(128).fill(1), other: true };

export function reError(msg: string, pos?: number): PyException {
  return new PyException('error', pos === undefined ? msg : `${msg} at position ${pos}`);
}

function unsupported(what: string, pos: number): InterpError {
  return new InterpError(`re: ${what} (at position ${pos}) has no JavaScript equivalent; the analysis does not approximate it`);
}

const hex = (c: number): string => `\\u{${c.toString(16)}}`;
const charSet = (chars: number[], other = false): CharSet => { const a = new Uint8Array(128); for (const c of chars) if (c < 128) a[c] = 1; return { ascii: a, other: other || chars.some((c) => c >= 128) }; };
const range = (lo: number, hi: number): number[] => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
const DIGIT = range(48, 57), WORD = [...DIGIT, ...range(65, 90), ...range(97, 122), 95], SPACE = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32];
const invert = (cs: CharSet): CharSet => ({ ascii: cs.ascii.map((x) => 1 - x), other: true });
const CLASS_SET: Record<string, () => CharSet> = {
  d: () => charSet(DIGIT, true), w: () => charSet(WORD, true), s: () => charSet(SPACE, true),
  D: () => invert(charSet(DIGIT)), W: () => invert(charSet(WORD)), S: () => invert(charSet(SPACE)),
};

class Translator {
  private i = 0;
  private out = '';
  groups = 0;
  readonly groupIndex = new Map<string, number>();
  readonly closeAt: number[] = [];
  private readonly open: number[] = [];
  unicodeClasses = false;
  flags: number;

  constructor(private readonly p: string, flags: number) {
    this.flags = flags;
    this.leadingFlags();
  }

  private get verbose(): boolean { return (this.flags & FLAG.VERBOSE) !== 0; }
  private peek(k = 0): string { return this.p[this.i + k] ?? ''; }

  /** `(?imsx)` at the very start sets global flags (elsewhere Python 3.11 rejects them). */
  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(this.p.slice(this.i));
      if (!m) return;
      for (const c of m[1]) {
        if (c === 'L') throw reError('bad inline flags: cannot use \'L\' flag with a str pattern', this.i);
        this.flags |= INLINE[c];
      }
      this.i += m[0].length;
    }
  }

  run(): Translated {
    const tree = this.alternation();
    if (this.i < this.p.length) throw reError('unbalanced parenthesis', this.i);
    return { source: this.out, flags: this.flags, groups: this.groups, groupIndex: this.groupIndex, closeAt: this.closeAt, unicodeClasses: this.unicodeClasses, tree };
  }

  private alternation(): Node {
    const alts: Node[] = [this.sequence()];
    while (this.peek() === '|') { this.i++; this.out += '|'; alts.push(this.sequence()); }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.p.length && this.peek() !== '|' && this.peek() !== ')') {
      if (this.verbose && this.skipVerbose()) continue;
      const start = this.out.length;
      const atom = this.atom();
      if (atom) items.push(this.quantifier(atom, start));
    }
    return { t: 'seq', items };
  }

  private skipVerbose(): boolean {
    const c = this.peek();
    if (/\s/.test(c)) { this.i++; return true; }
    if (c === '#') { while (this.i < this.p.length && this.peek() !== '\n') this.i++; return true; }
    return false;
  }

  private quantifier(atom: Node, start: number): Node {
    if (this.verbose) while (this.skipVerbose());
    const c = this.peek();
    let min: number, max: number;
    if (c === '*' || c === '+' || c === '?') {
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
      this.i++;
      this.out += c;
    } else if (c === '{') {
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m || (m[1] === '' && m[2] === undefined)) return atom; // `{` that is no repeat: a literal (atom() emitted it)
      min = m[1] ? Number(m[1]) : 0;
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      if (max < min) throw reError('min repeat greater than max repeat', this.i + 1);
      this.i += m[0].length;
      this.out += `{${min},${max === Infinity ? '' : max}}`;
    } else return atom;
    if (atom.t === 'empty') throw reError('nothing to repeat', this.i - 1);
    if (this.out.slice(start).length === 0) throw reError('nothing to repeat', this.i - 1);
    let lazy = false;
    if (this.peek() === '?') { this.i++; this.out += '?'; lazy = true; }
    else if (this.peek() === '+') throw unsupported('a possessive quantifier', this.i);
    const next = this.peek();
    if (next !== '' && '*+?'.includes(next)) throw reError('multiple repeat', this.i);
    return { t: 'rep', node: atom, min, max, lazy };
  }

  private atom(): Node | null {
    const c = this.peek();
    const multiline = (this.flags & FLAG.MULTILINE) !== 0;
    switch (c) {
      case '(': return this.group();
      case '[': return this.charClass();
      case '\\': return this.escape();
      case '.': this.i++; this.out += this.flags & FLAG.DOTALL ? '[\\s\\S]' : '[^\\n]'; return { t: 'set', cs: this.flags & FLAG.DOTALL ? ANY : invert(charSet([10])) };
      case '^': this.i++; this.out += multiline ? '(?:(?<![\\s\\S])|(?<=\\n))' : '(?<![\\s\\S])'; return { t: 'empty' };
      case '$': this.i++; this.out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))'; return { t: 'empty' };
      case '*': case '+': case '?': throw reError('nothing to repeat', this.i);
      case '{': case '}': case ']': this.i++; this.out += '\\' + c; return { t: 'set', cs: charSet([c.charCodeAt(0)]) };
    }
    const cp = this.p.codePointAt(this.i)!;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    this.out += SYNTAX.has(ch) ? '\\' + ch : ch;
    return { t: 'set', cs: this.literalSet(cp) };
  }

  private literalSet(cp: number): CharSet {
    if (!(this.flags & FLAG.IGNORECASE)) return charSet([cp]);
    const ch = String.fromCodePoint(cp);
    return charSet([cp, ch.toLowerCase().codePointAt(0)!, ch.toUpperCase().codePointAt(0)!], cp > 127);
  }

  private group(): Node {
    const at = this.i;
    const rest = this.p.slice(this.i);
    let m: RegExpExecArray | null;
    if ((m = /^\(\?P<([^>]*)>/.exec(rest))) {
      if (!/^[^\W\d]\w*$/u.test(m[1])) throw reError(`bad character in group name '${m[1]}'`, at + 4);
      if (this.groupIndex.has(m[1])) throw reError(`redefinition of group name '${m[1]}' as group ${this.groups + 1}; was group ${this.groupIndex.get(m[1])}`, at + 4);
      this.i += m[0].length;
      this.groupIndex.set(m[1], this.groups + 1);
      return this.capture(`(?<${m[1]}>`, at);
    }
    if ((m = /^\(\?P=([^)]*)\)/.exec(rest))) {
      const n = this.groupIndex.get(m[1]);
      if (n === undefined) throw reError(`unknown group name '${m[1]}'`, at + 4);
      if (this.open.includes(n)) throw reError('cannot refer to an open group', at);
      this.i += m[0].length;
      this.out += `\\k<${m[1]}>`;
      return { t: 'rep', node: { t: 'set', cs: ANY }, min: 0, max: Infinity, lazy: false };
    }
    if (rest.startsWith('(?#')) {
      const end = this.p.indexOf(')', this.i);
      if (end < 0) throw reError('missing ), unterminated comment', at);
      this.i = end + 1;
      return { t: 'empty' };
    }
    for (const [py, js, zeroWidth] of [['(?:', '(?:', false], ['(?=', '(?=', true], ['(?!', '(?!', true], ['(?<=', '(?<=', true], ['(?<!', '(?<!', true]] as const) {
      if (!rest.startsWith(py)) continue;
      this.i += py.length;
      this.out += js;
      const body = this.alternation();
      this.close(at);
      return zeroWidth ? { t: 'empty' } : body;
    }
    if (rest.startsWith('(?>')) throw unsupported('an atomic group (?>...)', at);
    if (rest.startsWith('(?(')) throw unsupported('a conditional group (?(id)yes|no)', at);
    if (/^\(\?[aiLmsux]*(-[imsx]+)?:/.test(rest)) throw unsupported('a scoped inline flag group (?flags:...)', at);
    if (/^\(\?[aiLmsux]+\)/.test(rest)) throw reError('global flags not at the start of the expression', at);
    if (rest.startsWith('(?')) throw reError(`unknown extension ?${rest[2] ?? ''}`, at + 1);
    this.i++;
    return this.capture('(', at);
  }

  private capture(open: string, at: number): Node {
    const n = ++this.groups;
    this.open.push(n);
    this.out += open;
    const body = this.alternation();
    this.close(at);
    this.open.pop();
    this.closeAt[n] = this.i;
    return body;
  }

  private close(at: number): void {
    if (this.peek() !== ')') throw reError('missing ), unterminated subpattern', at);
    this.i++;
    this.out += ')';
  }

  /** An escape outside a class. */
  private escape(): Node {
    const at = this.i;
    const c = this.peek(1);
    if (c === '') throw reError('bad escape (end of pattern)', at);
    if ('dwsDWS'.includes(c)) { this.i += 2; this.unicodeClasses = true; this.out += '\\' + c; return { t: 'set', cs: CLASS_SET[c]() }; }
    if (c === 'b' || c === 'B') { this.i += 2; this.unicodeClasses = true; this.out += '\\' + c; return { t: 'empty' }; }
    if (c === 'A') { this.i += 2; this.out += '(?<![\\s\\S])'; return { t: 'empty' }; }
    if (c === 'Z') { this.i += 2; this.out += '(?![\\s\\S])'; return { t: 'empty' }; }
    // \1..\99 are group references unless three octal digits make an octal escape
    if (/[1-9]/.test(c) && !/^\\[0-7]{3}/.test(this.p.slice(at))) return this.backref(at);
    const cp = this.codeEscape(at, false);
    this.out += hex(cp);
    return { t: 'set', cs: this.literalSet(cp) };
  }

  private backref(at: number): Node {
    const m = /^\\(\d\d?)/.exec(this.p.slice(at))!;
    const n = Number(m[1]);
    if (n > this.groups) throw reError(`invalid group reference ${n}`, at + 1);
    if (this.open.includes(n)) throw reError('cannot refer to an open group', at);
    this.i += m[0].length;
    this.out += `(?:\\${n})`;
    return { t: 'rep', node: { t: 'set', cs: ANY }, min: 0, max: Infinity, lazy: false };
  }

  /** A character escape (\n \x41 \u0041 \U00000041 \012 \. ...): the code point it stands for. */
  private codeEscape(at: number, inClass: boolean): number {
    const c = this.peek(1);
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 };
    if (inClass) simple.b = 8;
    if (c in simple) { this.i += 2; return simple[c]; }
    const fixed = (len: number): number => {
      const digits = this.p.slice(at + 2, at + 2 + len);
      if (digits.length < len || !/^[0-9a-fA-F]+$/.test(digits)) throw reError(`incomplete escape \\${c}${digits}`, at);
      this.i = at + 2 + len;
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) throw reError(`bad escape \\${c}${digits}`, at);
      return cp;
    };
    if (c === 'x') return fixed(2);
    if (c === 'u') return fixed(4);
    if (c === 'U') return fixed(8);
    if (c === 'N') throw unsupported('a named character escape \\N{...}', at);
    if (/[0-7]/.test(c)) {
      const m = /^[0-7]{1,3}/.exec(this.p.slice(at + 1))!;
      const cp = parseInt(m[0], 8);
      if (cp > 0o377) throw reError(`octal escape value \\${m[0]} outside of range 0-0o377`, at);
      this.i = at + 1 + m[0].length;
      return cp;
    }
    if (/[A-Za-z0-9]/.test(c)) throw reError(`bad escape \\${c}`, at);
    const cp = this.p.codePointAt(at + 1)!;
    this.i = at + 1 + String.fromCodePoint(cp).length;
    return cp;
  }

  private charClass(): Node {
    const at = this.i;
    this.i++;
    let js = '[';
    const cs: CharSet = { ascii: new Uint8Array(128), other: false };
    const add = (s: CharSet): void => { s.ascii.forEach((x, k) => { if (x) cs.ascii[k] = 1; }); cs.other ||= s.other; };
    let negate = false;
    if (this.peek() === '^') { negate = true; js += '^'; this.i++; }
    let first = true;
    let prev: number | null = null;
    for (;;) {
      if (this.i >= this.p.length) throw reError('unterminated character set', at);
      const c = this.peek();
      if (c === ']' && !first) { this.i++; break; }
      first = false;
      if (c === '-' && prev !== null && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const hi = this.classChar(at);
        if (hi === null) throw reError(`bad character range ${String.fromCodePoint(prev)}-${this.p.slice(this.i - 2, this.i)}`, at);
        if (hi < prev) throw reError(`bad character range ${String.fromCodePoint(prev)}-${String.fromCodePoint(hi)}`, this.i - 3);
        js += '-' + hex(hi);
        add(charSet(range(prev, Math.min(hi, 127)), hi > 127));
        prev = null;
        continue;
      }
      if (c === '\\' && 'dwsDWS'.includes(this.peek(1))) {
        const k = this.peek(1);
        this.i += 2;
        this.unicodeClasses = true;
        js += '\\' + k;
        add(CLASS_SET[k]());
        prev = null;
        continue;
      }
      const cp = this.classChar(at)!;
      js += hex(cp);
      add(this.literalSet(cp));
      prev = cp;
    }
    this.out += js + ']';
    return { t: 'set', cs: negate ? invert(cs) : cs };
  }

  /** One literal character inside a class (an escape or the character itself). */
  private classChar(at: number): number | null {
    const c = this.peek();
    if (c === '\\') {
      if ('dwsDWS'.includes(this.peek(1))) return null;
      return this.codeEscape(this.i, true);
    }
    if (this.i >= this.p.length) throw reError('unterminated character set', at);
    const cp = this.p.codePointAt(this.i)!;
    this.i += String.fromCodePoint(cp).length;
    return cp;
  }
}

export function translate(pattern: string, flags: number): Translated {
  if (flags & FLAG.LOCALE) throw reError('cannot use LOCALE flag with a str pattern');
  if ((flags & FLAG.ASCII) && (flags & FLAG.UNICODE)) throw new PyException('ValueError', 'ASCII and UNICODE flags are incompatible');
  return new Translator(pattern, flags).run();
}

/** re.escape: Python 3.7+ escapes only the characters special in patterns. */
export function escapePattern(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}

// ---------------------------------------------------------------- backtracking cost
// JS's RegExp backtracks and cannot be interrupted, so a pattern that can take exponential or
// high-polynomial time is run only on strings short enough to finish (re.ts asks `maxSubject`).

const overlap = (a: CharSet, b: CharSet): boolean => (a.other && b.other) || a.ascii.some((x, i) => x === 1 && b.ascii[i] === 1);
const union = (sets: CharSet[]): CharSet => {
  const a = new Uint8Array(128);
  let other = false;
  for (const s of sets) { s.ascii.forEach((x, i) => { if (x) a[i] = 1; }); other ||= s.other; }
  return { ascii: a, other };
};
const NONE: CharSet = { ascii: new Uint8Array(128), other: false };

function nullable(n: Node): boolean {
  switch (n.t) {
    case 'set': return false;
    case 'empty': return true;
    case 'seq': return n.items.every(nullable);
    case 'alt': return n.alts.some(nullable);
    case 'rep': return n.min === 0 || nullable(n.node);
  }
}

/** Characters a match of n can start with. */
function first(n: Node): CharSet {
  switch (n.t) {
    case 'set': return n.cs;
    case 'empty': return NONE;
    case 'alt': return union(n.alts.map(first));
    case 'rep': return first(n.node);
    case 'seq': {
      const out: CharSet[] = [];
      for (const x of n.items) { out.push(first(x)); if (!nullable(x)) break; }
      return union(out);
    }
  }
}

/** Every character n can consume. */
function chars(n: Node): CharSet {
  switch (n.t) {
    case 'set': return n.cs;
    case 'empty': return NONE;
    case 'alt': return union(n.alts.map(chars));
    case 'rep': return chars(n.node);
    case 'seq': return union(n.items.map(chars));
  }
}

/** The repeating sub-nodes that can consume the last characters of a match of n. */
function tailReps(n: Node): Node[] {
  switch (n.t) {
    case 'set': case 'empty': return [];
    case 'alt': return n.alts.flatMap(tailReps);
    case 'rep': return n.max > 1 ? [n, ...tailReps(n.node)] : tailReps(n.node);
    case 'seq': {
      const out: Node[] = [];
      for (let i = n.items.length - 1; i >= 0; i--) { out.push(...tailReps(n.items[i])); if (!nullable(n.items[i])) break; }
      return out;
    }
  }
}

/** A repetition whose iterations can split the same text in more than one way: (a+)+, (a|a)*, (a*)*. */
function ambiguousLoop(rep: Node & { t: 'rep' }): boolean {
  const body = rep.node;
  if (nullable(body)) return true;
  const start = first(body);
  if (tailReps(body).some((q) => overlap(chars(q), start))) return true;
  const alts = body.t === 'alt' ? body.alts : body.t === 'seq' && body.items.length === 1 && body.items[0].t === 'alt' ? body.items[0].alts : [];
  return alts.some((a, i) => alts.slice(i + 1).some((b) => overlap(first(a), first(b))));
}

/** Adjacent repetitions over overlapping characters (\d+\d+, .*x.*): each adds a degree of polynomial cost. */
function adjacentPairs(n: Node): number {
  switch (n.t) {
    case 'set': case 'empty': return 0;
    case 'alt': return Math.max(0, ...n.alts.map(adjacentPairs));
    case 'rep': return adjacentPairs(n.node);
    case 'seq': {
      let k = n.items.reduce((acc, x) => acc + adjacentPairs(x), 0);
      for (let i = 0; i < n.items.length; i++) {
        const a = n.items[i];
        if (a.t !== 'rep' || a.max <= 1) continue;
        for (let j = i + 1; j < n.items.length; j++) {
          const b = n.items[j];
          if (b.t === 'rep' && b.max > 1 && overlap(chars(a), chars(b))) { k++; break; }
          if (!nullable(b)) break;
        }
      }
      return k;
    }
  }
}

function anyRep(n: Node, pred: (r: Node & { t: 'rep' }) => boolean): boolean {
  switch (n.t) {
    case 'set': case 'empty': return false;
    case 'alt': return n.alts.some((a) => anyRep(a, pred));
    case 'seq': return n.items.some((a) => anyRep(a, pred));
    case 'rep': return pred(n) || anyRep(n.node, pred);
  }
}

/** The longest subject this pattern is run on (Infinity: any). About 10^8 backtracking steps at most. */
export function maxSubject(tree: Node): number {
  if (anyRep(tree, (r) => r.max > 1 && ambiguousLoop(r))) return 20;
  const degree = 2 + adjacentPairs(tree); // an unanchored search is already quadratic
  return degree <= 2 ? 100_000 : Math.floor(1e8 ** (1 / degree));
}

/** Whether an empty match could hide a non-empty one at the same place (lazy or empty-first alternatives):
 *  there JS's iteration (skip one character) and Python's (retry for a non-empty match) part ways. */
export function emptyMatchAmbiguous(tree: Node): boolean {
  const walk = (n: Node): boolean => {
    switch (n.t) {
      case 'set': case 'empty': return false;
      case 'alt': return n.alts.slice(0, -1).some(nullable) || n.alts.some(walk);
      case 'seq': return n.items.some(walk);
      case 'rep': return (n.lazy && n.max > n.min) || walk(n.node);
    }
  };
  return nullable(tree) && walk(tree);
}
