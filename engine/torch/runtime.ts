// nn.Module semantics as the interpreter sees them, plus the record of one forward pass (module calls,
// MACs, FLOPs) that analysis turns into rows. Implements the interpreter's Extensions for torch.
// Shape rules live in functional.ts and engine/ops; this file only routes and records.
import type { Interp, Extensions } from '../interp/interp';
import {
  Builtin, InterpError, PyClass, PyDict, PyException, PyInstance, PyList, PyTuple, Unknown, typeName,
  type CallCtx, type Value,
} from '../interp/values';
import { hashKey } from '../interp/ops';
import { TensorV, type DType } from './tensor';
import type { LayerCall, LayerInit, LayerSpec } from './layers/spec';
import type { LayerTerms } from '../api';
import { DEFAULT_TORCH_VERSION, type TorchVersion } from './version';
import { nativeFn, sigFunction, signatureFor, type Args } from './sig';
import * as T from './tensorOps';
import { getItem, setItem } from './indexing';
import { ModuleState, setModuleState, stateOf } from './moduleState';
import { withSizeChecks } from './layers/validate';

export { ModuleState } from './moduleState';

export interface Frame {
  inst: PyInstance;
  leaf: boolean;
  macs: number | null;
  flops: number | null;
  /** What the ops of this call resolved (geometry, cost factors), one entry per op that reported any. */
  terms: LayerTerms[];
}

export interface CallRecord {
  inst: PyInstance;
  name: string;
  inputs: Value[];
  output: Value;
  macs: number | null;
  flops: number | null;
  terms: LayerTerms[];
  ctx: CallCtx;
  callIndex: number;
}

/** nn.Buffer(t): the tensor is registered as a buffer when assigned to a module attribute. */
export function markBuffer(t: TensorV, persistent: boolean): void { Object.assign(t, { bufferMark: true, ...(persistent ? {} : { nonPersistent: true }) }); }
function bufferMark(t: TensorV): boolean { return (t as TensorV & { bufferMark?: boolean }).bufferMark === true; }

export function dget(d: PyDict, name: string): Value | undefined { return d.map.get(hashKey(name))?.v; }
export function dset(d: PyDict, name: string, v: Value): void { d.map.set(hashKey(name), { k: name, v }); }
export function ddel(d: PyDict, name: string): boolean { return d.map.delete(hashKey(name)); }
export function dhas(d: PyDict, name: string): boolean { return d.map.has(hashKey(name)); }
export function dentries(d: PyDict): Array<[string, Value]> { return [...d.map.values()].map((e) => [String(e.k), e.v]); }

export class TorchRuntime implements Extensions {
  readonly classes = new Map<string, PyClass>();
  readonly specs = new Map<PyClass, LayerSpec>();
  Module!: PyClass;
  tracing = false;
  readonly frames: Frame[] = [];
  readonly records: CallRecord[] = [];
  functionalMacs: number | null = 0;
  functionalFlops: number | null = 0;
  names = new Map<PyInstance, string>();

  /** The PyTorch release whose API the analysis models (engine/torch/version.ts). */
  constructor(readonly it: Interp, readonly version: TorchVersion = DEFAULT_TORCH_VERSION) {}

  // ---------------------------------------------------------------- MAC/FLOP routing
  /**
   * MACs/FLOPs of one op: to the innermost leaf module being called, else to the functional total. The
   * op's resolved terms go with them to the leaf's row.
   */
  addCost(macs: number | null, flops: number | null, terms?: LayerTerms): void {
    // NOTE: a shape rule fed a size PyTorch refuses could compute a negative cost: never counted
    if ((macs !== null && !(macs >= 0)) || (flops !== null && !(flops >= 0))) throw new InterpError(`LayerLens computed a cost of ${macs} MACs / ${flops} FLOPs for this call: a size PyTorch would refuse?`, undefined, undefined, undefined, 'unsupported');
    const top = this.frames[this.frames.length - 1];
    if (top && top.leaf) {
      if (terms) top.terms.push(terms);
      top.macs = top.macs === null || macs === null ? null : top.macs + macs;
      top.flops = top.flops === null || flops === null ? null : top.flops + flops;
      return;
    }
    if (!this.tracing) return;
    this.functionalMacs = this.functionalMacs === null || macs === null ? null : this.functionalMacs + macs;
    this.functionalFlops = this.functionalFlops === null || flops === null ? null : this.functionalFlops + flops;
  }

