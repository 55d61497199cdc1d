// conv3d (F.conv3d): vol2col + GEMM per sample and group; backward gives input, weight and bias grads.
// Output geometry comes from convShape.ts through convGeometry (never re-derived here).
// Volumes are small in practice (video clips, medical crops), so the column buffer is built whole.

import { convNdSpatial } from './convShape';
import { convGeometry, type ConvArgs, type Conv2dAttrs } from './conv2d';
import { gemm } from './gemm';
import { fmtShape, numel, type NdArray } from './tensor';

export type Conv3dAttrs = Conv2dAttrs;

interface Plan {
  N: number; C: number; D: number; H: number; W: number; Co: number; G: number; Cg: number; Cog: number;
  k: number[]; s: number[]; d: number[]; pad: number[]; out: number[]; Kc: number; P: number;
}

function plan(x: readonly number[], w: readonly number[], attrs: Conv3dAttrs): Plan {
  if (x.length !== 5 || w.length !== 5) throw new Error(`conv3d expects 5-d input and weight, got ${fmtShape(x)} and ${fmtShape(w)}`);
  const G = attrs.groups ?? 1;
  if (x[1] !== w[1] * G || w[0] % G !== 0) throw new Error(`conv3d: input ${fmtShape(x)} does not fit weight ${fmtShape(w)} with groups=${G}`);
  const geo = convGeometry(w.slice(2), attrs);
  const out = convNdSpatial(x.slice(2), geo) as number[];
  if (out.some((o) => o <= 0)) throw new Error(`conv3d: input ${fmtShape(x)} is smaller than the kernel ${fmtShape(w)}`);
  const k = w.slice(2);
  return {
    N: x[0], C: x[1], D: x[2], H: x[3], W: x[4], Co: w[0], G, Cg: x[1] / G, Cog: w[0] / G,
    k, s: geo.stride, d: geo.dilation, pad: geo.padding.map((p) => p[0]), out, Kc: (x[1] / G) * numel(k), P: numel(out),
  };
}

/** For every (column row r, output position p) the flat input offset within one group's block, or -1 for padding. */
function indexMap(p: Plan): Int32Array {
  const map = new Int32Array(p.Kc * p.P);
  const [kd, kh, kw] = p.k, [od, oh, ow] = p.out;
  let r = 0;
  for (let c = 0; c < p.Cg; c++) for (let a = 0; a < kd; a++) for (let b = 0; b < kh; b++) for (let e = 0; e < kw; e++, r++) {
    let q = 0;
    for (let z = 0; z < od; z++) {
      const iz = z * p.s[0] - p.pad[0] + a * p.d[0];
      for (let y = 0; y < oh; y++) {
        const iy = y * p.s[1] - p.pad[1] + b * p.d[1];
        for (let x = 0; x < ow; x++, q++) {
          const ix = x * p.s[2] - p.pad[2] + e * p.d[2];
          const inside = iz >= 0 && iz < p.D && iy >= 0 && iy < p.H && ix >= 0 && ix < p.W;
          map[r * p.P + q] = inside ? ((c * p.D + iz) * p.H + iy) * p.W + ix : -1;
        }
      }
    }
  }
  return map;
}

export function conv3d(args: ConvArgs, attrs: Conv3dAttrs): NdArray {
  const { input: x, weight: w, bias: b } = args;
  const p = plan(x.shape, w.shape, attrs);
  const map = indexMap(p);
  const col = new Float32Array(p.Kc * p.P);
  const y = new Float32Array(p.N * p.Co * p.P);
  const vol = p.Cg * p.D * p.H * p.W;
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.C + g * p.Cg) * p.D * p.H * p.W;
      for (let i = 0; i < col.length; i++) col[i] = map[i] >= 0 ? x.data[xOff + map[i]] : 0;
      gemm(false, false, p.Cog, p.P, p.Kc, 1, w.data.subarray(g * p.Cog * p.Kc), p.Kc, col, p.P, 0, y.subarray((n * p.Co + g * p.Cog) * p.P), p.P);
    }
    if (b) for (let co = 0; co < p.Co; co++) { const off = (n * p.Co + co) * p.P; for (let i = off; i < off + p.P; i++) y[i] += b.data[co]; }
  }
  void vol;
  return { shape: [p.N, p.Co, ...p.out], data: y };
}

export function conv3dBackward(gradOutput: NdArray, args: ConvArgs, attrs: Conv3dAttrs): { input: NdArray; weight: NdArray; bias?: NdArray } {
  const { input: x, weight: w, bias: b } = args;
  const p = plan(x.shape, w.shape, attrs);
  const map = indexMap(p);
  const col = new Float32Array(p.Kc * p.P), gcol = new Float32Array(p.Kc * p.P);
  const gx = new Float32Array(x.data.length), gw = new Float32Array(w.data.length);
  const gy = gradOutput.data;
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.C + g * p.Cg) * p.D * p.H * p.W;
      const gyg = gy.subarray((n * p.Co + g * p.Cog) * p.P);
      for (let i = 0; i < col.length; i++) col[i] = map[i] >= 0 ? x.data[xOff + map[i]] : 0;
      gemm(false, true, p.Cog, p.Kc, p.P, 1, gyg, p.P, col, p.P, 1, gw.subarray(g * p.Cog * p.Kc), p.Kc);
      gemm(true, false, p.Kc, p.P, p.Cog, 1, w.data.subarray(g * p.Cog * p.Kc), p.Kc, gyg, p.P, 0, gcol, p.P);
      for (let i = 0; i < gcol.length; i++) if (map[i] >= 0) gx[xOff + map[i]] += gcol[i];
    }
  }
  const out: { input: NdArray; weight: NdArray; bias?: NdArray } = { input: { shape: [...x.shape], data: gx }, weight: { shape: [...w.shape], data: gw } };
  if (b) {
    const gb = new Float32Array(p.Co);
    for (let n = 0; n < p.N; n++) for (let co = 0; co < p.Co; co++) { let s = 0; const off = (n * p.Co + co) * p.P; for (let i = off; i < off + p.P; i++) s += gy[i]; gb[co] += s; }
    out.bias = { shape: [p.Co], data: gb };
  }
  return out;
}
