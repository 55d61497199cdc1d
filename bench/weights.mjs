// Reading a ResNet-50 sized PyTorch checkpoint (torchvision resnet50 state_dict, ~100 MB, written at bench
// time into a temp dir by Debian's torch, never committed) with our reader against torch.load of the same
// file in a child Python process (timing only the load), and the same tensors as safetensors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(1)} ms`;
const time = (f) => { const t0 = process.hrtime.bigint(); const r = f(); return [Number(process.hrtime.bigint() - t0) / 1e6, r]; };

export async function benchWeights({ runs = 5 } = {}) {
  console.log('\n## Weights files: torchvision resnet50 state_dict (written at bench time)');
  if (!existsSync('/usr/bin/python3')) { console.log('PyTorch unavailable (no /usr/bin/python3): skipped'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'layerlens-weights-'));
  const pth = join(dir, 'resnet50.pth'), py = join(root, 'bench/pytorch_load.py');
  try {
    const w = spawnSync('/usr/bin/python3', [py, '--write', pth], { encoding: 'utf8' });
    if (w.status !== 0) { console.log(`PyTorch peer unavailable: ${w.stderr.trim().split('\n').pop()}`); return; }
    const engine = createRequire(import.meta.url)(join(root, 'out/bench/engine.js'));
    const ours = [], withRead = [];
    let file;
    engine.readWeights(readFileSync(pth), 'resnet50.pth'); // warm-up: JIT, page cache
    for (let i = 0; i < runs; i++) {
      const [tr, bytes] = time(() => readFileSync(pth)); // a Buffer is a Uint8Array (no copy)
      const [t] = time(() => { file = engine.readWeights(bytes, 'resnet50.pth'); });
      ours.push(t); withRead.push(t + tr);
    }
    let values = 0;
    for (const t of file.tensors.values()) values += t.data.length;
    console.log(`file: ${(statSync(pth).size / 1e6).toFixed(1)} MB, ${file.tensors.size} tensors, ${values.toLocaleString('en-US')} values`);
    const peer = (extra) => {
      const r = spawnSync('/usr/bin/python3', [py, '--time', pth, '--runs', String(runs), ...extra], { encoding: 'utf8' });
      return r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : null;
    };
    const wo = peer(['--weights-only']), full = peer([]);
    const [a, b] = [median(ours), median(withRead)];
    console.log(`layerlens readWeights, file already in memory (median of ${runs}): ${ms(a)}    reading the file too: ${ms(b)}`);
    const line = (what, p) => {
      const [m, f] = [median(p.bytesMs), median(p.loadMs)];
      console.log(`PyTorch ${p.torch} ${what} (${p.threads} thread${p.threads > 1 ? 's' : ''}): from memory ${ms(m)}, from the file ${ms(f)}    ratio ${(a / m).toFixed(2)}× / ${(b / f).toFixed(2)}× (layerlens / PyTorch)`);
    };
    if (wo) line('torch.load(weights_only=True)', wo);
    if (full) line('torch.load() (unrestricted pickle)', full);
    // the same tensors as safetensors, written by our writer
    const st = join(dir, 'resnet50.safetensors');
    writeFileSync(st, engine.writeSafetensors(new Map([...file.tensors].map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape, data: t.int64 ?? t.data }]))));
    const stBytes = readFileSync(st), stTimes = [];
    for (let i = 0; i < runs; i++) stTimes.push(time(() => engine.readWeights(stBytes, 'resnet50.safetensors'))[0]);
    console.log(`layerlens readWeights of the same tensors as safetensors: ${ms(median(stTimes))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
