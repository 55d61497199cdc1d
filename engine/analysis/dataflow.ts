// The traced forward as a data-flow graph for the Inspector: leaf-module calls (the rows) and the functional
// ops between them (residual adds, concatenations, reshapes) as nodes, tensors as edges labelled with shapes.
// Reads the trace only through TraceOp's `op`/`inputs` and the runtime's call records; records while the
// forward is traced by wrapping two runtime methods on this analysis's instance (nothing global is changed).
import type { Dataflow, DataflowEdge, DataflowNode, Loc } from '../api';
import type { Interp } from '../interp/interp';
import { freshId, PyList, PyTuple, type CallCtx, type PyInstance, type Value } from '../interp/values';
import type { CallRecord, TorchRuntime } from '../torch/runtime';
import { DTYPE_BYTES, numel, TensorV, type TraceOp } from '../torch/tensor';

/** Graphs beyond this are cut (drawing thousands of nodes helps nobody; the rows still list every call). */
export const DATAFLOW_MAX_NODES = 4000;

/** Python operators as torch names them (`out + x` is `add` in a PyTorch graph, too). */
const OP_NAMES: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floor_divide', '%': 'remainder', '**': 'pow', '@': 'matmul' };

interface Made { module: string; ctx: CallCtx }
interface CallSpan { start: number; end: number }

function tensorsIn(v: Value | undefined): TensorV[] {
  if (v instanceof TensorV) return [v];
  if (v instanceof PyTuple || v instanceof PyList) return v.items.flatMap(tensorsIn);
  return [];
}

const bytesOf = (ts: TensorV[]): number | null =>
  ts.reduce<number | null>((s, t) => { const n = numel(t.shape); return s === null || n === null ? null : s + n * DTYPE_BYTES[t.dtype]; }, 0);

/** A candidate producer of a tensor and when it produced it (tensor ids grow with time). */
interface Producer { id: string; order: number }

/**
 * Starts recording on `rt` (call before tracing forward): which module's forward made each tensor, at which
 * statement, and when each recorded call started and ended. `build` turns the finished trace into the graph.
 */
export class DataflowRecorder {
  private readonly stack: string[] = [''];
  private readonly made = new Map<TensorV, Made>();
  private readonly spans = new Map<CallRecord, CallSpan>();

  constructor(private readonly it: Interp, private readonly rt: TorchRuntime) {
    const tensor = rt.tensor.bind(rt);
    rt.tensor = (...a: Parameters<TorchRuntime['tensor']>) => {
      const t = tensor(...a);
      if (rt.tracing) this.made.set(t, { module: this.stack[this.stack.length - 1], ctx: it.cur });
      return t;
    };
    const callModule = rt.callModule.bind(rt);
    rt.callModule = (inst: PyInstance, args: Value[], kw: Map<string, Value>, ctx: CallCtx) => {
      const before = rt.records.length;
      const name = rt.names.get(inst);
      const start = freshId();
      if (name !== undefined) this.stack.push(name);
      try {
        return callModule(inst, args, kw, ctx);
      } finally {
        if (name !== undefined) this.stack.pop();
        const rec = rt.records[before];
        if (rt.records.length === before + 1 && rec.inst === inst) this.spans.set(rec, { start, end: freshId() });
      }
    };
  }

  build(inputs: TensorV[], output: Value | undefined): Dataflow {
    return new GraphBuilder(this.it, this.rt.records, this.made, this.spans, inputs).build(tensorsIn(output));
  }
}

class GraphBuilder {
  private readonly nodes = new Map<string, DataflowNode>();
  private readonly edges: DataflowEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  /** Records whose outputs include a tensor (several when an identity module passes it on). */
  private readonly recordsOf = new Map<TensorV, number[]>();
  private readonly opIds = new Map<TraceOp, string>();
  private readonly todo: Array<{ id: string; inputs: TensorV[]; order: number }> = [];
  private truncated = false;

  constructor(
    private readonly it: Interp, private readonly records: CallRecord[], private readonly made: Map<TensorV, Made>,
    private readonly spans: Map<CallRecord, CallSpan>, private readonly inputs: TensorV[],
  ) {
    records.forEach((r, i) => { for (const t of tensorsIn(r.output)) this.recordsOf.set(t, [...(this.recordsOf.get(t) ?? []), i]); });
  }

