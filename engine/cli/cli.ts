// The `layerlens` command line, as a pure function over a file-reading host: argument parsing,
// running the analysis, and text/JSON output. main.ts binds it to Node's process and file system.
import type { Diagnostic, InputDtype, Report, SourceHost, TorchVersionChoice } from '../api';
import { runAnalysis } from '../analysis/analyze';
import { fmtShape, formatTable, toContractJson } from '../analysis/format';
import { runJson, runModel, runModelAsync, type RunReport } from '../run/run';
import type { ComputePool } from '../ops/pool/pool';
import type { PythonEnv } from '../env/pythonEnv';
import { importScope, isWithin, packageRootOf, scopedHost } from '../env/importScope';
import { weightsCommand } from './weightsCommand';
import { fmtBytes, memoryRefusal, parseByteSize } from './runMemory';

export interface CliIO {
  host: SourceHost;
  /** Binary files (weights, inputs); undefined when unreadable. */
  readBytes(path: string): Uint8Array | undefined;
  /** Worker threads for `run` (both cores); omitted: everything on this thread. */
  pool?(): ComputePool;
  /** The site-packages of a Python environment (the given interpreter, else `python3` on PATH), found without running it. */
  pythonEnv?(python: string | undefined): PythonEnv | undefined;
  /** The machine's memory in bytes: `run`'s default --max-memory is a fraction of it (none when omitted). */
  totalMemory?: number;
  /** Whether a file exists, without reading it (the package root is found with it); omitted: readFile. */
  isFile?(path: string): boolean;
  /** Resolves symbolic links (undefined when the path does not exist); omitted: links are not checked. */
  realpath?(path: string): string | undefined;
  /** This process's CPU time in ms: `summary` then stops an analysis by CPU time, not by a loaded machine's clock. */
  cpuClock?(): number;
  /** Forward MACs from which `run` uses the pool (default POOL_MIN_MACS). */
  poolMinMacs?: number;
  cwd: string;
  out(s: string): void;
  err(s: string): void;
}

export const USAGE = `usage: layerlens summary FILE [--model EXPR] [--input SHAPE]... [--json] [--depth N] [--path DIR]... [--python PATH]
                         [--torch-version 1.13|2.9]
       layerlens run FILE [--model EXPR] (--input SHAPE | --input-file X.safetensors) [--weights W] [--weights-key KEY]
                     [--mode train|eval] [--seed N] [--repeat N] [--json] [--path DIR]... [--torch-version 1.13|2.9] [--max-memory SIZE]
       layerlens weights W [--json] [--key KEY] [--model-file FILE [--model EXPR] [--path DIR]...]

  FILE            a Python file defining the model
  --model EXPR    Python expression evaluated in FILE's scope: Net, Net(), ResNet(BasicBlock, [2, 2, 2, 2]),
                  make_model(width=16). Omitted: the model the file obviously defines.
  --input SHAPE   input shape, 1,3,224,224 or 1x3x224x224 (whole numbers ≥ 1 without leading zeros, one
                  separator throughout, no spaces), optionally with a dtype: 2,16:int64 (token ids),
                  2,1,16:bool (masks); repeat for several inputs. Omitted: the shape written in the file
                  (# layerlens: input=(1, 3, 224, 224), or an example tensor such as torch.randn(1, 3, 224, 224)).
  --json          print the contract JSON instead of the table
  --depth N       merge rows deeper than N name levels (table only)
  --path DIR      extra root for absolute imports (repeatable)
  --python PATH   the Python environment whose site-packages imports are read from (default: python3 on
                  PATH; read only, never run); --python none reads no environment
  --torch-version V  the PyTorch API the model code sees: 2.9 (default, the current stable line) or 1.13;
                  torch.__version__, version checks and version-specific members follow it
  --input-file F  (run) safetensors file with the input tensor named "input"
  --weights W     (run) the model's full state_dict: .safetensors, or a torch.save checkpoint (.pth, .pt, .bin)
                  read without Python (only what torch.load(weights_only=True) accepts); omitted: PyTorch's
                  default initialisation schemes with a seeded generator
  --weights-key K (run) where the state_dict is in a nested checkpoint ({"model": ..., "optimizer": ...}):
                  model, state_dict, ema.module; omitted: the dictionary whose keys fit the model
  --mode M        (run) train (batch statistics, running buffers updated) or eval (default)
  --seed N        (run) seed of the default initialisation and of the generated input (default 0)
  --max-memory S  (run) refuse, before allocating anything, a run whose parameters, activations and gradients
                  need more than S: 8GB, 512MB, 16GiB or a byte count (default: half of the machine's memory)
  --repeat N      (run) run forward and backward N more times after the first, in the same process, and report
                  their median (warm) timings beside the first pass's; the reported numbers are the first pass's
  weights W       every tensor of W: name, dtype, shape, numel, min/max/mean/std, and the totals
  --key K         (weights) as --weights-key
  --model-file F  (weights) the Python file defining the model: adds load_state_dict's comparison (missing,
                  unexpected and size-mismatched keys); --model EXPR chooses the model as for summary

exit status: 0 ok, 1 analysis errors (printed as file:line:col), an unknown model output, or a run over
             --max-memory; 2 usage errors`;

