// add (torch.add): input + alpha·other with numpy broadcasting; each gradient is dy summed back to its shape.

import { broadcastBinary, sameShape, sumToShape, type NdArray } from './tensor';
import { addWasm, elementwiseKernels } from './wasm/elementwise';

export interface BinaryArgs {
  input: NdArray;
  other: NdArray;
}

export interface AddAttrs {
  alpha?: number;
}

export function add(args: BinaryArgs, attrs: AddAttrs = {}): NdArray {
  const a = attrs.alpha ?? 1;
  if (sameShape(args.input.shape, args.other.shape)) {
    // The residual add: a plain loop (broadcastBinary's closure call is not inlined there).
    const x = args.input.data, y = args.other.data, out = new Float32Array(x.length), wk = a === 1 ? elementwiseKernels(x.length) : null;
    if (wk) addWasm(wk, x, y, out);
    else if (a === 1) for (let i = 0; i < x.length; i++) out[i] = x[i] + y[i];
    else for (let i = 0; i < x.length; i++) out[i] = x[i] + a * y[i];
    return { shape: [...args.input.shape], data: out };
  }
  return broadcastBinary(args.input, args.other, a === 1 ? (x, y) => x + y : (x, y) => x + a * y);
}

/** Tensor.add_ / `out += identity` (torchvision's residual add): overwrites `input` with input + alpha·other (same shapes). */
export function add_(args: BinaryArgs, attrs: AddAttrs = {}): NdArray {
  if (!sameShape(args.input.shape, args.other.shape)) throw new Error('add_: in-place add needs operands of the same shape');
  const a = attrs.alpha ?? 1, x = args.input.data, y = args.other.data, wk = a === 1 ? elementwiseKernels(x.length) : null;
  if (wk) addWasm(wk, x, y, x);
  else for (let i = 0; i < x.length; i++) x[i] += a * y[i];
  return args.input;
}

export function addBackward(gradOutput: NdArray, args: BinaryArgs, attrs: AddAttrs = {}): { input: NdArray; other: NdArray } {
  const a = attrs.alpha ?? 1;
  const other = sumToShape(gradOutput, args.other.shape);
  if (a !== 1) for (let i = 0; i < other.data.length; i++) other.data[i] *= a;
  return { input: sumToShape(gradOutput, args.input.shape), other };
}
