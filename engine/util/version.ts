// Version strings as Python's packaging compares them (PEP 440: release, pre, post, dev, local) and as
// distutils' LooseVersion splits them. Pure functions over strings; no knowledge of any library's
// releases (engine/torch/version.ts holds PyTorch's).

/** The parts of a PEP 440 version that decide its order. */
export interface PepVersion {
  epoch: number;
  release: number[];
  pre?: [string, number];
  post?: number;
  dev?: number;
  local?: string;
}

// packaging.version.VERSION_PATTERN, case-insensitive, anchored
const PEP440 = new RegExp(
  '^\\s*v?(?:(?<epoch>\\d+)!)?(?<release>\\d+(?:\\.\\d+)*)'
  + '(?:[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>\\d+)?)?'
  + '(?:-(?<postN1>\\d+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>\\d+)?)?'
  + '(?:[-_.]?(?<devL>dev)[-_.]?(?<devN>\\d+)?)?'
  + '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$', 'i');

/** Parses a version as `packaging.version.Version` does; undefined for an invalid one (InvalidVersion). */
export function parsePep440(s: string): PepVersion | undefined {
  const g = PEP440.exec(s)?.groups;
  if (!g) return undefined;
  const v: PepVersion = { epoch: g.epoch ? Number(g.epoch) : 0, release: g.release.split('.').map(Number) };
  if (g.preL) {
    const l = g.preL.toLowerCase();
    v.pre = [l === 'alpha' || l === 'a' ? 'a' : l === 'beta' || l === 'b' ? 'b' : 'rc', g.preN ? Number(g.preN) : 0];
  }
  if (g.postN1 !== undefined || g.postL !== undefined) v.post = Number(g.postN1 ?? g.postN2 ?? 0);
  if (g.devL !== undefined) v.dev = g.devN ? Number(g.devN) : 0;
  if (g.local) v.local = g.local.toLowerCase().replace(/[-_]/g, '.');
  return v;
}

/** The normal form `str(Version(s))` prints. */
export function pepString(v: PepVersion): string {
  let s = (v.epoch ? `${v.epoch}!` : '') + v.release.join('.');
  if (v.pre) s += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local}`;
  return s;
}

const PRE_RANK: Record<string, number> = { a: 0, b: 1, rc: 2 };

function cmpNums(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0, y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** packaging's ordering: a dev release sorts before its pre-releases, which sort before the release. */
export function comparePep440(a: PepVersion, b: PepVersion): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const r = cmpNums(a.release, b.release);
  if (r) return r;
  const preKey = (v: PepVersion): number[] => (v.pre ? [PRE_RANK[v.pre[0]], v.pre[1]] : v.post === undefined && v.dev !== undefined ? [-1, 0] : [Infinity, 0]);
  const p = cmpNums(preKey(a), preKey(b));
  if (p) return p;
  const postKey = (v: PepVersion): number => (v.post === undefined ? -1 : v.post);
  if (postKey(a) !== postKey(b)) return postKey(a) < postKey(b) ? -1 : 1;
  const devKey = (v: PepVersion): number => (v.dev === undefined ? Infinity : v.dev);
  if (devKey(a) !== devKey(b)) return devKey(a) < devKey(b) ? -1 : 1;
  const la = a.local ?? '', lb = b.local ?? '';
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** distutils.version.LooseVersion's components: runs of digits (as numbers) and of letters. */
export function looseParts(s: string): Array<number | string> {
  return (s.match(/\d+|[a-z]+/gi) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** LooseVersion ordering; a number against a string is Python's TypeError, given as undefined. */
export function compareLoose(a: Array<number | string>, b: Array<number | string>): number | undefined {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (typeof x !== typeof y) return undefined;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
