// The `layerlens` command line, as a pure function over a file-reading host: argument parsing,
// running the analysis, and text/JSON output. main.ts binds it to Node's process and file system.
import type { Diagnostic, Report, SourceHost } from '../api';
import { runAnalysis } from '../analysis/analyze';
import { formatTable, toContractJson } from '../analysis/format';

export interface CliIO {
  host: SourceHost;
  cwd: string;
  out(s: string): void;
  err(s: string): void;
}

export const USAGE = `usage: layerlens summary FILE [--model EXPR] [--input SHAPE]... [--json] [--depth N] [--path DIR]...

  FILE            a Python file defining the model
  --model EXPR    Python expression evaluated in FILE's scope: Net, Net(), ResNet(BasicBlock, [2, 2, 2, 2]),
                  make_model(width=16). Omitted: the model the file obviously defines.
  --input SHAPE   input shape, e.g. 1,3,224,224 (repeat for several inputs). Omitted: the shape written in the
                  file (# layerlens: input=(1, 3, 224, 224), or an example tensor such as torch.randn(1, 3, 224, 224)).
  --json          print the contract JSON instead of the table
  --depth N       merge rows deeper than N name levels (table only)
  --path DIR      extra root for absolute imports (repeatable)

exit status: 0 ok, 1 analysis errors (printed as file:line:col), 2 usage errors`;

class UsageError extends Error {}

interface Parsed { cmd: string; file: string; model?: string; input?: number[][]; json: boolean; depth?: number; paths: string[] }

export function parseArgs(argv: string[]): Parsed {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') throw new UsageError('');
  if (cmd !== 'summary') throw new UsageError(`unknown command '${cmd}'`);
  const p: Parsed = { cmd, file: '', json: false, paths: [] };
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
        const v = val();
        for (const part of v.split(/[;:]/)) {
          const dims = part.replace(/[()[\]\s]/g, '').split(/[,x]/).filter(Boolean).map(Number);
          if (!dims.length || dims.some((d) => !Number.isInteger(d) || d < 0)) throw new UsageError(`bad --input '${v}': expected integers like 1,3,224,224`);
          (p.input ??= []).push(dims);
        }
        break;
      }
      case '--json': p.json = true; break;
      case '--depth': { const d = Number(val()); if (!Number.isInteger(d) || d < 0) throw new UsageError('--depth needs a non-negative integer'); p.depth = d; break; }
      case '--path': p.paths.push(val()); break;
      case '-h': case '--help': throw new UsageError('');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        if (p.file) throw new UsageError(`unexpected argument '${a}'`);
        p.file = a;
    }
  }
  if (!p.file) throw new UsageError('missing FILE');
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

/** Runs the CLI; returns the exit status. */
export function runCli(argv: string[], io: CliIO): number {
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
  const file = absolute(io.cwd, args.file);
  if (io.host.readFile(file) === undefined) { io.err(`layerlens: cannot read ${args.file}\n`); return 2; }
  const { report } = runAnalysis({ file, host: io.host, model: args.model, input: args.input, searchPaths: args.paths.map((p) => absolute(io.cwd, p)) });
  const usage = report.diagnostics.find((d) => d.code === 'model.choose' || d.code === 'input.missing');
  if (usage) { io.err(`layerlens: ${usage.message}\n`); return 2; }
  const shown = report.diagnostics.filter((d) => d.severity !== 'info' || d.loc?.file === file);
  for (const d of shown) io.err(formatDiagnostic(d) + '\n');
  if (report.rows.length || !hasErrors(report)) io.out((args.json ? toContractJson(report) : formatTable(report, { depth: args.depth })) + '\n');
  return hasErrors(report) ? 1 : 0;
}

function hasErrors(r: Report): boolean { return r.diagnostics.some((d) => d.severity === 'error'); }
