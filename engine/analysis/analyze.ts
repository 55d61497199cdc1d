// Runs one analysis: interpret the file, build the model from its expression, trace forward in eval mode
// with symbolic inputs, and turn the recorded module calls into the report (rows, totals, diagnostics).
// Never throws for problems in the user's code: they come back as diagnostics.
import type { AnalyzeOptions, ConfigValue, Diagnostic, Loc, ModuleNode, ParamInfo, Report, Row, Shape, Totals } from '../api';
import { parsePython } from '../python/parse';
import type { ParsedFile } from '../python/ast';
import { Interp, MemoryParseCache, type ParseCache } from '../interp/interp';
import { installBuiltins } from '../interp/builtins/index';
import { installStdlib } from '../interp/stdlib/registry';
import { InterpError, PyClass, PyDict, PyException, PyFloat, PyFunction, PyInstance, PyList, PyModule, PyTuple, Unknown, typeName, type CallCtx, type Value } from '../interp/values';
import { pyStr } from '../interp/ops';
import { TorchRuntime, type CallRecord } from '../torch/runtime';
import { installTorch } from '../torch/namespaces/registry';
import { DEFAULT_TORCH_VERSION } from '../torch/version';
import { TensorV, DTYPE_BYTES, numel } from '../torch/tensor';
import { getRf, setRf } from '../torch/tensorOps';
import { costMacs } from '../torch/terms';
import { discover, pickModel } from './discovery';
import { shapeDiagnostic } from './shapeDiagnostics';
import { DataflowRecorder } from './dataflow';
import { CallSites } from './callSites';
import { stateOf } from '../torch/moduleState';
import { now } from '../util/clock';

let parseCache: ParseCache = new MemoryParseCache();

/** The parsed file for this text, from the shared cache (discovery after an analysis parses nothing). */
export function parsedFile(path: string, text: string): ParsedFile {
  const hit = parseCache.get(path, text);
  if (hit) return hit;
  const parsed = parsePython(path, text);
  parseCache.set(path, text, parsed);
  return parsed;
}

/** Puts a persistent cache (e.g. the CLI's disk cache) under the in-memory one. */
export function setParseCache(lower: ParseCache): void { parseCache = new MemoryParseCache(256, lower); }


export interface Analysis {
  report: Report;
  /** The interpreter and runtime of this analysis (the numeric engine replays the trace from here). */
  interp: Interp;
  rt: TorchRuntime;
  model?: PyInstance;
  inputs: TensorV[];
  outputValue?: Value;
}

export function createInterp(opts: Pick<AnalyzeOptions, 'host' | 'searchPaths' | 'sitePackages' | 'stepBudget' | 'torchVersion' | 'timeLimitMs' | 'cpuClock' | 'cpuLimitMs'>): { it: Interp; rt: TorchRuntime } {
  let rt!: TorchRuntime;
  const it = new Interp({ host: opts.host, searchPaths: opts.searchPaths ?? [], libraryRoots: opts.sitePackages ?? [], stepBudget: opts.stepBudget ?? 300_000, maxDepth: 150, parseCache, timeLimitMs: opts.timeLimitMs, cpuClock: opts.cpuClock, cpuLimitMs: opts.cpuLimitMs },
    (interp) => (rt = new TorchRuntime(interp, opts.torchVersion ?? DEFAULT_TORCH_VERSION)));
  installBuiltins(it);
  installStdlib(it);
  installTorch(rt);
  return { it, rt };
}

export function analyze(opts: AnalyzeOptions): Report { return runAnalysis(opts).report; }

