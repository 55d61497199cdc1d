// The CLI's persistent cache of parsed files (like Python's .pyc): a parsed file is stored as JSON under
// $XDG_CACHE_HOME/layerlens (or ~/.cache/layerlens), keyed by a hash of the format version, path and text.
// Node-only; any failure (read-only home, corrupt entry) silently falls back to parsing.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ParsedFile } from '../python/ast';
import type { ParseCache } from '../interp/interp';

/** Bump when the syntax tree's shape changes. */
const FORMAT = 'ast-2'; // ast-2: Python's numeric literals (Num.imag, Num.big), CPython's syntax errors

export class DiskParseCache implements ParseCache {
  private readonly dir: string;
  constructor(dir?: string) {
    this.dir = dir ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'layerlens', FORMAT);
  }

  private file(path: string, text: string): string {
    return join(this.dir, createHash('sha1').update(FORMAT).update('\0').update(path).update('\0').update(text).digest('hex') + '.json');
  }

  get(path: string, text: string): ParsedFile | undefined {
    try {
      const data = JSON.parse(readFileSync(this.file(path, text), 'utf8')) as Omit<ParsedFile, 'source'>;
      return { ...data, path, source: text };
    } catch {
      return undefined;
    }
  }

  set(path: string, text: string, parsed: ParsedFile): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const target = this.file(path, text);
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...parsed, source: undefined }));
      renameSync(tmp, target);
    } catch {
      // a cache that cannot be written only costs time
    }
  }
}
