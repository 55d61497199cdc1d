// npm run fuzz [-- --n N --seed S --workers W]: the analysis fuzzer (test/fuzz/driver.ts). Prints the counts
// of process deaths, uncaught exceptions, inputs over 1 s CPU or 1 GB, and invariant violations; writes
// each failing input to out/fuzz/analysis/. Exit status 1 when any count is not zero.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const n = flag('--n', 10000), seed = flag('--seed', Date.now() % 1e9), workers = flag('--workers', 2);

const outfile = join(root, process.env.LAYERLENS_FUZZ_OUT ?? 'out/fuzz', 'driver.cjs');
await esbuild.build({ entryPoints: [join(root, 'test/fuzz/driver.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning', external: ['esbuild'] });
const require = createRequire(import.meta.url);
const d = require(outfile);
const child = await d.buildChild();
const inputs = d.fuzzInputs(n, seed);
const calls = inputs.filter((x) => x.id.startsWith('call:')).length;
console.log(`fuzz: seed ${seed}, ${inputs.length} inputs (${inputs.length - n - calls} pathological + ${n} mutations + ${calls} call probes), ${workers} workers`);
let last = Date.now();
const verbose = args.includes('--verbose');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only) inputs.splice(0, inputs.length, ...inputs.filter((x) => x.id.includes(only)));
const onResult = verbose ? (r, input) => console.log(`${input.id.slice(0, 70)}  ${r.cpuMs.toFixed(0)} ms  ${(r.maxRss / 2 ** 20).toFixed(0)} MB\n    ${r.messages.slice(0, 3).join('\n    ')}`) : undefined;
const sum = await d.runFuzz(inputs, child, { workers, onResult, onProgress: (k) => { if (Date.now() - last > 15000) { last = Date.now(); console.log(`  ${k}/${inputs.length}`); } } });
console.log(d.summaryLine(sum));
if (sum.failures.length) console.log(`failures written to ${d.writeFailures(sum, process.env.LAYERLENS_FUZZ_OUT ? join(root, process.env.LAYERLENS_FUZZ_OUT, 'analysis') : undefined)}`);
process.exit(sum.failures.length ? 1 : 0);
