// The invariants every report must keep, as data (the fuzz runner counts them; tests assert none):
// counts exact non-negative integers or marked as rounded, nothing infinite or NaN, a total is a number
// only when complete, and no unknown without a located diagnostic. Mirrors test/engine/support/invariants.ts.
import type { Report } from '../../engine/api';

/** Where a report holds a number that is not finite (NaN, ±Infinity), as JSON paths. */
export function nonFinite(v: unknown, path = '$', out: string[] = []): string[] {
  if (out.length > 5) return out;
  if (typeof v === 'number') { if (!Number.isFinite(v)) out.push(`${path} = ${v}`); return out; }
  if (Array.isArray(v)) { v.forEach((x, i) => nonFinite(x, `${path}[${i}]`, out)); return out; }
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) nonFinite(x, `${path}.${k}`, out);
  return out;
}

/** JS errors reported as "could not analyse": an exception escaped the interpreter's own handling. */
export function internalErrors(r: Report): string[] {
  return r.diagnostics.filter((d) => d.code === 'internal').map((d) => d.message);
}

/** The report's invariant violations (empty when honest). */
export function violations(r: Report): string[] {
  const out: string[] = [];
  for (const p of nonFinite(r)) out.push(`not finite: ${p}`);
  const unknown: string[] = [];
  if (r.output === null) unknown.push('output');
  for (const row of r.rows) {
    if (row.output === null) unknown.push(`${row.name}.output`);
    if (row.macs === null) unknown.push(`${row.name}.macs`);
  }
  if (r.totals.incomplete) unknown.push('totals');
  if (unknown.length) {
    const located = r.diagnostics.filter((d) => (d.loc && d.loc.line >= 0) || /^(model\.|input\.missing$|file$)/.test(d.code));
    if (!located.length) out.push(`unknown ${unknown.slice(0, 3).join(', ')} without a located diagnostic`);
  }
  const t = r.totals;
  if (t.macs !== null) {
    if (t.incomplete) out.push('a complete total has reasons');
    if (!r.rows.every((row) => row.macs !== null)) out.push('total MACs given while a row is unknown');
    if (t.macs !== t.macsLowerBound) out.push(`macs ${t.macs} != macsLowerBound ${t.macsLowerBound}`);
  } else if (!t.incomplete?.length) out.push('an unknown total without a reason');
  const rounded = r.diagnostics.some((d) => d.code === 'precision');
  const counts: Array<[string, number | null]> = [
    ['params', t.params], ['trainableParams', t.trainableParams], ['macsLowerBound', t.macsLowerBound], ['flopsLowerBound', t.flopsLowerBound],
    ['activationBytes', t.activationBytes], ['paramBytes', t.paramBytes], ['bufferBytes', t.bufferBytes],
    ...r.rows.flatMap((row): Array<[string, number | null]> => [[`${row.name}.params`, row.params], [`${row.name}.macs`, row.macs], [`${row.name}.flops`, row.flops], [`${row.name}.outputBytes`, row.outputBytes]]),
  ];
  for (const [name, n] of counts) {
    if (n === null) continue;
    if (!(Number.isInteger(n) && n >= 0)) out.push(`${name} = ${n} is not a non-negative integer`);
    else if (!Number.isSafeInteger(n) && !rounded) out.push(`${name} = ${n} is beyond 2^53 and not marked as rounded`);
  }
  const dims = [r.output, ...r.rows.flatMap((row) => [row.output, ...row.inputs])];
  for (const s of dims) for (const d of s ?? []) if (d !== null && !(Number.isInteger(d) && d >= 0)) out.push(`dimension ${d} is not a non-negative integer`);
  return [...new Set(out)];
}
