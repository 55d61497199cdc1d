// The analysis fuzzer (issue 9, item 9): the pathological programs plus seeded mutations of the corpus
// (test fixtures, fidelity and run cases, examples, torchvision's sources), each analysed in a worker
// process with a CPU-time and memory watch, so a process death is counted, not fatal. Used by
// `npm run fuzz` (scripts/fuzz.mjs) and by the seeded sample in test/fuzz/fuzz.test.ts.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { mutateModel, rng } from './mutations';
import { PATHOLOGICAL, type FuzzInput } from './pathological';
import { callProbes } from './calls';
import type { FuzzResult } from './child';

/** The repository root (this file runs from test/fuzz/ under vitest and from out/fuzz/ bundled). */
export const ROOT = join(__dirname, '../..');
const FUZZ_DIR = join(ROOT, 'test/fuzz');
/** An input over these is a failure (issue 9: "no input runs past ~1 s or ~512 MB"; the fuzz bound is 1 GB). */
export const LIMITS = { cpuMs: 1000, rssBytes: 1024 * 1024 * 1024, hardTimeoutMs: 20_000 };

interface Source { id: string; file: string; text: string; model?: string; input?: number[][]; dtypes?: string[] }

const walk = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)])) : []);

/** Torchvision 0.14.1's sources, when extracted (npm run fixtures:torchvision); none otherwise. */
function torchvisionDir(): string | undefined {
  const d = process.env.LAYERLENS_TORCHVISION ?? join(ROOT, 'test/fixtures/.cache/root/usr/lib/python3/dist-packages');
  return existsSync(join(d, 'torchvision/models/resnet.py')) ? d : undefined;
}

/** Every file the fuzzer mutates, with the model and input it is analysed with (none: discovery decides). */
export function loadSources(): Source[] {
  const out: Source[] = [];
  const fx = join(ROOT, 'test/fixtures');
  for (const set of ['cases', 'run_cases']) {
    for (const c of JSON.parse(readFileSync(join(fx, set, 'index.json'), 'utf8')) as Array<{ name: string; model: string; input: number[] }>) {
      const file = join(fx, set, c.name, 'model.py');
      out.push({ id: `${set}/${c.name}`, file, text: readFileSync(file, 'utf8'), model: c.model, input: [c.input] });
    }
  }
  for (const c of JSON.parse(readFileSync(join(fx, 'fidelity/index.json'), 'utf8')) as Array<{ name: string; file: string; model: string; input: string[] }>) {
    const file = join(fx, 'fidelity', c.file);
    const specs = c.input.map((s) => s.split(':'));
    out.push({ id: `fidelity/${c.name}`, file, text: readFileSync(file, 'utf8'), model: c.model, input: specs.map(([s]) => s.split(',').map(Number)), dtypes: specs.map(([, d]) => d ?? 'float32') });
  }
  for (const f of [...walk(join(ROOT, 'examples')), ...walk(join(ROOT, 'test/engine/samples')), ...walk(join(fx, 'interp'))].filter((f) => f.endsWith('.py')).sort()) {
    out.push({ id: relative(ROOT, f), file: f, text: readFileSync(f, 'utf8') });
  }
  const tv = torchvisionDir();
  if (tv) {
    for (const f of walk(join(tv, 'torchvision')).filter((f) => f.endsWith('.py')).sort()) {
      const models = /torchvision\/models\/[a-z_0-9]+\.py$/.test(f);
      out.push({ id: `tv:${relative(tv, f)}`, file: f, text: readFileSync(f, 'utf8'), ...(models ? { input: [[1, 3, 64, 64]] } : {}) });
    }
  }
  return out;
}

/** Call probes per mutation: one in ten. */
export const CALLS_PER_MUTATION = 0.1;

/**
 * The pathological programs, then `n` seeded mutations (input k of seed s is always the same text), then
 * n/10 seeded call probes (calls.ts).
 */
export function fuzzInputs(n: number, seed: number, sources = loadSources()): FuzzInput[] {
  const r = rng(seed);
  const out: FuzzInput[] = [...PATHOLOGICAL];
  for (let k = 0; k < n; k++) {
    const src = sources[Math.floor(r() * sources.length)];
    const s = Math.floor(r() * 2 ** 32) >>> 0 || 1;
    const m = mutateModel(src.text, s);
    out.push({ id: `${src.id}#${s} ${m.ops}`, file: src.file, text: m.text, model: src.model, input: src.input });
  }
  out.push(...callProbes(Math.round(n * CALLS_PER_MUTATION), (seed ^ 0x5bd1e995) >>> 0));
  return out;
}

