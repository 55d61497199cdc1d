// The isolated analysis (issue 9.2) with the real worker bundle, as a child process and as a worker thread:
// killed mid-run, hung, or out of memory, it is restarted; the request that killed it is answered with what
// happened, the requests queued behind it get their results, and the next analysis (hover data) comes back.
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { createRunner, type RunnerOptions } from '../../extension/analysis/runner';
import type { AnalyzeResponse, UnsentRequest, WorkerResponse } from '../../extension/analysis/protocol';

const SCRIPT = fileURLToPath(new URL('../../out/test/analysisWorker.js', import.meta.url));

const NET = `import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)
`;

beforeAll(async () => {
  await build({ entryPoints: ['extension/analysis/worker.ts'], outfile: SCRIPT, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
});

type Runner = ReturnType<typeof createRunner> & { request(b: UnsentRequest): Promise<WorkerResponse>; deaths: number; deltas: number };

function runner(isolation: 'process' | 'thread', o: RunnerOptions = {}): Runner {
  return createRunner(SCRIPT, { isolation, env: { LAYERLENS_ANALYSIS_PROBES: '1' }, ...o }) as Runner;
}

const analyse = (r: Runner, file = '/ws/net.py') => r.run({ opts: { file, model: 'Net()', input: [[1, 4]] }, files: { [file]: NET } });
const paramsOf = (res: AnalyzeResponse) => (res.ok ? res.report.totals.params : `failed: ${res.error}`);

describe('analysis runner (process): killed from outside', () => {
  it('analyses in a child process, then again after being killed mid-run; the request queued behind the dead one still gets its result', async () => {
    const r = runner('process');
    try {
      expect(r.isolation).toBe('process');
      expect(paramsOf(await analyse(r))).toBe(10);
      const firstPid = r.pid!;
      const spinning = r.request({ type: 'probe', what: 'spin', ms: 60_000 });
      const queued = analyse(r, '/ws/queued.py');
      await new Promise((ok) => setTimeout(ok, 300));
      // killed from outside, mid-run (as the OS's OOM killer or a user would): the request is sent once more
      // to a fresh process, which spins again and is killed again — then it is answered as a crash
      process.kill(firstPid, 'SIGKILL');
      await new Promise((ok) => setTimeout(ok, 800));
      expect(r.pid).not.toBe(firstPid);
      process.kill(r.pid!, 'SIGKILL');
      const res = await spinning;
      expect(res.ok).toBe(false);
      expect(!res.ok && res.fatal).toBe('crash');
      expect(!res.ok && res.error).toContain('crashed');
      expect(r.deaths).toBe(2);
      expect(paramsOf(await queued)).toBe(10);
      expect(paramsOf(await analyse(r))).toBe(10);
    } finally {
      r.dispose();
    }
  });

  it('an abort (what a fatal V8 error does) kills only the child: that request is a crash, the next one is answered', async () => {
    const r = runner('process');
    try {
      const res = await r.request({ type: 'probe', what: 'abort' });
      expect(!res.ok && res.fatal).toBe('crash');
      expect(paramsOf(await analyse(r))).toBe(10);
      // files that keep killing it never downgrade the isolation to a thread (where an abort ends the host)
      for (let i = 0; i < 2; i++) expect(((await r.request({ type: 'probe', what: 'abort' })) as { fatal?: string }).fatal).toBe('crash');
      expect(r.isolation).toBe('process');
      expect(paramsOf(await analyse(r))).toBe(10);
    } finally {
      r.dispose();
    }
  });
});

describe.runIf(process.platform === 'linux')('analysis runner (process): resident memory', () => {
  it('a child growing past the resident-memory limit is stopped by the watchdog as out of memory', async () => {
    const r = runner('process', { heapMb: 2048, rssMb: 200 });
    try {
      const res = await r.request({ type: 'probe', what: 'grow' });
      expect(!res.ok && res.fatal).toBe('memory');
      expect(paramsOf(await analyse(r))).toBe(10);
    } finally {
      r.dispose();
    }
  });
});

describe.each(['process', 'thread'] as const)('analysis runner (%s): the watchdog', (isolation) => {
  it('a hung analysis is stopped, blamed as too slow, and the request queued behind it is answered', async () => {
    const r = runner(isolation, { timeoutMs: 2500 });
    try {
      expect(r.isolation).toBe(isolation);
      const hung = r.request({ type: 'probe', what: 'spin', ms: 120_000 });
      const queued = analyse(r);
      const res = await hung;
      expect(!res.ok && res.fatal).toBe('time');
      expect(!res.ok && res.error).toContain('took longer than 3 s');
      expect(paramsOf(await queued)).toBe(10);
    } finally {
      r.dispose();
    }
  });

  it('an analysis that outgrows its heap limit dies alone: out of memory, and the next request is answered', async () => {
    const r = runner(isolation, { heapMb: 96 });
    try {
      expect(paramsOf(await analyse(r))).toBe(10);
      const res = await r.request({ type: 'probe', what: 'grow' });
      expect(!res.ok && res.fatal).toBe('memory');
      expect(!res.ok && res.error).toContain('ran out of memory (its limit is 96 MB)');
      expect(paramsOf(await analyse(r))).toBe(10);
    } finally {
      r.dispose();
    }
  });
});

/** NET after a series of edits: a changed width, a line inserted above, a layer added, a syntax error, and back. */
const EDITS = [
  NET,
  NET.replace('nn.Linear(4, 2)', 'nn.Linear(4, 3)'),
  NET.replace('class Net', '# a note\n\nclass Net').replace('nn.Linear(4, 2)', 'nn.Linear(4, 3)'),
  NET.replace('        self.fc = nn.Linear(4, 2)', '        self.fc = nn.Linear(4, 8)\n        self.out = nn.Linear(8, 2)').replace('return self.fc(x)', 'return self.out(self.fc(x))'),
  NET.replace('nn.Linear(4, 2)', 'nn.Linear(4, 2'),
  NET,
];

describe.each(['process', 'thread'] as const)('analysis runner (%s): a report after an edit comes as its changes', (isolation) => {
  it('every answer equals the engine\'s report on the same text, after the first as its changes; after a restart, whole again', async () => {
    const r = runner(isolation);
    const inline = createRunner(undefined, { isolation: 'inline' });
    const file = '/ws/edited.py';
    const ask = async (runner: typeof inline, text: string) => {
      const res = await runner.run({ opts: { file, model: 'Net()', input: [[1, 4]], callSites: true }, files: { [file]: text } });
      if (!res.ok) throw new Error(res.error);
      const { timings: _t, ...report } = res.report;
      return report;
    };
    try {
      for (const [i, text] of EDITS.entries()) expect(await ask(r, text), `edit ${i}`).toStrictEqual(await ask(inline, text));
      expect(r.deltas).toBe(EDITS.length - 1);
      // a fresh analysis keeps no report: its first answer is whole, the next the changes from it
      if (isolation === 'process') process.kill(r.pid!, 'SIGKILL');
      else await r.request({ type: 'probe', what: 'abort' });
      await new Promise((ok) => setTimeout(ok, 300));
      for (const [i, text] of [EDITS[1], EDITS[3]].entries()) expect(await ask(r, text), `after the restart, edit ${i}`).toStrictEqual(await ask(inline, text));
      expect(r.deaths).toBeGreaterThan(0); // (a thread's abort is a crash, sent once more)
      expect(r.deltas).toBe(EDITS.length);
    } finally {
      r.dispose();
      inline.dispose();
    }
  });
});

describe('analysis runner without probes', () => {
  it('probes are refused unless enabled, and dispose answers what is in flight', async () => {
    const r = createRunner(SCRIPT, { isolation: 'process' }) as Runner;
    const res = await r.request({ type: 'probe', what: 'abort' });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.fatal).toBeUndefined();
    const inflight = analyse(r);
    r.dispose();
    const after = await inflight;
    expect(after.ok).toBe(false);
    expect(r.kind).toBe('worker');
  });
});
