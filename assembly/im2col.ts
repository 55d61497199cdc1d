// AssemblyScript im2col / col2im over raw pointers: the same layout as engine/ops/im2col.ts (which stays
// the reference and the JS fallback), on a band of output rows [oy0, oy1). The staged image holds only
// input rows [y0, y0 + rows) of each channel, `plane` floats apart; callers stage every row a band reads.

@inline function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

/** First (lo) and one-past-last (hi) output index whose tap k·dil − pad lands inside [0, size). */
@inline function lo(k: i32, stride: i32, pad: i32, dil: i32): i32 {
  return max(0, -floorDiv(k * dil - pad, stride));
}
@inline function hi(k: i32, stride: i32, pad: i32, dil: i32, size: i32, outSize: i32): i32 {
  return min(outSize, floorDiv(size - 1 - (k * dil - pad), stride) + 1);
}

/** col[(c·kh + ky)·kw + kx, (oy − oy0)·outW + ox] = img[c, oy·sh − padT + ky·dh, ox·sw − padL + kx·dw] (0 outside). */
export function im2col(
  img: usize, C: i32, H: i32, W: i32, plane: i32, y0: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32,
  outW: i32, col: usize, oy0: i32, oy1: i32,
): void {
  const P = (oy1 - oy0) * outW;
  let dst = col;
  for (let c = 0; c < C; c++) {
    const chan = img + <usize>(c * plane) * 4;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const xLo = lo(kx, sw, padL, dw), xHi = max(xLo, hi(kx, sw, padL, dw, W, outW));
        for (let oy = oy0; oy < oy1; oy++) {
          const iy = oy * sh - padT + ky * dh;
          if (iy < 0 || iy >= H || xLo >= xHi) {
            memory.fill(dst, 0, <usize>outW * 4);
          } else {
            if (xLo > 0) memory.fill(dst, 0, <usize>xLo * 4);
            const src = chan + <usize>((iy - y0) * W + xLo * sw + kx * dw - padL) * 4;
            if (sw == 1) memory.copy(dst + <usize>xLo * 4, src, <usize>(xHi - xLo) * 4);
            else {
              let ox = xLo;
              // Stride 2: four outputs from two loads and a shuffle of the even lanes. The loads reach one
              // float past output ox+3's tap, which output ox+4 (< xHi) guarantees is inside the image.
              if (sw == 2) {
                for (; ox + 4 < xHi; ox += 4) {
                  const s = src + <usize>((ox - xLo) * 2) * 4;
                  v128.store(dst + <usize>ox * 4, i8x16.shuffle(v128.load(s), v128.load(s, 16), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27));
                }
              }
              for (; ox < xHi; ox++) store<f32>(dst + <usize>ox * 4, load<f32>(src + <usize>((ox - xLo) * sw) * 4));
            }
            if (xHi < outW) memory.fill(dst + <usize>xHi * 4, 0, <usize>(outW - xHi) * 4);
          }
          dst += <usize>outW * 4;
        }
      }
    }
  }
  assert(dst == col + <usize>(C * kh * kw * P) * 4);
}

/** The adjoint of im2col on the same band: img[c, y, x] += every col entry im2col would have read there. */
export function col2im(
  col: usize, C: i32, H: i32, W: i32, plane: i32, y0: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padT: i32, padL: i32, dh: i32, dw: i32,
  outW: i32, img: usize, oy0: i32, oy1: i32,
): void {
  let src = col;
  for (let c = 0; c < C; c++) {
    const chan = img + <usize>(c * plane) * 4;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const xLo = lo(kx, sw, padL, dw), xHi = max(xLo, hi(kx, sw, padL, dw, W, outW));
        for (let oy = oy0; oy < oy1; oy++) {
          const iy = oy * sh - padT + ky * dh;
          if (iy >= 0 && iy < H && xLo < xHi) {
            const d = chan + <usize>((iy - y0) * W + xLo * sw + kx * dw - padL) * 4;
            const s = src + <usize>xLo * 4;
            const n = xHi - xLo;
            if (sw == 1) {
              let i = 0;
              for (; i + 4 <= n; i += 4) {
                const o = <usize>i * 4;
                v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
              }
              for (; i < n; i++) store<f32>(d + <usize>i * 4, load<f32>(d + <usize>i * 4) + load<f32>(s + <usize>i * 4));
            } else {
              for (let i = 0; i < n; i++) {
                const o = d + <usize>(i * sw) * 4;
                store<f32>(o, load<f32>(o) + load<f32>(s + <usize>i * 4));
              }
            }
          }
          src += <usize>outW * 4;
        }
      }
    }
  }
}
