// Finds what a position in a document refers to: a layer's construction (`nn.Conv2d(...)`, an item of
// `nn.Sequential(...)`, a helper call that builds layers such as `conv3x3(...)`), its call in `forward`,
// the call of a block with children (`self.features(x)`), a functional op or tensor method
// (`F.relu(...)`, `x.view(...)`), or the model itself (its class name, `model = Net()`).
// The innermost call around the word wins, so a hover is about that word, never its argument.
// Shared by the hover and the inlay hints. Reads analyses only; never starts an analysis of another file.
import * as vscode from 'vscode';
import type { BlockCall, Loc, ModelCandidate, OpCall, Report, Row } from '../../engine';
import type { Analysis, AnalysisService } from '../analysis/service';
import { enginePath } from '../analysis/workspaceHost';

export type HitKind = 'block' | 'row' | 'built' | 'op';

export interface RowHit {
  analysis: Analysis;
  kind: HitKind;
  /** Leaf rows: the layer's calls (kind 'row'), or every leaf layer built through a helper call ('built'). */
  rows: Row[];
  /** Calls of modules with children at this place (kind 'block'; also the blocks built by a helper call). */
  blocks: BlockCall[];
  ops: OpCall[];
  range: vscode.Range;
  via: 'def' | 'call';
}

export interface ModelHit {
  candidate: ModelCandidate;
  range: vscode.Range;
}

interface Placed {
  kind: HitKind;
  range: vscode.Range;
  via: 'def' | 'call';
  row?: Row;
  block?: BlockCall;
  op?: OpCall;
}

/** Rows at `pos`: from this document's own model, else from models in other files that import it. */
export async function rowsAt(service: AnalysisService, doc: vscode.TextDocument, pos: vscode.Position): Promise<RowHit | undefined> {
  const own = await service.active(doc);
  const importers = service.importers(enginePath(doc.uri));
  // A file analysed on its own only with the default input is described by the models that import it.
  const analyses = !own ? importers : own.inputSource === 'setting' && importers.length ? [...importers, own] : [own, ...importers];
  for (const a of analyses) {
    const hit = hitIn(service, a, doc, pos);
    if (hit) return hit;
  }
  return undefined;
}

/** The model a position names: a class the file defines (its name) or an assignment `model = Net()`. */
export function modelAt(service: AnalysisService, doc: vscode.TextDocument, pos: vscode.Position): ModelHit | undefined {
  for (const c of service.knownDiscovery(doc).candidates) {
    if (c.loc.file !== enginePath(doc.uri)) continue;
    const line = service.isPending(doc) ? undefined : c.loc.line;
    if (line === undefined || line !== pos.line) continue;
    const range = new vscode.Range(c.loc.line, c.loc.col, c.loc.endLine, c.loc.endCol);
    // `model = Net()`: the name and the call; `class Net(...)`: the name
    const text = doc.lineAt(line).text;
    const wide = c.kind === 'assignment' ? new vscode.Range(line, c.loc.col, line, Math.max(c.loc.endCol, text.trimEnd().length)) : range;
    if (wide.contains(pos)) return { candidate: c, range: wide };
  }
  return undefined;
}

const PRIORITY: Record<HitKind, number> = { block: 0, row: 1, built: 2, op: 3 };

