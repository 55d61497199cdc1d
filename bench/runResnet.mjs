// `layerlens run` on torchvision's resnet18 @224 against PyTorch CPU on two threads, in the same run on this
// machine: warm forward and backward as `layerlens run --repeat N` reports them (the CLI itself, both cores),
// the whole cold process, and its peak RSS against parameters + gradients + saved activations.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import os from 'node:os';
import { torchvisionRoot } from '../scripts/fetchTorchvision.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const PY = '/usr/bin/python3';
const loadavg = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

/** Runs a command, returning its stdout, wall time and peak RSS (bytes, from wait4 through Python; null without it). */
function measured(cmd, args) {
  if (existsSync(PY)) {
    const wrap = 'import os,sys,time,subprocess,json\nt=time.perf_counter()\np=subprocess.Popen(sys.argv[1:],stdout=subprocess.PIPE)\nout=p.stdout.read()\n_,st,ru=os.wait4(p.pid,0)\n' +
      'sys.stdout.write(json.dumps({"status":os.waitstatus_to_exitcode(st),"ms":(time.perf_counter()-t)*1000,"rss":ru.ru_maxrss*1024})+"\\n"+out.decode())';
    const r = spawnSync(PY, ['-c', wrap, cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const nl = r.stdout.indexOf('\n');
    const head = JSON.parse(r.stdout.slice(0, nl));
    return { status: head.status, ms: head.ms, rss: head.rss, stdout: r.stdout.slice(nl + 1), stderr: r.stderr };
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, ms: Number(process.hrtime.bigint() - t0) / 1e6, rss: null, stdout: r.stdout, stderr: r.stderr };
}

const goal = (label, ratio, limit) => console.log(`goal: ${label} ${ratio.toFixed(2)}× (goal <= ${limit}×): ${ratio <= limit ? 'met' : 'NOT met'}`);

export async function benchRun({ model = 'resnet18', runs = 3, repeat = 5 } = {}) {
  const file = join(torchvisionRoot(), 'torchvision/models/resnet.py');
  const require = createRequire(import.meta.url);
  const engine = require(join(root, 'out/bench/engine.js'));
  const host = { readFile: (p) => { try { return readFileSync(p, 'utf8'); } catch { return undefined; } } };
  const opts = { file, host, model: `${model}()`, input: [[1, 3, 224, 224]], mode: 'train' };
  // in-process, one thread: the kernels without the pool (reference for what the second core adds)
  const one = engine.runModel({ ...opts, repeat });
  const totals = engine.analyze(opts).totals;
  // the CLI as a user runs it: both cores (the pool from 1 GMAC on), warm timings from --repeat
  const cli = (extra) => measured(process.execPath, [join(root, 'dist/cli.js'), 'run', file, '--model', `${model}()`, '--input', '1,3,224,224', '--mode', 'train', '--json', ...extra]);
  const py = (args) => {
    if (!existsSync(PY)) return null;
    const r = spawnSync(PY, [join(root, 'bench/pytorch_resnet.py'), '--model', model, ...args], { encoding: 'utf8' });
    if (r.status !== 0) return null;
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };
  // Taking turns, so the machine's other load falls on both contenders alike.
  const warm = [], cold = [], warm2 = [], warm1 = [], whole = [];
  const load0 = loadavg();
  for (let i = 0; i < runs; i++) {
    const r = cli(['--repeat', String(repeat)]);
    if (r.status !== 0) throw new Error(`layerlens run failed: ${r.stderr}`);
    warm.push(JSON.parse(r.stdout).timings);
    const w = py(['--backward', '--warmup', '2', '--threads', '2']); if (w) warm2.push(w);
    const c = cli([]);
    if (c.status !== 0) throw new Error(`layerlens run failed: ${c.stderr}`);
    cold.push(c);
    const w1 = py(['--backward', '--warmup', '2', '--threads', '1']); if (w1) warm1.push(w1);
    const t = py(['--backward', '--threads', '2']); if (t) whole.push(t);
  }
  const wf = median(warm.map((t) => t.warmForwardMs)), wb = median(warm.map((t) => t.warmBackwardMs));
  console.log(`\n## layerlens run: torchvision ${model} @ 1x3x224x224, train mode, loss = sum(output) (load average ${load0} before, ${loadavg()} after)`);
  console.log(`layerlens run --repeat ${repeat} (CLI, both cores; median of ${runs} processes): warm forward ${ms(wf)}    backward ${ms(wb)}    (first pass: forward ${ms(median(warm.map((t) => t.forwardMs)))}, backward ${ms(median(warm.map((t) => t.backwardMs)))})`);
  const oneError = one.diagnostics.find((d) => d.severity === 'error');
  if (oneError) console.log(`engine in-process, 1 thread: failed: ${oneError.message}`);
  else console.log(`engine in-process, 1 thread (median of ${repeat} warm passes): forward ${ms(one.timings.warmForwardMs)}    backward ${ms(one.timings.warmBackwardMs)}`);
  console.log(`whole process, cold (median of ${runs}): ${ms(median(cold.map((r) => r.ms)))}`);
  // Memory: what training this model has to hold, as LayerLens counts it (the summary's totals)
  const rss = cold.map((r) => r.rss).filter((x) => x !== null);
  if (rss.length) {
    const need = 2 * totals.paramBytes + totals.activationBytes, peak = median(rss);
    console.log(`peak RSS of layerlens run (median of ${rss.length}): ${mib(peak)}; parameters ${mib(totals.paramBytes)} + gradients ${mib(totals.paramBytes)} + saved activations ${mib(totals.activationBytes)} (every layer call's output) = ${mib(need)}`);
    goal('peak RSS / (parameters + gradients + saved activations)', peak / need, 1.5);
  } else console.log('peak RSS: not measured (needs /usr/bin/python3 for wait4)');
  if (!warm2.length || !whole.length) { console.log('PyTorch peer unavailable (python3-torch not installed?)'); return; }
  const pf = median(warm2.map((w) => w.trainForwardMs)), pb = median(warm2.map((w) => w.backwardMs)), pt = median(whole.map((w) => w.totalMs));
  console.log(`PyTorch ${warm2[0].torch} torch.set_num_threads(2): forward ${ms(pf)}    backward ${ms(pb)}    import + build + forward/backward ${ms(pt)}`);
  if (warm1.length) console.log(`PyTorch 1 thread: forward ${ms(median(warm1.map((w) => w.trainForwardMs)))}    backward ${ms(median(warm1.map((w) => w.backwardMs)))}`);
  goal('layerlens run warm forward / PyTorch 2 threads', wf / pf, 2);
  goal('layerlens run warm backward / PyTorch 2 threads', wb / pb, 3);
  goal('whole cold process / PyTorch import + build + forward/backward', median(cold.map((r) => r.ms)) / pt, 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchRun();
