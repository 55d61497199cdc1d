// Kernel benchmarks, side by side with the JS/WASM peers in one run on this machine: the WebAssembly
// GEMM's GFLOP/s, conv 3×3 64→64 @56×56 forward on 1 and 2 threads vs onnxruntime-web (wasm, 1 and 2
// threads) and tfjs-backend-wasm, and ResNet-18 @224 forward vs onnxruntime-web. Peers run in child
// processes (bench/peers.mjs); ours in this one, from the bundle out/bench/ops.js.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convModel, normals, resnet18Model } from './models.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => `${x.toFixed(2)} ms`;

async function timeIt(run, runs) {
  for (let i = 0; i < Math.max(3, Math.ceil(runs / 5)); i++) await run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times;
}

function peer(name, threads, model, runs) {
  const r = spawnSync(process.execPath, [join(root, 'bench/peers.mjs'), name, String(threads), model, String(runs)], { encoding: 'utf8', cwd: root, timeout: 600_000 });
  const line = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !line) return { error: (r.stderr || 'no output').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(line);
}

/** Runs a bench model (bench/models.mjs) on LayerLens' kernels; convs on the pool's threads when given one. */
async function runModel(ops, model, input, pool) {
  const t = new Map([[model.input, { shape: model.inputShape, data: input }]]);
  for (const n of model.nodes) {
    let y;
    if (n.op === 'conv') {
      const args = { input: t.get(n.input), weight: { shape: n.wShape, data: n.w }, bias: { shape: [n.wShape[0]], data: n.b } };
      const attrs = { stride: n.stride, padding: n.pad };
      y = pool ? await ops.conv2dAsync(args, attrs, pool) : ops.conv2d(args, attrs);
      if (n.relu) y = ops.relu_({ input: y }); // nn.ReLU(inplace=True), as torchvision builds it
    } else if (n.op === 'maxpool') {
      y = ops.maxPool2d({ input: t.get(n.input) }, { kernel_size: n.k, stride: n.stride, padding: n.pad });
    } else if (n.op === 'add') {
      y = ops.add_({ input: t.get(n.inputs[0]), other: t.get(n.inputs[1]) }); // out += identity
      if (n.relu) y = ops.relu_({ input: y });
    } else if (n.op === 'gap') {
      const p = ops.adaptiveAvgPool2d({ input: t.get(n.input) }, { output_size: 1 });
      y = { shape: [p.shape[0], p.shape[1]], data: p.data };
    } else if (n.op === 'fc') {
      y = ops.linear({ input: t.get(n.input), weight: { shape: n.wShape, data: n.w }, bias: { shape: [n.wShape[0]], data: n.b } });
    }
    t.set(n.output, y);
  }
  return t.get(model.output).data;
}

function gemmGflops(ops, M, N, K, runs = 20) {
  const A = normals(M * K, 1), B = normals(K * N, 2), C = new Float32Array(M * N);
  for (let i = 0; i < 3; i++) ops.gemmWasm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    ops.gemmWasm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
    times.push(performance.now() - t0);
  }
  return (2 * M * N * K) / Math.min(...times) / 1e6;
}

const ratio = (ours, peerMs) => `${(peerMs / ours).toFixed(2)}×`;

export async function benchOps({ runs = 40, resnetRuns = 12 } = {}) {
  const require = createRequire(import.meta.url);
  const ops = require(join(root, 'out/bench/ops.js'));
  const pool = ops.createNodePool({ threads: 2, script: join(root, 'out/bench/opsWorker.js') });
  try {
    console.log(`\n## Kernels: WebAssembly ${ops.gemmBackend()} GEMM (4×8 tile), Node ${process.version}`);
    console.log(`GEMM 64×576 · 576×3136 (the conv's im2col product), 1 thread: ${gemmGflops(ops, 64, 3136, 576).toFixed(1)} GFLOP/s; 512×4608 · 4608×49: ${gemmGflops(ops, 512, 49, 4608).toFixed(1)} GFLOP/s`);

    // conv 3×3 64→64 @56×56
    const cm = convModel(), cx = normals(64 * 56 * 56, 12345), flops = 2 * 64 * 576 * 3136;
    const ours1 = await timeIt(() => runModel(ops, cm, cx), runs), ours2 = await timeIt(() => runModel(ops, cm, cx, pool), runs);
    const peers = [peer('ort', 1, 'conv', runs), peer('ort', 2, 'conv', runs), peer('tfjs', 1, 'conv', runs)];
    console.log('\n## conv 3×3 64→64 @56×56 forward (bias; median of', runs, 'runs, output copied out)');
    const best = Math.min(...peers.filter((p) => p.times).map((p) => median(p.times)));
    const o1 = median(ours1), o2 = median(ours2);
    console.log(`LayerLens 1 thread:  ${fmt(o1)}  ${(flops / o1 / 1e6).toFixed(1)} GFLOP/s  throughput vs best peer ${ratio(o1, best)}`);
    console.log(`LayerLens 2 threads: ${fmt(o2)}  ${(flops / o2 / 1e6).toFixed(1)} GFLOP/s  throughput vs best peer ${ratio(o2, best)}`);
    for (const p of peers) {
      if (!p.times) { console.log(`peer failed: ${p.error}`); continue; }
      console.log(`${p.peer === 'ort' ? 'onnxruntime-web' : 'tfjs-backend-wasm'} ${p.threads} thread${p.threads > 1 ? 's' : ''}: ${fmt(median(p.times))}`);
    }
    console.log(`goal: LayerLens (2 threads) >= 1.0x the best peer's throughput: ${o2 <= best ? 'met' : 'NOT met'} (${ratio(o2, best)})`);

    // ResNet-18 @224
    const rm = resnet18Model(), rx = normals(3 * 224 * 224, 12345);
    const r1 = await timeIt(() => runModel(ops, rm, rx), resnetRuns), r2 = await timeIt(() => runModel(ops, rm, rx, pool), resnetRuns);
    const ort1 = peer('ort', 1, 'resnet18', resnetRuns), ort2 = peer('ort', 2, 'resnet18', resnetRuns);
    const out = await runModel(ops, rm, rx, pool);
    console.log('\n## ResNet-18 @1x3x224x224 forward (BatchNorm folded, seeded random weights; median of', resnetRuns, 'runs)');
    const m1 = median(r1), m2 = median(r2);
    console.log(`LayerLens kernels 1 thread:  ${fmt(m1)}${ort1.times ? `   onnxruntime-web 1 thread:  ${fmt(median(ort1.times))}  time ratio ${(m1 / median(ort1.times)).toFixed(2)}` : ''}`);
    console.log(`LayerLens kernels 2 threads: ${fmt(m2)}${ort2.times ? `   onnxruntime-web 2 threads: ${fmt(median(ort2.times))}  time ratio ${(m2 / median(ort2.times)).toFixed(2)}` : ''}`);
    if (ort2.output) {
      const diff = Math.max(...ort2.output.map((v, i) => Math.abs(v - out[i])));
      console.log(`same logits as onnxruntime-web: max |diff| over the first 8 = ${diff.toExponential(1)}`);
      console.log(`goal: ResNet-18 forward <= 1.0x onnxruntime-web's time (2 threads): ${m2 <= median(ort2.times) ? 'met' : 'NOT met'} (${(m2 / median(ort2.times)).toFixed(2)}x)`);
    } else console.log(`onnxruntime-web failed: ${ort2.error ?? ort1.error}`);
    console.log('(these ResNet-18 numbers run the kernels directly; the model runner engine/run will replace this loop)');
  } finally {
    pool.dispose();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchOps();
