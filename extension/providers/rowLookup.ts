// Finds the report rows a position in a document refers to: a layer's construction (`nn.Conv2d(...)`,
// an item of `nn.Sequential(...)`) or its call in `forward`. Shared by the hover and the code actions.
// Reads analyses only; never starts an analysis of another file.
import * as vscode from 'vscode';
import type { Row } from '../../engine';
import type { Analysis, AnalysisService } from '../analysis/service';
import { enginePath } from '../analysis/workspaceHost';

export interface RowHit {
  analysis: Analysis;
  rows: Row[];
  range: vscode.Range;
  via: 'def' | 'call';
}

interface Placed {
  row: Row;
  range: vscode.Range;
  via: 'def' | 'call';
}

/** Rows at `pos`: from this document's own model, else from models in other files that import it. */
export async function rowsAt(service: AnalysisService, doc: vscode.TextDocument, pos: vscode.Position): Promise<RowHit | undefined> {
  const own = await service.active(doc);
  const analyses = own ? [own] : [];
  for (const a of analyses.concat(service.importers(enginePath(doc.uri)))) {
    const hit = hitIn(service, a, doc, pos);
    if (hit) return hit;
  }
  return undefined;
}

function hitIn(service: AnalysisService, a: Analysis, doc: vscode.TextDocument, pos: vscode.Position): RowHit | undefined {
  const onLine = placedOn(service, a, doc).get(pos.line);
  if (!onLine) return undefined;
  // Innermost range containing the position (nested calls: `self.pool(self.relu(self.conv1(x)))`).
  let best = onLine.filter((p) => p.range.contains(pos)).sort((x, y) => span(x.range) - span(y.range))[0];
  if (!best) {
    // `self.conv1 = nn.Conv2d(...)`: the left-hand side is on the line, outside the call's range.
    best = onLine.filter((p) => p.range.start.line === pos.line).sort((x, y) => distance(x.range, pos) - distance(y.range, pos))[0];
  }
  if (!best) return undefined;
  const rows = onLine.filter((p) => p.range.isEqual(best.range)).map((p) => p.row);
  return { analysis: a, rows: [...new Set(rows)], range: best.range, via: best.via };
}

/** Every row's construction and call ranges in `doc`, by each line they cover: built once per version. */
const placedCache = new WeakMap<Analysis, { uri: string; version: number; byLine: Map<number, Placed[]> }>();

function placedOn(service: AnalysisService, a: Analysis, doc: vscode.TextDocument): Map<number, Placed[]> {
  const cached = placedCache.get(a);
  if (cached && cached.uri === doc.uri.toString() && cached.version === doc.version) return cached.byLine;
  const byLine = new Map<number, Placed[]>();
  const add = (p: Placed) => {
    for (let l = p.range.start.line; l <= p.range.end.line; l++) {
      const list = byLine.get(l);
      if (list) list.push(p);
      else byLine.set(l, [p]);
    }
  };
  for (const row of a.report?.rows ?? []) {
    const def = service.mapLoc(a, row.defLoc, doc);
    if (def) add({ row, range: def, via: 'def' });
    const call = service.mapLoc(a, row.callLoc, doc);
    if (call) add({ row, range: call, via: 'call' });
  }
  placedCache.set(a, { uri: doc.uri.toString(), version: doc.version, byLine });
  return byLine;
}

function span(r: vscode.Range): number {
  return (r.end.line - r.start.line) * 100000 + (r.end.character - r.start.character);
}

function distance(r: vscode.Range, pos: vscode.Position): number {
  return pos.isBefore(r.start) ? r.start.character - pos.character : pos.character - r.end.character;
}