  // ---------------------------------------------------------------- Extensions
  isTensor(v: Value): boolean { return v instanceof TensorV; }
  tensorBinop(op: string, a: Value, b: Value, ctx: CallCtx): Value { return T.binop(this, op, a, b, ctx); }
  tensorUnary(op: string, a: Value, ctx: CallCtx): Value { return T.unary(this, op, a as TensorV, ctx); }
  tensorCompare(op: string, a: Value, b: Value, ctx: CallCtx): Value { return T.compare(this, op, a, b, ctx); }
  tensorAttr(t: Value, name: string, ctx: CallCtx): Value { return T.attr(this, t as TensorV, name, ctx); }
  tensorGetItem(t: Value, index: Value, ctx: CallCtx): Value { return getItem(this, t as TensorV, index, ctx); }
  tensorSetItem(t: Value, index: Value, v: Value, ctx: CallCtx): void { setItem(this, t as TensorV, index, v, ctx); }
  tensorIter(t: Value, ctx: CallCtx): Value[] { return T.iter(this, t as TensorV, ctx); }
  tensorLen(t: Value): Value {
    const s = (t as TensorV).shape;
    if (!s.length) throw new PyException('TypeError', 'len() of a 0-d tensor');
    return s[0] ?? new Unknown('tensor length');
  }

  moduleSetAttr(inst: PyInstance, name: string, v: Value): boolean {
    const m = stateOf(inst)!;
    if (name === 'training') { m.training = v === true; return true; }
    if (v instanceof TensorV && bufferMark(v)) {
      inst.dict.delete(name); ddel(m.modules, name); ddel(m.params, name);
      dset(m.buffers, name, v);
      return true;
    }
    if (v instanceof TensorV && v.isParam) {
      inst.dict.delete(name); ddel(m.modules, name); ddel(m.buffers, name);
      dset(m.params, name, v);
      return true;
    }
    if (v instanceof PyInstance && stateOf(v)) {
      inst.dict.delete(name); ddel(m.params, name); ddel(m.buffers, name);
      dset(m.modules, name, v);
      return true;
    }
    if (dhas(m.params, name)) {
      if (v !== null && !(v instanceof Unknown)) throw new PyException('TypeError', `cannot assign '${typeName(v)}' as parameter '${name}' (torch.nn.Parameter or None expected)`);
      dset(m.params, name, v);
      return true;
    }
    if (dhas(m.modules, name)) {
      if (v !== null && !(v instanceof Unknown)) throw new PyException('TypeError', `cannot assign '${typeName(v)}' as child module '${name}' (torch.nn.Module or None expected)`);
      dset(m.modules, name, v);
      return true;
    }
    if (dhas(m.buffers, name)) { dset(m.buffers, name, v); return true; }
    return false;
  }

  moduleGetAttr(inst: PyInstance, name: string): Value | undefined {
    const m = stateOf(inst)!;
    switch (name) {
      case 'training': return m.training;
      case '_modules': return m.modules;
      case '_parameters': return m.params;
      case '_buffers': return m.buffers;
    }
    // a hot path (every self.x of a module): the three dicts in nn.Module.__getattr__'s order, no array
    // (a None parameter, such as bias=False's, is found: not `??`)
    const p = dget(m.params, name);
    if (p !== undefined) return p;
    const b = dget(m.buffers, name);
    return b !== undefined ? b : dget(m.modules, name);
  }

  moduleDelAttr(inst: PyInstance, name: string): boolean {
    const m = stateOf(inst)!;
    return ddel(m.params, name) || ddel(m.buffers, name) || ddel(m.modules, name);
  }

  onInstantiate(inst: PyInstance, ctx: CallCtx): void {
    if (stateOf(inst)) stateOf(inst)!.defCtx = ctx.file ? ctx : undefined;
  }

  callModule(inst: PyInstance, args: Value[], kwargs: Map<string, Value>, ctx: CallCtx): Value {
    const forward = this.it.getAttr(inst, 'forward', ctx);
    const pre = stateOf(inst)!.preForwardCost;
    if (pre && this.tracing) this.addCost(pre.macs, pre.flops);
    const leaf = !hasChildModules(inst);
    const frame: Frame = { inst, leaf, macs: 0, flops: 0, terms: [] };
    const outerLeaf = this.frames.some((f) => f.leaf);
    this.frames.push(frame);
    let out: Value;
    const unknownIn = leaf && this.specOf(inst) ? [...args, ...kwargs.values()].find((a): a is Unknown => a instanceof Unknown) : undefined;
    try {
      out = unknownIn ?? this.it.call(forward, args, kwargs, ctx);
    } catch (err) {
      if (leaf && err instanceof PyException && !(err as { failedCall?: unknown }).failedCall) Object.assign(err, { failedCall: { inst, args: [...args, ...kwargs.values()] } });
      throw err;
    } finally {
      this.frames.pop();
    }
    if (unknownIn) frame.macs = frame.flops = null;
    if (!leaf || outerLeaf) return out;
    const name = this.names.get(inst);
    if (this.tracing && name !== undefined) {
      const m = stateOf(inst)!;
      this.records.push({ inst, name, inputs: [...args, ...kwargs.values()], output: out, macs: frame.macs, flops: frame.flops, terms: frame.terms, ctx, callIndex: m.calls++ });
    } else if (this.tracing) {
      // a module outside the model tree: its work is still the model's
      this.addCost(frame.macs, frame.flops);
    }
    return out;
  }

