// Web Worker entry (dist/web/analysisWorker.js): the browser extension host's analysis thread (vscode.dev,
// github.dev, code-server's web worker host), so discovery and analysis never run on the extension host.
// The twin of worker.ts (worker_threads); the same protocol, the engine's parse cache and the reports sent
// (answers after an edit are their changes) kept between requests.
import { analyze, findModels } from '../../engine';
import { handleRequest, SentReports, type WorkerRequest, type WorkerResponse } from './protocol';

// Only what this file uses of a worker's global scope (the extension's tsconfig has no DOM library).
interface WorkerScope {
  postMessage(msg: WorkerResponse): void;
  onmessage: ((e: { data: WorkerRequest }) => void) | null;
}
declare const self: WorkerScope;

const sent = new SentReports();
self.onmessage = (e) => self.postMessage(handleRequest({ analyze, findModels }, e.data, sent));
// the engine is loaded: the runner's watchdog counts from here (see runner.ts)
self.postMessage({ type: 'ready', id: 0, ok: true });
