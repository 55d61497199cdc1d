// The Graph view: the traced forward as a data-flow graph (modules and functional ops as nodes, edges
// labelled with shapes), nodes marked by their share of the MACs or of activation memory, blocks that fold
// and unfold, click (or Enter) to select the row and reveal the source line. Layout by dagre (graphModel).
import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { interpolateYlOrRd } from 'd3-scale-chromatic';
import { fmtBytes, fmtInt, fmtSI } from '../../../engine/analysis/format';
import { viewInputsChanged } from '../changed';
import type { ViewContext, ViewDef } from '../view';
import { blocksAtDepth, blocksIn, foldGraph, type Folded, type GraphNode } from './graphModel';
import { l10n } from '../../app/l10n';

export class GraphView extends LitElement {
  static override properties = { ctx: { attribute: false } };
  declare ctx: ViewContext;

  protected override createRenderRoot(): HTMLElement { return this; }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    return !changed.has('ctx') || changed.size > 1 || viewInputsChanged(changed.get('ctx') as ViewContext | undefined, this.ctx, [(s) => s.ui.graph, (s) => s.graphLayout]);
  }

  override render() {
    const { report, state } = this.ctx;
    if (!report) return html`<p class="ll-empty">${state.job ? l10n.t('Analysing…') : l10n.t('No analysis yet.')}</p>`;
    if (!report.dataflow) return html`<p class="ll-empty">${l10n.t('No graph: the forward pass could not be traced (see the problems above).')}</p>`;
    // the layout comes from the layout worker (dagre off the main thread); the last one stays while a new one is made
    const gl = state.graphLayout;
    if (gl?.error && !gl.pending) return html`<p class="ll-empty">${l10n.t('The graph could not be laid out: {0}', gl.error)}</p>`;
    if (!gl?.layout) return html`<p class="ll-empty">${l10n.t('Laying out the graph…')}</p>`;
    const ui = state.ui.graph;
    // geometry from the layout, numbers and shapes from the report on screen
    const now = this.folded(report, ui.collapsed);
    const lay = { ...gl.layout, nodes: gl.layout.nodes.map((n) => ({ ...n, ...now.nodes.get(n.id), x: n.x, y: n.y, width: n.width, height: n.height })), edges: gl.layout.edges.map((e) => ({ ...e, label: now.edges.get(`${e.from}>${e.to}`)?.label ?? e.label })) };
    const measure = (n: GraphNode) => (ui.colorBy === 'macs' ? n.macs : n.bytes);
    const total = ui.colorBy === 'macs' ? report.totals.macs : report.totals.activationBytes;
    const shares = lay.nodes.map((n) => { const v = measure(n); return v === null || !total ? null : v / total; });
    const top = Math.max(1e-9, ...shares.map((s) => s ?? 0));
    const blocks = this.blocks(report.dataflow);
    const z = ui.zoom;
    return html`
      <div class="ll-toolbar" role="toolbar" aria-label="Graph">
        <vscode-label for="ll-color">${l10n.t('Colour by')}</vscode-label>
        <vscode-single-select id="ll-color" .value=${ui.colorBy} @change=${(e: Event) => this.ctx.setUi('graph', { colorBy: (e.target as HTMLSelectElement).value as 'macs' | 'memory' })}>
          <vscode-option value="macs">${l10n.t('Share of MACs')}</vscode-option>
          <vscode-option value="memory">${l10n.t('Share of activation memory')}</vscode-option>
        </vscode-single-select>
        <span class="ll-legend" aria-hidden="true">0 %
          <svg width="80" height="10"><defs><linearGradient id="ll-ramp">${[0, 0.25, 0.5, 0.75, 1].map((t) => svg`<stop offset=${t} stop-color=${shareColor(t)}></stop>`)}</linearGradient></defs><rect width="80" height="10" fill="url(#ll-ramp)"></rect></svg>
          ${(100 * top).toFixed(1)} %</span>
        <span class="ll-spacer"></span>
        <vscode-button secondary icon="collapse-all" ?disabled=${!blocks.length} @click=${() => this.ctx.setUi('graph', { collapsed: blocksAtDepth(report.dataflow!, 1) })} title=${l10n.t('Fold every block of the model')}>${l10n.t('Fold blocks')}</vscode-button>
        <vscode-button secondary icon="expand-all" ?disabled=${!ui.collapsed.length} @click=${() => this.ctx.setUi('graph', { collapsed: [] })} title=${l10n.t('Unfold every block')}>${l10n.t('Unfold all')}</vscode-button>
        <vscode-toolbar-button icon="zoom-out" label=${l10n.t('Zoom out')} @click=${() => this.ctx.setUi('graph', { zoom: Math.max(0.25, z / 1.25) })}></vscode-toolbar-button>
        <vscode-toolbar-button icon="zoom-in" label=${l10n.t('Zoom in')} @click=${() => this.ctx.setUi('graph', { zoom: Math.min(3, z * 1.25) })}></vscode-toolbar-button>
        <vscode-toolbar-button icon="screen-normal" label=${l10n.t('Actual size')} @click=${() => this.ctx.setUi('graph', { zoom: 1 })}></vscode-toolbar-button>
      </div>
      ${report.dataflow.truncated ? html`<p class="ll-note">${l10n.t('The graph was cut at {0} nodes; the Summary lists every row.', report.dataflow.nodes.length)}</p>` : nothing}
      <div class="ll-graph-scroll" tabindex="-1">
        <svg class="ll-graph" width=${lay.width * z} height=${lay.height * z} viewBox="0 0 ${lay.width} ${lay.height}" role="group" aria-label="Data-flow graph of ${report.model}">
          <defs><marker id="ll-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="ll-arrowhead"></path></marker></defs>
          ${lay.clusters.map((c) => svg`<g class="ll-cluster">
            <rect x=${c.x - c.width / 2} y=${c.y - c.height / 2} width=${c.width} height=${c.height} rx="4"></rect>
            <g class="ll-cluster-head" role="button" tabindex="0" aria-label="Fold ${c.label}" @click=${() => this.fold(c.block)} @keydown=${(e: KeyboardEvent) => this.key(e, () => this.fold(c.block))}>
              <text x=${c.labelX ?? c.x - c.width / 2 + 6} y=${c.labelY ?? c.y - c.height / 2 + 12}>▾ ${c.label}</text></g></g>`)}
          ${lay.edges.map((e) => svg`<g class="ll-edge"><path d=${pathOf(e.points)} marker-end="url(#ll-arrow)"></path><text x=${e.lx} y=${e.ly + 4} text-anchor="middle">${e.label}</text></g>`)}
          ${lay.nodes.map((n, i) => this.node(n, shares[i], top))}
        </svg>
      </div>`;
  }

  private foldMemo?: { report: object; collapsed: string[]; f: Folded };
  private folded(report: NonNullable<ViewContext['report']>, collapsed: string[]): Folded {
    if (this.foldMemo?.report !== report || this.foldMemo.collapsed !== collapsed) this.foldMemo = { report, collapsed, f: foldGraph(report.dataflow!, report, new Set(collapsed)) };
    return this.foldMemo.f;
  }

  private blocksMemo?: { g: object; blocks: string[] };
  private blocks(g: Parameters<typeof blocksIn>[0]): string[] {
    if (this.blocksMemo?.g !== g) this.blocksMemo = { g, blocks: blocksIn(g) };
    return this.blocksMemo.blocks;
  }

  private node(n: GraphNode, s: number | null, top: number) {
    const sel = this.ctx.state.ui.selectedRow;
    const selected = sel !== null && n.rows.includes(sel);
    const x = n.x - n.width / 2, y = n.y - n.height / 2;
    const title = nodeTitle(n, s);
    const act = () => (n.kind === 'block' ? this.unfold(n.block!) : this.activate(n));
    return svg`<g class="ll-node ll-${n.kind}${selected ? ' selected' : ''}" data-id=${n.id} role="button" tabindex="0" aria-label=${title} @click=${act} @keydown=${(e: KeyboardEvent) => this.key(e, act)}>
      <title>${title}</title>
      <rect class="ll-box" x=${x} y=${y} width=${n.width} height=${n.height} rx=${n.kind === 'op' ? 14 : 3}></rect>
      ${s === null ? nothing : svg`<rect class="ll-share" x=${x} y=${y} width="6" height=${n.height} fill=${shareColor(s / top)}></rect>`}
      <text class="ll-node-label" x=${n.x} y=${n.kind === 'module' || n.kind === 'block' ? n.y - 3 : n.y + 4} text-anchor="middle">${n.kind === 'block' ? `▸ ${n.label}` : n.label}</text>
      ${n.kind === 'module' || n.kind === 'block' ? svg`<text class="ll-node-sub" x=${n.x} y=${n.y + 12} text-anchor="middle">${n.sub}</text>` : nothing}
    </g>`;
  }

  private key(e: KeyboardEvent, fn: () => void): void {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fn(); }
  }

  private activate(n: GraphNode): void {
    if (n.rowIndex !== undefined) this.ctx.select(n.rowIndex);
    else if (n.loc) this.ctx.reveal(n.loc);
  }

  private fold(block: string): void {
    const c = this.ctx.state.ui.graph.collapsed;
    this.ctx.setUi('graph', { collapsed: [...c.filter((b) => !b.startsWith(`${block}.`)), block] });
  }

  private unfold(block: string): void {
    this.ctx.setUi('graph', { collapsed: this.ctx.state.ui.graph.collapsed.filter((b) => b !== block) });
  }

  protected override updated(changed: PropertyValues<this>): void {
    const prev = changed.get('ctx') as ViewContext | undefined;
    const sel = this.ctx.state.ui.selectedRow;
    if (prev && prev.state.ui.selectedRow !== sel && this.ctx.state.ui.view === 'graph') {
      this.querySelector('.ll-node.selected')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
    const gl = this.ctx.state.graphLayout;
    if (this.ctx.report?.dataflow && gl?.layout && !gl.pending) this.ctx.rendered('graph', gl.layout.nodes.length);
  }
}
customElements.define('ll-graph-view', GraphView);

