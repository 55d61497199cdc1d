// The one validator of layer constructor sizes (issue 9, item 3): every size PyTorch rejects — a float
// where an int is needed, a negative dimension, a kernel, stride, padding or dilation out of range, a
// tuple of the wrong length — is an error in PyTorch's words at the argument that gave it. Specs name
// their size arguments (LayerSpec.sizes); runtime.ts runs this before each native __init__.
import type { Interp } from '../../interp/interp';
import { InterpError, PyException, PyFloat, PyList, PyTuple, Unknown, typeName, type CallCtx, type Value } from '../../interp/values';
import { pyRepr } from '../../interp/ops';
import { splitTop } from '../sig';
import type { LayerSpec } from './spec';

/** How a constructor argument must look: one int (`int`) or an int or a tuple of ints (`ints`). */
export type SizeRule = 'int' | 'ints';

/** Source range of the argument bound to parameter `name` of signature `sig` in the call `ctx`, if it was written out. */
export function argLoc(ctx: CallCtx, sig: string, name: string): { s: number; e: number } | undefined {
  const nodes = ctx.argNodes;
  if (!nodes) return undefined;
  const kw = nodes.find((a) => a.kind === 'kw' && a.name === name);
  if (kw) return { s: kw.s, e: kw.e };
  const firstStar = nodes.findIndex((a) => a.kind === 'star' || a.kind === 'dstar');
  const pos = nodes.filter((a) => a.kind === 'pos');
  const names = splitTop(sig).map((p) => p.trim().split('=')[0].trim());
  const i = names.indexOf(name);
  if (i < 0 || i >= pos.length) return undefined;
  // after a *args the positions are unknown
  if (firstStar >= 0 && nodes.indexOf(pos[i]) > firstStar) return undefined;
  return { s: pos[i].s, e: pos[i].e };
}

function at<E extends PyException | InterpError>(err: E, ctx: CallCtx, loc: { s: number; e: number } | undefined): E {
  if (loc) { err.s = loc.s; err.e = loc.e; (err as { file?: string }).file = ctx.file; }
  return err;
}

/** PyTorch's refusal of a value that is not an int where a size is (its empty()/zeros() argument parser). */
function notAnInt(name: string, v: Value): PyException {
  if (v instanceof PyFloat) return new PyException('TypeError', `empty(): argument 'size' must be tuple of SymInts, but found element of type float (${name}=${pyRepr(v)})`);
  return new PyException('TypeError', `empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType): ${name} must be an int, not ${typeName(v)} (${name}=${pyRepr(v)})`);
}

function checkInt(name: string, v: Value): PyException | InterpError | undefined {
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Unknown) return undefined;
  if (typeof v === 'bigint') {
    if (v >= 2n ** 63n || v < -(2n ** 63n)) return new PyException('TypeError', `empty(): argument 'size' must be tuple of SymInts, but found element of type int (${name}=${v}, beyond int64)`);
    return new InterpError(`${name} ${v} is beyond 2^53, which the analysis holds exactly`, undefined, undefined, undefined, 'budget');
  }
  return notAnInt(name, v);
}

/** Checks the spec's size arguments before its __init__ runs; throws at the argument. */
export function validateSizes(spec: LayerSpec, sig: string, a: Map<string, Value>, ctx: CallCtx): void {
  const sizes = spec.sizes;
  if (!sizes) return;
  // NOTE: every layer construction runs this: a for-in over the spec's few sizes, no entries arrays
  for (const name in sizes) {
    const rule = sizes[name];
    const v = a.get(name);
    if (v === undefined || v === null) continue;
    if (rule === 'ints' && typeof v === 'string') continue; // padding='same'
    if (rule === 'ints' && (v instanceof PyTuple || v instanceof PyList)) {
      for (const x of v.items) checkSize(name, x, sig, ctx);
    } else checkSize(name, v, sig, ctx);
  }
}

function checkSize(name: string, x: Value, sig: string, ctx: CallCtx): void {
  const err = checkInt(name, x);
  if (err) throw at(err, ctx, argLoc(ctx, sig, name));
}

