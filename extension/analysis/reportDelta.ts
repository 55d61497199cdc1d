// A report as its changes from an earlier one: what the analysis sends the host after an edit instead of the
// whole report (≈ 1.5 MB of JSON on a 2,000-line file, whose serialising and parsing took about as long as
// the analysis). Pure data in, pure data out: applying the delta to the same base gives a value equal to the
// new report (key order and `undefined`-valued keys included); the base is never modified, the parts the
// delta leaves alone are shared with it. Knows one thing about reports: source locations (`Loc`) move down
// or up when lines are inserted or removed above them, so "every location in here moved by n lines" is one op.

/**
 * `{ v }`: the new value whole. `{ s }`: the base with the line of every location inside it moved by `s`.
 * `{ o }`: an object with the same keys in the same order, the deltas of the changed values. `{ a }`: an
 * array, as the concatenation of its segments (Segment).
 */
export type Delta = { v: unknown } | { s: number } | { o: Record<string, Delta> } | { a: Segment[] };

/**
 * Part of a new array: `[0, from, count]` base items kept; `[1, from, count, lines]` base items with their
 * locations moved by `lines`; `[2, from, delta]` base item `from` changed; `[3, value]` a new item.
 */
export type Segment = [0, number, number] | [1, number, number, number] | [2, number, Delta] | [3, unknown];

type Plain = Record<string, unknown>;

/**
 * The delta from `base` to `next`, or undefined when they are equal. `moves`: the only line counts by which
 * locations may have moved (what the edited files grew or shrank by); without it any is looked for.
 * NOTE: an object seen in both (base === next) counts as unchanged: reports are never modified once made
 * (the engine builds each anew; the host only reads them), which is what lets the base stand for what was sent.
 */
export function diffValues(base: unknown, next: unknown, moves?: readonly number[]): Delta | undefined {
  allowed = moves?.filter((m) => m !== 0);
  try {
    return diffSame(base, next);
  } finally {
    allowed = undefined;
  }
}

/** The moves diffValues was given (module state for the length of one call: the walk is synchronous). */
let allowed: readonly number[] | undefined;

function diffSame(base: unknown, next: unknown): Delta | undefined {
  // each item walked once when unchanged: arrays compare their items, objects their values, one by one
  if (Array.isArray(base) && Array.isArray(next)) return diffArrays(base, next);
  if (isPlain(base) && isPlain(next) && !isLoc(base) && sameKeyOrder(base, next)) {
    let changes: Record<string, Delta> | undefined;
    for (const k in next) {
      const d = diffSame(base[k], next[k]);
      if (d) (changes ??= {})[k] = d;
    }
    return changes && { o: changes };
  }
  return equal(base, next) ? undefined : diffUnequal(base, next);
}

/** `base` with `delta` applied: a new value (the parts of `base` the delta does not change are shared). */
export function applyDelta(base: unknown, delta: Delta): unknown {
  if ('v' in delta) return delta.v;
  if ('s' in delta) return shifted(base, delta.s);
  if ('o' in delta) {
    if (!isPlain(base)) throw new Error('report delta: an object delta on a value that is not an object');
    const out: Plain = {};
    for (const k of Object.keys(base)) out[k] = Object.prototype.hasOwnProperty.call(delta.o, k) ? applyDelta(base[k], delta.o[k]) : base[k];
    return out;
  }
  if (!Array.isArray(base)) throw new Error('report delta: an array delta on a value that is not an array');
  const out: unknown[] = [];
  for (const g of delta.a) {
    switch (g[0]) {
      case 0: for (let i = g[1]; i < g[1] + g[2]; i++) out.push(base[i]); break;
      case 1: for (let i = g[1]; i < g[1] + g[2]; i++) out.push(shifted(base[i], g[3])); break;
      case 2: out.push(applyDelta(base[g[1]], g[2])); break;
      case 3: out.push(g[1]); break;
    }
  }
  return out;
}

function diffUnequal(base: unknown, next: unknown): Delta {
  if (Array.isArray(base) && Array.isArray(next)) return diffArrays(base, next) ?? { v: next };
  if (isPlain(base) && isPlain(next)) {
    // moved items are found where they are listed (diffArrays); here only a lone location
    const lines = isLoc(base) ? shiftOf(base, next) : undefined;
    return lines === undefined ? diffObjects(base, next) : { s: lines };
  }
  return { v: next };
}

/**
 * Items kept at the start and at the end (moved or not: a line inserted above them), the ones between
 * compared in pairs; a layer inserted or removed costs its own items and those it changed, not all after it.
 */
function diffArrays(base: unknown[], next: unknown[]): Delta | undefined {
  const common = Math.min(base.length, next.length);
  let head = 0;
  while (head < common && equal(base[head], next[head])) head++;
  if (head === base.length && head === next.length) return undefined;
  if (next.every((x) => x === null || typeof x !== 'object')) return { v: next }; // a shape: whole is shorter
  const out = new Segments();
  out.keep(0, head, 0);
  // the tail: from the end while items are equal or only moved
  const tail: Array<{ i: number; lines: number }> = [];
  let hint = 0;
  for (let j = 1; j <= common - head; j++) {
    const lines = matching(base[base.length - j], next[next.length - j], hint);
    if (lines === undefined) break;
    tail.push({ i: base.length - j, lines });
    hint = lines;
  }
  const bEnd = base.length - tail.length, nEnd = next.length - tail.length;
  for (let i = head; i < nEnd; i++) {
    if (i >= bEnd) { out.push([3, next[i]]); continue; }
    const lines = matching(base[i], next[i], hint);
    if (lines === undefined) out.push([2, i, diffUnequal(base[i], next[i])]);
    else { out.keep(i, 1, lines); hint = lines; }
  }
  for (let k = tail.length - 1; k >= 0; k--) out.keep(tail[k].i, 1, tail[k].lines);
  return out.list.every((g) => g[0] === 3) ? { v: next } : { a: out.list };
}

