// local_response_norm (F.local_response_norm): y_c = x_c / (k + α/size · Σ_{c' in window(c)} x_{c'}²)^β,
// the window running over channels [c − ⌊size/2⌋, c + ⌊(size−1)/2⌋] clipped to [0, C), divisor always `size`
// (PyTorch pads with zeros and average-pools with count_include_pad). Input [N, C, *].

import { fmtShape, type NdArray } from './tensor';

export interface LocalResponseNormAttrs {
  size: number;
  alpha?: number;
  beta?: number;
  k?: number;
}

function layout(x: readonly number[]): [number, number, number] {
  if (x.length < 3) throw new Error(`local_response_norm expects [N, C, *] with at least 3 dims, got ${fmtShape(x)}`);
  let S = 1;
  for (let i = 2; i < x.length; i++) S *= x[i];
  return [x[0], x[1], S];
}

/** The per-element base k + α/size · (windowed Σ x²), in float64. */
function denominators(x: Float32Array, N: number, C: number, S: number, a: LocalResponseNormAttrs): Float64Array {
  const { size } = a, alpha = a.alpha ?? 1e-4, k = a.k ?? 1;
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  const den = new Float64Array(x.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const lo = Math.max(0, c - before), hi = Math.min(C - 1, c + after);
      for (let s = 0; s < S; s++) {
        let q = 0;
        for (let cc = lo; cc <= hi; cc++) {
          const v = x[(n * C + cc) * S + s];
          q += v * v;
        }
        den[(n * C + c) * S + s] = k + (alpha / size) * q;
      }
    }
  }
  return den;
}

export function localResponseNorm(args: { input: NdArray }, attrs: LocalResponseNormAttrs): NdArray {
  const x = args.input, [N, C, S] = layout(x.shape), beta = attrs.beta ?? 0.75;
  const den = denominators(x.data, N, C, S, attrs);
  const y = new Float32Array(x.data.length);
  for (let i = 0; i < y.length; i++) y[i] = x.data[i] * Math.pow(den[i], -beta);
  return { shape: [...x.shape], data: y };
}

export function localResponseNormBackward(
  gradOutput: NdArray, args: { input: NdArray }, attrs: LocalResponseNormAttrs,
): { input: NdArray } {
  const x = args.input, [N, C, S] = layout(x.shape), beta = attrs.beta ?? 0.75, alpha = attrs.alpha ?? 1e-4;
  const { size } = attrs;
  const den = denominators(x.data, N, C, S, attrs);
  const gy = gradOutput.data;
  // t_c = dy_c · x_c · (−β) · den_c^(−β−1) · α/size; channel j collects 2·x_j · Σ t_c over windows holding j.
  const t = new Float64Array(x.data.length);
  for (let i = 0; i < t.length; i++) t[i] = (gy[i] * x.data[i] * -beta * Math.pow(den[i], -beta - 1) * alpha) / size;
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  const gx = new Float32Array(x.data.length);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < C; j++) {
      const lo = Math.max(0, j - after), hi = Math.min(C - 1, j + before);
      for (let s = 0; s < S; s++) {
        const i = (n * C + j) * S + s;
        let acc = 0;
        for (let c = lo; c <= hi; c++) acc += t[(n * C + c) * S + s];
        gx[i] = gy[i] * Math.pow(den[i], -beta) + 2 * x.data[i] * acc;
      }
    }
  }
  return { input: { shape: [...x.shape], data: gx } };
}
