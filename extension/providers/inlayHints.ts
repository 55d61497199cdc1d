// Inlay hints: the output shape of each statement's outermost call in `forward` (layer, block, functional op
// or tensor method) and after each item of an `nn.Sequential(...)`. Shape-preserving layers (norms,
// activations, dropout) are hidden unless the setting asks for them; several calls at one place with
// different shapes read `×4 calls: [2, 16, …] … [2, 24, …]`, each call in the tooltip; a label never
// exceeds editor.inlayHints.maximumLength (VS Code would cut it mid-shape). Uses the cached (or, while
// typing, last good) analysis; never blocks on typing.
import * as vscode from 'vscode';
import { ACTIVATIONS, fmtShape } from '../../engine';
import type { Shape } from '../../engine';
import type { Analysis, AnalysisService } from '../analysis/service';
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
  range: vscode.Range;
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
    const slots = outermost(this.slots(a, doc));
    // A statement whose every call keeps the shape (`x = self.bn1(x)`, `F.relu(out)`) gets no hint by default.
    return slots
      .filter(({ slot, chain }) => range.contains(slot.range.end) && (cfg.inlayHintsShapePreserving || !chain.every((c) => c.calls.every(preservesShape))))
      .map(({ slot }) => hint(slot.range.end, slot.calls, maxLen));
  }

  private slots(a: Analysis, doc: vscode.TextDocument): Slot[] {
    const r = a.report!;
    const types = new Map(r.modules.map((m) => [m.name, m.type]));
    const at = new Map<string, Slot>();
    const put = (range: vscode.Range | undefined, call: HintCall, item = false) => {
      if (!range) return;
      const key = `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}`;
      const slot = at.get(key) ?? { range, calls: [], item };
      slot.calls.push(call);
      at.set(key, slot);
    };
    const locKey = (l: { line: number; col: number; endLine: number; endCol: number } | undefined) => (l ? `${l.line}:${l.col}:${l.endLine}:${l.endCol}` : '');
    // Leaf calls and blocks a block makes with its own call's place (a Sequential's items) belong to its hint.
    const byBlock = new Set<number>();
    const blocks = (r.blocks ?? []).filter((b) => b.name);
    const inner = new Set(blocks.filter((b) => blocks.some((o) => b.name.startsWith(`${o.name}.`) && locKey(o.callLoc) === locKey(b.callLoc))));
    for (const b of blocks) {
      const k = locKey(b.callLoc);
      for (let i = b.rowStart; i < b.rowEnd; i++) if (locKey(r.rows[i].callLoc) === k) byBlock.add(i);
      if (inner.has(b) && types.get(parentOf(b.name)) !== 'Sequential') continue;
      const parent = parentOf(b.name);
      const call = { label: b.name, kind: b.type, inputs: b.inputs, output: b.output, order: b.rowStart - 0.5 };
      if (types.get(parent) === 'Sequential') put(this.service.mapLoc(a, r.modules.find((m) => m.name === b.name)?.defLoc, doc), call, true);
      else if (!inner.has(b)) put(this.service.mapLoc(a, b.callLoc, doc), call);
    }
    r.rows.forEach((row, i) => {
      const parent = row.name.includes('.') ? row.name.slice(0, row.name.lastIndexOf('.')) : '';
      const call = { label: row.name, kind: row.type, inputs: row.inputs, output: row.output, order: i };
      // Items of a Sequential are called by torch, not by the user's code: the hint goes after the item.
      if (types.get(parent) === 'Sequential' && row.name !== parent) put(this.service.mapLoc(a, row.defLoc, doc), call, true);
      else if (!byBlock.has(i)) put(this.service.mapLoc(a, row.callLoc, doc), call);
    });
    (r.ops ?? []).forEach((op, i) => put(this.service.mapLoc(a, op.loc, doc), { label: op.module || '(model)', kind: op.op, inputs: op.inputs, output: op.output, order: i }));
    for (const s of at.values()) s.calls.sort((x, y) => x.order - y.order);
    return [...at.values()];
  }
}

function parentOf(name: string): string {
  return name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
}

/** Drops every call slot inside another one: one hint per statement, at its outermost call (with the calls it holds). */
function outermost(slots: Slot[]): Array<{ slot: Slot; chain: Slot[] }> {
  const calls = slots.filter((s) => !s.item);
  const inside = (s: Slot, o: Slot) => o !== s && o.range.contains(s.range) && !o.range.isEqual(s.range);
  return slots
    .filter((s) => s.item || !calls.some((o) => inside(s, o)))
    .map((slot) => ({ slot, chain: slot.item ? [slot] : [slot, ...calls.filter((s) => inside(s, slot))] }));
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
  const head = calls.length > 1 ? `LayerLens: output shape of each of the ${calls.length} calls made here` : 'LayerLens output shape';
  h.tooltip = new vscode.MarkdownString([head, ...lines].join('\n'));
  return h;
}
