// matmul (torch.matmul / @): numpy semantics — 1-d operands promoted and squeezed back, batch dims
// broadcast — one GEMM per batch matrix. Backward: dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batches.

import { gemm } from './gemm';
import { broadcastShapes, broadcastStrides, fmtShape, numel, sumToShape, type NdArray } from './tensor';

export interface MatmulArgs {
  input: NdArray;
  other: NdArray;
}

interface Plan {
  aMat: number[]; bMat: number[]; batch: number[]; n: number; k: number; m: number;
  aIdx: Int32Array; bIdx: Int32Array; outShape: number[];
}

/** For each batch index of `batch`, the index of the matrix it reads in an operand with batch dims `own`. */
function batchIndex(own: readonly number[], batch: readonly number[]): Int32Array {
  const st = broadcastStrides(own, batch), B = numel(batch), out = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    let rem = i, off = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      off += (rem % batch[d]) * st[d];
      rem = Math.floor(rem / batch[d]);
    }
    out[i] = off;
  }
  return out;
}

function plan(a: readonly number[], b: readonly number[], op = 'matmul'): Plan {
  if (a.length === 0 || b.length === 0) throw new Error(`${op}: both arguments need at least 1 dimension`);
  const aMat = a.length === 1 ? [1, a[0]] : [...a], bMat = b.length === 1 ? [b[0], 1] : [...b];
  const n = aMat[aMat.length - 2], k = aMat[aMat.length - 1], m = bMat[bMat.length - 1];
  if (bMat[bMat.length - 2] !== k) throw new Error(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be multiplied (${k} vs ${bMat[bMat.length - 2]})`);
  const aBatch = aMat.slice(0, -2), bBatch = bMat.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch);
  const outShape = [...batch, ...(a.length === 1 ? [] : [n]), ...(b.length === 1 ? [] : [m])];
  return { aMat, bMat, batch, n, k, m, aIdx: batchIndex(aBatch, batch), bIdx: batchIndex(bBatch, batch), outShape };
}

export function matmulOutputShape(a: readonly number[], b: readonly number[]): number[] {
  return plan(a, b).outShape;
}


export function matmul(args: MatmulArgs, _attrs: object = {}, op = 'matmul'): NdArray {
  const p = plan(args.input.shape, args.other.shape, op), { n, k, m } = p;
  const y = new Float32Array(p.aIdx.length * n * m);
  for (let i = 0; i < p.aIdx.length; i++) {
    gemm(false, false, n, m, k, 1, args.input.data.subarray(p.aIdx[i] * n * k), k,
      args.other.data.subarray(p.bIdx[i] * k * m), m, 0, y.subarray(i * n * m), m);
  }
  return { shape: p.outShape, data: y };
}

export function matmulBackward(gradOutput: NdArray, args: MatmulArgs, _attrs: object = {}): { input: NdArray; other: NdArray } {
  const p = plan(args.input.shape, args.other.shape), { n, k, m } = p;
  const B = p.aIdx.length, gy = gradOutput.data;
  const ga = new Float32Array(B * n * k), gb = new Float32Array(B * k * m);
  for (let i = 0; i < B; i++) {
    const g = gy.subarray(i * n * m);
    gemm(false, true, n, k, m, 1, g, m, args.other.data.subarray(p.bIdx[i] * k * m), m, 0, ga.subarray(i * n * k), k);
    gemm(true, false, k, m, n, 1, args.input.data.subarray(p.aIdx[i] * n * k), k, g, m, 0, gb.subarray(i * k * m), m);
  }
  const gaSum = sumToShape({ shape: [...p.batch, n, k], data: ga }, p.aMat);
  const gbSum = sumToShape({ shape: [...p.batch, k, m], data: gb }, p.bMat);
  return {
    input: { shape: [...args.input.shape], data: gaSum.data },
    other: { shape: [...args.other.shape], data: gbSum.data },
  };
}