  // ---------------------------------------------------------------- module tree
  namedModules(root: PyInstance): Array<[string, PyInstance]> {
    const out: Array<[string, PyInstance]> = [];
    const seen = new Set<PyInstance>();
    const walk = (m: PyInstance, prefix: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      const st = stateOf(m);
      if (st) for (const e of st.modules.map.values()) if (e.v instanceof PyInstance && stateOf(e.v)) walk(e.v, prefix ? `${prefix}.${String(e.k)}` : String(e.k));
    };
    walk(root, '');
    return out;
  }

  /** named_parameters() with shared parameters listed once, in registration order. */
  namedParameters(root: PyInstance, modules = this.namedModules(root)): Array<[string, TensorV, PyInstance]> {
    return namedTensors(modules, (m) => stateOf(m)!.params);
  }

  namedBuffers(root: PyInstance, modules = this.namedModules(root)): Array<[string, TensorV, PyInstance]> {
    return namedTensors(modules, (m) => stateOf(m)!.buffers);
  }

  setTraining(root: PyInstance, mode: boolean): void {
    for (const [, m] of this.namedModules(root)) stateOf(m)!.training = mode;
  }

  specOf(inst: PyInstance): LayerSpec | undefined {
    for (const c of inst.cls.mro) { const s = this.specs.get(c); if (s) return s; }
    return undefined;
  }

  // ---------------------------------------------------------------- tensors and params
  tensor(shape: Array<number | null>, dtype: DType = 'float32', src?: T.Src, data?: number[]): TensorV {
    T.checkNonNegative(shape); // every tensor, whichever shape rule made it: no negative or fractional dims
    const t = new TensorV(shape, dtype, data);
    if (src) t.src = src;
    return t;
  }

  param(shape: number[], requiresGrad = true): TensorV {
    T.checkNonNegative(shape);
    const t = new TensorV(shape, 'float32');
    t.isParam = true;
    t.requiresGrad = requiresGrad;
    return t;
  }

  /** A module's state for copy.deepcopy: submodules, parameters and buffers through the one memo. */
  isModule(inst: PyInstance): boolean { return stateOf(inst) !== undefined; }

  copyInstanceState(from: PyInstance, to: PyInstance, copyValue: ((x: Value) => Value) | null): void {
    const src = stateOf(from);
    if (!src) return;
    // PyTorch's copy.copy(module) shares the module's _parameters/_modules/_buffers dicts
    setModuleState(to, copyValue ? this.cloneState(src, copyValue) : Object.assign(Object.create(Object.getPrototypeOf(src) as object) as ModuleState, src));
  }

  deepCopyNative(v: Value, memo: Map<unknown, Value>): Value { return v instanceof TensorV ? this.cloneTensorV(v, memo) : v; }

  private cloneState(src: ModuleState, copyValue: (x: Value) => Value): ModuleState {
    const m = new ModuleState();
    m.training = src.training;
    m.defCtx = src.defCtx;
    m.preForwardCost = src.preForwardCost;
    const copy = (from: PyDict, to: PyDict): void => {
      for (const [k, e] of from.map) to.map.set(k, { k: e.k, v: copyValue(e.v) });
    };
    copy(src.modules, m.modules); copy(src.params, m.params); copy(src.buffers, m.buffers);
    return m;
  }

  private cloneTensorV(v: TensorV, memo: Map<unknown, Value>): TensorV {
    const seen = memo.get(v);
    if (seen) return seen as TensorV;
    const t = new TensorV([...v.shape], v.dtype, v.data ? [...v.data] : undefined);
    t.isParam = v.isParam; t.requiresGrad = v.requiresGrad;
    memo.set(v, t);
    return t;
  }

