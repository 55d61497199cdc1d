// Turns a shape error raised inside a layer (channel / feature / BatchNorm mismatch) into a diagnostic at the
// constructor argument that is wrong, with a quick fix when that argument is a literal.
// Reads the syntax tree only; never changes analysis results.
import type { Diagnostic, Fix } from '../api';
import type { Arg, Expr } from '../python/ast';
import type { Interp } from '../interp/interp';
import { PyException, PyInstance, type CallCtx } from '../interp/values';
import type { TorchRuntime } from '../torch/runtime';
import { TensorV, numel, shapeStr } from '../torch/tensor';
import { stateOf } from '../torch/moduleState';

export interface FailedCall { inst: PyInstance; args: unknown[] }

function findCall(node: unknown, s: number, e: number): (Expr & { k: 'Call' }) | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as { k?: string; s?: number; e?: number };
  if (n.k === 'Call' && n.s === s && n.e === e) return node as Expr & { k: 'Call' };
  if (typeof n.s === 'number' && typeof n.e === 'number' && (n.s > s || n.e < e)) return undefined;
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) { for (const x of v) { const r = findCall(x, s, e); if (r) return r; } }
    else if (v && typeof v === 'object') { const r = findCall(v, s, e); if (r) return r; }
  }
  return undefined;
}

/** The constructor argument for parameter `name` at position `pos` of the call that built `inst`. */
export function ctorArg(it: Interp, ctx: CallCtx | undefined, pos: number, name: string): Arg | undefined {
  if (!ctx?.file || ctx.s === undefined || ctx.e === undefined) return undefined;
  const info = it.files.get(ctx.file);
  if (!info) return undefined;
  const call = findCall(info.parsed.body, ctx.s, ctx.e);
  if (!call) return undefined;
  const kw = call.args.find((a) => a.kind === 'kw' && a.name === name);
  if (kw) return kw;
  const positional = call.args.filter((a) => a.kind === 'pos');
  if (call.args.some((a, i) => a.kind === 'star' && i <= pos)) return undefined;
  return positional[pos];
}

/** "576 = 16·6·6" when the tensor came from flattening [N, 16, 6, 6]. */
function explainFeatures(t: TensorV, n: number): string {
  const src = t.src;
  if (!src || !['flatten', 'view', 'reshape'].includes(src.op)) return String(n);
  const from = src.inputs[0];
  if (!(from instanceof TensorV)) return String(n);
  const tail = from.shape.slice(1);
  if (tail.length < 2 || numel(tail) !== n) return String(n);
  return `${n} = ${tail.join('·')}`;
}

export function shapeDiagnostic(it: Interp, rt: TorchRuntime, err: unknown): Diagnostic | undefined {
  if (!(err instanceof PyException)) return undefined;
  const code = (err as { shapeCode?: string }).shapeCode;
  const failed = (err as { failedCall?: FailedCall }).failedCall;
  const callLoc = it.locOf((err as { file?: string }).file, err.s, err.e);
  if (!code || !failed) return undefined;
  const inst = failed.inst;
  const type = inst.cls.name;
  const x = failed.args.find((a): a is TensorV => a instanceof TensorV);
  const defCtx = stateOf(inst)?.defCtx;
  const spec = rt.specOf(inst);
  let message: string | undefined;
  let arg: Arg | undefined;
  let right: number | undefined;
  let diagCode = 'shape.' + code;
  if (code === 'channels' && spec?.kind === 'conv' && x) {
    const want = inst.dict.get('in_channels') as number;
    const got = x.shape[x.shape.length === 4 || x.shape.length === 3 || x.shape.length === 5 ? 1 : 0] as number;
    message = `${type} expects ${want} input channels, gets ${got} (input ${shapeStr(x.shape)})`;
    arg = ctorArg(it, defCtx, 0, 'in_channels');
    right = got;
    diagCode = 'shape.channels';
  } else if (code === 'features' && spec?.name === 'Linear' && x) {
    const want = inst.dict.get('in_features') as number;
    const got = x.shape[x.shape.length - 1] as number;
    message = `Linear expects ${want} input features, gets ${explainFeatures(x, got)}`;
    arg = ctorArg(it, defCtx, 0, 'in_features');
    right = got;
    diagCode = 'shape.features';
  } else if (code === 'bnfeatures' && x) {
    const want = inst.dict.get('num_features') as number;
    const got = x.shape[1] as number;
    message = `${type} expects ${want} features (channels), gets ${got} (input ${shapeStr(x.shape)})`;
    arg = ctorArg(it, defCtx, 0, 'num_features');
    right = got;
    diagCode = 'shape.bnfeatures';
  } else if (code === 'features' && x) {
    message = `${type}: ${err.message.replace(/^RuntimeError: /, '')}`;
  }
  if (!message) return undefined;
  const argLoc = arg && defCtx?.file ? it.locOf(defCtx.file, arg.value.s, arg.value.e) : undefined;
  let fix: Fix | undefined;
  if (argLoc && arg && arg.value.k === 'Num' && right !== undefined) fix = { title: `Change to ${right}`, loc: argLoc, text: String(right) };
  const where = callLoc ? ` (called at line ${callLoc.line + 1})` : '';
  return { severity: 'error', code: diagCode, message: message + (argLoc ? where : ''), loc: argLoc ?? callLoc ?? it.locOf(defCtx?.file, defCtx?.s, defCtx?.e), ...(fix ? { fix } : {}) };
}
