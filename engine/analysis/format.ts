// Presentation of a report as text: the torchinfo-like table, the contract JSON of `layerlens summary
// --json`, Markdown and CSV. Pure string building over Report data.
import type { Report, Row, Shape, Totals } from '../api';

export function fmtInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  // a count past 2^53 is a rounded double (the report says so): shown as one, never as exact digits
  if (!Number.isSafeInteger(n)) return `≈${fmtApprox(n)}`;
  // NOTE: toLocaleString goes through ICU and costs ~50 µs a call; a regex is 100× cheaper.
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

import { fmtShape } from '../util/shape';
export { fmtShape };
/** 3.986e24: four significant digits of a rounded count. */
function fmtApprox(n: number): string {
  return n.toExponential(3).replace('e+', 'e');
}


/** 11.69 M, 1.81 G, 9.41 K */
export function fmtSI(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  const a = Math.abs(n);
  if (a >= 1e18) return `${Number.isSafeInteger(n) ? '' : '≈'}${fmtApprox(n)}`;
  if (a >= 1e15) return (n / 1e15).toFixed(digits) + ' P';
  if (a >= 1e12) return (n / 1e12).toFixed(digits) + ' T';
  if (a >= 1e9) return (n / 1e9).toFixed(digits) + ' G';
  if (a >= 1e6) return (n / 1e6).toFixed(digits) + ' M';
  if (a >= 1e3) return (n / 1e3).toFixed(digits) + ' K';
  return String(n);
}

export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  if (n >= 1024 ** 6) return `${fmtApprox(n / 1024 ** 6)} EiB`;
  if (n >= 1024 ** 5) return (n / 1024 ** 5).toFixed(2) + ' PiB';
  if (n >= 1024 ** 4) return (n / 1024 ** 4).toFixed(2) + ' TiB';
  if (n >= 1024 ** 3) return (n / 1024 ** 3).toFixed(2) + ' GiB';
  if (n >= 1024 ** 2) return (n / 1024 ** 2).toFixed(2) + ' MiB';
  if (n >= 1024) return (n / 1024).toFixed(2) + ' KiB';
  return `${n} B`;
}

/** Rows merged to a maximum name depth (a block's rows become one line named after the block). */
export function rowsAtDepth(rows: Row[], depth: number | undefined, types: Map<string, string> = new Map()): Array<Row & { merged?: number }> {
  if (depth === undefined) return rows;
  const out: Array<Row & { merged?: number }> = [];
  for (const r of rows) {
    const parts = r.name.split('.');
    if (parts.length <= depth) { out.push(r); continue; }
    const name = parts.slice(0, Math.max(depth, 1)).join('.');
    const last = out[out.length - 1];
    if (last && last.merged && last.name === name) {
      last.params += r.params;
      last.macs = last.macs === null || r.macs === null ? null : last.macs + r.macs;
      last.output = r.output;
      last.merged++;
      continue;
    }
    out.push({ ...r, name, type: types.get(name) ?? 'block', merged: 1 });
  }
  return out;
}

/** A total as text: the exact count, or `≥ lower bound` when parts are unknown. */
export function fmtTotal(exact: number | null, lowerBound: number, si = false, unit = ''): string {
  if (exact !== null) return si ? `${fmtSI(exact)}${unit}` : fmtInt(exact);
  return `≥ ${si ? `${fmtSI(lowerBound)}${unit}` : fmtInt(lowerBound)}`;
}

/** `(incomplete: fc1, fc2 unknown)` — the reasons a total is a lower bound, shortened for one line. */
export function incompleteNote(t: Totals, max = 2): string {
  if (!t.incomplete?.length) return '';
  const shown = t.incomplete.slice(0, max).map((r) => (r.length > 90 ? `${r.slice(0, 87)}…` : r));
  return `(incomplete: ${shown.join('; ')}${t.incomplete.length > max ? `; +${t.incomplete.length - max} more` : ''})`;
}

