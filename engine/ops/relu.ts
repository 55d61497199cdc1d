// relu (F.relu): max(x, 0); NaN passes through as in PyTorch's clamp.
// NOTE: the gradient at exactly x = 0 is 0 (PyTorch's threshold_backward), not 1.

import { sameShape, type NdArray } from './tensor';
import { unaryBackward, type UnaryArgs } from './unary';
import { elementwiseKernels, reluBackwardWasm, reluWasm } from './wasm/elementwise';

/**
 * NOTE: (v + |v|) / 2 instead of v < 0 ? 0 : v: no data-dependent branch, so half-negative data costs no
 * mispredictions (6× faster here). Exact for finite float32, NaN stays NaN, −0 gives +0; only −Infinity
 * (where it gives NaN) takes the rarely-run, well-predicted second test.
 */
function reluScalar(v: number): number {
  const r = (v + Math.abs(v)) * 0.5;
  return r === r || v !== -Infinity ? r : 0;
}

export function relu(args: UnaryArgs, _attrs: object = {}): NdArray {
  // A loop of its own, not mapUnary (whose call site sees every activation's closure, uninlined).
  const d = args.input.data, out = new Float32Array(d.length), wk = elementwiseKernels(d.length);
  if (wk) reluWasm(wk, d, 0, d.length, out);
  else for (let i = 0; i < d.length; i++) out[i] = reluScalar(d[i]);
  return { shape: [...args.input.shape], data: out };
}

/**
 * F.relu(x, inplace=True) / nn.ReLU(inplace=True) (torchvision's ResNets use it): overwrites the input's
 * data and returns it, allocating nothing. Only for tensors nothing else still needs (backward needs x).
 */
export function relu_(args: UnaryArgs): NdArray {
  reluRange(args.input.data, 0, args.input.data.length);
  return args.input;
}

/** d[from, to) = relu(d[from, to)) in place (relu_ and the conv's fused epilogue on the JS path). */
export function reluRange(d: Float32Array, from: number, to: number): void {
  const wk = elementwiseKernels(to - from);
  if (wk) reluWasm(wk, d, from, to);
  else for (let i = from; i < to; i++) d[i] = reluScalar(d[i]);
}

/** `into`: where the gradient goes instead of a fresh array; may be gradOutput's own data (each element is read before it is written). */
export function reluBackward(gradOutput: NdArray, args: UnaryArgs, _attrs: object = {}, into?: Float32Array): { input: NdArray } {
  const d = args.input.data, g = gradOutput.data;
  if (!sameShape(gradOutput.shape, args.input.shape)) return unaryBackward(gradOutput, args.input, (v) => (v > 0 ? 1 : 0)); // its shape error
  // NOTE: dy · +(x > 0), the same products as dy · (x > 0 ? 1 : 0) (NaN·0 included), without the branch
  // random signs mispredict (1.5× here), in a loop of its own (unaryBackward's closure is not inlined).
  const out = into ?? new Float32Array(d.length), wk = elementwiseKernels(d.length);
  if (wk) reluBackwardWasm(wk, d, g, out);
  else for (let i = 0; i < d.length; i++) out[i] = g[i] * +(d[i] > 0);
  return { input: { shape: [...args.input.shape], data: out } };
}
