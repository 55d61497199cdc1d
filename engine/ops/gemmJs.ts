// The plain-JS GEMM (GotoBLAS layout: packed panels + a 4×4 register tile): the fallback where WebAssembly
// SIMD is unavailable, and the kernel for tiny products. Callers go through gemm.ts, never here directly.
// No allocation per call beyond the two module-level packing buffers.

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;

// Packed panels are float64 so the micro-kernel reads doubles without a conversion per load.
const packA = new Float64Array(MC * KC);
const packB = new Float64Array(KC * NC);
const edge = new Float64Array(MR * NR);

/**
 * C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C, all row-major with leading dims lda/ldb/ldc.
 * op(A) = A (M×K, lda ≥ K) or, with transA, Aᵀ where A is K×M (lda ≥ M). Same for B.
 * With beta = 0, C is overwritten (NaNs in C do not survive), as BLAS specifies.
 * Pass `subarray` views to start at an offset.
 */
export function gemmJs(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, lda: number, B: Float32Array, ldb: number,
  beta: number, C: Float32Array, ldc: number,
): void {
  if (M <= 0 || N <= 0) return;
  scaleC(M, N, beta, C, ldc);
  if (K <= 0 || alpha === 0) return;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanelB(transB, B, ldb, pc, kc, jc, nc);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanelA(transA, A, lda, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            micro4x4(kc, packA, ir * kc, packB, jr * kc, C, (ic + ir) * ldc + jc + jr, ldc, alpha, mr, nr);
          }
        }
      }
    }
  }
}

function scaleC(M: number, N: number, beta: number, C: Float32Array, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < M; i++) {
    const row = i * ldc;
    if (beta === 0) C.fill(0, row, row + N);
    else for (let j = row; j < row + N; j++) C[j] *= beta;
  }
}

/** Packs rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into MR-row slivers, k-major, zero-padded. */
function packPanelA(trans: boolean, A: Float32Array, lda: number, i0: number, mc: number, p0: number, kc: number): void {
  const pa = packA;
  let q = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    for (let k = 0; k < kc; k++) {
      for (let r = 0; r < MR; r++) {
        if (r < mr) {
          const i = i0 + ir + r, kk = p0 + k;
          pa[q++] = trans ? A[kk * lda + i] : A[i * lda + kk];
        } else pa[q++] = 0;
      }
    }
  }
}

/** Packs rows [p0, p0+kc) × cols [j0, j0+nc) of op(B) into NR-column slivers, k-major, zero-padded. */
function packPanelB(trans: boolean, B: Float32Array, ldb: number, p0: number, kc: number, j0: number, nc: number): void {
  const pb = packB;
  let q = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    for (let k = 0; k < kc; k++) {
      const kk = p0 + k;
      for (let c = 0; c < NR; c++) {
        if (c < nr) {
          const j = j0 + jr + c;
          pb[q++] = trans ? B[j * ldb + kk] : B[kk * ldb + j];
        } else pb[q++] = 0;
      }
    }
  }
}

/** The register tile: 16 accumulators over one kc-long sliver pair, then C += alpha·tile (clipped to mr×nr). */
function micro4x4(
  kc: number, pa: Float64Array, ai: number, pb: Float64Array, bi: number,
  C: Float32Array, c0: number, ldc: number, alpha: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0; k < kc; k++, ai += 4, bi += 4) {
    const a0 = pa[ai], a1 = pa[ai + 1], a2 = pa[ai + 2], a3 = pa[ai + 3];
    const b0 = pb[bi], b1 = pb[bi + 1], b2 = pb[bi + 2], b3 = pb[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    let p = c0;
    C[p] += alpha * c00; C[p + 1] += alpha * c01; C[p + 2] += alpha * c02; C[p + 3] += alpha * c03;
    p += ldc;
    C[p] += alpha * c10; C[p + 1] += alpha * c11; C[p + 2] += alpha * c12; C[p + 3] += alpha * c13;
    p += ldc;
    C[p] += alpha * c20; C[p + 1] += alpha * c21; C[p + 2] += alpha * c22; C[p + 3] += alpha * c23;
    p += ldc;
    C[p] += alpha * c30; C[p + 1] += alpha * c31; C[p + 2] += alpha * c32; C[p + 3] += alpha * c33;
    return;
  }
  const t = edge;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23; t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let r = 0; r < mr; r++) for (let c = 0; c < nr; c++) C[c0 + r * ldc + c] += alpha * t[r * 4 + c];
}