export function formatTable(report: Report, opts: { depth?: number } = {}): string {
  const rows = rowsAtDepth(report.rows, opts.depth, new Map(report.modules.map((m) => [m.name, m.type])));
  const head = ['Layer (type)', 'Output Shape', 'Param #', 'MACs'];
  const body = rows.map((r) => [`${r.name || '(model)'} (${r.type})`, fmtShape(r.output), fmtInt(r.params), fmtInt(r.macs)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ');
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1);
  const sep = '='.repeat(total);
  const t = report.totals;
  const out = [
    `Model: ${report.model}    Input: ${report.inputs.map(fmtShape).join(', ')}`,
    sep, line(head), sep, ...body.map(line), sep,
    `Total params: ${fmtInt(t.params)} (${fmtSI(t.params)})`,
    `Trainable params: ${fmtInt(t.trainableParams)}`,
    `Non-trainable params: ${fmtInt(t.params - t.trainableParams)}`,
    t.macs !== null
      ? `Total MACs: ${fmtInt(t.macs)} (${fmtSI(t.macs)}MACs)${t.functionalMacs ? `, of which functional (no row): ${fmtInt(t.functionalMacs)}` : ''}`
      : `Total MACs: ≥ ${fmtInt(t.macsLowerBound)} ${incompleteNote(t)}`,
    t.flops !== null ? `Total FLOPs: ${fmtInt(t.flops)} (${fmtSI(t.flops)}FLOPs)` : `Total FLOPs: ≥ ${fmtInt(t.flopsLowerBound)} (incomplete)`,
    `Output: ${fmtShape(report.output)}`,
    sep,
    `Params size: ${fmtBytes(t.paramBytes)}    Buffers: ${fmtBytes(t.bufferBytes)}    Forward activations: ${fmtBytes(t.activationBytes)}`,
  ];
  return out.join('\n');
}

/** The `layerlens summary --json` contract (fixtures/README.md), one layer per line. */
export function toContractJson(report: Report): string {
  const layer = (r: Row): string => JSON.stringify({ name: r.name, type: r.type, output: r.output, params: r.params, macs: r.macs }).replace(/,"/g, ', "').replace(/":/g, '": ').replace(/,(\d|-|n|\[)/g, ', $1');
  const lines = [
    '{',
    `  "model": ${JSON.stringify(report.model)},`,
    `  "inputs": ${JSON.stringify(report.inputs).replace(/,/g, ', ')},`,
    '  "layers": [',
    report.rows.map((r) => '    ' + layer(r)).join(',\n'),
    '  ],',
    `  "totals": ${totalsJson(report.totals)}`,
    '}',
  ];
  if (!report.rows.length) lines.splice(4, 1);
  return lines.join('\n');
}

/** The contract's totals object; an incomplete total is `"macs": null` with its lower bound and reasons. */
export function totalsJson(t: Totals): string {
  const base = `"params": ${t.params}, "trainableParams": ${t.trainableParams}, "macs": ${t.macs}`;
  if (!t.incomplete) return `{${base}}`;
  return `{${base}, "macsLowerBound": ${t.macsLowerBound}, "incomplete": ${JSON.stringify(t.incomplete).replace(/","/g, '", "')}}`;
}

export function toMarkdown(report: Report): string {
  const rows = report.rows.map((r) => `| ${r.name} | ${r.type} | ${fmtShape(r.output)} | ${fmtInt(r.params)} | ${fmtInt(r.macs)} |`);
  const t = report.totals;
  return [
    `**${report.model}** — input ${report.inputs.map(fmtShape).join(', ')}`, '',
    '| Layer | Type | Output | Params | MACs |', '| --- | --- | --- | ---: | ---: |', ...rows, '',
    `Total params: ${fmtInt(t.params)} (trainable ${fmtInt(t.trainableParams)}) · MACs: ${fmtTotal(t.macs, t.macsLowerBound)}${t.incomplete ? ` ${incompleteNote(t)}` : ''} · output ${fmtShape(report.output)}`,
  ].join('\n');
}

export function toCsv(report: Report): string {
  const esc = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['name,type,output,params,trainable_params,macs,flops,output_bytes',
    ...report.rows.map((r) => [r.name, r.type, fmtShape(r.output), r.params, r.trainableParams, r.macs ?? '', r.flops ?? '', r.outputBytes ?? ''].map((x) => esc(String(x))).join(','))].join('\n');
}