/**
 * 0 when the items are equal, the lines every location moved by when only that differs, else undefined.
 * `hint` (what the item before moved by, as a line inserted above moves a whole run) is tried first.
 */
function matching(b: unknown, x: unknown, hint: number): number | undefined {
  if (hint !== 0 && equalShifted(b, x, hint)) return hint; // (an item without locations: shifted() keeps it)
  if (equal(b, x)) return 0;
  return isPlain(b) && isPlain(x) ? shiftOf(b, x) : undefined;
}

/** Segments of a new array, runs of kept items merged. */
class Segments {
  readonly list: Segment[] = [];
  keep(from: number, count: number, lines: number): void {
    if (count === 0) return;
    const last = this.list[this.list.length - 1];
    if (last && lines === 0 && last[0] === 0 && last[1] + last[2] === from) last[2] += count;
    else if (last && lines !== 0 && last[0] === 1 && last[1] + last[2] === from && last[3] === lines) last[2] += count;
    else this.list.push(lines === 0 ? [0, from, count] : [1, from, count, lines]);
  }
  push(g: Segment): void { this.list.push(g); }
}

function diffObjects(base: Plain, next: Plain): Delta {
  const keys = Object.keys(next);
  if (!sameKeys(keys, base)) return { v: next }; // applying keeps the base's keys and their order
  const changes: Record<string, Delta> = {};
  for (const k of keys) if (!equal(base[k], next[k])) changes[k] = diffUnequal(base[k], next[k]);
  return { o: changes };
}

/** Deep equality of plain data, key order included (what a serialisation of either would show). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return a !== 0 || 1 / (a as number) === 1 / (b as number);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b; // NaN
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const p = Object.getPrototypeOf(a);
  if (p !== Object.getPrototypeOf(b) || (p !== Object.prototype && p !== null) || !sameKeyOrder(a as Plain, b as Plain)) return false;
  for (const k in b as Plain) if (!equal((a as Plain)[k], (b as Plain)[k])) return false;
  return true;
}

/** Scratch for sameKeyOrder (which finishes before any recursion, so one suffices). */
const scratch: string[] = [];

/** The same own keys in the same order (plain objects: for-in lists exactly their own keys, in order). */
function sameKeyOrder(a: Plain, b: Plain): boolean {
  let n = 0;
  for (const k in a) scratch[n++] = k;
  let m = 0;
  for (const k in b) if (m >= n || scratch[m++] !== k) return false;
  return m === n;
}

/**
 * The number of lines by which every location in `base` moved to give `next` (everything else equal), or
 * undefined when `next` differs otherwise (or nothing moved).
 */
function shiftOf(base: Plain, next: Plain): number | undefined {
  if (allowed) {
    for (const m of allowed) if (equalShifted(base, next, m)) return m;
    return undefined;
  }
  const first = firstLoc(base), other = first && firstLoc(next);
  if (!first || !other || other.line === first.line) return undefined;
  const lines = (other.line as number) - (first.line as number);
  return equalShifted(base, next, lines) ? lines : undefined;
}

/** `b` equals `a` with every location's line moved by `lines` (the inverse of `shifted`). */
function equalShifted(a: unknown, b: unknown, lines: number): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return equal(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalShifted(a[i], b[i], lines)) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlain(a) || !isPlain(b) || !sameKeyOrder(a, b)) return false;
  if (isLoc(a)) {
    for (const k in b) if (!equal(k === 'line' || k === 'endLine' ? (a[k] as number) + lines : a[k], b[k])) return false;
    return true;
  }
  for (const k in b) if (!equalShifted(a[k], b[k], lines)) return false;
  return true;
}

/** `value` with the line of every location inside it moved by `lines`: new objects where one is inside, else itself. */
function shifted(value: unknown, lines: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const x = value[i];
      if (typeof x !== 'object' || x === null) continue; // (no call per number of a shape)
      const y = shifted(x, lines);
      if (y !== x) (out ??= value.slice())[i] = y;
    }
    return out ?? value;
  }
  const v = value as Plain;
  if (isLoc(v)) return { ...v, line: (v.line as number) + lines, endLine: (v.endLine as number) + lines };
  let out: Plain | undefined;
  for (const k in v) {
    const x = v[k];
    if (typeof x !== 'object' || x === null) continue;
    const y = shifted(x, lines);
    if (y !== x) (out ??= { ...v })[k] = y;
  }
  return out ?? v;
}

/** The first location in `x` (depth first, keys in order). */
function firstLoc(x: unknown): Plain | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  if (Array.isArray(x)) {
    for (const y of x) { const l = firstLoc(y); if (l) return l; }
    return undefined;
  }
  const v = x as Plain;
  if (isLoc(v)) return v;
  for (const k in v) { const l = firstLoc(v[k]); if (l) return l; }
  return undefined;
}

/** A source location (engine/api.ts's Loc): its lines are what an inserted or removed line changes. */
function isLoc(x: Plain): boolean {
  return typeof x.file === 'string' && typeof x.line === 'number' && typeof x.endLine === 'number' && typeof x.col === 'number' && typeof x.endCol === 'number';
}

function sameKeys(keys: string[], other: Plain): boolean {
  const theirs = Object.keys(other);
  if (theirs.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== theirs[i]) return false;
  return true;
}

/** A plain object (`{}` or null-prototype), as reports are made of; class instances are not. */
function isPlain(x: unknown): x is Plain {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}
