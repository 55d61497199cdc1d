// Single-precision GEMM, C = alpha·op(A)·op(B) + beta·C, row-major: the one hot loop behind conv, linear
// and matmul. Runs the WebAssembly SIMD kernel (operands staged into its memory in bounded chunks) and
// falls back to the plain-JS kernel (gemmJs.ts) for tiny products or where WebAssembly SIMD is missing.
// Callers use only this signature; which kernel ran is gemmBackend()'s answer.

import { gemmJs } from './gemmJs';
import { trimWasmMemory, wasmKernels, type WasmKernels } from './wasm/wasmKernels';

/** Below this many multiply-adds the JS kernel wins: no staging copies, no call overhead. */
const WASM_MIN_MACS = 8192;
/** Floats of A, B and C staged per chunk; larger products run as several chunks (bounded memory). */
const STAGE_FLOATS = 1 << 22;

/**
 * C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C, all row-major with leading dims lda/ldb/ldc.
 * op(A) = A (M×K, lda ≥ K) or, with transA, Aᵀ where A is K×M (lda ≥ M). Same for B.
 * With beta = 0, C is overwritten (NaNs in C do not survive), as BLAS specifies.
 * Pass `subarray` views to start at an offset.
 */
export function gemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, B: Float32Array, ldb: number,
  beta: number, C: Float32Array, ldc: number,
): void {
  if (M <= 0 || N <= 0) return;
  const wk = K > 0 && alpha !== 0 && M * N * K >= WASM_MIN_MACS ? wasmKernels() : null;
  if (wk) gemmStaged(wk, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  else gemmJs(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

/**
 * gemm() on the WebAssembly kernel whatever the size (tests and benchmarks compare kernels with it);
 * throws where WebAssembly SIMD is unavailable or switched off.
 */
export function gemmWasm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, B: Float32Array, ldb: number,
  beta: number, C: Float32Array, ldc: number,
): void {
  const wk = wasmKernels();
  if (!wk) throw new Error('gemmWasm: WebAssembly SIMD is unavailable or switched off');
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha === 0) gemmJs(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  else gemmStaged(wk, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

/** Chunk sizes (mb, nb, kb) whose staged operands fit STAGE_FLOATS: halve the largest until they do. */
function chunks(M: number, N: number, K: number): [number, number, number] {
  let mb = M, nb = N, kb = K;
  while (mb * kb + kb * nb + mb * nb > STAGE_FLOATS) {
    if (kb >= mb && kb >= nb) kb = Math.ceil(kb / 2);
    else if (nb >= mb) nb = Math.ceil(nb / 2);
    else mb = Math.ceil(mb / 2);
  }
  return [mb, nb, kb];
}

function gemmStaged(
  wk: WasmKernels, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number,
): void {
  const [mb, nb, kb] = chunks(M, N, K);
  const [pA, pB, pC] = wk.regions(['gemm.A', mb * kb], ['gemm.B', kb * nb], ['gemm.C', mb * nb]);
  const mem = wk.f32();
  for (let i0 = 0; i0 < M; i0 += mb) {
    const m = Math.min(mb, M - i0);
    for (let j0 = 0; j0 < N; j0 += nb) {
      const n = Math.min(nb, N - j0);
      if (beta !== 0) copyBlock(C, ldc, i0, j0, m, n, mem, pC >> 2);
      for (let p0 = 0; p0 < K; p0 += kb) {
        const k = Math.min(kb, K - p0);
        // The staged blocks are compact: leading dims become their column counts.
        if (transA) copyBlock(A, lda, p0, i0, k, m, mem, pA >> 2);
        else copyBlock(A, lda, i0, p0, m, k, mem, pA >> 2);
        if (transB) copyBlock(B, ldb, j0, p0, n, k, mem, pB >> 2);
        else copyBlock(B, ldb, p0, j0, k, n, mem, pB >> 2);
        wk.k.gemm(+transA, +transB, m, n, k, alpha, pA, transA ? m : k, pB, transB ? k : n,
          p0 === 0 ? beta : 1, pC, n, wk.work);
      }
      if (n === ldc) C.set(mem.subarray(pC >> 2, (pC >> 2) + m * n), i0 * ldc);
      else for (let r = 0; r < m; r++) {
        const src = (pC >> 2) + r * n;
        C.set(mem.subarray(src, src + n), (i0 + r) * ldc + j0);
      }
    }
  }
  trimWasmMemory();
}

/** Copies rows [r0, r0+rows) × cols [c0, c0+cols) of a row-major matrix (leading dim ld) compactly to dst[at…]. */
function copyBlock(src: Float32Array, ld: number, r0: number, c0: number, rows: number, cols: number, dst: Float32Array, at: number): void {
  if (cols === ld) {
    const s = r0 * ld;
    dst.set(src.subarray(s, s + rows * cols), at);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = (r0 + r) * ld + c0;
    dst.set(src.subarray(s, s + cols), at + r * cols);
  }
}
