// worker_threads entry of the compute pool (bundled as dist/opsWorker.js): runs kernel tasks on this
// thread's own WebAssembly instance. Only the message plumbing lives here; tasks are pool/tasks.ts.
import { parentPort } from 'node:worker_threads';
import { serveTasks, type TaskRequest } from '../ops/pool/tasks';

const port = parentPort;
if (port) {
  serveTasks({
    postMessage: (m, transfer) => port.postMessage(m, transfer),
    onMessage: (f) => { port.on('message', (m: TaskRequest) => f(m)); },
  });
}
