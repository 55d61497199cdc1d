// `layerlens run` on torchvision's resnet18 @224 against PyTorch CPU in the same run on this machine:
// steady-state forward and backward (in-process, after warm-up) and the whole cold process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { torchvisionRoot } from '../scripts/fetchTorchvision.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;

export async function benchRun({ model = 'resnet18', runs = 3 } = {}) {
  const file = join(torchvisionRoot(), 'torchvision/models/resnet.py');
  const require = createRequire(import.meta.url);
  const engine = require(join(root, 'out/bench/engine.js'));
  const host = { readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } };
  const opts = { file, host, model: `${model}()`, input: [[1, 3, 224, 224]], mode: 'train' };
  engine.runModel(opts); // warm-up: JIT, WebAssembly compile, buffers
  const fwd1 = [], bwd1 = [];
  for (let i = 0; i < runs; i++) { const r = engine.runModel(opts); fwd1.push(r.timings.forwardMs); bwd1.push(r.timings.backwardMs); }
  // what `layerlens run` does: convolutions over a worker_threads pool on every core
  const { createNodePool } = require(join(root, 'out/bench/nodePool.js'));
  const pool = createNodePool({ script: join(root, 'out/bench/opsWorker.js') });
  const fwd = [], bwd = [];
  try {
    await engine.runModelAsync(opts, pool, 0);
    for (let i = 0; i < runs; i++) { const r = await engine.runModelAsync(opts, pool, 0); fwd.push(r.timings.forwardMs); bwd.push(r.timings.backwardMs); }
  } finally { pool.dispose(); }
  // whole process, cold: what a terminal or CI invocation costs
  const cold = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'run', file, '--model', `${model}()`, '--input', '1,3,224,224', '--mode', 'train', '--json'], { encoding: 'utf8' });
    cold.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`layerlens run failed: ${r.stderr}`);
  }
  console.log(`\n## layerlens run: torchvision ${model} @ 1x3x224x224, train mode, loss = sum(output)`);
  console.log(`engine, 1 thread (median of ${runs}, warm): forward ${ms(median(fwd1))}    backward ${ms(median(bwd1))}`);
  console.log(`engine, ${pool.threads} threads as layerlens run uses them (median of ${runs}, warm): forward ${ms(median(fwd))}    backward ${ms(median(bwd))}`);
  console.log(`whole process, cold (median of ${runs}): ${ms(median(cold))}`);
  if (!existsSync('/usr/bin/python3')) { console.log('PyTorch peer unavailable (no /usr/bin/python3)'); return; }
  const py = (args) => {
    const r = spawnSync('/usr/bin/python3', [join(root, 'bench/pytorch_resnet.py'), '--model', model, ...args], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  const warm = [], whole = [];
  for (let i = 0; i < runs; i++) { const w = py(['--backward', '--warmup', '2']); if (w) warm.push(w); const c = py(['--backward']); if (c) whole.push(c); }
  if (!warm.length || !whole.length) { console.log('PyTorch peer unavailable (python3-torch not installed?)'); return; }
  const pf = median(warm.map((w) => w.trainForwardMs)), pb = median(warm.map((w) => w.backwardMs)), pt = median(whole.map((w) => w.totalMs));
  console.log(`PyTorch ${warm[0].torch} (${warm[0].threads} threads) forward ${ms(pf)}    backward ${ms(pb)}    import + build + forward/backward ${ms(pt)}`);
  const rf = median(fwd) / pf, rb = median(bwd) / pb, rc = median(cold) / pt;
  console.log(`(1 thread: forward ${(median(fwd1) / pf).toFixed(2)}×, backward ${(median(bwd1) / pb).toFixed(2)}× PyTorch)`);
  console.log(`ratio forward ${rf.toFixed(2)}× PyTorch (goal <= 3): ${rf <= 3 ? 'met' : 'NOT met'}`);
  console.log(`ratio backward ${rb.toFixed(2)}× PyTorch (goal <= 3): ${rb <= 3 ? 'met' : 'NOT met'}`);
  console.log(`ratio whole process ${rc.toFixed(2)}× PyTorch's (goal < 1): ${rc < 1 ? 'met' : 'NOT met'}`);
}