/**
 * Runs a native __init__ with PyTorch's size checks: the declared sizes first, then a negative
 * dimension in a parameter's shape (PyTorch's "Trying to create tensor with negative dimension") is
 * pointed at the argument that holds that value.
 */
export function withSizeChecks(it: Interp, spec: LayerSpec, sig: string, a: Map<string, Value>, ctx: CallCtx, init: () => void): void {
  void it;
  validateSizes(spec, sig, a, ctx);
  try {
    init();
  } catch (err) {
    const m = err instanceof PyException ? /negative dimension (-\d+)/.exec(err.pyMessage) : null;
    if (m && err instanceof PyException) {
      const bad = Number(m[1]);
      const name = Object.keys(spec.sizes ?? {}).find((n) => holds(a.get(n), bad));
      if (name) throw at(err, ctx, argLoc(ctx, sig, name));
    }
    throw err;
  }
}

function holds(v: Value | undefined, n: number): boolean {
  if (typeof v === 'number') return v === n;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.some((x) => x === n);
  return false;
}

/** PyTorch's _single/_pair/_triple: an int repeated n times; a sequence kept as it is (its length checked when the layer is called). */
export function ntuple(v: Value, n: number, what: string): number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => intOf(x, what));
  return Array(n).fill(intOf(v, what));
}

function intOf(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const err = checkInt(what, v);
  if (v instanceof Unknown) throw new InterpError(`${what} is unknown (${v.reason})`, v.file, v.s, v.e, 'unknown');
  throw err ?? notAnInt(what, v);
}

export interface ConvGeometryArgs {
  kernel: number[];
  stride: number[];
  /** Absent for padding='same'/'valid'. */
  padding?: number[];
  dilation: number[];
  outputPadding?: number[];
  transposed: boolean;
}

/**
 * What PyTorch says when a convolution with this geometry is called (ATen's conv parameter checks, in
 * their order), or undefined when it is valid. `nd` is the layer's spatial rank.
 */
export function convGeometryError(nd: number, g: ConvGeometryArgs): string | undefined {
  const kd = g.kernel.length;
  if (kd === 0) return 'weight should have at least three dimensions';
  const lists: Array<[string, number[] | undefined]> = [['stride', g.stride], ['padding', g.padding], ['dilation', g.dilation], ['output_padding', g.outputPadding ?? Array(nd).fill(0)]];
  for (const [name, xs] of lists) {
    if (xs && xs.length !== 1 && xs.length !== kd) return `expected ${name} to be a single integer value or a list of ${kd} values to match the convolution dimensions, but got ${name}=[${xs.join(', ')}]`;
  }
  if (g.padding?.some((p) => p < 0)) return 'negative padding is not supported';
  if (g.transposed && g.outputPadding?.some((p) => p < 0)) return 'negative output_padding is not supported';
  if (g.stride.some((s) => s <= 0)) return 'non-positive stride is not supported';
  if (g.kernel.some((k) => k <= 0)) {
    if (kd === 3) return `kernel size should be greater than zero, but got: ${g.kernel.join(' x ')} (TxHxW)`;
    const [h, w] = kd === 1 ? [1, g.kernel[0]] : g.kernel;
    return `kernel size should be greater than zero, but got kernel_height: ${h} kernel_width: ${w}`;
  }
  if (g.dilation.some((d) => d <= 0)) {
    if (g.transposed && kd === 2) return `dilation should be greater than zero, but got dilation_height: ${g.dilation[0]}, dilation_width: ${g.dilation[1] ?? g.dilation[0]}`;
    return `dilation should be greater than zero, but got [${g.dilation.join(', ')}]`;
  }
  if (g.transposed && g.outputPadding) {
    const bad = g.outputPadding.some((p, i) => p >= (g.stride[i] ?? g.stride[0]) && p >= (g.dilation[i] ?? g.dilation[0]));
    if (bad) {
      const two = (xs: number[]): [number, number] => [xs[0], xs[1] ?? xs[0]];
      const [oh, ow] = two(g.outputPadding), [sh, sw] = two(g.stride), [dh, dw] = two(g.dilation);
      return `output padding must be smaller than either stride or dilation, but got output_padding_height: ${oh} output_padding_width: ${ow} stride_height: ${sh} stride_width: ${sw} dilation_height: ${dh} dilation_width: ${dw}`;
    }
  }
  return undefined;
}

