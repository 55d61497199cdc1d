// AssemblyScript epilogues applied to a kernel's output while it is still in the module's memory (before
// it is copied out): ReLU as F.relu computes it. NOTE: f32x4.max(v, 0) gives NaN for NaN (as PyTorch's
// relu does) and +0 for −0 (as engine/ops/relu.ts does).

export function reluInPlace(p: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = p + <usize>i * 4;
    v128.store(q, f32x4.max(v128.load(q), zero));
  }
  for (; i < n; i++) {
    const q = p + <usize>i * 4;
    store<f32>(q, f32x4.extract_lane(f32x4.max(f32x4.splat(load<f32>(q)), zero), 0));
  }
}
