// The graph view's model: the engine's data-flow graph with collapsed blocks folded into one node each
// (edges re-routed, duplicates merged), clusters for the open blocks, and the layout from dagre. Pure data
// (text widths come from the caller); the numbers on nodes are the engine's rows, summed for a block.
import { Graph, layout } from '@dagrejs/dagre';
import type { Dataflow, DataflowNode, ModuleNode, Row, Shape } from '../../../engine';

/** What the layout reads of a report: the rows' counts (for folded blocks) and the module types. */
export interface LayoutReport { rows: Array<Pick<Row, 'macs' | 'outputBytes'>>; modules: ModuleNode[] }

export interface GraphNode {
  id: string;
  kind: DataflowNode['kind'] | 'block';
  label: string;
  sub: string;
  /** The report row a click selects (a block: its first row). */
  rowIndex?: number;
  /** Report rows inside (module nodes: their own; blocks: all theirs). */
  rows: number[];
  loc?: DataflowNode['loc'];
  macs: number | null;
  bytes: number | null;
  /** The block a collapsed node stands for. */
  block?: string;
  x: number; y: number; width: number; height: number;
}

export interface GraphCluster { id: string; block: string; label: string; x: number; y: number; width: number; height: number; labelX?: number; labelY?: number }
export interface GraphEdge { from: string; to: string; label: string; points: Array<{ x: number; y: number }>; lx: number; ly: number }

export interface GraphLayout { nodes: GraphNode[]; clusters: GraphCluster[]; edges: GraphEdge[]; width: number; height: number }

export const shapeLabel = (s: Shape): string => s.map((d) => (d === null ? '?' : String(d))).join('×');

