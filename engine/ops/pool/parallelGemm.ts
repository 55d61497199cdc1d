// gemm over the threads of a compute pool: the caller computes the first slice of C synchronously while
// the workers compute the others. Splits C by columns (or by rows when it is taller than wide); each
// worker gets compact copies of just its operands (in shared memory when the pool has it).

import { gemm } from '../gemm';
import type { ComputePool } from './pool';

/** Below this many multiply-adds a second thread costs more (messages, copies) than it saves. */
const PARALLEL_MIN_MACS = 1 << 21;

/** [start, end) of each of `parts` slices of n, sizes multiples of `align` where possible. */
export function splitRange(n: number, parts: number, align = 1): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let s = 0;
  for (let t = 0; t < parts; t++) {
    const e = t === parts - 1 ? n : Math.min(n, Math.round((n * (t + 1)) / parts / align) * align);
    out.push([s, Math.max(s, e)]);
    s = Math.max(s, e);
  }
  return out.filter(([a, b]) => b > a);
}

/** Compact copy of rows [r0, r0+rows) × cols [c0, c0+cols) of a row-major matrix into `dst`. */
function take(src: Float32Array, ld: number, r0: number, c0: number, rows: number, cols: number, dst: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) {
    const s = (r0 + r) * ld + c0;
    dst.set(src.subarray(s, s + cols), r * cols);
  }
  return dst;
}

/** Writes a compact rows×cols block back at (r0, c0) of a row-major matrix. */
function put(block: Float32Array, dst: Float32Array, ld: number, r0: number, c0: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) dst.set(block.subarray(r * cols, (r + 1) * cols), (r0 + r) * ld + c0);
}

/**
 * gemm() (same arguments and result) on up to pool.threads threads; without a pool, or for small
 * products, it is gemm() itself. C must not alias A or B.
 */
export async function parallelGemm(
  pool: ComputePool | undefined, transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number,
): Promise<void> {
  const threads = pool ? pool.threads : 1;
  if (!pool || threads <= 1 || K <= 0 || M * N * K < PARALLEL_MIN_MACS) {
    gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  const byCols = N >= M;
  const parts = splitRange(byCols ? N : M, threads, byCols ? 8 : 4);
  // Whole operands a worker needs, copied once (rows × ld floats as stored).
  const whole = (X: Float32Array, rows: number, cols: number, ld: number) => take(X, ld, 0, 0, rows, cols, pool.alloc(rows * cols));
  const sharedA = byCols ? whole(A, transA ? K : M, transA ? M : K, lda) : undefined;
  const sharedB = byCols ? undefined : whole(B, transB ? N : K, transB ? K : N, ldb);
  const jobs = parts.slice(1).map(async ([s, e], w) => {
    const n = e - s;
    let a: Float32Array, b: Float32Array, c: Float32Array, m: number, nn: number;
    if (byCols) {
      m = M; nn = n; a = sharedA!;
      b = transB ? take(B, ldb, s, 0, n, K, pool.alloc(n * K)) : take(B, ldb, 0, s, K, n, pool.alloc(K * n));
      c = pool.alloc(M * n);
      if (beta !== 0) take(C, ldc, 0, s, M, n, c);
    } else {
      m = n; nn = N; b = sharedB!;
      a = transA ? take(A, lda, 0, s, K, n, pool.alloc(K * n)) : take(A, lda, s, 0, n, K, pool.alloc(n * K));
      c = pool.alloc(n * N);
      if (beta !== 0) take(C, ldc, s, 0, n, N, c);
    }
    const lda2 = byCols ? (transA ? M : K) : (transA ? n : K), ldb2 = byCols ? (transB ? K : n) : (transB ? K : N);
    const task = { op: 'gemm' as const, transA, transB, M: m, N: nn, K, alpha, A: a, lda: lda2, B: b, ldb: ldb2, beta, C: c, ldc: nn };
    const outs = await pool.run(w, task, pool.shared ? [c] : undefined, [c, byCols ? b : a]);
    const result = pool.shared ? c : outs[0];
    if (byCols) put(result, C, ldc, 0, s, M, n);
    else put(result, C, ldc, s, 0, n, N);
    pool.release(c, byCols ? b : a);
  });
  const [s0, e0] = parts[0];
  if (byCols) gemm(transA, transB, M, e0 - s0, K, alpha, A, lda, transB ? B.subarray(s0 * ldb) : B.subarray(s0), ldb, beta, C.subarray(s0), ldc);
  else gemm(transA, transB, e0 - s0, N, K, alpha, transA ? A.subarray(s0) : A.subarray(s0 * lda), lda, B, ldb, beta, C.subarray(s0 * ldc), ldc);
  try {
    await Promise.all(jobs);
  } finally {
    pool.release(...[sharedA, sharedB].filter((t): t is Float32Array => t !== undefined));
  }
}

/** The same as parallelGemm: the asynchronous spelling of gemm() for callers that await. */
export const gemmAsync = parallelGemm;