export function runAnalysis(opts: AnalyzeOptions): Analysis {
  const t0 = now();
  const { it, rt } = createInterp(opts);
  const report: Report = {
    model: opts.model ?? '', inputs: opts.input ?? [], rows: [], totals: emptyTotals(), modules: [], output: null,
    diagnostics: [], missingFiles: [], filesRead: [], timings: { parseMs: 0, analysisMs: 0 },
  };
  const result: Analysis = { report, interp: it, rt, inputs: [] };
  const finish = (): Analysis => {
    report.diagnostics = [...it.diagnostics, ...report.diagnostics];
    report.missingFiles = [...it.missingFiles];
    report.filesRead = [...it.filesRead];
    report.timings = { parseMs: round2(it.parseMs), analysisMs: round2(now() - t0 - it.parseMs) };
    return result;
  };
  // the editor's hovers of blocks, ops and helper calls (the CLI's summary needs none of it)
  const sites = opts.callSites ? new CallSites(it, rt) : undefined;
  const modName = moduleNameOf(opts.file);
  const mod = it.execFile(opts.file, modName);
  if (!mod) {
    report.diagnostics.push({ severity: 'error', code: 'file', message: `cannot read ${opts.file}` });
    return finish();
  }
  const info = it.files.get(opts.file)!;
  // which model, which input
  let expr = opts.model;
  let input = opts.input;
  if (!expr || !input) {
    const found = discover(opts.file, info.parsed.source, info.parsed);
    const pick = expr ? found.candidates.find((c) => c.expr.split('(')[0] === expr!.split('(')[0] || c.name === expr) ?? pickModel(found.candidates) : pickModel(found.candidates);
    if (!expr) {
      if (!pick) {
        const names = found.candidates.filter((c) => c.kind !== 'assignment').map((c) => c.expr);
        report.diagnostics.push({
          severity: 'error', code: 'model.choose',
          message: names.length ? `several models are defined; choose one with --model: ${names.join(', ')}` : 'no nn.Module subclass or model factory found in this file',
        });
        return finish();
      }
      expr = pick.expr;
    }
    if (!input) input = pick?.input ?? found.candidates.find((c) => c.input)?.input;
    if (!input && !opts.buildOnly) {
      report.model = expr;
      report.diagnostics.push({
        severity: 'error', code: 'input.missing',
        message: `no input shape for ${expr}: add a comment like "# layerlens: input=(1, 3, 224, 224)" or pass --input`,
      });
      return finish();
    }
  }
  report.model = expr;
  report.inputs = input ?? [];
  // build the model
  const exprSrc = /^[A-Za-z_][\w.]*$/.test(expr.trim()) ? `${expr.trim()}` : expr;
  const parsedExpr = parsePython('<model>', exprSrc);
  const st = parsedExpr.body[0];
  if (!st || st.k !== 'Expr' || parsedExpr.problems.length) {
    report.diagnostics.push({ severity: 'error', code: 'model.expr', message: `cannot parse model expression '${expr}'` });
    return finish();
  }
  let model: Value;
  const exprCtx: CallCtx = {};
  try {
    it.cur = {};
    let v = it.eval(st.value, mod.scope, new PyModule('<model>', '<model>', mod.scope));
    if (v instanceof PyClass) v = it.call(v, [], new Map(), exprCtx);
    else if (!(v instanceof PyInstance) && !(v instanceof Unknown) && /^[A-Za-z_][\w.]*$/.test(expr.trim())) v = it.call(v, [], new Map(), exprCtx);
    model = v;
  } catch (err) {
    it.reportError(err, opts.file, 0, 0);
    report.diagnostics.push({ severity: 'error', code: 'model.build', message: `could not build ${expr}: ${errMessage(err)}` });
    return finish();
  }
  if (!(model instanceof PyInstance) || !stateOf(model)) {
    report.diagnostics.push({ severity: 'error', code: 'model.build', message: `${expr} did not produce an nn.Module (got ${model instanceof Unknown ? `an unknown value: ${model.reason}` : pyStr(model)})` });
    return finish();
  }
  result.model = model;
  if (opts.buildOnly || !input) return finish();
  const named = rt.namedModules(model);
  rt.names = new Map(named.map(([n, m]) => [m, n]));
  // the model's tree, walked once: what rt.setTraining(model) walks again
  for (const [, m] of named) stateOf(m)!.training = opts.training === true;
  // trace forward
  const dtypes = input.map((_, i) => opts.inputDtypes?.[i] ?? 'float32');
  if (dtypes.some((d) => d !== 'float32')) report.inputDtypes = dtypes;
  const inputs = input.map((shape, i) => {
    const t = rt.tensor(shape, dtypes[i]);
    if (shape.length >= 3) setRf(t, { size: Array(shape.length - 2).fill(1), jump: Array(shape.length - 2).fill(1) });
    return t;
  });
  result.inputs = inputs;
  const dataflow = opts.dataflow ? new DataflowRecorder(it, rt) : undefined;
  rt.tracing = true;
  let out: Value = null;
  // NOTE: every value the forward pass cannot know comes with a diagnostic, so the diagnostics made
  // while tracing are exactly the reasons a total may be incomplete.
  const diagsBefore = it.diagnostics.length;
  const incomplete: string[] = [];
  try {
    it.depth = 0;
    out = it.call(model, inputs, new Map(), exprCtx);
  } catch (err) {
    const diag = shapeDiagnostic(it, rt, err);
    if (diag) report.diagnostics.push(diag);
    else it.reportError(err, opts.file, 0, 0);
    out = new Unknown(errMessage(err));
    incomplete.push(`the forward pass stopped: ${diag?.message ?? errMessage(err)}${where(diag?.loc ?? it.locOf(it.cur.file, it.cur.s, it.cur.e))}`);
  } finally {
    rt.tracing = false;
  }
  for (const d of it.diagnostics.slice(diagsBefore)) incomplete.push(`${d.message}${where(d.loc)}`);
  result.outputValue = out;
  const first = firstTensor(out);
  report.output = first ? [...first.shape] : null;
  if (!first && out instanceof Unknown) {
    const loc = it.locOf(out.file, out.s, out.e) ?? forwardLoc(it, model);
    report.diagnostics.push({ severity: 'info', code: 'unknown', message: `the model's output is unknown: ${out.reason}`, ...(loc ? { loc } : {}) });
  } else if (!first) {
    const loc = forwardLoc(it, model);
    report.diagnostics.push({ severity: 'warning', code: 'output.none', message: `${model.cls.name}.forward returned ${out === null ? 'None' : `a ${typeName(out)}`}, not a tensor`, ...(loc ? { loc } : {}) });
  }
  const ownerOf = new Map<TensorV, string>();
  const params = rt.namedParameters(model, named);
  for (const [name, p] of params) ownerOf.set(p, name);
  report.rows = rt.records.map((r) => toRow(it, rt, r, ownerOf));
  report.modules = named.map(([name, m]) => {
    const node = moduleNode(it, name, m);
    const via = sites?.builtVia(m);
    return via ? { ...node, builtVia: via } : node;
  });
  if (sites) {
    report.blocks = sites.blockCalls(report.rows);
    report.ops = sites.opCalls();
  }
  const fwd = model.cls.lookup('forward');
  if (fwd instanceof PyFunction) {
    const ps = fwd.code.params.filter((p) => p.kind === 'pos').slice(1);
    report.forwardArgs = { names: ps.map((p) => p.name), required: ps.filter((p) => !p.default).length };
  }
  if (!first && !incomplete.length) incomplete.push(`the model's output is unknown${out instanceof Unknown ? `: ${out.reason}` : ''}`);
  report.totals = totals(rt, params, rt.namedBuffers(model, named), report.rows, incomplete);
  const rounded = roundedCounts(report.totals);
  if (rounded) report.diagnostics.push({ severity: 'warning', code: 'precision', message: rounded });
  if (dataflow) report.dataflow = dataflow.build(inputs, out);
  return finish();
}