  // ---------------------------------------------------------------- class construction
  defineClass(name: string, base: PyClass, methods: Record<string, Builtin>, moduleName = 'torch.nn'): PyClass {
    const c = new PyClass(name, [base], moduleName);
    for (const [k, v] of Object.entries(methods)) c.dict.set(k, v);
    this.classes.set(name, c);
    return c;
  }

  /** Turns a LayerSpec into a built-in class whose __init__ and forward are native. */
  layerClass(spec: LayerSpec): PyClass {
    const base = this.classes.get(spec.base ?? 'Module')!;
    const it = this.it;
    const initSig = signatureFor(`torch.nn.${spec.name}`, spec.sig, this.version);
    const initShell = sigFunction(it, `${spec.name}.__init__`, initSig);
    const fwdShell = sigFunction(it, `${spec.name}.forward`, spec.forwardSig ?? 'input');
    const cls = this.defineClass(spec.name, base, {
      __init__: new Builtin(`${spec.name}.__init__`, (args, kw, ctx) => {
        const self = args[0] as PyInstance;
        const a: Args = new Map();
        it.bindArgs(initShell, args.slice(1), kw, a, ctx);
        withSizeChecks(it, spec, initSig, a, ctx, () => spec.init(new InitContext(this, self, a, ctx, initSig)));
        return null;
      }),
      forward: new Builtin(`${spec.name}.forward`, (args, kw, ctx) => {
        const self = args[0] as PyInstance;
        const a: Args = new Map();
        it.bindArgs(fwdShell, args.slice(1), kw, a, ctx);
        return spec.forward(new CallContext(this, self, a, ctx));
      }),
    });
    this.specs.set(cls, spec);
    return cls;
  }

  fn(name: string, sig: string, impl: (a: Args, ctx: CallCtx) => Value): Builtin { return nativeFn(this.it, name, sig, impl); }
}

/** What a layer's native __init__ sees (one object per construction: methods, not closures, on a hot path). */
class InitContext implements LayerInit {
  constructor(readonly rt: TorchRuntime, readonly self: PyInstance, readonly a: Args, readonly ctx: CallCtx, readonly sig: string) {}
  set(n: string, v: Value): void { this.self.dict.set(n, v); }
  param(n: string, shape: number[], present = true, rg = true): void { dset(stateOf(this.self)!.params, n, present ? this.rt.param(shape, rg) : null); }
  buffer(n: string, shape: number[], dtype: DType = 'float32', present = true): void { dset(stateOf(this.self)!.buffers, n, present ? this.rt.tensor(shape, dtype) : null); }
  child(n: string, m: Value): void { dset(stateOf(this.self)!.modules, n, m); }
}

/** What a layer's native forward sees. */
class CallContext implements LayerCall {
  constructor(readonly rt: TorchRuntime, readonly self: PyInstance, readonly a: Args, readonly ctx: CallCtx) {}
  /** A Python attribute of the module (so user changes after construction are honoured). */
  get(n: string): Value { return this.rt.it.getAttr(this.self, n, this.ctx); }
}

function namedTensors(modules: Array<[string, PyInstance]>, of: (m: PyInstance) => PyDict): Array<[string, TensorV, PyInstance]> {
  const out: Array<[string, TensorV, PyInstance]> = [];
  const seen = new Set<TensorV>();
  for (const [prefix, m] of modules) {
    for (const e of of(m).map.values()) {
      const t = e.v;
      if (!(t instanceof TensorV) || seen.has(t)) continue;
      seen.add(t);
      out.push([prefix ? `${prefix}.${e.k as string}` : (e.k as string), t, m]);
    }
  }
  return out;
}

/** Whether a module has a child module (a leaf has none); allocates nothing: it runs on every call. */
export function hasChildModules(inst: PyInstance): boolean {
  if (!stateOf(inst)) return false;
  for (const e of stateOf(inst)!.modules.map.values()) if (e.v instanceof PyInstance && stateOf(e.v)) return true;
  return false;
}

export function childModules(inst: PyInstance): Array<[string, PyInstance]> {
  const out: Array<[string, PyInstance]> = [];
  if (!stateOf(inst)) return out;
  for (const [n, v] of dentries(stateOf(inst)!.modules)) if (v instanceof PyInstance && stateOf(v)) out.push([n, v]);
  return out;
}

export function asModule(v: Value, what: string): PyInstance {
  if (v instanceof PyInstance && stateOf(v)) return v;
  throw new InterpError(`${what} is not an nn.Module (${typeName(v)})`);
}

export function listOf(v: Value[]): PyList { return new PyList(v); }
export function tupleOf(v: Value[]): PyTuple { return new PyTuple(v); }
