// dist/cli.js: loads the CLI bundle (dist/cliMain.js) through a V8 code cache, so a new process deserialises
// compiled code instead of parsing and compiling a megabyte of JavaScript (Node 20 has no
// module.enableCompileCache). Node-only and small on purpose: nothing here may import the engine.
// Compiled code is code: the cache gets the parse cache's protections (diskCache.ts) — a private folder
// ($XDG_CACHE_HOME/layerlens/code-1 or ~/.cache/layerlens/code-1), entries we own, read without following
// links, written atomically, authenticated with a per-user key — and V8 also rejects data from another V8.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import { ensurePrivateDir, loadSecret, readRegularFile, writeAtomic } from './diskCache';

const FORMAT = 'code-1';
const MAGIC = Buffer.from(`layerlens-code-cache ${FORMAT}\n`);
const bundle = join(__dirname, 'cliMain.js');
const source = readFileSync(bundle, 'utf8');

/** The cache folder and its key, or undefined: no cache (switched off, or no private folder to be had). */
function store(): { dir: string; secret: Buffer } | undefined {
  if (process.env.LAYERLENS_NO_CACHE) return undefined;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  if (!isAbsolute(base)) return undefined;
  const dir = join(base, 'layerlens', FORMAT);
  try {
    if (!ensurePrivateDir(dir)) return undefined;
    const secret = loadSecret(dir);
    return secret ? { dir, secret } : undefined;
  } catch {
    return undefined;
  }
}

// NOTE: keyed by content, not by size or mtime: V8 checks only the source's length, and code compiled
// for other source of the same length would run.
const key = createHash('sha256').update(source).update('\0').update(`${process.version} ${process.arch}`).digest('hex');
const mac = (secret: Buffer, data: Buffer): Buffer => createHmac('sha256', secret).update(FORMAT).update('\0').update(key).update('\0').update(data).digest();

/** The authentic cached data for this bundle, or undefined. */
function read(s: { dir: string; secret: Buffer }): Buffer | undefined {
  const raw = readRegularFile(join(s.dir, `${key}.bin`), 'buffer');
  if (!(raw instanceof Buffer) || raw.length < MAGIC.length + 32 || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const tag = raw.subarray(MAGIC.length, MAGIC.length + 32), data = raw.subarray(MAGIC.length + 32);
  return timingSafeEqual(tag, mac(s.secret, data)) ? data : undefined;
}

const cache = store();
const cachedData = cache && read(cache);

// The CommonJS wrapper Node itself uses, so the bundle sees the same require, module and __dirname.
const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new Script(wrapper, { filename: bundle, cachedData });
const mod = { exports: {} as unknown, filename: bundle, id: bundle, loaded: false };
const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;

if (cache && (!cachedData || script.cachedDataRejected)) {
  // After the command: the cache then also holds the functions this run compiled lazily.
  process.once('exit', () => {
    try {
      const data = script.createCachedData();
      writeAtomic(cache.dir, `${key}.bin`, Buffer.concat([MAGIC, mac(cache.secret, data), data]));
      // one entry per bundle: the caches of earlier builds or Node versions go
      for (const f of readdirSync(cache.dir)) if (f.endsWith('.bin') && f !== `${key}.bin`) { try { unlinkSync(join(cache.dir, f)); } catch { /* gone */ } }
    } catch {
      // a cache that cannot be written only costs time
    }
  });
}

fn.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
