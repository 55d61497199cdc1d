// Entry of the isolated analysis (dist/analysisWorker.js): a child process on desktop, else a worker thread.
// Runs the engine off the extension host, so discovery and a 200 ms analysis never block typing, and a fatal
// error here never takes the host down. Keeps the engine's parse cache, and the reports it sent, between requests.
import { parentPort } from 'node:worker_threads';
import { analyze, findModels } from '../../engine';
import { handleRequest, SentReports, type ProbeRequest, type WorkerRequest, type WorkerResponse } from './protocol';

const send: (m: WorkerResponse) => void = parentPort ? (m) => parentPort!.postMessage(m) : (m) => { process.send?.(m); };
const probes = process.env.LAYERLENS_ANALYSIS_PROBES === '1';
/** The reports last sent, so that the next answer to the same model is only what changed. */
const sent = new SentReports();

function onRequest(req: WorkerRequest): void {
  if (req.type === 'probe' && probes) { send(probe(req)); return; }
  send(handleRequest({ analyze: parentPort ? analyze : analyzeByCpu, findModels }, req, sent));
}

/**
 * In its own process (desktop) the analysis is stopped by its CPU time: a machine loaded by other work
 * slows the wall clock, not the analysis's work. A worker thread shares the host's process: wall clock.
 */
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const analyzeByCpu: typeof analyze = (opts) => analyze({ ...opts, cpuClock: cpuMs });

/** Test-only misbehaviour (see ProbeRequest): what a runaway analysis would do. */
function probe(req: ProbeRequest): WorkerResponse {
  if (req.what === 'abort') process.abort();
  if (req.what === 'grow') {
    const keep: number[][] = [];
    for (;;) keep.push(new Array(1 << 20).fill(keep.length));
  }
  const end = Date.now() + (req.ms ?? 60_000);
  while (Date.now() < end) { /* spin */ }
  return { type: 'probe', id: req.id, ok: true };
}

if (parentPort) parentPort.on('message', onRequest);
else process.on('message', (m) => onRequest(m as WorkerRequest));
// the engine is loaded: from now on the watchdog counts (a slow start on a busy machine is no runaway analysis)
send({ type: 'ready', id: 0, ok: true });
