// AssemblyScript max_pool2d forward (values only) over raw pointers: f32x4.max across four output
// columns where every tap is inside the row (stride 1 or 2, no dilation in x), scalar at the borders.
// Same semantics as engine/ops/maxPool2d.ts: NaN wins a window, empty windows give -Infinity.

@inline function tapLo(o: i32, s: i32, pad: i32, dil: i32, k: i32): i32 {
  const start = o * s - pad;
  return start >= 0 ? 0 : min(k, (-start + dil - 1) / dil);
}
@inline function tapHi(o: i32, s: i32, pad: i32, dil: i32, k: i32, size: i32): i32 {
  const start = o * s - pad;
  if (start > size - 1) return 0;
  return min(k, (size - 1 - start) / dil + 1);
}

/**
 * Output columns [vecLo, vecHi) read all kw taps inside the row: the vector range. With stride 2 the
 * vector load also reads one float past the last tap, which must stay inside the row too.
 */
@inline function vecLo(Wo: i32, sw: i32, pw: i32): i32 {
  let lo = 0;
  while (lo < Wo && (lo * sw - pw < 0)) lo++;
  return lo;
}
@inline function vecHi(lo: i32, W: i32, Wo: i32, kw: i32, sw: i32, pw: i32, dw: i32): i32 {
  const extra = sw == 2 ? 1 : 0;
  let hi = lo;
  while (hi < Wo && hi * sw - pw + (kw - 1) * dw + extra <= W - 1) hi++;
  return hi;
}
/** Four windows' taps at `p` (stride 1) or every other float from `p` (stride 2). */
@inline function windowTaps(p: usize, sw: i32): v128 {
  if (sw == 1) return v128.load(p);
  return i8x16.shuffle(v128.load(p), v128.load(p, 16), 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

export function maxPool2d(
  src: usize, planes: i32, H: i32, W: i32, Ho: i32, Wo: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, dst: usize,
): void {
  const vLo = vecLo(Wo, sw, pw), vHi = vecHi(vLo, W, Wo, kw, sw, pw, dw);
  const vec = dw == 1 && (sw == 1 || sw == 2);
  const negInf = f32x4.splat(-Infinity);
  let o = dst;
  for (let pl = 0; pl < planes; pl++) {
    const base = src + <usize>pl * H * W * 4;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - ph;
      const ky0 = tapLo(oh, sh, ph, dh, kh), ky1 = max(ky0, tapHi(oh, sh, ph, dh, kh, H));
      let ow = 0;
      while (ow < Wo) {
        if (vec && ow >= vLo && ow + 4 <= vHi) {
          let acc = negInf;
          for (let ky = ky0; ky < ky1; ky++) {
            const row = base + <usize>((h0 + ky * dh) * W + ow * sw - pw) * 4;
            for (let kx = 0; kx < kw; kx++) {
              acc = f32x4.max(acc, windowTaps(row + <usize>kx * 4, sw));
            }
          }
          v128.store(o, acc);
          o += 16; ow += 4;
        } else {
          const kx0 = tapLo(ow, sw, pw, dw, kw), kx1 = max(kx0, tapHi(ow, sw, pw, dw, kw, W));
          let best: f32 = -Infinity;
          for (let ky = ky0; ky < ky1; ky++) {
            const row = base + <usize>((h0 + ky * dh) * W + ow * sw - pw) * 4;
            for (let kx = kx0; kx < kx1; kx++) {
              const v = load<f32>(row + <usize>(kx * dw) * 4);
              if (v > best || v != v) best = v;
            }
          }
          store<f32>(o, best);
          o += 4; ow++;
        }
      }
    }
  }
}

/**
 * max_pool2d's backward on `planes` planes: gx (zeroed by the caller) += gy routed to each window's first
 * maximum, chosen as engine/ops/maxPool2d.ts' maxPool2dArgmax chooses it (a NaN wins and stays). Four
 * windows at once where all their taps are inside the row (as maxPool2d does), with lane masks instead of
 * branches: random data mispredicts every compare, and V8 lowers a scalar f32 select to a branch.
 */
export function maxPool2dBackward(
  src: usize, gy: usize, planes: i32, H: i32, W: i32, Ho: i32, Wo: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, gx: usize,
): void {
  const vLo = vecLo(Wo, sw, pw), vHi = vecHi(vLo, W, Wo, kw, sw, pw, dw);
  const vec = dw == 1 && (sw == 1 || sw == 2);
  const lanes = i32x4(0, sw, 2 * sw, 3 * sw);
  let o = gy;
  for (let pl = 0; pl < planes; pl++) {
    const base = <usize>pl * H * W;
    const plane = src + base * 4, gplane = gx + base * 4;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = oh * sh - ph;
      const ky0 = tapLo(oh, sh, ph, dh, kh), ky1 = max(ky0, tapHi(oh, sh, ph, dh, kh, H));
      let ow = 0;
      while (ow < Wo) {
        if (vec && ow >= vLo && ow + 4 <= vHi && ky1 > ky0) {
          let best = f32x4.splat(0), at = i32x4.splat(0), first = true;
          for (let ky = ky0; ky < ky1; ky++) {
            const rowAt = (h0 + ky * dh) * W + ow * sw - pw;
            for (let kx = 0; kx < kw; kx++) {
              const p = plane + <usize>(rowAt + kx) * 4;
              const v = windowTaps(p, sw);
              const idx = i32x4.add(i32x4.splat(rowAt + kx), lanes);
              if (first) { best = v; at = idx; first = false; continue; }
              const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(idx, at, take);
            }
          }
          // in output order, as the JS loop adds (windows share inputs)
          addAt(gplane, i32x4.extract_lane(at, 0), o); addAt(gplane, i32x4.extract_lane(at, 1), o + 4);
          addAt(gplane, i32x4.extract_lane(at, 2), o + 8); addAt(gplane, i32x4.extract_lane(at, 3), o + 12);
          o += 16; ow += 4;
        } else {
          const w0 = ow * sw - pw;
          const kx0 = tapLo(ow, sw, pw, dw, kw), kx1 = max(kx0, tapHi(ow, sw, pw, dw, kw, W));
          let best: f32 = -Infinity, at: i32 = -1;
          for (let ky = ky0; ky < ky1; ky++) {
            const row = (h0 + ky * dh) * W + w0;
            for (let kx = kx0; kx < kx1; kx++) {
              const i = row + kx * dw, v = load<f32>(plane + <usize>i * 4);
              if (v > best || (v != v && best == best) || at < 0) { best = v; at = i; }
            }
          }
          if (at >= 0) addAt(gplane, at, o);
          o += 4; ow++;
        }
      }
    }
  }
}

@inline function addAt(plane: usize, i: i32, g: usize): void {
  const q = plane + <usize>i * 4;
  store<f32>(q, load<f32>(q) + load<f32>(g));
}