/** Bundles the worker (child.ts) for Node; returns its path. */
export async function buildChild(): Promise<string> {
  // a second run beside a long one bundles into its own folder (LAYERLENS_FUZZ_OUT)
  const outfile = join(ROOT, process.env.LAYERLENS_FUZZ_OUT ?? 'out/fuzz', 'child.cjs');
  await esbuild.build({ entryPoints: [join(FUZZ_DIR, 'child.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning', sourcemap: false });
  return outfile;
}

export interface Failure { kind: 'death' | 'uncaught' | 'slow' | 'memory' | 'invariant'; id: string; detail: string; input: FuzzInput }
export interface FuzzSummary { inputs: number; deaths: number; uncaught: number; slow: number; memory: number; invariant: number; failures: Failure[]; maxCpuMs: number; wallMs: number }

/** Runs the inputs over `workers` child processes (each with a 1.5 GB heap cap), counting each kind of failure. */
export async function runFuzz(inputs: FuzzInput[], childPath: string, opts: { workers?: number; cpuMs?: number; onProgress?: (done: number) => void; onResult?: (r: FuzzResult, input: FuzzInput) => void } = {}): Promise<FuzzSummary> {
  const t0 = Date.now();
  const sum: FuzzSummary = { inputs: inputs.length, deaths: 0, uncaught: 0, slow: 0, memory: 0, invariant: 0, failures: [], maxCpuMs: 0, wallMs: 0 };
  const fail = (kind: Failure['kind'], input: FuzzInput, detail: string): void => {
    sum[kind === 'death' ? 'deaths' : kind]++;
    sum.failures.push({ kind, id: input.id, detail, input });
  };
  let next = 0, done = 0;
  const worker = (): Promise<void> => new Promise((resolve) => {
    let child: ChildProcess | undefined;
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const start = (): void => {
      child = fork(childPath, [], { execArgv: ['--max-old-space-size=1536', '--stack-size=984'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
      let stderr = '';
      child.stderr!.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-2000); });
      child.on('message', (m: FuzzResult | { ready: true }) => {
        if ('ready' in m) { send(); return; }
        clearTimeout(timer);
        const input = inputs[m.i];
        opts.onResult?.(m, input);
        sum.maxCpuMs = Math.max(sum.maxCpuMs, m.cpuMs);
        if (m.threw) fail('uncaught', input, m.threw);
        else if (m.internal.length) fail('uncaught', input, m.internal.join('\n'));
        if (m.cpuMs > (opts.cpuMs ?? LIMITS.cpuMs)) fail('slow', input, `${m.cpuMs.toFixed(0)} ms CPU`);
        if (m.violations.length) fail('invariant', input, m.violations.join('\n'));
        const grown = m.maxRss > LIMITS.rssBytes;
        if (grown) fail('memory', input, `peak RSS ${(m.maxRss / 2 ** 20).toFixed(0)} MB`);
        current = -1;
        opts.onProgress?.(++done);
        // a worker that grew past the limit is replaced, so the next input's peak is its own
        if (grown || m.maxRss > LIMITS.rssBytes / 2) { child!.removeAllListeners('exit'); child!.kill('SIGKILL'); start(); } else send();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current >= 0) {
          fail('death', inputs[current], `worker exited (${signal ?? code}): ${stderr.trim().split('\n').slice(-4).join(' | ')}`);
          current = -1;
          opts.onProgress?.(++done);
        }
        if (next < inputs.length) start(); else resolve();
      });
    };
    const send = (): void => {
      if (next >= inputs.length) { child!.removeAllListeners('exit'); child!.kill(); resolve(); return; }
      current = next++;
      const i = current;
      timer = setTimeout(() => { if (current === i) { fail('slow', inputs[i], `no answer in ${LIMITS.hardTimeoutMs} ms (killed)`); current = -1; opts.onProgress?.(++done); child!.kill('SIGKILL'); } }, LIMITS.hardTimeoutMs);
      child!.send({ i, input: inputs[i] });
    };
    start();
  });
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? 2) }, worker));
  sum.wallMs = Date.now() - t0;
  return sum;
}

/** Writes each failure's input and what happened to `dir` (out/fuzz/analysis/ by default). */
export function writeFailures(sum: FuzzSummary, dir = join(ROOT, 'out/fuzz/analysis')): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  sum.failures.forEach((f, k) => {
    const base = join(dir, `${String(k).padStart(4, '0')}-${f.kind}`);
    writeFileSync(`${base}.py`, f.input.text);
    writeFileSync(`${base}.txt`, `${f.id}\nfile ${f.input.file} model ${f.input.model ?? '(discovered)'} input ${JSON.stringify(f.input.input ?? null)}\n${f.detail}\n`);
  });
  return dir;
}

export function summaryLine(s: FuzzSummary): string {
  return `${s.inputs} inputs: ${s.deaths} process deaths, ${s.uncaught} uncaught exceptions, ${s.slow} over ${LIMITS.cpuMs} ms, ${s.memory} over 1 GB, ${s.invariant} invariant violations (slowest ${s.maxCpuMs.toFixed(0)} ms CPU; ${(s.wallMs / 1000).toFixed(0)} s)`;
}

/** The input a failure's id names (`<source>#<seed> ops`), rebuilt from the corpus: for reproducing one. */
export function inputForId(id: string, sources = loadSources()): FuzzInput | undefined {
  const path = PATHOLOGICAL.find((p) => p.id === id);
  if (path) return path;
  const m = /^(.*)#(\d+)/.exec(id);
  const src = m && sources.find((s) => s.id === m[1]);
  if (!m || !src) return undefined;
  const t = mutateModel(src.text, Number(m[2]));
  return { id, file: src.file, text: t.text, model: src.model, input: src.input };
}
