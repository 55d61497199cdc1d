// nn.Module bookkeeping (children, parameters, buffers, training flag) in a side table owned by torch:
// the interpreter's PyInstance knows nothing of modules; it asks the extension (isModule) instead.
import { PyDict, type CallCtx, type PyInstance } from '../interp/values';

export class ModuleState {
  readonly modules = new PyDict();
  readonly params = new PyDict();
  readonly buffers = new PyDict();
  training = true;
  /** Where the module object was constructed. */
  defCtx?: CallCtx;
  calls = 0;
  /** Work PyTorch does in a forward pre-hook before each call (spectral norm's σ), outside the layer. */
  preForwardCost?: { macs: number | null; flops: number | null };
}

// NOTE: kept in the instance's extension slot, not a WeakMap: an ephemeron table with thousands of young
// keys per analysis made every scavenge slow (the interpreter still never reads the slot).
/** The module state of an nn.Module instance; undefined for any other object. */
export function stateOf(inst: PyInstance): ModuleState | undefined { const s = inst.extState; return s instanceof ModuleState ? s : undefined; }

export function setModuleState(inst: PyInstance, state: ModuleState): void { inst.extState = state; }
