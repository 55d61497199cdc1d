// Worker-thread entry (dist/analysisWorker.js): runs the engine off the extension host's thread, so
// discovery and a 200 ms analysis of a large model never block typing. Keeps the engine's parse cache
// between requests.
import { parentPort } from 'node:worker_threads';
import { analyze, findModels } from '../../engine';
import { handleRequest, type WorkerRequest } from './protocol';

parentPort?.on('message', (req: WorkerRequest) => {
  parentPort!.postMessage(handleRequest({ analyze, findModels }, req));
});
