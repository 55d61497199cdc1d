// `npm run bench`: every benchmark, each side by side with its peer in the same run on this machine.
import { benchSummary } from './summary.mjs';
import { benchOps } from './ops.mjs';
import { printBrowser } from './browser.mjs';
import { benchRun } from './runResnet.mjs';
import { benchWeights } from './weights.mjs';
import { benchScale } from './scale.mjs';
import os from 'node:os';

console.log(`# LayerLens benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await benchSummary();
await benchScale();
await benchOps();
await printBrowser();
await benchRun();
await benchWeights();
await (await import('./editor.mjs')).benchEditor();
await (await import('./inspector.mjs')).benchInspector();