/** The node's share of the largest share, on a sequential colormap (pale never reads as "none"). */
const shareColor = (t: number): string => interpolateYlOrRd(0.15 + 0.85 * Math.max(0, Math.min(1, t)));

function pathOf(points: Array<{ x: number; y: number }>): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

function nodeTitle(n: GraphNode, s: number | null): string {
  const share = s === null ? '' : ` · ${(100 * s).toFixed(1)} %`;
  const macs = n.kind === 'op' ? 'MACs counted in the functional total' : `${fmtInt(n.macs)} MACs (${fmtSI(n.macs)})`;
  const where = n.loc ? ` · line ${n.loc.line + 1}` : '';
  switch (n.kind) {
    case 'block': return `${n.block} (${n.sub}), folded: ${n.rows.length} rows · ${macs} · activations ${fmtBytes(n.bytes)}${share}`;
    case 'module': return `${n.label} (${n.sub}) · ${macs} · output ${fmtBytes(n.bytes)}${share}${where}`;
    case 'op': return `${n.label} · ${macs} · output ${fmtBytes(n.bytes)}${share}${where}`;
    default: return `${n.label} ${n.sub}`;
  }
}

export const graphView: ViewDef = {
  id: 'graph', get title() { return l10n.t('Graph'); }, icon: 'type-hierarchy', needs: 'analysis',
  render: (ctx) => html`<ll-graph-view .ctx=${ctx}></ll-graph-view>`,
};
