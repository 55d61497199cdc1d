// The CLI's cache folders ($XDG_CACHE_HOME/layerlens/<format>, else ~/.cache/layerlens/<format>) treated as
// untrusted: used only when private to this user (created one level at a time, never `mkdir -p`, which
// loops on /proc paths), files read without following links or blocking, written atomically through an
// exclusively created temporary file with a random name. Node-only; imports nothing from the engine.
import { randomBytes } from 'node:crypto';
import {
  closeSync, constants, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** An entry larger than this is never read. */
export const MAX_ENTRY_BYTES = 32 << 20;

/** `…/layerlens/<format>` under XDG_CACHE_HOME (only when absolute, as the spec says) or ~/.cache; undefined when neither is absolute. */
export function cacheFolder(format: string, env: Record<string, string | undefined> = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return isAbsolute(base) ? join(base, 'layerlens', format) : undefined;
}

const uid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** A real folder (no link), owned by us, writable by no one else. */
function isPrivateDir(p: string): boolean {
  const st = lstatSync(p);
  const me = uid();
  return st.isDirectory() && !st.isSymbolicLink() && (me === undefined || st.uid === me) && (st.mode & 0o022) === 0;
}

/**
 * Creates `dir` (…/layerlens/FORMAT) one level at a time: never `mkdir -p`, which loops on /proc paths.
 * The base folder must already be a folder; the two levels we own must be private.
 */
export function ensurePrivateDir(dir: string): boolean {
  const own = [join(dir, '..'), dir];
  const base = join(dir, '..', '..');
  try {
    if (!statSync(base).isDirectory()) return false;
  } catch {
    try { mkdirSync(base, { mode: 0o700 }); } catch { return false; } // ~/.cache on a fresh home; its parent must exist
  }
  for (const d of own) {
    try { mkdirSync(d, { mode: 0o700 }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false; }
    if (!isPrivateDir(d)) return false;
  }
  // a folder we cannot write is no cache
  const probe = join(dir, `.probe-${randomBytes(8).toString('hex')}`);
  closeSync(openSync(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600));
  unlinkSync(probe);
  return true;
}

/** The per-user key: 32 random bytes in `dir/key`, created exclusively; a key file that is not ours is refused. */
export function loadSecret(dir: string): Buffer | undefined {
  const file = join(dir, 'key');
  const existing = readRegularFile(file, 'buffer');
  if (existing instanceof Buffer) return existing.length === 32 ? existing : undefined;
  const secret = randomBytes(32);
  try {
    writeAtomic(dir, 'key', secret, true);
  } catch {
    return undefined;
  }
  const back = readRegularFile(file, 'buffer');
  return back instanceof Buffer && back.length === 32 ? back : undefined;
}

/**
 * The contents of a regular file we own, or undefined. Opened without following links and without
 * blocking (a FIFO planted under the entry's name must not hang us), size-checked before reading.
 */
export function readRegularFile(file: string, as?: 'buffer'): string | Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    const me = uid();
    if (!st.isFile() || st.size > MAX_ENTRY_BYTES || (me !== undefined && st.uid !== me) || (st.mode & 0o022) !== 0) return undefined;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n <= 0) break;
      off += n;
    }
    const b = buf.subarray(0, off);
    return as === 'buffer' ? b : b.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `name` in `dir` atomically: a temporary file with an unpredictable name, created exclusively
 * (O_EXCL, no link followed), then renamed over the target. `noReplace`: keep an existing target.
 */
export function writeAtomic(dir: string, name: string, data: string | Buffer, noReplace = false): void {
  const tmp = join(dir, `.${name}.${randomBytes(12).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    closeSync(fd);
    tryUnlink(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    // link() fails when the target exists: the first writer of a key wins, as O_EXCL would
    if (noReplace) linkSync(tmp, join(dir, name)); else renameSync(tmp, join(dir, name));
  } catch (e) {
    if (!noReplace || (e as NodeJS.ErrnoException).code !== 'EEXIST') { tryUnlink(tmp); throw e; }
  } finally {
    if (noReplace) tryUnlink(tmp);
  }
}

export function tryUnlink(p: string): void {
  try { unlinkSync(p); } catch { /* gone already */ }
}
