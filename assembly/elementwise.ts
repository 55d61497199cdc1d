// AssemblyScript elementwise kernels over raw pointers, for the engine's JS ops to run on staged chunks
// (engine/ops/wasm/elementwise.ts). Each computes exactly what its JS loop computes, element by element:
// same operations in the same order and precision, no fused multiply-add, so results are bit-identical.

/** out[i] = g[i] · (x[i] > 0 ? 1 : 0): relu's backward (NaN·0 = NaN, as the JS loop's product gives). */
export function reluBackward(x: usize, g: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const mask = v128.and(f32x4.gt(v128.load(x + o), zero), one);
    v128.store(out + o, f32x4.mul(v128.load(g + o), mask));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(out + o, load<f32>(g + o) * (load<f32>(x + o) > 0 ? <f32>1 : <f32>0));
  }
}

/** out[i] = f32(f64(x[i]) · scale + shift): batch norm's normalisation, in float64 as the JS loop does it. */
export function scaleShift(x: usize, out: usize, n: i32, scale: f64, shift: f64): void {
  const sc = f64x2.splat(scale), sh = f64x2.splat(shift);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4, v = v128.load(x + o);
    const lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(v), sc), sh);
    const hi = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), sc), sh);
    v128.store(out + o, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(out + o, <f32>(<f64>load<f32>(x + o) * scale + shift));
  }
}

/**
 * out[i] = f32(k · (f64(g[i]) − mg − (f64(x[i]) − m) · is · mgx)): batch norm's input gradient, the
 * JS loop's operations in its order, in float64.
 */
export function batchNormGradInput(x: usize, g: usize, out: usize, n: i32, k: f64, mg: f64, m: f64, is: f64, mgx: f64): void {
  const K = f64x2.splat(k), MG = f64x2.splat(mg), M = f64x2.splat(m), IS = f64x2.splat(is), MGX = f64x2.splat(mgx);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4, xv = v128.load(x + o), gv = v128.load(g + o);
    const xl = f64x2.promote_low_f32x4(xv), xh = f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1));
    const gl = f64x2.promote_low_f32x4(gv), gh = f64x2.promote_low_f32x4(i32x4.shuffle(gv, gv, 2, 3, 0, 1));
    const lo = f64x2.mul(K, f64x2.sub(f64x2.sub(gl, MG), f64x2.mul(f64x2.mul(f64x2.sub(xl, M), IS), MGX)));
    const hi = f64x2.mul(K, f64x2.sub(f64x2.sub(gh, MG), f64x2.mul(f64x2.mul(f64x2.sub(xh, M), IS), MGX)));
    v128.store(out + o, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const xv = <f64>load<f32>(x + o), gv = <f64>load<f32>(g + o);
    store<f32>(out + o, <f32>(k * (gv - mg - (xv - m) * is * mgx)));
  }
}

/** out[i] = x[i] + y[i] in float32: the JS loop's float64 sum rounds to the same float32 (double rounding is exact for +). */
export function addArrays(x: usize, y: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    v128.store(out + o, f32x4.add(v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(out + o, load<f32>(x + o) + load<f32>(y + o));
  }
}
