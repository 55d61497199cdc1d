// conv2d / conv_transpose2d band loops on the WebAssembly kernels: image rows staged into the module's
// memory, im2col / col2im and the GEMMs there, results copied back. Same layout and band split as the JS
// path in conv2d.ts / convTranspose2d.ts (im2col.ts stays the reference); one sample and group per call.

import type { Window2d } from '../im2col';
import { trimWasmMemory, type WasmKernels } from './wasmKernels';

/** An image of C planes H×W, its column grid outH×outW under `win`, and the band height in grid rows. */
export interface ColGeometry {
  C: number; H: number; W: number; win: Window2d; outH: number; outW: number; rows: number;
}

const kc = (g: ColGeometry) => g.C * g.win.kh * g.win.kw;

/**
 * Floats of column buffer per band on this path. NOTE: far below im2col.ts' COL_BUDGET: a band whose
 * columns stay in L2 is packed by the GEMM straight from cache (conv 3×3 64→64 @56: 5.6 ms instead of
 * 8–10 ms with one 7 MB band).
 */
const WASM_COL_FLOATS = 1 << 18;

/** Grid rows per band: a (Kc)×(rows·outW) column buffer of at most WASM_COL_FLOATS floats, at least one row. */
export function wasmBandRows(Kc: number, outH: number, outW: number): number {
  return Math.max(1, Math.min(outH, Math.floor(WASM_COL_FLOATS / Math.max(1, Kc * outW))));
}

/** Image rows [y0, y1) that grid rows [oy0, oy1) read, clipped to the image. */
function rowsRead(g: ColGeometry, oy0: number, oy1: number): [number, number] {
  const y0 = Math.max(0, oy0 * g.win.sh - g.win.padTop);
  const y1 = Math.min(g.H, (oy1 - 1) * g.win.sh - g.win.padTop + (g.win.kh - 1) * g.win.dh + 1);
  return [y0, Math.max(y0, y1)];
}

const maxRowsRead = (g: ColGeometry) => Math.min(g.H, (g.rows - 1) * g.win.sh + (g.win.kh - 1) * g.win.dh + 1);

/** Copies rows [y0, y1) of C planes (H·W apart, from `off`) to or from the compact staged copy at `at`. */
function moveRows(g: ColGeometry, img: Float32Array, off: number, y0: number, y1: number, mem: Float32Array, at: number, toWasm: boolean): void {
  const n = (y1 - y0) * g.W;
  for (let c = 0; c < g.C; c++) {
    const s = off + c * g.H * g.W + y0 * g.W, d = at + c * n;
    if (toWasm) mem.set(img.subarray(s, s + n), d);
    else img.set(mem.subarray(d, d + n), s);
  }
}

/** Copies `rows` rows of `n` floats between a matrix with leading dim `ld` (from `off`) and a compact copy. */
function moveCols(m: Float32Array, off: number, ld: number, rows: number, n: number, mem: Float32Array, at: number, toWasm: boolean): void {
  for (let r = 0; r < rows; r++) {
    const s = off + r * ld, d = at + r * n;
    if (toWasm) mem.set(m.subarray(s, s + n), d);
    else m.set(mem.subarray(d, d + n), s);
  }
}

function im2colBand(wk: WasmKernels, g: ColGeometry, img: number, y0: number, y1: number, col: number, oy0: number, oy1: number): void {
  const w = g.win;
  wk.k.im2col(img, g.C, g.H, g.W, (y1 - y0) * g.W, y0, w.kh, w.kw, w.sh, w.sw, w.padTop, w.padLeft, w.dh, w.dw, g.outW, col, oy0, oy1);
}

function col2imBand(wk: WasmKernels, g: ColGeometry, col: number, y0: number, y1: number, img: number, oy0: number, oy1: number): void {
  const w = g.win;
  wk.k.col2im(col, g.C, g.H, g.W, (y1 - y0) * g.W, y0, w.kh, w.kw, w.sh, w.sw, w.padTop, w.padLeft, w.dh, w.dw, g.outW, img, oy0, oy1);
}

/**
 * Floats of the weight (and of its gradient) staged at once. NOTE: a wider layer runs as blocks of whole
 * GEMM rows (or, for wᵀ·mat, whole output rows), each element's sum unchanged (the same bits), so every
 * thread's memory holds 2 MB of weights instead of ResNet-18's largest 9.4 MB twice over.
 */