/** What PyTorch says when max/avg pooling with this window is called (pooling_output_shape and pool2d_shape_check, in order), or undefined. */
export function poolGeometryError(kernel: number[], stride: number[], padding: number[], dilation: number[]): string | undefined {
  const hw = (xs: number[], a: string, b: string): string => `${a}: ${xs[0]} ${b}: ${xs[1] ?? xs[0]}`;
  if (stride.some((s) => s === 0)) return 'stride should not be zero';
  if (padding.some((p) => p < 0)) return `pad must be non-negative, but got pad: ${padding.find((p) => p < 0)}`;
  if (kernel.some((k) => k <= 0)) return `kernel size should be greater than zero, but got ${hw(kernel, 'kH', 'kW')}`;
  if (stride.some((s) => s < 0)) return `stride should be greater than zero, but got ${hw(stride, 'dH', 'dW')}`;
  if (dilation.some((d) => d <= 0)) return `dilation should be greater than zero, but got ${hw(dilation, 'dilationH', 'dilationW')}`;
  return undefined;
}

/** At construction: an error diagnostic at the argument for a geometry PyTorch refuses when the layer is called. */
export function reportConvGeometry(it: Interp, nd: number, g: ConvGeometryArgs, sig: string, ctx: CallCtx): void {
  const msg = convGeometryError(nd, g);
  if (!msg) return;
  const name = /output.padding/.test(msg) ? 'output_padding' : /^expected stride|stride is/.test(msg) ? 'stride' : /^expected padding|negative padding/.test(msg) ? 'padding' : /dilation/.test(msg) ? 'dilation' : 'kernel_size';
  diagAt(it, msg, ctx, sig, name);
}

/** Ints of a pooling argument as the pooling functions read them (an int or a tuple, expanded to nd); undefined when not all ints. */
function windowInts(v: Value | undefined, nd: number): number[] | undefined {
  const xs = v instanceof PyTuple || v instanceof PyList ? v.items : [v];
  if (!xs.every((x) => typeof x === 'number')) return undefined;
  const ns = xs as number[];
  return ns.length === 1 ? Array(nd).fill(ns[0]) : ns;
}

function diagAt(it: Interp, msg: string, ctx: CallCtx, sig: string, name: string): void {
  const loc = argLoc(ctx, sig, name) ?? (ctx.s !== undefined ? { s: ctx.s, e: ctx.e ?? ctx.s } : undefined);
  it.diag('error', 'torch.args', `RuntimeError: ${msg} (PyTorch raises this when the layer is called)`, ctx.file, loc?.s, loc?.e);
}

/** At construction of MaxPool/AvgPool: the window PyTorch refuses when the layer is called, at its argument. */
export function reportPoolGeometry(it: Interp, nd: number, a: Map<string, Value>, sig: string, ctx: CallCtx): void {
  const k = windowInts(a.get('kernel_size'), nd);
  const s = a.get('stride') === null ? k : windowInts(a.get('stride'), nd);
  const p = windowInts(a.get('padding'), nd), d = a.has('dilation') ? windowInts(a.get('dilation'), nd) : Array(nd).fill(1);
  if (!k || !s || !p || !d) return;
  const msg = poolGeometryError(k, s, p, d);
  if (!msg) return;
  const name = /^stride should not/.test(msg) ? (a.get('stride') === null ? 'kernel_size' : 'stride') : /^pad/.test(msg) ? 'padding' : /^kernel/.test(msg) ? 'kernel_size' : /^stride/.test(msg) ? 'stride' : 'dilation';
  diagAt(it, msg, ctx, sig, name);
}

/** At construction of an adaptive pool: a negative output size, at its argument. */
export function reportAdaptiveSize(it: Interp, kind: string, nd: number, a: Map<string, Value>, sig: string, ctx: CallCtx): void {
  const xs = windowInts(a.get('output_size'), nd);
  if (xs?.some((x) => x < 0)) diagAt(it, `adaptive_${kind}_pool${nd}d: elements of output_size must be greater than or equal to 0 but received {${xs.join(', ')}}`, ctx, sig, 'output_size');
}
