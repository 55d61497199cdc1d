// One peer measurement in its own process (onnxruntime-web fixes its thread count at first use):
//   node bench/peers.mjs ort|tfjs THREADS conv|resnet18 RUNS
// Prints one JSON line: {peer, threads, model, times: [ms…], output: [first values]} (times sorted).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convModel, normals, resnet18Model, toOnnx } from './models.mjs';

const [peer, threadsArg, modelName, runsArg] = process.argv.slice(2);
const threads = Number(threadsArg), runs = Number(runsArg ?? 30);
const require = createRequire(import.meta.url);
const model = modelName === 'conv' ? convModel() : resnet18Model();
const input = normals(model.inputShape.reduce((a, b) => a * b, 1), 12345);

async function timeIt(run) {
  // Warm-up by time as well as count: tier-up (JS and WebAssembly) and the allocator settle over the
  // first few hundred ms, for every contender alike.
  for (let i = 0, t0 = performance.now(); i < 10 || performance.now() - t0 < 500; i++) await run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

async function ort() {
  const ortWeb = require('onnxruntime-web');
  ortWeb.env.wasm.numThreads = threads;
  ortWeb.env.wasm.simd = true;
  const session = await ortWeb.InferenceSession.create(toOnnx(model), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const feeds = { [model.input]: new ortWeb.Tensor('float32', input, model.inputShape) };
  let out;
  const times = await timeIt(async () => { out = (await session.run(feeds))[model.output].data; });
  return { times, output: Array.from(out.subarray(0, 8)), sum: out.reduce((a, b) => a + b, 0) };
}

async function tfjs() {
  if (modelName !== 'conv') throw new Error('tfjs peer: conv only');
  const tf = require('@tensorflow/tfjs-core');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  if (threads > 1) throw new Error('tfjs-backend-wasm runs single-threaded in Node (no Worker global)');
  await tf.setBackend('wasm');
  await tf.ready();
  // tfjs convolves NHWC with HWIO filters: the same numbers, rearranged once.
  const n = model.nodes[0], [co, ci, k] = n.wShape, [, , H, W] = model.inputShape;
  const xs = new Float32Array(input.length), f = new Float32Array(n.w.length);
  for (let c = 0; c < ci; c++) for (let p = 0; p < H * W; p++) xs[p * ci + c] = input[c * H * W + p];
  for (let o = 0; o < co; o++) for (let c = 0; c < ci; c++) for (let t = 0; t < k * k; t++) f[(t * ci + c) * co + o] = n.w[(o * ci + c) * k * k + t];
  const x = tf.tensor4d(xs, [1, H, W, ci]), filter = tf.tensor4d(f, [k, k, ci, co]), bias = tf.tensor1d(n.b);
  let out;
  const times = await timeIt(() => {
    const y = tf.fused.conv2d({ x, filter, bias, strides: n.stride, pad: 'same' });
    out = y.dataSync();
    y.dispose();
  });
  return { times, output: [], sum: out.reduce((a, b) => a + b, 0) };
}

const r = peer === 'ort' ? await ort() : await tfjs();
process.stdout.write(`${JSON.stringify({ peer, threads, model: modelName, ...r })}\n`);
process.exit(0);