function moduleNameOf(file: string): string {
  const base = file.split('/').pop() ?? file;
  return base.replace(/\.py$/, '');
}

function round2(x: number): number { return Math.round(x * 100) / 100; }

function errMessage(err: unknown): string {
  if (err instanceof PyException || err instanceof InterpError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function emptyTotals(): Totals {
  return { params: 0, trainableParams: 0, macs: null, flops: null, macsLowerBound: 0, flopsLowerBound: 0, incomplete: ['the model was not analysed'], functionalMacs: 0, activationBytes: 0, paramBytes: 0, bufferBytes: 0 };
}

export function firstTensor(v: Value): TensorV | undefined {
  if (v instanceof TensorV) return v;
  if (v instanceof PyTuple || v instanceof PyList) { for (const x of v.items) { const t = firstTensor(x); if (t) return t; } }
  if (v instanceof PyDict) { for (const e of v.map.values()) { const t = firstTensor(e.v); if (t) return t; } }
  return undefined;
}

function tensorsIn(v: Value): TensorV[] {
  if (v instanceof TensorV) return [v];
  if (v instanceof PyTuple || v instanceof PyList) return v.items.flatMap(tensorsIn);
  return [];
}

export function ctxLoc(it: Interp, ctx: CallCtx | undefined): Loc | undefined {
  return ctx ? it.locOf(ctx.file, ctx.s, ctx.e) : undefined;
}

function configValue(v: Value, depth = 0): ConfigValue | undefined {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  // NOTE: JSON has no NaN or Infinity: such a float is shown as Python writes it
  if (v instanceof PyFloat) return Number.isFinite(v.v) ? v.v : pyStr(v);
  // a configuration is a few small tuples: a deeply nested or huge list is not shown (and never overflows the stack)
  if ((v instanceof PyTuple || v instanceof PyList) && depth < 4 && v.items.length <= 64) {
    const xs = v.items.map((x) => configValue(x, depth + 1));
    return xs.every((x) => x !== undefined) ? (xs as ConfigValue[]) : undefined;
  }
  return undefined;
}

function toRow(it: Interp, rt: TorchRuntime, r: CallRecord, ownerOf: Map<TensorV, string>): Row {
  const m = stateOf(r.inst)!;
  const spec = rt.specOf(r.inst);
  const paramShapes: ParamInfo[] = [];
  let params = 0, trainable = 0;
  for (const e of m.params.map.values()) {
    const p = e.v, n = String(e.k);
    if (!(p instanceof TensorV)) continue;
    const k = numel(p.shape);
    const owner = ownerOf.get(p);
    const shared = owner !== undefined && owner !== (r.name ? `${r.name}.${n}` : n);
    paramShapes.push({ name: n, shape: [...p.shape], numel: k, trainable: p.requiresGrad, shared });
    params += k ?? 0;
    if (p.requiresGrad) trainable += k ?? 0;
  }
  const outs = tensorsIn(r.output);
  const out = outs[0];
  const config: Record<string, ConfigValue> = {};
  for (const key of spec?.config ?? []) {
    const v = r.inst.dict.get(key);
    const c = v === undefined ? undefined : configValue(v);
    if (c !== undefined) config[key] = c;
  }
  const bytes = outs.length ? outs.reduce<number | null>((s, t) => { const n = numel(t.shape); return s === null || n === null ? null : s + n * DTYPE_BYTES[t.dtype]; }, 0) : null;
  const rf = out ? getRf(out) : undefined;
  const row: Row = {
    name: r.name, type: r.inst.cls.name,
    inputs: r.inputs.flatMap(tensorsIn).map((t) => [...t.shape]),
    output: out ? [...out.shape] : null,
    params, trainableParams: trainable, paramShapes,
    macs: out ? r.macs : null, flops: out ? r.flops : null,
    outputBytes: bytes,
    config,
    defLoc: ctxLoc(it, m.defCtx),
    callLoc: ctxLoc(it, r.ctx),
    callIndex: r.callIndex,
  };
  if (outs.length > 1) row.outputs = outs.map((t) => [...t.shape]);
  // A layer whose forward is one windowed or matmul-type op carries that op's terms (user subclasses that
  // add work keep their own MACs, so the cost factors are attached only when they multiply to them).
  const terms = spec && r.terms.length === 1 ? r.terms[0] : undefined;
  if (terms?.geometry) row.geometry = terms.geometry;
  if (terms?.cost && out && r.macs !== null && costMacs(terms.cost) === r.macs) row.cost = terms.cost;
  if (rf && out && out.shape.length >= 3 && spec && (spec.kind === 'conv' || spec.kind === 'pool' || spec.kind === 'norm' || spec.kind === 'activation' || spec.kind === 'dropout')) {
    row.receptiveField = { size: [...rf.size], stride: [...rf.jump] };
  }
  if (!out) row.unknownReason = r.output instanceof Unknown ? r.output.reason : 'the call returned no tensor';
  return row;
}

function moduleNode(it: Interp, name: string, m: PyInstance): ModuleNode {
  let isLeaf = true, params = 0;
  const st = stateOf(m)!;
  for (const e of st.modules.map.values()) if (e.v instanceof PyInstance) { isLeaf = false; break; }
  for (const e of st.params.map.values()) if (e.v instanceof TensorV) params += numel(e.v.shape) ?? 0;
  return { name, type: m.cls.name, depth: name ? dots(name) + 1 : 0, isLeaf, params, defLoc: ctxLoc(it, st.defCtx) };
}

function dots(name: string): number {
  let n = 0;
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) n++;
  return n;
}

/** Where the model's forward is defined (the place to point at when its result is not a tensor). */
function forwardLoc(it: Interp, model: PyInstance): Loc | undefined {
  const f = model.cls.lookup('forward');
  return f instanceof PyFunction ? it.locOf(f.code.file, f.code.s, f.code.s + 3) : undefined;
}

/** ` (model.py:12)` for a reason's location, or nothing. */
function where(loc: Loc | undefined): string {
  return loc ? ` (${loc.file.split('/').pop()}:${loc.line + 1})` : '';
}

/** Counts past 2^53 are doubles, exact only to about one part in 10^16: say so rather than print them as exact. */
function roundedCounts(t: Totals): string | undefined {
  const big = ([['params', t.params], ['MACs', t.macs ?? t.macsLowerBound], ['FLOPs', t.flops ?? t.flopsLowerBound], ['activation bytes', t.activationBytes ?? 0], ['parameter bytes', t.paramBytes], ['buffer bytes', t.bufferBytes]] as Array<[string, number]>)
    .filter(([, v]) => v > Number.MAX_SAFE_INTEGER).map(([n]) => n);
  return big.length ? `${big.join(', ')} exceed 2^53 (9.0e15): these totals are rounded to double precision (relative error below 1e-15), not exact` : undefined;
}

function totals(rt: TorchRuntime, ps: Array<[string, TensorV, PyInstance]>, buffers: Array<[string, TensorV, PyInstance]>, rows: Row[], reasons: string[]): Totals {
  let params = 0, trainable = 0, paramBytes = 0;
  for (const [, p] of ps) {
    const n = numel(p.shape) ?? 0;
    params += n;
    if (p.requiresGrad) trainable += n;
    paramBytes += n * DTYPE_BYTES[p.dtype];
  }
  let bufferBytes = 0;
  for (const [, b] of buffers) bufferBytes += (numel(b.shape) ?? 0) * DTYPE_BYTES[b.dtype];
  const sum = (xs: Array<number | null>): number | null => xs.reduce<number | null>((s, x) => (s === null || x === null ? null : s + x), 0);
  const known = (xs: Array<number | null>): number => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
  const unknownRows = [...new Set(rows.filter((r) => r.macs === null || r.flops === null).map((r) => r.name || r.type))];
  const incomplete = [...new Set(reasons)];
  if (unknownRows.length) incomplete.unshift(`${unknownRows.slice(0, 5).join(', ')}${unknownRows.length > 5 ? ` and ${unknownRows.length - 5} more` : ''} unknown`);
  if (rt.functionalMacs === null || rt.functionalFlops === null) incomplete.push('functional calls of unknown cost');
  const rowMacs = sum(rows.map((r) => r.macs));
  const rowFlops = sum(rows.map((r) => r.flops));
  const macsLowerBound = known(rows.map((r) => r.macs)) + (rt.functionalMacs ?? 0);
  const flopsLowerBound = known(rows.map((r) => r.flops)) + (rt.functionalFlops ?? 0);
  const complete = !incomplete.length;
  return {
    params, trainableParams: trainable,
    macs: complete && rowMacs !== null && rt.functionalMacs !== null ? rowMacs + rt.functionalMacs : null,
    flops: complete && rowFlops !== null && rt.functionalFlops !== null ? rowFlops + rt.functionalFlops : null,
    macsLowerBound, flopsLowerBound,
    ...(complete ? {} : { incomplete }),
    functionalMacs: rt.functionalMacs,
    activationBytes: sum(rows.map((r) => r.outputBytes)),
    paramBytes, bufferBytes,
  };
}

export type { Shape, Diagnostic };
