// Where the editor's hovers and hints point that are not leaf-module calls: calls of modules with children
// (containers, custom blocks, MultiheadAttention), functional ops and tensor methods in forward, and the
// helper calls a module was constructed through (`conv3x3(...)`, `make_layers(cfg)`).
// Records by wrapping three methods on this analysis's interpreter and runtime instances (nothing global).
import type { BlockCall, Loc, OpCall, Row, Shape } from '../api';
import type { Interp } from '../interp/interp';
import { BoundMethod, Builtin, PyDict, PyInstance, PyList, PyTuple, type CallCtx, type Value } from '../interp/values';
import { childModules, hasChildModules, type TorchRuntime } from '../torch/runtime';
import { stateOf } from '../torch/moduleState';
import { numel, TensorV } from '../torch/tensor';

/** More records than this are not kept (a hover list of thousands helps nobody; rows keep every call). */
const MAX_RECORDS = 5000;
/** Helper calls kept per module, innermost first. */
const MAX_VIA = 6;

interface PendingBlock { inst: PyInstance; name: string; ctx: CallCtx; inputs: Shape[]; out: Value; rowStart: number; rowEnd: number; fmacs: number | null; fflops: number | null; callIndex: number }
interface PendingOp { op: string; ctx: CallCtx; inputs: Shape[]; out: Value; macs: number | null; flops: number | null; module: string }

function tensorsIn(v: Value | undefined): TensorV[] {
  if (v instanceof TensorV) return [v];
  if (v instanceof PyTuple || v instanceof PyList) return v.items.flatMap(tensorsIn);
  if (v instanceof PyDict) return [...v.map.values()].flatMap((e) => tensorsIn(e.v));
  return [];
}

const shapesOf = (vs: Value[]): Shape[] => vs.flatMap(tensorsIn).map((t) => [...t.shape]);
const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

export class CallSites {
  /** Python-level call sites being evaluated (outermost first). */
  private readonly stack: CallCtx[] = [];
  private readonly blocks: PendingBlock[] = [];
  private readonly ops: PendingOp[] = [];
  private readonly via = new Map<PyInstance, CallCtx[]>();
  private readonly moduleStack: string[] = [''];
  private inOp = 0;
  private readonly calls = new Map<PyInstance, number>();

  constructor(private readonly it: Interp, private readonly rt: TorchRuntime) {
    const call = it.call.bind(it);
    it.call = (fn: Value, args: Value[], kw: Map<string, Value>, ctx: CallCtx): Value => {
      if (!ctx.file) return call(fn, args, kw, ctx);
      this.stack.push(ctx);
      try {
        const native = fn instanceof Builtin || (fn instanceof BoundMethod && fn.fn instanceof Builtin);
        // a module's native forward is the module's call (its block record), not an op
        if (!native || !rt.tracing || this.inOp > 0 || this.inLeaf() || nameOf(fn).endsWith('.forward')) return call(fn, args, kw, ctx);
        return this.op(fn, args, kw, ctx, () => call(fn, args, kw, ctx));
      } finally {
        this.stack.pop();
      }
    };
    const onInstantiate = rt.onInstantiate.bind(rt);
    rt.onInstantiate = (inst: PyInstance, ctx: CallCtx): void => {
      onInstantiate(inst, ctx);
      // the calls around the construction, innermost first, without the construction itself
      const outer = this.stack.filter((c) => c !== ctx && !(c.file === ctx.file && c.s === ctx.s));
      if (outer.length) this.via.set(inst, outer.slice(-MAX_VIA).reverse());
    };
    const callModule = rt.callModule.bind(rt);
    rt.callModule = (inst: PyInstance, args: Value[], kw: Map<string, Value>, ctx: CallCtx): Value => {
      const name = rt.names.get(inst);
      if (!rt.tracing || name === undefined || !hasChildModules(inst) || this.inLeaf()) return callModule(inst, args, kw, ctx);
      const rowStart = rt.records.length;
      const m0 = rt.functionalMacs, f0 = rt.functionalFlops;
      this.moduleStack.push(name);
      const inOp = this.inOp;
      this.inOp = 0; // a block called by an op (`checkpoint(self.block, x)`): its own ops are recorded
      let out: Value;
      try {
        out = callModule(inst, args, kw, ctx);
      } finally {
        this.moduleStack.pop();
        this.inOp = inOp;
      }
      const callIndex = this.calls.get(inst) ?? 0;
      this.calls.set(inst, callIndex + 1);
      if (this.blocks.length < MAX_RECORDS) {
        this.blocks.push({ inst, name, ctx, inputs: shapesOf([...args, ...kw.values()]), out, rowStart, rowEnd: rt.records.length, fmacs: delta(m0, rt.functionalMacs), fflops: delta(f0, rt.functionalFlops), callIndex });
      }
      return out;
    };
  }

