// Markdown of the hovers: a layer (type, shapes, params, MACs/FLOPs, memory, receptive field, the formulas
// with the user's numbers, BatchNorm, Dropout and activation notes, the instances of a reused layer), a block
// call (aggregate over its children), a functional op or tensor method (shapes, MACs, a reshape's
// arithmetic), the layers a helper call builds, and the model. Pure (no vscode import): data in, markdown out.
import { fmtBytes, fmtInt, fmtShape, fmtSI } from '../../engine';
import type { BlockCall, OpCall, Report, Row, Shape } from '../../engine';
import type { FlopsConvention } from '../config';
import { activationNote, batchNormNotes, dropoutNotes, layerFormulas } from './formulas';
import { l10n } from '../l10n';

export interface HoverOptions {
  flopsConvention: FlopsConvention;
  maxInstances: number;
  /** The model the rows come from, e.g. `TinyResNet()` (shown when it is another file's model). */
  modelLabel?: string;
  /** Show the layer kind's caution (the hover shows it on the first layer of a kind only; default true). */
  caution?: boolean;
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
  const drop = dropoutNotes(row);
  if (drop.length > 0) out.push(codeBlock(drop));
  const act = activationNote(row.type);
  if (act) out.push(codeBlock([act.f, act.df].filter((l) => l.length > 0)), ...(act.caution && opts.caution !== false ? [`⚠ ${act.caution}`] : []));
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
  return [head, table([l10n.t('instance'), l10n.t('input'), l10n.t('output')], rows.map((r) => [`\`${r.name}\``, r.inputs.map(fmtShape).join(', '), fmtShape(r.output)]), max)].join('\n\n');
}

/** A compact markdown table of at most `max` rows, then "…and k more". */
function table(head: string[], body: string[][], max: number): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const lines = [line(head), `|${head.map(() => '---').join('|')}|`, ...body.slice(0, max).map(line)];
  if (body.length > max) lines.push('', l10n.t('…and {0} more', body.length - max));
  return lines.join('\n');
}

function count(n: number | null, convention: FlopsConvention, flops: number | null): string {
  const macs = `MACs ${n === null ? l10n.t('unknown') : fmtInt(n)}`;
  const fl = `FLOPs ${flops === null ? l10n.t('unknown') : fmtInt(flops)}`;
  return convention === 'flops' ? `**${fl}** · ${macs}` : `**${macs}** · ${fl}`;
}

const shapes = (ss: readonly Shape[]): string => (ss.length ? ss.map((x) => `\`${fmtShape(x)}\``).join(', ') : '—');

/** One place where blocks are called: `self.features(x)`, `self.shortcut(x)` (also leaf calls made there). */
export function blockHoverMarkdown(blocks: BlockCall[], leaves: Row[], report: Report, opts: HoverOptions): string {
  // in the order the calls ran: a block starts before the first row it makes
  const calls = [...blocks.map((b) => ({ ...b, rows: report.rows.slice(b.rowStart, b.rowEnd), order: b.rowStart - 0.5 })),
    ...leaves.map((r) => ({ name: r.name, type: r.type, inputs: r.inputs, output: r.output, params: r.params, macs: r.macs, flops: r.flops, rows: [r], order: report.rows.indexOf(r) }))]
    .sort((x, y) => x.order - y.order);
  const first = calls[0];
  const parts = [`**${first.type}** \`${first.name}\`${opts.modelLabel ? l10n.t(' in {0}', `\`${opts.modelLabel}\``) : ''} — LayerLens`];
  const lines = [l10n.t('input {0} → output {1}', shapes(first.inputs), `\`${fmtShape(first.output)}\``),
    l10n.t('params {0} (over its children) · {1}', `**${fmtInt(first.params)}**`, count(first.macs, opts.flopsConvention, first.flops)),
    first.rows.length === 1 ? l10n.t('expands to {0} row: {1}', first.rows.length, kinds(first.rows)) : l10n.t('expands to {0} rows: {1}', first.rows.length, kinds(first.rows))];
  parts.push(lines.join('  \n'));
  if (calls.length === 1) {
    parts.push(table([l10n.t('row'), l10n.t('type'), l10n.t('output'), 'MACs'], first.rows.map((r) => [`\`${r.name}\``, r.type, fmtShape(r.output), r.macs === null ? '?' : fmtInt(r.macs)]), opts.maxInstances * 2));
  } else {
    const head = new Set(calls.map((c) => c.name)).size > 1 ? l10n.t('**{0} calls** here, one per instance:', calls.length) : l10n.t('**called {0} times**:', calls.length);
    parts.push(head, table([l10n.t('instance'), l10n.t('input'), l10n.t('output'), l10n.t('params'), 'MACs'], calls.map((c) => [`\`${c.name}\``, c.inputs.map(fmtShape).join(', '), fmtShape(c.output), fmtInt(c.params), c.macs === null ? '?' : fmtInt(c.macs)]), opts.maxInstances));
  }
  return parts.join('\n\n');
}

