// Benchmark of `layerlens summary` on torchvision's resnet50 against PyTorch's own import + build + hooked
// forward of the same model, in one run on this machine. Prints medians and the ratios the goals name.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { torchvisionRoot } from '../scripts/fetchTorchvision.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;

export async function benchSummary({ runs = 7, warmRuns = 30, model = 'resnet50' } = {}) {
  const tv = torchvisionRoot();
  const file = join(tv, 'torchvision/models/resnet.py');
  const args = [join(root, 'dist/cli.js'), 'summary', file, '--model', `${model}()`, '--input', '1,3,224,224', '--json'];
  // cold: a fresh process each time, as a terminal or CI invocation is; with and without the parse cache
  const spawnTimes = (n, env) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
      out.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 0) throw new Error(`layerlens summary failed: ${r.stderr}`);
    }
    return out;
  };
  const noCache = spawnTimes(Math.max(3, Math.floor(runs / 2)), { LAYERLENS_NO_CACHE: '1' });
  // the floor under any Node CLI: starting node itself
  const bare = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const nodeBare = median(bare);
  spawnTimes(1, {});
  const cold = spawnTimes(runs, {});
  // warm: the same analysis again inside one process (what the extension host does on every edit)
  const require = createRequire(import.meta.url);
  const engine = require(join(root, 'out/bench/engine.js'));
  const host = { readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } };
  const opts = { file, host, model: `${model}()`, input: [[1, 3, 224, 224]] };
  for (let i = 0; i < 5; i++) engine.analyze(opts);
  const warm = [];
  for (let i = 0; i < warmRuns; i++) {
    const t0 = process.hrtime.bigint();
    engine.analyze(opts);
    warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  // PyTorch peer: import torch + torchvision, build, hooked forward (Debian's python3-torch)
  let torch = null;
  if (existsSync('/usr/bin/python3')) {
    const pyRuns = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('/usr/bin/python3', [join(root, 'bench/pytorch_resnet.py'), '--model', model, '--threads', '2'], { encoding: 'utf8' });
      if (r.status !== 0) { pyRuns.length = 0; torch = { error: r.stderr.trim().split('\n').pop() }; break; }
      pyRuns.push(JSON.parse(r.stdout.trim().split('\n').pop()));
    }
    if (pyRuns.length) torch = { totalMs: median(pyRuns.map((p) => p.totalMs)), importMs: median(pyRuns.map((p) => p.importMs)), buildMs: median(pyRuns.map((p) => p.buildMs)), forwardMs: median(pyRuns.map((p) => p.forwardMs)), version: pyRuns[0].torch };
  }
  const coldMs = median(cold), warmMs = median(warm);
  console.log(`\n## layerlens summary: torchvision ${model} @ 1x3x224x224`);
  console.log(`cold CLI, no parse or code cache (new process, median of ${noCache.length}): ${ms(median(noCache))}`);
  console.log(`cold CLI, parse and code caches filled (new process, median of ${runs}): ${ms(coldMs)}`);
  console.log(`warm in-process analysis (median of ${warmRuns}): ${ms(warmMs)}   goal <= 50 ms: ${warmMs <= 50 ? 'met' : 'NOT met'}`);
  if (torch && torch.totalMs) {
    console.log(`PyTorch ${torch.version} (torch.set_num_threads(2)) import + build + hooked forward (median of 3): ${ms(torch.totalMs)} (import ${ms(torch.importMs)}, build ${ms(torch.buildMs)}, forward ${ms(torch.forwardMs)})`);
    const ratio = coldMs / torch.totalMs;
    const ratioNoCache = median(noCache) / torch.totalMs;
    console.log(`ratio cold CLI / PyTorch = ${ratio.toFixed(3)} (1/${(1 / ratio).toFixed(1)})   goal <= 1/20: ${ratio <= 0.05 ? 'met' : 'NOT met'}`);
    console.log(`(a new Node process that does nothing: ${ms(nodeBare)}, ${(nodeBare / torch.totalMs * 100).toFixed(1)} % of PyTorch's)`);
    console.log(`ratio cold CLI without parse cache / PyTorch = ${ratioNoCache.toFixed(3)} (1/${(1 / ratioNoCache).toFixed(1)})`);
  } else {
    console.log(`PyTorch peer unavailable (${torch?.error ?? 'no /usr/bin/python3 with torch'}): apt-get install python3-torch python3-torchvision`);
  }
  return { coldMs, coldNoCacheMs: median(noCache), warmMs, torch };
}
