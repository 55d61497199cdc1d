// Python's re module over JavaScript's RegExp (reSyntax.ts translates the pattern): compile, search,
// match, fullmatch, split, findall, finditer, sub, subn, escape; Pattern and Match objects with
// Python's group/start/end/span/groupdict/lastindex. Python's iteration rules for empty matches; a
// pattern that could backtrack for too long on a given string is refused, never run into a hang.
import type { Interp } from '../interp';
import {
  Builtin, InterpError, PyClass, PyDict, PyException, PyInstance, PyIterator, PyList, PyTuple, Unknown, typeName,
  type CallCtx, type Value,
} from '../values';
import { hashKey, isIntLike, numVal, pyRepr } from '../ops';
import { fn } from './native';
import { FLAG, emptyMatchAmbiguous, escapePattern, maxSubject, reError, translate, type Translated } from './reSyntax';
import { NO_KWARGS } from '../calls';

interface Compiled {
  pattern: string;
  flags: number;
  tr: Translated;
  search: RegExp;
  sticky: RegExp;
  full: RegExp;
  maxLen: number;
  emptyAmbiguous: boolean;
  obj?: PyInstance;
}

interface MatchData { c: Compiled; m: RegExpExecArray; string: string; pos: number; endpos: number }

const FLAG_NAMES: Array<[string, number]> = [['TEMPLATE', FLAG.TEMPLATE], ['IGNORECASE', FLAG.IGNORECASE], ['LOCALE', FLAG.LOCALE], ['MULTILINE', FLAG.MULTILINE], ['DOTALL', FLAG.DOTALL], ['UNICODE', FLAG.UNICODE], ['VERBOSE', FLAG.VERBOSE], ['DEBUG', FLAG.DEBUG], ['ASCII', FLAG.ASCII]];

export function re(it: Interp): Record<string, Value> {
  const object = it.types.get('object')!;
  const error = new PyClass('error', [it.types.get('Exception')!], 're');
  const Pattern = new PyClass('Pattern', [object], 're');
  const Match = new PyClass('Match', [object], 're');
  // CPython: `TypeError: cannot create 're.Match' instances` (only re's functions make them)
  for (const c of [Pattern, Match]) c.dict.set('__new__', new Builtin(`${c.name}.__new__`, () => { throw new PyException('TypeError', `cannot create 're.${c.name}' instances`); }));
  const cache = new Map<string, Compiled>();
  const R = { it, error, Pattern, Match, cache };
  installPattern(R);
  installMatch(R);
  const viaPattern = (name: string, argc: number) => fn(`re.${name}`, (a, kw, ctx) => {
    const pat = a[0] ?? kw.get('pattern') ?? null;
    const flags = a[argc + 1] ?? kw.get('flags') ?? 0;
    if (pat instanceof Unknown) return pat;
    const c = compiled(R, pat, flags, ctx);
    const rest = a.slice(1, argc + 1);
    const kw2 = new Map([...kw].filter(([k]) => k !== 'pattern' && k !== 'flags'));
    return it.call(it.getAttr(c.obj!, name, ctx), rest, kw2, ctx);
  });
  const flags: Record<string, Value> = {};
  for (const [n, v] of FLAG_NAMES) flags[n] = v;
  Object.assign(flags, { I: FLAG.IGNORECASE, L: FLAG.LOCALE, M: FLAG.MULTILINE, S: FLAG.DOTALL, U: FLAG.UNICODE, X: FLAG.VERBOSE, A: FLAG.ASCII, T: FLAG.TEMPLATE, NOFLAG: 0 });
  return {
    ...flags, error, Pattern, Match,
    compile: fn('re.compile', (a, kw, ctx) => { const p = a[0] ?? kw.get('pattern') ?? null; return p instanceof Unknown ? p : compiled(R, p, a[1] ?? kw.get('flags') ?? 0, ctx).obj!; }),
    search: viaPattern('search', 1), match: viaPattern('match', 1), fullmatch: viaPattern('fullmatch', 1),
    split: viaPattern('split', 2), findall: viaPattern('findall', 1), finditer: viaPattern('finditer', 1),
    sub: viaPattern('sub', 3), subn: viaPattern('subn', 3),
    escape: fn('re.escape', (a) => { if (typeof a[0] !== 'string') throw new PyException('TypeError', `expected str, got ${typeName(a[0])}`); return escapePattern(a[0]); }),
    purge: fn('re.purge', () => { cache.clear(); return null; }),
  };
}

