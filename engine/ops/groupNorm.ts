// group_norm (F.group_norm): per sample, C channels in num_groups contiguous groups, each normalised
// over (C/G, *) with the biased variance; per-channel affine. Statistics in float64.

import { fmtShape, type NdArray } from './tensor';

export interface GroupNormArgs {
  input: NdArray;
  weight?: NdArray;
  bias?: NdArray;
}

export interface GroupNormAttrs {
  num_groups: number;
  eps?: number;
}

interface Layout { N: number; C: number; S: number; G: number; Cg: number; D: number }

function layout(x: readonly number[], G: number): Layout {
  if (x.length < 2 || x[1] % G !== 0) throw new Error(`group_norm: ${G} groups do not divide the channels of ${fmtShape(x)}`);
  let S = 1;
  for (let i = 2; i < x.length; i++) S *= x[i];
  const Cg = x[1] / G;
  return { N: x[0], C: x[1], S, G, Cg, D: Cg * S };
}

/** Mean and inverse std per (sample, group); a group is a contiguous run of D = C/G·S values. */
function groupStats(x: Float32Array, L: Layout, eps: number): [Float64Array, Float64Array] {
  const R = L.N * L.G;
  const mean = new Float64Array(R), invstd = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let i = r * L.D; i < (r + 1) * L.D; i++) s += x[i];
    const m = s / L.D;
    let q = 0;
    for (let i = r * L.D; i < (r + 1) * L.D; i++) q += (x[i] - m) * (x[i] - m);
    mean[r] = m;
    invstd[r] = 1 / Math.sqrt(q / L.D + eps);
  }
  return [mean, invstd];
}

export function groupNorm(args: GroupNormArgs, attrs: GroupNormAttrs): NdArray {
  const x = args.input, L = layout(x.shape, attrs.num_groups);
  const [mean, invstd] = groupStats(x.data, L, attrs.eps ?? 1e-5);
  const y = new Float32Array(x.data.length);
  for (let n = 0; n < L.N; n++) {
    for (let c = 0; c < L.C; c++) {
      const r = n * L.G + Math.floor(c / L.Cg);
      const scale = invstd[r] * (args.weight ? args.weight.data[c] : 1);
      const shift = (args.bias ? args.bias.data[c] : 0) - mean[r] * scale;
      for (let i = (n * L.C + c) * L.S, e = i + L.S; i < e; i++) y[i] = x.data[i] * scale + shift;
    }
  }
  return { shape: [...x.shape], data: y };
}

export function groupNormBackward(
  gradOutput: NdArray, args: GroupNormArgs, attrs: GroupNormAttrs,
): { input: NdArray; weight?: NdArray; bias?: NdArray } {
  const x = args.input, L = layout(x.shape, attrs.num_groups), gy = gradOutput.data;
  const [mean, invstd] = groupStats(x.data, L, attrs.eps ?? 1e-5);
  const gx = new Float32Array(x.data.length);
  const gw = new Float64Array(L.C), gb = new Float64Array(L.C);
  for (let n = 0; n < L.N; n++) {
    for (let grp = 0; grp < L.G; grp++) {
      const r = n * L.G + grp, m = mean[r], is = invstd[r];
      let sg = 0, sgh = 0;
      for (let c = grp * L.Cg; c < (grp + 1) * L.Cg; c++) {
        const w = args.weight ? args.weight.data[c] : 1;
        for (let i = (n * L.C + c) * L.S, e = i + L.S; i < e; i++) {
          const h = (x.data[i] - m) * is;
          sg += gy[i] * w;
          sgh += gy[i] * w * h;
          gw[c] += gy[i] * h;
          gb[c] += gy[i];
        }
      }
      for (let c = grp * L.Cg; c < (grp + 1) * L.Cg; c++) {
        const w = args.weight ? args.weight.data[c] : 1;
        for (let i = (n * L.C + c) * L.S, e = i + L.S; i < e; i++) {
          const h = (x.data[i] - m) * is;
          gx[i] = is * (gy[i] * w - sg / L.D - (h * sgh) / L.D);
        }
      }
    }
  }
  const grads: { input: NdArray; weight?: NdArray; bias?: NdArray } = { input: { shape: [...x.shape], data: gx } };
  if (args.weight) grads.weight = { shape: [...args.weight.shape], data: Float32Array.from(gw) };
  if (args.bias) grads.bias = { shape: [...args.bias.shape], data: Float32Array.from(gb) };
  return grads;
}
