// conv2d (F.conv2d): im2col + GEMM per sample and group; backward gives input, weight and bias grads.
// Output geometry comes from convShape.ts (conv2dShape, resolveConvPadding); never re-derived here.
// conv1d lifts onto this kernel with a unit height. The band loops run on the WebAssembly kernels when
// present (wasm/convWasm.ts), else here in JS.

import { conv2dShape, resolveConvPadding, type ConvGeometry, type ConvPadding } from './convShape';
import { gemm } from './gemm';
import { bandRows, col2im, im2col, scratchBuffer, type Window2d } from './im2col';
import { expandList, fmtShape, numel, type NdArray } from './tensor';
import { imageToMatrix, matrixToImage, weightGrad, wasmBandRows, type ColGeometry } from './wasm/convWasm';
import { wasmKernels } from './wasm/wasmKernels';
import { reluRange } from './relu';

export interface ConvArgs {
  input: NdArray;
  weight: NdArray;
  bias?: NdArray;
}

export interface Conv2dAttrs {
  stride?: number | number[];
  /** Symmetric per-dim padding, explicit [before, after] pairs, or PyTorch's 'same' / 'valid'. */
  padding?: number | number[] | Array<[number, number]> | 'same' | 'valid';
  dilation?: number | number[];
  groups?: number;
}

/** Resolves F.conv*d attributes into the shared geometry record for a kernel of the given size. */
export function convGeometry(kernel: number[], attrs: Conv2dAttrs): ConvGeometry {
  const n = kernel.length;
  const stride = expandList(attrs.stride ?? 1, n, 'stride');
  const dilation = expandList(attrs.dilation ?? 1, n, 'dilation');
  const p = attrs.padding ?? 0;
  const written: ConvPadding = typeof p === 'string' || (typeof p !== 'number' && p.length > 0 && Array.isArray(p[0]))
    ? p as ConvPadding : expandList(p as number | number[], n, 'padding');
  return { kernel, stride, padding: resolveConvPadding(written, kernel, stride, dilation), dilation };
}

function checkConv(x: readonly number[], w: readonly number[], groups: number): void {
  if (x.length !== 4 || w.length !== 4) throw new Error(`conv2d expects 4-d input and weight, got ${fmtShape(x)} and ${fmtShape(w)}`);
  if (x[1] !== w[1] * groups || w[0] % groups !== 0) {
    throw new Error(`conv2d: input ${fmtShape(x)} does not fit weight ${fmtShape(w)} with groups=${groups}`);
  }
}

export function conv2dOutputShape(x: readonly number[], w: readonly number[], attrs: Conv2dAttrs): number[] {
  checkConv(x, w, attrs.groups ?? 1);
  return conv2dShape([...x], w[0], convGeometry(w.slice(2), attrs)) as number[];
}

interface Plan {
  N: number; C: number; H: number; W: number; Co: number; Ho: number; Wo: number; G: number;
  Cg: number; Cog: number; Kc: number; P: number; win: Window2d; direct: boolean;
}

function plan(x: readonly number[], w: readonly number[], attrs: Conv2dAttrs): Plan {
  const G = attrs.groups ?? 1;
  const geo = convGeometry(w.slice(2), attrs);
  const [N, C, H, W] = x;
  const out = conv2dShape([...x], w[0], geo) as number[];
  checkConv(x, w, G);
  const win: Window2d = {
    kh: w[2], kw: w[3], sh: geo.stride[0], sw: geo.stride[1],
    padTop: geo.padding[0][0], padLeft: geo.padding[1][0], dh: geo.dilation[0], dw: geo.dilation[1],
  };
  const Ho = out[2], Wo = out[3];
  if (Ho <= 0 || Wo <= 0) throw new Error(`conv2d: input ${fmtShape(x)} is smaller than the kernel ${fmtShape(w)}`);
  // A 1×1, stride-1, unpadded conv reads the input as its own im2col matrix.
  const direct = win.kh === 1 && win.kw === 1 && win.sh === 1 && win.sw === 1 && Ho === H && Wo === W;
  const Cg = C / G;
  return { N, C, H, W, Co: w[0], Ho, Wo, G, Cg, Cog: w[0] / G, Kc: Cg * win.kh * win.kw, P: Ho * Wo, win, direct };
}

function colGeometry(p: Plan): ColGeometry {
  return { C: p.Cg, H: p.H, W: p.W, win: p.win, outH: p.Ho, outW: p.Wo, rows: wasmBandRows(p.Kc, p.Ho, p.Wo) };
}