class UsageError extends Error {}

/** `run`'s default --max-memory: this fraction of the machine's memory. */
export const DEFAULT_MEMORY_FRACTION = 0.5;

interface Parsed {
  cmd: string; file: string; model?: string; input?: number[][]; inputDtypes?: InputDtype[]; json: boolean; depth?: number; paths: string[]; python?: string;
  torchVersion?: TorchVersionChoice;
  inputFile?: string; weights?: string; mode: 'train' | 'eval'; seed: number; repeat: number;
  weightsKey?: string; modelFile?: string;
  maxMemory?: number;
}

const DTYPES: Record<string, InputDtype> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64', float16: 'float16', half: 'float16',
  bfloat16: 'bfloat16', int64: 'int64', long: 'int64', int32: 'int32', int: 'int32', int16: 'int16', int8: 'int8',
  uint8: 'uint8', bool: 'bool',
};

/**
 * One `--input`, by a strict grammar: sizes `1,3,224,224` or `1x3x224x224` (decimal whole numbers ≥ 1, no
 * leading zeros, one separator throughout, nothing else), optionally `:int64` (token ids) or `:bool` (masks).
 */
export function parseInputArg(v: string): { shape: number[]; dtype: InputDtype } {
  const bad = (why: string): UsageError => new UsageError(`bad --input '${v}': ${why}; expected sizes like 1,3,224,224 or 1x3x224x224, optionally with a dtype such as 2,16:int64`);
  const colon = v.indexOf(':');
  const sizes = colon < 0 ? v : v.slice(0, colon);
  const dtypeName = colon < 0 ? undefined : v.slice(colon + 1);
  if (sizes === '') throw bad('no sizes');
  const sep = sizes.includes(',') ? ',' : 'x';
  if (sizes.includes(',') && sizes.includes('x')) throw bad('mixes "," and "x"');
  const parts = sizes.split(sep);
  for (const d of parts) {
    if (d === '') throw bad('an empty size');
    if (!/^\d+$/.test(d)) throw bad(`'${d}' is not a whole number (no signs, decimals, exponents or spaces)`);
    if (/^0\d/.test(d)) throw bad(`'${d}' has a leading zero`);
    if (d === '0') throw bad('a size of 0 (every size must be ≥ 1)');
  }
  const shape = parts.map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d))) throw bad('a size too large to count exactly');
  if (!Number.isSafeInteger(shape.reduce((a, b) => a * b, 1))) throw bad('more elements than can be counted exactly (2^53)');
  if (dtypeName !== undefined && !/^[a-z0-9]+$/.test(dtypeName)) throw bad(`bad dtype '${dtypeName}'`);
  const dtype = dtypeName === undefined ? 'float32' : Object.prototype.hasOwnProperty.call(DTYPES, dtypeName) ? DTYPES[dtypeName] : undefined;
  if (!dtype) throw bad(`unknown dtype '${dtypeName}' (one of ${Object.keys(DTYPES).join(', ')})`);
  return { shape, dtype };
}

