// One fuzz worker process: analyses the inputs its parent sends (over the IPC channel), one at a time,
// and answers with the CPU time, the peak memory and what broke. A process death (V8's fatal errors,
// running out of heap) ends it; the parent counts that input as a death and starts another worker.
import { readFileSync } from 'node:fs';
import { analyze } from '../../engine';
import type { SourceHost } from '../../engine/api';
import { internalErrors, violations } from './invariants';
import type { FuzzInput } from './pathological';

export interface FuzzResult {
  i: number;
  cpuMs: number;
  /** Peak resident memory of this process so far, bytes (the parent restarts a worker that grew). */
  maxRss: number;
  /** A JS exception escaped analyze(). */
  threw?: string;
  internal: string[];
  violations: string[];
  /** Diagnostics' messages, for the failure files. */
  messages: string[];
}

/** Files are read from disk (imports of the corpus sources); the input itself from memory. */
function hostFor(input: FuzzInput): SourceHost {
  return {
    readFile(path) {
      if (path === input.file) return input.text;
      if (!path.startsWith('/') || path.includes('/../')) return undefined;
      try { return readFileSync(path, 'utf8'); } catch { return undefined; }
    },
  };
}

export function runOne(i: number, input: FuzzInput): FuzzResult {
  const t0 = process.cpuUsage();
  let threw: string | undefined;
  let internal: string[] = [];
  let bad: string[] = [];
  let messages: string[] = [];
  try {
    // as the CLI and the editor's analysis process run it: stopped by this process's CPU time
    const r = analyze({ file: input.file, host: hostFor(input), model: input.model, input: input.input, torchVersion: '1.13', cpuClock: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } });
    internal = internalErrors(r);
    bad = violations(r);
    messages = r.diagnostics.slice(0, 12).map((d) => `${d.loc ? d.loc.line + 1 : '?'}: [${d.code}] ${d.message.slice(0, 300)}`);
  } catch (err) {
    threw = err instanceof Error ? `${err.name}: ${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(err);
  }
  const u = process.cpuUsage(t0);
  return { i, cpuMs: (u.user + u.system) / 1000, maxRss: process.resourceUsage().maxRSS * 1024, threw, internal, violations: bad, messages };
}

if (typeof process.send === 'function') {
  process.on('message', (msg: { i: number; input: FuzzInput }) => {
    process.send!(runOne(msg.i, msg.input));
  });
  process.send({ ready: true });
}
