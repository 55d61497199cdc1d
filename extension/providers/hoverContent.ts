// Markdown of a layer hover: type, shapes, params, MACs/FLOPs, memory, receptive field, the formulas with
// the user's numbers, BatchNorm and activation notes, and the list of instances of a reused layer.
// Pure (no vscode import): takes rows, returns markdown text.
import { fmtBytes, fmtInt, fmtShape } from '../../engine';
import type { Row } from '../../engine';
import type { FlopsConvention } from '../config';
import { activationNote, batchNormNotes, layerFormulas } from './formulas';
import { l10n } from '../l10n';

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
  parts.push(`**${first.type}** \`${first.name || '(model)'}\`${opts.modelLabel ? l10n.t(' in {0}', `\`${opts.modelLabel}\``) : ''} — LayerLens`);
  parts.push(rowDetails(first, opts));
  const instances = names.length > 1;
  const calls = instances ? rows : byModule.get(first.name)!;
  if (calls.length > 1) parts.push(instanceList(calls, instances, opts.maxInstances));
  return parts.filter((p) => p.length > 0).join('\n\n');
}

function rowDetails(row: Row, opts: HoverOptions): string {
  const lines: string[] = [];
  const inputs = row.inputs.length > 0 ? row.inputs.map((s) => `\`${fmtShape(s)}\``).join(', ') : '—';
  lines.push(l10n.t('input {0} → output {1}', inputs, `\`${fmtShape(row.output)}\``));
  lines.push(paramsLine(row));
  lines.push(costLine(row, opts.flopsConvention));
  const extra: string[] = [];
  if (row.outputBytes !== null) extra.push(l10n.t('output memory {0}', fmtBytes(row.outputBytes)));
  if (row.receptiveField) {
    extra.push(l10n.t('receptive field {0}', row.receptiveField.size.join('×')), l10n.t('cumulative stride {0}', row.receptiveField.stride.join('×')));
  }
  if (extra.length > 0) lines.push(extra.join(' · '));
  if (row.unknownReason) lines.push(l10n.t('⚠ unknown: {0}', row.unknownReason));
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
  if (row.params === 0 && row.paramShapes.length === 0) return l10n.t('params {0}', '0');
  const frozen = row.params - row.trainableParams;
  const state = frozen === 0 ? l10n.t('trainable') : row.trainableParams === 0 ? l10n.t('frozen') : l10n.t('{0} trainable, {1} frozen', fmtInt(row.trainableParams), fmtInt(frozen));
  const shapes = row.paramShapes.map((p) => `${p.name} \`${fmtShape(p.shape)}\`${p.shared ? l10n.t(' (shared, counted earlier)') : ''}${p.trainable ? '' : l10n.t(' (frozen)')}`);
  return `${l10n.t('params {0}', `**${fmtInt(row.params)}**`)} ${state}${shapes.length > 0 ? ` — ${shapes.join(' · ')}` : ''}`;
}

function costLine(row: Row, convention: FlopsConvention): string {
  const macs = `MACs ${row.macs === null ? l10n.t('unknown') : fmtInt(row.macs)}`;
  const flops = `FLOPs ${row.flops === null ? l10n.t('unknown') : fmtInt(row.flops)}`;
  return convention === 'flops' ? `**${flops}** · ${macs}` : `**${macs}** · ${flops}`;
}

function instanceList(rows: Row[], instances: boolean, max: number): string {
  const head = instances
    ? l10n.t('**{0} instances** ({1} calls):', new Set(rows.map((r) => r.name)).size, rows.length)
    : l10n.t('**called {0} times**:', rows.length);
  const shown = rows.slice(0, max).map((r) => `- \`${r.name}\` \`${r.inputs.map(fmtShape).join(', ')}\` → \`${fmtShape(r.output)}\``);
  const more = rows.length > max ? [l10n.t('- …and {0} more', rows.length - max)] : [];
  return [head, ...shown, ...more].join('\n');
}

function codeBlock(lines: string[]): string {
  return ['```text', ...lines, '```'].join('\n');
}
