// Messages between the extension host and the analysis worker: one request, one response, matched by id.
// Plain JSON-able data only (reports are plain data by design, see engine/api.ts).
import type { AnalyzeOptions, Report } from '../engine';

export interface AnalyzeRequest {
  id: number;
  opts: Omit<AnalyzeOptions, 'host'>;
  /** The texts the analysis may read, by engine path; anything else it asks for is a miss. */
  files: Record<string, string>;
}

export type AnalyzeResponse =
  | { id: number; ok: true; report: Report; misses: string[] }
  | { id: number; ok: false; error: string };

/** Runs one request against the engine (in the worker, or inline where no worker can be started). */
export function runRequest(analyze: (o: AnalyzeOptions) => Report, req: AnalyzeRequest): AnalyzeResponse {
  const misses = new Set<string>();
  const host = {
    readFile: (p: string): string | undefined => {
      const t = Object.prototype.hasOwnProperty.call(req.files, p) ? req.files[p] : undefined;
      if (t === undefined) misses.add(p);
      return t;
    },
  };
  try {
    return { id: req.id, ok: true, report: analyze({ ...req.opts, host }), misses: [...misses] };
  } catch (e) {
    return { id: req.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
