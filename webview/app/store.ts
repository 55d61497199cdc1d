// The Inspector's one store: the whole state as an immutable object, replaced (never mutated) on every
// change so views can compare slices by identity; subscribers are told after each change. The persisted
// part (settings and view state, never tensors or file bytes) goes to vscode.setState for a reload.
import type { Diagnostic, Report, RunReport } from '../../engine';
import type { ActivationName, BatchNoise, ConvStepData, LossSpec, ModelInfo, PatternName, RowTensors, RunVariant } from '../protocol';
import type { GraphLayout } from '../views/graph/graphModel';

export type WeightsChoice = { kind: 'init' } | { kind: 'file'; path: string; name: string };
export type InputChoice = { kind: 'noise' } | { kind: 'pattern'; pattern: PatternName } | { kind: 'image'; path: string; name: string };
export type Normalize = 'none' | 'imagenet' | 'mnist';

export interface RunSettings {
  weights: WeightsChoice;
  input: InputChoice;
  mode: 'eval' | 'train';
  seed: number;
  /** Batch size of the run; null: the model's own input shape. */
  batch: number | null;
  normalize: Normalize;
  /** What backward differentiates: sum of the output, or cross-entropy against a class. */
  loss: LossSpec;
}

export type SortKey = 'order' | 'name' | 'type' | 'params' | 'macs' | 'memory' | 'mean' | 'std' | 'gradNorm';

export interface UiState {
  view: string;
  selectedRow: number | null;
  summary: { sort: SortKey; descending: boolean; depth: number | null; filter: string };
  graph: { collapsed: string[]; colorBy: 'macs' | 'memory'; zoom: number };
  featureMaps: { scale: 'shared' | 'channel'; enlarged: number | null; sample: number; showAll: boolean };
  /** The step-through: the article's example or the selected conv layer, which filter, which output cell. */
  convStep: { source: 'article' | 'layer'; filter: number; position: number };
  batchNorm: { channel: number; batch: number };
  activations: { whatIf: ActivationName | 'original'; removeBatchNorm: boolean };
}

/** A re-run's answer beside the main run (the previous one stays on screen while `pending`). */
export interface SideRun<T> { key: string; value?: T; pending: boolean; error?: string }

export interface RunResult {
  report: Omit<RunReport, 'tensors'>;
  tensors: RowTensors[];
  /** Wall time from Run to the result, in the webview. */
  ms: number;
}

export interface Job { kind: 'analysis' | 'run'; phase: string; startedAt: number }

export interface InspectorState {
  model?: ModelInfo;
  analysis?: Report;
  run?: RunResult;
  /** The run on screen was made with other settings or sources than the current ones (a new one is coming). */
  runStale: boolean;
  job?: Job;
  error?: { message: string; diagnostics?: Diagnostic[] };
  settings: RunSettings;
  ui: UiState;
  /** Bumped when VS Code's theme changes (canvas views re-read their colours). */
  theme: number;
  /** The graph's latest layout (from the layout worker) and whether a newer one is being made. */
  graphLayout?: { key: string; layout?: GraphLayout; error?: string; pending: boolean };
  /** The article's worked example through the engine's conv2d (asked for once). */
  convDemo?: ConvStepData;
  /** The batch-size slider's re-run. */
  batchNoise?: SideRun<BatchNoise>;
  /** The what-if run: per-row gradient norms and statistics with the variant. */
  whatIf?: SideRun<{ variant: RunVariant; gradNorm: Array<number | null>; outputStd: number | null; ms: number }>;
}

export interface Persisted { uri?: string; expr?: string; settings: RunSettings; ui: UiState }

export const DEFAULT_SETTINGS: RunSettings = { weights: { kind: 'init' }, input: { kind: 'noise' }, mode: 'eval', seed: 0, batch: null, normalize: 'none', loss: { kind: 'sum' } };
export const DEFAULT_UI: UiState = {
  view: 'summary', selectedRow: null,
  summary: { sort: 'order', descending: false, depth: null, filter: '' },
  graph: { collapsed: [], colorBy: 'macs', zoom: 1 },
  featureMaps: { scale: 'shared', enlarged: null, sample: 0, showAll: false },
  convStep: { source: 'article', filter: 0, position: 0 },
  batchNorm: { channel: 0, batch: 8 },
  activations: { whatIf: 'original', removeBatchNorm: false },
};

export class Store {
  private listeners: Array<(s: InspectorState) => void> = [];
  state: InspectorState;

  constructor(restored?: Partial<Persisted>) {
    this.state = {
      runStale: false, theme: 0,
      settings: { ...DEFAULT_SETTINGS, ...restored?.settings },
      ui: mergeUi(restored?.ui),
    };
  }

  update(patch: Partial<InspectorState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  settings(patch: Partial<RunSettings>): void { this.update({ settings: { ...this.state.settings, ...patch } }); }

  ui<K extends keyof UiState>(key: K, patch: UiState[K] extends object ? Partial<UiState[K]> : UiState[K]): void {
    const cur = this.state.ui[key];
    const next = typeof cur === 'object' && cur !== null ? { ...cur, ...(patch as object) } : patch;
    this.update({ ui: { ...this.state.ui, [key]: next } });
  }

  subscribe(fn: (s: InspectorState) => void): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
  }

  persisted(): Persisted {
    return { uri: this.state.model?.uri, expr: this.state.model?.expr, settings: this.state.settings, ui: this.state.ui };
  }
}

function mergeUi(ui: Partial<UiState> | undefined): UiState {
  if (!ui) return DEFAULT_UI;
  return {
    view: typeof ui.view === 'string' ? ui.view : DEFAULT_UI.view,
    selectedRow: typeof ui.selectedRow === 'number' ? ui.selectedRow : null,
    summary: { ...DEFAULT_UI.summary, ...ui.summary },
    graph: { ...DEFAULT_UI.graph, ...ui.graph },
    featureMaps: { ...DEFAULT_UI.featureMaps, ...ui.featureMaps, enlarged: null },
    convStep: { ...DEFAULT_UI.convStep, ...ui.convStep },
    batchNorm: { ...DEFAULT_UI.batchNorm, ...ui.batchNorm },
    activations: { ...DEFAULT_UI.activations, ...ui.activations },
  };
}

/**
 * The report the views show: the latest run's (it has stats and gradients) while its rows are the analysis's
 * rows (a stale run stays on screen until the next arrives); the analysis once the model's layers changed.
 */
export function currentReport(s: InspectorState): Report | Omit<RunReport, 'tensors'> | undefined {
  const run = s.run?.report, a = s.analysis;
  if (!run || !a) return run ?? a;
  return sameRows(run.rows, a.rows) ? run : a;
}

/** The run's tensors when they belong to the rows on screen. */
export function currentTensors(s: InspectorState): RowTensors[] | undefined {
  return s.run && currentReport(s) === s.run.report ? s.run.tensors : undefined;
}

function sameRows(a: Report['rows'], b: Report['rows']): boolean {
  return a.length === b.length && a.every((r, i) => r.name === b[i].name && r.type === b[i].type);
}
