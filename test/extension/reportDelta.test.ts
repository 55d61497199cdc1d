// A report sent as its changes from the last one (extension/analysis/reportDelta.ts): the delta, sent the
// way the worker sends it (a structured clone), applied to the host's copy gives the new report exactly
// (undefined-valued keys, NaN, -0 and key order included) and never modifies the copy it starts from —
// on hand-made cases and along seeded random edits of the editor benchmark's 2,046-line file, where each
// report is rebuilt from the previous rebuilt one, as the host does.
import { describe, expect, it } from 'vitest';
import { serialize } from 'node:v8';
import { analyze } from '../../engine';
import type { Report } from '../../engine';
import { applyDelta, diffValues, type Delta } from '../../extension/analysis/reportDelta';
// @ts-expect-error plain ESM helper without types
import { generateModelFile } from '../../bench/editorModel.mjs';
import { EditSession } from '../engine/support/randomEdits';

/** Frozen all the way down: applying a delta to it throws (strict mode) if it tries to change it. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** What the host gets: the delta through a structured clone (as postMessage and the child's IPC copy it), applied. */
function roundTrip(base: unknown, next: unknown, moves?: number[]): { value: unknown; delta: Delta | undefined } {
  const delta = diffValues(base, next, moves);
  const sent = structuredClone(delta);
  return { value: sent === undefined ? base : applyDelta(deepFreeze(base), sent), delta };
}

/** Equal as the host would see the whole value sent: strict equality (undefined keys, NaN, -0) and the same key order. */
function expectSame(value: unknown, next: unknown): void {
  expect(value).toStrictEqual(structuredClone(next));
  expect(keyOrder(value)).toEqual(keyOrder(next));
}

function keyOrder(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, path: string) => {
    if (!x || typeof x !== 'object') return;
    for (const [k, y] of Object.entries(x)) { out.push(`${path}.${k}`); walk(y, `${path}.${k}`); }
  };
  walk(v, '');
  return out;
}

const loc = (line: number, endLine = line) => ({ file: '/ws/m.py', line, col: 4, endLine, endCol: 20 });

describe('diffValues / applyDelta on hand-made values', () => {
  it('equal values: no delta', () => {
    expect(diffValues({ a: [1, 2, { b: NaN }], c: undefined }, { a: [1, 2, { b: NaN }], c: undefined })).toBeUndefined();
  });

  it('a changed number deep inside: only its path is sent, the rest of the base is shared', () => {
    const base = { rows: [{ name: 'a', loc: loc(3), out: [1, 8] }, { name: 'b', loc: loc(4), out: [1, 8] }], totals: { params: 10 } };
    const next = { rows: [{ name: 'a', loc: loc(3), out: [1, 8] }, { name: 'b', loc: loc(4), out: [1, 16] }], totals: { params: 12 } };
    const { value, delta } = roundTrip(base, next);
    expectSame(value, next);
    expect(delta).toEqual({ o: { rows: { a: [[0, 0, 1], [2, 1, { o: { out: { v: [1, 16] } } }]] }, totals: { o: { params: { v: 12 } } } } });
    expect((value as typeof base).rows[0]).toBe(base.rows[0]);
  });

  it('a line inserted above: every moved item is one run, whatever its size', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ name: `l${i}`, defLoc: loc(10 + i), builtVia: [loc(100, 102)], shape: [1, i] }));
    const moved = items.map((x, i) => (i < 20 ? x : { ...x, defLoc: loc(11 + i), builtVia: [loc(101, 103)] }));
    for (const moves of [undefined, [1], [3, 1]]) {
      const { value, delta } = roundTrip({ rows: items }, { rows: moved }, moves);
      expectSame(value, { rows: moved });
      expect(delta).toEqual({ o: { rows: { a: [[0, 0, 20], [1, 20, 30, 1]] } } });
    }
    // told that nothing moved (the file kept its line count), the moved items are sent as changes, still right
    const { value, delta } = roundTrip({ rows: items }, { rows: moved }, [0]);
    expectSame(value, { rows: moved });
    expect(JSON.stringify(delta)).not.toContain('[1,20,30,1]');
  });

  it('an item inserted and one removed: the items around them are kept', () => {
    const config = { kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, bias: false, padding_mode: 'zeros' };
    const base = Array.from({ length: 30 }, (_, i) => ({ name: `r${i}`, n: i, config }));
    const next = [...base.slice(0, 10), { name: 'new', n: -1, config }, ...base.slice(10, 25), ...base.slice(26)];
    const { value, delta } = roundTrip(base, next);
    expectSame(value, next);
    // kept: the head, then pairs compared by position up to the kept tail
    expect((delta as { a: unknown[] }).a[0]).toEqual([0, 0, 10]);
    expect(serialize(delta).length).toBeLessThan(serialize(next).length);
  });

  it('arrays grow and shrink at the end', () => {
    const one = [{ x: 1 }], three = [{ x: 1 }, { x: 2 }, { x: 3 }];
    const cases: Array<[object[], object[]]> = [[one, three], [three, one], [[], one], [one, []]];
    for (const [b, n] of cases) {
      expectSame(roundTrip(b, n).value, n);
    }
  });

  it('keys added, removed, reordered, or set to undefined: the object whole, in the new order', () => {
    const cases: Array<[object, object]> = [
      [{ a: 1, b: 2 }, { a: 1, b: 2, c: 3 }],
      [{ a: 1, b: 2, c: 3 }, { a: 1, c: 3 }],
      [{ a: 1, b: 2 }, { b: 2, a: 1 }],
      [{ a: 1, b: 2 }, { a: 1, b: undefined }],
      [{ a: 1, b: undefined }, { a: 1 }],
    ];
    for (const [b, n] of cases) {
      const { value, delta } = roundTrip({ k: [b, { z: 0 }] }, { k: [n, { z: 0 }] });
      expect(delta).toBeDefined();
      expectSame(value, { k: [n, { z: 0 }] });
    }
  });

  it('NaN stays NaN, -0 is not 0, null is not undefined, a shape is sent whole', () => {
    const pairs: Array<[unknown, unknown]> = [[NaN, 1], [1, NaN], [0, -0], [-0, 0], [null, undefined], [undefined, null], [[1, 2, 3], [1, 2, 4]], [{ a: [null] }, { a: [0] }], ['x', { x: 1 }], [{ x: 1 }, [1]]];
    for (const [b, n] of pairs) {
      const { value, delta } = roundTrip({ v: b, w: [b] }, { v: n, w: [n] });
      expect(delta, `${String(b)} → ${String(n)}`).toBeDefined();
      expectSame(value, { v: n, w: [n] });
    }
    expect(diffValues({ a: -0 }, { a: -0 })).toBeUndefined();
    expect(diffValues([1, 2, 3], [1, 2, 4])).toEqual({ v: [1, 2, 4] });
  });

  it('class instances and typed arrays are sent whole when they differ from the base, never patched', () => {
    const next = { d: new Float32Array([1, 2]), m: new Map([[1, 2]]) };
    const { value } = roundTrip({ d: new Float32Array([1, 3]), m: new Map([[1, 3]]) }, next);
    expectSame(value, next);
  });
});

