// dist/cli.js: loads the CLI bundle (dist/cliMain.js) through a V8 code cache, so a new process deserialises
// compiled code instead of parsing and compiling a megabyte of JavaScript (Node 20 has no
// module.enableCompileCache). Node-only and tiny on purpose: nothing here may import the engine.
// The cache lives beside the parse cache ($XDG_CACHE_HOME/layerlens or ~/.cache/layerlens, `code-1/`), one
// file per bundle content, Node version and architecture; V8 rejects data from another V8 or other flags.
// Untrusted like the parse cache (cacheDir.ts): a private folder only, each file authenticated with the
// folder's per-user key before V8 sees it, written atomically; an unusable folder means no cache.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { cacheFolder, ensurePrivateDir, loadSecret, readRegularFile, writeAtomic } from './cacheDir';

const FORMAT = 'code-1';
const bundle = join(__dirname, 'cliMain.js');
const source = readFileSync(bundle, 'utf8');
const folder = process.env.LAYERLENS_NO_CACHE ? undefined : cacheFolder(FORMAT);
let secret: Buffer | undefined;
try { secret = folder && ensurePrivateDir(folder) ? loadSecret(folder) : undefined; } catch { secret = undefined; }
const noCache = !secret;
const dir = folder ?? '';
// NOTE: keyed by content, not by size or mtime: V8 checks only the source's length, and code compiled
// for other source of the same length would run.
const file = join(dir, `${createHash('sha1').update(source).update('\0').update(`${process.version} ${process.arch}`).digest('hex')}.bin`);

const mac = (data: Buffer): Buffer => createHmac('sha256', secret!).update(FORMAT).update('\0').update(file).update('\0').update(data).digest();
/** The V8 data of an entry whose key-made MAC (its first 32 bytes) matches; undefined otherwise. */
function authentic(raw: Buffer | string | undefined): Buffer | undefined {
  if (!(raw instanceof Buffer) || raw.length <= 32) return undefined;
  const data = raw.subarray(32);
  return timingSafeEqual(raw.subarray(0, 32), mac(data)) ? data : undefined;
}

let cachedData: Buffer | undefined;
if (!noCache) { try { cachedData = authentic(readRegularFile(file, 'buffer')); } catch { cachedData = undefined; } }

// The CommonJS wrapper Node itself uses, so the bundle sees the same require, module and __dirname.
const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
const script = new Script(wrapper, { filename: bundle, cachedData });
const mod = { exports: {} as unknown, filename: bundle, id: bundle, loaded: false };
const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;

if (!noCache && (!cachedData || script.cachedDataRejected)) {
  // After the command: the cache then also holds the functions this run compiled lazily.
  process.once('exit', () => {
    try {
      const data = script.createCachedData();
      writeAtomic(dir, file.slice(dir.length + 1), Buffer.concat([mac(data), data]));
      // one entry per bundle: the caches of earlier builds or Node versions go
      for (const f of readdirSync(dir)) if (f.endsWith('.bin') && join(dir, f) !== file) rmSync(join(dir, f), { force: true });
    } catch {
      // a cache that cannot be written only costs time
    }
  });
}

fn.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