export function parseArgs(argv: string[]): Parsed {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') throw new UsageError('');
  if (cmd !== 'summary' && cmd !== 'run' && cmd !== 'weights') throw new UsageError(`unknown command '${cmd}'`);
  const p: Parsed = { cmd, file: '', json: false, paths: [], mode: 'eval', seed: 0, repeat: 0 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const val = (): string => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const flag = a.startsWith('--') ? a.split('=')[0] : a;
    switch (flag) {
      case '--model': p.model = val(); break;
      case '--input': {
        const { shape, dtype } = parseInputArg(val());
        (p.input ??= []).push(shape);
        (p.inputDtypes ??= []).push(dtype);
        break;
      }
      case '--json': p.json = true; break;
      case '--depth': { const d = Number(val()); if (!Number.isInteger(d) || d < 0) throw new UsageError('--depth needs a non-negative integer'); p.depth = d; break; }
      case '--path': p.paths.push(val()); break;
      case '--python': p.python = val(); break;
      case '--torch-version': {
        const v = val();
        if (v !== '1.13' && v !== '2.9') throw new UsageError(`--torch-version must be 1.13 or 2.9, not '${v}'`);
        p.torchVersion = v;
        break;
      }
      case '--input-file': p.inputFile = val(); break;
      case '--weights': p.weights = val(); break;
      case '--weights-key': case '--key': p.weightsKey = val(); break;
      case '--model-file': p.modelFile = val(); break;
      case '--mode': { const m = val(); if (m !== 'train' && m !== 'eval') throw new UsageError(`--mode must be train or eval, not '${m}'`); p.mode = m; break; }
      case '--max-memory': {
        const raw = val();
        const n = parseByteSize(raw);
        if (n === undefined) throw new UsageError(`bad --max-memory '${raw}': expected a size such as 8GB, 512MB, 16GiB or a byte count`);
        p.maxMemory = n;
        break;
      }
      case '--seed': { const s = Number(val()); if (!Number.isInteger(s)) throw new UsageError('--seed needs an integer'); p.seed = s; break; }
      case '--repeat': {
        const n = Number(val());
        if (!Number.isInteger(n) || n < 0 || n > 1000) throw new UsageError('--repeat needs a whole number of passes from 0 to 1000');
        p.repeat = n;
        break;
      }
      case '-h': case '--help': throw new UsageError('');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        if (p.file) throw new UsageError(`unexpected argument '${a}'`);
        p.file = a;
    }
  }
  if (!p.file) throw new UsageError('missing FILE');
  if (cmd === 'summary' && (p.inputFile || p.weights || p.weightsKey)) throw new UsageError('--input-file and --weights belong to `layerlens run`');
  if (cmd !== 'run' && p.maxMemory !== undefined) throw new UsageError('--max-memory belongs to `layerlens run` (summary allocates nothing)');
  if (cmd !== 'run' && p.repeat) throw new UsageError('--repeat belongs to `layerlens run`');
  if (cmd !== 'weights' && p.modelFile) throw new UsageError('--model-file belongs to `layerlens weights` (summary and run take the model file as FILE)');
  if (cmd === 'weights' && (p.weights || p.inputFile || p.input)) throw new UsageError('`layerlens weights` takes the weights file as FILE; --weights, --input and --input-file belong to `layerlens run`');
  if (cmd === 'weights' && p.model && !p.modelFile) throw new UsageError('--model needs --model-file FILE (the Python file that defines it)');
  return p;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.loc ? `${d.loc.file}:${d.loc.line + 1}:${d.loc.col + 1}: ` : '';
  return `${where}${d.severity}: ${d.message}`;
}

function absolute(cwd: string, p: string): string {
  if (p.startsWith('/')) return normalize(p);
  return normalize(`${cwd}/${p}`);
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return '/' + out.join('/');
}

