// Worker-thread entry (dist/analysisWorker.js): runs the engine off the extension host's thread, so a
// 200 ms analysis of a large model never blocks typing. Keeps the engine's parse cache between requests.
import { parentPort } from 'node:worker_threads';
import { analyze } from '../engine';
import { type AnalyzeRequest, runRequest } from './analysisProtocol';

parentPort?.on('message', (req: AnalyzeRequest) => {
  parentPort!.postMessage(runRequest(analyze, req));
});
