// The layer catalogue's contract: one LayerSpec per nn layer class — constructor signature, what the
// constructor stores (attributes, parameters, buffers), and forward (which calls the functional op that
// owns the shape rule and the MACs). Specs are data plus small functions; runtime.ts turns them into classes.
import type { Value, PyInstance, CallCtx } from '../../interp/values';
import type { TorchRuntime } from '../runtime';
import type { Args } from '../sig';
import type { DType } from '../tensor';
import type { SizeRule } from './validate';

export interface LayerInit {
  rt: TorchRuntime;
  self: PyInstance;
  a: Args;
  /** The constructor call (its arguments' source ranges, for diagnostics at an argument). */
  ctx: CallCtx;
  /** The constructor's signature as this release has it. */
  sig: string;
  /** Stores a Python attribute (what `m.kernel_size` reads). */
  set(name: string, v: Value): void;
  /** Registers a parameter of this shape (None when `present` is false). */
  param(name: string, shape: number[], present?: boolean, requiresGrad?: boolean): void;
  buffer(name: string, shape: number[], dtype?: DType, present?: boolean): void;
  /** Registers a child module. */
  child(name: string, m: Value): void;
}

export interface LayerCall {
  rt: TorchRuntime;
  self: PyInstance;
  a: Args;
  ctx: CallCtx;
  /** Reads a Python attribute of the module (so user changes after construction are honoured). */
  get(name: string): Value;
}

export type LayerKind = 'conv' | 'linear' | 'norm' | 'activation' | 'pool' | 'dropout' | 'shape' | 'embedding' | 'attention' | 'container' | 'other';

export interface LayerSpec {
  name: string;
  /** Name of the built-in base class (default: Module). */
  base?: string;
  kind: LayerKind;
  /** Constructor signature after `self`, in Python syntax. */
  sig: string;
  /** forward signature after `self` (default `input`). */
  forwardSig?: string;
  init(m: LayerInit): void;
  forward(m: LayerCall): Value;
  /** Constructor arguments that are sizes: checked as PyTorch checks them before `init` runs (validate.ts). */
  sizes?: Record<string, SizeRule>;
  /** Attributes shown in hovers/summary as the layer's configuration. */
  config?: string[];
}