/** --path roots, and the Python environment's site-packages (searched last, so the user's own modules win, as on sys.path). */
function importRoots(args: Parsed, io: CliIO): { searchPaths: string[]; sitePackages: string[] } | undefined {
  const searchPaths = args.paths.map((p) => absolute(io.cwd, p));
  if (args.python === 'none') return { searchPaths, sitePackages: [] };
  const env = io.pythonEnv?.(args.python === undefined ? undefined : absolute(io.cwd, args.python));
  if (args.python !== undefined && !env) { io.err(`layerlens: no Python environment found for --python ${args.python}\n`); return undefined; }
  return { searchPaths, sitePackages: (env?.sitePackages ?? []).filter((d) => !searchPaths.includes(d)) };
}

/**
 * The host the analysis of `file` reads through: only files under the current folder when `file` is in it
 * (else under `file`'s own package), --path roots and site-packages, and no link that leads outside them.
 */
function scopedIO<T extends CliIO>(io: T, file: string, roots: { searchPaths: string[]; sitePackages: string[] }): T {
  const cwd = absolute('/', io.cwd);
  // NOTE: the current folder is the project when the file is in it: its package root is never looked for above it
  const project = isWithin(file, cwd) ? cwd : packageRootOf(file, (dir) => (io.isFile ? io.isFile(`${dir}/__init__.py`) : io.host.readFile(`${dir}/__init__.py`) !== undefined));
  // FILE is the user's explicit choice: when it is a link that leaves the project, its real package is a
  // root too, so the file itself is read (links met by imports still must stay under a root)
  const realFile = io.realpath?.(file);
  const realProject = realFile && realFile !== file ? packageRootOf(realFile, (dir) => (io.isFile ? io.isFile(`${dir}/__init__.py`) : io.host.readFile(`${dir}/__init__.py`) !== undefined)) : undefined;
  const scope = importScope([project, realProject, ...roots.searchPaths, ...roots.sitePackages], io.realpath && ((p) => io.realpath!(p)));
  return { ...io, host: scopedHost(io.host, scope) };
}

/** Runs the CLI; returns the exit status (a promise for `run` on a compute pool). */
export function runCli(argv: string[], io: CliIO): number | Promise<number> {
  let args: Parsed;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) io.err(`layerlens: ${e.message}\n`);
      io.err(USAGE + '\n');
      return e.message ? 2 : 0;
    }
    throw e;
  }
  const roots = importRoots(args, io);
  if (!roots) return 2;
  const { searchPaths, sitePackages } = roots;
  if (args.cmd === 'weights') {
    const { file: w, json, weightsKey: key, modelFile, model } = args;
    const wio = modelFile ? scopedIO(io, absolute(io.cwd, modelFile), roots) : io;
    return weightsCommand({ file: w, json, key, modelFile, model, paths: [...searchPaths, ...sitePackages] }, (p) => absolute(io.cwd, p), wio);
  }
  const file = absolute(io.cwd, args.file);
  if (io.host.readFile(file) === undefined) { io.err(`layerlens: cannot read ${args.file}\n`); return 2; }
  io = scopedIO(io, file, roots);
  if (args.cmd === 'run') return runCommand(args, file, roots, io);
  const { report } = runAnalysis({ file, host: io.host, model: args.model, input: args.input, inputDtypes: args.inputDtypes, searchPaths, sitePackages, torchVersion: args.torchVersion, cpuClock: io.cpuClock });
  const usage = report.diagnostics.find((d) => d.code === 'model.choose' || d.code === 'input.missing');
  if (usage) { io.err(`layerlens: ${usage.message}\n`); return 2; }
  const shown = report.diagnostics.filter((d) => d.severity !== 'info' || d.loc?.file === file);
  for (const d of shown) io.err(formatDiagnostic(d) + '\n');
  if (report.rows.length || !hasErrors(report)) io.out((args.json ? toContractJson(report) : formatTable(report, { depth: args.depth })) + '\n');
  // NOTE: an unknown output means the totals cannot be trusted as a whole: never exit 0 on it.
  return hasErrors(report) || report.output === null ? 1 : 0;
}

