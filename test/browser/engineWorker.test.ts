// The bundled engine in a real browser Web Worker (Debian's Chromium through playwright-core): the
// ready handshake, an analysis of a fixture model, and a run that transfers row tensors back.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../webview/protocol';

const root = resolve(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
let server: Server;
let browser: Browser;
let base = '';

beforeAll(async () => {
  expect(existsSync(join(root, 'dist/webview/worker.js')), 'npm run build makes dist/webview/worker.js').toBe(true);
  server = createServer((req, res) => {
    if (req.url === '/worker.js') { res.writeHead(200, { 'Content-Type': 'text/javascript' }); res.end(readFileSync(join(root, 'dist/webview/worker.js'))); return; }
    res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<!doctype html><title>engine worker</title>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
}, 60_000);

afterAll(async () => { await browser?.close(); server?.close(); });

describe('engine in a Web Worker (Chromium)', () => {
  it('answers ready, then analysis and run requests with the same numbers as in Node', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const dir = join(root, 'test/fixtures/cases/simple_cnn');
    const files = { '/ws/model.py': readFileSync(join(dir, 'model.py'), 'utf8') };
    const weights = Array.from(readFileSync(join(dir, 'weights.safetensors')));
    const input = Array.from(readFileSync(join(dir, 'input.safetensors')));
    const result = await page.evaluate(async ({ files, weights, input }) => {
      const w = new (globalThis as any).Worker('/worker.js');
      // the next answer (progress reports skipped)
      const next = () => new Promise<any>((ok) => { w.onmessage = (e: { data: any }) => { if (e.data?.type !== 'progress') ok(e.data); }; });
      const ready = await next();
      w.postMessage({ type: 'analysis/request', id: 1, file: '/ws/model.py', files, model: 'SimpleCNN()', input: [[2, 3, 16, 16]] });
      const analysis = await next();
      if (analysis.type !== 'analysis/result') throw new Error(`analysis answered ${JSON.stringify(analysis)}`);
      w.postMessage({ type: 'run/request', id: 2, file: '/ws/model.py', files, model: 'SimpleCNN()', input: [[2, 3, 16, 16]], mode: 'eval', weights: new Uint8Array(weights), inputFile: new Uint8Array(input), keepTensors: true });
      const run = await next();
      w.terminate();
      return {
        ready, analysis: { id: analysis.id, type: analysis.type, rows: analysis.report.rows.map((r: any) => [r.name, r.output, r.macs]), totals: analysis.report.totals },
        run: { type: run.type, gradNorms: run.report.rows.map((r: any) => r.gradNorm), firstTensor: run.tensors?.[0] && { shape: run.tensors[0].output.shape, isFloat32: run.tensors[0].output.data instanceof Float32Array } },
      };
    }, { files, weights, input });
    expect(result.ready).toEqual({ type: 'ready', version: PROTOCOL_VERSION });
    const expected = JSON.parse(readFileSync(join(dir, 'expected_summary.json'), 'utf8'));
    expect(result.analysis.rows).toEqual(expected.layers.map((l: any) => [l.name, l.output, l.macs]));
    expect(result.analysis.totals.params).toBe(expected.totals.params);
    const run = JSON.parse(readFileSync(join(dir, 'expected_run_eval.json'), 'utf8'));
    result.run.gradNorms.forEach((g: number, i: number) => expect(g).toBeCloseTo(run.layers[i].gradNorm, 3));
    expect(result.run.firstTensor).toEqual({ shape: [2, 8, 16, 16], isFloat32: true });
    await page.close();
  });
  it('runs the trained digits model from its .pth checkpoint (zip + restricted unpickler in the browser) to PyTorch\'s logits', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const dir = join(root, 'examples/digits');
    const files = { '/ws/model.py': readFileSync(join(dir, 'model.py'), 'utf8') };
    const weights = Array.from(readFileSync(join(dir, 'digits.pth')));
    const input = Array.from(readFileSync(join(dir, 'samples.safetensors')));
    const out = await page.evaluate(async ({ files, weights, input }) => {
      const w = new (globalThis as any).Worker('/worker.js');
      const next = () => new Promise<any>((ok) => { w.onmessage = (e: { data: unknown }) => ok(e.data); });
      await next();
      w.postMessage({ type: 'run/request', id: 1, file: '/ws/model.py', files, mode: 'eval', weights: new Uint8Array(weights), weightsName: 'digits.pth', inputFile: new Uint8Array(input), keepTensors: true });
      let run = await next();
      while (run.type === 'progress') run = await next();
      w.terminate();
      const last = run.tensors[run.tensors.length - 1].output;
      return { type: run.type, errors: run.report.diagnostics.filter((d: any) => d.severity === 'error'), shape: last.shape, logits: Array.from(last.data as Float32Array) };
    }, { files, weights, input });
    expect(out.errors).toEqual([]);
    expect(out.shape).toEqual([6, 10]);
    const want = (JSON.parse(readFileSync(join(dir, 'expected_logits.json'), 'utf8')).logits as number[][]).flat();
    out.logits.forEach((v: number, i: number) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4 + 1e-4 * Math.abs(want[i])));
    await page.close();
  });
});
