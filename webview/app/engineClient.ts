// The webview's side of the engine worker: starts it from a blob URL (the webview's origin is not the
// resources' origin, so `new Worker(resourceUri)` is refused), matches answers to requests by id, and
// cancels by terminating the worker and starting a fresh one. No tensor work happens here.
import { PROTOCOL_VERSION, describeBad, parseFromWorker, type FromWorker, type ToWorker } from '../protocol';

/** A worker started from its script's text through a blob: URL (what the webview's CSP allows: worker-src blob:). */
export async function blobWorkerUrl(uri: string): Promise<string> {
  const r = await fetch(uri);
  if (!r.ok) throw new Error(`cannot load ${uri.split('/').pop()} (${r.status})`);
  return URL.createObjectURL(new Blob([await r.text()], { type: 'text/javascript' }));
}

type Answer = Exclude<FromWorker, { type: 'ready' } | { type: 'progress' }>;
type Request = ToWorker extends infer T ? T extends { id: number } ? Omit<T, 'id'> : never : never;

interface Pending { resolve(a: Answer): void; onProgress?(phase: string): void }

export class EngineClient {
  private worker?: Worker;
  private ready?: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private scriptUrl?: Promise<string>;

  constructor(private readonly workerUri: string, private readonly onProblem: (message: string) => void) {}

  /** Sends a request; resolves with the worker's answer (an `error` answer included), never rejects. */
  async request(req: Request, onProgress?: (phase: string) => void, transfer: Transferable[] = []): Promise<Answer> {
    const id = this.nextId++;
    try { await this.start(); } catch (e) { return { type: 'error', id, message: e instanceof Error ? e.message : String(e) }; }
    return new Promise<Answer>((resolve) => {
      this.pending.set(id, { resolve, onProgress });
      this.worker!.postMessage({ ...req, id }, transfer);
    });
  }

  /** Stops whatever runs (the worker is terminated) and answers every pending request as cancelled. */
  cancel(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
    for (const [id, p] of this.pending) p.resolve({ type: 'cancelled', id });
    this.pending.clear();
  }

  dispose(): void { this.cancel(); }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    this.ready = (async () => {
      this.scriptUrl ??= blobWorkerUrl(this.workerUri);
      const url = await this.scriptUrl;
      const w = new Worker(url);
      this.worker = w;
      await new Promise<void>((ok, fail) => {
        w.onerror = (e) => fail(new Error(`the engine worker failed to start: ${e.message}`));
        w.onmessage = (e: MessageEvent) => {
          const m = parseFromWorker(e.data);
          if (m?.type === 'ready' && m.version === PROTOCOL_VERSION) { w.onmessage = (ev: MessageEvent) => this.receive(ev.data); ok(); }
          else fail(new Error(`the engine worker speaks protocol ${m?.type === 'ready' ? m.version : '?'}, the panel ${PROTOCOL_VERSION}`));
        };
      });
      w.onerror = (e) => { this.onProblem(`the engine worker crashed: ${e.message}`); this.cancel(); };
    })();
    this.ready.catch(() => { this.ready = undefined; });
    return this.ready;
  }

  private receive(data: unknown): void {
    const m = parseFromWorker(data);
    if (!m) { this.onProblem(`the engine worker sent ${describeBad(data)}`); return; }
    if (m.type === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return; // answered after a cancel
    if (m.type === 'progress') { p.onProgress?.(m.phase); return; }
    this.pending.delete(m.id);
    p.resolve(m);
  }
}