/** What a conv may apply to its output before handing it back: `relu` is conv2d followed by F.relu. */
export interface ConvEpilogue { relu?: boolean }

export function conv2d(args: ConvArgs, attrs: Conv2dAttrs, epilogue: ConvEpilogue = {}): NdArray {
  const shape = conv2dOutputShape(args.input.shape, args.weight.shape, attrs);
  const y = new Float32Array(numel(shape));
  conv2dInto(args, attrs, y, 0, Infinity, epilogue);
  return { shape, data: y };
}

/**
 * conv2d's output rows [oy0, oy1) (all by default) written into `y`, laid out as the whole [N, Co, Ho, Wo]
 * output; other rows are left as they are. The parallel kernels run one band of rows per thread with it.
 */
export function conv2dInto(args: ConvArgs, attrs: Conv2dAttrs, y: Float32Array, oy0 = 0, oy1 = Infinity, epilogue: ConvEpilogue = {}): void {
  const { input: x, weight: w, bias: b } = args;
  const p = plan(x.shape, w.shape, attrs);
  const r0 = Math.max(0, oy0), r1 = Math.min(p.Ho, oy1);
  const rows = bandRows(p.Kc, p.Ho, p.Wo), wk = p.direct ? null : wasmKernels(), geo = colGeometry(p);
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.C + g * p.Cg) * p.H * p.W;
      const wg = w.data.subarray(g * p.Cog * p.Kc);
      const yOff = (n * p.Co + g * p.Cog) * p.P;
      if (p.direct) {
        const c0 = r0 * p.Wo, c1 = r1 * p.Wo;
        gemm(false, false, p.Cog, c1 - c0, p.Kc, 1, wg, p.Kc, x.data.subarray(xOff + c0), p.P, 0, y.subarray(yOff + c0), p.P);
      } else if (wk) {
        imageToMatrix(wk, geo, x.data, xOff, wg, p.Cog, y, yOff, r0, r1, b?.data.subarray(g * p.Cog, (g + 1) * p.Cog), epilogue.relu);
      } else {
        for (let b0 = r0; b0 < r1; b0 += rows) {
          const b1 = Math.min(r1, b0 + rows), Pb = (b1 - b0) * p.Wo;
          const col = scratchBuffer(0, p.Kc * Pb);
          im2col(x.data, xOff, p.Cg, p.H, p.W, p.win, p.Ho, p.Wo, col, b0, b1);
          gemm(false, false, p.Cog, Pb, p.Kc, 1, wg, p.Kc, col, Pb, 0, y.subarray(yOff + b0 * p.Wo), p.P);
        }
      }
    }
    if (b && !wk) for (let co = 0; co < p.Co; co++) {
      const bv = b.data[co], off = (n * p.Co + co) * p.P;
      for (let i = off + r0 * p.Wo; i < off + r1 * p.Wo; i++) y[i] += bv;
    }
    if (epilogue.relu && !wk) for (let co = 0; co < p.Co; co++) {
      const off = (n * p.Co + co) * p.P;
      reluRange(y, off + r0 * p.Wo, off + r1 * p.Wo);
    }
  }
}

/** Arrays of the right sizes conv2dBackward writes gradients into instead of allocating them (their contents are overwritten). */
export interface ConvGradsInto { input?: Float32Array; weight?: Float32Array; bias?: Float32Array }

export function conv2dBackward(
  gradOutput: NdArray, args: ConvArgs, attrs: Conv2dAttrs, into?: ConvGradsInto,
): { input: NdArray; weight: NdArray; bias?: NdArray } {
  const { input: x, weight: w, bias: b } = args;
  // NOTE: the input gradient is accumulated into (col2im), so an array handed in starts from zero here;
  // conv2dWeightGrad overwrites its array
  const gx = into?.input ? into.input.fill(0) : new Float32Array(x.data.length);
  const gw = into?.weight ?? new Float32Array(w.data.length);
  conv2dWeightGrad(gradOutput, x, w.shape, attrs, gw);
  conv2dInputGrad(gradOutput, w, x.shape, attrs, gx);
  const grads: { input: NdArray; weight: NdArray; bias?: NdArray } = {
    input: { shape: [...x.shape], data: gx },
    weight: { shape: [...w.shape], data: gw },
  };
  if (b) {
    const gb = conv2dBiasGrad(gradOutput, b.shape[0]);
    grads.bias = { shape: [...b.shape], data: into?.bias ? (into.bias.set(gb), into.bias) : gb };
  }
  return grads;
}

