// conv_transpose2d (F.conv_transpose2d): GEMM to columns + col2im per sample and group (conv2d's data
// gradient run forwards); backward is im2col + GEMM. Output size from convShape.ts' convTransposeOutputSize.
// conv_transpose1d lifts onto this kernel with a unit height. The band loops run on the WebAssembly
// kernels when present (wasm/convWasm.ts), else here in JS.

import { convTransposeOutputSize } from './convShape';
import { channelSums } from './conv2d';
import { gemm } from './gemm';
import { bandRows, col2im, im2col, scratchBuffer, type Window2d } from './im2col';
import { expandList, fmtShape, numel, type NdArray } from './tensor';
import { matrixToImage, weightGrad, wasmBandRows, type ColGeometry } from './wasm/convWasm';
import { wasmKernels } from './wasm/wasmKernels';

export interface ConvTransposeArgs {
  input: NdArray;
  /** [Cin, Cout/groups, kh, kw] */
  weight: NdArray;
  bias?: NdArray;
}

export interface ConvTranspose2dAttrs {
  stride?: number | number[];
  padding?: number | number[];
  output_padding?: number | number[];
  dilation?: number | number[];
  groups?: number;
}

interface Plan {
  N: number; Ci: number; H: number; W: number; Co: number; Ho: number; Wo: number; G: number;
  Cig: number; Cog: number; Kc: number; P: number; win: Window2d;
}

function plan(x: readonly number[], w: readonly number[], a: ConvTranspose2dAttrs): Plan {
  if (x.length !== 4 || w.length !== 4) {
    throw new Error(`conv_transpose2d expects 4-d input and weight, got ${fmtShape(x)} and ${fmtShape(w)}`);
  }
  const G = a.groups ?? 1;
  if (x[1] !== w[0] || w[0] % G !== 0) {
    throw new Error(`conv_transpose2d: input ${fmtShape(x)} does not fit weight ${fmtShape(w)} with groups=${G}`);
  }
  const s = expandList(a.stride ?? 1, 2, 'stride'), p = expandList(a.padding ?? 0, 2, 'padding');
  const d = expandList(a.dilation ?? 1, 2, 'dilation'), op = expandList(a.output_padding ?? 0, 2, 'output_padding');
  for (let i = 0; i < 2; i++) {
    if (op[i] >= Math.max(s[i], d[i])) throw new Error(`conv_transpose2d: output_padding ${op[i]} must be smaller than stride or dilation`);
  }
  const [N, Ci, H, W] = x;
  const Ho = convTransposeOutputSize(H, w[2], s[0], p[0], d[0], op[0]);
  const Wo = convTransposeOutputSize(W, w[3], s[1], p[1], d[1], op[1]);
  if (Ho <= 0 || Wo <= 0) throw new Error(`conv_transpose2d: output size ${Ho}x${Wo} is empty`);
  const win: Window2d = { kh: w[2], kw: w[3], sh: s[0], sw: s[1], padTop: p[0], padLeft: p[1], dh: d[0], dw: d[1] };
  const Cog = w[1];
  return { N, Ci, H, W, Co: Cog * G, Ho, Wo, G, Cig: Ci / G, Cog, Kc: Cog * w[2] * w[3], P: H * W, win };
}

/** The image side is this op's output (Cog planes Ho×Wo); the column grid is its input's H×W. */
function colGeometry(p: Plan): ColGeometry {
  return { C: p.Cog, H: p.Ho, W: p.Wo, win: p.win, outH: p.H, outW: p.W, rows: wasmBandRows(p.Kc, p.H, p.W) };
}

export function convTranspose2dOutputShape(x: readonly number[], w: readonly number[], attrs: ConvTranspose2dAttrs): number[] {
  const p = plan(x, w, attrs);
  return [p.N, p.Co, p.Ho, p.Wo];
}