type Re = { it: Interp; error: PyClass; Pattern: PyClass; Match: PyClass; cache: Map<string, Compiled> };

/** A located re.error as Python raises it (an instance of re.error, so `except re.error` catches it). */
function raise(R: Re, err: unknown, ctx: CallCtx): never {
  if (err instanceof PyException && err.pyType === 'error') {
    const e = new PyInstance(R.error);
    e.dict.set('args', new PyTuple([err.pyMessage]));
    e.dict.set('msg', err.pyMessage);
    throw new PyException('error', err.pyMessage, e, ctx.file, ctx.s, ctx.e);
  }
  throw err;
}

function compiled(R: Re, pat: Value, flagsV: Value, ctx: CallCtx): Compiled {
  if (flagsV instanceof Unknown) throw new InterpError(`re flags are unknown (${flagsV.reason})`, ctx.file, ctx.s, ctx.e, 'unknown');
  if (!isIntLike(flagsV)) throw new PyException('TypeError', `unsupported operand type(s) for &: '${typeName(flagsV)}' and 'int'`);
  const flags = numVal(flagsV);
  if (pat instanceof PyInstance && pat.cls === R.Pattern) {
    if (flags) throw new PyException('ValueError', 'cannot process flags argument with a compiled pattern');
    return pat.native as Compiled;
  }
  if (typeof pat !== 'string') throw new PyException('TypeError', 'first argument must be string or compiled pattern');
  const key = `${flags}\0${pat}`;
  const hit = R.cache.get(key);
  if (hit) return hit;
  let tr: Translated;
  try { tr = translate(pat, flags); } catch (err) { raise(R, err, ctx); }
  const jsFlags = 'du' + (tr.flags & FLAG.IGNORECASE ? 'i' : '');
  let c: Compiled;
  try {
    c = {
      pattern: pat, flags: tr.flags | (tr.flags & FLAG.ASCII ? 0 : FLAG.UNICODE), tr,
      search: new RegExp(tr.source, jsFlags + 'g'), sticky: new RegExp(tr.source, jsFlags + 'y'),
      full: new RegExp(`(?:${tr.source})(?![\\s\\S])`, jsFlags + 'y'), maxLen: maxSubject(tr.tree), emptyAmbiguous: emptyMatchAmbiguous(tr.tree),
    };
  } catch (err) {
    throw new InterpError(`re: pattern ${pyRepr(pat)} could not be translated for the analysis (${err instanceof Error ? err.message : String(err)})`, ctx.file, ctx.s, ctx.e);
  }
  const obj = new PyInstance(R.Pattern);
  obj.native = c;
  obj.dict.set('pattern', pat);
  obj.dict.set('flags', c.flags);
  obj.dict.set('groups', tr.groups);
  const gi = new PyDict();
  for (const [n, i] of tr.groupIndex) gi.map.set(hashKey(n), { k: n, v: i });
  obj.dict.set('groupindex', gi);
  c.obj = obj;
  R.cache.set(key, c);
  return c;
}

/** The subject string; refuses what JS would match differently from Python or could not finish. */
function subject(c: Compiled, v: Value, ctx: CallCtx): string | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v !== 'string') throw new PyException('TypeError', `expected string or bytes-like object, got '${typeName(v)}'`);
  const unicodeSensitive = c.tr.flags & FLAG.ASCII ? /[^\x00-\x7f]/ : /[^\x00-\x1b\x20-\x7f]/;
  if (c.tr.unicodeClasses && unicodeSensitive.test(v)) {
    throw new InterpError(`re: \\w, \\d, \\s or \\b on non-ASCII text (Unicode classes in Python, ASCII in JavaScript) is not modelled`, ctx.file, ctx.s, ctx.e);
  }
  if (v.length > c.maxLen) {
    throw new InterpError(`re: pattern ${pyRepr(c.pattern)} can backtrack for a very long time on a ${v.length}-character string (nested or adjacent repetition); the analysis does not run it`, ctx.file, ctx.s, ctx.e, 'budget');
  }
  return v;
}

