// Markdown of a layer hover: type, shapes, params, MACs/FLOPs, memory, receptive field, the formulas with
// the user's numbers, BatchNorm and activation notes, and the list of instances of a reused layer.
// Pure (no vscode import): takes rows, returns markdown text.
import { fmtBytes, fmtInt, fmtShape } from '../../engine';
import type { Row } from '../../engine';
import type { FlopsConvention } from '../config';
import { activationNote, batchNormNotes, layerFormulas } from './formulas';

export interface HoverOptions {
  flopsConvention: FlopsConvention;
  maxInstances: number;
  /** The model the rows come from, e.g. `TinyResNet()` (shown when it is another file's model). */
  modelLabel?: string;
}

/** Hover markdown for the rows at one source location (one or more modules, one or more calls each). */
export function hoverMarkdown(rows: Row[], opts: HoverOptions): string {
  const byModule = new Map<string, Row[]>();
  for (const r of rows) byModule.set(r.name, [...(byModule.get(r.name) ?? []), r]);
  const first = rows[0];
  const parts: string[] = [];
  const names = [...byModule.keys()];
  parts.push(`**${first.type}** \`${first.name || '(model)'}\`${opts.modelLabel ? ` in \`${opts.modelLabel}\`` : ''} — LayerLens`);
  parts.push(rowDetails(first, opts));
  const instances = names.length > 1;
  const calls = instances ? rows : byModule.get(first.name)!;
  if (calls.length > 1) parts.push(instanceList(calls, instances, opts.maxInstances));
  return parts.filter((p) => p.length > 0).join('\n\n');
}

function rowDetails(row: Row, opts: HoverOptions): string {
  const lines: string[] = [];
  const inputs = row.inputs.length > 0 ? row.inputs.map((s) => `\`${fmtShape(s)}\``).join(', ') : '—';
  lines.push(`input ${inputs} → output \`${fmtShape(row.output)}\``);
  lines.push(paramsLine(row));
  lines.push(costLine(row, opts.flopsConvention));
  const extra: string[] = [];
  if (row.outputBytes !== null) extra.push(`output memory ${fmtBytes(row.outputBytes)}`);
  if (row.receptiveField) {
    extra.push(`receptive field ${row.receptiveField.size.join('×')}`, `cumulative stride ${row.receptiveField.stride.join('×')}`);
  }
  if (extra.length > 0) lines.push(extra.join(' · '));
  if (row.unknownReason) lines.push(`⚠ unknown: ${row.unknownReason}`);
  const out = [lines.join('  \n')];
  const formulas = layerFormulas(row);
  if (formulas.length > 0) out.push(codeBlock(formulas));
  const bn = batchNormNotes(row);
  if (bn.length > 0) out.push(codeBlock(bn));
  const act = activationNote(row.type);
  if (act) out.push(codeBlock([act.f, act.df].filter((l) => l.length > 0)), ...(act.caution ? [`⚠ ${act.caution}`] : []));
  return out.join('\n\n');
}

function paramsLine(row: Row): string {
  if (row.params === 0 && row.paramShapes.length === 0) return 'params 0';
  const frozen = row.params - row.trainableParams;
  const state = frozen === 0 ? 'trainable' : row.trainableParams === 0 ? 'frozen' : `${fmtInt(row.trainableParams)} trainable, ${fmtInt(frozen)} frozen`;
  const shapes = row.paramShapes.map((p) => `${p.name} \`${fmtShape(p.shape)}\`${p.shared ? ' (shared, counted earlier)' : ''}${p.trainable ? '' : ' (frozen)'}`);
  return `params **${fmtInt(row.params)}** ${state}${shapes.length > 0 ? ` — ${shapes.join(' · ')}` : ''}`;
}

function costLine(row: Row, convention: FlopsConvention): string {
  const macs = `MACs ${row.macs === null ? 'unknown' : fmtInt(row.macs)}`;
  const flops = `FLOPs ${row.flops === null ? 'unknown' : fmtInt(row.flops)}`;
  return convention === 'flops' ? `**${flops}** · ${macs}` : `**${macs}** · ${flops}`;
}

function instanceList(rows: Row[], instances: boolean, max: number): string {
  const head = instances
    ? `**${new Set(rows.map((r) => r.name)).size} instances** (${rows.length} calls):`
    : `**called ${rows.length} times**:`;
  const shown = rows.slice(0, max).map((r) => `- \`${r.name}\` \`${r.inputs.map(fmtShape).join(', ')}\` → \`${fmtShape(r.output)}\``);
  const more = rows.length > max ? [`- …and ${rows.length - max} more`] : [];
  return [head, ...shown, ...more].join('\n');
}

function codeBlock(lines: string[]): string {
  return ['```text', ...lines, '```'].join('\n');
}
