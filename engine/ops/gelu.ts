// gelu (F.gelu): exact x·Φ(x) with Φ from erf (approximate='none'), or the tanh form (approximate='tanh').
// JavaScript has no erf, so this file carries one accurate to ~1e-15 (series, then continued fraction).

import type { NdArray } from './tensor';
import { mapUnary, unaryBackward, type UnaryArgs } from './unary';

export interface GeluAttrs {
  approximate?: 'none' | 'tanh';
}

/** erf by its Maclaurin series for |x| < 2 and a Lentz continued fraction for erfc beyond. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax < 2) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = ax, C = ax, D = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    D = ax + a * D;
    D = Math.abs(D) < tiny ? tiny : D;
    C = ax + a / C;
    C = Math.abs(C) < tiny ? tiny : C;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

const K = Math.sqrt(2 / Math.PI);
const C3 = 0.044715;

export function gelu(args: UnaryArgs, attrs: GeluAttrs = {}): NdArray {
  if (attrs.approximate === 'tanh') return mapUnary(args.input, (v) => 0.5 * v * (1 + Math.tanh(K * (v + C3 * v * v * v))));
  return mapUnary(args.input, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
}

export function geluBackward(gradOutput: NdArray, args: UnaryArgs, attrs: GeluAttrs = {}): { input: NdArray } {
  if (attrs.approximate === 'tanh') {
    return unaryBackward(gradOutput, args.input, (v) => {
      const t = Math.tanh(K * (v + C3 * v * v * v));
      return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K * (1 + 3 * C3 * v * v);
    });
  }
  const invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
  return unaryBackward(gradOutput, args.input, (v) => 0.5 * (1 + erf(v / Math.SQRT2)) + v * invSqrt2Pi * Math.exp(-0.5 * v * v));
}
