// The Inspector's message contract at run time: every message type has a validator, well-formed messages
// pass, malformed ones (wrong field types, unknown types, missing fields) are refused, in all four directions.
import { describe, expect, it } from 'vitest';
import { describeBad, parseFromWebview, parseFromWorker, parseToWebview, parseToWorker, PROTOCOL_VERSION } from '../../webview/protocol';

const model = { uri: 'file:///ws/m.py', file: '/ws/m.py', expr: 'Net()', input: [[1, 3, 8, 8]], inputSource: 'comment', files: { '/ws/m.py': 'x = 1' }, weightsFiles: [{ path: '/ws/w.safetensors', name: 'w.safetensors' }], sampleFiles: [] };
const loc = { file: '/ws/m.py', line: 3, col: 4, endLine: 3, endCol: 9 };
const status = { view: 'summary', rows: 3, selectedRow: null, selectedName: null, analysed: true, ran: false, busy: false, error: null, rendered: ['summary'] };

describe('Inspector protocol validation', () => {
  it('host → webview', () => {
    for (const m of [{ type: 'model', model }, { type: 'cursor', file: '/ws/m.py', line: 2 }, { type: 'file/result', id: 1, name: 'w', path: '/ws/w', bytes: new Uint8Array(3) }, { type: 'file/error', id: 1, message: 'no' }, { type: 'select', rowIndex: 0 }, { type: 'settings', settings: { weights: { kind: 'file', path: '/ws/w.safetensors', name: 'w' }, batch: 4 } }, { type: 'show', view: 'graph' }, { type: 'run' }]) {
      expect(parseToWebview(m), m.type).toBe(m);
    }
    expect(parseToWebview({ type: 'model', model: { ...model, input: [[1, 'x']] } })).toBeUndefined();
    expect(parseToWebview({ type: 'file/result', id: 1, name: 'w', path: '/w', bytes: [1, 2] })).toBeUndefined();
    expect(parseToWebview({ type: 'cursor', file: '/ws/m.py', line: 1.5 })).toBeUndefined();
    expect(parseToWebview({ type: 'toString' })).toBeUndefined();
    expect(parseToWebview({ type: 'settings', settings: { batch: 0 } })).toBeUndefined();
    expect(parseToWebview({ type: 'settings', settings: { input: { kind: 'pattern', pattern: 'zebra' } } })).toBeUndefined();
    expect(parseToWebview(null)).toBeUndefined();
  });

  it('webview → host', () => {
    for (const m of [{ type: 'ready', version: PROTOCOL_VERSION }, { type: 'reveal', loc }, { type: 'file/request', id: 2, purpose: 'weights' }, { type: 'file/request', id: 3, purpose: 'image', path: '/ws/a.png' }, { type: 'sources/request', paths: ['/ws/pkg/__init__.py'] }, { type: 'copy', format: 'csv' }, { type: 'status', status }, { type: 'error', message: 'x' }]) {
      expect(parseFromWebview(m), m.type).toBe(m);
    }
    expect(parseFromWebview({ type: 'reveal', loc: { ...loc, line: '3' } })).toBeUndefined();
    expect(parseFromWebview({ type: 'file/request', id: 2, purpose: 'secrets' })).toBeUndefined();
    expect(parseFromWebview({ type: 'copy', format: 'html' })).toBeUndefined();
    expect(parseFromWebview({ type: 'status', status: { ...status, rendered: 'summary' } })).toBeUndefined();
  });

  it('webview ↔ engine worker', () => {
    const req = { type: 'run/request', id: 1, file: '/ws/m.py', files: {}, mode: 'eval', inputSpec: { kind: 'pattern', pattern: 'disc' }, keepTensors: true };
    expect(parseToWorker(req)).toBe(req);
    expect(parseToWorker({ ...req, inputSpec: { kind: 'pattern', pattern: 'zebra' } })).toBeUndefined();
    expect(parseToWorker({ ...req, mode: 'test' })).toBeUndefined();
    expect(parseToWorker({ ...req, weights: [0] })).toBeUndefined();
    const t = { shape: [1, 2], data: new Float32Array(2) };
    const res = { type: 'run/result', id: 1, report: { rows: [{ name: 'fc' }], mode: 'eval' }, tensors: [{ output: t, grad: null }] };
    expect(parseFromWorker(res)).toBe(res);
    expect(parseFromWorker({ ...res, tensors: [{ output: { shape: [2], data: [1, 2] }, grad: null }] })).toBeUndefined();
    expect(parseFromWorker({ type: 'progress', id: 1, phase: 'forward' })).toBeDefined();
  });

  it('says what was refused without echoing the payload', () => {
    expect(describeBad({ type: 'model', model: { files: { a: 'x'.repeat(1e6) } } })).toBe("a malformed 'model' message");
    expect(describeBad(42)).toBe('a message without a type');
  });
});