function bounds(s: string, pos: Value, endpos: Value): [number, number] {
  const n = s.length;
  const clamp = (v: Value, d: number): number => { if (v === null || v === undefined) return d; const x = numVal(v as number); return Math.min(Math.max(x < 0 ? 0 : x, 0), n); };
  return [clamp(pos, 0), clamp(endpos, n)];
}

function execAt(re: RegExp, s: string, pos: number, endpos: number): RegExpExecArray | null {
  if (endpos < pos) return null;
  re.lastIndex = pos;
  return re.exec(endpos < s.length ? s.slice(0, endpos) : s);
}

/** Successive non-overlapping matches as Python 3.7+ finds them (an empty match may follow a non-empty one). */
function* matches(c: Compiled, s: string, pos: number, endpos: number, ctx: CallCtx): Generator<RegExpExecArray> {
  let at = pos;
  while (at <= endpos) {
    const m = execAt(c.search, s, at, endpos);
    if (!m) return;
    const st = m.index, en = st + m[0].length;
    if (st === en && st < endpos && c.emptyAmbiguous) {
      throw new InterpError(`re: pattern ${pyRepr(c.pattern)} matches empty text where a longer match may exist (Python retries there, JavaScript moves on); not modelled`, ctx.file, ctx.s, ctx.e);
    }
    yield m;
    at = en > st ? en : en + ((s.codePointAt(en) ?? 0) > 0xffff ? 2 : 1);
  }
}

function groupValue(m: RegExpExecArray, i: number, dflt: Value): Value { return m[i] === undefined ? dflt : m[i]; }

