// Page script of bench/browser.mjs (bundled by it): the kernels in a Chromium page and its Web Workers —
// which SIMD variant validates, WASM vs JS GEMM agreement, and conv 3×3 64→64 @56 on 1 and 2 threads
// through the browser compute pool (SharedArrayBuffer only when the page is cross-origin isolated).
import { conv2d } from '../engine/ops/conv2d';
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
  pool.dispose();
  return out;
}

main().then((r) => { g.document.title = JSON.stringify(r); }, (e) => { g.document.title = JSON.stringify({ error: String(e) }); });
