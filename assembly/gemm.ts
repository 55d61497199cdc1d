// AssemblyScript source of the WebAssembly GEMM (compiled by scripts/buildWasm.mjs into two variants:
// relaxed SIMD and plain SIMD128). Raw pointers into the module's own memory only; the JS side
// (engine/ops/wasm/) owns every allocation, stages operands and picks the variant.

// Blocking (floats): an MR×NR register tile, A blocks of MC×KC (L2), B panels of KC×NC.
// NOTE: 4×8 is the largest tile V8 keeps in registers without FMA: it reserves one of x86's 16 vector
// registers as scratch, and a 6×8 tile (12 accumulators, 2 B, 1 A, 1 product) needs 16: it measured
// 0.4–0.7× of this one (on a busy machine, where identical kernels differ by up to 25 %).
const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** Floats of workspace gemm() needs at `work`: packed A block, packed B panel, one edge tile. */
export function workFloats(): i32 {
  return MC * KC + KC * NC + MR * NR;
}

@inline function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** C[M×N] = alpha·op(A)·op(B) + beta·C, row-major, element strides; pointers are byte addresses. */
export function gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32, alpha: f32,
  pA: usize, lda: i32, pB: usize, ldb: i32, beta: f32, pC: usize, ldc: i32, work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  scale(M, N, beta, pC, ldc);
  if (K <= 0 || alpha == 0) return;
  const packA = work;
  const packB = work + <usize>(MC * KC) * 4;
  const edge = packB + <usize>(KC * NC) * 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packPanelB(transB, pB, ldb, pc, kc, jc, nc, packB);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packPanelA(transA, pA, lda, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bs = packB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cp = pC + (<usize>(ic + ir) * ldc + jc + jr) * 4;
            micro(kc, packA + <usize>(ir * kc) * 4, bs, cp, ldc, alpha, mr, nr, edge);
          }
        }
      }
    }
  }
}

function scale(M: i32, N: i32, beta: f32, pC: usize, ldc: i32): void {
  if (beta == 1) return;
  for (let i = 0; i < M; i++) {
    const row = pC + <usize>i * ldc * 4;
    if (beta == 0) memory.fill(row, 0, <usize>N * 4);
    else for (let j = 0; j < N; j++) store<f32>(row + j * 4, load<f32>(row + j * 4) * beta);
  }
}

/** op(A) rows [i0, i0+mc) × cols [p0, p0+kc) into MR-row slivers, k-major, zero-padded. */
function packPanelA(trans: i32, pA: usize, lda: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  let q = dst;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (trans) {
      // A is K×M: the MR values of one k are adjacent.
      for (let k = 0; k < kc; k++) {
        const src = pA + (<usize>(p0 + k) * lda + i0 + ir) * 4;
        if (mr == MR) v128.store(q, v128.load(src));
        else for (let r = 0; r < MR; r++) store<f32>(q + r * 4, r < mr ? load<f32>(src + r * 4) : 0);
        q += MR * 4;
      }
    } else {
      const r0 = pA + (<usize>(i0 + ir) * lda + p0) * 4;
      const st = <usize>lda * 4;
      if (mr == MR) {
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const s = r0 + <usize>k * 4;
          transpose4(v128.load(s), v128.load(s + st), v128.load(s + 2 * st), v128.load(s + 3 * st), q, 16);
          q += 4 * MR * 4;
        }
        for (; k < kc; k++) {
          const s = r0 + <usize>k * 4;
          store<f32>(q, load<f32>(s));
          store<f32>(q + 4, load<f32>(s + st));
          store<f32>(q + 8, load<f32>(s + 2 * st));
          store<f32>(q + 12, load<f32>(s + 3 * st));
          q += MR * 4;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) store<f32>(q + r * 4, r < mr ? load<f32>(r0 + <usize>r * st + <usize>k * 4) : 0);
          q += MR * 4;
        }
      }
    }
  }
}

