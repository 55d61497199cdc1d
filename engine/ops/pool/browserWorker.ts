// Web Worker entry of the compute pool (bundled as dist/webview/opsWorker.js): runs kernel tasks on this
// worker's own WebAssembly instance. Only the message plumbing lives here; tasks are tasks.ts.
import { serveTasks, type TaskReply, type TaskRequest } from './tasks';

interface WorkerScope {
  postMessage(m: TaskReply, transfer: ArrayBuffer[]): void;
  onmessage: ((ev: { data: TaskRequest }) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
serveTasks({
  postMessage: (m, transfer) => scope.postMessage(m, transfer),
  onMessage: (f) => { scope.onmessage = (ev) => f(ev.data); },
});
