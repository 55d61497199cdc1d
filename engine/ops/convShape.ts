// Output geometry of convolutions and pooling windows: the one copy of ⌊(W + 2P − D(K − 1) − 1)/S⌋ + 1.
// Called by the layer catalogue, the numeric kernels and the hover's formula text alike.
// Pure integer arithmetic; no tensors, no I/O.

/** Padding for `padding='same'`: total D·(K−1) per dim, ⌊total/2⌋ before, the rest after. */
export function samePadding(kernel: number, dilation: number): [number, number] {
  const total = dilation * (kernel - 1);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** A convolution's padding as written: symmetric per-dim sizes, explicit [before, after] pairs, or 'same' / 'valid'. */
export type ConvPadding = number[] | Array<[number, number]> | 'same' | 'valid';

/**
 * The one place 'same' and 'valid' are resolved: padding before/after per spatial dim. Throws an Error
 * with PyTorch's message for 'same' with a stride other than 1.
 */
export function resolveConvPadding(padding: ConvPadding, kernel: readonly number[], stride: readonly number[], dilation: readonly number[]): Array<[number, number]> {
  if (padding === 'valid') return kernel.map(() => [0, 0]);
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
    return kernel.map((k, i) => samePadding(k, dilation[i]));
  }
  return (padding as Array<number | [number, number]>).map((q) => (Array.isArray(q) ? [q[0], q[1]] : [q, q]));
}

/** One spatial dim of a convolution: ⌊(W + padTotal − D(K − 1) − 1)/S⌋ + 1. `padTotal` is both sides summed. */
export function convOutputSize(size: number, kernel: number, stride: number, padTotal: number, dilation: number): number {
  return Math.floor((size + padTotal - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** One spatial dim of a transposed convolution: (W − 1)S − 2P + D(K − 1) + output_padding + 1. */
export function convTransposeOutputSize(
  size: number, kernel: number, stride: number, padding: number, dilation: number, outputPadding: number,
): number {
  return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
}

/**
 * One spatial dim of max/avg pooling. With ceil_mode a last window that would start at or beyond
 * W + P is dropped (PyTorch's pooling_output_shape).
 */
export function poolOutputSize(
  size: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean,
): number {
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + padding) out -= 1;
  return out;
}

/** Whether ceil_mode drops the last window of a pooling dim (it would start in the right padding). */
export function poolLastWindowDropped(size: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): boolean {
  if (!ceilMode) return false;
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  return Math.ceil(span / stride) + 1 !== poolOutputSize(size, kernel, stride, padding, dilation, ceilMode);
}

/** Input range [start, end) averaged by output cell `i` of an adaptive pool (input n, output m). */
export function adaptiveRange(i: number, n: number, m: number): [number, number] {
  return [Math.floor((i * n) / m), Math.ceil(((i + 1) * n) / m)];
}

export interface ConvGeometry {
  kernel: number[];
  stride: number[];
  /** Padding before and after, per spatial dim. */
  padding: Array<[number, number]>;
  dilation: number[];
}

/** Spatial output sizes of an N-d convolution (null where the input size is unknown). */
export function convNdSpatial(spatial: Array<number | null>, g: ConvGeometry): Array<number | null> {
  return spatial.map((s, i) =>
    s === null ? null : convOutputSize(s, g.kernel[i], g.stride[i], g.padding[i][0] + g.padding[i][1], g.dilation[i]),
  );
}

/** Output shape of conv2d for input [N, C, H, W], weight [Cout, Cin/groups, Kh, Kw]. */
export function conv2dShape(input: Array<number | null>, outChannels: number, g: ConvGeometry): Array<number | null> {
  return [input[0], outChannels, ...convNdSpatial(input.slice(2), g)];
}