/** op(B) rows [p0, p0+kc) × cols [j0, j0+nc) into NR-column slivers, k-major, zero-padded. */
function packPanelB(trans: i32, pB: usize, ldb: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  let q = dst;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    if (!trans) {
      let src = pB + (<usize>p0 * ldb + j0 + jr) * 4;
      const st = <usize>ldb * 4;
      if (nr == NR) {
        for (let k = 0; k < kc; k++) {
          v128.store(q, v128.load(src));
          v128.store(q, v128.load(src, 16), 16);
          q += NR * 4; src += st;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) store<f32>(q + c * 4, c < nr ? load<f32>(src + c * 4) : 0);
          q += NR * 4; src += st;
        }
      }
    } else {
      // B is N×K: column j of op(B) is row j of B.
      const r0 = pB + (<usize>(j0 + jr) * ldb + p0) * 4;
      const st = <usize>ldb * 4;
      let k = 0;
      if (nr == NR) {
        // 4×4 transposes: rows c..c+3, columns k..k+3 become the slivers' k..k+3 entries.
        for (; k + 4 <= kc; k += 4) {
          const s = r0 + <usize>k * 4;
          transpose4(v128.load(s), v128.load(s + st), v128.load(s + 2 * st), v128.load(s + 3 * st), q, 32);
          const s4 = s + 4 * st;
          transpose4(v128.load(s4), v128.load(s4 + st), v128.load(s4 + 2 * st), v128.load(s4 + 3 * st), q + 16, 32);
          q += 4 * NR * 4;
        }
      }
      for (; k < kc; k++) {
        for (let c = 0; c < NR; c++) store<f32>(q + c * 4, c < nr ? load<f32>(r0 + <usize>c * st + <usize>k * 4) : 0);
        q += NR * 4;
      }
    }
  }
}

/** Stores the transpose of the 4×4 block with rows r0..r3 as four vectors `step` bytes apart from dst. */
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const a = i8x16.shuffle(r0, r1, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
  const b = i8x16.shuffle(r2, r3, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
  const c = i8x16.shuffle(r0, r1, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  const d = i8x16.shuffle(r2, r3, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  v128.store(dst, i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
  v128.store(dst + step, i8x16.shuffle(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
  v128.store(dst + 2 * step, i8x16.shuffle(c, d, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
  v128.store(dst + 3 * step, i8x16.shuffle(c, d, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31));
}

/** The 4×8 register tile over one kc-long sliver pair, then C += alpha·tile (clipped to mr×nr). */
@inline function micro(kc: i32, pa: usize, pb: usize, pc: usize, ldc: i32, alpha: f32, mr: i32, nr: i32, edge: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = fma(a, b0, c00); c01 = fma(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = fma(a, b0, c10); c11 = fma(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = fma(a, b0, c20); c21 = fma(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = fma(a, b0, c30); c31 = fma(a, b1, c31);
    pa += 16; pb += 32;
  }
  if (alpha != 1) {
    const al = f32x4.splat(alpha);
    c00 = f32x4.mul(c00, al); c01 = f32x4.mul(c01, al); c10 = f32x4.mul(c10, al); c11 = f32x4.mul(c11, al);
    c20 = f32x4.mul(c20, al); c21 = f32x4.mul(c21, al); c30 = f32x4.mul(c30, al); c31 = f32x4.mul(c31, al);
  }
  const st = <usize>ldc * 4;
  if (mr == MR && nr == NR) {
    let p = pc;
    v128.store(p, f32x4.add(v128.load(p), c00)); v128.store(p, f32x4.add(v128.load(p, 16), c01), 16); p += st;
    v128.store(p, f32x4.add(v128.load(p), c10)); v128.store(p, f32x4.add(v128.load(p, 16), c11), 16); p += st;
    v128.store(p, f32x4.add(v128.load(p), c20)); v128.store(p, f32x4.add(v128.load(p, 16), c21), 16); p += st;
    v128.store(p, f32x4.add(v128.load(p), c30)); v128.store(p, f32x4.add(v128.load(p, 16), c31), 16);
    return;
  }
  v128.store(edge, c00); v128.store(edge, c01, 16); v128.store(edge, c10, 32); v128.store(edge, c11, 48);
  v128.store(edge, c20, 64); v128.store(edge, c21, 80); v128.store(edge, c30, 96); v128.store(edge, c31, 112);
  for (let r = 0; r < mr; r++) {
    for (let c = 0; c < nr; c++) {
      const p = pc + <usize>r * st + <usize>c * 4;
      store<f32>(p, load<f32>(p) + load<f32>(edge + (r * NR + c) * 4));
    }
  }
}