const WASM_W_FLOATS = 1 << 19;
/** Multiple the blocks are cut at: the GEMM's row block (MC). */
const W_BLOCK = 64;

/** Rows of w[M, K] staged at once for w·col and mat·colᵀ: all of them, or a multiple of W_BLOCK within WASM_W_FLOATS. */
const wRows = (M: number, K: number): number => (M * K <= WASM_W_FLOATS ? M : Math.min(M, Math.max(W_BLOCK, Math.floor(WASM_W_FLOATS / K / W_BLOCK) * W_BLOCK)));
/** Columns of w[M, K] staged at once for wᵀ·mat (rows of its product): likewise. */
const wCols = (M: number, K: number): number => (M * K <= WASM_W_FLOATS ? K : Math.min(K, Math.max(W_BLOCK, Math.floor(WASM_W_FLOATS / M / W_BLOCK) * W_BLOCK)));

interface Regions { img: number; col: number; w: number; mat: number; gw: number; mem: Float32Array }

/** Every region one call needs, sized for its largest band and weight block, before the first view is taken. */
function regions(wk: WasmKernels, g: ColGeometry, M: number): Regions {
  const Pb = g.rows * g.outW, K = kc(g), mb = wRows(M, K);
  const [img, col, w, mat, gw] = wk.regions(['conv.img', g.C * maxRowsRead(g) * g.W], ['conv.col', K * Pb],
    ['conv.w', Math.max(mb * K, M * wCols(M, K))], ['conv.mat', M * Pb], ['conv.gw', mb * K]);
  return { img, col, w, mat, gw, mem: wk.f32() };
}

/**
 * Rows [r0, r1) of out[M, outH·outW] (leading dim outH·outW, from outOff) = w[M, Kc] · im2col(img) + bias,
 * then ReLU with `relu`: conv2d's forward (and its fused conv + ReLU).
 */
export function imageToMatrix(
  wk: WasmKernels, g: ColGeometry, img: Float32Array, imgOff: number, w: Float32Array, M: number,
  out: Float32Array, outOff: number, r0 = 0, r1 = g.outH, bias?: Float32Array, relu = false,
): void {
  const K = kc(g), P = g.outH * g.outW, r = regions(wk, g, M), mb = wRows(M, K);
  if (mb === M) r.mem.set(w.subarray(0, M * K), r.w >> 2);
  for (let oy0 = r0; oy0 < r1; oy0 += g.rows) {
    const oy1 = Math.min(r1, oy0 + g.rows), Pb = (oy1 - oy0) * g.outW, [y0, y1] = rowsRead(g, oy0, oy1);
    moveRows(g, img, imgOff, y0, y1, r.mem, r.img >> 2, true);
    im2colBand(wk, g, r.img, y0, y1, r.col, oy0, oy1);
    for (let m0 = 0; m0 < M; m0 += mb) {
      const m = Math.min(mb, M - m0);
      if (mb < M) r.mem.set(w.subarray(m0 * K, (m0 + m) * K), r.w >> 2);
      // The bias enters as C's initial value (beta = 1): no separate pass over the output.
      if (bias) for (let i = 0; i < m; i++) r.mem.fill(bias[m0 + i], (r.mat >> 2) + i * Pb, (r.mat >> 2) + (i + 1) * Pb);
      wk.k.gemm(0, 0, m, Pb, K, 1, r.w, K, r.col, Pb, bias ? 1 : 0, r.mat, Pb, wk.work);
      if (relu) wk.k.reluInPlace(r.mat, m * Pb); // while the band is in cache: no pass over the output later
      moveCols(out, outOff + m0 * P + oy0 * g.outW, P, m, Pb, r.mem, r.mat >> 2, false);
    }
  }
  trimWasmMemory();
}