function runCommand(args: Parsed, file: string, { searchPaths, sitePackages }: { searchPaths: string[]; sitePackages: string[] }, io: CliIO): number | Promise<number> {
  const bytes = (what: string, p: string | undefined): Uint8Array | undefined | null => {
    if (!p) return undefined;
    const b = io.readBytes(absolute(io.cwd, p));
    if (!b) { io.err(`layerlens: cannot read ${what} ${p}\n`); return null; }
    return b;
  };
  const weights = bytes('weights file', args.weights);
  const inputFile = bytes('input file', args.inputFile);
  if (weights === null || inputFile === null) return 2;
  const limit = args.maxMemory ?? (io.totalMemory ? Math.floor(io.totalMemory * DEFAULT_MEMORY_FRACTION) : undefined);
  const limitSource = args.maxMemory !== undefined ? '(--max-memory)' : `(half of this machine's ${fmtBytes(io.totalMemory ?? 0)})`;
  const opts = {
    file, host: io.host, model: args.model, input: args.input, inputDtypes: args.inputDtypes, searchPaths, sitePackages, mode: args.mode,
    weights, weightsName: args.weights, weightsKey: args.weightsKey, inputFile, seed: args.seed, torchVersion: args.torchVersion,
    admit: limit === undefined ? undefined : (r: Report) => memoryRefusal(r, limit, limitSource),
    repeat: args.repeat,
  };
  if (io.pool) {
    const pool = io.pool();
    return runModelAsync(opts, pool, io.poolMinMacs).then((r) => printRun(r, args, file, io)).finally(() => pool.dispose());
  }
  return printRun(runModel(opts), args, file, io);
}

function printRun(report: RunReport, args: Parsed, file: string, io: CliIO): number {
  const usage = report.diagnostics.find((d) => d.code === 'model.choose' || d.code === 'input.missing');
  if (usage) { io.err(`layerlens: ${usage.message}\n`); return 2; }
  const refused = report.diagnostics.find((d) => d.code === 'run.memory');
  if (refused) { io.err(`layerlens: ${refused.message}\n`); return 1; }
  for (const d of report.diagnostics.filter((x) => x.severity !== 'info' || x.loc?.file === file || x.code === 'weights')) io.err(formatDiagnostic(d) + '\n');
  if (hasErrors(report as unknown as Report)) return 1;
  io.out((args.json ? runJson(report) : formatRunTable(report)) + '\n');
  return 0;
}

function formatRunTable(r: RunReport): string {
  const f = (x: number | undefined): string => (x === undefined ? '?' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4));
  const head = ['Layer (type)', 'Output Shape', 'mean', 'std', 'min', 'max', '‖∂L/∂out‖'];
  const body = r.rows.map((x) => [`${x.name} (${x.type})`, fmtShape(x.output), f(x.stats?.mean), f(x.stats?.std), f(x.stats?.min), f(x.stats?.max), f(x.gradNorm ?? undefined)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]): string => c.map((s, i) => (i === 0 ? s.padEnd(w[i]) : s.padStart(w[i]))).join('  ');
  const sep = '='.repeat(w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1));
  return [`Model: ${r.model}    Input: ${r.inputs.map(fmtShape).join(', ')}    Mode: ${r.mode}    loss = sum(output)`, sep, line(head), sep, ...body.map(line), sep,
    `Output stats: mean ${f(r.outputStats?.mean)}  std ${f(r.outputStats?.std)}  min ${f(r.outputStats?.min)}  max ${f(r.outputStats?.max)}`,
    `Timings: parse ${r.timings.parseMs} ms, analysis ${r.timings.analysisMs} ms, forward ${r.timings.forwardMs} ms, backward ${r.timings.backwardMs} ms${warmText(r)}`].join('\n');
}

function warmText(r: RunReport): string {
  const t = r.timings;
  return t.warmPasses ? `; warm (median of ${t.warmPasses}): forward ${t.warmForwardMs} ms, backward ${t.warmBackwardMs} ms` : '';
}

function hasErrors(r: Report): boolean { return r.diagnostics.some((d) => d.severity === 'error'); }
