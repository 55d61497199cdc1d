// The editor side of an analysis that dies (issue 9.2): with the real child-process runner, a kill mid-run
// costs nothing visible (hovers come back), and a file whose analysis dies gets a diagnostic that says
// what happened, while other files keep their results.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as code from 'vscode';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

vi.mock('vscode', () => import('./support/fakeVscode'));

import * as vscode from './support/fakeVscode';
import { createRunner } from '../../extension/analysis/runner';
import { AnalysisService } from '../../extension/analysis/service';
import { ModelChoices } from '../../extension/analysis/modelChoices';
import { LayerHoverProvider } from '../../extension/providers/hover';
import { DiagnosticsPublisher } from '../../extension/providers/diagnostics';
import type { AnalyzeRequest, AnalyzeResponse, UnsentRequest, WorkerResponse } from '../../extension/analysis/protocol';

const SCRIPT = fileURLToPath(new URL('../../out/test/analysisWorkerFatal.js', import.meta.url));

const SRC = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


model = Net()
y = model(torch.randn(1, 3, 32, 32))
`;

type Inner = ReturnType<typeof createRunner> & { request(b: UnsentRequest): Promise<WorkerResponse>; deaths: number; pid?: number };
let inner: Inner;
/** Files whose analysis, in this test, does what a runaway analysis does: grow until the heap limit kills it. */
const deadly = new Set<string>();
let killNext = false;

const runner = {
  kind: 'worker' as const,
  run(req: Omit<AnalyzeRequest, 'id' | 'type'>): Promise<AnalyzeResponse> {
    if (deadly.has(req.opts.file)) return inner.request({ type: 'probe', what: 'grow' }).then((r) => ({ ...r, type: 'analyze' }) as AnalyzeResponse);
    const p = inner.run(req);
    if (killNext) { killNext = false; process.kill(inner.pid!, 'SIGKILL'); }
    return p;
  },
  discover: (req: Parameters<Inner['discover']>[0]) => (deadly.has(`discover:${req.file}`)
    ? inner.request({ type: 'probe', what: 'grow' }).then((r) => ({ ...r, type: 'discover' }) as Awaited<ReturnType<Inner['discover']>>)
    : inner.discover(req)),
  dispose: () => inner.dispose(),
};

beforeAll(async () => {
  await build({ entryPoints: ['extension/analysis/worker.ts'], outfile: SCRIPT, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  inner = createRunner(SCRIPT, { isolation: 'process', heapMb: 96, env: { LAYERLENS_ANALYSIS_PROBES: '1' } }) as Inner;
});
afterAll(() => inner.dispose());
beforeEach(() => vscode.settings.set('layerlens.debounceMs', 0));

const open = (name: string) => vscode.openDocument(vscode.Uri.file(`/ws/${name}`), SRC) as unknown as code.TextDocument;
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as unknown as code.CancellationToken;
const hoverText = async (hover: LayerHoverProvider, doc: code.TextDocument) => {
  const line = doc.getText().split('\n').findIndex((l) => l.includes('nn.Conv2d('));
  const h = await hover.provideHover(doc, new vscode.Position(line, 20) as unknown as code.Position, token);
  return h ? JSON.stringify(h.contents) : '';
};

describe('AnalysisService over a dying analysis', () => {
  it('killed mid-run: the analysis is restarted and the hover comes back with its numbers', async () => {
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), runner);
    const hover = new LayerHoverProvider(service);
    const doc = open('killed.py');
    const pid = (await service.discovery(doc), inner.pid);
    killNext = true;
    const text = await hoverText(hover, doc);
    expect(inner.pid).not.toBe(pid);
    expect(inner.deaths).toBeGreaterThanOrEqual(1);
    expect(text).toContain('224'); // params = 8·3·3·3 + 8
    expect(text).toContain('[1, 8, 32, 32]');
  });

  it('a file whose analysis dies gets a diagnostic saying so; another file keeps its hover', async () => {
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), runner);
    const hover = new LayerHoverProvider(service);
    const published = new DiagnosticsPublisher(service);
    deadly.add('/ws/deadly.py');
    const bad = open('deadly.py');
    const a = await service.active(bad);
    await new Promise((ok) => setTimeout(ok, 10));
    expect(published.publishedOn(bad.uri).map((p) => p.diagnostic.message)).toEqual([a?.fatal?.message]);
    expect(a?.report).toBeUndefined();
    expect(a?.fatal).toMatchObject({ severity: 'warning', code: 'analysis.memory' });
    expect(a?.fatal?.message).toContain('ran out of memory');
    expect(vscode.shownErrors.filter((m) => m.includes('analysis failed'))).toEqual([]);
    const good = open('fine.py');
    expect(await hoverText(hover, good)).toContain('[1, 8, 32, 32]');
  });

  it('a file whose discovery (the parse) kills the analysis gets the diagnostic too', async () => {
    const service = new AnalysisService(new ModelChoices(vscode.memento() as never), runner);
    const published = new DiagnosticsPublisher(service);
    deadly.add('discover:/ws/deadly_parse.py');
    const bad = open('deadly_parse.py');
    expect(await service.active(bad)).toBeUndefined();
    await new Promise((ok) => setTimeout(ok, 10));
    const messages = published.publishedOn(bad.uri).map((p) => p.diagnostic.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('ran out of memory');
    expect(service.latest(bad.uri)?.fatal?.code).toBe('analysis.memory');
  });
});