  build(outputs: TensorV[]): Dataflow {
    this.inputs.forEach((t, i) => this.add({ id: `in${i}`, kind: 'input', label: this.inputs.length > 1 ? `input ${i}` : 'input', type: 'input', module: '', shape: [...t.shape], outputBytes: bytesOf([t]) }));
    if (outputs.length) {
      this.add({ id: 'out', kind: 'output', label: 'output', type: 'output', module: '', shape: [...outputs[0].shape], outputBytes: bytesOf(outputs) });
      this.todo.push({ id: 'out', inputs: outputs, order: Infinity });
    }
    // iterative walk from the output back to the inputs (deep models must not overflow the stack)
    for (let job = this.todo.pop(); job; job = this.todo.pop()) {
      for (const t of job.inputs) {
        const p = this.producer(t, job.order);
        if (p) this.edge(p, job.id, t);
      }
    }
    return { nodes: [...this.nodes.values()], edges: this.edges, truncated: this.truncated };
  }

  /** The node that last produced `t` before a consumer at `order` (identity modules pass tensors on). */
  private producer(t: TensorV, order: number): string | undefined {
    const cands: Producer[] = [];
    const inputIndex = this.inputs.indexOf(t);
    if (inputIndex >= 0) cands.push({ id: `in${inputIndex}`, order: -1 });
    else if (t.src) cands.push({ id: '', order: t.id });
    for (const r of this.recordsOf.get(t) ?? []) {
      const span = this.spans.get(this.records[r]);
      cands.push({ id: `m${r}`, order: span ? span.end : t.id + 0.5 });
    }
    const best = cands.filter((c) => c.order < order).sort((a, b) => b.order - a.order)[0];
    if (!best) return undefined;
    if (best.id.startsWith('m')) return this.moduleNode(Number(best.id.slice(1)));
    if (best.id === '') return this.opNode(t);
    return best.id;
  }

  private moduleNode(r: number): string | undefined {
    const id = `m${r}`;
    if (this.nodes.has(id)) return id;
    const rec = this.records[r];
    const outs = tensorsIn(rec.output);
    const module = rec.name.includes('.') ? rec.name.slice(0, rec.name.lastIndexOf('.')) : '';
    const loc = this.loc(rec.ctx);
    if (!this.add({ id, kind: 'module', label: rec.name.split('.').pop() || rec.name, type: rec.inst.cls.name, rowIndex: r, module, ...(loc ? { loc } : {}), ...(outs[0] ? { shape: [...outs[0].shape] } : {}), outputBytes: bytesOf(outs) })) return undefined;
    const span = this.spans.get(rec);
    this.todo.push({ id, inputs: rec.inputs.flatMap(tensorsIn), order: span ? span.start : (outs[0]?.id ?? Infinity) });
    return id;
  }

  private opNode(t: TensorV): string | undefined {
    const src = t.src!;
    const known = this.opIds.get(src);
    if (known) return known;
    // numbered in the order the walk meets them, so the same trace gives the same ids (layouts are cached by them)
    const id = `o${this.opIds.size}`;
    const m = this.made.get(t);
    const loc = m ? this.loc(m.ctx) : undefined;
    if (!this.add({ id, kind: 'op', label: OP_NAMES[src.op] ?? src.op, type: src.op, module: m?.module ?? '', ...(loc ? { loc } : {}), shape: [...t.shape], outputBytes: bytesOf([t]) })) return undefined;
    this.opIds.set(src, id);
    this.todo.push({ id, inputs: src.inputs.flatMap(tensorsIn), order: t.id });
    return id;
  }

  private add(n: DataflowNode): boolean {
    if (this.nodes.size >= DATAFLOW_MAX_NODES) { this.truncated = true; return false; }
    this.nodes.set(n.id, n);
    return true;
  }

  private edge(from: string, to: string, t: TensorV): void {
    const key = `${from}>${to}>${t.id}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to, shape: [...t.shape] });
  }

  private loc(ctx: CallCtx | undefined): Loc | undefined {
    return ctx ? this.it.locOf(ctx.file, ctx.s, ctx.e) : undefined;
  }
}
