// im2col / col2im for 2-D convolution windows: the layout change that turns conv into one GEMM.
// Shared by conv2d (forward: im2col, backward: col2im) and conv_transpose2d (the other way round).
// Index arithmetic only; the window geometry (output sizes) comes from convShape.ts via the callers.
// Both work on a band of output rows [oy0, oy1) so callers can bound the column buffer's size.

/** Window geometry of one 2-D convolution; padTop/padLeft are the leading pads (trailing ones are implied). */
export interface Window2d {
  kh: number; kw: number;
  sh: number; sw: number;
  padTop: number; padLeft: number;
  dh: number; dw: number;
}

/** First and one-past-last output column whose tap `k` lands inside [0, size). */
function validRange(k: number, stride: number, pad: number, dil: number, size: number, outSize: number): [number, number] {
  const shift = k * dil - pad;
  const lo = Math.max(0, Math.ceil(-shift / stride));
  const hi = Math.min(outSize, Math.floor((size - 1 - shift) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Upper bound on a column buffer (floats); conv kernels split the output rows into bands below it. */
export const COL_BUDGET = 1 << 21;

/** Output rows per band so that a (rowsK)×(rows·outW) column buffer stays within COL_BUDGET. */
export function bandRows(rowsK: number, outH: number, outW: number): number {
  return Math.max(1, Math.min(outH, Math.floor(COL_BUDGET / Math.max(1, rowsK * outW))));
}

const scratch: Float32Array[] = [];

/**
 * A reusable buffer of `n` floats for slot `slot` (contents undefined). Kernels are synchronous, so
 * reusing one buffer per purpose avoids allocating (and page-faulting) megabytes on every call.
 */
export function scratchBuffer(slot: number, n: number): Float32Array {
  if (!scratch[slot] || scratch[slot].length < n) scratch[slot] = new Float32Array(n);
  return scratch[slot].subarray(0, n);
}

/**
 * col[(c·kh + ky)·kw + kx, (oy − oy0)·outW + ox] = img[c, oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw]
 * (0 outside) for output rows oy in [oy0, oy1). `img` is C×H×W at `imgOff`; `col` is fully overwritten.
 */
export function im2col(
  img: Float32Array, imgOff: number, C: number, H: number, W: number,
  g: Window2d, outH: number, outW: number, col: Float32Array, oy0 = 0, oy1 = outH,
): void {
  const P = (oy1 - oy0) * outW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = imgOff + c * H * W;
    for (let ky = 0; ky < g.kh; ky++) {
      const [yLo, yHi] = validRange(ky, g.sh, g.padTop, g.dh, H, outH);
      for (let kx = 0; kx < g.kw; kx++, row++) {
        const [xLo, xHi] = validRange(kx, g.sw, g.padLeft, g.dw, W, outW);
        const base = row * P;
        col.fill(0, base, base + P);
        if (xLo >= xHi) continue;
        for (let oy = Math.max(yLo, oy0); oy < Math.min(yHi, oy1); oy++) {
          const src = plane + (oy * g.sh - g.padTop + ky * g.dh) * W + kx * g.dw - g.padLeft;
          const dst = base + (oy - oy0) * outW;
          if (g.sw === 1) col.set(img.subarray(src + xLo, src + xHi), dst + xLo);
          else for (let ox = xLo; ox < xHi; ox++) col[dst + ox] = img[src + ox * g.sw];
        }
      }
    }
  }
}

/** The adjoint of im2col (same band): img[c, y, x] += every col entry im2col would have read from there. */
export function col2im(
  col: Float32Array, C: number, H: number, W: number,
  g: Window2d, outH: number, outW: number, img: Float32Array, imgOff: number, oy0 = 0, oy1 = outH,
): void {
  const P = (oy1 - oy0) * outW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = imgOff + c * H * W;
    for (let ky = 0; ky < g.kh; ky++) {
      const [yLo, yHi] = validRange(ky, g.sh, g.padTop, g.dh, H, outH);
      for (let kx = 0; kx < g.kw; kx++, row++) {
        const [xLo, xHi] = validRange(kx, g.sw, g.padLeft, g.dw, W, outW);
        if (xLo >= xHi) continue;
        const base = row * P;
        for (let oy = Math.max(yLo, oy0); oy < Math.min(yHi, oy1); oy++) {
          const dst = plane + (oy * g.sh - g.padTop + ky * g.dh) * W + kx * g.dw - g.padLeft;
          const src = base + (oy - oy0) * outW;
          for (let ox = xLo; ox < xHi; ox++) img[dst + ox * g.sw] += col[src + ox];
        }
      }
    }
  }
}
