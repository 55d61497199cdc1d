// Assertions of the project's first promise — exact, or it says why — over any report:
// every unknown comes with a located diagnostic, totals are complete or say so, counts are valid.
import { expect } from 'vitest';
import type { Report } from '../../../engine/api';

/** What in a report is unknown (an empty list means everything is known). */
export function unknownParts(r: Report): string[] {
  const out: string[] = [];
  if (r.output === null) out.push('output');
  for (const row of r.rows) {
    if (row.output === null) out.push(`${row.name}.output`);
    if (row.macs === null) out.push(`${row.name}.macs`);
  }
  if (r.totals.incomplete) out.push('totals');
  return out;
}

/** Every unknown value (a row's output or MACs, the model output, a total) comes with a located diagnostic. */
export function expectUnknownsExplained(r: Report, what = r.model): void {
  const unknown = unknownParts(r);
  if (!unknown.length) return;
  // a model that cannot be built or chosen is named by its expression, which has no line in the file
  const located = r.diagnostics.filter((d) => (d.loc && d.loc.line >= 0) || /^(model\.|input\.missing$|file$)/.test(d.code));
  expect(located.length, `${what}: unknown ${unknown.slice(0, 3).join(', ')} without a located diagnostic; got ${JSON.stringify(r.diagnostics.map((d) => d.message))}`).toBeGreaterThan(0);
}

/** A total MAC count is given only when every part is known (and equals its lower bound); otherwise it says why. */
export function expectTotalsCompleteOrExplained(r: Report, what = r.model): void {
  const t = r.totals;
  if (t.macs !== null) {
    expect(t.incomplete, `${what}: a complete total has no reasons`).toBeUndefined();
    expect(r.rows.every((row) => row.macs !== null), `${what}: total MACs given while a row is unknown`).toBe(true);
    expect(t.macs).toBe(t.macsLowerBound);
  } else {
    expect(t.incomplete?.length, `${what}: an unknown total says why`).toBeGreaterThan(0);
  }
}

/** Every count in the report (params, MACs, FLOPs, per row and in total) is an exact non-negative integer. */
export function expectCountsExactIntegers(r: Report, what = r.model): void {
  const t = r.totals;
  for (const n of [t.params, t.trainableParams, t.macsLowerBound, t.flopsLowerBound, ...r.rows.flatMap((row) => [row.params, row.macs ?? 0, row.flops ?? 0])]) {
    expect(Number.isSafeInteger(n) && n >= 0, `${what}: count ${n} is not an exact non-negative integer`).toBe(true);
  }
}

/** The first promise, all three checks: exact, or it says why. */
export function expectExactOrExplained(r: Report, what = r.model): void {
  expectUnknownsExplained(r, what);
  expectTotalsCompleteOrExplained(r, what);
  expectCountsExactIntegers(r, what);
}
