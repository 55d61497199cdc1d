// The graph's layout worker: dagre on the data-flow graph (compound layouts of a ResNet take hundreds of
// milliseconds, which the webview's main thread must not spend). Text is measured on an OffscreenCanvas in
// the panel's font. Pure layout: it never sees tensors and runs no engine code.
import { layoutGraph, type GraphLayout } from '../views/graph/graphModel';
import type { LayoutRequest } from './layoutClient';

interface Scope { postMessage(m: unknown): void; onmessage: ((e: { data: LayoutRequest }) => void) | null }
const scope = globalThis as unknown as Scope;

let ctx: OffscreenCanvasRenderingContext2D | null = null;
let font = '';

function width(s: string): number {
  return ctx ? ctx.measureText(s).width : s.length * 7;
}

scope.onmessage = (e) => {
  const r = e.data;
  if (r.font !== font) {
    font = r.font;
    ctx = new OffscreenCanvas(1, 1).getContext('2d');
    if (ctx) ctx.font = font;
  }
  let layout: GraphLayout | undefined, error: string | undefined;
  try { layout = layoutGraph(r.graph, r.report, new Set(r.collapsed), width); } catch (err) { error = err instanceof Error ? err.message : String(err); }
  scope.postMessage({ id: r.id, layout, error });
};
