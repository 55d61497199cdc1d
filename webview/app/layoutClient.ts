// The webview's side of the layout worker: one layout in flight, the latest request wins (a fold clicked
// twice lays out once more, not twice). Answers carry the key they were asked for, so a late one is ignored.
import type { Dataflow } from '../../engine';
import type { GraphLayout, LayoutReport } from '../views/graph/graphModel';
import { blobWorkerUrl } from './engineClient';

export interface LayoutRequest { id: number; graph: Dataflow; report: LayoutReport; collapsed: string[]; font: string }

/**
 * What a layout depends on: the graph's structure and the folds. Not its shapes or counts: the view labels
 * the layout with the report on screen, so another batch size reuses the layout.
 */
export function layoutKey(graph: Dataflow, collapsed: string[]): string {
  return [graph.nodes.map((n) => `${n.id}:${n.label}:${n.module}`).join(','), graph.edges.map((e) => `${e.from}>${e.to}`).join(','), [...collapsed].sort().join('|')].join('#');
}

export class LayoutClient {
  private worker?: Promise<Worker>;
  private nextId = 1;
  private busy = false;
  private queued?: { key: string; req: Omit<LayoutRequest, 'id'> };

  constructor(private readonly uri: string, private readonly done: (key: string, layout: GraphLayout | undefined, error?: string) => void) {}

  request(key: string, req: Omit<LayoutRequest, 'id'>): void {
    this.queued = { key, req };
    if (!this.busy) void this.next();
  }

  dispose(): void { void this.worker?.then((w) => w.terminate()); }

  private async next(): Promise<void> {
    const job = this.queued;
    if (!job) return;
    this.queued = undefined;
    this.busy = true;
    try {
      this.worker ??= blobWorkerUrl(this.uri).then((u) => new Worker(u));
      const w = await this.worker;
      const id = this.nextId++;
      const answer = await new Promise<{ layout?: GraphLayout; error?: string }>((ok) => {
        w.onmessage = (e: MessageEvent) => { if (e.data?.id === id) ok(e.data); };
        w.onerror = (e) => ok({ error: e.message });
        w.postMessage({ ...job.req, id });
      });
      this.done(job.key, answer.layout, answer.error);
    } catch (e) {
      this.done(job.key, undefined, e instanceof Error ? e.message : String(e));
    } finally {
      this.busy = false;
      if (this.queued) void this.next();
    }
  }
}