describe('a report rebuilt from the last one along seeded random edits of the 2,046-line benchmark file', () => {
  it("equals the engine's report after each edit; the changes are a small part of the whole", () => {
    const text = generateModelFile().text as string;
    const file = '/ws/delta/zoo.py';
    const analyse = (t: string): Report => analyze({ file, model: 'ZooEnsemble()', input: [[1, 3, 224, 224]], callSites: true, host: { readFile: (p) => (p === file ? t : undefined) } });
    const session = new EditSession(text, 7919);
    let sent = analyse(text); // the worker's copy
    let host = structuredClone(sent) as Report; // the host's copy (what it rebuilt)
    // sizes over the edits from one analysed model to another (a broken file's report is a few rows, sent whole)
    let deltaBytes = 0, fullBytes = 0, small = 0, pairs = 0;
    const n = 14;
    let before = text;
    for (let i = 0; i < n; i++) {
      const after = session.next();
      const next = analyse(after);
      // what the worker gives: the lines the file grew or shrank by as the only moves looked for
      const moves = [after.split('\n').length - before.split('\n').length];
      before = after;
      const { value, delta } = roundTrip(host, next, moves);
      // NOTE: the worker diffs against its own copy of what it sent, the host applies to its rebuilt one
      expect(diffValues(sent, next, moves)).toEqual(delta === undefined ? undefined : diffValues(host, next, moves));
      expectSame(value, next);
      // looking for any move finds the same value (perhaps by other ops)
      expectSame(roundTrip(host, next).value, next);
      if (sent.rows.length > 100 && next.rows.length > 100) {
        const d = serialize(delta ?? null).length, f = serialize(next).length;
        pairs++;
        deltaBytes += d;
        fullBytes += f;
        if (d < f / 10) small++;
      }
      sent = next;
      host = value as Report;
    }
    expect(pairs).toBeGreaterThan(n / 3);
    // most edits change a small part of the report (a changed channel count changes the layers after it)
    expect(small).toBeGreaterThan(pairs / 2);
    expect(deltaBytes).toBeLessThan(fullBytes / 5);
  });
});
