// The engine's one seeded generator, mulberry32 (32-bit state, one multiply-xorshift mix per draw): small,
// fast and the same on every platform. Dropout masks, default initialisation and test data draw from it;
// it is not PyTorch's generator, so seeded values never match PyTorch's bit for bit.

/** What each draw adds to the state. */
export const MULBERRY32_STEP = 0x6d2b79f5;

/** The 32-bit output for state `s` (the state after its step), as an unsigned integer. */
export function mulberry32Bits(s: number): number {
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + MULBERRY32_STEP) >>> 0;
    return mulberry32Bits(s) / 4294967296;
  };
}
