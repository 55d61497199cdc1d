// Zip archives through fflate, with the checks fflate leaves to its caller: the end record must close
// the file (no truncation, no trailing bytes), every declared size is checked against the file and the
// caller's budget before anything is inflated (deflate cannot exceed ~1032:1, so a bigger claim is a
// bomb), and every extracted entry must have exactly its declared size. fflate errors become WeightsErrors.
import { unzipSync } from 'fflate';
import { fail, quote } from './weightsError';

export interface ZipEntry { name: string; compressedSize: number; size: number; method: number }

/** No torch checkpoint has anywhere near this many entries (one per storage). */
export const MAX_ZIP_ENTRIES = 1_000_000;
/** The most deflate can expand: 258 bytes per 2 bits plus block overhead, rounded up. */
const DEFLATE_MAX_RATIO = 1032;
const EOCD = 0x06054b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** The end-of-central-directory record must end exactly where the file ends (after its comment). */
function checkEnd(bytes: Uint8Array): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let e = bytes.length - 22; e >= 0 && bytes.length - e <= 22 + 0xffff; e--) {
    if (v.getUint32(e, true) !== EOCD) continue;
    if (e + 22 + v.getUint16(e + 20, true) === bytes.length) return;
  }
  fail(`zip: no end-of-archive record at the end of the file (${bytes.length} bytes): the archive is truncated or has bytes appended`);
}

function fromFflate<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.name === 'WeightsError') throw e;
    return fail(`zip: ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The archive's entries as its central directory declares them; inflates nothing. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  checkEnd(bytes);
  const out: ZipEntry[] = [];
  const seen = new Set<string>();
  fromFflate('cannot read the central directory', () => unzipSync(bytes, {
    filter: (f) => {
      if (out.length >= MAX_ZIP_ENTRIES) fail(`zip: more than ${MAX_ZIP_ENTRIES} entries`);
      if (!f.name || f.name.length > 4096) fail(`zip: entry ${out.length} has ${f.name ? 'an over-long' : 'no'} name (a damaged central directory)`);
      if (seen.has(f.name)) fail(`zip: entry '${quote(f.name)}' appears twice`);
      seen.add(f.name);
      out.push({ name: f.name, compressedSize: f.size, size: f.originalSize, method: f.compression });
      return false;
    },
  }));
  return out;
}

/** Checks one entry's declared sizes before anything is inflated. */
function checkDeclared(e: ZipEntry, fileBytes: number): void {
  const q = quote(e.name);
  if (e.method === 0) {
    if (e.compressedSize !== e.size) fail(`zip: stored entry '${q}' declares ${e.size} bytes but occupies ${e.compressedSize}`);
    if (e.size > fileBytes) fail(`zip: entry '${q}' declares ${e.size} bytes, more than the whole file (${fileBytes})`);
  } else if (e.method === 8) {
    if (e.size > DEFLATE_MAX_RATIO * e.compressedSize + 64) {
      fail(`zip: entry '${q}' claims ${e.size} bytes from ${e.compressedSize} compressed ones, more than deflate can produce (a zip bomb)`);
    }
    if (e.compressedSize > fileBytes) fail(`zip: entry '${q}' declares ${e.compressedSize} compressed bytes, more than the whole file (${fileBytes})`);
  } else fail(`zip: entry '${q}' uses compression method ${e.method}; only stored and deflate are read`);
}

/**
 * The bytes of the named entries. `maxBytes` bounds the sum of their declared sizes (checked before
 * inflating); each result must have exactly its declared size (a short or out-of-file entry fails).
 */
export function readZipEntries(bytes: Uint8Array, entries: readonly ZipEntry[], maxBytes: number): Map<string, Uint8Array> {
  let total = 0;
  for (const e of entries) {
    checkDeclared(e, bytes.length);
    total += e.size;
  }
  if (total > maxBytes) fail(`zip: the entries to read declare ${total} bytes, more than the ${maxBytes}-byte budget for this file`);
  const want = new Map(entries.map((e) => [e.name, e]));
  const files = fromFflate('cannot extract', () => unzipSync(bytes, { filter: (f) => want.has(f.name) && f.originalSize === want.get(f.name)!.size }));
  const out = new Map<string, Uint8Array>();
  for (const e of entries) {
    const data = files[e.name];
    if (!data) fail(`zip: entry '${quote(e.name)}' could not be located`);
    if (data.length !== e.size) fail(`zip: entry '${quote(e.name)}' declares ${e.size} bytes but ${data.length} are there (its data lies outside the file or is damaged)`);
    out.set(e.name, data);
  }
  return out;
}
