// Inlay hints: the output shape of each statement's outermost call in `forward` (layer, block, functional op
// or tensor method) and after each item of an `nn.Sequential(...)`. Shape-preserving layers (norms,
// activations, dropout) are hidden unless the setting asks for them; several calls at one place with
// different shapes read `×4 calls: [2, 16, …] … [2, 24, …]`, each call in the tooltip; a label never
// exceeds editor.inlayHints.maximumLength (VS Code would cut it mid-shape). Uses the cached (or, while
// typing, last good) analysis; never blocks on typing.
import * as vscode from 'vscode';
import { ACTIVATIONS, fmtShape } from '../../engine';
import type { Loc, Report, Shape } from '../../engine';
import type { Analysis, AnalysisService } from '../analysis/service';
import { enginePath } from '../analysis/workspaceHost';
import { readConfig } from '../config';

/** One call at a place in the code: a leaf row, a block call or an op. */
export interface HintCall {
  label: string;
  kind: string;
  inputs: Shape[];
  output: Shape | null;
  /** When it ran (a row's index; a block just before its first row): the calls of a place in order. */
  order: number;
}

interface Slot {
  loc: Loc;
  calls: HintCall[];
  /** Item of a Sequential (placed after its construction): not part of a statement's call chain. */
  item: boolean;
}

export class ShapeInlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly service: AnalysisService) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideInlayHints(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    const cfg = readConfig(doc.uri);
    if (!cfg.inlayHintsEnabled) return [];
    const a = await this.service.active(doc);
    if (!a?.report || token.isCancellationRequested) return [];
    const maxLen = vscode.workspace.getConfiguration('editor.inlayHints', doc.uri).get<number>('maximumLength', 43);
    const out: vscode.InlayHint[] = [];
    // Slots are found once per analysis, in its own lines; only those near the visible lines are mapped.
    const { slots, delta } = { slots: slotsOf(a, enginePath(doc.uri)), delta: Math.abs(doc.lineCount - (a.sources.get(enginePath(doc.uri))?.length ?? doc.lineCount)) };
    for (const { slot, chain } of slots) {
      if (slot.loc.endLine < range.start.line - delta || slot.loc.endLine > range.end.line + delta) continue;
      // A statement whose every call keeps the shape (`x = self.bn1(x)`, `F.relu(out)`) gets no hint by default.
      if (!cfg.inlayHintsShapePreserving && chain.every((c) => c.calls.every(preservesShape))) continue;
      const r = this.service.mapLoc(a, slot.loc, doc);
      if (r && range.contains(r.end)) out.push(hint(r.end, slot.calls, maxLen));
    }
    return out;
  }
}

const slotCache = new WeakMap<Analysis, { file: string; slots: Array<{ slot: Slot; chain: Slot[] }> }>();

function slotsOf(a: Analysis, file: string): Array<{ slot: Slot; chain: Slot[] }> {
  const c = slotCache.get(a);
  if (c && c.file === file) return c.slots;
  const slots = outermost(collect(a.report!, file));
  slotCache.set(a, { file, slots });
  return slots;
}

function collect(r: Report, file: string): Slot[] {
  const types = new Map(r.modules.map((m) => [m.name, m.type]));
  const at = new Map<string, Slot>();
  const put = (loc: Loc | undefined, call: HintCall, item = false) => {
    if (!loc || loc.file !== file) return;
    const key = locKey(loc);
    const slot = at.get(key) ?? { loc, calls: [], item };
    slot.calls.push(call);
    at.set(key, slot);
  };
  // Leaf calls and blocks a block makes with its own call's place (a Sequential's items) belong to its hint.
  const byBlock = new Set<number>();
  const blocks = (r.blocks ?? []).filter((b) => b.name);
  const inner = new Set(blocks.filter((b) => blocks.some((o) => b.name.startsWith(`${o.name}.`) && locKey(o.callLoc) === locKey(b.callLoc))));
  const defs = new Map(r.modules.map((m) => [m.name, m.defLoc]));
  for (const b of blocks) {
    const k = locKey(b.callLoc);
    for (let i = b.rowStart; i < b.rowEnd; i++) if (locKey(r.rows[i].callLoc) === k) byBlock.add(i);
    const call = { label: b.name, kind: b.type, inputs: b.inputs, output: b.output, order: b.rowStart - 0.5 };
    if (types.get(parentOf(b.name)) === 'Sequential') put(defs.get(b.name), call, true);
    else if (!inner.has(b)) put(b.callLoc, call);
  }
  r.rows.forEach((row, i) => {
    const call = { label: row.name, kind: row.type, inputs: row.inputs, output: row.output, order: i };
    // Items of a Sequential are called by torch, not by the user's code: the hint goes after the item.
    if (types.get(parentOf(row.name)) === 'Sequential') put(row.defLoc, call, true);
    else if (!byBlock.has(i)) put(row.callLoc, call);
  });
  (r.ops ?? []).forEach((op, i) => put(op.loc, { label: op.module || '(model)', kind: op.op, inputs: op.inputs, output: op.output, order: i }));
  for (const s of at.values()) s.calls.sort((x, y) => x.order - y.order);
  return [...at.values()];
}