/** img += col2im(w[M, Kc]ᵀ · mat[M, outH·outW]): conv2d's input gradient, conv_transpose2d's forward. */
export function matrixToImage(wk: WasmKernels, g: ColGeometry, mat: Float32Array, matOff: number, w: Float32Array, M: number, img: Float32Array, imgOff: number): void {
  const K = kc(g), P = g.outH * g.outW, r = regions(wk, g, M), kb = wCols(M, K);
  if (kb === K) r.mem.set(w.subarray(0, M * K), r.w >> 2);
  for (let oy0 = 0; oy0 < g.outH; oy0 += g.rows) {
    const oy1 = Math.min(g.outH, oy0 + g.rows), Pb = (oy1 - oy0) * g.outW, [y0, y1] = rowsRead(g, oy0, oy1);
    moveCols(mat, matOff + oy0 * g.outW, P, M, Pb, r.mem, r.mat >> 2, true);
    // rows [k0, k0 + k) of col from columns [k0, k0 + k) of w: the sum over M of each element unchanged
    for (let k0 = 0; k0 < K; k0 += kb) {
      const k = Math.min(kb, K - k0);
      if (kb < K) moveCols(w, k0, K, M, k, r.mem, r.w >> 2, true);
      wk.k.gemm(1, 0, k, Pb, M, 1, r.w, k, r.mat, Pb, 0, r.col + k0 * Pb * 4, Pb, wk.work);
    }
    // Bands overlap in image rows: stage the rows with what earlier bands added, add, copy back.
    moveRows(g, img, imgOff, y0, y1, r.mem, r.img >> 2, true);
    col2imBand(wk, g, r.col, y0, y1, r.img, oy0, oy1);
    moveRows(g, img, imgOff, y0, y1, r.mem, r.img >> 2, false);
  }
  trimWasmMemory();
}

/**
 * gw[M, Kc] += mat[M, outH·outW] · im2col(img)ᵀ (conv2d's weight gradient; with `accumulate` false,
 * gw = … instead, which skips staging gw's old contents) and, with `wOut`, also out = w · im2col(img)
 * (conv_transpose2d's input gradient) from the same column buffer.
 */
export function weightGrad(
  wk: WasmKernels, g: ColGeometry, img: Float32Array, imgOff: number, mat: Float32Array, matOff: number, M: number,
  gw: Float32Array, wOut?: { w: Float32Array; out: Float32Array; outOff: number }, accumulate = true,
): void {
  const K = kc(g), P = g.outH * g.outW, r = regions(wk, g, M), mb = wRows(M, K), whole = mb === M;
  if (whole && accumulate) r.mem.set(gw.subarray(0, M * K), r.gw >> 2);
  if (whole && wOut) r.mem.set(wOut.w.subarray(0, M * K), r.w >> 2);
  for (let oy0 = 0; oy0 < g.outH; oy0 += g.rows) {
    const oy1 = Math.min(g.outH, oy0 + g.rows), Pb = (oy1 - oy0) * g.outW, [y0, y1] = rowsRead(g, oy0, oy1);
    moveRows(g, img, imgOff, y0, y1, r.mem, r.img >> 2, true);
    im2colBand(wk, g, r.img, y0, y1, r.col, oy0, oy1);
    moveCols(mat, matOff + oy0 * g.outW, P, M, Pb, r.mem, r.mat >> 2, true);
    // Blocks of rows [m0, m0 + m) of gw (accumulated band after band, so staged in and out per band when
    // the weight does not fit whole) and of w; the block's output overwrites the rows of mat it has read.
    // Without `accumulate` the first band overwrites gw (beta = 0): nothing of gw is staged in for it.
    const add = accumulate || oy0 > 0;
    for (let m0 = 0; m0 < M; m0 += mb) {
      const m = Math.min(mb, M - m0), matRows = r.mat + m0 * Pb * 4;
      if (!whole && add) r.mem.set(gw.subarray(m0 * K, (m0 + m) * K), r.gw >> 2);
      wk.k.gemm(0, 1, m, K, Pb, 1, matRows, Pb, r.col, Pb, add ? 1 : 0, r.gw, K, wk.work);
      if (!whole) gw.set(r.mem.subarray(r.gw >> 2, (r.gw >> 2) + m * K), m0 * K);
      if (wOut) {
        if (!whole) r.mem.set(wOut.w.subarray(m0 * K, (m0 + m) * K), r.w >> 2);
        wk.k.gemm(0, 0, m, Pb, K, 1, r.w, K, r.col, Pb, 0, matRows, Pb, wk.work);
        moveCols(wOut.out, wOut.outOff + m0 * P + oy0 * g.outW, P, m, Pb, r.mem, matRows >> 2, false);
      }
    }
  }
  if (whole) gw.set(r.mem.subarray(r.gw >> 2, (r.gw >> 2) + M * K));
  trimWasmMemory();
}