/** `Conv2d ×2, BatchNorm2d ×2, ReLU` */
function kinds(rows: Row[]): string {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.type, (by.get(r.type) ?? 0) + 1);
  return [...by].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(', ') || l10n.t('none');
}

const RESHAPES = /(^|\.)(view|reshape|flatten|unflatten|squeeze|unsqueeze|view_as|reshape_as)$/;

/** A functional op or tensor method: `torch.flatten` (the callee as written), its shapes and MACs. */
export function opHoverMarkdown(ops: OpCall[], callee: string, opts: HoverOptions): string {
  const first = ops[0];
  const parts = [`**${callee || first.op}** — LayerLens`];
  const lines = [l10n.t('input {0} → output {1}', shapes(first.inputs), `\`${fmtShape(first.output)}\``)];
  const arith = RESHAPES.test(first.op) && first.inputs[0] ? reshapeArithmetic(first.inputs[0], first.output) : undefined;
  if (arith) lines.push(`\`${fmtShape(first.inputs[0])} → ${fmtShape(first.output)}\` ${arith}`);
  if (first.macs !== 0) lines.push(count(first.macs, opts.flopsConvention, first.flops));
  else if (!arith) lines.push(l10n.t('no multiply-accumulates'));
  if (first.module) lines.push(l10n.t('in {0}', `\`${first.module}\`.forward`));
  parts.push(lines.join('  \n'));
  if (ops.length > 1) {
    parts.push(l10n.t('**called {0} times**:', ops.length), table([l10n.t('in'), l10n.t('input'), l10n.t('output')], ops.map((o) => [`\`${o.module || '(model)'}\``, o.inputs.map(fmtShape).join(', '), fmtShape(o.output)]), opts.maxInstances));
  }
  return parts.join('\n\n');
}

/**
 * The arithmetic of a reshape: which input dims merge into (or split from) which output dims,
 * `= 64·8·8` for `[8, 64, 8, 8] → [8, 4096]`. Undefined when a dim is unknown or nothing merges.
 */
export function reshapeArithmetic(input: Shape, output: Shape): string | undefined {
  if (input.some((d) => d === null) || output.some((d) => d === null)) return undefined;
  const a = input as number[], b = output as number[];
  const groups: string[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    const ga: number[] = [], gb: number[] = [];
    let pa = 1, pb = 1;
    if (i < a.length) { ga.push(a[i]); pa = a[i++]; }
    if (j < b.length) { gb.push(b[j]); pb = b[j++]; }
    while (pa !== pb) {
      if (pa < pb && i < a.length) { ga.push(a[i]); pa *= a[i++]; }
      else if (pb < pa && j < b.length) { gb.push(b[j]); pb *= b[j++]; }
      else return undefined;
    }
    if (ga.length > 1 && gb.length === 1) groups.push(`${gb[0]} = ${ga.join('·')}`);
    else if (gb.length > 1 && ga.length === 1) groups.push(`${ga[0]} = ${gb.join('·')}`);
    else if (ga.length > 1 && gb.length > 1) groups.push(`${ga.join('·')} = ${gb.join('·')}`);
  }
  return groups.length ? `(${groups.join(', ')})` : undefined;
}

