// The summary table's rows from a report: folded to a depth (a block's rows become one line named after
// the block, its params and MACs summed, unknown MACs kept unknown), filtered, sorted, and the totals said
// honestly ("≥ N (incomplete)" when a count is unknown). Pure data; the numbers are the engine's.
import type { ModuleNode, Report, Row, Shape } from '../../../engine';
import type { RunRow } from '../../../engine';
import type { SortKey } from '../../app/store';

export interface TableRow {
  /** Index of the (first) report row this line stands for: what selecting it selects. */
  index: number;
  /** Report rows folded into this line (1 for a plain row). */
  count: number;
  folded: boolean;
  name: string;
  type: string;
  depth: number;
  /** A folded block's: its last row's output (the convention of `layerlens summary --depth`). */
  output: Shape | null;
  params: number;
  /** Summed MACs; null when every folded row's is unknown; a lower bound when `incomplete`. */
  macs: number | null;
  incomplete: boolean;
  /** Activation bytes: the row's output, or the sum of a block's rows' outputs. */
  outputBytes: number | null;
  /** Output statistics and gradient norm of a plain row after a run (a block has none of its own). */
  mean: number | null;
  std: number | null;
  gradNorm: number | null;
  /** Where selecting the line reveals: the call (plain rows) or the block's constructor. */
  loc: Row['callLoc'];
}

const depthOf = (name: string): number => (name ? name.split('.').length : 0);

/** Deepest module depth among the rows (the depth control's range). */
export function maxDepth(rows: Row[]): number {
  return rows.reduce((d, r) => Math.max(d, depthOf(r.name)), 1);
}

function line(r: Row & Partial<RunRow>, index: number, name: string, folded: boolean, mods: Map<string, ModuleNode>): TableRow {
  return {
    index, count: 1, folded, name, type: folded ? mods.get(name)?.type ?? 'block' : r.type, depth: depthOf(name),
    output: r.output, params: r.params, macs: r.macs, incomplete: false, outputBytes: r.outputBytes,
    mean: folded ? null : r.stats?.mean ?? null, std: folded ? null : r.stats?.std ?? null, gradNorm: folded ? null : r.gradNorm ?? null,
    loc: folded ? mods.get(name)?.defLoc ?? r.callLoc : r.callLoc ?? r.defLoc,
  };
}

/** One line per row, or per block at `depth` (consecutive rows under the same block fold into one). */
export function tableRows(report: Pick<Report, 'rows' | 'modules'>, depth: number | null): TableRow[] {
  const mods = new Map<string, ModuleNode>(report.modules.map((m) => [m.name, m]));
  const out: TableRow[] = [];
  const unknown = new Map<TableRow, number>();
  report.rows.forEach((row, index) => {
    const r = row as Row & Partial<RunRow>;
    const parts = r.name.split('.');
    const folded = depth !== null && parts.length > depth;
    const name = folded ? parts.slice(0, Math.max(depth, 1)).join('.') : r.name;
    const last = out[out.length - 1];
    if (folded && last?.folded && last.name === name) {
      last.count++;
      last.params += r.params;
      if (r.macs === null) unknown.set(last, (unknown.get(last) ?? 0) + 1);
      else last.macs = (last.macs ?? 0) + r.macs;
      last.output = r.output;
      last.outputBytes = last.outputBytes === null || r.outputBytes === null ? null : last.outputBytes + r.outputBytes;
      return;
    }
    const t = line(r, index, name, folded, mods);
    if (r.macs === null) unknown.set(t, 1);
    out.push(t);
  });
  for (const [t, n] of unknown) t.incomplete = t.macs !== null && n > 0;
  return out;
}

export function filterRows(rows: TableRow[], filter: string): TableRow[] {
  const f = filter.trim().toLowerCase();
  if (!f) return rows;
  return rows.filter((r) => r.name.toLowerCase().includes(f) || r.type.toLowerCase().includes(f));
}

const KEY: Record<Exclude<SortKey, 'order'>, (r: TableRow) => number | string | null> = {
  name: (r) => r.name, type: (r) => r.type, params: (r) => r.params, macs: (r) => r.macs, memory: (r) => r.outputBytes,
  mean: (r) => r.mean, std: (r) => r.std, gradNorm: (r) => r.gradNorm,
};

/** Stable sort; unknown values last whichever the direction. */
export function sortRows(rows: TableRow[], key: SortKey, descending: boolean): TableRow[] {
  if (key === 'order') return descending ? [...rows].reverse() : rows;
  const get = KEY[key];
  return rows.map((r, i) => ({ r, i })).sort((a, b) => {
    const x = get(a.r), y = get(b.r);
    if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
    const c = typeof x === 'string' ? x.localeCompare(y as string) : (x as number) - (y as number);
    return (descending ? -c : c) || a.i - b.i;
  }).map((e) => e.r);
}

export interface TotalsView {
  params: number;
  /** The total, or the known part when some row's MACs are unknown. */
  macs: number;
  macsIncomplete: boolean;
  macsUnknownRows: number;
  activationBytes: number | null;
}

export function totalsOf(report: Pick<Report, 'rows' | 'totals'>): TotalsView {
  const t = report.totals;
  const unknown = report.rows.filter((r) => r.macs === null).length;
  const known = report.rows.reduce((s, r) => s + (r.macs ?? 0), 0) + (t.functionalMacs ?? 0);
  const incomplete = t.macs === null;
  return { params: t.params, macs: incomplete ? known : t.macs!, macsIncomplete: incomplete, macsUnknownRows: unknown, activationBytes: t.activationBytes };
}

/** Share of a total in [0, 1] (0 when the total is 0 or the part unknown). */
export function share(part: number | null, total: number): number {
  return part === null || total <= 0 ? 0 : Math.min(1, part / total);
}