function hitIn(service: AnalysisService, a: Analysis, doc: vscode.TextDocument, pos: vscode.Position): RowHit | undefined {
  // Placements on the hovered analysed line only (found once per analysis and line), then mapped.
  const old = service.analysedLine(a, doc, pos.line);
  const raw = old === undefined ? undefined : placedOn(a, enginePath(doc.uri), old);
  if (!raw?.length) return undefined;
  const onLine = raw.flatMap((p) => { const range = service.mapLoc(a, p.loc, doc); return range ? [{ ...p, range }] : []; });
  // Innermost range containing the position (nested calls: `self.pool(self.relu(self.conv1(x)))`).
  let best = onLine.filter((p) => p.range.contains(pos)).sort((x, y) => span(x.range) - span(y.range) || PRIORITY[x.kind] - PRIORITY[y.kind])[0];
  if (!best) {
    // `self.conv1 = nn.Conv2d(...)`: the assignment's target, on the left of the construction.
    const text = doc.lineAt(pos.line).text;
    best = onLine
      .filter((p) => p.via === 'def' && p.range.start.line === pos.line && pos.isBefore(p.range.start) && /^[\w.\s[\]]*=\s*$/.test(text.slice(pos.character, p.range.start.character).replace(/^\w*/, '')))
      .sort((x, y) => distance(x.range, pos) - distance(y.range, pos) || PRIORITY[x.kind] - PRIORITY[y.kind])[0];
  }
  if (!best) return undefined;
  const here = onLine.filter((p) => p.range.isEqual(best.range));
  const kind = here.map((p) => p.kind).sort((x, y) => PRIORITY[x] - PRIORITY[y])[0];
  const report = a.report!;
  // A container's children called by torch with the container's own call place are not calls of this place.
  const all = uniq(here.flatMap((p) => (p.block ? [p.block] : [])));
  const blocks = all.filter((b) => !all.some((o) => b.name.startsWith(`${o.name}.`)));
  let rows = uniq(here.filter((p) => p.row && (p.kind === kind || kind === 'built' || (kind === 'block' && p.kind === 'row'))).map((p) => p.row!));
  if (kind === 'block') {
    // Leaf calls at the same place that no block there contains (`self.shortcut(x)` where one instance's
    // shortcut is an empty Sequential) are calls of this place too; the blocks' own children are not.
    rows = rows.filter((r) => !blocks.some((b) => inBlock(report, b, r)));
  }
  return { analysis: a, kind, rows, blocks, ops: uniq(here.flatMap((p) => (p.op ? [p.op] : []))), range: best.range, via: best.via };
}

function inBlock(report: Report, b: BlockCall, r: Row): boolean {
  const i = report.rows.indexOf(r);
  return i >= b.rowStart && i < b.rowEnd;
}

interface RawPlaced extends Omit<Placed, 'range'> {
  loc: Loc;
}

/**
 * What each analysis places on the lines asked about so far (by `file:line`), and its modules by name.
 * NOTE: one pass over the report per line asked about, not an index of every line: the index of a
 * 2,000-line model cost ≈ 5 ms per analysis, all of it on the way to the first hover after an edit.
 */
const placedCache = new WeakMap<Analysis, { mods: Map<string, Report['modules'][number]>; lines: Map<string, RawPlaced[]> }>();

/** Every row's, block's and op's location that covers analysed line `line` of `file`, in report order. */
function placedOn(a: Analysis, file: string, line: number): RawPlaced[] {
  const report = a.report;
  let cache = placedCache.get(a);
  if (!cache) {
    cache = { mods: new Map((report?.modules ?? []).map((m) => [m.name, m])), lines: new Map() };
    placedCache.set(a, cache);
  }
  const key = `${file}:${line}`;
  const known = cache.lines.get(key);
  if (known) return known;
  const out: RawPlaced[] = [];
  // (the test before any object is made: a scan allocates only for what is on the line)
  const on = (loc: Loc | undefined): loc is Loc => loc !== undefined && loc.line <= line && line <= loc.endLine && loc.file === file;
  const { mods } = cache;
  for (const row of report?.rows ?? []) {
    if (on(row.defLoc)) out.push({ kind: 'row', row, via: 'def', loc: row.defLoc });
    if (on(row.callLoc)) out.push({ kind: 'row', row, via: 'call', loc: row.callLoc });
    for (const via of mods.get(row.name)?.builtVia ?? []) if (on(via)) out.push({ kind: 'built', row, via: 'def', loc: via });
  }
  for (const block of report?.blocks ?? []) {
    if (!block.name) continue; // the model itself: its hover is on the class name
    if (on(block.callLoc)) out.push({ kind: 'block', block, via: 'call', loc: block.callLoc });
    const m = mods.get(block.name);
    if (on(m?.defLoc)) out.push({ kind: 'block', block, via: 'def', loc: m.defLoc });
    for (const via of m?.builtVia ?? []) if (on(via)) out.push({ kind: 'built', block, via: 'def', loc: via });
  }
  for (const op of report?.ops ?? []) if (on(op.loc)) out.push({ kind: 'op', op, via: 'call', loc: op.loc });
  cache.lines.set(key, out);
  return out;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function span(r: vscode.Range): number {
  return (r.end.line - r.start.line) * 100000 + (r.end.character - r.start.character);
}

function distance(r: vscode.Range, pos: vscode.Position): number {
  return pos.isBefore(r.start) ? r.start.character - pos.character : pos.character - r.end.character;
}