/** The block paths above a node, outermost first ('layer1', 'layer1.0'). */
function blocksOf(module: string): string[] {
  if (!module) return [];
  const parts = module.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** Every block that has nodes under it (what the collapse controls list). */
export function blocksIn(g: Dataflow): string[] {
  const s = new Set<string>();
  for (const n of g.nodes) for (const b of blocksOf(n.module)) s.add(b);
  return [...s].sort();
}

/** Blocks at a depth (1 = the model's direct children): "collapse to depth d". */
export function blocksAtDepth(g: Dataflow, depth: number): string[] {
  return blocksIn(g).filter((b) => b.split('.').length === depth);
}

export interface Folded { nodes: Map<string, Omit<GraphNode, 'x' | 'y' | 'width' | 'height'>>; parent: Map<string, string>; edges: Map<string, { from: string; to: string; label: string }> }

/**
 * The graph with collapsed blocks folded: one node per block (its rows' counts summed), edges re-routed and
 * merged. Cheap (no layout): the view folds the report on screen for its numbers and labels, so a layout made
 * for the same structure with other shapes (another batch size) is reused as it is.
 */
export function foldGraph(g: Dataflow, report: LayoutReport, collapsed: Set<string>): Folded {
  const types = new Map<string, ModuleNode>(report.modules.map((m) => [m.name, m]));
  const nodes: Folded['nodes'] = new Map();
  const parent = new Map<string, string>();
  const rep = new Map<string, string>();
  for (const n of g.nodes) {
    const chain = blocksOf(n.module);
    const closed = chain.find((b) => collapsed.has(b));
    if (closed) {
      const id = `blk:${closed}`;
      rep.set(n.id, id);
      let b = nodes.get(id);
      if (!b) {
        b = { id, kind: 'block', label: closed.split('.').pop()!, sub: types.get(closed)?.type ?? 'block', rows: [], macs: 0, bytes: 0, block: closed, loc: types.get(closed)?.defLoc };
        nodes.set(id, b);
        const open = chain.slice(0, chain.indexOf(closed));
        if (open.length) parent.set(id, `cl:${open[open.length - 1]}`);
      }
      if (n.rowIndex !== undefined) {
        const r = report.rows[n.rowIndex];
        b.rows.push(n.rowIndex);
        b.macs = b.macs === null || r.macs === null ? null : b.macs + r.macs;
        b.bytes = b.bytes === null || r.outputBytes === null ? null : b.bytes + r.outputBytes;
      }
      b.rowIndex = b.rows.length ? Math.min(...b.rows) : undefined;
      continue;
    }
    rep.set(n.id, n.id);
    const row = n.rowIndex !== undefined ? report.rows[n.rowIndex] : undefined;
    nodes.set(n.id, {
      id: n.id, kind: n.kind, label: n.label, sub: n.kind === 'module' ? n.type : n.kind === 'op' ? 'op' : n.shape ? shapeLabel(n.shape) : '',
      rowIndex: n.rowIndex, rows: n.rowIndex !== undefined ? [n.rowIndex] : [], loc: n.loc,
      macs: row ? row.macs : null, bytes: n.outputBytes ?? null,
    });
    if (chain.length) parent.set(n.id, `cl:${chain[chain.length - 1]}`);
  }
  const edges: Folded['edges'] = new Map();
  for (const e of g.edges) {
    const from = rep.get(e.from), to = rep.get(e.to);
    if (!from || !to || from === to) continue;
    const key = `${from}>${to}`;
    const label = shapeLabel(e.shape);
    const old = edges.get(key);
    if (!old) edges.set(key, { from, to, label });
    else if (!old.label.split(', ').includes(label)) old.label += `, ${label}`;
  }
  return { nodes, parent, edges };
}

const clusterLabel = (block: string, types: Map<string, string>): string => `${block} · ${types.get(block) ?? 'block'}`;

/**
 * Dagre keeps no room for a cluster's title: an invisible node per cluster, above the nodes its inputs enter
 * at, takes the title's place (so the title never sits on a node or a nested cluster's title).
 */
function labelRanks(dg: InstanceType<typeof Graph>, f: Folded, clusters: Set<string>, textWidth: (s: string) => number): void {
  // a node's clusters, innermost first (every block above an open block is open)
  const chain = (id: string): string[] => {
    const out: string[] = [];
    for (let c = f.parent.get(id); c; c = c.includes('.') ? c.slice(0, c.lastIndexOf('.')) : undefined) out.push(c);
    return out;
  };
  for (const c of clusters) {
    // narrow: the title runs to the right over the cluster's empty top row instead of widening the layout
    dg.setNode(`lbl:${c.slice(3)}`, { width: 10, height: 12 });
    dg.setParent(`lbl:${c.slice(3)}`, c);
  }
  for (const c of clusters) {
    const inside = (id: string) => chain(id).includes(c);
    const entries = new Set<string>();
    for (const e of f.edges.values()) if (inside(e.to) && !inside(e.from)) entries.add(e.to);
    if (!entries.size) for (const id of f.nodes.keys()) if (inside(id)) { entries.add(id); break; }
    // above the entry node, or above the title of the nested block the entry is in (titles stack)
    const targets = new Set([...entries].map((e) => { const ch = [e, ...chain(e)]; const i = ch.indexOf(c); return i > 1 ? `lbl:${ch[i - 1].slice(3)}` : e; }));
    for (const to of targets) dg.setEdge(`lbl:${c.slice(3)}`, to, { minlen: 1, weight: 1, width: 0, height: 0 });
  }
}

/** Lays the graph out top to bottom with dagre (clusters for the open blocks that hold nodes). */
export function layoutGraph(g: Dataflow, report: LayoutReport, collapsed: Set<string>, textWidth: (s: string) => number): GraphLayout {
  const f = foldGraph(g, report, collapsed);
  const dg = new Graph({ compound: true, multigraph: false });
  dg.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 28, edgesep: 8, marginx: 12, marginy: 12 });
  dg.setDefaultEdgeLabel(() => ({}));
  for (const n of f.nodes.values()) {
    const w = Math.max(textWidth(n.label), textWidth(n.sub) * 0.9) + 28;
    dg.setNode(n.id, { width: Math.max(72, Math.ceil(w)), height: n.kind === 'op' || n.kind === 'input' || n.kind === 'output' ? 34 : 40 });
  }
  const clusters = new Set<string>();
  for (const [child, cl] of f.parent) {
    // a cluster and its enclosing clusters, each once
    let c: string | undefined = cl, below = child;
    while (c) {
      const known = clusters.has(c);
      if (!known) { clusters.add(c); dg.setNode(c, {}); }
      dg.setParent(below, c);
      if (known) break;
      // every block above an open block is open (else the node would have folded into it)
      const block: string = c.slice(3);
      below = c;
      c = block.includes('.') ? `cl:${block.slice(0, block.lastIndexOf('.'))}` : undefined;
    }
  }
  for (const e of f.edges.values()) dg.setEdge(e.from, e.to, { label: e.label, width: textWidth(e.label) * 0.85 + 6, height: 14, labelpos: 'c' });
  labelRanks(dg, f, clusters, textWidth);
  layout(dg);
  const types = new Map(report.modules.map((m) => [m.name, m.type]));
  const nodes = [...f.nodes.values()].map((n) => { const p = dg.node(n.id); return { ...n, x: p.x, y: p.y, width: p.width, height: p.height }; });
  const cl: GraphCluster[] = [...clusters].map((id) => { const p = dg.node(id); const block = id.slice(3); return { id, block, label: clusterLabel(block, types), x: p.x, y: p.y, width: p.width, height: p.height }; });
  const labels = new Map(cl.map((c) => { const p = dg.node(`lbl:${c.block}`); return [c.id, p] as const; }));
  for (const c of cl) { const p = labels.get(c.id); if (p) { c.labelX = c.x - c.width / 2 + 6; c.labelY = p.y + 4; } }
  const edges = [...f.edges.values()].map((e) => { const p = dg.edge(e.from, e.to); return { ...e, points: p.points ?? [], lx: p.x ?? 0, ly: p.y ?? 0 }; });
  const size = dg.graph();
  return { nodes, clusters: cl.sort((a, b) => a.block.split('.').length - b.block.split('.').length), edges, width: size.width ?? 0, height: size.height ?? 0 };
}
