// im2col / col2im for 2-D convolution windows: the layout change that turns conv into one GEMM.
// Shared by conv2d (forward: im2col, backward: col2im) and conv_transpose2d (the other way round).
// Index arithmetic only; the window geometry (output sizes) comes from convShape.ts via the callers.

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

/**
 * col[(c·kh + ky)·kw + kx, oy·outW + ox] = img[c, oy·sh − padTop + ky·dh, ox·sw − padLeft + kx·dw] (0 outside).
 * `img` is C×H×W starting at `imgOff`; `col` is (C·kh·kw)×(outH·outW), fully overwritten.
 */
export function im2col(
  img: Float32Array, imgOff: number, C: number, H: number, W: number,
  g: Window2d, outH: number, outW: number, col: Float32Array,
): void {
  const P = outH * outW;
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
        for (let oy = yLo; oy < yHi; oy++) {
          const src = plane + (oy * g.sh - g.padTop + ky * g.dh) * W + kx * g.dw - g.padLeft;
          const dst = base + oy * outW;
          if (g.sw === 1) col.set(img.subarray(src + xLo, src + xHi), dst + xLo);
          else for (let ox = xLo; ox < xHi; ox++) col[dst + ox] = img[src + ox * g.sw];
        }
      }
    }
  }
}

/** The adjoint of im2col: img[c, y, x] += every col entry that im2col would have read from there. */
export function col2im(
  col: Float32Array, C: number, H: number, W: number,
  g: Window2d, outH: number, outW: number, img: Float32Array, imgOff: number,
): void {
  const P = outH * outW;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = imgOff + c * H * W;
    for (let ky = 0; ky < g.kh; ky++) {
      const [yLo, yHi] = validRange(ky, g.sh, g.padTop, g.dh, H, outH);
      for (let kx = 0; kx < g.kw; kx++, row++) {
        const [xLo, xHi] = validRange(kx, g.sw, g.padLeft, g.dw, W, outW);
        if (xLo >= xHi) continue;
        const base = row * P;
        for (let oy = yLo; oy < yHi; oy++) {
          const dst = plane + (oy * g.sh - g.padTop + ky * g.dh) * W + kx * g.dw - g.padLeft;
          const src = base + oy * outW;
          for (let ox = xLo; ox < xHi; ox++) img[dst + ox * g.sw] += col[src + ox];
        }
      }
    }
  }
}