export function convTranspose2d(args: ConvTransposeArgs, attrs: ConvTranspose2dAttrs): NdArray {
  const { input: x, weight: w, bias: b } = args;
  const p = plan(x.shape, w.shape, attrs);
  const OP = p.Ho * p.Wo;
  const y = new Float32Array(p.N * p.Co * OP);
  // Bands run over input rows: they are the "output" grid of the conv this op is the adjoint of.
  const rows = bandRows(p.Kc, p.H, p.W), wk = wasmKernels(), geo = colGeometry(p);
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.Ci + g * p.Cig) * p.P;
      const wg = w.data.subarray(g * p.Cig * p.Kc);
      if (wk) {
        matrixToImage(wk, geo, x.data, xOff, wg, p.Cig, y, (n * p.Co + g * p.Cog) * OP);
        continue;
      }
      for (let iy0 = 0; iy0 < p.H; iy0 += rows) {
        const iy1 = Math.min(p.H, iy0 + rows), Pb = (iy1 - iy0) * p.W;
        const col = scratchBuffer(0, p.Kc * Pb);
        gemm(true, false, p.Kc, Pb, p.Cig, 1, wg, p.Kc, x.data.subarray(xOff + iy0 * p.W), p.P, 0, col, Pb);
        col2im(col, p.Cog, p.Ho, p.Wo, p.win, p.H, p.W, y, (n * p.Co + g * p.Cog) * OP, iy0, iy1);
      }
    }
    if (b) for (let co = 0; co < p.Co; co++) {
      const off = (n * p.Co + co) * OP, bv = b.data[co];
      for (let i = off; i < off + OP; i++) y[i] += bv;
    }
  }
  return { shape: [p.N, p.Co, p.Ho, p.Wo], data: y };
}

export function convTranspose2dBackward(
  gradOutput: NdArray, args: ConvTransposeArgs, attrs: ConvTranspose2dAttrs,
): { input: NdArray; weight: NdArray; bias?: NdArray } {
  const { input: x, weight: w, bias: b } = args;
  const p = plan(x.shape, w.shape, attrs);
  const OP = p.Ho * p.Wo;
  const gx = new Float32Array(x.data.length);
  const gw = new Float32Array(w.data.length);
  const rows = bandRows(p.Kc, p.H, p.W), wk = wasmKernels(), geo = colGeometry(p);
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.Ci + g * p.Cig) * p.P;
      const wg = w.data.subarray(g * p.Cig * p.Kc);
      if (wk) {
        const gyOff = (n * p.Co + g * p.Cog) * OP;
        weightGrad(wk, geo, gradOutput.data, gyOff, x.data, xOff, p.Cig, gw.subarray(g * p.Cig * p.Kc), { w: wg, out: gx, outOff: xOff });
        continue;
      }
      for (let iy0 = 0; iy0 < p.H; iy0 += rows) {
        const iy1 = Math.min(p.H, iy0 + rows), Pb = (iy1 - iy0) * p.W;
        const col = scratchBuffer(0, p.Kc * Pb);
        im2col(gradOutput.data, (n * p.Co + g * p.Cog) * OP, p.Cog, p.Ho, p.Wo, p.win, p.H, p.W, col, iy0, iy1);
        gemm(false, false, p.Cig, Pb, p.Kc, 1, wg, p.Kc, col, Pb, 0, gx.subarray(xOff + iy0 * p.W), p.P);
        gemm(false, true, p.Cig, p.Kc, Pb, 1, x.data.subarray(xOff + iy0 * p.W), p.P, col, Pb, 1, gw.subarray(g * p.Cig * p.Kc), p.Kc);
      }
    }
  }
  const grads: { input: NdArray; weight: NdArray; bias?: NdArray } = {
    input: { shape: [...x.shape], data: gx },
    weight: { shape: [...w.shape], data: gw },
  };
  if (b) grads.bias = { shape: [...b.shape], data: channelSums(gradOutput.data, p.N, p.Co, OP) };
  return grads;
}
