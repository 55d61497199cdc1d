import { describe, expect, it } from 'vitest';
import { bmm, bmmBackward } from '../../../engine/ops/bmm';
import { gemm } from '../../../engine/ops/gemm';
import { matmul, matmulBackward } from '../../../engine/ops/matmul';
import type { NdArray } from '../../../engine/ops/tensor';
import { expectClose, fdCheck, rand } from './helpers';

function naive(tA: boolean, tB: boolean, M: number, N: number, K: number, A: Float32Array, B: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (tA ? A[k * M + i] : A[i * K + k]) * (tB ? B[j * K + k] : B[k * N + j]);
    out.push(s);
  }
  return out;
}

describe('gemm', () => {
  for (const [M, N, K] of [[1, 1, 1], [5, 3, 2], [37, 29, 300], [130, 9, 513]]) {
    for (const tA of [false, true]) for (const tB of [false, true]) {
      it(`gemm M=${M} N=${N} K=${K} transA=${tA} transB=${tB} matches the triple loop`, () => {
        const A = rand([M * K], M + K).data, B = rand([K * N], N + 7).data;
        const C = new Float32Array(M * N).fill(NaN);
        gemm(tA, tB, M, N, K, 1, A, tA ? M : K, B, tB ? K : N, 0, C, N);
        expectClose({ shape: [M, N], data: C }, { shape: [M, N], data: naive(tA, tB, M, N, K, A, B) }, 'C', 1e-5);
      });
    }
  }
  it('gemm honours alpha, beta and leading dimensions larger than the matrix', () => {
    const A = rand([3 * 5], 1).data, B = rand([4 * 6], 2).data, C0 = rand([3 * 7], 3).data;
    const C = C0.slice();
    gemm(false, false, 3, 4, 4, 2, A, 5, B, 6, 0.5, C, 7);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 7; j++) {
      let want = C0[i * 7 + j];
      if (j < 4) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += A[i * 5 + k] * B[k * 6 + j];
        want = 2 * s + 0.5 * want;
      }
      expect(Math.abs(C[i * 7 + j] - want)).toBeLessThan(1e-5);
    }
  });
});

describe('matmul', () => {
  const cases: Array<[number[], number[], number[]]> = [
    [[4], [4], []],
    [[4], [4, 3], [3]],
    [[2, 4], [4], [2]],
    [[2, 3], [3, 5], [2, 5]],
    [[2, 1, 2, 3], [4, 3, 2], [2, 4, 2, 2]],
    [[3, 2, 4], [4, 2], [3, 2, 2]],
  ];
  for (const [sa, sb, so] of cases) {
    it(`matmul shape x=[${sa}] y=[${sb}] -> [${so}] and finite differences`, () => {
      const args = { input: rand(sa, 110), other: rand(sb, 111) };
      expect(matmul(args).shape).toEqual(so);
      fdCheck((a) => matmul(a), (gy, a) => matmulBackward(gy, a), args, ['input', 'other']);
    });
  }
  it('matmul values [2,3]x[3,2]', () => {
    const a: NdArray = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    const b: NdArray = { shape: [3, 2], data: Float32Array.from([7, 8, 9, 10, 11, 12]) };
    expectClose(matmul({ input: a, other: b }), { shape: [2, 2], data: [58, 64, 139, 154] }, 'output', 0);
  });
  it('matmul rejects mismatched inner dims', () => {
    expect(() => matmul({ input: rand([2, 3], 1), other: rand([4, 2], 2) })).toThrow(/cannot be multiplied/);
  });
});

describe('bmm', () => {
  it('bmm finite differences x=[3,2,4] y=[3,4,5]', () => {
    fdCheck((a) => bmm(a), (gy, a) => bmmBackward(gy, a), { input: rand([3, 2, 4], 112), other: rand([3, 4, 5], 113) }, ['input', 'other']);
  });
  it('bmm refuses broadcasting', () => {
    expect(() => bmm({ input: rand([1, 2, 4], 1), other: rand([3, 4, 5], 2) })).toThrow(/bmm/);
  });
});