/** The bias gradient of a conv with `Co` output channels: Σ of dy over batch and positions. */
export function conv2dBiasGrad(gradOutput: NdArray, Co: number): Float32Array {
  const [N, , Ho, Wo] = gradOutput.shape;
  return channelSums(gradOutput.data, N, Co, Ho * Wo);
}

/**
 * The weight gradient written into `gw` (w's size; its contents are overwritten, not added to). Needs only
 * the input and dy, so a pool runs it on one thread and conv2dInputGrad on another.
 */
export function conv2dWeightGrad(gradOutput: NdArray, x: NdArray, wShape: readonly number[], attrs: Conv2dAttrs, gw: Float32Array): void {
  const p = plan(x.shape, wShape, attrs), gy = gradOutput.data;
  const rows = bandRows(p.Kc, p.Ho, p.Wo), wk = p.direct ? null : wasmKernels(), geo = colGeometry(p);
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.C + g * p.Cg) * p.H * p.W, gyOff = (n * p.Co + g * p.Cog) * p.P;
      const gwg = gw.subarray(g * p.Cog * p.Kc), beta = n === 0 ? 0 : 1;
      if (p.direct) gemm(false, true, p.Cog, p.Kc, p.P, 1, gy.subarray(gyOff), p.P, x.data.subarray(xOff), p.P, beta, gwg, p.Kc);
      else if (wk) weightGrad(wk, geo, x.data, xOff, gy, gyOff, p.Cog, gwg, undefined, n > 0);
      else for (let oy0 = 0; oy0 < p.Ho; oy0 += rows) {
        const oy1 = Math.min(p.Ho, oy0 + rows), Pb = (oy1 - oy0) * p.Wo, col = scratchBuffer(0, p.Kc * Pb);
        im2col(x.data, xOff, p.Cg, p.H, p.W, p.win, p.Ho, p.Wo, col, oy0, oy1);
        gemm(false, true, p.Cog, p.Kc, Pb, 1, gy.subarray(gyOff + oy0 * p.Wo), p.P, col, Pb, oy0 === 0 ? beta : 1, gwg, p.Kc);
      }
    }
  }
}

/** The input gradient added into `gx` (x's size; zero it for the gradient itself). Needs only w and dy. */
export function conv2dInputGrad(gradOutput: NdArray, w: NdArray, xShape: readonly number[], attrs: Conv2dAttrs, gx: Float32Array): void {
  const p = plan(xShape, w.shape, attrs), gy = gradOutput.data;
  const rows = bandRows(p.Kc, p.Ho, p.Wo), wk = p.direct ? null : wasmKernels(), geo = colGeometry(p);
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < p.G; g++) {
      const xOff = (n * p.C + g * p.Cg) * p.H * p.W, gyOff = (n * p.Co + g * p.Cog) * p.P;
      const wg = w.data.subarray(g * p.Cog * p.Kc);
      if (p.direct) gemm(true, false, p.Kc, p.P, p.Cog, 1, wg, p.Kc, gy.subarray(gyOff), p.P, 1, gx.subarray(xOff), p.P);
      else if (wk) matrixToImage(wk, geo, gy, gyOff, wg, p.Cog, gx, xOff);
      else for (let oy0 = 0; oy0 < p.Ho; oy0 += rows) {
        const oy1 = Math.min(p.Ho, oy0 + rows), Pb = (oy1 - oy0) * p.Wo, gcol = scratchBuffer(1, p.Kc * Pb);
        gemm(true, false, p.Kc, Pb, p.Cog, 1, wg, p.Kc, gy.subarray(gyOff + oy0 * p.Wo), p.P, 0, gcol, Pb);
        col2im(gcol, p.Cg, p.H, p.W, p.win, p.Ho, p.Wo, gx, xOff, oy0, oy1);
      }
    }
  }
}

/** Σ over batch and spatial positions per channel of an [N, C, P] buffer, in float64 (the bias gradient). */
export function channelSums(g: Float32Array, N: number, C: number, P: number): Float32Array {
  const out = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let n = 0; n < N; n++) {
      const off = (n * C + c) * P;
      for (let i = off; i < off + P; i++) s += g[i];
    }
    out[c] = s;
  }
  return out;
}