  private inLeaf(): boolean {
    const top = this.rt.frames[this.rt.frames.length - 1];
    return !!top && top.leaf;
  }

  private op(fn: Builtin | BoundMethod, args: Value[], kw: Map<string, Value>, ctx: CallCtx, run: () => Value): Value {
    const b = (fn instanceof BoundMethod ? fn.fn : fn) as Builtin & { self?: Value };
    const self = fn instanceof BoundMethod ? fn.self : b.self;
    const m0 = this.rt.functionalMacs, f0 = this.rt.functionalFlops;
    this.inOp++;
    let out: Value;
    try {
      out = run();
    } finally {
      this.inOp--;
    }
    if (this.ops.length < MAX_RECORDS && tensorsIn(out).length > 0) {
      const inputs = shapesOf(self instanceof TensorV ? [self, ...args, ...kw.values()] : [...args, ...kw.values()]);
      this.ops.push({ op: b.name, ctx, inputs, out, macs: delta(m0, this.rt.functionalMacs), flops: delta(f0, this.rt.functionalFlops), module: this.moduleStack[this.moduleStack.length - 1] });
    }
    return out;
  }

  /** Helper call sites `inst` was constructed through (innermost first). */
  builtVia(inst: PyInstance): Loc[] | undefined {
    const cs = this.via.get(inst);
    const locs = cs?.map((c) => this.it.locOf(c.file, c.s, c.e)).filter((l): l is Loc => l !== undefined);
    return locs?.length ? locs : undefined;
  }

  blockCalls(rows: Row[]): BlockCall[] {
    return this.blocks.map((b) => {
      const outs = tensorsIn(b.out);
      const inRows = rows.slice(b.rowStart, b.rowEnd);
      const sum = (f: (r: Row) => number | null, extra: number | null) =>
        inRows.reduce<number | null>((s, r) => { const x = f(r); return s === null || x === null ? null : s + x; }, extra);
      const call: BlockCall = {
        name: b.name, type: b.inst.cls.name, inputs: b.inputs, output: outs[0] ? [...outs[0].shape] : null,
        params: paramsUnder(b.inst), macs: outs[0] ? sum((r) => r.macs, b.fmacs) : null, flops: outs[0] ? sum((r) => r.flops, b.fflops) : null,
        rowStart: b.rowStart, rowEnd: b.rowEnd, callIndex: b.callIndex,
      };
      const loc = this.it.locOf(b.ctx.file, b.ctx.s, b.ctx.e);
      if (loc) call.callLoc = loc;
      if (outs.length > 1) call.outputs = outs.map((t) => [...t.shape]);
      return call;
    });
  }

  opCalls(): OpCall[] {
    return this.ops.flatMap((o) => {
      const loc = this.it.locOf(o.ctx.file, o.ctx.s, o.ctx.e);
      if (!loc) return [];
      const outs = tensorsIn(o.out);
      const op: OpCall = { op: o.op, loc, inputs: o.inputs, output: [...outs[0].shape], macs: o.macs, flops: o.flops, module: o.module };
      if (outs.length > 1) op.outputs = outs.map((t) => [...t.shape]);
      return [op];
    });
  }
}

function nameOf(fn: Builtin | BoundMethod): string {
  return fn instanceof Builtin ? fn.name : fn.fn instanceof Builtin ? fn.fn.name : '';
}

/** Parameter elements of a module and its children, each tensor once (tied weights counted once). */
function paramsUnder(root: PyInstance): number {
  const seen = new Set<TensorV>();
  const mods = new Set<PyInstance>();
  let n = 0;
  const walk = (m: PyInstance): void => {
    if (mods.has(m)) return;
    mods.add(m);
    for (const e of stateOf(m)!.params.map.values()) {
      const p = e.v;
      if (p instanceof TensorV && !seen.has(p)) { seen.add(p); n += numel(p.shape) ?? 0; }
    }
    for (const [, c] of childModules(m)) walk(c);
  };
  walk(root);
  return n;
}
