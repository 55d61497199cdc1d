// Page script of bench/browser.mjs (bundled by it): the kernels in a Chromium page and its Web Workers —
// which SIMD variant validates, WASM vs JS GEMM agreement, and conv 3×3 64→64 @56 and ResNet-18 @224 on
// 1 and 2 threads through the browser compute pool (SharedArrayBuffer only when the page is cross-origin
// isolated), beside onnxruntime-web's WebAssembly backend on the same models in the same page.
import { conv2d } from '../engine/ops/conv2d';
import { relu_ } from '../engine/ops/relu';
import { add_ } from '../engine/ops/add';
import { maxPool2d } from '../engine/ops/maxPool2d';
import { adaptiveAvgPool2d } from '../engine/ops/adaptiveAvgPool2d';
import { linear } from '../engine/ops/linear';
// @ts-expect-error plain ESM helper without types
import { convModel, normals, resnet18Model, runOnKernels, sharedParams, toOnnx } from './models.mjs';
import { gemm, gemmWasm } from '../engine/ops/gemm';
import { gemmJs } from '../engine/ops/gemmJs';
import { createBrowserPool, type WebWorkerLike } from '../engine/ops/pool/browserPool';
import { conv2dAsync } from '../engine/ops/pool/conv2dAsync';
import { gemmBackend, setGemmBackend } from '../engine/ops/wasm/wasmKernels';

const g = globalThis as unknown as { Worker: new (url: string) => WebWorkerLike; crossOriginIsolated?: boolean; document: { title: string } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function times(f: () => unknown, n: number): Promise<number> {
  for (let i = 0, t0 = performance.now(); i < 10 || performance.now() - t0 < 1000; i++) await f();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

async function main(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { backend: gemmBackend(), crossOriginIsolated: g.crossOriginIsolated === true };
  const M = 64, N = 300, K = 200, A = new Float32Array(M * K).map(() => Math.random()), B = new Float32Array(K * N).map(() => Math.random());
  const C1 = new Float32Array(M * N), C2 = new Float32Array(M * N);
  gemm(false, false, M, N, K, 1, A, K, B, N, 0, C1, N);
  gemmJs(false, false, M, N, K, 1, A, K, B, N, 0, C2, N);
  let d = 0;
  for (let i = 0; i < C1.length; i++) d = Math.max(d, Math.abs(C1[i] - C2[i]) / K);
  out.gemmVsJs = d;
  for (const v of ['simd128', 'auto'] as const) {
    setGemmBackend(v);
    const [m, n, k] = [64, 3136, 576], a = new Float32Array(m * k).fill(0.5), b = new Float32Array(k * n).fill(0.25), c = new Float32Array(m * n);
    out[`gemmGflops ${gemmBackend()}`] = (2 * m * n * k) / (await times(() => gemmWasm(false, false, m, n, k, 1, a, k, b, n, 0, c, n), 40)) / 1e6;
  }
  const pool = createBrowserPool(() => new g.Worker('opsWorker.js'), 2);
  out.poolShared = pool.shared;
  const args = { input: { shape: [1, 64, 56, 56], data: new Float32Array(64 * 3136).map(() => Math.random() - 0.5) }, weight: { shape: [64, 64, 3, 3], data: new Float32Array(64 * 576).map(() => Math.random() - 0.5) } };
  const y1 = conv2d(args, { padding: 1 }), y2 = await conv2dAsync(args, { padding: 1 }, pool);
  d = 0;
  for (let i = 0; i < y1.data.length; i++) d = Math.max(d, Math.abs(y1.data[i] - y2.data[i]));
  out.conv2dAsyncVsConv2d = d;
  out.conv1ThreadMs = await times(() => conv2d(args, { padding: 1 }), 30);
  out.conv2ThreadsMs = await times(() => conv2dAsync(args, { padding: 1 }, pool), 30);
  // The bench models (bench/models.mjs), ours and onnxruntime-web's, taking turns
  const ops = { conv2d, conv2dAsync, relu_, add_, maxPool2d, adaptiveAvgPool2d, linear };
  const share = (m: object) => (pool.shared ? sharedParams(m) : m);
  for (const [name, make, runs] of [['conv', convModel, 30], ['resnet18', resnet18Model, 10]] as const) {
    const model = make(), ours = share(model), x = normals(model.inputShape.reduce((a: number, b: number) => a * b, 1), 12345);
    out[`${name}Ours1Ms`] = await times(() => runOnKernels(ops, ours, x), runs);
    out[`${name}Ours2Ms`] = await times(() => runOnKernels(ops, ours, x, pool), runs);
    try {
      const session = await ort.InferenceSession.create(toOnnx(model), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      const feeds = { [model.input]: new ort.Tensor('float32', x, model.inputShape) };
      out[`${name}OrtMs`] = await times(() => session.run(feeds), runs);
      const theirs = (await session.run(feeds))[model.output].data as Float32Array, mine = await runOnKernels(ops, ours, x, pool);
      let e = 0;
      for (let i = 0; i < theirs.length; i++) e = Math.max(e, Math.abs(theirs[i] - mine[i]));
      out[`${name}VsOrt`] = e;
    } catch (err) {
      out[`${name}OrtError`] = String(err);
    }
  }
  out.ortThreads = ort.env.wasm.numThreads;
  pool.dispose();
  return out;
}

/** onnxruntime-web, loaded beside the page (its ESM build and WebAssembly files are served with it). */
interface Ort {
  env: { wasm: { numThreads: number; wasmPaths: string; simd?: boolean } };
  InferenceSession: { create(bytes: Uint8Array, o: object): Promise<{ run(feeds: object): Promise<Record<string, { data: unknown }>> }> };
  Tensor: new (type: string, data: Float32Array, dims: number[]) => object;
}
let ort: Ort;

async function start(): Promise<Record<string, unknown>> {
  ort = (await import(/* @vite-ignore */ `${location.origin}/ort.wasm.min.mjs`)) as Ort;
  ort.env.wasm.wasmPaths = `${location.origin}/`;
  // 2 threads where the page may have them (cross-origin isolated), else onnxruntime-web runs 1
  ort.env.wasm.numThreads = g.crossOriginIsolated ? 2 : 1;
  return main();
}
declare const location: { origin: string };

start().then((r) => { g.document.title = JSON.stringify(r); }, (e) => { g.document.title = JSON.stringify({ error: String(e) }); });