function locKey(l: Loc | undefined): string {
  return l ? `${l.line}:${l.col}:${l.endLine}:${l.endCol}` : '';
}

function parentOf(name: string): string {
  return name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
}

function before(l: number, c: number, l2: number, c2: number): boolean {
  return l < l2 || (l === l2 && c <= c2);
}

/** `o` holds `s` and is larger: `s` is nested in the call `o`. */
function inside(s: Slot, o: Slot): boolean {
  if (o === s) return false;
  const a = s.loc, b = o.loc;
  const contains = before(b.line, b.col, a.line, a.col) && before(a.endLine, a.endCol, b.endLine, b.endCol);
  return contains && locKey(a) !== locKey(b);
}

/** Drops every call slot inside another one: one hint per statement, at its outermost call (with the calls it holds). */
function outermost(slots: Slot[]): Array<{ slot: Slot; chain: Slot[] }> {
  // a call that holds another covers the other's first line: compare only slots that share a line
  const byLine = new Map<number, Slot[]>();
  for (const s of slots) {
    if (s.item) continue;
    for (let l = s.loc.line; l <= s.loc.endLine; l++) byLine.set(l, [...(byLine.get(l) ?? []), s]);
  }
  return slots
    .filter((s) => s.item || !(byLine.get(s.loc.line) ?? []).some((o) => inside(s, o)))
    .map((slot) => ({ slot, chain: slot.item ? [slot] : [slot, ...new Set((byLine.get(slot.loc.line) ?? []).filter((s) => inside(s, slot)))] }));
}

const PRESERVING_OPS = new Set(['relu', 'relu_', 'relu6', 'gelu', 'silu', 'sigmoid', 'tanh', 'elu', 'selu', 'celu', 'leaky_relu', 'hardswish', 'hardsigmoid', 'hardtanh', 'mish', 'softplus', 'softsign', 'prelu', 'dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'softmax', 'log_softmax', 'layer_norm', 'batch_norm', 'group_norm', 'instance_norm', 'local_response_norm', 'normalize', 'rms_norm', 'contiguous', 'clone', 'detach', 'float', 'to']);
const ACTIVATION_TYPES = new Set([...ACTIVATIONS.map((x) => x.name), 'Softmax', 'LogSoftmax', 'Softmax2d', 'Identity']);

/** Norms, activations and dropout that return their input's shape: hidden by default. */
export function preservesShape(c: HintCall): boolean {
  const same = c.output !== null && c.inputs[0] !== undefined && fmtShape(c.inputs[0]) === fmtShape(c.output);
  if (!same) return false;
  const name = c.kind.slice(c.kind.lastIndexOf('.') + 1);
  return ACTIVATION_TYPES.has(c.kind) || /Norm(\dd)?$|^LayerNorm|^GroupNorm|^RMSNorm|Dropout(\dd)?$/.test(c.kind) || PRESERVING_OPS.has(name);
}

/** The label: `→ [2, 16, 32, 32]`, or `→ ×4 calls: [2, 16, 32, 32] … [2, 24, 16, 16]`, shortened to fit `maxLen`. */
export function hintLabel(calls: HintCall[], maxLen: number): string {
  const distinct = [...new Set(calls.map((c) => fmtShape(c.output)))];
  const limit = maxLen > 0 ? maxLen : Infinity;
  const candidates = distinct.length === 1
    ? [`→ ${distinct[0]}`, `→ ${short(calls[0].output, 2)}`, `→ ${short(calls[0].output, 1)}`]
    : [`→ ×${calls.length} calls: ${distinct[0]} … ${distinct[distinct.length - 1]}`,
      `→ ×${calls.length} calls: ${short(calls[0].output, 2)} … ${short(lastWith(calls, distinct), 2)}`,
      `→ ×${calls.length} calls: ${short(calls[0].output, 1)} … ${short(lastWith(calls, distinct), 1)}`,
      `→ ×${calls.length} calls`];
  return candidates.find((l) => l.length <= limit) ?? candidates[candidates.length - 1];
}

function lastWith(calls: HintCall[], distinct: string[]): Shape | null {
  return calls.find((c) => fmtShape(c.output) === distinct[distinct.length - 1])!.output;
}

/** `[2, 16, …]`: the first `keep` dims of a shape, whole (a dim is never cut). */
function short(s: Shape | null, keep: number): string {
  if (!s || s.length <= keep) return fmtShape(s);
  return `[${s.slice(0, keep).map((d) => (d === null ? '?' : String(d))).join(', ')}, …]`;
}

function hint(pos: vscode.Position, calls: HintCall[], maxLen: number): vscode.InlayHint {
  const h = new vscode.InlayHint(pos, hintLabel(calls, maxLen), vscode.InlayHintKind.Type);
  h.paddingLeft = true;
  const lines = calls.slice(0, 12).map((c) => `- \`${c.label}\` (${c.kind}) ${c.inputs.map(fmtShape).join(', ')} → \`${fmtShape(c.output)}\``);
  if (calls.length > 12) lines.push(`- …and ${calls.length - 12} more`);
  const head = calls.length > 1 ? `LayerLens: output shape of each of the ${calls.length} calls made here` : vscode.l10n.t('LayerLens output shape');
  h.tooltip = new vscode.MarkdownString([head, ...lines].join('\n'));
  return h;
}