/** A helper call that builds layers (`conv3x3(...)`, `make_layers(cfg)`): every layer built there. */
export function builtHoverMarkdown(rows: Row[], blocks: BlockCall[], callee: string, opts: HoverOptions): string {
  const modules = new Set(rows.map((r) => r.name));
  const types = new Set(rows.map((r) => r.type));
  if (blocks.length === 0 && types.size === 1) {
    // one kind of layer (`conv3x3(...)` builds a Conv2d): the layer's own hover, every instance listed
    return hoverMarkdown(rows, opts);
  }
  const outer = blocks.filter((b) => !blocks.some((o) => o !== b && b.name.startsWith(`${o.name}.`)));
  const byName = new Map<string, Row>();
  for (const r of rows) if (!byName.has(r.name)) byName.set(r.name, r);
  const params = [...byName.values()].reduce((s, r) => s + r.params, 0);
  const built = outer.length ? outer.map((b) => `${b.type} \`${b.name}\``).filter((x, k, xs) => xs.indexOf(x) === k).join(', ') : l10n.t('{0} layers', modules.size);
  const parts = [l10n.t('{0} builds {1} — LayerLens', `**${callee}**`, built)];
  parts.push(modules.size === 1
    ? l10n.t('{0} layer ({1}) · params {2}', modules.size, kinds([...byName.values()]), `**${fmtInt(params)}**`)
    : l10n.t('{0} layers ({1}) · params {2}', modules.size, kinds([...byName.values()]), `**${fmtInt(params)}**`));
  parts.push(table([l10n.t('layer'), l10n.t('type'), l10n.t('input'), l10n.t('output')], rows.map((r) => [`\`${r.name}\``, r.type, r.inputs.map(fmtShape).join(', '), fmtShape(r.output)]), opts.maxInstances * 2));
  return parts.join('\n\n');
}

/** The model: its class name or `model = Net()`. */
export function modelHoverMarkdown(expr: string, input: number[][], inputWhere: string, report: Report, opts: HoverOptions & { stale?: string }): string {
  const t = report.totals;
  const cost = (exact: number | null, bound: number, unit: string) => (exact === null ? l10n.t('≥ {0} {1} (incomplete)', fmtInt(bound), unit) : `${fmtInt(exact)} ${unit} (${fmtSI(exact)}${unit})`);
  const lines = [l10n.t('input {0} ({1}) → output {2}', input.map((s) => `\`${fmtShape(s)}\``).join(', '), inputWhere, `\`${fmtShape(report.output)}\``),
    t.params !== t.trainableParams
      ? l10n.t('params {0} ({1} trainable) · {2}', `**${fmtInt(t.params)}**`, fmtInt(t.trainableParams), fmtBytes(t.paramBytes))
      : l10n.t('params {0} · {1}', `**${fmtInt(t.params)}**`, fmtBytes(t.paramBytes)),
    opts.flopsConvention === 'flops' ? `**${cost(t.flops, t.flopsLowerBound, 'FLOPs')}** · ${cost(t.macs, t.macsLowerBound, 'MACs')}` : `**${cost(t.macs, t.macsLowerBound, 'MACs')}** · ${cost(t.flops, t.flopsLowerBound, 'FLOPs')}`,
    t.activationBytes !== null ? l10n.t('{0} layer calls · activations {1}', report.rows.length, fmtBytes(t.activationBytes)) : l10n.t('{0} layer calls', report.rows.length)];
  const parts = [l10n.t('{0} — model — LayerLens', `**${expr}**`), lines.join('  \n')];
  if (t.incomplete?.length) parts.push(`${l10n.t('⚠ incomplete total:')}\n${t.incomplete.map((w) => `- ${w}`).join('\n')}`);
  if (opts.stale) parts.push(`⚠ ${opts.stale}`);
  return parts.join('\n\n');
}

function codeBlock(lines: string[]): string {
  return ['```text', ...lines, '```'].join('\n');
}
