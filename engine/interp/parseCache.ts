// The parse cache and the one place files are read: each path is read through the SourceHost (or the
// engine's virtual files) once per analysis and parsed once per text, kept across analyses in memory
// (the CLI adds a disk cache below, like .pyc files). Reads nothing outside what the host gives.
import type { ParsedFile } from '../python/ast';
import { parsePython } from '../python/parse';
import { LineIndex } from '../python/lineIndex';
import { now } from '../util/clock';
import type { Interp } from './interp';

/** Where parsed files are kept between analyses (in memory here; the CLI adds a disk cache, like .pyc files). */
export interface ParseCache {
  get(path: string, text: string): ParsedFile | undefined;
  set(path: string, text: string, parsed: ParsedFile): void;
}

export class MemoryParseCache implements ParseCache {
  private readonly map = new Map<string, ParsedFile>();
  constructor(private readonly limit = 256, private readonly next?: ParseCache) {}
  get(path: string, text: string): ParsedFile | undefined {
    const hit = this.map.get(path);
    if (hit && hit.source === text) return hit;
    const lower = this.next?.get(path, text);
    if (lower) this.map.set(path, lower);
    return lower;
  }
  set(path: string, text: string, parsed: ParsedFile): void {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(path, parsed);
    this.next?.set(path, text, parsed);
  }
}

/** A file of this analysis: its syntax tree and the offset → line/column map for diagnostics. */
export interface FileInfo { parsed: ParsedFile; lines: LineIndex }

/** The line index of each parsed text, kept as long as its parse is (an analysis per keystroke reuses it). */
const lineIndexes = new WeakMap<ParsedFile, LineIndex>();

export function parseFile(it: Interp, path: string): FileInfo | undefined {
  const cached = it.files.get(path);
  if (cached) return cached;
  const virtual = it.virtualFiles.get(path);
  const text = virtual ?? it.opts.host.readFile(path);
  if (text === undefined) { it.missingFiles.add(path); return undefined; }
  if (virtual === undefined) it.filesRead.add(path);
  const t0 = now();
  let parsed = it.opts.parseCache?.get(path, text);
  if (!parsed) {
    parsed = parsePython(path, text);
    it.opts.parseCache?.set(path, text, parsed);
  }
  let lines = lineIndexes.get(parsed);
  if (lines?.path !== path) lineIndexes.set(parsed, lines = new LineIndex(path, text));
  it.parseMs += now() - t0;
  const info = { parsed, lines };
  it.files.set(path, info);
  return info;
}