function installPattern(R: Re): void {
  const { it, Pattern } = R;
  const self = (a: Value[]): Compiled => (a[0] as PyInstance).native as Compiled;
  const def = (name: string, f: (c: Compiled, a: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value): void => { Pattern.dict.set(name, new Builtin(`Pattern.${name}`, (a, kw, ctx) => f(self(a), a.slice(1), kw, ctx))); };
  const arg = (a: Value[], kw: Map<string, Value>, i: number, name: string, d: Value = null): Value => a[i] ?? kw.get(name) ?? d;
  for (const mode of ['search', 'match', 'fullmatch'] as const) {
    def(mode, (c, a, kw, ctx) => {
      const s = subject(c, arg(a, kw, 0, 'string'), ctx);
      if (s instanceof Unknown) return s;
      const [pos, endpos] = bounds(s, arg(a, kw, 1, 'pos'), arg(a, kw, 2, 'endpos'));
      const m = execAt(mode === 'search' ? c.search : mode === 'match' ? c.sticky : c.full, s, pos, endpos);
      return m ? makeMatch(R, { c, m, string: s, pos, endpos }) : null;
    });
  }
  def('findall', (c, a, kw, ctx) => {
    const s = subject(c, arg(a, kw, 0, 'string'), ctx);
    if (s instanceof Unknown) return s;
    const [pos, endpos] = bounds(s, arg(a, kw, 1, 'pos'), arg(a, kw, 2, 'endpos'));
    const out: Value[] = [];
    for (const m of matches(c, s, pos, endpos, ctx)) {
      const g = c.tr.groups;
      out.push(g === 0 ? m[0] : g === 1 ? groupValue(m, 1, '') : new PyTuple(Array.from({ length: g }, (_, i) => groupValue(m, i + 1, ''))));
    }
    return new PyList(out);
  });
  def('finditer', (c, a, kw, ctx) => {
    const s = subject(c, arg(a, kw, 0, 'string'), ctx);
    if (s instanceof Unknown) return s;
    const [pos, endpos] = bounds(s, arg(a, kw, 1, 'pos'), arg(a, kw, 2, 'endpos'));
    return new PyIterator([...matches(c, s, pos, endpos, ctx)].map((m) => makeMatch(R, { c, m, string: s, pos, endpos })));
  });
  def('split', (c, a, kw, ctx) => {
    const s = subject(c, arg(a, kw, 0, 'string'), ctx);
    if (s instanceof Unknown) return s;
    const max = numVal(arg(a, kw, 1, 'maxsplit', 0) as number);
    const out: Value[] = [];
    let last = 0, n = 0;
    for (const m of matches(c, s, 0, s.length, ctx)) {
      if (max > 0 && n >= max) break;
      out.push(s.slice(last, m.index));
      for (let i = 1; i <= c.tr.groups; i++) out.push(groupValue(m, i, null));
      last = m.index + m[0].length;
      n++;
    }
    out.push(s.slice(last));
    return new PyList(out);
  });
  const sub = (c: Compiled, a: Value[], kw: Map<string, Value>, ctx: CallCtx): [Value, number] => {
    const repl = arg(a, kw, 0, 'repl');
    const s = subject(c, arg(a, kw, 1, 'string'), ctx);
    if (s instanceof Unknown) return [s, 0];
    if (repl instanceof Unknown) return [repl, 0];
    const count = numVal(arg(a, kw, 2, 'count', 0) as number);
    const template = typeof repl === 'string' ? parseTemplate(R, c, repl, ctx) : null;
    let out = '', last = 0, n = 0;
    for (const m of matches(c, s, 0, s.length, ctx)) {
      if (count > 0 && n >= count) break;
      out += s.slice(last, m.index);
      const r = template ? expand(template, m) : it.call(repl, [makeMatch(R, { c, m, string: s, pos: 0, endpos: s.length })], NO_KWARGS, ctx);
      if (r instanceof Unknown) return [r, 0];
      if (typeof r !== 'string') throw new PyException('TypeError', `expected str instance, ${typeName(r)} found`);
      out += r;
      last = m.index + m[0].length;
      n++;
    }
    return [out + s.slice(last), n];
  };
  def('sub', (c, a, kw, ctx) => sub(c, a, kw, ctx)[0]);
  def('subn', (c, a, kw, ctx) => { const [r, n] = sub(c, a, kw, ctx); return r instanceof Unknown ? r : new PyTuple([r, n]); });
  def('__repr__', (c) => {
    const shown = FLAG_NAMES.filter(([n, v]) => c.flags & v && !(n === 'UNICODE' && !(c.tr.flags & FLAG.UNICODE))).map(([n]) => `re.${n}`);
    return `re.compile(${pyRepr(c.pattern)}${shown.length ? ', ' + shown.join('|') : ''})`;
  });
  def('__eq__', (c, a) => a[0] instanceof PyInstance && a[0].cls === Pattern && (a[0].native as Compiled).pattern === c.pattern && (a[0].native as Compiled).flags === c.flags);
}

type TemplatePart = string | number;

/** Python's replacement template: \1, \g<1>, \g<name>, character escapes; unknown letter escapes are errors. */
function parseTemplate(R: Re, c: Compiled, t: string, ctx: CallCtx): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const group = (n: number, at: number): void => {
    if (n > c.tr.groups) raise(R, reError(`invalid group reference ${n}`, at), ctx);
    if (lit) { parts.push(lit); lit = ''; }
    parts.push(n);
  };
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (ch !== '\\') { lit += ch; continue; }
    const nx = t[i + 1] ?? '';
    let m: RegExpExecArray | null;
    if (nx === 'g') {
      m = /^\\g<([^>]*)>/.exec(t.slice(i));
      if (!m) raise(R, reError('missing <', i + 2), ctx);
      const name = m[1];
      const n = /^\d+$/.test(name) ? Number(name) : c.tr.groupIndex.get(name);
      if (n === undefined) throw new PyException('IndexError', `unknown group name '${name}'`);
      group(n, i + 3);
      i += m[0].length - 1;
    } else if ((m = /^\\([1-9]\d?)/.exec(t.slice(i))) && !/^\\[0-7]{3}/.test(t.slice(i))) {
      group(Number(m[1]), i + 1);
      i += m[0].length - 1;
    } else if ((m = /^\\([0-7]{1,3})/.exec(t.slice(i)))) {
      lit += String.fromCodePoint(parseInt(m[1], 8));
      i += m[0].length - 1;
    } else {
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
      if (nx in simple) lit += simple[nx];
      else if (/[A-Za-z]/.test(nx)) raise(R, reError(`bad escape \\${nx}`, i), ctx);
      else lit += '\\' + nx;
      i++;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

function expand(parts: TemplatePart[], m: RegExpExecArray): string {
  return parts.map((p) => (typeof p === 'string' ? p : m[p] ?? '')).join('');
}

/** The group number a Match method's argument names (int or group name). */
function groupNo(d: MatchData, g: Value): number {
  if (typeof g === 'string') {
    const n = d.c.tr.groupIndex.get(g);
    if (n === undefined) throw new PyException('IndexError', 'no such group');
    return n;
  }
  if (!isIntLike(g)) throw new PyException('IndexError', 'no such group');
  const n = numVal(g);
  if (n < 0 || n > d.c.tr.groups) throw new PyException('IndexError', 'no such group');
  return n;
}

function makeMatch(R: Re, d: MatchData): PyInstance {
  const inst = new PyInstance(R.Match);
  inst.native = d;
  inst.dict.set('string', d.string);
  inst.dict.set('re', d.c.obj!);
  inst.dict.set('pos', d.pos);
  inst.dict.set('endpos', d.endpos);
  // lastindex: the matched group that closed last (latest end; nested ties go to the outer group)
  let last: number | null = null;
  for (let g = 1; g <= d.c.tr.groups; g++) {
    const span = d.m.indices?.[g];
    if (!span) continue;
    const bestSpan = last === null ? null : d.m.indices![last]!;
    if (last === null || span[1] > bestSpan![1] || (span[1] === bestSpan![1] && d.c.tr.closeAt[g] > d.c.tr.closeAt[last])) last = g;
  }
  inst.dict.set('lastindex', last);
  inst.dict.set('lastgroup', last === null ? null : [...d.c.tr.groupIndex].find(([, i]) => i === last)?.[0] ?? null);
  return inst;
}

function installMatch(R: Re): void {
  const { Match } = R;
  const data = (a: Value[]): MatchData => {
    const d = a[0] instanceof PyInstance ? (a[0].native as MatchData | undefined) : undefined;
    if (!d?.m) throw new PyException('TypeError', `descriptor requires a 're.Match' object but received '${typeName(a[0])}'`);
    return d;
  };
  const def = (name: string, f: (d: MatchData, a: Value[], kw: Map<string, Value>, ctx: CallCtx) => Value): void => { Match.dict.set(name, new Builtin(`Match.${name}`, (a, kw, ctx) => f(data(a), a.slice(1), kw, ctx))); };
  const span = (d: MatchData, g: Value): [number, number] => { const s = d.m.indices?.[groupNo(d, g)]; return s ? [s[0], s[1]] : [-1, -1]; };
  def('group', (d, a) => {
    const one = (g: Value): Value => groupValue(d.m, groupNo(d, g), null);
    return a.length <= 1 ? one(a[0] ?? 0) : new PyTuple(a.map(one));
  });
  def('__getitem__', (d, a) => groupValue(d.m, groupNo(d, a[0]), null));
  def('groups', (d, a, kw) => new PyTuple(Array.from({ length: d.c.tr.groups }, (_, i) => groupValue(d.m, i + 1, a[0] ?? kw.get('default') ?? null))));
  def('groupdict', (d, a, kw) => {
    const out = new PyDict();
    for (const [n, i] of d.c.tr.groupIndex) out.map.set(hashKey(n), { k: n, v: groupValue(d.m, i, a[0] ?? kw.get('default') ?? null) });
    return out;
  });
  def('start', (d, a) => span(d, a[0] ?? 0)[0]);
  def('end', (d, a) => span(d, a[0] ?? 0)[1]);
  def('span', (d, a) => new PyTuple(span(d, a[0] ?? 0)));
  def('expand', (d, a, _k, ctx) => {
    if (typeof a[0] !== 'string') throw new PyException('TypeError', `expected str instance, ${typeName(a[0])} found`);
    return expand(parseTemplate(R, d.c, a[0], ctx), d.m);
  });
  def('__bool__', () => true);
  def('__repr__', (d) => `<re.Match object; span=(${d.m.index}, ${d.m.index + d.m[0].length}), match=${pyRepr(d.m[0])}>`);
}
