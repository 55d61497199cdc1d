// `npm run bench`: every benchmark, each side by side with its peer in the same run on this machine.
// A section that fails says so and the others still run.
import { benchSummary } from './summary.mjs';
import { benchOps } from './ops.mjs';
import { printBrowser } from './browser.mjs';
import { benchRun } from './runResnet.mjs';
import { benchWeights } from './weights.mjs';
import { benchScale } from './scale.mjs';
import os from 'node:os';

console.log(`# LayerLens benchmarks — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const sections = [
  ['summary', benchSummary], ['scale', benchScale], ['kernels', benchOps], ['Chromium', printBrowser], ['layerlens run', benchRun],
  ['weights', benchWeights], ['editor', async () => (await import('./editor.mjs')).benchEditor()], ['Inspector', async () => (await import('./inspector.mjs')).benchInspector()],
];
let failed = 0;
for (const [name, run] of sections) {
  try {
    await run();
  } catch (e) {
    failed++;
    console.log(`\n## ${name}: FAILED (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`);
  }
}
console.log(`\n(load average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`);
process.exitCode = failed ? 1 : 0;
