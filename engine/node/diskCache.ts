// The CLI's persistent cache of parsed files (like Python's .pyc) under $XDG_CACHE_HOME/layerlens (or
// ~/.cache/layerlens). Its entries are untrusted input: each is versioned, keyed and authenticated (HMAC
// with a per-user key kept in the cache folder) and checked before use; writes are atomic with exclusive
// creation; the folder is bounded in size. Any failure (unusable folder, bad entry) falls back to parsing.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { lstatSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFolder, ensurePrivateDir, loadSecret, MAX_ENTRY_BYTES, readRegularFile, tryUnlink, writeAtomic } from './cacheDir';
import type { ParsedFile } from '../python/ast';
import type { ParseCache } from '../interp/interp';

/** Bump when the syntax tree's shape changes. */
export const FORMAT = 'ast-2'; // ast-2: Python's numeric literals (Num.imag, Num.big), CPython's syntax errors
const MAGIC = `layerlens-parse-cache ${FORMAT}\n`;
/** Default bound of the folder's total size; the oldest entries go first. */
export const DEFAULT_MAX_BYTES = 64 << 20;

export interface DiskCacheOptions {
  /** The cache folder (default: $XDG_CACHE_HOME/layerlens/FORMAT, else ~/.cache/layerlens/FORMAT). */
  dir?: string;
  maxBytes?: number;
}

/** The default folder, or undefined when the environment names none usable (a relative XDG_CACHE_HOME is ignored, as the spec says). */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string | undefined {
  return cacheFolder(FORMAT, env);
}

export class DiskParseCache implements ParseCache {
  /** Undefined once the folder proved unusable: from then on every call is a no-op. */
  private dir: string | undefined;
  private secret: Buffer | undefined;
  private ready = false;
  private evicted = false;
  private readonly maxBytes: number;

  constructor(opts: DiskCacheOptions | string = {}) {
    const o = typeof opts === 'string' ? { dir: opts } : opts;
    this.dir = o.dir ?? defaultCacheDir();
    this.maxBytes = o.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  get(path: string, text: string): ParsedFile | undefined {
    try {
      if (!this.open()) return undefined;
      const key = entryKey(path, text);
      const file = join(this.dir!, key + '.json');
      const raw = readRegularFile(file);
      if (raw === undefined) return undefined;
      const payload = typeof raw === 'string' ? this.verify(raw, key) : undefined;
      if (payload === undefined) { tryUnlink(file); return undefined; }
      const data = JSON.parse(payload) as unknown;
      if (!isParsedShape(data)) { tryUnlink(file); return undefined; }
      try { const t = new Date(); utimesSync(file, t, t); } catch { /* LRU order is a nicety */ }
      return { body: data.body, problems: data.problems, comments: data.comments, path, source: text } as ParsedFile;
    } catch {
      return undefined;
    }
  }

  set(path: string, text: string, parsed: ParsedFile): void {
    try {
      if (!this.open()) return;
      const key = entryKey(path, text);
      const payload = JSON.stringify({ body: parsed.body, problems: parsed.problems, comments: parsed.comments });
      const entry = `${MAGIC}${key} ${this.mac(key, payload)}\n${payload}`;
      if (Buffer.byteLength(entry) > MAX_ENTRY_BYTES) return;
      writeAtomic(this.dir!, key + '.json', entry);
      if (!this.evicted) { this.evicted = true; evict(this.dir!, this.maxBytes); }
    } catch {
      // a cache that cannot be written only costs time
    }
  }

  /** Checks (once) that the folder is ours and usable, and loads or creates the key. False: no cache. */
  private open(): boolean {
    if (this.ready) return this.dir !== undefined;
    this.ready = true;
    try {
      if (!this.dir || !ensurePrivateDir(this.dir)) throw new Error('unusable');
      this.secret = loadSecret(this.dir);
      if (!this.secret) throw new Error('no key');
      return true;
    } catch {
      this.dir = undefined;
      return false;
    }
  }

  private mac(key: string, payload: string): string {
    return createHmac('sha256', this.secret!).update(FORMAT).update('\0').update(key).update('\0').update(payload).digest('hex');
  }

  /** The payload of a well-formed, authentic entry for `key`; undefined otherwise. */
  private verify(raw: string, key: string): string | undefined {
    if (!raw.startsWith(MAGIC)) return undefined;
    const nl = raw.indexOf('\n', MAGIC.length);
    if (nl < 0) return undefined;
    const [k, mac, ...extra] = raw.slice(MAGIC.length, nl).split(' ');
    if (k !== key || extra.length || !mac || !/^[0-9a-f]{64}$/.test(mac)) return undefined;
    const payload = raw.slice(nl + 1);
    const want = Buffer.from(this.mac(key, payload), 'hex');
    return timingSafeEqual(want, Buffer.from(mac, 'hex')) ? payload : undefined;
  }
}

function entryKey(path: string, text: string): string {
  return createHash('sha256').update(FORMAT).update('\0').update(path).update('\0').update(text).digest('hex');
}

/** The shape the interpreter relies on at the top of a parsed file (nodes inside are authenticated by the HMAC). */
function isParsedShape(d: unknown): d is Pick<ParsedFile, 'body' | 'problems' | 'comments'> {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return false;
  const o = d as Record<string, unknown>;
  const objs = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
  return objs(o.body) && objs(o.problems) && objs(o.comments)
    && (o.body as Array<{ k?: unknown }>).every((s) => typeof s.k === 'string')
    && (o.comments as Array<{ s?: unknown; text?: unknown }>).every((c) => typeof c.s === 'number' && typeof c.text === 'string');
}

/** Deletes the least recently used entries until the folder holds at most `maxBytes`; stale temporaries go too. */
export function evict(dir: string, maxBytes: number): void {
  const entries: Array<{ p: string; size: number; t: number }> = [];
  let total = 0;
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try { st = lstatSync(p); } catch { continue; }
    if (name.endsWith('.tmp') && now - st.mtimeMs > 60_000) { tryUnlink(p); continue; }
    if (!name.endsWith('.json') || !st.isFile()) continue;
    entries.push({ p, size: st.size, t: st.mtimeMs });
    total += st.size;
  }
  if (total <= maxBytes) return;
  entries.sort((a, b) => a.t - b.t);
  for (const e of entries) {
    if (total <= maxBytes) break;
    tryUnlink(e.p);
    total -= e.size;
  }
}
